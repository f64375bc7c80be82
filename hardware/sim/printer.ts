// The printer end of a SerialPortMock line: parses the ESC/POS it receives as a printer
// would (commands by their lengths, so image bytes are never read as commands), keeps
// each finished ticket (ESC @ … GS V) as decoded images, and answers DLE EOT by a settable
// paper state. 'offline' answers nothing; 'paper-out' answers and prints nothing.
import { SerialPortMock } from 'serialport';
import type { MonoImage, PrinterStatus } from '../types.ts';
import type { PrinterPort } from '../printer/port.ts';

export type PrintedTicket = { image: MonoImage; bands: MonoImage[]; bytes: number };

type MockPortBinding = { write(buffer: Buffer): Promise<void>; emitData(data: Buffer): void; isOpen: boolean };

/** Status bytes a TM-style printer answers (fixed bits 0x12 plus the flags of each state). */
const ANSWERS: Record<Exclude<PrinterStatus, 'offline'>, Record<number, number>> = {
  ok: { 1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12 },
  'paper-low': { 1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12 | 0x0c },
  'paper-out': { 1: 0x12 | 0x08, 2: 0x12 | 0x20, 3: 0x12, 4: 0x12 | 0x0c | 0x60 },
};

/** Joins GS v 0 bands of the same width into one image. */
export function stackBands(bands: readonly MonoImage[]): MonoImage {
  if (bands.length === 0) return { width: 0, height: 0, data: new Uint8Array() };
  const width = bands[0].width;
  if (bands.some((b) => b.width !== width)) throw new Error('bands differ in width');
  const data = new Uint8Array(bands.reduce((n, b) => n + b.data.length, 0));
  let at = 0;
  for (const b of bands) {
    data.set(b.data, at);
    at += b.data.length;
  }
  return { width, height: bands.reduce((n, b) => n + b.height, 0), data };
}

export class SimPrinter {
  paper: PrinterStatus = 'ok';
  readonly tickets: PrintedTicket[] = [];
  /** Every byte that came down the line, status queries included. */
  bytesReceived = 0;
  private pending: Buffer = Buffer.alloc(0);
  private bands: MonoImage[] = [];
  private jobBytes = 0;
  private binding!: MockPortBinding;

  /** Attach to an open SerialPortMock: the sim's side of the cable. */
  constructor(port: PrinterPort) {
    this.attach(port);
  }

  /** Plug into a (re)opened line; tickets printed so far are kept. */
  attach(port: PrinterPort): void {
    if (!(port instanceof SerialPortMock) || !port.isOpen) throw new Error('SimPrinter needs an open SerialPortMock');
    const binding = (port as unknown as { port: MockPortBinding }).port;
    const write = binding.write.bind(binding);
    // MockBinding has no device side to plug in: wrap its write, which is what the wire carries.
    binding.write = async (buffer: Buffer) => {
      await write(buffer);
      this.receive(buffer);
    };
    this.binding = binding;
    this.pending = Buffer.alloc(0);
  }

  lastTicket(): PrintedTicket | null {
    return this.tickets.at(-1) ?? null;
  }

  private receive(chunk: Buffer): void {
    this.bytesReceived += chunk.length;
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    for (;;) {
      const used = this.command(this.pending);
      if (used === 0) break; // incomplete command: wait for more bytes
      this.pending = this.pending.subarray(used);
    }
  }

  /** Handles the command at the front of b; returns the bytes it used (0 = incomplete). */
  private command(b: Buffer): number {
    if (b.length === 0) return 0;
    const printing = this.paper === 'ok' || this.paper === 'paper-low';
    if (b[0] === 0x10) {
      if (b.length < 3) return 0;
      if (b[1] === 0x04) this.answer(b[2]);
      return 3;
    }
    if (b[0] === 0x1b) {
      if (b.length < 2) return 0;
      if (b[1] === 0x40) {
        this.bands = [];
        this.jobBytes = 2;
        return 2;
      }
      if (b[1] === 0x64) return b.length < 3 ? 0 : this.job(3);
      return this.job(2);
    }
    if (b[0] === 0x1d) {
      if (b.length < 3) return 0;
      if (b[1] === 0x76 && b[2] === 0x30) {
        if (b.length < 8) return 0;
        const stride = b[4] | (b[5] << 8);
        const rows = b[6] | (b[7] << 8);
        const size = 8 + stride * rows;
        if (b.length < size) return 0;
        if (printing) this.bands.push({ width: stride * 8, height: rows, data: new Uint8Array(b.subarray(8, size)) });
        return this.job(size);
      }
      if (b[1] === 0x56) {
        const size = b[2] >= 65 ? 4 : 3;
        if (b.length < size) return 0;
        this.job(size);
        if (printing && this.bands.length) this.tickets.push({ image: stackBands(this.bands), bands: this.bands, bytes: this.jobBytes });
        this.bands = [];
        this.jobBytes = 0;
        return size;
      }
    }
    return this.job(1); // unknown byte: a printer ignores it
  }

  private job(size: number): number {
    this.jobBytes += size;
    return size;
  }

  private answer(n: number): void {
    if (this.paper === 'offline') return;
    const byte = ANSWERS[this.paper][n];
    if (byte === undefined) return;
    setImmediate(() => {
      if (this.binding.isOpen) this.binding.emitData(Buffer.of(byte));
    });
  }
}
