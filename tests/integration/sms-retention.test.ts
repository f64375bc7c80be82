// The retention of mobile numbers given for SMS (issue 14 item 2; hub/sms/retention.ts):
// SHUBBAK_SMS_RETENTION_DAYS after a message's or subscription's last event the number is
// erased and everything else kept (states, receipts, counts); a message still waiting and an
// open file's subscription keep theirs; the erasure runs at the hub's start (and daily).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { signIn } from '../helpers/staff.ts';
import { FakeClock } from '../helpers/clock.ts';
import { hubWithSmsc, outbox, startSmsc, waitFor } from './sms-support.ts';
import { CITIZEN, expectOk } from './files-support.ts';
import type { TestHub } from '../helpers/hub.ts';

const DAY = 86_400_000;

type Sub = { mobile: string; ticket_id: number | null; file_id: number | null; erased_at: number | null };
const subs = (hub: TestHub) => hub.ctx.db.prepare('SELECT mobile, ticket_id, file_id, erased_at FROM sms_subscriptions ORDER BY id').all() as Sub[];
/** Every place a number could remain in the SMS tables. */
const holding = (hub: TestHub, mobile: string) => (hub.ctx.db.prepare(
  'SELECT (SELECT count(*) FROM sms_outbox WHERE mobile = ?) + (SELECT count(*) FROM sms_subscriptions WHERE mobile = ?) AS n').get(mobile, mobile) as { n: number }).n;

describe('mobile numbers are not kept forever', () => {
  test('30 days after the last event a number is erased from messages and subscriptions; counts, states and receipts stay; waiting messages and open files keep theirs; it runs at start', async (t) => {
    // Tuesday 10 Nov 2026, 10:00 Cairo.
    const clock = new FakeClock(Date.parse('2026-11-10T08:00:00Z'));
    const smsc = await startSmsc(t);
    const hub = await hubWithSmsc(t, smsc, { smsRetentionDays: 30 }, undefined, clock.now);
    const reception = await signIn(hub, 'reception');
    const intake = await signIn(hub, 'intake');
    const admin = await signIn(hub, 'admin');
    expectOk(await reception.inject({ method: 'POST', url: '/api/tickets', payload: { line: 'A', mobile: '01012345678' } }));
    const svc = hub.ctx.catalog.serviceByCode('BLD-PERMIT')!;
    expectOk(await intake.inject({ method: 'POST', url: '/api/files', payload: {
      serviceId: svc.id, citizen: CITIZEN, checklist: svc.checklist.map((c) => ({ position: c.position, present: true })), window: null, mobile: '01112345678',
    } }), 201);
    await waitFor('both delivered', () => outbox(hub).length === 2 && outbox(hub).every((r) => r.receiptState === 'DELIVRD'));
    // The kill switch on, then a third: it waits (queued) and must keep its number.
    expectOk(await admin.inject({ method: 'PUT', url: '/api/sms/settings', payload: { paused: true } }));
    expectOk(await reception.inject({ method: 'POST', url: '/api/tickets', payload: { line: 'B', mobile: '01212345678' } }));
    const before = outbox(hub).map(({ mobile: _m, ...rest }) => rest);
    assert.deepEqual(before.map((r) => r.state), ['submitted', 'submitted', 'queued']);

    // 29 days on: nothing is old enough.
    clock.advance(29 * DAY);
    assert.deepEqual(hub.ctx.sms.retention.run(), { messages: 0, subscriptions: 0 });
    assert.equal(holding(hub, '201012345678'), 2);

    // 31 days on, the hub restarted: the erasure runs at start.
    clock.advance(2 * DAY);
    const again = await hub.restart();
    const after = outbox(again);
    assert.deepEqual(after.map((r) => r.mobile), ['', '', '201212345678'], 'sent messages erased, the waiting one kept');
    assert.deepEqual(after.map(({ mobile: _m, ...rest }) => rest), before, 'states, attempts, parts, message ids, receipts unchanged');
    assert.equal(holding(again, '201012345678'), 0, 'the ticket\'s number is gone everywhere');
    // The ticket subscriptions (their days are over) are erased; the open file's is kept for its next stage.
    const s = subs(again);
    assert.deepEqual(s.map((x) => [x.ticket_id !== null ? 'ticket' : 'file', x.mobile]), [['ticket', ''], ['file', '201112345678'], ['ticket', '']]);
    assert.ok(s.filter((x) => x.mobile === '').every((x) => x.erased_at === clock.now()), 'erased_at is the time of the erasure');
    // Idempotent: a second run finds nothing more.
    assert.deepEqual(again.ctx.sms.retention.run(), { messages: 0, subscriptions: 0 });
    // The report's counts still see three messages, two delivered.
    const counts = again.ctx.db.prepare("SELECT count(*) AS n, sum(receipt_state = 'DELIVRD') AS delivered FROM sms_outbox").get();
    assert.deepEqual({ ...(counts as object) }, { n: 3, delivered: 2 });
  });
});
