import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestHub } from '../helpers/hub.ts';
import { signIn } from '../helpers/staff.ts';
import { FakeClock } from '../helpers/clock.ts';

const citizens = [
  { nationalId: '29001011234567', name: 'حسن علي حسن' },
  { nationalId: '28505152101234', name: 'فاطمة أحمد محمود' },
  { nationalId: '30012011300021', name: 'كريم سامي عبده' },
];

describe('citizen meetings with officials', () => {
  test('public meeting day: capacity, no double registration, printable list in order, outcomes', async (t) => {
    const clock = new FakeClock(Date.parse('2026-03-01T08:00:00Z'));
    const hub = await startTestHub(t, { clock: clock.now });
    const desk = await signIn(hub, 'citizen_service');

    const past = await desk.inject({ method: 'POST', url: '/api/meetings', payload: { day: '2026-02-01', titleAr: 'لقاء', capacity: 2 } });
    assert.equal(past.statusCode, 400);
    const m = await desk.inject({ method: 'POST', url: '/api/meetings', payload: { day: '2026-03-04', titleAr: 'لقاء السيد رئيس الحي بالجماهير', capacity: 2 } });
    assert.equal(m.statusCode, 201, m.body);
    const meeting = m.json();
    assert.equal((await desk.inject({ method: 'POST', url: '/api/meetings', payload: { day: '2026-03-04', titleAr: 'مكرر', capacity: 5 } })).statusCode, 409);

    const register = (i: number, subject = 'طلب رصف الشارع') =>
      desk.inject({ method: 'POST', url: `/api/meetings/${meeting.id}/registrations`, payload: { citizen: citizens[i], subject } });
    const first = await register(0);
    assert.equal(first.statusCode, 201, first.body);
    assert.equal(first.json().position, 1);
    const dup = await register(0, 'موضوع آخر');
    assert.equal(dup.statusCode, 409);
    assert.equal(dup.json().error.code, 'ALREADY_REGISTERED');
    assert.equal((await register(1, 'شكوى من تأخر ترخيص')).json().position, 2);
    const full = await register(2);
    assert.equal(full.statusCode, 409);
    assert.equal(full.json().error.code, 'MEETING_FULL');
    const badId = await desk.inject({ method: 'POST', url: `/api/meetings/${meeting.id}/registrations`, payload: { citizen: { nationalId: '29013011234567', name: 'اسم' }, subject: 'موضوع' } });
    assert.equal(badId.statusCode, 400);

    // Capacity cannot drop below the registered count.
    assert.equal((await desk.inject({ method: 'PATCH', url: `/api/meetings/${meeting.id}`, payload: { capacity: 1 } })).statusCode, 409);

    const list = await desk.inject({ method: 'GET', url: `/api/meetings/${meeting.id}/list` });
    assert.equal(list.statusCode, 200);
    const printable = list.json();
    assert.equal(printable.meeting.registered, 2);
    assert.deepEqual(printable.registrations.map((r: { position: number; citizenName: string; nationalIdLast4: string }) => [r.position, r.citizenName, r.nationalIdLast4]),
      [[1, 'حسن علي حسن', '4567'], [2, 'فاطمة أحمد محمود', '1234']]);
    assert.ok(!list.body.includes('29001011234567'), 'the printed list does not carry full national IDs');

    // Outcome only once the day has come.
    const regId = printable.registrations[0].id;
    const early = await desk.inject({ method: 'POST', url: `/api/meetings/${meeting.id}/registrations/${regId}/outcome`, payload: { outcome: 'أحيل إلى الإدارة الهندسية' } });
    assert.equal(early.statusCode, 409);
    clock.set(Date.parse('2026-03-04T09:00:00Z'));
    const mgr = await signIn(hub, 'manager');
    const out = await mgr.inject({ method: 'POST', url: `/api/meetings/${meeting.id}/registrations/${regId}/outcome`, payload: { outcome: 'وجه السيد رئيس الحي برصف الشارع خلال شهر' } });
    assert.equal(out.statusCode, 200, out.body);
    assert.equal(out.json().outcome, 'وجه السيد رئيس الحي برصف الشارع خلال شهر');
    assert.equal((await mgr.inject({ method: 'PATCH', url: `/api/meetings/${meeting.id}`, payload: { status: 'held' } })).json().status, 'held');
    // Registration is closed once held.
    assert.equal((await mgr.inject({ method: 'POST', url: `/api/meetings/${meeting.id}/registrations`, payload: { citizen: citizens[2], subject: 'متأخر' } })).json().error.code, 'MEETING_CLOSED');

    const actions = hub.ctx.audit.history('meeting', meeting.id).map((e) => e.action);
    assert.deepEqual(actions, ['meeting.create', 'meeting.register', 'meeting.register', 'meeting.outcome', 'meeting.update']);
    // A cashier may not register citizens for the meeting.
    const cashier = await signIn(hub, 'cashier');
    assert.equal((await cashier.inject({ method: 'GET', url: '/api/meetings' })).statusCode, 403);
  });

  test('concurrent registrations never exceed capacity', async (t) => {
    const hub = await startTestHub(t);
    const desk = await signIn(hub, 'citizen_service');
    const day = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    const meeting = (await desk.inject({ method: 'POST', url: '/api/meetings', payload: { day, titleAr: 'لقاء', capacity: 2 } })).json();
    const results = await Promise.all(citizens.map((c) => desk.inject({ method: 'POST', url: `/api/meetings/${meeting.id}/registrations`, payload: { citizen: c, subject: 'موضوع اللقاء' } })));
    assert.deepEqual(results.map((r) => r.statusCode).sort(), [201, 201, 409]);
    assert.equal((hub.ctx.db.prepare('SELECT count(*) AS n FROM meeting_registrations').get() as { n: number }).n, 2);
  });
});
