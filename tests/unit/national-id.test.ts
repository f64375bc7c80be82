import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeMobile, parseNationalId } from '../../hub/domain/national-id.ts';

const NOW = Date.parse('2026-03-02T10:00:00Z');
//            C YY MM DD GG SSSS X
const id = (c: string, yymmdd: string, gg: string, seq: string, x = '1') => `${c}${yymmdd}${gg}${seq}${x}`;

describe('Egyptian national IDs', () => {
  test('valid IDs: century, birth date, governorate and gender from the 13th digit', () => {
    const a = parseNationalId(id('2', '900101', '12', '3456'), NOW);
    assert.ok(a.ok);
    assert.equal(a.info.birthDate, '1990-01-01');
    assert.equal(a.info.governorateCode, '12');
    assert.equal(a.info.governorate.en, 'Dakahlia');
    assert.equal(a.info.gender, 'female'); // 13th digit 6: even

    const b = parseNationalId(id('3', '050229', '01', '0013'), NOW); // 2005-02-29 does not exist
    assert.equal(b.ok, false);
    const c = parseNationalId(id('3', '040229', '01', '0013'), NOW); // 2004-02-29 exists
    assert.ok(c.ok);
    assert.equal(c.info.birthDate, '2004-02-29');
    assert.equal(c.info.gender, 'male');
    assert.equal(c.info.governorate.ar, 'القاهرة');

    const abroad = parseNationalId(id('2', '751231', '88', '1112'), NOW);
    assert.ok(abroad.ok);
    assert.equal(abroad.info.governorate.en, 'Born abroad');
    // Arabic-Indic digits as typed on an Arabic keyboard, with spaces.
    const arabic = parseNationalId('٢٩٠٠١٠١ ١٢٣٤٥٦٧', NOW);
    assert.ok(arabic.ok);
    assert.equal(arabic.info.nationalId, '29001011234567');
    // Born today is fine.
    assert.ok(parseNationalId(id('3', '260302', '21', '0001'), NOW).ok);
  });

  test('invalid IDs are refused with a reason', () => {
    const cases: [string, string][] = [
      ['2900101123456', 'FORMAT'], // 13 digits
      ['290010112345678', 'FORMAT'], // 15
      ['2900101123456a', 'FORMAT'],
      [id('1', '900101', '12', '3456'), 'CENTURY'],
      [id('4', '900101', '12', '3456'), 'CENTURY'],
      [id('2', '901301', '12', '3456'), 'BIRTH_DATE'], // month 13
      [id('2', '900100', '12', '3456'), 'BIRTH_DATE'], // day 0
      [id('2', '900431', '12', '3456'), 'BIRTH_DATE'], // 31 April
      [id('2', '000229', '12', '3456'), 'BIRTH_DATE'], // 1900 was not a leap year
      [id('3', '260303', '12', '3456'), 'FUTURE_BIRTH'], // tomorrow
      [id('3', '300101', '12', '3456'), 'FUTURE_BIRTH'],
      [id('2', '900101', '05', '3456'), 'GOVERNORATE'],
      [id('2', '900101', '20', '3456'), 'GOVERNORATE'],
      [id('2', '900101', '00', '3456'), 'GOVERNORATE'],
    ];
    for (const [input, code] of cases) {
      const r = parseNationalId(input, NOW);
      assert.equal(r.ok, false, input);
      assert.equal(!r.ok && r.error.code, code, input);
      assert.ok(!r.ok && /[\u0600-\u06FF]/.test(r.error.ar), 'Arabic message');
    }
  });

  test('no invented checksum: any last digit is accepted', () => {
    for (let x = 0; x <= 9; x++) assert.ok(parseNationalId(id('2', '900101', '12', '3456', String(x)), NOW).ok);
  });

  test('Egyptian mobile numbers', () => {
    assert.equal(normalizeMobile('01012345678'), '01012345678');
    assert.equal(normalizeMobile('+201112345678'), '01112345678');
    assert.equal(normalizeMobile('00201212345678'), '01212345678');
    assert.equal(normalizeMobile('٠١٥١٢٣٤٥٦٧٨'), '01512345678');
    assert.equal(normalizeMobile('0151 234 5678'), '01512345678');
    assert.equal(normalizeMobile('01312345678'), null); // no 013 operator
    assert.equal(normalizeMobile('0101234567'), null);
    assert.equal(normalizeMobile('0223456789'), null); // landline
  });
});
