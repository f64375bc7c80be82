// Arabic number agreement (العدد والمعدود), the one helper every screen and printout uses:
// the printed ticket (hardware/ticket/render.ts), the staff panels, the hall TV and the
// reports. Lives in protocol/ because the hub's panels and the device programs both import
// it; it imports nothing and runs in Node and in the browser alike.
//
// The rule is CLDR's Arabic plural rule (the categories Intl.PluralRules('ar') returns),
// written out so the result never depends on the ICU data of the machine:
//   0 → zero ("لا أحد أمامك", or "0 دقيقة")       1 → one   ("دقيقة واحدة")
//   2 → two  ("دقيقتان")                            n % 100 in 3..10  → few  ("3 دقائق")
//   n % 100 in 11..99 → many ("11 دقيقة", "15 يومًا")  otherwise (100, 102, ...) → other ("100 يوم")
// Nouns are declared once as typed forms (Shoelace-style translations: a count goes in,
// the whole phrase comes out), so a screen never glues a digit to a fixed word.

export type PluralCategory = 'zero' | 'one' | 'two' | 'few' | 'many' | 'other';

/**
 * The forms of a counted noun. `one` and `two` are whole phrases (the number is not
 * written: "يومان", not "2 يوم"); the others follow the number. `zero`, when given, is a
 * whole phrase too ("لا أحد أمامك"); otherwise zero reads "0 <other>".
 */
export type ArabicNoun = { zero?: string; one: string; two: string; few: string; many: string; other: string };

export function arabicPluralCategory(n: number): PluralCategory {
  const i = Math.abs(Math.trunc(n));
  if (i === 0) return 'zero';
  if (i === 1) return 'one';
  if (i === 2) return 'two';
  const r = i % 100;
  if (r >= 3 && r <= 10) return 'few';
  if (r >= 11 && r <= 99) return 'many';
  return 'other';
}

/**
 * The count with its noun in agreement: countAr(1, NOUNS.minute) → "دقيقة واحدة",
 * countAr(5, NOUNS.day) → "5 أيام", countAr(15, NOUNS.day) → "15 يومًا". `digits` formats
 * the number (Arabic-Indic on the hall TV); Latin digits by default. A fraction takes
 * the `other` form ("4.5 دقيقة").
 */
export function countAr(n: number, noun: ArabicNoun, digits: (s: string) => string = (s) => s): string {
  // A fraction ("4.5 دقيقة") takes the singular, as a measure does.
  if (!Number.isInteger(n)) return `${digits(String(n))} ${noun.other}`;
  const i = n;
  const cat = arabicPluralCategory(i);
  if (cat === 'zero') return noun.zero ?? `${digits('0')} ${noun.other}`;
  if (cat === 'one') return noun.one;
  if (cat === 'two') return noun.two;
  return `${digits(String(i))} ${noun[cat]}`;
}

/** English counterpart for the English toggle: "1 minute", "3 minutes". */
export type EnglishNoun = { zero?: string; one: string; other: string };
export function countEn(n: number, noun: EnglishNoun): string {
  const i = n;
  if (i === 0 && noun.zero) return noun.zero;
  return `${i} ${i === 1 ? noun.one : noun.other}`;
}

/** The nouns the center counts, Arabic and English side by side. */
export const NOUNS = {
  /** Subject form: "الانتظار المتوقع دقيقتان". */
  minute: { ar: { zero: 'أقل من دقيقة', one: 'دقيقة واحدة', two: 'دقيقتان', few: 'دقائق', many: 'دقيقة', other: 'دقيقة' }, en: { zero: 'under a minute', one: 'minute', other: 'minutes' } },
  /** After a preposition or "نحو" (genitive): "نحو دقيقتين". */
  minuteGenitive: { ar: { zero: 'أقل من دقيقة', one: 'دقيقة واحدة', two: 'دقيقتين', few: 'دقائق', many: 'دقيقة', other: 'دقيقة' }, en: { zero: 'under a minute', one: 'minute', other: 'minutes' } },
  day: { ar: { one: 'يوم واحد', two: 'يومان', few: 'أيام', many: 'يومًا', other: 'يوم' }, en: { one: 'day', other: 'days' } },
  dayGenitive: { ar: { one: 'يوم واحد', two: 'يومين', few: 'أيام', many: 'يومًا', other: 'يوم' }, en: { one: 'day', other: 'days' } },
  person: { ar: { zero: 'لا أحد', one: 'شخص واحد', two: 'شخصان', few: 'أشخاص', many: 'شخصًا', other: 'شخص' }, en: { zero: 'nobody', one: 'person', other: 'people' } },
  ticket: { ar: { one: 'تذكرة واحدة', two: 'تذكرتان', few: 'تذاكر', many: 'تذكرة', other: 'تذكرة' }, en: { one: 'ticket', other: 'tickets' } },
  file: { ar: { one: 'ملف واحد', two: 'ملفان', few: 'ملفات', many: 'ملفًا', other: 'ملف' }, en: { one: 'file', other: 'files' } },
  pound: { ar: { one: 'جنيه واحد', two: 'جنيهان', few: 'جنيهات', many: 'جنيهًا', other: 'جنيه' }, en: { one: 'pound', other: 'pounds' } },
} satisfies Record<string, { ar: ArabicNoun; en: EnglishNoun }>;
export type NounName = keyof typeof NOUNS;

/** A count in the given language with its noun in agreement. */
export function countIn(lang: 'ar' | 'en', n: number, noun: NounName, digits?: (s: string) => string): string {
  return lang === 'ar' ? countAr(n, NOUNS[noun].ar, digits) : countEn(n, NOUNS[noun].en);
}

/** People ahead in the line, as the ticket and the reception's printout say it: never "أمامك 0". */
export function aheadIn(lang: 'ar' | 'en', n: number, digits?: (s: string) => string): string {
  const i = Math.max(0, Math.trunc(n));
  if (lang === 'en') return i === 0 ? 'Nobody ahead of you' : `${countEn(i, NOUNS.person.en)} ahead of you`;
  return i === 0 ? 'لا أحد أمامك' : `أمامك ${countAr(i, NOUNS.person.ar, digits)}`;
}
