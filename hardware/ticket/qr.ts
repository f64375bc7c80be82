// The ticket's QR code as dots (issue 14 item 1; issue 16 item 1: the job's byte budget).
// The printer draws the symbol itself from GS ( k (hardware/printer/escpos.ts: ~100 bytes on
// the wire where the same symbol as raster was ~6.5 KB, ~0.55 s at 115200 baud); this is the
// picture it makes, for the ticket preview (compose.ts) and the simulated printer's decoding
// (hardware/sim/printer.ts). Model 2, error correction M, the smallest version that holds the
// data — what the printer picks for the same settings. The quiet zone of four modules
// (ISO/IEC 18004 §7.3.8) is blank paper the job feeds around the symbol; it is not drawn here.
//
// Only qrcode's encoder (its lib/core) is taken: the package's main also loads its PNG, SVG and
// terminal renderers, and with them pngjs, node:zlib and node:assert — ~1.2 MB resident on
// Node 24 in every program whose printer code imports this file, the keypad and the boards
// among them (issue 10: memory; tests/integration/built.test.ts checks what they load).
// @ts-expect-error -- qrcode's types describe its main entry, not this file; its create() is the same function (lib/server.js re-exports it).
import { create as qrCreate } from 'qrcode/lib/core/qrcode.js';
import type { create as QrCreate } from 'qrcode';
import type { MonoImage } from '../types.ts';
export { QR_QUIET_MODULES } from '../printer/escpos.ts';

const create = qrCreate as typeof QrCreate;

/** The symbol alone, `moduleDots` dots a module, 1 = black. */
export function qrSymbol(data: string, moduleDots: number): MonoImage {
  const m = create(data, { errorCorrectionLevel: 'M' }).modules;
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
  return create(data, { errorCorrectionLevel: 'M' }).modules.size;
}
