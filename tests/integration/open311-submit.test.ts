// Open311 GeoReport v2 submissions and queries (issue 14 item 4): api_keys issued by the
// administrator (shown once, only a hash kept, revocable) and required for POST; a limit
// per key (429 in GeoReport's shape); form-encoded and JSON bodies; address_id; declared
// attributes checked (attribute[code], attribute[code][] for a multivaluelist), unknown
// attributes accepted and dropped; comma-separated service_code / status /
// service_request_id on GET. Refused submissions create nothing.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { startTestHub, type TestHub } from '../helpers/hub.ts';
import { signIn } from '../helpers/staff.ts';
import { issueKey, items, parseXml } from '../helpers/open311.ts';
import { OPEN311_KEY_RATE } from '../../hub/domain/open311.ts';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const count = (hub: TestHub) => (hub.ctx.db.prepare('SELECT count(*) AS n FROM complaints').get() as { n: number }).n;
const postForm = (hub: TestHub, form: URLSearchParams, ext: 'json' | 'xml' = 'json') =>
  hub.app.inject({ method: 'POST', url: `/open311/v2/requests.${ext}`, headers: FORM, payload: form.toString() });
const postJson = (hub: TestHub, payload: object, url = '/open311/v2/requests.json') => hub.app.inject({ method: 'POST', url, payload });

