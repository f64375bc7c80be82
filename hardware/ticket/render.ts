// The ticket as the printer gets it (58 mm = 384 dots, 80 mm = 576): center, the line's
// Arabic name, the number large, people ahead, estimated wait, date and time in
// Africa/Cairo, footer. Arabic is shaped and laid out right-to-left by Skia (@napi-rs/canvas)
// in the Cairo family from @fontsource/cairo and sent as raster, because printer code pages
// cannot shape or join it; the big number is Latin and goes as text in the printer's own
// font, scaled (a few bytes instead of ~4.5 KB of raster: the job stays near 9 KB, under a
// second on the wire at 115200 baud; the QR code of the ticket's live page, when the hub sends
// a link, is drawn by the printer from GS ( k: about 100 bytes and a line of caption). Floyd–Steinberg dithering turns the gray
// anti-aliasing into dots. Same input, same fonts → same pixels (the golden test relies on it).
import { createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import type { MonoImage, PaperWidth, PrintDoc, TicketContent } from '../types.ts';
import { FAMILY_AR, FAMILY_LATIN, loadFonts } from './fonts.ts';
import { composeDoc } from './compose.ts';
import { aheadIn, countAr, NOUNS } from '@shubbak/protocol/arabic-plural';
import { qrModules } from './qr.ts';
import { MAX_QR_MODULE_DOTS } from '../printer/escpos.ts';

export const PAPER_DOTS: Record<PaperWidth, number> = { '58mm': 384, '80mm': 576 };

/** Scale of the printer font for the number: 6 × (12 × 24) dots a character on 80 mm, 4 × on 58 mm. */
export const NUMBER_SCALE: Record<PaperWidth, number> = { '58mm': 4, '80mm': 6 };

const font = (weight: number, px: number) => `${weight} ${Math.round(px)}px "${FAMILY_AR}", "${FAMILY_LATIN}"`;

export function formatCairoTime(epochMs: number, timeZone = 'Africa/Cairo'): { date: string; time: string } {
  // Latin digits: they match the ticket number and read the same to everyone at the window.
  const date = new Intl.DateTimeFormat('ar-EG-u-nu-latn', { timeZone, day: '2-digit', month: '2-digit', year: 'numeric' }).format(epochMs);
  const time = new Intl.DateTimeFormat('ar-EG-u-nu-latn', { timeZone, hour: 'numeric', minute: '2-digit', hour12: true }).format(epochMs);
  return { date, time };
}

/** People ahead, in agreement (protocol/arabic-plural.ts): "لا أحد أمامك" rather than "أمامك 0". */
export function aheadText(ahead: number): string {
  return aheadIn('ar', ahead);
}

export function waitText(minutes: number): string {
  const m = Math.max(0, Math.round(minutes));
  if (m === 0) return 'الانتظار المتوقع: أقل من دقيقة';
  return `الانتظار المتوقع: نحو ${countAr(m, NOUNS.minuteGenitive.ar)}`;
}

/** Splits text into lines that fit maxWidth at the current font (words kept whole). */
function wrap(g: SKRSContext2D, text: string, maxWidth: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word;
    if (line && g.measureText(candidate).width > maxWidth) {
      lines.push(line);
      line = word;
    } else line = candidate;
  }
  if (line) lines.push(line);
  return lines;
}

/** Floyd–Steinberg from 8-bit gray (RGBA red channel) to packed 1-bit, 1 = black. */
export function ditherToMono(rgba: Uint8ClampedArray | Uint8Array, width: number, height: number): MonoImage {
  const gray = new Float32Array(width * height);
  for (let i = 0; i < gray.length; i++) gray[i] = rgba[i * 4];
  const stride = Math.ceil(width / 8);
  const data = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const source = rgba[i * 4];
      // Paper white and full black are exact: error is spread only among gray (anti-aliased)
      // dots, so it never wanders across the blank paper into other lines.
      const exact = source === 0 || source === 255;
      const old = gray[i];
      const black = exact ? source === 0 : old < 128;
      if (black) data[y * stride + (x >> 3)] |= 0x80 >> (x & 7);
      if (exact) continue;
      const err = old - (black ? 0 : 255);
      if (x + 1 < width) gray[i + 1] += (err * 7) / 16;
      if (y + 1 < height) {
        if (x > 0) gray[i + width - 1] += (err * 3) / 16;
        gray[i + width] += (err * 5) / 16;
        if (x + 1 < width) gray[i + width + 1] += err / 16;
      }
    }
  }
  return { width, height, data };
}

/** A 1-bit image as a black-on-white PNG (fixtures, the simulator page). */
export function monoToPng(image: MonoImage): Buffer {
  const canvas = createCanvas(image.width, Math.max(1, image.height));
  const g = canvas.getContext('2d');
  const out = g.createImageData(image.width, Math.max(1, image.height));
  const stride = Math.ceil(image.width / 8);
  for (let y = 0; y < image.height; y++)
    for (let x = 0; x < image.width; x++) {
      const v = image.data[y * stride + (x >> 3)] & (0x80 >> (x & 7)) ? 0 : 255;
      const o = (y * image.width + x) * 4;
      out.data[o] = out.data[o + 1] = out.data[o + 2] = v;
      out.data[o + 3] = 255;
    }
  g.putImageData(out, 0, 0);
  return canvas.toBuffer('image/png');
}

/**
 * The ticket as the printer gets it, and as its picture: the print job's blocks (ticketDoc),
 * the whole ticket as one 1-bit image (what the printer will put on paper) and that image as a
 * PNG — for tests, fixtures and the simulator's page.
 */
