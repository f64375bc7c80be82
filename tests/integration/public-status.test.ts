import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestHub } from '../helpers/hub.ts';
import { signIn } from '../helpers/staff.ts';
import { formatInquiry } from '../../hub/domain/inquiry-number.ts';
import { STATUS_LOOKUPS_PER_MINUTE } from '../../hub/routes/public/routes.ts';

const NID = '29001011234567';

describe('the public status of a file', () => {
  test('status by inquiry number + last four digits: stage, due date, public notes, nothing else', async (t) => {
    const hub = await startTestHub(t);
    const desk = await signIn(hub, 'citizen_service');
    const reg = await desk.inject({ method: 'POST', url: '/api/complaints', payload: { citizen: { nationalId: NID, name: 'سعاد محمد حسن' }, departmentId: 1, subject: 'صرف صحي', body: 'طفح صرف صحي في شارع المدارس' } });
    const c = reg.json();
    await desk.inject({ method: 'POST', url: `/api/complaints/${c.id}/forward`, payload: {} });
    const rep = await signIn(hub, 'representative');
    await rep.inject({ method: 'POST', url: `/api/complaints/${c.id}/answer`, payload: { response: 'تم إبلاغ شركة الصرف الصحي (داخلي)', publicNote: 'تم إصلاح العطل' } });

    const ok = await hub.app.inject({ method: 'GET', url: `/api/public/status?inquiry=${encodeURIComponent(c.inquiryDisplay)}&nid4=4567` });
    assert.equal(ok.statusCode, 200, ok.body);
    const s = ok.json();
    assert.deepEqual(Object.keys(s).sort(), ['dueDate', 'inquiry', 'kind', 'publicNotes', 'stage', 'stageAr', 'stageEn']);
    assert.equal(s.stage, 'answered');
    assert.equal(s.dueDate, c.dueDay);
    assert.deepEqual(s.publicNotes.map((n: { textAr: string }) => n.textAr), ['تم إصلاح العطل']);
    assert.ok(!ok.body.includes('داخلي'), 'internal response is not shown');
    assert.ok(!ok.body.includes('سعاد'), 'no name');

    // Typed with Arabic digits and without hyphens: same answer.
    const arabic = c.inquiry.replace(/\d/g, (d: string) => String.fromCharCode(0x660 + Number(d)));
    assert.equal((await hub.app.inject({ method: 'GET', url: `/api/public/status?inquiry=${encodeURIComponent(arabic)}&nid4=٤٥٦٧` })).statusCode, 200);

    // Wrong digits, unknown number, a typo caught by the check digits: one identical answer.
    const other = formatInquiry('C', 2026, 999);
    const typo = c.inquiry.slice(0, -3) + ((Number(c.inquiry.at(-3)) + 1) % 10) + c.inquiry.slice(-2);
    const answers = await Promise.all([
      `inquiry=${c.inquiry}&nid4=4568`, `inquiry=${other}&nid4=4567`, `inquiry=${typo}&nid4=4567`, `inquiry=nonsense&nid4=4567`,
    ].map((q) => hub.app.inject({ method: 'GET', url: `/api/public/status?${q}` })));
    for (const a of answers) {
      assert.equal(a.statusCode, 404);
      assert.equal(a.body, answers[0].body);
    }
    const bad = await hub.app.inject({ method: 'GET', url: `/api/public/status?inquiry=${c.inquiry}&nid4=12a4` });
    assert.equal(bad.statusCode, 400);
  });

  test('other kinds plug in through the registry (as case files do)', async (t) => {
    const hub = await startTestHub(t);
    const fileNo = formatInquiry('F', 2026, 7);
    hub.ctx.publicStatus.register('test-file', (inquiry) => inquiry === fileNo
      ? { nationalId: '30401010100013', status: { kind: 'file', inquiry, stage: 'with_department', stageAr: 'لدى الإدارة', stageEn: 'With department', dueDate: '2026-04-01', publicNotes: [] } }
      : null);
    const r = await hub.app.inject({ method: 'GET', url: `/api/public/status?inquiry=${fileNo}&nid4=0013` });
    assert.equal(r.statusCode, 200);
    assert.equal(r.json().kind, 'file');
  });

  test('the lookup is rate-limited per address', async (t) => {
    const hub = await startTestHub(t);
    const q = `/api/public/status?inquiry=${formatInquiry('C', 2026, 1)}&nid4=1234`;
    for (let i = 0; i < STATUS_LOOKUPS_PER_MINUTE; i++) assert.equal((await hub.app.inject({ method: 'GET', url: q })).statusCode, 404);
    const limited = await hub.app.inject({ method: 'GET', url: q });
    assert.equal(limited.statusCode, 429);
    assert.equal(limited.json().error.code, 'RATE_LIMITED');
    assert.match(limited.json().error.message, /[\u0600-\u06FF]/);
    // Another address still gets through.
    assert.equal((await hub.app.inject({ method: 'GET', url: q, remoteAddress: '10.1.2.3' })).statusCode, 404);
  });
});
