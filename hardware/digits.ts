// A MAX7219 7-segment board through johnny-five's Led.Digits. Every position is rewritten
// on each show (text right-aligned, space-padded), so a shorter number never leaves a
// stale digit behind. A blink toggles the chip's shutdown register: the digit registers
// stay put, so the text cannot flicker into something else.
import five from 'johnny-five';
import type { DigitsDisplay } from './types.ts';
import { fitDigits, segmentsOf } from './segments.ts';

export type DigitsPins = { data: number | string; clock: number | string; cs: number | string };

const SHUTDOWN_REGISTER = 0x0c;
const INTENSITY_REGISTER = 0x0a;

/** Writes text to one device of a (possibly chained) Led.Digits: the driver under DigitsDisplay and HallBoard. */
export function writeDigits(digits: five.Led.Digits, device: number, width: number, text: string): void {
  const fitted = fitDigits(text, width);
  // Register index 0 is the rightmost digit; johnny-five's print() skips '-' and keeps stale digits, so write raw.
  for (let i = 0; i < width; i++) digits.sendDigit(device, width - 1 - i, segmentsOf(fitted[i]));
}

export function setIntensity(digits: five.Led.Digits, device: number, level: number): void {
  const clamped = Math.max(0, Math.min(15, Math.round(Number.isFinite(level) ? level : 0)));
  digits.send(device, INTENSITY_REGISTER, clamped);
}

export type Max7219DigitsOptions = { board: five.Board; pins: DigitsPins; width?: number; brightness?: number; blinkMs?: number };

export class Max7219Digits implements DigitsDisplay {
  readonly width: number;
  private readonly digits: five.Led.Digits;
  private readonly blinkMs: number;
  private blinkTimer: NodeJS.Timeout | null = null;
  private lit = true;
  private closed = false;

  constructor(opts: Max7219DigitsOptions) {
    this.width = opts.width ?? 4;
    this.blinkMs = opts.blinkMs ?? 350;
    this.digits = new five.Led.Digits({ pins: opts.pins, board: opts.board, devices: 1, digits: this.width });
    // Scan only the fitted digits: a 4-digit module scanning 8 is dimmer.
    this.digits.send(0, 0x0b, this.width - 1);
    setIntensity(this.digits, 0, opts.brightness ?? 8);
    writeDigits(this.digits, 0, this.width, '');
  }

  /** The text currently written (padded), and whether it is blinking — what a passer-by reads. */
  get blinking(): boolean {
    return this.blinkTimer !== null;
  }

  show(text: string, opts?: { blink?: boolean }): void {
    if (this.closed) return;
    this.stopBlink();
    writeDigits(this.digits, 0, this.width, text);
    if (opts?.blink) {
      this.blinkTimer = setInterval(() => this.light(!this.lit), this.blinkMs);
    }
  }

  clear(): void {
    this.show('');
  }

  setBrightness(level: number): void {
    if (!this.closed) setIntensity(this.digits, 0, level);
  }

  close(): void {
    if (this.closed) return;
    this.stopBlink();
    writeDigits(this.digits, 0, this.width, '');
    this.closed = true;
  }

  private stopBlink(): void {
    if (this.blinkTimer) clearInterval(this.blinkTimer);
    this.blinkTimer = null;
    this.light(true);
  }

  private light(on: boolean): void {
    if (on === this.lit) return;
    this.lit = on;
    this.digits.send(0, SHUTDOWN_REGISTER, on ? 1 : 0);
  }
}
