// ESC/POS bytes for a raster ticket and the real-time status protocol — pure, no I/O.
// Only raster images are printed: Arabic through the printers' code pages does not shape
// or join, so the ticket is drawn (hardware/ticket/render.ts) and sent as GS v 0.
import type { MonoImage, PrinterStatus } from '../types.ts';

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

/** Every byte of one ticket job, in order: init, raster bands, feed, cut. */
export function ticketJob(image: MonoImage, bandRows = 64): Uint8Array[] {
  return [INIT, ...rasterBands(image, bandRows), feedLines(3), FEED_AND_CUT];
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
