// A 4×3 membrane matrix keypad (the common 7-wire "0–9 * #" keypad any electronics shop
// sells for a few pounds) scanned by the Firmata host: rows are outputs, columns inputs with
// the internal pull-up. The kiosk's booking-code entry (issue 14 item 3) uses it beside one
// ordinary push button for "لدي حجز".
//
// Why this keypad and this scan: twelve separate buttons would take twelve pins an Uno does
// not have beside the kiosk's buttons and lamps; a resistor-ladder keypad on one analog pin
// needs StandardFirmata's timed analog sampling and per-unit calibration. A matrix takes 7
// digital pins, needs no parts and no firmware change, and reads exactly.
//
// The scan is event-driven, so an idle keypad costs no serial traffic: at rest every row is
// driven LOW, so any key pulls its column LOW and the board reports the change. Then, after
// a debounce, the rows are driven LOW one at a time; after each row the host asks the board
// for a fresh report of the columns (REPORT_DIGITAL answers at once with the port's levels)
// and sends a pin-state query as a barrier: the board answers in order, so once the barrier's
// answer is in, the column levels firmata-io holds are those of this row. One key at a time:
// a key held is one key; the next counts once the held one is let go (a key pressed as the
// last is released counts too).
// A read the board does not answer (USB pulled mid-scan) fails after readTimeoutMs: the
// keypad reports an 'error' and goes back to rest. StandardFirmata and ShubbakFirmata both
// answer REPORT_DIGITAL at once and PIN_STATE_QUERY (hardware/firmware/shubbak-firmata.c).
// Needs a Firmata IO (firmata-io: reportDigitalPin, queryPinState); raspi-io is refused.
import { EventEmitter } from 'node:events';
import type five from 'johnny-five';

export type MatrixKeypadOptions = {
  board: five.Board;
  /** Row pins top to bottom (driven). */
  rows: readonly number[];
  /** Column pins left to right (read, pull-up). */
  cols: readonly number[];
  /** The key printed at [row][col]; default the 4×3 telephone layout. */
  layout?: readonly (readonly string[])[];
  /** How long a column must stay LOW (or all HIGH) before it counts; default 20 ms. */
  debounceMs?: number;
  /** How long one read may wait for the board's answer; default 1000 ms. */
  readTimeoutMs?: number;
};

export const PHONE_LAYOUT = [['1', '2', '3'], ['4', '5', '6'], ['7', '8', '9'], ['*', '0', '#']] as const;

