// The printer's resident font A — 12 × 24 dots a character, printable ASCII — as this
// project draws it, so the ticket preview and the simulated printer show what a real
// printer prints when the ticket number is sent as text (ESC/POS GS ! scales it by whole
// factors, each dot becoming a w × h block). A real printer draws its own ROM glyphs: the
// shapes differ a little, the cell, the scaling and the positions are the same.
// Glyphs are drawn once from the Latin Cairo face the raster parts use, thresholded to 1 bit.
import { createCanvas } from '@napi-rs/canvas';
import { FAMILY_LATIN, loadFonts } from '../ticket/fonts.ts';

export const FONT_A = { width: 12, height: 24 } as const;

const glyphs = new Map<number, Uint8Array>();

/** The character's 12 × 24 cell, one byte a dot (1 = black); a non-printable byte is blank. */
export function glyphA(code: number): Uint8Array {
  let g = glyphs.get(code);
  if (g) return g;
  g = new Uint8Array(FONT_A.width * FONT_A.height);
  if (code > 0x20 && code < 0x7f) {
    loadFonts();
    const c = createCanvas(FONT_A.width, FONT_A.height);
    const ctx = c.getContext('2d');
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, FONT_A.width, FONT_A.height);
    ctx.fillStyle = '#000';
    ctx.font = `800 21px "${FAMILY_LATIN}"`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'alphabetic';
    // One dot of spacing on the right, as printer fonts leave; baseline 5 dots above the cell's foot.
    ctx.fillText(String.fromCharCode(code), (FONT_A.width - 1) / 2, FONT_A.height - 5, FONT_A.width - 1);
    const px = ctx.getImageData(0, 0, FONT_A.width, FONT_A.height).data;
    for (let i = 0; i < g.length; i++) g[i] = px[i * 4] < 150 ? 1 : 0;
  }
  glyphs.set(code, g);
  return g;
}

/** Draws text into a 1-bit image row-major buffer (stride in bytes) at (x, y), each dot scaled w × h. */
export function drawResidentText(
  target: { width: number; height: number; data: Uint8Array },
  text: string,
  x0: number,
  y0: number,
  w: number,
  h: number,
): void {
  const stride = Math.ceil(target.width / 8);
  for (let i = 0; i < text.length; i++) {
    const g = glyphA(text.charCodeAt(i));
    const cx = x0 + i * FONT_A.width * w;
    for (let gy = 0; gy < FONT_A.height; gy++)
      for (let gx = 0; gx < FONT_A.width; gx++) {
        if (!g[gy * FONT_A.width + gx]) continue;
        for (let dy = 0; dy < h; dy++) {
          const y = y0 + gy * h + dy;
          if (y < 0 || y >= target.height) continue;
          for (let dx = 0; dx < w; dx++) {
            const x = cx + gx * w + dx;
            if (x >= 0 && x < target.width) target.data[y * stride + (x >> 3)] |= 0x80 >> (x & 7);
          }
        }
      }
  }
}
