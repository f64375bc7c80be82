// The Egyptian national ID (الرقم القومي): 14 digits
//   C YYMMDD GG SSSS X
//   C     century: 2 → 1900s, 3 → 2000s
//   YYMMDD birth date (a real date, not in the future)
//   GG    governorate of birth registration (88 = born abroad)
//   SSSS  sequence; its last digit (the 13th of the ID) is odd for males, even for females
//   X     a check digit whose algorithm is not published: it is not checked here.
// Pure: the clock (for "not in the future") is passed in.
import { localDay } from './time.ts';

export const GOVERNORATES: Record<string, { ar: string; en: string }> = {
  '01': { ar: 'القاهرة', en: 'Cairo' },
  '02': { ar: 'الإسكندرية', en: 'Alexandria' },
  '03': { ar: 'بورسعيد', en: 'Port Said' },
  '04': { ar: 'السويس', en: 'Suez' },
  '11': { ar: 'دمياط', en: 'Damietta' },
  '12': { ar: 'الدقهلية', en: 'Dakahlia' },
  '13': { ar: 'الشرقية', en: 'Sharqia' },
  '14': { ar: 'القليوبية', en: 'Qalyubia' },
  '15': { ar: 'كفر الشيخ', en: 'Kafr El Sheikh' },
  '16': { ar: 'الغربية', en: 'Gharbia' },
  '17': { ar: 'المنوفية', en: 'Monufia' },
  '18': { ar: 'البحيرة', en: 'Beheira' },
  '19': { ar: 'الإسماعيلية', en: 'Ismailia' },
  '21': { ar: 'الجيزة', en: 'Giza' },
  '22': { ar: 'بني سويف', en: 'Beni Suef' },
  '23': { ar: 'الفيوم', en: 'Fayoum' },
  '24': { ar: 'المنيا', en: 'Minya' },
  '25': { ar: 'أسيوط', en: 'Asyut' },
  '26': { ar: 'سوهاج', en: 'Sohag' },
  '27': { ar: 'قنا', en: 'Qena' },
  '28': { ar: 'أسوان', en: 'Aswan' },
  '29': { ar: 'الأقصر', en: 'Luxor' },
  '31': { ar: 'البحر الأحمر', en: 'Red Sea' },
  '32': { ar: 'الوادي الجديد', en: 'New Valley' },
  '33': { ar: 'مطروح', en: 'Matrouh' },
  '34': { ar: 'شمال سيناء', en: 'North Sinai' },
  '35': { ar: 'جنوب سيناء', en: 'South Sinai' },
  '88': { ar: 'مواليد خارج الجمهورية', en: 'Born abroad' },
};

export type NationalIdInfo = {
  nationalId: string;
  birthDate: string; // YYYY-MM-DD
  governorateCode: string;
  governorate: { ar: string; en: string };
  gender: 'male' | 'female';
};

export type NationalIdError = { code: 'FORMAT' | 'CENTURY' | 'BIRTH_DATE' | 'FUTURE_BIRTH' | 'GOVERNORATE'; ar: string; en: string };

export type NationalIdResult = { ok: true; info: NationalIdInfo } | { ok: false; error: NationalIdError };

const ARABIC_DIGITS = /[\u0660-\u0669\u06F0-\u06F9]/g;

/**
 * What copy-paste from a printed or on-screen Arabic form carries besides the characters:
 * direction marks (LRM, RLM, ALM, embeddings and isolates), zero-width characters, the
 * soft hyphen and the tatweel.
 */
const INVISIBLE = /[\u00AD\u0640\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g;
/** Every dash a word processor or a browser may put in place of '-': hyphens, en and em dashes, minus signs. */
const DASHES = /[-\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]/g;

/**
 * Arabic-Indic and Persian digits → ASCII; spaces (any, no-break included), dashes and
 * invisible marks removed — as typed at a window or pasted from a printed form.
 */
export function normalizeDigits(input: string): string {
  return input
    .replace(ARABIC_DIGITS, (d) => String((d.charCodeAt(0) & 0xf) % 10))
    .replace(INVISIBLE, '')
    .replace(DASHES, '')
    .replace(/\s/g, '');
}

export function parseNationalId(input: string, now: number, timeZone = 'Africa/Cairo'): NationalIdResult {
  const id = normalizeDigits(input);
  const fail = (code: NationalIdError['code'], ar: string, en: string): NationalIdResult => ({ ok: false, error: { code, ar, en } });
  if (!/^\d{14}$/.test(id)) return fail('FORMAT', 'الرقم القومي يجب أن يتكون من 14 رقماً', 'A national ID has 14 digits');
  const century = id[0] === '2' ? 1900 : id[0] === '3' ? 2000 : 0;
  if (!century) return fail('CENTURY', 'الرقم القومي يجب أن يبدأ بـ 2 أو 3', 'A national ID starts with 2 or 3');
  const year = century + Number(id.slice(1, 3));
  const month = Number(id.slice(3, 5));
  const day = Number(id.slice(5, 7));
  const date = new Date(Date.UTC(year, month - 1, day));
  if (month < 1 || month > 12 || day < 1 || date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return fail('BIRTH_DATE', 'تاريخ الميلاد في الرقم القومي غير صحيح', 'The birth date in the ID is not a real date');
  }
  const birthDate = date.toISOString().slice(0, 10);
  if (birthDate > localDay(now, timeZone)) return fail('FUTURE_BIRTH', 'تاريخ الميلاد في الرقم القومي في المستقبل', 'The birth date in the ID is in the future');
  const governorateCode = id.slice(7, 9);
  const governorate = GOVERNORATES[governorateCode];
  if (!governorate) return fail('GOVERNORATE', 'كود المحافظة في الرقم القومي غير معروف', 'Unknown governorate code in the ID');
  const gender = Number(id[12]) % 2 === 1 ? 'male' : 'female';
  return { ok: true, info: { nationalId: id, birthDate, governorateCode, governorate, gender } };
}

/** Egyptian mobile: 01 then 0, 1, 2 or 5, then 8 digits (+20 / 0020 prefixes accepted). Returns the 11-digit form or null. */
export function normalizeMobile(input: string): string | null {
  let m = normalizeDigits(input).replace(/[()]/g, '');
  if (m.startsWith('+20')) m = '0' + m.slice(3);
  else if (m.startsWith('0020')) m = '0' + m.slice(4);
  return /^01[0125]\d{8}$/.test(m) ? m : null;
}
