// Inquiry numbers (رقم الاستعلام) for files and complaints: a prefix letter, the year, a
// sequence within the year, and two check digits by ISO 7064 MOD 97-10 (the IBAN scheme).
// MOD 97-10 catches every single-character substitution and every adjacent transposition,
// so a mistyped number is refused rather than matched to someone else's case. Pure.
//
// Canonical form (stored, compared): 'F' + '2026' + '000123' + '45' → 'F202600012345'.
// Printed form: 'F-2026-000123-45'. Citizens may type either, with Arabic digits.
import { normalizeDigits } from './national-id.ts';

/** Case files (معاملات). */
export const FILE_PREFIX = 'F';
/** Complaints (شكاوى). */
export const COMPLAINT_PREFIX = 'C';

const SEQ_WIDTH = 6;

export type Inquiry = { prefix: string; year: number; seq: number; canonical: string };

/** Letters count as two digits (A=10 … Z=35), as in ISO 13616, so the prefix is checked too. */
function numeric(body: string): string {
  return body.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
}

/** The remainder of a long decimal string modulo 97, a few digits at a time. */
function mod97(digits: string): number {
  let r = 0;
  for (let i = 0; i < digits.length; i += 7) r = Number(String(r) + digits.slice(i, i + 7)) % 97;
  return r;
}

/** The two check digits for a body (prefix + year + sequence). */
export function checkDigits(body: string): string {
  return String(98 - mod97(numeric(body) + '00')).padStart(2, '0');
}

function assertPrefix(prefix: string): void {
  if (!/^[A-Z]{1,3}$/.test(prefix)) throw new Error(`inquiry prefix must be 1-3 capital letters, got ${JSON.stringify(prefix)}`);
}

/** The canonical inquiry number for the n-th case of a year. */
export function formatInquiry(prefix: string, year: number, seq: number): string {
  assertPrefix(prefix);
  if (!Number.isInteger(year) || year < 2000 || year > 9999) throw new Error(`bad inquiry year ${year}`);
  if (!Number.isInteger(seq) || seq < 1) throw new Error(`bad inquiry sequence ${seq}`);
  const body = `${prefix}${year}${String(seq).padStart(SEQ_WIDTH, '0')}`;
  return body + checkDigits(body);
}

/** 'F202600012345' → 'F-2026-000123-45' for printing on forms and receipts. */
export function displayInquiry(canonical: string): string {
  const m = /^([A-Z]{1,3})(\d{4})(\d{6,})(\d{2})$/.exec(canonical);
  return m ? `${m[1]}-${m[2]}-${m[3]}-${m[4]}` : canonical;
}

/**
 * Read an inquiry number as typed (spaces, hyphens, Arabic digits, lower case allowed).
 * Null when the form is wrong or the check digits do not match; with `prefix`, also null
 * for another kind's number.
 */
export function parseInquiry(raw: string, prefix?: string): Inquiry | null {
  if (typeof raw !== 'string' || raw.length > 40) return null;
  const s = normalizeDigits(raw).toUpperCase();
  const m = /^([A-Z]{1,3})(\d{4})(\d{6,9})(\d{2})$/.exec(s);
  if (!m) return null;
  const [, p, y, n] = m;
  if (prefix !== undefined && p !== prefix) return null;
  // The check: the whole number, letters expanded, is 1 modulo 97.
  if (mod97(numeric(s)) !== 1) return null;
  const seq = Number(n);
  // One spelling per number: an over-long sequence only when it does not fit in six digits.
  if (seq < 1 || (n.length > SEQ_WIDTH && n.startsWith('0'))) return null;
  return { prefix: p, year: Number(y), seq, canonical: s };
}