export function renderTicket(content: TicketContent, paper: PaperWidth): { image: MonoImage; png: Buffer; doc: PrintDoc } {
  const doc = ticketDoc(content, paper);
  const image = composeDoc(doc);
  return { image, png: monoToPng(image), doc };
}

/**
 * The print job's blocks only: what a kiosk sends to its printer. The kiosk does not need the
 * whole-ticket image or its PNG (a second canvas of the ticket's full height, a per-pixel copy
 * and a PNG encoding for every ticket, thrown away: issue 16's render time and issue 10's
 * kiosk memory).
 */
export function ticketDoc(content: TicketContent, paper: PaperWidth): PrintDoc {
  loadFonts();
  const width = PAPER_DOTS[paper];
  const s = width / 576; // layout is drawn for 80 mm and scaled
  const margin = Math.round(16 * s);
  const inner = width - 2 * margin;

  // A raster part: drawn on its own canvas, cut to the rows it used.
  const part = (maxHeight: number, draw: (p: Painter) => void): MonoImage => {
    const canvas = createCanvas(width, Math.round(maxHeight * s));
    const g = canvas.getContext('2d');
    g.fillStyle = '#fff';
    g.fillRect(0, 0, canvas.width, canvas.height);
    g.fillStyle = '#000';
    g.strokeStyle = '#000';
    g.textAlign = 'center';
    g.textBaseline = 'alphabetic';
    g.direction = 'rtl';
    const p = new Painter(g, width, s, margin, inner);
    draw(p);
    const height = Math.min(canvas.height, p.y);
    const pixels = g.getImageData(0, 0, width, height).data;
    // Give Skia's surface back now (a resize frees it): ~1 MB of native memory a part, which
    // otherwise waits for V8 to collect the small canvas object that holds it — after a few
    // tickets, several MB of a kiosk's resident memory (issue 10).
    canvas.width = canvas.height = 1;
    return ditherToMono(pixels, width, height);
  };

  const top = part(400, (p) => {
    p.y = Math.round(8 * s);
    p.text(content.center, 700, 26);
    p.rule();
    p.text(content.lineName, 700, 34, 0.1);
    p.y += Math.round(12 * s);
  });
  const bottom = part(600, (p) => {
    p.y = Math.round(6 * s);
    if (content.priority) p.badge('أولوية');
    p.text(aheadText(content.ahead), 700, 28, 0.1);
    p.text(waitText(content.estimatedWaitMin), 400, 26);
    p.rule();
  });
  const tail = part(500, (p) => {
    if (content.link) {
      p.text('امسح الرمز لمتابعة دورك على هاتفك', 400, 22);
      p.rule();
    }
    const { date, time } = formatCairoTime(content.issuedAt, content.timeZone);
    p.text(`التاريخ ${date}  •  الساعة ${time}`, 400, 24);
    p.text(content.footer, 400, 22, 0.6);
    p.y += Math.round(8 * s);
  });
  // The number: the one thing read from a distance, in the printer's font (Latin, left to right).
  // The ticket's live page on the phone (issue 14 item 1): a QR code of its public link, drawn by
  // the printer from GS ( k (hardware/ticket/qr.ts): about 6 dots a module on 80 mm (0.75 mm at
  // 203 dpi), 4 on 58 mm — phones read it, and the job stays within its byte budget.
  const blocks: PrintDoc['blocks'] = [
    { kind: 'raster', image: top },
    { kind: 'text', text: printableNumber(content.number), scale: NUMBER_SCALE[paper] },
    { kind: 'raster', image: bottom },
  ];
  if (content.link) blocks.push({ kind: 'qr', data: content.link, moduleDots: Math.min(MAX_QR_MODULE_DOTS, Math.max(4, Math.floor((200 * s) / qrModules(content.link)))) });
  blocks.push({ kind: 'raster', image: tail });
  return { width, blocks };
}

/** The ticket number as the printer's font can print it (letters and digits; anything else dropped). */
function printableNumber(n: string): string {
  return n.replace(/[^0-9A-Za-z-]/g, '').slice(0, 8) || '?';
}

/** Draws centered right-to-left lines, rules and badges down a canvas. */
class Painter {
  y = 0;
  constructor(
    private readonly g: SKRSContext2D,
    private readonly width: number,
    private readonly s: number,
    private readonly margin: number,
    private readonly inner: number,
  ) {}

  text(t: string, weight: number, px: number, gap = 0.35): void {
    const { g, s } = this;
    if (!t.trim()) return;
    g.font = font(weight, px * s);
    for (const line of wrap(g, t, this.inner)) {
      this.y += Math.round(px * s * 1.25);
      g.fillText(line, this.width / 2, this.y, this.inner);
    }
    this.y += Math.round(px * s * gap);
  }

  rule(): void {
    const { g, s } = this;
    this.y += Math.round(6 * s);
    g.lineWidth = Math.max(2, Math.round(3 * s));
    g.beginPath();
    g.moveTo(this.margin, this.y);
    g.lineTo(this.width - this.margin, this.y);
    g.stroke();
    this.y += Math.round(8 * s);
  }

  badge(label: string): void {
    const { g, s } = this;
    const mid = this.width / 2;
    g.font = font(700, 28 * s);
    const w = g.measureText(label).width + 40 * s;
    const h = Math.round(44 * s);
    g.fillRect(mid - w / 2, this.y, w, h);
    g.fillStyle = '#fff';
    g.fillText(label, mid, this.y + Math.round(33 * s));
    g.fillStyle = '#000';
    this.y += h + Math.round(10 * s);
  }
}
