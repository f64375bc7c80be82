// A MAX7219 7-segment board (the window board, the keypad's own display) on the bus of
// max7219-bus.ts. A show writes only the digit registers that changed (text right-aligned,
// space-padded, so a shorter number never leaves a stale digit), and every 20th show
// rewrites them all, healing a chip that glitched. A blink toggles the chip's shutdown
// register: the digit registers stay put, so the text cannot flicker into something else.
// restore() sets a chip up again from scratch (a board that lost power with its USB cable).
import type five from 'johnny-five';
import type { DigitsDisplay } from './types.ts';
import { fitDigits, segmentsOf } from './segments.ts';
import { MAX7219, Max7219Bus } from './max7219-bus.ts';

export type DigitsPins = { data: number | string; clock: number | string; cs: number | string };

const FULL_REFRESH_EVERY = 20;

/** Segment codes for a text on a `width`-digit device, by register index (0 = rightmost digit). */
export function digitCodes(text: string, width: number): number[] {
  const fitted = fitDigits(text, width);
  return Array.from({ length: width }, (_, index) => segmentsOf(fitted[width - 1 - index]));
}

export function clampIntensity(level: number): number {
  return Math.max(0, Math.min(15, Math.round(Number.isFinite(level) ? level : 0)));
}

export type Max7219DigitsOptions = { board: five.Board; pins: DigitsPins; width?: number; brightness?: number; blinkMs?: number };

export class Max7219Digits implements DigitsDisplay {
  readonly width: number;
  private readonly bus: Max7219Bus;
  private readonly blinkMs: number;
  private blinkTimer: NodeJS.Timeout | null = null;
  private lit = true;
  private closed = false;
  private brightness: number;
  /** What each digit register holds (null: unknown, write it). */
  private written: (number | null)[];
  private shows = 0;

  constructor(opts: Max7219DigitsOptions) {
    this.width = opts.width ?? 4;
    this.blinkMs = opts.blinkMs ?? 350;
    this.brightness = clampIntensity(opts.brightness ?? 8);
    this.bus = new Max7219Bus(opts.board.io as never, opts.pins);
    this.written = new Array<number | null>(this.width).fill(null);
    this.restore();
  }

  /** Sets the chip up from scratch and writes what it should show (power-on, or a board that reconnected). */
  restore(): void {
    if (this.closed) return;
    const { bus } = this;
    bus.all(1, MAX7219.displayTest, 0);
    bus.all(1, MAX7219.decodeMode, 0); // raw segments
    bus.all(1, MAX7219.scanLimit, this.width - 1); // scan only the fitted digits: a 4-digit module scanning 8 is dimmer
    bus.all(1, MAX7219.intensity, this.brightness);
    const codes = this.written.map((c) => c ?? 0);
    this.written.fill(null);
    this.writeCodes(codes);
    bus.all(1, MAX7219.shutdown, this.lit ? 1 : 0);
  }

  /** How the bus reaches the chips: the ShubbakFirmata sysex, or bit-banged (max7219-bus.ts). */
  get busMode(): 'sysex' | 'port' | 'pins' {
    return this.bus.mode;
  }

  get blinking(): boolean {
    return this.blinkTimer !== null;
  }

  show(text: string, opts?: { blink?: boolean }): void {
    if (this.closed) return;
    this.stopBlink();
    if (++this.shows % FULL_REFRESH_EVERY === 0) this.written.fill(null);
    this.writeCodes(digitCodes(text, this.width));
    if (opts?.blink) {
      this.blinkTimer = setInterval(() => this.light(!this.lit), this.blinkMs);
    }
  }

  clear(): void {
    this.show('');
  }

  setBrightness(level: number): void {
    if (this.closed) return;
    this.brightness = clampIntensity(level);
    this.bus.all(1, MAX7219.intensity, this.brightness);
  }

  close(): void {
    if (this.closed) return;
    this.stopBlink();
    this.writeCodes(digitCodes('', this.width));
    this.bus.flushQueued(); // the blank goes out before the caller closes the board
    this.closed = true;
  }

  private writeCodes(codes: readonly number[]): void {
    codes.forEach((code, index) => {
      if (this.written[index] === code) return;
      this.bus.all(1, MAX7219.digit0 + index, code);
      this.written[index] = code;
    });
  }

  private stopBlink(): void {
    if (this.blinkTimer) clearInterval(this.blinkTimer);
    this.blinkTimer = null;
    this.light(true);
  }

  private light(on: boolean): void {
    if (on === this.lit) return;
    this.lit = on;
    this.bus.all(1, MAX7219.shutdown, on ? 1 : 0);
  }
}
