// Reads back what a chain of MAX7219s shows from the pin traffic johnny-five's Led.Digits
// sends: CS low, then 16 bits per chained device shifted MSB first (data sampled on each
// clock rise), CS high latches. The first word shifted in ends in the farthest device,
// which johnny-five numbers devices-1. No-op words (register 0) leave a device unchanged.
// The pins come from the sim's mock Firmata or from an emulated Uno's header (uno.ts);
// reset() is a chip that lost power (all registers 0: shut down, blank).
import { charOfSegments } from '../segments.ts';

/** Where the decoder watches the pins: output level changes, and the current levels. */
export type PinSource = {
  onPinWrite(listener: (pin: number, level: number, cycles?: number) => void): () => void;
  readonly pinLevels: Map<number, number>;
};

export const MAX7219_REG = { noop: 0x00, digit0: 0x01, decodeMode: 0x09, intensity: 0x0a, scanLimit: 0x0b, shutdown: 0x0c, displayTest: 0x0f } as const;

export type Max7219Pins = { data: number; clock: number; cs: number };

export class Max7219Decoder {
  /** registers[device][register] as last latched. */
  readonly registers: number[][];
  /** Latched frames so far (each a register write to one device); a blink shows as shutdown toggles. */
  frames = 0;
  private bits: number[] = [];
  private selected = false;
  private readonly detach: () => void;
  /** Called after every latch with the emulated cycle it happened at (the bench's stopwatch). */
  onLatch: ((cycles: number | undefined) => void) | null = null;

  constructor(io: PinSource, private readonly pins: Max7219Pins, devices: number) {
    this.registers = Array.from({ length: devices }, () => new Array<number>(16).fill(0));
    this.detach = io.onPinWrite((pin, level, cycles) => this.onWrite(io, pin, level, cycles));
  }

  /** Power lost: every chip forgets its registers (a MAX7219 powers up shut down). */
  reset(): void {
    for (const r of this.registers) r.fill(0);
    this.selected = false;
    this.bits = [];
  }

  private onWrite(io: PinSource, pin: number, level: number, cycles?: number): void {
    if (pin === this.pins.cs) {
      if (level === 0) {
        this.selected = true;
        this.bits = [];
      } else if (this.selected) {
        this.selected = false;
        this.latch();
        this.onLatch?.(cycles);
      }
    } else if (pin === this.pins.clock && level === 1 && this.selected) {
      this.bits.push(io.pinLevels.get(this.pins.data) ?? 0);
    }
  }

  private latch(): void {
    const words = Math.floor(this.bits.length / 16);
    for (let w = 0; w < words; w++) {
      let word = 0;
      for (let b = 0; b < 16; b++) word = (word << 1) | this.bits[w * 16 + b];
      const device = words - 1 - w;
      const register = (word >> 8) & 0x0f;
      if (register === MAX7219_REG.noop || !this.registers[device]) continue;
      this.registers[device][register] = word & 0xff;
      this.frames++;
    }
  }

  /** The characters a device shows, leftmost first (digit register `width` is the leftmost). */
  text(device: number, width: number): string {
    const r = this.registers[device];
    let s = '';
    for (let reg = width; reg >= 1; reg--) s += charOfSegments(r[reg]);
    return s;
  }

  brightness(device: number): number {
    return this.registers[device][MAX7219_REG.intensity];
  }

  /** false while the device is in shutdown (dark): blinking toggles this. */
  isOn(device: number): boolean {
    return this.registers[device][MAX7219_REG.shutdown] === 1;
  }

  close(): void {
    this.detach();
  }
}
