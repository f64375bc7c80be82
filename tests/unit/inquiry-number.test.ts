// Inquiry numbers: the check digits refuse every single-character substitution and every
// adjacent transposition, so a typo never lands on someone else's case.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkDigits, COMPLAINT_PREFIX, displayInquiry, FILE_PREFIX, formatInquiry, parseInquiry } from '../../hub/domain/inquiry-number.ts';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Every variant with one character replaced (digits by digits, letters by letters or digits). */
function substitutions(s: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length; i++) {
    for (const c of /\d/.test(s[i]) ? '0123456789' : ALPHABET) if (c !== s[i]) out.push(s.slice(0, i) + c + s.slice(i + 1));
  }
  return out;
}

function transpositions(s: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < s.length; i++) if (s[i] !== s[i + 1]) out.push(s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2));
  return out;
}

describe('inquiry numbers', () => {
  test('format → parse round trip, with the prefix as a parameter', () => {
    const f = formatInquiry(FILE_PREFIX, 2026, 123);
    assert.match(f, /^F2026000123\d\d$/);
    assert.deepEqual(parseInquiry(f), { prefix: 'F', year: 2026, seq: 123, canonical: f });
    const c = formatInquiry(COMPLAINT_PREFIX, 2026, 123);
    assert.equal(c.slice(0, 11), 'C2026000123');
    assert.notEqual(c.slice(-2), f.slice(-2), 'the prefix takes part in the check');
    assert.equal(parseInquiry(c, 'C')?.seq, 123);
    assert.equal(parseInquiry(c, 'F'), null, 'another kind\'s number is not a file number');
    assert.equal(formatInquiry('XY', 2030, 1_234_567).length, 2 + 4 + 7 + 2, 'past a million the sequence grows');
    assert.equal(parseInquiry(formatInquiry('XY', 2030, 1_234_567))?.seq, 1_234_567);
  });

  test('the whole number is 1 modulo 97 (ISO 7064 MOD 97-10)', () => {
    const body = 'F2026000042';
    const n = BigInt(body.replace('F', '15') + checkDigits(body));
    assert.equal(n % 97n, 1n);
  });

  test('typed forms: hyphens, spaces, lower case and Arabic-Indic digits are the same number', () => {
    const f = formatInquiry('F', 2026, 7);
    const shown = displayInquiry(f);
    assert.match(shown, /^F-2026-000007-\d\d$/);
    assert.equal(parseInquiry(shown)?.canonical, f);
    assert.equal(parseInquiry(` f ${f.slice(1, 5)} ${f.slice(5)} `)?.canonical, f);
    const arabic = f.replace(/\d/g, (d) => String.fromCharCode(0x0660 + Number(d)));
    assert.equal(parseInquiry(arabic)?.canonical, f);
  });

  test('malformed numbers are refused', () => {
    const f = formatInquiry('F', 2026, 7);
    for (const bad of ['', 'F', '2026000007', f.slice(0, -1), f + '0', 'F20260000070', 'F-2026-7-00', '١٢', 'F2026 000007 9x', 'x'.repeat(60)]) {
      assert.equal(parseInquiry(bad), null, bad);
    }
    // Leading zeros beyond six digits would be a second spelling of the same number.
    const body = 'F20260000007';
    assert.equal(parseInquiry(body + checkDigits(body)), null);
    assert.throws(() => formatInquiry('f', 2026, 1));
    assert.throws(() => formatInquiry('F', 2026, 0));
  });

  test('every single substitution and adjacent transposition of valid numbers is rejected', () => {
    let checked = 0;
    for (const [prefix, year, seq] of [['F', 2026, 1], ['F', 2026, 123_456], ['C', 2027, 908_070], ['F', 2099, 999_999], ['AB', 2026, 42], ['F', 2026, 1_000_001]] as const) {
      const valid = formatInquiry(prefix, year, seq);
      assert.ok(parseInquiry(valid), valid);
      for (const typo of [...substitutions(valid), ...transpositions(valid)]) {
        const p = parseInquiry(typo);
        assert.equal(p, null, `${typo} (from ${valid}) was accepted as ${p?.canonical}`);
        checked++;
      }
    }
    assert.ok(checked > 900, `checked ${checked} typos`);
  });

  test('numbers of a year are all distinct and all valid', () => {
    const seen = new Set<string>();
    for (let i = 1; i <= 5000; i++) {
      const n = formatInquiry('F', 2026, i);
      assert.ok(parseInquiry(n));
      seen.add(n);
    }
    assert.equal(seen.size, 5000);
  });

  test('a number copied from a printed or on-screen form is read as typed (issue 11, item 12)', () => {
    const f = formatInquiry(FILE_PREFIX, 2026, 1);
    const printed = displayInquiry(f); // F-2026-000001-42
    const arabic = (s: string) => s.replace(/\d/g, (d) => '٠١٢٣٤٥٦٧٨٩'[Number(d)]);
    for (const pasted of [
      printed,
      printed.toLowerCase(),
      printed.replace(/-/g, ' '),
      printed.replace(/-/g, '\u2013'), // en dash (a word processor's)
      printed.replace(/-/g, '\u2014'), // em dash
      printed.replace(/-/g, '\u2212'), // minus sign
      printed.replace(/-/g, '\u2011'), // no-break hyphen
      printed.replace(/-/g, ' \u00a0-\u00a0 '), // no-break spaces around
      `\u200f${printed}\u200e`, // direction marks from an Arabic page
      `\u2066${printed}\u2069`, // isolates
      arabic(printed),
      `  ${arabic(printed).toLowerCase().replace(/-/g, '\u2013')}\u061c `,
    ]) {
      assert.equal(parseInquiry(pasted)?.canonical, f, JSON.stringify(pasted));
    }
    // Still refused: a wrong digit, whatever the wrapping.
    assert.equal(parseInquiry(`\u200f${printed.replace(/2$/, '3')}`), null);
  });
});
