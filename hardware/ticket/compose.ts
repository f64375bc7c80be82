// What a printer prints for a PrintDoc, as one 1-bit image: raster blocks, resident-font
// text lines and QR codes the printer draws (with their quiet zone) stacked top to bottom, each centered in the layout width as ESC a 1 centers
// them. The ticket preview (golden images, the simulator page) and the simulated printer's
// decoding both use it, so "what the kiosk meant" and "what came out of the wire" are
// compared pixel for pixel.
import type { MonoImage, PrintDoc } from '../types.ts';
import { drawResidentText, FONT_A } from '../printer/resident-font.ts';
import { QR_QUIET_MODULES, qrSymbol } from './qr.ts';

/** Left edge of a centered piece, in dots (ESC a 1). */
export function centeredLeft(areaWidth: number, pieceWidth: number): number {
  return Math.max(0, Math.floor((areaWidth - pieceWidth) / 2));
}

export function blankImage(width: number, height: number): MonoImage {
  return { width, height, data: new Uint8Array(Math.ceil(width / 8) * height) };
}

/** Copies src into dst with its left edge at dot x and top at row y (OR; bits outside dst dropped). */
export function blit(dst: MonoImage, src: MonoImage, x: number, y: number): void {
  const ds = Math.ceil(dst.width / 8);
  const ss = Math.ceil(src.width / 8);
  for (let r = 0; r < src.height; r++) {
    const ty = y + r;
    if (ty < 0 || ty >= dst.height) continue;
    for (let sx = 0; sx < src.width; sx++) {
      if (!(src.data[r * ss + (sx >> 3)] & (0x80 >> (sx & 7)))) continue;
      const tx = x + sx;
      if (tx >= 0 && tx < dst.width) dst.data[ty * ds + (tx >> 3)] |= 0x80 >> (tx & 7);
    }
  }
}

/** Rows a text block takes: the scaled cell (the encoder sets the line spacing to it). */
export function textBlockHeight(scale: number): number {
  return FONT_A.height * scale;
}

export function composeDoc(doc: PrintDoc): MonoImage {
  const qrs = new Map(doc.blocks.flatMap((b) => (b.kind === 'qr' ? [[b, qrSymbol(b.data, b.moduleDots)] as const] : [])));
  const blockHeight = (b: PrintDoc['blocks'][number]) =>
    b.kind === 'raster' ? b.image.height : b.kind === 'qr' ? qrs.get(b)!.height + 2 * QR_QUIET_MODULES * b.moduleDots : textBlockHeight(b.scale);
  const height = doc.blocks.reduce((n, b) => n + blockHeight(b), 0);
  const out = blankImage(doc.width, height);
  let y = 0;
  for (const b of doc.blocks) {
    if (b.kind === 'raster') {
      blit(out, b.image, centeredLeft(doc.width, b.image.width), y);
      y += b.image.height;
    } else if (b.kind === 'qr') {
      const symbol = qrs.get(b)!;
      blit(out, symbol, centeredLeft(doc.width, symbol.width), y + QR_QUIET_MODULES * b.moduleDots);
      y += blockHeight(b);
    } else {
      drawResidentText(out, b.text, centeredLeft(doc.width, b.text.length * FONT_A.width * b.scale), y, b.scale, b.scale);
      y += textBlockHeight(b.scale);
    }
  }
  return out;
}
