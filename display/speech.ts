// The spoken hall call, as a list of short clips: "التذكرة رقم" + letter + number in
// words + "شباك رقم" + window in words. Pure: each clip is a key and the Arabic text the
// voice is made from, so clips are generated once (audio.ts) and any call is a sequence.
export type Clip = { key: string; text: string };

export const PHRASES = {
  ticket: { key: 'p-ticket', text: 'التذكرة رقم' },
  window: { key: 'p-window', text: 'شباك رقم' },
  recall: { key: 'p-recall', text: 'نداء مرة أخرى' },
} satisfies Record<string, Clip>;

/** The Latin ticket letters as an Egyptian caller says them. */
const LETTERS: Record<string, string> = {
  A: 'إيه', B: 'بي', C: 'سي', D: 'دي', E: 'إي', F: 'إف', G: 'جي', H: 'إتش', I: 'آي', J: 'جيه', K: 'كيه', L: 'إل', M: 'إم',
  N: 'إن', O: 'أو', P: 'بي', Q: 'كيو', R: 'آر', S: 'إس', T: 'تي', U: 'يو', V: 'في', W: 'دبليو', X: 'إكس', Y: 'واي', Z: 'زد',
};

const UNITS = ['', 'واحد', 'اثنان', 'ثلاثة', 'أربعة', 'خمسة', 'ستة', 'سبعة', 'ثمانية', 'تسعة', 'عشرة',
  'أحد عشر', 'اثنا عشر', 'ثلاثة عشر', 'أربعة عشر', 'خمسة عشر', 'ستة عشر', 'سبعة عشر', 'ثمانية عشر', 'تسعة عشر'];
const TENS = ['', '', 'عشرون', 'ثلاثون', 'أربعون', 'خمسون', 'ستون', 'سبعون', 'ثمانون', 'تسعون'];
const HUNDREDS = ['', 'مئة', 'مئتان', 'ثلاثمئة', 'أربعمئة', 'خمسمئة', 'ستمئة', 'سبعمئة', 'ثمانمئة', 'تسعمئة'];
const THOUSANDS = ['', 'ألف', 'ألفان', 'ثلاثة آلاف', 'أربعة آلاف', 'خمسة آلاف', 'ستة آلاف', 'سبعة آلاف', 'ثمانية آلاف', 'تسعة آلاف'];

const num = (n: number, text: string, withWa: boolean): Clip =>
  withWa ? { key: `wa-n-${n}`, text: 'و' + text } : { key: `n-${n}`, text };

/**
 * 1..9999 in Arabic words, largest part first, joined by "و" (the "و" is part of the
 * next clip so it is spoken as one word: ألف ومئتان وأربعة وثلاثون).
 */
export function numberClips(n: number): Clip[] {
  if (!Number.isInteger(n) || n < 0 || n > 9999) throw new RangeError(`cannot say ${n}`);
  if (n === 0) return [{ key: 'n-0', text: 'صفر' }];
  const parts: [number, string][] = [];
  const th = Math.floor(n / 1000), h = Math.floor((n % 1000) / 100), rest = n % 100;
  if (th) parts.push([th * 1000, THOUSANDS[th]]);
  if (h) parts.push([h * 100, HUNDREDS[h]]);
  if (rest && rest < 20) parts.push([rest, UNITS[rest]]);
  else if (rest) {
    const u = rest % 10, t = rest - u;
    // Arabic says the unit before the ten: خمسة وعشرون.
    if (u) parts.push([u, UNITS[u]]);
    parts.push([t, TENS[t / 10]]);
  }
  return parts.map(([value, text], i) => num(value, text, i > 0));
}

export function letterClip(letter: string): Clip {
  const text = LETTERS[letter];
  if (!text) throw new RangeError(`no spoken name for ticket letter ${letter}`);
  return { key: `l-${letter}`, text };
}

/** The chime is synthesized, not spoken (see audio.ts). */
export const CHIME: Clip = { key: 'chime', text: '' };

/** The full call: chime, ticket, window. Throws on a ticket it cannot say (never sent by the hub). */
export function announcementClips(a: { ticket: string; window: number; recall?: boolean }): Clip[] {
  const m = /^([A-Z])0*(\d+)$/.exec(a.ticket);
  if (!m) throw new RangeError(`cannot say ticket ${a.ticket}`);
  return [
    CHIME,
    ...(a.recall ? [PHRASES.recall] : []),
    PHRASES.ticket,
    letterClip(m[1]),
    ...numberClips(Number(m[2])),
    PHRASES.window,
    ...numberClips(a.window),
  ];
}

/** Every clip any call can need (numbers up to 9999 are made of these parts). */
export function allClips(): Clip[] {
  const out = new Map<string, Clip>();
  const add = (c: Clip) => out.set(c.key, c);
  Object.values(PHRASES).forEach(add);
  Object.keys(LETTERS).forEach((l) => add(letterClip(l)));
  add({ key: 'n-0', text: 'صفر' });
  const values = [
    ...UNITS.map((_, i) => i).filter((i) => i > 0),
    ...TENS.map((_, i) => i * 10).filter((v) => v >= 20),
    ...HUNDREDS.map((_, i) => i * 100).filter((v) => v > 0),
    ...THOUSANDS.map((_, i) => i * 1000).filter((v) => v > 0),
  ];
  for (const v of values) {
    const text = v < 20 ? UNITS[v] : v < 100 ? TENS[v / 10] : v < 1000 ? HUNDREDS[v / 100] : THOUSANDS[v / 1000];
    add(num(v, text, false));
    add(num(v, text, true));
  }
  return [...out.values()];
}