describe('Open311 submissions and queries', () => {
  test('api_keys: issued by the administrator only, shown once, stored as a hash, revocable', async (t) => {
    const hub = await startTestHub(t);
    const manager = await signIn(hub, 'manager');
    assert.equal((await manager.inject({ method: 'POST', url: '/api/open311/keys', payload: { label: 'x app' } })).statusCode, 403);
    assert.equal((await hub.app.inject({ method: 'GET', url: '/api/open311/keys' })).statusCode, 401);

    const { key, id } = await issueKey(hub, 'FixMyStreet Cairo');
    assert.match(key, /^[A-Za-z0-9_-]{43}$/);
    const admin = await signIn(hub, 'admin');
    const list = await admin.inject({ method: 'GET', url: '/api/open311/keys' });
    assert.equal(list.statusCode, 200);
    assert.ok(!list.body.includes(key), 'the list never shows the key');
    assert.deepEqual(list.json().map((k: { id: number; label: string; prefix: string }) => [k.id, k.label, k.prefix]), [[id, 'FixMyStreet Cairo', key.slice(0, 8)]]);
    const row = hub.ctx.db.prepare('SELECT * FROM open311_keys WHERE id = ?').get(id) as Record<string, unknown>;
    assert.equal(row.key_hash, createHash('sha256').update(key).digest('hex'));
    assert.ok(!Object.values(row).includes(key), 'only the hash is stored');
    // The audit names the key by id and prefix, never the key.
    const audit = hub.ctx.db.prepare("SELECT * FROM audit_events WHERE entity = 'open311_key'").all();
    assert.equal(audit.length, 1);
    assert.ok(!JSON.stringify(audit).includes(key));

    const payload = { api_key: key, service_code: 'CLEAN', description: 'تراكم القمامة أمام المدرسة', address_string: 'شارع المدرسة' };
    assert.equal((await postJson(hub, payload)).statusCode, 201);
    const used = (await admin.inject({ method: 'GET', url: '/api/open311/keys' })).json()[0];
    assert.equal(used.complaints, 1);
    assert.equal(typeof used.lastUsedAt, 'number');

    const revoked = await admin.inject({ method: 'POST', url: `/api/open311/keys/${id}/revoke`, payload: {} });
    assert.equal(revoked.statusCode, 200);
    assert.equal(typeof revoked.json().revokedAt, 'number');
    const refused = await postJson(hub, payload);
    assert.equal(refused.statusCode, 403);
    assert.equal(refused.json()[0].error_code, 'API_KEY_INVALID');
    assert.equal((await admin.inject({ method: 'POST', url: '/api/open311/keys/999/revoke', payload: {} })).statusCode, 404);
    assert.equal(count(hub), 1);
  });

  test('POST needs a live api_key (body or query string); without one nothing is created, in either format', async (t) => {
    const hub = await startTestHub(t);
    const { key } = await issueKey(hub);
    const base = { service_code: 'CLEAN', description: 'تراكم القمامة أمام المدرسة', address_string: 'شارع المدرسة' };
    const none = await postJson(hub, base);
    assert.equal(none.statusCode, 403);
    assert.deepEqual(Object.keys(none.json()[0]), ['code', 'description', 'description_ar', 'error_code']);
    assert.equal(none.json()[0].code, 403);
    assert.equal(none.json()[0].error_code, 'API_KEY_REQUIRED');
    const wrong = await postForm(hub, new URLSearchParams({ ...base, api_key: 'not-a-key' }), 'xml');
    assert.equal(wrong.statusCode, 403);
    const [e] = items<Record<string, string>>(parseXml(wrong.body).errors, 'error');
    assert.equal(e.code, '403');
    assert.equal(e.error_code, 'API_KEY_INVALID');
    // A key is checked before anything else: a keyless bad body still says "api_key".
    assert.equal((await postJson(hub, { service_code: 'CLEAN' })).json()[0].error_code, 'API_KEY_REQUIRED');
    assert.equal(count(hub), 0);
    // In the query string, as some clients send it.
    assert.equal((await postJson(hub, base, `/open311/v2/requests.json?api_key=${key}`)).statusCode, 201);
    assert.equal(count(hub), 1);
  });

  test('form-encoded and JSON bodies; address_id as the location; comma-separated service_code, status and ids; closing shows', async (t) => {
    const hub = await startTestHub(t);
    const { key } = await issueKey(hub);
    const form = new URLSearchParams({ api_key: key, service_code: 'CLEAN', description: 'تراكم القمامة عند تقاطع شارع الجمهورية مع شارع 26 يوليو', lat: '30.0444', long: '31.2357', first_name: 'علي', phone: '01112345678' });
    const a = await postForm(hub, form);
    assert.equal(a.statusCode, 201, a.body);
    const idA = a.json()[0].service_request_id;
    // JSON, located only by the jurisdiction's address id (spec: lat/long, address_string or address_id).
    const b = await postJson(hub, { api_key: key, service_code: 'ENG', description: 'شروخ في واجهة العقار بشارع المحطة', address_id: 'GIZA-12-4471', 'attribute[hazard]': 'cracks' });
    assert.equal(b.statusCode, 201, b.body);
    const idB = b.json()[0].service_request_id;
    const c = await postJson(hub, { api_key: key, service_code: 'LIC', description: 'محل بدون ترخيص يعمل ليلاً', address_string: 'شارع النيل' });
    const idC = c.json()[0].service_request_id;

    const one = (await hub.app.inject({ method: 'GET', url: `/open311/v2/requests/${idB}.json` })).json()[0];
    assert.equal(one.address_id, 'GIZA-12-4471');
    assert.equal(one.address, null);
    const oneA = await hub.app.inject({ method: 'GET', url: `/open311/v2/requests/${idA}.json` });
    assert.ok(!oneA.body.includes('01112345678') && !oneA.body.includes('علي'), 'no personal data');

    const ids = async (q: string) => (await hub.app.inject({ method: 'GET', url: `/open311/v2/requests.json${q}` })).json().map((r: { service_request_id: string }) => r.service_request_id).sort();
    assert.deepEqual(await ids('?service_code=CLEAN,ENG'), [idA, idB].sort());
    assert.deepEqual(await ids('?service_code=CLEAN, LIC,NOPE'), [idA, idC].sort());
    assert.deepEqual(await ids('?service_code=NOPE'), []);
    assert.deepEqual(await ids(`?service_request_id=${idA},${idC}`), [idA, idC].sort());
    assert.deepEqual(await ids('?start_date=2000-01-01T00:00:00Z&end_date=2001-01-01T00:00:00Z'), []);
    // XML too.
    const xml = await hub.app.inject({ method: 'GET', url: '/open311/v2/requests.xml?service_code=ENG,LIC' });
    assert.deepEqual(items<Record<string, string>>(parseXml(xml.body).service_requests, 'request').map((r) => r.service_request_id).sort(), [idB, idC].sort());

    // Answered in the back office: closed, with the public note; status accepts a comma list.
    const complaint = hub.ctx.complaints.byInquiry(idA)!;
    const desk = await signIn(hub, 'citizen_service');
    await desk.inject({ method: 'POST', url: `/api/complaints/${complaint.id}/forward`, payload: {} });
    const mgr = await signIn(hub, 'manager');
    await mgr.inject({ method: 'POST', url: `/api/complaints/${complaint.id}/answer`, payload: { response: 'تم الرفع', publicNote: 'تم رفع القمامة' } });
    const closed = (await hub.app.inject({ method: 'GET', url: '/open311/v2/requests.json?status=closed' })).json();
    assert.deepEqual(closed.map((x: { service_request_id: string; status_notes: string }) => [x.service_request_id, x.status_notes]), [[idA, 'تم رفع القمامة']]);
    assert.deepEqual(await ids('?status=open'), [idB, idC].sort());
    assert.deepEqual(await ids('?status=open,closed&service_code=CLEAN,LIC'), [idA, idC].sort());
    const bad = await hub.app.inject({ method: 'GET', url: '/open311/v2/requests.json?status=pending' });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json()[0].error_code, 'VALIDATION');
  });

  test('declared attributes are checked; a multivaluelist keeps its values; unknown attributes are accepted and dropped', async (t) => {
    const hub = await startTestHub(t);
    const { key } = await issueKey(hub);
    const eng = { api_key: key, service_code: 'ENG', description: 'عقار آيل للسقوط بشارع المحطة', address_string: '12 شارع المحطة' };
    const missing = await postJson(hub, eng);
    assert.equal(missing.statusCode, 400);
    assert.equal(missing.json()[0].error_code, 'VALIDATION');
    assert.match(missing.json()[0].description, /attribute\[hazard\]/);
    const wrongValue = await postJson(hub, { ...eng, 'attribute[hazard]': 'maybe' });
    assert.equal(wrongValue.statusCode, 400);
    assert.match(wrongValue.json()[0].description, /attribute\[hazard\].*unknown value maybe/);
    assert.equal(count(hub), 0);

    // Declared, an unknown one beside it, and the national ID (links the citizen: the status page works).
    const ok = await postJson(hub, { ...eng, 'attribute[hazard]': 'imminent', 'attribute[colour]': 'red', 'attribute[national_id]': '29001011234567' });
    assert.equal(ok.statusCode, 201, ok.body);
    const id = ok.json()[0].service_request_id;
    const c = hub.ctx.complaints.byInquiry(id)!;
    assert.deepEqual(c.attributes, { hazard: 'imminent' });
    assert.ok(c.citizenId !== null);
    assert.equal((await hub.app.inject({ method: 'GET', url: `/api/public/status?inquiry=${id}&nid4=4567` })).statusCode, 200);

    // A multivaluelist from a form (attribute[code][]=…) and from a JSON "attribute" object.
    const form = new URLSearchParams({ api_key: key, service_code: 'CLEAN', description: 'حرق مخلفات بجوار السور', address_string: 'سور المدرسة' });
    form.append('attribute[waste][]', 'household');
    form.append('attribute[waste][]', 'burning');
    form.append('attribute[unheard_of][]', 'x');
    const m = await postForm(hub, form);
    assert.equal(m.statusCode, 201, m.body);
    assert.deepEqual(hub.ctx.complaints.byInquiry(m.json()[0].service_request_id)!.attributes, { waste: ['household', 'burning'] });
    const j = await postJson(hub, { api_key: key, service_code: 'CLEAN', description: 'مخلفات بناء على الرصيف', address_string: 'شارع 9', attribute: { waste: ['construction'] } });
    assert.equal(j.statusCode, 201, j.body);
    assert.deepEqual(hub.ctx.complaints.byInquiry(j.json()[0].service_request_id)!.attributes, { waste: ['construction'] });
    const badMulti = new URLSearchParams({ api_key: key, service_code: 'CLEAN', description: 'مخلفات بناء على الرصيف', address_string: 'شارع 9' });
    badMulti.append('attribute[waste][]', 'construction');
    badMulti.append('attribute[waste][]', 'plutonium');
    assert.equal((await postForm(hub, badMulti)).statusCode, 400);
    assert.equal(count(hub), 3);
  });

  test('bad submissions: unknown service, no location, bad values — a clear GeoReport error, nothing created', async (t) => {
    const hub = await startTestHub(t);
    const { key } = await issueKey(hub);
    const cases: [object, string][] = [
      [{ service_code: 'NOPE', description: 'وصف كاف للمشكلة هنا', address_string: 'x' }, 'UNKNOWN_SERVICE'],
      [{ service_code: 'CLEAN', description: 'وصف كاف للمشكلة هنا' }, 'VALIDATION'],
      [{ service_code: 'CLEAN', description: 'وصف كاف للمشكلة هنا', lat: 30 }, 'VALIDATION'],
      [{ service_code: 'CLEAN', description: 'قصير', address_string: 'x' }, 'VALIDATION'],
      [{ service_code: 'CLEAN', description: 'وصف كاف للمشكلة هنا', lat: 200, long: 31 }, 'VALIDATION'],
      [{ service_code: 'CLEAN', description: 'وصف كاف للمشكلة هنا', address_string: 'x', phone: '123' }, 'INVALID_MOBILE'],
      [{ service_code: 'CLEAN', description: 'وصف كاف للمشكلة هنا', address_string: 'x', 'attribute[national_id]': '12345' }, 'INVALID_NATIONAL_ID'],
    ];
    for (const [payload, code] of cases) {
      const r = await postJson(hub, { api_key: key, ...payload });
      assert.equal(r.statusCode, 400, JSON.stringify(payload));
      const [e] = r.json();
      assert.equal(e.code, 400);
      assert.equal(e.error_code, code, JSON.stringify(payload));
      assert.ok(e.description.length > 0 && /[\u0600-\u06FF]/.test(e.description_ar));
    }
    const broken = await hub.app.inject({ method: 'POST', url: '/open311/v2/requests.xml', headers: { 'content-type': 'application/json' }, payload: '{"api_key": ' });
    assert.equal(broken.statusCode, 400);
    assert.equal(items<Record<string, string>>(parseXml(broken.body).errors, 'error')[0].code, '400');
    const plain = await hub.app.inject({ method: 'POST', url: '/open311/v2/requests.json', headers: { 'content-type': 'application/xml' }, payload: '<x/>' });
    assert.equal(plain.statusCode, 415);
    assert.equal(plain.json()[0].code, 415);
    assert.equal(count(hub), 0);
  });

  test('submissions are limited per api_key: a clear 429 in GeoReport\'s shape, other keys unaffected', async (t) => {
    const hub = await startTestHub(t);
    const { key } = await issueKey(hub, 'app one');
    const other = await issueKey(hub, 'app two');
    const payload = { api_key: key, service_code: 'CLEAN', description: 'تراكم القمامة أمام المدرسة', address_string: 'شارع المدرسة' };
    for (let i = 0; i < OPEN311_KEY_RATE.max; i++) {
      // From many addresses: the limit follows the key, not the address.
      const r = await hub.app.inject({ method: 'POST', url: '/open311/v2/requests.json', payload, remoteAddress: `127.0.0.${(i % 200) + 1}` });
      assert.equal(r.statusCode, 201, r.body);
    }
    const limited = await postJson(hub, payload);
    assert.equal(limited.statusCode, 429);
    assert.equal(limited.json()[0].code, 429);
    assert.equal(limited.json()[0].error_code, 'RATE_LIMITED');
    assert.match(limited.json()[0].description, /api_key/);
    assert.ok(Number(limited.headers['retry-after']) > 0);
    const limitedXml = await postForm(hub, new URLSearchParams(payload), 'xml');
    assert.equal(limitedXml.statusCode, 429);
    assert.equal(items<Record<string, string>>(parseXml(limitedXml.body).errors, 'error')[0].code, '429');
    assert.equal((await postJson(hub, { ...payload, api_key: other.key })).statusCode, 201);
    assert.equal(count(hub), OPEN311_KEY_RATE.max + 1);
  });
});
