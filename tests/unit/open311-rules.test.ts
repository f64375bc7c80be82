// The pure Open311 rules (hub/domain/open311.ts): each datatype of a declared attribute
// checked as GeoReport v2's "GET Service Definition" defines it, unknown codes set aside,
// and the answer's language from Accept-Language (Arabic unless English is preferred).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkAttributes, pickLang, serviceAttributes, type AttributeDef } from '../../hub/domain/open311.ts';
import { DomainError } from '../../hub/domain/errors.ts';

const t = { ar: 'س', en: 'x' };
const DEFS: AttributeDef[] = [
  { code: 'n', datatype: 'number', required: false, order: 1, description: t, datatypeDescription: null },
  { code: 'when', datatype: 'datetime', required: false, order: 2, description: t, datatypeDescription: null },
  { code: 'one', datatype: 'singlevaluelist', required: true, order: 3, description: t, datatypeDescription: null, values: [{ key: 'a', name: t }, { key: 'b', name: t }] },
  { code: 'many', datatype: 'multivaluelist', required: false, order: 4, description: t, datatypeDescription: null, values: [{ key: 'a', name: t }, { key: 'b', name: t }] },
  { code: 'note', datatype: 'text', required: false, order: 5, description: t, datatypeDescription: null },
];

const refused = (raw: Record<string, string | string[]>): string[] => {
  try {
    checkAttributes(DEFS, raw);
  } catch (e) {
    assert.ok(e instanceof DomainError);
    assert.equal(e.code, 'VALIDATION');
    return (e.details ?? []).map((d) => d.path);
  }
  return [];
};

describe('Open311 attribute rules', () => {
  test('declared attributes: each datatype checked, required enforced, unknown codes set aside', () => {
    assert.deepEqual(checkAttributes(DEFS, { n: '12.5', when: '2026-11-30T10:00:00+02:00', one: 'b', many: ['a', 'b', 'a'], note: ' long text ', zzz: 'q' }),
      { values: { n: '12.5', when: '2026-11-30T10:00:00+02:00', one: 'b', many: ['a', 'b'], note: 'long text' }, ignored: ['zzz'] });
    assert.deepEqual(checkAttributes(DEFS, { one: 'a', many: 'b' }).values, { one: 'a', many: ['b'] });
    assert.deepEqual(refused({}), ['/attribute[one]']);
    assert.deepEqual(refused({ one: '  ' }), ['/attribute[one]']);
    assert.deepEqual(refused({ one: 'c' }), ['/attribute[one]']);
    assert.deepEqual(refused({ one: ['a', 'b'] }), ['/attribute[one]'], 'a singlevaluelist takes one value');
    assert.deepEqual(refused({ one: 'a', n: 'twelve' }), ['/attribute[n]']);
    assert.deepEqual(refused({ one: 'a', when: '2026-11-30' }), ['/attribute[when]'], 'a datetime carries its offset');
    assert.deepEqual(refused({ one: 'a', many: ['a', 'z'] }), ['/attribute[many]']);
    assert.deepEqual(refused({ one: 'a', note: 'x'.repeat(4001) }), ['/attribute[note]']);
    assert.deepEqual(refused({ n: 'x', one: 'z' }), ['/attribute[n]', '/attribute[one]'], 'every problem at once');
  });

  test('every service declares the national ID; ENG and CLEAN declare their lists', () => {
    assert.deepEqual(serviceAttributes('LEGAL').map((a) => a.code), ['national_id']);
    assert.deepEqual(serviceAttributes('ENG').map((a) => [a.code, a.datatype, a.required]), [['national_id', 'string', false], ['hazard', 'singlevaluelist', true]]);
    assert.deepEqual(serviceAttributes('CLEAN').map((a) => [a.code, a.datatype]), [['national_id', 'string'], ['waste', 'multivaluelist']]);
  });

  test('the answer\'s language: Arabic unless the client prefers English', () => {
    const cases: [string | undefined, 'ar' | 'en'][] = [
      [undefined, 'ar'], ['', 'ar'], ['en', 'en'], ['en-GB', 'en'], ['EN-us,en;q=0.9', 'en'], ['ar-EG,ar;q=0.9,en;q=0.8', 'ar'],
      ['fr-FR, en;q=0.5', 'en'], ['fr', 'ar'], ['en;q=0.2, ar;q=0.9', 'ar'], ['ar;q=0, en', 'en'], ['en;q=0, fr', 'ar'], ['*', 'ar'],
    ];
    for (const [header, want] of cases) assert.equal(pickLang(header), want, String(header));
  });
});
