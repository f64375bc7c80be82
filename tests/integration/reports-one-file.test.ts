// Issue 11 item 1: one file walked to delivery through the real HTTP API counts once in
// the execution report — received 1, decided 1, in time 1, one stay in each stage — even
// though dispatch, decide and mark-ready each carry a note for the citizen. The notes
// still reach the status page, one per change. A database written before the fix (its
// same-status duplicate events) is counted right too (service level: rows and a report).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestHub } from '../helpers/hub.ts';
import { serviceContext } from '../helpers/services.ts';
import { signIn } from '../helpers/staff.ts';
import { FakeClock } from '../helpers/clock.ts';
import { CITIZEN, expectOk, type FileReply } from './files-support.ts';

describe('one file counts once in every report', () => {
  test('one file to delivery: every figure of the execution report is one', async (t) => {
    const clock = new FakeClock(Date.parse('2026-03-01T08:00:00Z'));
    const hub = await startTestHub(t, { clock: clock.now });
    const eng = hub.ctx.catalog.departmentByCode('ENG')!;
    const free = hub.ctx.catalog.createService({
      code: 'SITE-VISIT', departmentId: eng.id, nameAr: 'طلب معاينة موقع', nameEn: 'Site visit request', legalPeriodDays: 7, periodKind: 'working',
      checklist: [{ labelAr: 'طلب المعاينة' }], fees: [],
    }, 'system');
    // Three hours between stage changes (signed in afresh each time: sessions idle out after two).
    const step = () => clock.advance(3 * 3_600_000);
    const intake = { inject: async (o: object) => (await signIn(hub, 'intake')).inject(o as never) };
    const rep = { inject: async (o: object) => (await signIn(hub, 'representative')).inject(o as never) };
    const manager = { inject: async (o: object) => (await signIn(hub, 'manager')).inject(o as never) };
    const delivery = { inject: async (o: object) => (await signIn(hub, 'delivery')).inject(o as never) };
    let f = expectOk<FileReply>(await intake.inject({ method: 'POST', url: '/api/files', payload: {
      serviceId: free.id, citizen: CITIZEN, checklist: [{ position: free.checklist[0].position, present: true }], window: null,
    } }), 201);
    step();
    f = expectOk<FileReply>(await intake.inject({ method: 'POST', url: `/api/files/${f.id}/forward`, payload: {} }));
    step();
    f = expectOk<FileReply>(await rep.inject({ method: 'POST', url: `/api/files/${f.id}/review`, payload: { fees: [], signature: 'م. خالد فؤاد' } }));
    step();
    f = expectOk<FileReply>(await manager.inject({ method: 'POST', url: `/api/files/${f.id}/approve`, payload: { signature: 'م. هشام', stamp: 'ختم المركز' } }));
    step();
    f = expectOk<FileReply>(await rep.inject({ method: 'POST', url: `/api/files/${f.id}/dispatch`, payload: {} }));
    step();
    f = expectOk<FileReply>(await rep.inject({ method: 'POST', url: `/api/files/${f.id}/decide`, payload: { decision: 'accepted', publicNote: 'تمت الموافقة على المعاينة' } }));
    step();
    f = expectOk<FileReply>(await rep.inject({ method: 'POST', url: `/api/files/${f.id}/ready`, payload: {} }));
    step();
    f = expectOk<FileReply>(await delivery.inject({ method: 'POST', url: `/api/files/${f.id}/deliver`, payload: { toName: CITIZEN.name, idDocument: 'بطاقة رقم قومي' } }));
    assert.equal(f.status, 'delivered');

    // One event per stage change.
    const events = f.events as { fromStatus: string | null; toStatus: string; publicNote: string | null }[];
    assert.equal(events.filter((e) => e.fromStatus === e.toStatus).length, 0, 'no same-status events');
    assert.deepEqual(events.map((e) => e.toStatus),
      ['registered', 'technical_review', 'reviewed', 'approved', 'with_department', 'decided', 'ready', 'delivered']);

    const r = hub.ctx.reports.execution({ from: '2026-03-01', to: '2026-03-02' }, null);
    assert.deepEqual({ ...r.totals }, { received: 1, decided: 1, delivered: 1, decidedInTime: 1, decidedInTimeRate: 100, overdueNow: 0 });
    assert.deepEqual(r.departments.map((d) => [d.received, d.decided, d.decidedInTime]), [[1, 1, 1]]);
    assert.deepEqual(r.trend.map((w) => [w.received, w.decided, w.delivered]).reduce((a, w) => a.map((x, i) => x + w[i])), [1, 1, 1]);
    const stays = Object.fromEntries(r.stages.map((s) => [s.stage, s.n]));
    assert.deepEqual(stays, { registered: 1, technical_review: 1, reviewed: 1, approved: 1, with_department: 1, decided: 1, ready: 1 });
    for (const s of r.stages) assert.equal(s.meanDays, 0.1, `${s.stage}: three hours (0.125 day), not half of it`);

    // The citizen still reads the due date, the decision's note and the ready note.
    const pub = hub.ctx.files.publicView(hub.ctx.files.find({ id: f.id })!);
    assert.deepEqual(pub.publicNotes.map((n) => n.textAr), [`موعد البت المتوقع: ${f.dueDay}`, 'تمت الموافقة على المعاينة', 'المعاملة جاهزة للتسليم']);
  });

  test('history written before the fix: same-status duplicates are not counted (service level)', async (t) => {
    const clock = new FakeClock(Date.parse('2026-03-01T08:00:00Z'));
    const ctx = await serviceContext(t, { clock: clock.now }); // rows and a report: no broker, no HTTP
    const db = ctx.db;
    const svc = db.prepare('SELECT id, department_id FROM services ORDER BY id LIMIT 1').get() as { id: number; department_id: number };
    const citizen = Number(db.prepare(
      `INSERT INTO citizens (national_id, name, birth_date, governorate_code, gender, created_at, updated_at)
     VALUES ('29001011234567', 'مواطن تجريبي', '1990-01-01', '01', 'male', 0, 0)`).run().lastInsertRowid);
    const at = (h: number) => Date.parse('2026-03-01T06:00:00Z') + h * 3_600_000;
    const id = Number(db.prepare(
      `INSERT INTO files (inquiry, service_id, department_id, citizen_id, status, due_day, registered_at, registered_by, updated_at)
     VALUES ('F-OLD', ?, ?, ?, 'ready', '2026-03-20', ?, 'test', ?)`).run(svc.id, svc.department_id, citizen, at(0), at(4)).lastInsertRowid);
    const ev = db.prepare('INSERT INTO file_events (file_id, at, actor, actor_role, action, from_status, to_status, note, public) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    ev.run(id, at(0), 'test', 'intake', 'register', null, 'registered', null, 0);
    ev.run(id, at(1), 'test', 'representative', 'dispatch', 'registered', 'with_department', null, 0);
    ev.run(id, at(1), 'test', 'representative', 'dispatch', 'with_department', 'with_department', 'موعد البت المتوقع: 2026-03-20', 1);
    ev.run(id, at(2), 'test', 'representative', 'decide', 'with_department', 'decided', null, 0);
    ev.run(id, at(2), 'test', 'representative', 'decide', 'decided', 'decided', 'قرار', 1);
    ev.run(id, at(4), 'test', 'representative', 'mark_ready', 'decided', 'ready', null, 0);
    ev.run(id, at(4), 'test', 'representative', 'mark_ready', 'ready', 'ready', 'المعاملة جاهزة للتسليم', 1);
    const r = ctx.reports.execution({ from: '2026-03-01', to: '2026-03-01' }, null);
    assert.equal(r.totals.decided, 1);
    assert.equal(r.totals.decidedInTime, 1);
    assert.deepEqual(Object.fromEntries(r.stages.map((s) => [s.stage, s.n])), { registered: 1, with_department: 1, decided: 1 });
    const decided = r.stages.find((s) => s.stage === 'decided')!;
    assert.equal(decided.meanDays, 0.1, 'decided for 2 h (0.083 day), from the change, not from the note (0)');
  });
});
