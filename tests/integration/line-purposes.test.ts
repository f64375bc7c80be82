// Issue 12 item 2: the back office finds the treasury and delivery lines by their purpose
// (lines.purpose, migration 046), not by the demo's letters B and C. A center whose
// treasury is line T sends a citizen with fees to T with the same number, and a ready
// file's delivery ticket to the line whose purpose is delivery; a center with no such
// line gets a clear refusal that changes nothing.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startTestHub, type TestHub } from '../helpers/hub.ts';
import { signIn } from '../helpers/staff.ts';
import { CITIZEN, expectError, expectOk, fullChecklist, readyFile, service, type DeliveryTicketReply, type FileReply, type LineListReply } from './files-support.ts';

const line = (nameAr: string, nameEn: string, purpose: string | null) => ({ nameAr, nameEn, priorityFirst: true, openFrom: null, openUntil: null, purpose });

/** A citizen's ticket on line A served at window 1, their file registered and forwarded (the ticket parks). */
async function forwardedWithTicket(hub: TestHub) {
  const reception = await signIn(hub, 'reception');
  const intake = await signIn(hub, 'intake');
  expectOk(await reception.inject({ method: 'POST', url: '/api/tickets', payload: { line: 'A' } }));
  expectOk(await intake.inject({ method: 'POST', url: '/api/windows/1/next' }));
  const f = expectOk<FileReply>(await intake.inject({ method: 'POST', url: '/api/files', payload: { serviceId: service(hub, 'BLD-PERMIT').id, citizen: CITIZEN, checklist: fullChecklist(hub, 'BLD-PERMIT') } }), 201);
  assert.equal(f.ticketLabel, 'A001');
  return expectOk<FileReply>(await intake.inject({ method: 'POST', url: `/api/files/${f.id}/forward`, payload: {} }));
}

async function review(hub: TestHub, fileId: number) {
  const rep = await signIn(hub, 'representative');
  const variable = service(hub, 'BLD-PERMIT').fees.find((x) => x.kind === 'variable')!;
  return rep.inject({ method: 'POST', url: `/api/files/${fileId}/review`, payload: { fees: [{ code: variable.code, amountPiasters: variable.minPiasters }], signature: 'م. خالد' } });
}

describe('lines found by their purpose', () => {
  test('the demo center\'s lines carry their purposes', async (t) => {
    const hub = await startTestHub(t);
    const admin = await signIn(hub, 'admin');
    const lines = expectOk<LineListReply>(await admin.inject({ method: 'GET', url: '/api/lines' }));
    assert.deepEqual(lines.map((l: { letter: string; purpose: string | null }) => [l.letter, l.purpose]),
      [['A', 'intake'], ['B', 'treasury'], ['C', 'delivery'], ['D', 'citizen_service']]);
  });

  test('a center whose treasury is line T: fees send the citizen to T with the same number', async (t) => {
    const hub = await startTestHub(t);
    const admin = await signIn(hub, 'admin');
    expectOk(await admin.inject({ method: 'PUT', url: '/api/lines/T', payload: line('خزينة المركز', 'Center treasury', 'treasury') }));
    const purposes = Object.fromEntries(hub.ctx.queue.lines().map((l) => [l.letter, l.purpose]));
    assert.equal(purposes.T, 'treasury');
    assert.equal(purposes.B, null, 'one treasury line: B gave the purpose up');

    const f = await forwardedWithTicket(hub);
    const reviewed = expectOk<FileReply>(await review(hub, f.id));
    assert.equal(reviewed.status, 'awaiting_payment');
    assert.equal(hub.ctx.queue.lineState('T').waiting, 1, 'the citizen waits on T');
    assert.equal(hub.ctx.queue.lineState('B').waiting, 0, 'not on the demo letter');
    const at = hub.ctx.db.prepare("SELECT t.label, v.line FROM visits v JOIN tickets t ON t.id = v.ticket_id WHERE v.status = 'waiting'").all();
    assert.deepEqual(at, [{ label: 'A001', line: 'T' }], 'the same number, on T');
  });

  test('the delivery ticket goes to the line whose purpose is delivery; without one, a clear refusal that changes nothing', async (t) => {
    const hub = await startTestHub(t);
    const admin = await signIn(hub, 'admin');
    const reception = await signIn(hub, 'reception');
    const f = await readyFile(hub);

    // No delivery line: refused with a stable code and an Arabic message, no ticket issued.
    expectOk(await admin.inject({ method: 'PUT', url: '/api/lines/C', payload: line('تسليم المعاملات', 'Delivery', null) }));
    const tickets = () => (hub.ctx.db.prepare('SELECT count(*) AS n FROM tickets').get() as { n: number }).n;
    const before = tickets();
    const e = expectError(await reception.inject({ method: 'POST', url: `/api/files/${f.id}/delivery-ticket` }), 409, 'NO_LINE_FOR_PURPOSE');
    assert.match(e.message, /تسليم المعاملات/);
    assert.equal(tickets(), before);

    // The delivery line is now R.
    expectOk(await admin.inject({ method: 'PUT', url: '/api/lines/R', payload: line('الاستلام النهائي', 'Pick-up', 'delivery') }));
    const r = expectOk<DeliveryTicketReply>(await reception.inject({ method: 'POST', url: `/api/files/${f.id}/delivery-ticket` }), 201);
    assert.equal(r.ticket.line, 'R');
    assert.equal(r.ticket.label, 'R001');
  });
});
