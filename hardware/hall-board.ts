// The waiting-hall board: a daisy chain of 8-digit MAX7219 modules on one data/clock/cs
// triple, one module per row, newest call on top (device 0 is the one wired to the
// controller). A row reads ticket left, window right: "A012   3". Eight digits fit a
// four-character ticket and a window up to 999; rows past the list are blanked.
//
// johnny-five's Led.Digits sets the chips up (scan limit, intensity, shutdown) but writes
// one register of one device per frame, shifting no-ops through the rest of the chain: a
// six-row refresh is ~14,000 Firmata pin writes (~7 s at 57600 baud). Digits are therefore
// written here one register index per frame for all rows at once (the MAX7219 chain's
// native way: ~2,300 writes), and only the register indexes that changed.
import five from 'johnny-five';
import type { HallBoard } from './types.ts';
import { setIntensity, type DigitsPins } from './digits.ts';
import { fitDigits, segmentsOf } from './segments.ts';

export const HALL_ROW_WIDTH = 8;
/** Every so many updates all registers are rewritten, healing a chip that glitched (long ribbon cables). */
const FULL_REFRESH_EVERY = 20;

export function hallRowText(row: { ticket: string; window: number }): string {
  const window = String(Math.max(0, Math.trunc(row.window))).slice(-3);
  const ticket = row.ticket.slice(0, HALL_ROW_WIDTH - 1 - window.length);
  return ticket.padEnd(HALL_ROW_WIDTH - window.length) + window;
}

export type Max7219HallBoardOptions = { board: five.Board; pins: DigitsPins; rows?: number; brightness?: number };

export class Max7219HallBoard implements HallBoard {
  readonly rows: number;
  private readonly board: five.Board;
  private readonly digits: five.Led.Digits;
  /** Segment codes last written: written[row][register index 0..7], index 0 = rightmost digit. */
  private readonly written: number[][];
  private updates = 0;
  private closed = false;

  constructor(opts: Max7219HallBoardOptions) {
    this.rows = opts.rows ?? 6;
    // johnny-five keeps 64 digit cells of memory: 8 chained 8-digit modules at most.
    if (this.rows < 1 || this.rows > 8) throw new RangeError(`hall board rows must be 1..8, got ${this.rows}`);
    this.board = opts.board;
    // Led.Digits initialises every chip and clears its digits.
    this.digits = new five.Led.Digits({ pins: opts.pins, board: opts.board, devices: this.rows, digits: HALL_ROW_WIDTH });
    for (let r = 0; r < this.rows; r++) setIntensity(this.digits, r, opts.brightness ?? 8);
    this.written = Array.from({ length: this.rows }, () => new Array<number>(HALL_ROW_WIDTH).fill(0));
  }

  show(rows: readonly { ticket: string; window: number }[]): void {
    if (this.closed) return;
    const wanted = Array.from({ length: this.rows }, (_, r) => {
      const text = fitDigits(rows[r] ? hallRowText(rows[r]) : '', HALL_ROW_WIDTH);
      return Array.from({ length: HALL_ROW_WIDTH }, (_, index) => segmentsOf(text[HALL_ROW_WIDTH - 1 - index]));
    });
    const full = ++this.updates % FULL_REFRESH_EVERY === 0;
    for (let index = 0; index < HALL_ROW_WIDTH; index++) {
      if (!full && wanted.every((codes, r) => codes[index] === this.written[r][index])) continue;
      this.writeRegisterAllRows(index + 1, wanted.map((codes) => codes[index]));
      wanted.forEach((codes, r) => (this.written[r][index] = codes[index]));
    }
  }

  clear(): void {
    this.show([]);
  }

  close(): void {
    this.clear();
    this.closed = true;
  }

  /** One CS frame: the farthest row's word first, so each word ends in its own chip. */
  private writeRegisterAllRows(register: number, codes: readonly number[]): void {
    const { data, clock, cs } = this.digits.pins;
    const io = this.board.io as { digitalWrite(pin: number | string, v: number): void };
    io.digitalWrite(cs, 0);
    for (let r = this.rows - 1; r >= 0; r--) {
      this.board.shiftOut(data, clock, true, register);
      this.board.shiftOut(data, clock, true, codes[r]);
    }
    io.digitalWrite(cs, 1);
  }
}
