// ESC/POS bytes for a ticket and the real-time status protocol — pure, no I/O.
// Arabic through the printers' code pages does not shape or join, so what is Arabic is
// drawn (hardware/ticket/render.ts) and sent as GS v 0 raster; the big Latin number goes as
// text in the printer's resident font scaled with GS !. The wire is the bottleneck (an 80 mm
// raster row is 72 bytes = 6.25 ms at 115200 baud), so a job sends no blank raster rows
// (ESC J feeds them) and crops every band to its inked bytes, centered by ESC a 1 in the
// printing area GS W sets to the layout width. Command references: Epson ESC/POS
// Application Programming Guide (ESC @, ESC a, ESC J, ESC 2/3, ESC d, GS !, GS V, GS W, GS v 0,
// GS ( k for QR codes, DLE EOT).
import type { MonoImage, PrintDoc, PrinterStatus } from '../types.ts';

/** The QR symbol's quiet zone, in modules (ISO/IEC 18004 §7.3.8): blank paper around what the printer draws. */
export const QR_QUIET_MODULES = 4;

const ESC = 0x1b;
const GS = 0x1d;
const DLE = 0x10;
const EOT = 0x04;

/** ESC @: clear the buffer and settings left by a previous (maybe aborted) job. */
export const INIT = Uint8Array.of(ESC, 0x40);

/** ESC d n: feed n lines, so the cut clears the last printed row. */
export function feedLines(n: number): Uint8Array {
  return Uint8Array.of(ESC, 0x64, Math.max(0, Math.min(255, n)));
}

/** GS V 66 0: feed to the cutter and cut (partial cut where the cutter offers one). */
export const FEED_AND_CUT = Uint8Array.of(GS, 0x56, 0x42, 0x00);

export function bytesPerRow(image: MonoImage): number {
  return Math.ceil(image.width / 8);
}

/**
 * GS v 0 commands for an image, one per band of at most bandRows rows. Bands keep each
 * command within a small printer's receive buffer and let the port adapter drain between
 * them; every band is the same raster format, so the printer stacks them seamlessly.
 */
export function rasterBands(image: MonoImage, bandRows = 64): Uint8Array[] {
  const stride = bytesPerRow(image);
  if (image.data.length < stride * image.height) throw new RangeError(`image data too short: ${image.data.length} < ${stride * image.height}`);
  if (stride > 0xffff || bandRows < 1) throw new RangeError('bad raster geometry');
  const bands: Uint8Array[] = [];
  for (let y = 0; y < image.height; y += bandRows) {
    const rows = Math.min(bandRows, image.height - y);
    const band = new Uint8Array(8 + stride * rows);
    band.set([GS, 0x76, 0x30, 0x00, stride & 0xff, stride >> 8, rows & 0xff, rows >> 8]);
    band.set(image.data.subarray(y * stride, (y + rows) * stride), 8);
    bands.push(band);
  }
  return bands;
}

/** GS W nL nH: the printing area's width in dots (the layout width; a wider paper centers within it). */
export function printAreaWidth(dots: number): Uint8Array {
  return Uint8Array.of(GS, 0x57, dots & 0xff, (dots >> 8) & 0xff);
}

/** ESC a 1: center what follows (text lines and raster bands). */
export const CENTER = Uint8Array.of(ESC, 0x61, 0x01);

/** ESC J n: feed n dot rows (n ≤ 255 a command); one dot row on the 203-dpi printers the layout is for. */
export function feedDots(n: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let left = n; left > 0; left -= 255) out.push(Uint8Array.of(ESC, 0x4a, Math.min(255, left)));
  return out;
}

/** Largest module size GS ( k function 167 accepts, in dots. */
export const MAX_QR_MODULE_DOTS = 16;

/**
 * A QR code the printer draws itself (GS ( k, cn 49): model 2 (fn 165), the module size
 * (fn 167), error correction M (fn 169), the data into the symbol store (fn 180), print it
 * (fn 181); centered by ESC a 1 like the rest, with a quiet zone of four modules fed above
 * and below. About 25 bytes plus the data, where the same symbol as raster is ~6.5 KB.
 */
