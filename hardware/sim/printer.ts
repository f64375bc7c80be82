// The printer end of a SerialPortMock line: parses the ESC/POS it receives as a printer
// would (commands by their lengths, so image bytes are never read as commands), lays each
// finished ticket (ESC @ … GS V) out as the paper would show it — raster bands and
// resident-font text justified in the printing area, ESC J feeds as blank rows — and
// answers DLE EOT by a settable paper state. 'offline' answers nothing; 'paper-out'
// answers and prints nothing.
import { SerialPortMock } from 'serialport';
import type { MonoImage, PrinterStatus } from '../types.ts';
import type { PrinterPort } from '../printer/port.ts';
import { blankImage, blit, centeredLeft } from '../ticket/compose.ts';
import { drawResidentText, FONT_A } from '../printer/resident-font.ts';
import { qrSymbol } from '../ticket/qr.ts';

/** ESC 2: about 1/6 inch at 203 dpi. */
const DEFAULT_LINE_SPACING = 30;

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

/** Bands are placed as ESC a justifies them inside the printing area (GS W). */
type Justify = 0 | 1 | 2;

export class SimPrinter {
  paper: PrinterStatus = 'ok';
  readonly tickets: PrintedTicket[] = [];
  /** Every byte that came down the line, status queries included. */
  bytesReceived = 0;
  private pending: Buffer = Buffer.alloc(0);
  private bands: MonoImage[] = [];
  private jobBytes = 0;
  /** Where answers (DLE EOT status bytes) go: the mock line's device side, or any byte sink. */
  private reply: ((b: Buffer) => void) | null = null;
  // The page being printed: rows of the printing area, filled as commands arrive.
  private area: number;
  private justify: Justify = 0;
  private lineSpacing = DEFAULT_LINE_SPACING;
  private textScale = { w: 1, h: 1 };
  private text = '';
  private rows: Uint8Array[] = [];
  private qr = { moduleDots: 3, data: '' };

  /**
   * Attach to an open SerialPortMock (the sim's side of the cable), or pass null and wire it
   * yourself with receive() and answerTo() (a pseudo-terminal in tests). paperDots: the
   * printable width (576 on 80 mm).
   */
  constructor(port: PrinterPort | null, private readonly paperDots = 576) {
    this.area = paperDots;
    if (port) this.attach(port);
  }

  /** Sends this printer's answers to sink (for a line that is not a SerialPortMock). */
  answerTo(sink: (b: Buffer) => void): void {
    this.reply = sink;
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
    this.reply = (b) => {
      if (binding.isOpen) binding.emitData(b);
    };
    this.pending = Buffer.alloc(0);
  }

  lastTicket(): PrintedTicket | null {
    return this.tickets.at(-1) ?? null;
  }

  /** Bytes from the host, as the printer's input buffer gets them. */
  receive(chunk: Buffer): void {
    this.bytesReceived += chunk.length;
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    for (;;) {
      const used = this.command(this.pending);
      if (used === 0) break; // incomplete command: wait for more bytes
      this.pending = this.pending.subarray(used);
    }
  }

  private get printing(): boolean {
    return this.paper === 'ok' || this.paper === 'paper-low';
  }

