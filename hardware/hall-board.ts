// The waiting-hall board: a daisy chain of 8-digit MAX7219 modules on one data/clock/cs
// triple, one module per row, newest call on top (chip 0 is the one wired to the
// controller). A row reads ticket left, window right: "A012   3". Eight digits fit a
// four-character ticket and a window up to 999; rows past the list are blanked.
//
// A chain takes one register of every chip per latch, so digits are written one register
// index per frame for all rows at once, and only the indexes where some row changed
// (max7219-bus.ts has the wire cost). Every 20th update rewrites all, healing a chip that
// glitched (long ribbon cables); restore() sets the chain up from scratch after a board
// lost power.
import type five from 'johnny-five';
import type { HallBoard } from './types.ts';
import { clampIntensity, digitCodes, type DigitsPins } from './digits.ts';
import { MAX7219, Max7219Bus } from './max7219-bus.ts';

export const HALL_ROW_WIDTH = 8;
const FULL_REFRESH_EVERY = 20;

export function hallRowText(row: { ticket: string; window: number }): string {
  const window = String(Math.max(0, Math.trunc(row.window))).slice(-3);
  const ticket = row.ticket.slice(0, HALL_ROW_WIDTH - 1 - window.length);
  return ticket.padEnd(HALL_ROW_WIDTH - window.length) + window;
}

export type Max7219HallBoardOptions = { board: five.Board; pins: DigitsPins; rows?: number; brightness?: number };

export class Max7219HallBoard implements HallBoard {
  readonly rows: number;
  private readonly bus: Max7219Bus;
  private readonly brightness: number;
  /** Segment codes last written: written[row][register index 0..7], index 0 = rightmost digit; null = unknown. */
  private readonly written: (number | null)[][];
  private current: number[][];
  private updates = 0;
  private closed = false;

  constructor(opts: Max7219HallBoardOptions) {
    this.rows = opts.rows ?? 6;
    if (this.rows < 1 || this.rows > 8) throw new RangeError(`hall board rows must be 1..8, got ${this.rows}`);
    this.brightness = clampIntensity(opts.brightness ?? 8);
    this.bus = new Max7219Bus(opts.board.io as never, opts.pins);
    this.written = Array.from({ length: this.rows }, () => new Array<number | null>(HALL_ROW_WIDTH).fill(null));
    this.current = Array.from({ length: this.rows }, () => digitCodes('', HALL_ROW_WIDTH));
    this.restore();
  }

  /** Sets every chip up from scratch and writes the rows again. */
  restore(): void {
    if (this.closed) return;
    const n = this.rows;
    this.bus.all(n, MAX7219.displayTest, 0);
    this.bus.all(n, MAX7219.decodeMode, 0);
    this.bus.all(n, MAX7219.scanLimit, HALL_ROW_WIDTH - 1);
    this.bus.all(n, MAX7219.intensity, this.brightness);
    for (const w of this.written) w.fill(null);
    this.write(this.current);
    this.bus.all(n, MAX7219.shutdown, 1);
  }

  /** How the bus reaches the chips: the ShubbakFirmata sysex, or bit-banged (max7219-bus.ts). */
  get busMode(): 'sysex' | 'port' | 'pins' {
    return this.bus.mode;
  }

  show(rows: readonly { ticket: string; window: number }[]): void {
    if (this.closed) return;
    const wanted = Array.from({ length: this.rows }, (_, r) => digitCodes(rows[r] ? hallRowText(rows[r]) : '', HALL_ROW_WIDTH));
    if (++this.updates % FULL_REFRESH_EVERY === 0) for (const w of this.written) w.fill(null);
    this.current = wanted;
    this.write(wanted);
  }

  clear(): void {
    this.show([]);
  }

  close(): void {
    this.clear();
    this.bus.flushQueued(); // the blank rows go out before the caller closes the board
    this.closed = true;
  }

  private write(wanted: number[][]): void {
    for (let index = 0; index < HALL_ROW_WIDTH; index++) {
      if (wanted.every((codes, r) => codes[index] === this.written[r][index])) continue;
      this.bus.frame(wanted.map((codes) => ((MAX7219.digit0 + index) << 8) | codes[index]));
      wanted.forEach((codes, r) => (this.written[r][index] = codes[index]));
    }
  }
}
