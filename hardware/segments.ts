// 7-segment characters for the MAX7219 in no-decode mode (bit 7 = DP, bits 6..0 = A..G).
// The font is johnny-five's own (Led.DIGIT_CHARS) plus '-', which it lacks; what a
// segment pattern reads back as is the first character with that pattern (digits first,
// so a 7-segment 'O' reads as '0'). Ticket letters B, D and R use their lower-case forms:
// johnny-five's upper-case ones are an 8, a 0 and an A, which would misread a ticket.
import ledChars from 'johnny-five/lib/led/led-chars.js';

const { DIGIT_CHARS } = ledChars;

const FONT: Record<string, number> = { ...DIGIT_CHARS, B: 0x1f, D: 0x3d, R: 0x05, '-': 0x01, '_': 0x08 };
delete FONT[':']; // 0xFF lights everything: not a character a board should show
delete FONT['.'];
delete FONT['!'];

const READ_BACK = new Map<number, string>();
for (const [ch, code] of Object.entries(FONT)) if (!READ_BACK.has(code)) READ_BACK.set(code, ch);

/** Segments for one character; unknown characters are blank (never garbage). */
export function segmentsOf(ch: string): number {
  return FONT[ch] ?? 0;
}

export function charOfSegments(code: number): string {
  return READ_BACK.get(code & 0x7f) ?? '?';
}

/** Fit text to a width: right-aligned and space-padded, so a shorter text overwrites every old digit. */
export function fitDigits(text: string, width: number): string {
  const chars = [...text];
  return (chars.length > width ? chars.slice(chars.length - width) : chars).join('').padStart(width, ' ');
}

/** How a text reads back from the segments ('O' → '0', 'B' → '8'), for tests and the simulator. */
export function looksLike(text: string): string {
  return [...text].map((c) => charOfSegments(segmentsOf(c))).join('');
}
