// The whole citizen journey of DESIGN.md §2 through the real hub: kiosk ticket over MQTT →
// intake window calls it (keypad-1) → file registered with checklist and attachment →
// forwarded (ticket parked) → technical review with fees (the same ticket joins the
// treasury line) → treasury window calls it (keypad-4) → payment order → cashier collects →
// receipt → manager approves → department with due date → decision → ready → the citizen
// comes back: delivery ticket → delivery window calls it → finds the file → hands over.
// Each step runs as the user whose job it is; every stage, its time and its actor are
// checked, and the audit chain verifies.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { WindowState } from '@shubbak/protocol';
import { displayInquiry } from '../../hub/domain/inquiry-number.ts';
import { localDay } from '../../hub/domain/time.ts';
import { FakeClock } from '../helpers/clock.ts';
import { startTestHub } from '../helpers/hub.ts';
import { signIn } from '../helpers/staff.ts';
import { CITIZEN, expectError, expectOk, fullChecklist, multipart, PDF, service, type AtWindowReply, type AttachmentReply, type CollectReply, type DeliveryTicketReply, type FileReply, type NextReply, type OrderReply, type PublicStatusReply } from './files-support.ts';

const MIN = 60_000;
const DAY = 86_400_000;

describe('the whole citizen journey through the hub', () => {
  test('the whole journey of an application, stage by stage, as the right people', async (t) => {
    const clock = new FakeClock(Date.parse('2026-03-01T07:00:00Z')); // Sunday 09:00 Cairo
    const hub = await startTestHub(t, { clock: clock.now, config: { commandTtlMs: 600_000 } });
    const step = async (ms: number) => {
      clock.advance(ms);
      hub.publishClock();
    };

    const intake = await signIn(hub, 'intake'); // window 1
    const rep = await signIn(hub, 'representative'); // ENG
    const revenue = await signIn(hub, 'revenue'); // window 4
    const cashier = await signIn(hub, 'cashier');
    const manager = await signIn(hub, 'manager');
    const permit = service(hub, 'BLD-PERMIT');
    const fixed = permit.fees.find((f) => f.kind === 'fixed')!;
    const variable = permit.fees.find((f) => f.kind === 'variable')!;

    // 1. The kiosk gives the citizen an intake ticket.
    const kiosk = await hub.device('kiosk-1');
    const issued = (await kiosk.command('ticket.issue', { line: 'A' })).ticket;
    assert.equal(issued.number, 'A001');

    // 2. The intake window calls it from its keypad.
    await step(3 * MIN);
    const keypad1 = await hub.device('keypad-1');
    const called = (await keypad1.command('window.next', {})) as WindowState;
    assert.equal(called.ticket, 'A001');

    // 3. Formal review and registration: the ticket at window 1 is linked to the file.
    await step(2 * MIN);
    const registeredAt = clock.ms;
    const incomplete = await intake.inject({ method: 'POST', url: '/api/files', payload: {
      serviceId: permit.id, citizen: CITIZEN, checklist: fullChecklist(hub, 'BLD-PERMIT').map((c, i) => (i === 1 ? { ...c, present: false } : c)),
    } });
    const e = expectError(incomplete, 400, 'CHECKLIST_INCOMPLETE');
    assert.match(e.details![0].message, /مستند مطلوب غير مستوفى/);
    let file = expectOk<FileReply>(await intake.inject({ method: 'POST', url: '/api/files', payload: {
      serviceId: permit.id, citizen: CITIZEN, checklist: fullChecklist(hub, 'BLD-PERMIT'),
    } }), 201);
    assert.equal(file.status, 'registered');
    assert.equal(file.ticketLabel, 'A001');
    assert.equal(file.checklist.length, permit.checklist.length);
    assert.ok(file.checklist.every((c: { present: boolean }) => c.present));
    const ticketRow = hub.ctx.db.prepare('SELECT id, file_id FROM tickets WHERE label = ?').get('A001') as { id: number; file_id: number };
    assert.equal(ticketRow.file_id, file.id, 'tickets.file_id links the ticket to its file');

    const up = multipart({ filename: 'سند الملكية.pdf', contentType: 'application/pdf', bytes: PDF }, { label: 'سند الملكية' });
    const att = expectOk<AttachmentReply>(await intake.inject({ method: 'POST', url: `/api/files/${file.id}/attachments`, ...up }), 201);
    assert.equal(att.mime, 'application/pdf');

    // 4. Forward to the representative: the ticket is parked, window 1 is free.
    await step(4 * MIN);
    file = expectOk<FileReply>(await intake.inject({ method: 'POST', url: `/api/files/${file.id}/forward`, payload: { version: file.version } }));
    assert.equal(file.status, 'technical_review');
    assert.equal(hub.ctx.queue.windowState(1).status, 'idle');
    assert.equal((hub.ctx.db.prepare('SELECT status FROM visits WHERE ticket_id = ? ORDER BY id DESC').get(ticketRow.id) as { status: string }).status, 'parked');

    // 5. Technical review with the fees by law: the ticket joins the treasury line, same number.
    await step(20 * MIN);
    const fees = [{ code: variable.code, amountPiasters: 250_000 }];
    expectError(await rep.inject({ method: 'POST', url: `/api/files/${file.id}/review`, payload: { version: file.version - 1, fees, signature: 'م. خالد فؤاد' } }), 409, 'STALE_UPDATE');
    expectError(await intake.inject({ method: 'POST', url: `/api/files/${file.id}/review`, payload: { fees, signature: 'x' } }), 403);
    expectError(await rep.inject({ method: 'POST', url: `/api/files/${file.id}/review`, payload: { fees: [{ code: variable.code, amountPiasters: 1 }], signature: 'م. خالد فؤاد' } }), 400, 'VALIDATION');
    file = expectOk<FileReply>(await rep.inject({ method: 'POST', url: `/api/files/${file.id}/review`, payload: { version: file.version, fees, signature: 'م. خالد فؤاد' } }));
    assert.equal(file.status, 'awaiting_payment');
    const total = (fixed.amountPiasters ?? 0) + 250_000;
    assert.equal(file.feesPiasters, total);
    const lineB = hub.ctx.queue.lineState('B');
    assert.equal(lineB.waiting, 1, 'the citizen waits in the treasury line');

    // 6. The treasury window calls the same number and sees the file.
    await step(6 * MIN);
    const keypad4 = await hub.device('keypad-4');
    assert.equal(((await keypad4.command('window.next', {})) as WindowState).ticket, 'A001');
    const atWindow = expectOk<AtWindowReply>(await revenue.inject({ method: 'GET', url: '/api/files/at-window/4' }));
    assert.equal(atWindow.ticket?.label, 'A001');
    assert.equal(atWindow.file?.id, file.id);
    // The ticket's path so far: intake → parked → treasury, one ticket, one number.
    const visits = hub.ctx.db.prepare('SELECT line, status FROM visits WHERE ticket_id = ? ORDER BY id').all(ticketRow.id) as { line: string; status: string }[];
    assert.deepEqual(visits.map((v) => [v.line, v.status]), [['A', 'parked'], ['B', 'called']]);

    // 7. Payment order, collection, receipt.
    await step(2 * MIN);
    const order = expectOk<OrderReply>(await revenue.inject({ method: 'POST', url: `/api/files/${file.id}/payment-order` }), 201);
    assert.equal(order.totalPiasters, total);
    assert.deepEqual(order.lines.map((l: { code: string }) => l.code).sort(), [fixed.code, variable.code].sort());
    assert.equal(expectOk<OrderReply>(await revenue.inject({ method: 'POST', url: `/api/files/${file.id}/payment-order` })).id, order.id, 'issuing twice returns the open order');
    expectError(await revenue.inject({ method: 'POST', url: `/api/payments/orders/${order.id}/collect` }), 403);
    await step(3 * MIN);
    const paid = expectOk<CollectReply>(await cashier.inject({ method: 'POST', url: `/api/payments/orders/${order.id}/collect`, payload: { window: 5 } }), 201);
    assert.equal(paid.receipt.label, '2026/000001');
    assert.equal(paid.receipt.totalPiasters, total);
    expectError(await cashier.inject({ method: 'POST', url: `/api/payments/orders/${order.id}/collect` }), 409, 'ALREADY_PAID');
    file = expectOk<FileReply>(await manager.inject({ method: 'GET', url: `/api/files/${file.id}` }));
    assert.equal(file.status, 'paid');

    // 8. The manager approves with signature and stamp.
    await step(60 * MIN);
    expectError(await manager.inject({ method: 'POST', url: `/api/files/${file.id}/approve`, payload: { signature: 'م. هشام', stamp: '' } }), 400);
    file = expectOk<FileReply>(await manager.inject({ method: 'POST', url: `/api/files/${file.id}/approve`, payload: { version: file.version, signature: 'م. هشام عبد الحميد', stamp: 'ختم المركز التكنولوجي' } }));
    assert.equal(file.status, 'approved');
    assert.equal(file.signature, 'م. هشام عبد الحميد');
    assert.equal(file.stamp, 'ختم المركز التكنولوجي');
    assert.equal(file.approvedBy, `user:${manager.user.id}`);

    // 9. To the department: the due date is the service's legal period from now.
    await step(30 * MIN);
    const dispatchedAt = clock.ms;
    file = expectOk<FileReply>(await rep.inject({ method: 'POST', url: `/api/files/${file.id}/dispatch`, payload: { version: file.version } }));
    assert.equal(file.status, 'with_department');
    assert.equal(file.dueDay, hub.ctx.catalog.dueFor(permit.id, dispatchedAt).day);
    const pub = expectOk<PublicStatusReply>(await hub.app.inject({ method: 'GET', url: `/api/public/status?inquiry=${encodeURIComponent(displayInquiry(file.inquiry))}&nid4=${CITIZEN.nationalId.slice(-4)}` }));
    assert.equal(pub.kind, 'file');
    assert.equal(pub.stage, 'with_department');
    assert.equal(pub.dueDate, file.dueDay);
    expectError(await hub.app.inject({ method: 'GET', url: `/api/public/status?inquiry=${file.inquiry}&nid4=0000` }), 404);

    // 10. Days later the department decides; the representative records it and marks it ready.
    await step(10 * DAY);
    const rep2 = await signIn(hub, 'representative');
    expectError(await rep2.inject({ method: 'POST', url: `/api/files/${file.id}/decide`, payload: { decision: 'refused' } }), 400);
    file = expectOk<FileReply>(await rep2.inject({ method: 'POST', url: `/api/files/${file.id}/decide`, payload: { version: file.version, decision: 'accepted', publicNote: 'صدر الترخيص' } }));
    assert.equal(file.status, 'decided');
    await step(90 * MIN);
    file = expectOk<FileReply>(await rep2.inject({ method: 'POST', url: `/api/files/${file.id}/ready`, payload: { version: file.version } }));
    assert.equal(file.status, 'ready');

    // 11. The citizen comes back the next day: reception finds the file and gives a delivery ticket.
    await step(DAY);
    const reception = await signIn(hub, 'reception');
    const mistyped = file.inquiry.slice(0, 5) + String((Number(file.inquiry[5]) + 1) % 10) + file.inquiry.slice(6);
    expectError(await reception.inject({ method: 'GET', url: `/api/files/by-inquiry/${mistyped}` }), 400, 'INVALID_INQUIRY');
    assert.equal(expectOk<FileReply>(await reception.inject({ method: 'GET', url: `/api/files/by-inquiry/${encodeURIComponent(displayInquiry(file.inquiry))}` })).id, file.id);
    const dt = expectOk<DeliveryTicketReply>(await reception.inject({ method: 'POST', url: `/api/files/${file.id}/delivery-ticket` }), 201);
    assert.equal(dt.ticket.label, 'C001');

    // 12. The delivery window calls it, opens the file from the ticket, hands the result over.
    await step(7 * MIN);
    const delivery = await signIn(hub, 'delivery'); // window 6
    const next = expectOk<NextReply>(await delivery.inject({ method: 'POST', url: '/api/windows/6/next' }));
    assert.equal(next.state.ticket, 'C001');
    const seen = expectOk<AtWindowReply>(await delivery.inject({ method: 'GET', url: '/api/files/at-window/6' }));
    assert.equal(seen.file?.inquiry, file.inquiry);
    await step(3 * MIN);
    expectError(await delivery.inject({ method: 'POST', url: `/api/files/${file.id}/deliver`, payload: { toName: 'محمود عبد الرحمن علي', toNationalId: '12345', idDocument: 'بطاقة رقم قومي' } }), 400, 'INVALID_NATIONAL_ID');
    file = expectOk<FileReply>(await delivery.inject({ method: 'POST', url: `/api/files/${file.id}/deliver`, payload: {
      version: file.version, toName: 'محمود عبد الرحمن علي', toNationalId: CITIZEN.nationalId, idDocument: 'بطاقة رقم قومي',
    } }));
    assert.equal(file.status, 'delivered');
    assert.equal(file.deliveredToName, 'محمود عبد الرحمن علي');
    assert.equal(file.deliveredToNationalId, CITIZEN.nationalId);
    assert.equal(file.deliveredBy, `user:${delivery.user.id}`);
    expectError(await delivery.inject({ method: 'POST', url: `/api/files/${file.id}/deliver`, payload: { toName: 'x y z', idDocument: 'بطاقة' } }), 409, 'INVALID_TRANSITION');

    // Every stage with its actor and time.
    const by = (u: { user: { id: number } }) => `user:${u.user.id}`;
    const stages = file.events.filter((ev: { fromStatus: string | null; toStatus: string }) => ev.fromStatus !== ev.toStatus)
      .map((ev: { action: string; toStatus: string; actor: string; actorRole: string }) => [ev.action, ev.toStatus, ev.actor, ev.actorRole]);
    assert.deepEqual(stages, [
      ['register', 'registered', by(intake), 'intake'],
      ['forward', 'technical_review', by(intake), 'intake'],
      ['review', 'awaiting_payment', by(rep), 'representative'],
      ['pay', 'paid', by(cashier), 'cashier'],
      ['approve', 'approved', by(manager), 'manager'],
      ['dispatch', 'with_department', by(rep), 'representative'],
      ['decide', 'decided', by(rep), 'representative'],
      ['mark_ready', 'ready', by(rep), 'representative'],
      ['deliver', 'delivered', by(delivery), 'delivery'],
    ]);
    assert.equal(file.events[0].at, registeredAt);
    assert.deepEqual(file.timeByStatus, {
      registered: 4 * MIN,
      technical_review: 20 * MIN,
      awaiting_payment: (6 + 2 + 3) * MIN,
      paid: 60 * MIN,
      approved: 30 * MIN,
      with_department: 10 * DAY,
      decided: 90 * MIN,
      ready: DAY + 10 * MIN,
      delivered: 0,
    });
    assert.equal(file.attachments.length, 1);
    assert.equal(file.publicNote, 'المعاملة جاهزة للتسليم');


    // The audit trail: each write, in order, and the hash chain intact.
    const trail = hub.ctx.audit.history('file', file.id).map((a) => a.action);
    assert.deepEqual(trail, [
      'file.register', 'file.attach', 'file.forward', 'file.review', 'file.pay', 'file.approve', 'file.dispatch', 'file.decide',
      'file.mark_ready', 'file.delivery_ticket', 'file.deliver',
    ]);
    assert.deepEqual(hub.ctx.audit.history('receipt', paid.receipt.id).map((a) => a.action), ['receipt.issue']);
    assert.deepEqual(hub.ctx.audit.history('payment_order', order.id).map((a) => a.action), ['payment_order.issue', 'payment_order.collect']);
    assert.equal(hub.ctx.audit.verify().ok, true);
    assert.ok(file.deliveredAt !== null, 'delivered at a time');
    assert.equal(localDay(file.deliveredAt), '2026-03-12');
  });
});
