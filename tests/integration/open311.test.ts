import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestHub } from '../helpers/hub.ts';
import { signIn } from '../helpers/staff.ts';
import { OPEN311_SUBMISSIONS } from '../../hub/routes/open311/routes.ts';

const REQUEST_KEYS = ['address', 'address_id', 'agency_responsible', 'description', 'expected_datetime', 'lat', 'long', 'media_url', 'requested_datetime',
  'service_code', 'service_name', 'service_notice', 'service_request_id', 'status', 'status_notes', 'updated_datetime', 'zipcode'];

test('GeoReport v2: services, submit (form and JSON), list, one request', async (t) => {
  const hub = await startTestHub(t);
  const services = await hub.app.inject({ method: 'GET', url: '/open311/v2/services.json' });
  assert.equal(services.statusCode, 200);
  const list = services.json();
  assert.ok(list.length >= 4);
  for (const s of list) assert.deepEqual(Object.keys(s).sort(), ['description', 'group', 'keywords', 'metadata', 'service_code', 'service_name', 'type']);
  assert.ok(list.some((s: { service_code: string }) => s.service_code === 'CLEAN'));

  // Form-encoded, as GeoReport clients send it.
  const form = new URLSearchParams({ service_code: 'CLEAN', description: 'تراكم القمامة عند تقاطع شارع الجمهورية مع شارع 26 يوليو', lat: '30.0444', long: '31.2357', first_name: 'علي', phone: '01112345678' });
  const sub = await hub.app.inject({ method: 'POST', url: '/open311/v2/requests.json', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: form.toString() });
  assert.equal(sub.statusCode, 201, sub.body);
  const [created] = sub.json();
  assert.match(created.service_request_id, /^C-\d{4}-\d{6}-\d{2}$/);
  assert.equal(created.account_id, null);

  // JSON with a national ID: linked to the citizen, so the status page works too.
  const json = await hub.app.inject({ method: 'POST', url: '/open311/v2/requests.json', payload: { service_code: 'ENG', description: 'عقار آيل للسقوط بشارع المحطة', address_string: '12 شارع المحطة', 'attribute[national_id]': '29001011234567' } });
  assert.equal(json.statusCode, 201, json.body);
  const id2 = json.json()[0].service_request_id;
  assert.equal((await hub.app.inject({ method: 'GET', url: `/api/public/status?inquiry=${id2}&nid4=4567` })).statusCode, 200);

  const one = await hub.app.inject({ method: 'GET', url: `/open311/v2/requests/${created.service_request_id}.json` });
  assert.equal(one.statusCode, 200);
  const [r] = one.json();
  assert.deepEqual(Object.keys(r).sort(), REQUEST_KEYS);
  assert.equal(r.status, 'open');
  assert.equal(r.service_code, 'CLEAN');
  assert.equal(r.lat, 30.0444);
  assert.match(r.requested_datetime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0[23]:00$/);
  assert.ok(!one.body.includes('01112345678') && !one.body.includes('علي'), 'no personal data');

  // Closing it in the back office shows as closed, with the public note.
  const complaint = hub.ctx.complaints.byInquiry(created.service_request_id)!;
  const desk = await signIn(hub, 'citizen_service');
  await desk.inject({ method: 'POST', url: `/api/complaints/${complaint.id}/forward`, payload: {} });
  const mgr = await signIn(hub, 'manager');
  await mgr.inject({ method: 'POST', url: `/api/complaints/${complaint.id}/answer`, payload: { response: 'تم الرفع', publicNote: 'تم رفع القمامة' } });
  const all = (await hub.app.inject({ method: 'GET', url: '/open311/v2/requests.json' })).json();
  assert.equal(all.length, 2);
  const closed = (await hub.app.inject({ method: 'GET', url: '/open311/v2/requests.json?status=closed' })).json();
  assert.deepEqual(closed.map((x: { service_request_id: string; status_notes: string }) => [x.service_request_id, x.status_notes]), [[created.service_request_id, 'تم رفع القمامة']]);
  const byCode = (await hub.app.inject({ method: 'GET', url: '/open311/v2/requests.json?service_code=ENG' })).json();
  assert.equal(byCode.length, 1);
  const byIds = (await hub.app.inject({ method: 'GET', url: `/open311/v2/requests.json?service_request_id=${created.service_request_id},${id2}` })).json();
  assert.equal(byIds.length, 2);
  const since = (await hub.app.inject({ method: 'GET', url: '/open311/v2/requests.json?start_date=2000-01-01T00:00:00Z&end_date=2001-01-01T00:00:00Z' })).json();
  assert.deepEqual(since, []);
  const badDate = await hub.app.inject({ method: 'GET', url: '/open311/v2/requests.json?start_date=yesterday' });
  assert.equal(badDate.statusCode, 400);
  assert.equal(badDate.json()[0].error_code, 'VALIDATION');
});

test('GeoReport v2 errors: unknown service, no location, bad values, unknown request; nothing is created', async (t) => {
  const hub = await startTestHub(t);
  const post = (payload: object) => hub.app.inject({ method: 'POST', url: '/open311/v2/requests.json', payload, remoteAddress: `10.0.0.${Math.floor(Math.random() * 200)}` });
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
    const r = await post(payload);
    assert.equal(r.statusCode, 400, JSON.stringify(payload));
    const [e] = r.json();
    assert.equal(e.code, 400);
    assert.equal(e.error_code, code, JSON.stringify(payload));
    assert.ok(e.description.length > 0 && /[\u0600-\u06FF]/.test(e.description_ar));
  }
  assert.equal((hub.ctx.db.prepare('SELECT count(*) AS n FROM complaints').get() as { n: number }).n, 0);
  const missing = await hub.app.inject({ method: 'GET', url: '/open311/v2/requests/C-2026-000001-00.json' });
  assert.equal(missing.statusCode, 404);
  assert.equal(missing.json()[0].code, 404);
});

test('GeoReport v2 submissions are rate-limited per address', async (t) => {
  const hub = await startTestHub(t);
  const payload = { service_code: 'CLEAN', description: 'تراكم القمامة أمام المدرسة', address_string: 'شارع المدرسة' };
  for (let i = 0; i < OPEN311_SUBMISSIONS.max; i++) {
    assert.equal((await hub.app.inject({ method: 'POST', url: '/open311/v2/requests.json', payload })).statusCode, 201);
  }
  const limited = await hub.app.inject({ method: 'POST', url: '/open311/v2/requests.json', payload });
  assert.equal(limited.statusCode, 429);
  assert.equal(limited.json()[0].error_code, 'RATE_LIMITED');
  assert.equal((hub.ctx.db.prepare('SELECT count(*) AS n FROM complaints').get() as { n: number }).n, OPEN311_SUBMISSIONS.max);
});
