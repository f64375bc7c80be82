// Case files over HTTP, beyond the happy journey: validation, role and stage refusals,
// stale versions, department scope, returns and refusals, services without fees, the
// ticket link, the public status page and the manager's inspection.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Reply } from '@shubbak/protocol';
import { displayInquiry, parseInquiry } from '../../hub/domain/inquiry-number.ts';
import { FakeClock } from '../helpers/clock.ts';
import { startTestHub } from '../helpers/hub.ts';
import { signIn } from '../helpers/staff.ts';
import { CITIZEN, expectError, expectOk, fileInReview, fullChecklist, service, type AtWindowReply, type FileListReply, type FileReply, type InspectionReplyBody, type PublicStatusReply } from './files-support.ts';

describe('case files over HTTP', () => {
  test('registration: field errors in Arabic, nothing written on bad input', async (t) => {
    const hub = await startTestHub(t);
    const intake = await signIn(hub, 'intake');
    const permit = service(hub, 'BLD-PERMIT');
    const count = () => (hub.ctx.db.prepare('SELECT (SELECT count(*) FROM files) + (SELECT count(*) FROM citizens) AS n').get() as { n: number }).n;
    const post = (payload: object) => intake.inject({ method: 'POST', url: '/api/files', payload });
    const good = { serviceId: permit.id, citizen: CITIZEN, checklist: fullChecklist(hub, 'BLD-PERMIT'), window: null };

    expectError(await hub.app.inject({ method: 'POST', url: '/api/files', payload: good }), 401);
    expectError(await (await signIn(hub, 'cashier')).inject({ method: 'POST', url: '/api/files', payload: good }), 403);
    const nid = expectError(await post({ ...good, citizen: { ...CITIZEN, nationalId: '19001011234567' } }), 400, 'INVALID_NATIONAL_ID');
    assert.equal(nid.details![0].path, '/nationalId');
    expectError(await post({ ...good, serviceId: 99_999 }), 404);
    const missing = expectError(await post({ ...good, checklist: good.checklist.slice(1) }), 400, 'CHECKLIST_INCOMPLETE');
    assert.equal(missing.details![0].path, `/checklist/${permit.checklist[0].position}`);
    expectError(await post({ ...good, checklist: [...good.checklist, { position: 77, present: true }] }), 400, 'CHECKLIST_INCOMPLETE');
    const schema = expectError(await post({ ...good, serviceId: 'one' }), 400, 'VALIDATION');
    assert.ok(schema.details!.some((d) => d.path === '/serviceId'));
    expectError(await post({ ...good, extra: 1 }), 400);
    expectError(await post({ ...good, window: 2 }), 403, 'NOT_YOUR_WINDOW'); // intake sits at window 1
    assert.equal(count(), 0);

    const f = expectOk<FileReply>(await post(good), 201);
    assert.ok(parseInquiry(f.inquiry, 'F'));
    assert.equal(f.inquiryDisplay, displayInquiry(f.inquiry));
    assert.equal(f.ticketId, null);
    assert.deepEqual(f.actions, ['forward', 'print_slip', 'upload']);
    const g = expectOk<FileReply>(await post(good), 201);
    assert.equal(parseInquiry(g.inquiry)!.seq, parseInquiry(f.inquiry)!.seq + 1);
    assert.equal(g.citizenId, f.citizenId, 'the same citizen, found by national ID');
  });

  test('role and stage refusals, stale versions, department scope', async (t) => {
    const hub = await startTestHub(t);
    const intake = await signIn(hub, 'intake');
    const rep = await signIn(hub, 'representative'); // ENG
    const rep2 = await signIn(hub, 'representative2'); // LIC, PROP
    const manager = await signIn(hub, 'manager');
    const file = await fileInReview(hub, intake); // BLD-PERMIT, ENG
    const url = `/api/files/${file.id}`;

    expectError(await manager.inject({ method: 'POST', url: `${url}/approve`, payload: { signature: 'م. هشام', stamp: 'ختم' } }), 409, 'INVALID_TRANSITION');
    expectError(await intake.inject({ method: 'POST', url: `${url}/approve`, payload: { signature: 'x', stamp: 'y' } }), 403);
    expectError(await rep.inject({ method: 'POST', url: `${url}/forward`, payload: {} }), 403);
    expectError(await intake.inject({ method: 'POST', url: `${url}/forward`, payload: {} }), 409, 'INVALID_TRANSITION');
    const stale = expectError(await rep.inject({ method: 'POST', url: `${url}/return`, payload: { version: 1, reason: 'ينقص سند الملكية' } }), 409, 'STALE_UPDATE');
    assert.match(stale.message, /أعد تحميل/);

    // Out of scope: another department's representative neither sees nor moves the file.
    expectError(await rep2.inject({ method: 'GET', url }), 403, 'OUT_OF_SCOPE');
    expectError(await rep2.inject({ method: 'POST', url: `${url}/return`, payload: { reason: 'ينقص سند الملكية' } }), 403, 'OUT_OF_SCOPE');
    assert.equal(expectOk<FileListReply>(await rep2.inject({ method: 'GET', url: '/api/files' })).length, 0);
    assert.equal(expectOk<FileListReply>(await rep.inject({ method: 'GET', url: '/api/files?status=technical_review' })).length, 1);
    expectError(await rep2.inject({ method: 'GET', url: `/api/files/by-inquiry/${file.inquiry}` }), 403);

    // Return for documents, resubmit, then refuse with a reason the citizen can read.
    let f = expectOk<FileReply>(await rep.inject({ method: 'POST', url: `${url}/return`, payload: { version: file.version, reason: 'ينقص بيان صلاحية الموقع' } }));
    assert.equal(f.status, 'returned');
    expectError(await rep.inject({ method: 'POST', url: `${url}/refuse`, payload: { reason: 'مخالف' } }), 409);
    f = expectOk<FileReply>(await intake.inject({ method: 'POST', url: `${url}/resubmit`, payload: { version: f.version, note: 'استوفى المواطن البيان' } }));
    assert.equal(f.status, 'technical_review');
    expectError(await rep.inject({ method: 'POST', url: `${url}/refuse`, payload: { reason: ' ' } }), 400);
    f = expectOk<FileReply>(await rep.inject({ method: 'POST', url: `${url}/refuse`, payload: { reason: 'الموقع خارج الحيز العمراني' } }));
    assert.equal(f.status, 'refused');
    assert.equal(f.decision, 'refused');
    assert.deepEqual(f.actions, []);
    assert.equal(f.timeByStatus.technical_review !== undefined, true);
    assert.deepEqual(f.stages.map((s: { status: string }) => s.status), ['registered', 'technical_review', 'returned', 'technical_review', 'refused']);

    const status = expectOk<PublicStatusReply>(await hub.app.inject({ method: 'GET', url: `/api/public/status?inquiry=${f.inquiry}&nid4=${CITIZEN.nationalId.slice(-4)}` }));
    assert.equal(status.stage, 'refused');
    assert.deepEqual(status.publicNotes.map((n: { textAr: string }) => n.textAr), ['مطلوب استيفاء: ينقص بيان صلاحية الموقع', 'سبب الرفض: الموقع خارج الحيز العمراني']);
    assert.ok(!JSON.stringify(status).includes('استوفى المواطن البيان'), 'internal notes stay internal');

    // The manager's surprise inspection of the file, by number or by inquiry.
    const ins = expectOk<InspectionReplyBody>(await manager.inject({ method: 'POST', url: '/api/inspections', payload: { entity: 'file', entityId: f.id, note: 'تفتيش مفاجئ' } }), 201);
    assert.equal((ins.record as { id: number }).id, f.id); // the route declares the record as stored, of any entity
    assert.deepEqual(ins.history.map((h: { action: string }) => h.action), ['file.register', 'file.forward', 'file.return', 'file.resubmit', 'file.refuse', 'inspection']);
    const byNumber = expectOk<InspectionReplyBody>(await manager.inject({ method: 'POST', url: '/api/inspections', payload: { entity: 'file', entityId: displayInquiry(f.inquiry) } }), 201);
    assert.equal((byNumber.record as { id: number }).id, f.id);
    assert.equal(byNumber.entityId, String(f.id), 'filed under the record id, not the typed inquiry number');
    assert.deepEqual(byNumber.history.map((h: { action: string }) => h.action).slice(0, 5), ['file.register', 'file.forward', 'file.return', 'file.resubmit', 'file.refuse']);
  });

  test('a service without fees skips the treasury; the ticket stays out of the treasury line', async (t) => {
    const clock = new FakeClock(Date.parse('2026-03-01T08:00:00Z'));
    const hub = await startTestHub(t, { clock: clock.now });
    const eng = hub.ctx.catalog.departmentByCode('ENG')!;
    const free = hub.ctx.catalog.createService({
      code: 'SITE-VISIT', departmentId: eng.id, nameAr: 'طلب معاينة موقع', nameEn: 'Site visit request', legalPeriodDays: 7, periodKind: 'working',
      checklist: [{ labelAr: 'طلب المعاينة' }], fees: [],
    }, 'system');
    const reception = await signIn(hub, 'reception');
    const intake = await signIn(hub, 'intake');
    const rep = await signIn(hub, 'representative');
    const manager = await signIn(hub, 'manager');
    expectOk(await reception.inject({ method: 'POST', url: '/api/tickets', payload: { line: 'A' } }));
    expectOk(await intake.inject({ method: 'POST', url: '/api/windows/1/next' }));
    let f = expectOk<FileReply>(await intake.inject({ method: 'POST', url: '/api/files', payload: {
      serviceId: free.id, citizen: CITIZEN, checklist: [{ position: free.checklist[0].position, present: true }],
    } }), 201);
    assert.equal(f.ticketLabel, 'A001');
    // The ticket at window 1 is now taken: a second file cannot claim it.
    expectError(await intake.inject({ method: 'POST', url: '/api/files', payload: {
      serviceId: free.id, citizen: CITIZEN, checklist: [{ position: free.checklist[0].position, present: true }],
    } }), 409, 'TICKET_HAS_FILE');
    f = expectOk<FileReply>(await intake.inject({ method: 'POST', url: `/api/files/${f.id}/forward`, payload: {} }));
    f = expectOk<FileReply>(await rep.inject({ method: 'POST', url: `/api/files/${f.id}/review`, payload: { fees: [], signature: 'م. خالد فؤاد' } }));
    assert.equal(f.status, 'reviewed');
    assert.equal(f.feesPiasters, 0);
    assert.equal(hub.ctx.queue.lineState('B').waiting, 0, 'nothing to pay: not sent to the treasury');
    expectError(await (await signIn(hub, 'revenue')).inject({ method: 'POST', url: `/api/files/${f.id}/payment-order` }), 409);
    f = expectOk<FileReply>(await manager.inject({ method: 'POST', url: `/api/files/${f.id}/approve`, payload: { signature: 'م. هشام', stamp: 'ختم المركز' } }));
    assert.equal(f.status, 'approved');
    f = expectOk<FileReply>(await rep.inject({ method: 'POST', url: `/api/files/${f.id}/dispatch`, payload: {} }));
    assert.equal(f.dueDay, hub.ctx.catalog.dueFor(free.id, f.updatedAt).day);
    assert.equal(f.overdue, false);
    // Past the due day the file shows as overdue, for the supervisors of its department.
    clock.set(hub.ctx.catalog.endOfDay(f.dueDay) + 2000);
    const supervisor = await signIn(hub, 'supervisor'); // ENG, LIC
    const late = expectOk<FileListReply>(await supervisor.inject({ method: 'GET', url: '/api/files?overdue=true' }));
    assert.deepEqual(late.map((x: { id: number; overdue: boolean }) => [x.id, x.overdue]), [[f.id, true]]);
    assert.equal(expectOk<FileListReply>(await supervisor.inject({ method: 'GET', url: '/api/files?overdue=false' })).length, 0);
    clock.set(hub.ctx.catalog.endOfDay(f.dueDay) - 1000);
    assert.equal(expectOk<FileListReply>(await supervisor.inject({ method: 'GET', url: '/api/files?overdue=true' })).length, 0);
    // A delivery ticket only for a ready file.
    expectError(await (await signIn(hub, 'reception')).inject({ method: 'POST', url: `/api/files/${f.id}/delivery-ticket` }), 409);
  });

  test('the treasury window over MQTT: a window with no file-linked ticket shows the ticket alone', async (t) => {
    const hub = await startTestHub(t);
    const kiosk = await hub.device('kiosk-1');
    const r = (await kiosk.request('ticket.issue', { line: 'B' })) as Reply;
    assert.equal(r.ok, true);
    const keypad = await hub.device('keypad-4');
    assert.equal(((await keypad.request('window.next', {})) as Reply).ok, true);
    const revenue = await signIn(hub, 'revenue');
    const at = expectOk<AtWindowReply>(await revenue.inject({ method: 'GET', url: '/api/files/at-window/4' }));
    assert.equal(at.ticket?.label, 'B001');
    assert.equal(at.file, null);
    assert.deepEqual(expectOk<AtWindowReply>(await revenue.inject({ method: 'GET', url: '/api/files/at-window/5' })), { ticket: null, file: null });
    expectError(await revenue.inject({ method: 'GET', url: '/api/files/at-window/77' }), 404);
  });

  test('a review finished on another day does not bring yesterday\'s ticket into today\'s treasury line', async (t) => {
    const clock = new FakeClock(Date.parse('2026-03-01T12:00:00Z')); // 14:00 Cairo
    const hub = await startTestHub(t, { clock: clock.now });
    const reception = await signIn(hub, 'reception');
    const intake = await signIn(hub, 'intake');
    expectOk(await reception.inject({ method: 'POST', url: '/api/tickets', payload: { line: 'A' } }));
    expectOk(await intake.inject({ method: 'POST', url: '/api/windows/1/next' }));
    const permit = service(hub, 'BLD-PERMIT');
    let f = expectOk<FileReply>(await intake.inject({ method: 'POST', url: '/api/files', payload: { serviceId: permit.id, citizen: CITIZEN, checklist: fullChecklist(hub, 'BLD-PERMIT') } }), 201);
    f = expectOk<FileReply>(await intake.inject({ method: 'POST', url: `/api/files/${f.id}/forward`, payload: {} }));
    clock.advance(20 * 3600_000); // the next morning
    const rep = await signIn(hub, 'representative');
    const variable = permit.fees.find((x) => x.kind === 'variable')!;
    f = expectOk<FileReply>(await rep.inject({ method: 'POST', url: `/api/files/${f.id}/review`, payload: { fees: [{ code: variable.code, amountPiasters: variable.minPiasters }], signature: 'م. خالد' } }));
    assert.equal(f.status, 'awaiting_payment');
    assert.equal(hub.ctx.queue.lineState('B').waiting, 0);
  });
});
