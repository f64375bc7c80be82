// The one Arabic number-agreement helper (protocol/arabic-plural.ts) that the ticket, the
// panels, the TV and the reports share (issue 11, item 14): CLDR's Arabic categories,
// written out, and the center's nouns in each of them.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { aheadIn, arabicPluralCategory, countAr, countIn, NOUNS } from '../../protocol/arabic-plural.ts';

describe('Arabic number agreement', () => {
  test('the categories follow CLDR\'s Arabic rule, and Intl agrees', () => {
    const intl = new Intl.PluralRules('ar');
    for (let n = 0; n <= 1200; n++) assert.equal(arabicPluralCategory(n), intl.select(n), `n = ${n}`);
  });

  test('minutes, days, people, tickets and pounds agree with their number', () => {
    const m = NOUNS.minute.ar;
    assert.deepEqual([0, 1, 2, 3, 10, 11, 99, 100, 101, 102, 103, 111].map((n) => countAr(n, m)), [
      'أقل من دقيقة', 'دقيقة واحدة', 'دقيقتان', '3 دقائق', '10 دقائق', '11 دقيقة', '99 دقيقة', '100 دقيقة', '101 دقيقة', '102 دقيقة', '103 دقائق', '111 دقيقة',
    ]);
    const d = NOUNS.day.ar;
    assert.deepEqual([1, 2, 5, 15, 30, 200].map((n) => countAr(n, d)), ['يوم واحد', 'يومان', '5 أيام', '15 يومًا', '30 يومًا', '200 يوم']);
    assert.equal(countAr(2, NOUNS.dayGenitive.ar), 'يومين');
    assert.equal(countAr(2, NOUNS.minuteGenitive.ar), 'دقيقتين');
    assert.equal(countAr(7, NOUNS.ticket.ar), '7 تذاكر');
    assert.equal(countAr(25, NOUNS.pound.ar), '25 جنيهًا');
    assert.equal(countAr(4.5, m), '4.5 دقيقة', 'a fraction takes the singular');
    assert.equal(countAr(5, m, (s) => s.replace(/\d/g, (x) => '٠١٢٣٤٥٦٧٨٩'[Number(x)])), '٥ دقائق', 'Arabic-Indic digits on the TV');
    assert.equal(countIn('en', 1, 'minute'), '1 minute');
    assert.equal(countIn('en', 3, 'day'), '3 days');
  });

  test('people ahead: never "أمامك 0"', () => {
    assert.deepEqual([0, 1, 2, 7, 23, 100].map((n) => aheadIn('ar', n)), [
      'لا أحد أمامك', 'أمامك شخص واحد', 'أمامك شخصان', 'أمامك 7 أشخاص', 'أمامك 23 شخصًا', 'أمامك 100 شخص',
    ]);
    assert.equal(aheadIn('en', 0), 'Nobody ahead of you');
  });
});