/** firmata-io, as far as the scan uses it. */
type FirmataIo = {
  MODES: { INPUT: number; OUTPUT: number };
  pins: { value?: number }[];
  /** firmata-io's byte per Firmata port (8 pins): output levels and, on inputs, the pull-ups it writes back. */
  ports: number[];
  writeDigitalPort(port: number): void;
  pinMode(pin: number, mode: number): void;
  digitalWrite(pin: number, value: number): void;
  digitalRead(pin: number, cb: (value: number) => void): void;
  reportDigitalPin(pin: number, value: 0 | 1): void;
  queryPinState(pin: number, cb: () => void): void;
  removeListener(event: string, fn: (...a: never[]) => void): void;
};

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class MatrixKeypad extends EventEmitter<{ key: [key: string]; error: [Error] }> {
  private readonly io: FirmataIo;
  private readonly rows: readonly number[];
  private readonly cols: readonly number[];
  private readonly layout: readonly (readonly string[])[];
  private readonly debounceMs: number;
  private readonly readTimeoutMs: number;
  private readonly readers: { pin: number; fn: (v: number) => void }[] = [];
  private scanning = false;
  /** A key was read and the keypad waits for every column to come back HIGH. */
  private down = false;
  /** The key read while `down`. */
  private held: string | null = null;
  private closed = false;

  constructor(opts: MatrixKeypadOptions) {
    super();
    this.io = opts.board.io as unknown as FirmataIo;
    if (typeof this.io.reportDigitalPin !== 'function' || typeof this.io.queryPinState !== 'function') {
      throw new Error('the matrix keypad needs a Firmata board (SHUBBAK_IO=firmata)');
    }
    this.rows = opts.rows;
    this.cols = opts.cols;
    this.layout = opts.layout ?? PHONE_LAYOUT;
    this.debounceMs = opts.debounceMs ?? 20;
    this.readTimeoutMs = opts.readTimeoutMs ?? 1000;
    if (this.layout.length !== this.rows.length || this.layout.some((r) => r.length !== this.cols.length)) {
      throw new RangeError(`the keypad layout must be ${this.rows.length}×${this.cols.length}`);
    }
    const io = this.io;
    // Columns first (inputs with their pull-up), so driving the rows LOW never reads as a press.
    for (const pin of this.cols) {
      io.pinMode(pin, io.MODES.INPUT);
      io.digitalWrite(pin, 1);
    }
    for (const pin of this.rows) io.pinMode(pin, io.MODES.OUTPUT);
    this.rowsTo(0);
    for (const pin of this.cols) {
      const fn = () => void this.changed();
      io.digitalRead(pin, fn);
      this.readers.push({ pin, fn });
    }
  }

  /**
   * Drives rows (one port message per Firmata port touched). A column reported LOW is a 0 in
   * firmata-io's byte for its port; written back with a row on the same port, the firmware
   * would take it as "pull-up off" (ShubbakFirmata does, and so does this StandardFirmata),
   * so the columns' pull-up bits are set again first. Their last reported levels stay as read.
   */
  private drive(levels: readonly { pin: number; level: 0 | 1 }[]): void {
    const io = this.io;
    const ports = new Set<number>();
    for (const { pin, level } of levels) {
      const port = pin >> 3;
      const bit = 1 << (pin & 7);
      io.ports[port] = level ? io.ports[port] | bit : io.ports[port] & ~bit;
      io.pins[pin].value = level;
      ports.add(port);
    }
    for (const pin of this.cols) if (ports.has(pin >> 3)) io.ports[pin >> 3] |= 1 << (pin & 7);
    for (const port of ports) io.writeDigitalPort(port);
  }

  private rowsTo(level: 0 | 1): void {
    this.drive(this.rows.map((pin) => ({ pin, level })));
  }

  private colLevels(): number[] {
    return this.cols.map((p) => this.io.pins[p]?.value ?? 1);
  }

  /** Fresh column levels: a forced report of their ports, then a barrier the board answers after it. */
  private async read(): Promise<number[]> {
    const ports = new Set<number>();
    for (const p of this.cols) if (!ports.has(p >> 3)) {
      ports.add(p >> 3);
      this.io.reportDigitalPin(p, 1);
    }
    const pin = this.cols[0];
    await new Promise<void>((resolve, reject) => {
      const answered = () => {
        clearTimeout(timer);
        resolve();
      };
      // A board unplugged mid-scan never answers: give up, so the keypad is not stuck scanning.
      const timer = setTimeout(() => {
        this.io.removeListener(`pin-state-${pin}`, answered);
        reject(new Error(`the board did not answer the keypad's read within ${this.readTimeoutMs} ms`));
      }, this.readTimeoutMs);
      this.io.queryPinState(pin, answered);
    });
    return this.colLevels();
  }

  private async changed(): Promise<void> {
    if (this.scanning || this.closed) return;
    const anyLow = this.colLevels().some((v) => v === 0);
    if (this.down === anyLow) return; // still held, or still idle
    this.scanning = true;
    try {
      await sleep(this.debounceMs);
      if (this.closed) return;
      if (this.down) {
        // Released if every column is HIGH after the debounce; a column still LOW may be the
        // next key, pressed as the last one was let go (a quick typist): scan, and a different key counts.
        if ((await this.read()).every((v) => v === 1)) {
          this.down = false;
          this.held = null;
          return;
        }
      } else if ((await this.read()).every((v) => v === 1)) return; // a bounce
      const key = await this.scan();
      if (key !== null && key !== this.held) {
        this.down = true;
        this.held = key;
        if (!this.closed) this.emit('key', key);
      }
    } catch (err) {
      // Back to rest (every row LOW, no key down); the board's pin replay after a reconnect keeps that.
      this.down = false;
      this.held = null;
      this.rowsTo(0);
      if (!this.closed) this.emit('error', err as Error);
    } finally {
      this.scanning = false;
    }
    // A change that came during the scan (a quick release) is looked at now.
    if (!this.closed) void this.changed();
  }

  /** Which key is down: each row LOW alone in turn; then every row LOW again (rest). */
  private async scan(): Promise<string | null> {
    let found: string | null = null;
    for (let r = 0; r < this.rows.length && found === null && !this.closed; r++) {
      // Row r LOW alone, the others HIGH.
      this.drive(this.rows.map((pin, i) => ({ pin, level: i === r ? 0 : 1 })));
      const c = (await this.read()).indexOf(0);
      if (c >= 0) found = this.layout[r][c];
    }
    if (this.closed) return null;
    this.rowsTo(0);
    await this.read();
    return found;
  }

  /** Stops reacting and drops listeners (the rows stay driven; the board closes with the program). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const { pin, fn } of this.readers) this.io.removeListener(`digital-read-${pin}`, fn);
    this.removeAllListeners();
  }
}
