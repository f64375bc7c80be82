// The waiting-hall board: a daisy chain of 8-digit MAX7219 modules on one data/clock/cs
// triple, one module per row, newest call on top (device 0 is the one wired to the
// controller). A row reads ticket left, window right: "A012   3". Eight digits fit a
// four-character ticket and a window up to 999; rows past the list are blanked.
import five from 'johnny-five';
import type { HallBoard } from './types.ts';
import { setIntensity, writeDigits, type DigitsPins } from './digits.ts';

export const HALL_ROW_WIDTH = 8;

export function hallRowText(row: { ticket: string; window: number }): string {
  const window = String(Math.max(0, Math.trunc(row.window))).slice(-3);
  const ticket = row.ticket.slice(0, HALL_ROW_WIDTH - 1 - window.length);
  return ticket.padEnd(HALL_ROW_WIDTH - window.length) + window;
}

export type Max7219HallBoardOptions = { board: five.Board; pins: DigitsPins; rows?: number; brightness?: number };

export class Max7219HallBoard implements HallBoard {
  readonly rows: number;
  private readonly digits: five.Led.Digits;
  private closed = false;

  constructor(opts: Max7219HallBoardOptions) {
    this.rows = opts.rows ?? 6;
    // johnny-five keeps 64 digit cells of memory: 8 chained 8-digit modules at most.
    if (this.rows < 1 || this.rows > 8) throw new RangeError(`hall board rows must be 1..8, got ${this.rows}`);
    this.digits = new five.Led.Digits({ pins: opts.pins, board: opts.board, devices: this.rows, digits: HALL_ROW_WIDTH });
    for (let r = 0; r < this.rows; r++) setIntensity(this.digits, r, opts.brightness ?? 8);
    this.clear();
  }

  show(rows: readonly { ticket: string; window: number }[]): void {
    if (this.closed) return;
    for (let r = 0; r < this.rows; r++) {
      const row = rows[r];
      writeDigits(this.digits, r, HALL_ROW_WIDTH, row ? hallRowText(row) : '');
    }
  }

  clear(): void {
    if (this.closed) return;
    for (let r = 0; r < this.rows; r++) writeDigits(this.digits, r, HALL_ROW_WIDTH, '');
  }

  close(): void {
    this.clear();
    this.closed = true;
  }
}