export function qrCode(data: string, moduleDots: number): Uint8Array[] {
  const bytes = Buffer.from(data, 'utf8');
  if (bytes.length === 0 || bytes.length > 7089) throw new RangeError(`QR data of ${bytes.length} bytes`);
  const dots = Math.max(1, Math.min(MAX_QR_MODULE_DOTS, Math.round(moduleDots)));
  const k = (fn: number, ...params: number[]) => Uint8Array.of(GS, 0x28, 0x6b, (params.length + 2) & 0xff, (params.length + 2) >> 8, 0x31, fn, ...params);
  const store = new Uint8Array(8 + bytes.length);
  store.set([GS, 0x28, 0x6b, (bytes.length + 3) & 0xff, (bytes.length + 3) >> 8, 0x31, 0x50, 0x30]);
  store.set(bytes, 8);
  const quiet = QR_QUIET_MODULES * dots;
  return [...feedDots(quiet), k(0x41, 0x32, 0x00), k(0x43, dots), k(0x45, 0x31), store, k(0x51, 0x30), ...feedDots(quiet)];
}

/** Largest GS ! factor (1–8 by the standard). */
export const MAX_TEXT_SCALE = 8;

/**
 * One centered line in the resident font A (12 × 24), scaled: line spacing set to the
 * scaled cell (ESC 3), size (GS !), the text, LF, then size and spacing back to default.
 */
export function textLine(text: string, scale: number): Uint8Array {
  if (!Number.isInteger(scale) || scale < 1 || scale > MAX_TEXT_SCALE) throw new RangeError(`text scale ${scale} is not 1..${MAX_TEXT_SCALE}`);
  if (!/^[\x20-\x7e]*$/.test(text)) throw new RangeError('printer text must be printable ASCII');
  const n = ((scale - 1) << 4) | (scale - 1);
  return Uint8Array.from([ESC, 0x33, Math.min(255, 24 * scale), GS, 0x21, n, ...Buffer.from(text, 'latin1'), 0x0a, GS, 0x21, 0x00, ESC, 0x32]);
}

const rowIsBlank = (data: Uint8Array, stride: number, y: number) => {
  for (let i = y * stride, end = i + stride; i < end; i++) if (data[i] !== 0) return false;
  return true;
};

/**
 * A raster block without its blank rows (fed with ESC J) and with each band cropped to the
 * bytes that carry ink, the same number from each side so that centering puts every dot
 * back where it was drawn.
 */
export function compactRaster(image: MonoImage, bandRows = 64): Uint8Array[] {
  const stride = bytesPerRow(image);
  if (image.data.length < stride * image.height) throw new RangeError(`image data too short: ${image.data.length} < ${stride * image.height}`);
  if (stride > 0xffff || bandRows < 1) throw new RangeError('bad raster geometry');
  const out: Uint8Array[] = [];
  let y = 0;
  while (y < image.height) {
    let blank = 0;
    while (y + blank < image.height && rowIsBlank(image.data, stride, y + blank)) blank++;
    if (blank) {
      out.push(...feedDots(blank));
      y += blank;
      continue;
    }
    let rows = 0;
    while (rows < bandRows && y + rows < image.height && !rowIsBlank(image.data, stride, y + rows)) rows++;
    let left = stride;
    let right = stride;
    for (let r = y; r < y + rows; r++) {
      const row = image.data.subarray(r * stride, (r + 1) * stride);
      let l = 0;
      while (l < stride && row[l] === 0) l++;
      let t = 0;
      while (t < stride && row[stride - 1 - t] === 0) t++;
      left = Math.min(left, l);
      right = Math.min(right, t);
    }
    const cut = Math.min(left, right);
    const w = stride - 2 * cut;
    const band = new Uint8Array(8 + w * rows);
    band.set([GS, 0x76, 0x30, 0x00, w & 0xff, w >> 8, rows & 0xff, rows >> 8]);
    for (let r = 0; r < rows; r++) band.set(image.data.subarray((y + r) * stride + cut, (y + r) * stride + cut + w), 8 + r * w);
    out.push(band);
    y += rows;
  }
  return out;
}

