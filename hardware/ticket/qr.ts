// The ticket's QR code as dots (issue 14 item 1; issue 16 item 1: the job's byte budget).
// The printer draws the symbol itself from GS ( k (hardware/printer/escpos.ts: ~100 bytes on
// the wire where the same symbol as raster was ~6.5 KB, ~0.55 s at 115200 baud); this is the
// picture it makes, for the ticket preview (compose.ts) and the simulated printer's decoding
// (hardware/sim/printer.ts). Model 2, error correction M, the smallest version that holds the
// data — what the printer picks for the same settings. The quiet zone of four modules
// (ISO/IEC 18004 §7.3.8) is blank paper the job feeds around the symbol; it is not drawn here.
import QRCode from 'qrcode';
import type { MonoImage } from '../types.ts';

export const QR_QUIET_MODULES = 4;

/** The symbol alone, `moduleDots` dots a module, 1 = black. */
export function qrSymbol(data: string, moduleDots: number): MonoImage {
  const m = QRCode.create(data, { errorCorrectionLevel: 'M' }).modules;
  const width = m.size * moduleDots;
  const stride = Math.ceil(width / 8);
  const out = new Uint8Array(stride * width);
  for (let r = 0; r < m.size; r++)
    for (let c = 0; c < m.size; c++) {
      if (!m.get(r, c)) continue;
      for (let y = r * moduleDots; y < (r + 1) * moduleDots; y++)
        for (let x = c * moduleDots; x < (c + 1) * moduleDots; x++) out[y * stride + (x >> 3)] |= 0x80 >> (x & 7);
    }
  return { width, height: width, data: out };
}

/** Modules a side for this data (the version's size), to choose the module size for the paper. */
export function qrModules(data: string): number {
  return QRCode.create(data, { errorCorrectionLevel: 'M' }).modules.size;
}
