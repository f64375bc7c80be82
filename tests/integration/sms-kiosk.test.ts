// A mobile number given at the kiosk (issue 14 item 2, "at the kiosk screen"): over MQTT as
// the optional `mobile` of ticket.issue (protocol/commands.ts), checked exactly as at
// reception — INVALID_MOBILE with the Arabic message and nothing issued or queued — and a
// good one queues the issue SMS in the same transaction as the ticket.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { hubWithSmsc, outbox, startSmsc, waitFor } from './sms-support.ts';
import { refused } from '../helpers/replies.ts';

const count = (hub: { ctx: { db: { prepare(s: string): { get(): unknown } } } }, table: string) =>
  (hub.ctx.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('a mobile number at the kiosk', () => {
  test('over MQTT: ticket.issue with a bad mobile is refused INVALID_MOBILE in Arabic and issues nothing; a good one sends the issue SMS', async (t) => {
    const smsc = await startSmsc(t);
    const hub = await hubWithSmsc(t, smsc);
    const kiosk = await hub.device('kiosk-1');
    const tickets = count(hub, 'tickets');
    for (const mobile of ['01312345678', '0101', 'رقمي']) {
      const e = await refused(kiosk.command('ticket.issue', { line: 'A', mobile }));
      assert.equal(e.code, 'INVALID_MOBILE', mobile);
      assert.match(e.message, /رقم المحمول غير صحيح/);
    }
    assert.equal(count(hub, 'tickets'), tickets, 'no ticket');
    assert.equal(count(hub, 'sms_subscriptions'), 0);
    assert.deepEqual(outbox(hub), []);
    // Not a string at all: the schema's BAD_REQUEST, nothing either.
    assert.equal((await refused(kiosk.command('ticket.issue', { line: 'A', mobile: 1012345678 as unknown as string }))).code, 'BAD_REQUEST');

    const r = await kiosk.command('ticket.issue', { line: 'A', mobile: '٠١١١٢٣٤٥٦٧٨' });
    assert.equal(r.ticket.number, 'A001', 'the refused commands used no number');
    await waitFor('the SMS submitted', () => outbox(hub)[0]?.state === 'submitted');
    const [row] = outbox(hub);
    assert.equal(row.mobile, '201112345678');
    assert.equal(row.kind, 'issued');
    assert.equal(smsc.messages()[0].text, row.text);
    assert.match(row.text, /تذكرتك رقم A001/);
    // Without a mobile: a ticket and no SMS, as before.
    await kiosk.command('ticket.issue', { line: 'A' });
    assert.equal(outbox(hub).length, 1);
  });
});