/** Every byte of one ticket, in order: init, area, centering, its blocks, feed, cut. */
export function encodeDoc(doc: PrintDoc, bandRows = 64): Uint8Array[] {
  const out: Uint8Array[] = [INIT, printAreaWidth(doc.width), CENTER];
  for (const block of doc.blocks) {
    if (block.kind === 'raster') out.push(...compactRaster(block.image, bandRows));
    else if (block.kind === 'qr') out.push(...qrCode(block.data, block.moduleDots));
    else out.push(textLine(block.text, block.scale));
  }
  out.push(feedLines(3), FEED_AND_CUT);
  return out;
}

/** A bare image as a one-block ticket (the layout width is the image's). */
export function ticketJob(image: MonoImage, bandRows = 64): Uint8Array[] {
  return encodeDoc({ width: image.width, blocks: [{ kind: 'raster', image }] }, bandRows);
}

export function jobBytes(chunks: readonly Uint8Array[]): number {
  return chunks.reduce((n, c) => n + c.length, 0);
}

/** DLE EOT n — real-time status, answered with one byte even while the printer is offline. */
export type StatusRequest = 1 | 2 | 3 | 4;
export const STATUS_REQUEST = { printer: 1, offlineCause: 2, errorCause: 3, paperSensor: 4 } as const;

export function statusRequest(n: StatusRequest): Uint8Array {
  return Uint8Array.of(DLE, EOT, n);
}

/** Every status byte has bit 1 and bit 4 set and bits 0 and 7 clear (Epson ESC/POS reference). */
export function isStatusByte(b: number): boolean {
  return (b & 0x93) === 0x12;
}

export type RealTimeStatus = {
  /** n=1, bit 3. */
  offline: boolean;
  /** n=2, bit 2. */
  coverOpen: boolean;
  /** n=2 bit 5 (printing stopped at paper end) or n=4 bits 5–6 (roll end). */
  paperOut: boolean;
  /** n=4 bits 2–3 (roll near end). */
  paperLow: boolean;
  /** n=2 bit 6 or n=3 bits 3, 5 (cutter, unrecoverable). */
  error: boolean;
};

/** Reads one status byte into the fields it reports (unknown or malformed bytes report nothing). */
export function parseStatusByte(n: StatusRequest, b: number): Partial<RealTimeStatus> {
  if (!isStatusByte(b)) return {};
  switch (n) {
    case 1:
      return { offline: (b & 0x08) !== 0 };
    case 2:
      return { coverOpen: (b & 0x04) !== 0, paperOut: (b & 0x20) !== 0, error: (b & 0x40) !== 0 };
    case 3:
      return { error: (b & 0x28) !== 0 };
    case 4:
      return { paperLow: (b & 0x0c) !== 0, paperOut: (b & 0x60) !== 0 };
  }
}

/**
 * What the kiosk needs to know from the answers to DLE EOT 1 and 4 (null = no answer).
 * No answer at all means offline (unplugged, powered off, wrong baud rate). Paper-out wins
 * over offline because a paper-out printer also reports itself offline.
 */
export function summarizeStatus(printerByte: number | null, paperByte: number | null, offlineCauseByte: number | null = null): PrinterStatus {
  if (printerByte === null || paperByte === null) return 'offline';
  const s: Partial<RealTimeStatus> = {
    ...parseStatusByte(1, printerByte),
    ...(offlineCauseByte === null ? {} : parseStatusByte(2, offlineCauseByte)),
  };
  const paper = parseStatusByte(4, paperByte);
  if (!isStatusByte(printerByte) || !isStatusByte(paperByte)) return 'offline';
  if (paper.paperOut || s.paperOut) return 'paper-out';
  if (s.offline || s.coverOpen || s.error) return 'offline';
  if (paper.paperLow) return 'paper-low';
  return 'ok';
}
