import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestHub } from '../helpers/hub.ts';
import { signIn } from '../helpers/staff.ts';
import { FakeClock } from '../helpers/clock.ts';
import { parseInquiry } from '../../hub/domain/inquiry-number.ts';

const CITIZEN = { nationalId: '29001011234567', name: 'محمود عبد الرحمن علي', mobile: '01012345678' };

describe('complaints', () => {
  test('complaint lifecycle: registered → with department → answered → closed, with due date, history and audit', async (t) => {
    const clock = new FakeClock(Date.parse('2026-03-01T08:00:00Z')); // Sunday, 10:00 Cairo
    const hub = await startTestHub(t, { clock: clock.now });
    const desk = await signIn(hub, 'citizen_service');
    const eng = hub.ctx.catalog.departmentByCode('ENG')!;

    const bad = await desk.inject({ method: 'POST', url: '/api/complaints', payload: { citizen: { ...CITIZEN, nationalId: '19001011234567' }, departmentId: eng.id, subject: 'مخلفات بناء', body: 'مخلفات بناء في الشارع' } });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.code, 'INVALID_NATIONAL_ID');
    assert.equal((hub.ctx.db.prepare('SELECT count(*) AS n FROM complaints').get() as { n: number }).n, 0);

    const reg = await desk.inject({ method: 'POST', url: '/api/complaints', payload: { citizen: CITIZEN, departmentId: eng.id, subject: 'مخلفات بناء أمام المنزل', body: 'يوجد مخلفات بناء منذ أسبوعين أمام العقار رقم 5 شارع النيل' } });
    assert.equal(reg.statusCode, 201, reg.body);
    const c = reg.json();
    assert.equal(c.status, 'registered');
    assert.ok(parseInquiry(c.inquiry, 'C'), 'inquiry number with valid check digits');
    assert.match(c.inquiryDisplay, /^C-2026-000001-\d\d$/);
    // 15 working days from Sunday 1 March (no holidays in between) → Thursday 19 March is Eid in the demo holidays → ...
    assert.equal(c.dueDay, hub.ctx.catalog.due(clock.ms, 15, 'working').day);
    assert.ok(c.dueDay > '2026-03-19');

    // The same citizen again: found, not duplicated.
    const again = await desk.inject({ method: 'POST', url: '/api/complaints', payload: { citizen: CITIZEN, departmentId: eng.id, subject: 'إنارة الشارع', body: 'أعمدة الإنارة لا تعمل' } });
    assert.equal(again.statusCode, 201);
    assert.equal(again.json().citizenId, c.citizenId);
    assert.match(again.json().inquiryDisplay, /^C-2026-000002-/);
    assert.equal((hub.ctx.db.prepare('SELECT count(*) AS n FROM citizens').get() as { n: number }).n, 1);

    // Answering before forwarding is an invalid transition.
    const rep = await signIn(hub, 'representative'); // ENG
    const early = await rep.inject({ method: 'POST', url: `/api/complaints/${c.id}/answer`, payload: { response: 'تم الحل' } });
    assert.equal(early.statusCode, 409);
    assert.equal(early.json().error.code, 'INVALID_TRANSITION');

    const fwd = await desk.inject({ method: 'POST', url: `/api/complaints/${c.id}/forward`, payload: { note: 'للمعاينة', version: c.version } });
    assert.equal(fwd.statusCode, 200, fwd.body);
    assert.equal(fwd.json().status, 'with_department');
    // A stale version is refused.
    const stale = await rep.inject({ method: 'POST', url: `/api/complaints/${c.id}/answer`, payload: { response: 'تم الرفع', version: c.version } });
    assert.equal(stale.statusCode, 409);
    assert.equal(stale.json().error.code, 'STALE_UPDATE');

    clock.advance(3 * 86_400_000);
    // Three days on, yesterday's sessions have expired: both sign in again.
    const rep2 = await signIn(hub, 'representative');
    const desk2 = await signIn(hub, 'citizen_service');
    const ans = await rep2.inject({ method: 'POST', url: `/api/complaints/${c.id}/answer`, payload: { response: 'تمت المعاينة ورفع المخلفات بمعرفة الحي', publicNote: 'تم رفع المخلفات', version: fwd.json().version } });
    assert.equal(ans.statusCode, 200, ans.body);
    assert.equal(ans.json().status, 'answered');

    // Only the citizen service window or the manager closes.
    const repClose = await rep2.inject({ method: 'POST', url: `/api/complaints/${c.id}/close`, payload: {} });
    assert.equal(repClose.statusCode, 403);
    const closed = await desk2.inject({ method: 'POST', url: `/api/complaints/${c.id}/close`, payload: {} });
    assert.equal(closed.statusCode, 200);
    assert.equal(closed.json().status, 'closed');
    const twice = await desk2.inject({ method: 'POST', url: `/api/complaints/${c.id}/close`, payload: {} });
    assert.equal(twice.statusCode, 409);

    const detail = (await desk2.inject({ method: 'GET', url: `/api/complaints/${c.id}` })).json();
    // The answer has two events: the internal response and the note for the citizen.
    assert.deepEqual(detail.events.map((e: { toStatus: string; public: boolean }) => `${e.toStatus}${e.public ? '*' : ''}`),
      ['registered', 'with_department', 'answered', 'answered*', 'closed']);
    // Overdue is computed against the due day.
    assert.equal(detail.overdue, false);
    const actions = hub.ctx.audit.history('complaint', c.id).map((e) => e.action);
    assert.deepEqual(actions, ['complaint.register', 'complaint.forward', 'complaint.answer', 'complaint.close']);
    assert.equal(hub.ctx.audit.verify().ok, true);
  });

  test('department scope: a representative sees and answers only their departments\' complaints', async (t) => {
    const hub = await startTestHub(t);
    const desk = await signIn(hub, 'citizen_service');
    const eng = hub.ctx.catalog.departmentByCode('ENG')!;
    const lic = hub.ctx.catalog.departmentByCode('LIC')!;
    const mk = async (departmentId: number) => {
      const r = await desk.inject({ method: 'POST', url: '/api/complaints', payload: { citizen: CITIZEN, departmentId, subject: 'شكوى تجريبية', body: 'نص الشكوى التجريبية' } });
      assert.equal(r.statusCode, 201, r.body);
      await desk.inject({ method: 'POST', url: `/api/complaints/${r.json().id}/forward`, payload: {} });
      return r.json().id as number;
    };
    const engId = await mk(eng.id);
    const licId = await mk(lic.id);

    const engRep = await signIn(hub, 'representative'); // ENG only
    const licRep = await signIn(hub, 'representative2'); // LIC, PROP
    const engList = (await engRep.inject({ method: 'GET', url: '/api/complaints' })).json();
    assert.deepEqual(engList.map((c: { id: number }) => c.id), [engId]);
    const other = await engRep.inject({ method: 'GET', url: `/api/complaints/${licId}` });
    assert.equal(other.statusCode, 403);
    assert.equal(other.json().error.code, 'OUT_OF_SCOPE');
    const answerOther = await engRep.inject({ method: 'POST', url: `/api/complaints/${licId}/answer`, payload: { response: 'ليس من اختصاصي' } });
    assert.equal(answerOther.statusCode, 403);
    assert.equal(hub.ctx.complaints.find(licId)!.status, 'with_department');
    const ok = await licRep.inject({ method: 'POST', url: `/api/complaints/${licId}/answer`, payload: { response: 'تم التفتيش على المحل' } });
    assert.equal(ok.statusCode, 200);

    // The supervisor (ENG + LIC) sees both; the manager sees all.
    const sup = await signIn(hub, 'supervisor');
    assert.equal((await sup.inject({ method: 'GET', url: '/api/complaints' })).json().length, 2);
    const mgr = await signIn(hub, 'manager');
    assert.equal((await mgr.inject({ method: 'GET', url: '/api/complaints' })).json().length, 2);
  });

  test('the manager\'s surprise inspection returns the full history and is recorded', async (t) => {
    const hub = await startTestHub(t);
    const desk = await signIn(hub, 'citizen_service');
    const r = await desk.inject({ method: 'POST', url: '/api/complaints', payload: { citizen: CITIZEN, departmentId: 1, subject: 'تسرب مياه', body: 'تسرب مياه في الشارع الرئيسي' } });
    const id = r.json().id;
    await desk.inject({ method: 'POST', url: `/api/complaints/${id}/forward`, payload: {} });
    const mgr = await signIn(hub, 'manager');
    const ins = await mgr.inject({ method: 'POST', url: '/api/inspections', payload: { entity: 'complaint', entityId: id, note: 'تفتيش مفاجئ' } });
    assert.equal(ins.statusCode, 201, ins.body);
    const body = ins.json();
    assert.equal(body.record.id, id);
    assert.deepEqual(body.history.map((e: { action: string }) => e.action), ['complaint.register', 'complaint.forward', 'inspection']);
    // By inquiry number too.
    const byNo = await mgr.inject({ method: 'POST', url: '/api/inspections', payload: { entity: 'complaint', entityId: r.json().inquiryDisplay } });
    assert.equal(byNo.statusCode, 201);
    assert.equal((await mgr.inject({ method: 'POST', url: '/api/inspections', payload: { entity: 'complaint', entityId: 9999 } })).statusCode, 404);
    assert.equal((await mgr.inject({ method: 'POST', url: '/api/inspections', payload: { entity: 'spaceship', entityId: 1 } })).statusCode, 400);
    assert.equal((await desk.inject({ method: 'POST', url: '/api/inspections', payload: { entity: 'complaint', entityId: id } })).statusCode, 403);
    assert.equal((hub.ctx.db.prepare('SELECT count(*) AS n FROM inspections').get() as { n: number }).n, 2);
  });
});