  /** Handles the command at the front of b; returns the bytes it used (0 = incomplete). */
  private command(b: Buffer): number {
    if (b.length === 0) return 0;
    const c = b[0];
    if (c === 0x10) {
      if (b.length < 3) return 0;
      if (b[1] === 0x04) this.answer(b[2]);
      return 3;
    }
    if (c === 0x0a) {
      this.printLine(this.lineSpacing);
      return this.job(1);
    }
    if (c >= 0x20 && c < 0x7f) {
      this.text += String.fromCharCode(c);
      return this.job(1);
    }
    if (c === 0x1b) {
      if (b.length < 2) return 0;
      switch (b[1]) {
        case 0x40: // ESC @
          this.reset();
          this.jobBytes = 2;
          return 2;
        case 0x32: // ESC 2: default line spacing
          this.lineSpacing = DEFAULT_LINE_SPACING;
          return this.job(2);
        case 0x33: // ESC 3 n
          if (b.length < 3) return 0;
          this.lineSpacing = b[2];
          return this.job(3);
        case 0x61: // ESC a n
          if (b.length < 3) return 0;
          this.justify = ((b[2] & 0x0f) % 3) as Justify;
          return this.job(3);
        case 0x4a: // ESC J n: print the line, feed n dots
          if (b.length < 3) return 0;
          this.printLine(b[2]);
          return this.job(3);
        case 0x64: // ESC d n: feed to the cutter (not part of the ticket's picture)
          return b.length < 3 ? 0 : this.job(3);
        default:
          return this.job(2);
      }
    }
    if (c === 0x1d) {
      if (b.length < 3) return 0;
      if (b[1] === 0x28 && b[2] === 0x6b) {
        // GS ( k pL pH cn fn …: the QR code the printer draws itself (cn 49). Settings and the
        // stored data are kept until printed (fn 181); other symbologies are ignored.
        if (b.length < 5) return 0;
        const size = 5 + (b[3] | (b[4] << 8));
        if (b.length < size) return 0;
        if (b[5] === 0x31) {
          if (b[6] === 0x43) this.qr.moduleDots = b[7] || 3;
          else if (b[6] === 0x50) this.qr.data = b.subarray(8, size).toString('utf8');
          else if (b[6] === 0x51 && this.qr.data && this.printing) {
            this.printLine(0);
            this.place(qrSymbol(this.qr.data, this.qr.moduleDots));
          }
        }
        return this.job(size);
      }
      if (b[1] === 0x21) {
        // GS ! n: width factor in the high nibble, height in the low, each 0..7 = 1..8
        this.textScale = { w: ((b[2] >> 4) & 7) + 1, h: (b[2] & 7) + 1 };
        return this.job(3);
      }
      if (b[1] === 0x57) {
        if (b.length < 4) return 0;
        this.area = Math.min(this.paperDots, b[2] | (b[3] << 8)) || this.paperDots;
        return this.job(4);
      }
      if (b[1] === 0x76 && b[2] === 0x30) {
        if (b.length < 8) return 0;
        const stride = b[4] | (b[5] << 8);
        const rows = b[6] | (b[7] << 8);
        const size = 8 + stride * rows;
        if (b.length < size) return 0;
        if (this.printing) {
          const band = { width: stride * 8, height: rows, data: new Uint8Array(b.subarray(8, size)) };
          this.bands.push(band);
          this.place(band);
        }
        return this.job(size);
      }
      if (b[1] === 0x56) {
        const size = b[2] >= 65 ? 4 : 3;
        if (b.length < size) return 0;
        this.job(size);
        this.printLine(0);
        if (this.printing && this.rows.length) {
          const stride = Math.ceil(this.area / 8);
          const data = new Uint8Array(stride * this.rows.length);
          this.rows.forEach((r, i) => data.set(r, i * stride));
          this.tickets.push({ image: { width: this.area, height: this.rows.length, data }, bands: this.bands, bytes: this.jobBytes });
        }
        this.reset();
        this.jobBytes = 0;
        return size;
      }
    }
    return this.job(1); // unknown byte: a printer ignores it
  }

  private reset(): void {
    this.bands = [];
    this.rows = [];
    this.text = '';
    this.area = this.paperDots;
    this.justify = 0;
    this.lineSpacing = DEFAULT_LINE_SPACING;
    this.textScale = { w: 1, h: 1 };
    this.qr = { moduleDots: 3, data: '' };
  }

  private left(width: number): number {
    if (this.justify === 1) return centeredLeft(this.area, width);
    if (this.justify === 2) return Math.max(0, this.area - width);
    return 0;
  }

  /** Appends an image's rows to the page at the current justification. */
  private place(img: MonoImage): void {
    const page = blankImage(this.area, img.height);
    blit(page, img, this.left(img.width), 0);
    const stride = Math.ceil(this.area / 8);
    for (let r = 0; r < img.height; r++) this.rows.push(page.data.slice(r * stride, (r + 1) * stride));
  }

  /** Prints the text buffer (if any) in the resident font and advances `feed` dot rows in all. */
  private printLine(feed: number): void {
    if (!this.printing) {
      this.text = '';
      return;
    }
    const { w, h } = this.textScale;
    const text = this.text;
    this.text = '';
    const height = text ? Math.max(feed, FONT_A.height * h) : feed;
    if (height === 0) return;
    const line = blankImage(this.area, height);
    if (text) drawResidentText(line, text, this.left(text.length * FONT_A.width * w), 0, w, h);
    const stride = Math.ceil(this.area / 8);
    for (let r = 0; r < height; r++) this.rows.push(line.data.slice(r * stride, (r + 1) * stride));
  }

  private job(size: number): number {
    this.jobBytes += size;
    return size;
  }

  private answer(n: number): void {
    if (this.paper === 'offline') return;
    const byte = ANSWERS[this.paper][n];
    if (byte === undefined) return;
    setImmediate(() => this.reply?.(Buffer.of(byte)));
  }
}
