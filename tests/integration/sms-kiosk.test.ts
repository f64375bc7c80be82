// A mobile number given at the kiosk (issue 14 item 2, "at the kiosk screen"): over MQTT as
// the optional `mobile` of ticket.issue (protocol/commands.ts), checked exactly as at
// reception — INVALID_MOBILE with the Arabic message and nothing issued or queued — and a
// good one queues the issue SMS in the same transaction as the ticket. And over HTTP from the
// kiosk's touch screen (hub/routes/kiosk-screen): the pairing with the kiosk's credentials,
// what a paired screen may do (the kiosk's lines only, as the kiosk) and what ends it; its
// ticket goes to the kiosk as a print request (devices/{id}/print).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { InjectOptions } from 'fastify';
import { hubWithSmsc, outbox, startSmsc, waitFor } from './sms-support.ts';
import { refused } from '../helpers/replies.ts';
import { signIn } from '../helpers/staff.ts';
import { expectError, expectOk } from './files-support.ts';
import { KIOSK_SCREEN_COOKIE } from '../../hub/auth/guard.ts';
import type { Static } from 'typebox';
import type { IssuedTicket } from '@shubbak/protocol';
import type { ScreenView } from '../../hub/routes/kiosk-screen/routes.ts';

type ScreenViewReply = Static<typeof ScreenView>;
type ScreenTicketReply = { ticket: Static<typeof IssuedTicket> };

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

  test('the kiosk screen over HTTP: paired with the kiosk\'s id and secret, it issues for the kiosk\'s lines as the kiosk, checks the mobile like reception, and stops when the secret is rotated', async (t) => {
    const smsc = await startSmsc(t);
    const hub = await hubWithSmsc(t, smsc);
    // The kiosk's program is connected and its printer can print: the screen issues only then,
    // and each ticket it issues is sent to the kiosk to print (tests/integration/kiosk-screen-print.test.ts).
    const kiosk = await hub.device('kiosk-1');
    const prints: string[] = [];
    kiosk.on('print', (r) => prints.push(r.ticket.number));
    kiosk.updateHealth({ printer: 'ok' });
    await waitFor('the hub sees the kiosk\'s printer', () => hub.ctx.devices.info('kiosk-1')?.health?.printer === 'ok');
    const inject = (cookie: string | null, o: InjectOptions) => hub.app.inject({ ...o, cookies: cookie ? { [KIOSK_SCREEN_COOKIE]: cookie } : {} });
    // Not paired: 401 with an Arabic message; a staff session does not open it either.
    expectError(await inject(null, { method: 'GET', url: '/api/kiosk-screen' }), 401, 'KIOSK_SCREEN_UNPAIRED');
    const reception = await signIn(hub, 'reception');
    expectError(await reception.inject({ method: 'POST', url: '/api/kiosk-screen/tickets', payload: { line: 'A' } }), 401, 'KIOSK_SCREEN_UNPAIRED');
    // Wrong secret, or a keypad's good credentials: refused, no session stored.
    expectError(await inject(null, { method: 'POST', url: '/api/kiosk-screen/session', payload: { deviceId: 'kiosk-1', secret: 'nope' } }), 401, 'INVALID_CREDENTIALS');
    expectError(await inject(null, { method: 'POST', url: '/api/kiosk-screen/session', payload: { deviceId: 'keypad-1', secret: hub.secretOf('keypad-1') } }), 401, 'INVALID_CREDENTIALS');
    assert.equal(count(hub, 'kiosk_screen_sessions'), 0);

    const paired = await inject(null, { method: 'POST', url: '/api/kiosk-screen/session', payload: { deviceId: 'kiosk-1', secret: hub.secretOf('kiosk-1') } });
    expectOk(paired);
    const c = paired.cookies.find((x) => x.name === KIOSK_SCREEN_COOKIE)!;
    assert.equal(c.httpOnly, true);
    assert.equal(c.sameSite, 'Strict');
    const cookie = c.value;
    const view = expectOk<ScreenViewReply>(await inject(cookie, { method: 'GET', url: '/api/kiosk-screen' }));
    assert.equal(view.deviceId, 'kiosk-1');
    assert.deepEqual(view.lines.map((l: { line: string }) => l.line), hub.ctx.devices.configOf('kiosk-1')!.kind === 'kiosk'
      ? (hub.ctx.devices.configOf('kiosk-1') as { buttons: { key: number; line: string }[] }).buttons.sort((a, b) => a.key - b.key).map((b) => b.line) : []);
    assert.ok(view.lines.every((l: { name: string }) => /[\u0600-\u06FF]/.test(l.name)), 'Arabic service names');

    const tickets = count(hub, 'tickets');
    const bad = expectError(await inject(cookie, { method: 'POST', url: '/api/kiosk-screen/tickets', payload: { line: 'A', mobile: '0131234' } }), 400, 'INVALID_MOBILE');
    assert.match(bad.message, /رقم المحمول غير صحيح/);
    expectError(await inject(cookie, { method: 'POST', url: '/api/kiosk-screen/tickets', payload: { line: 'Z' } }), 403, 'FORBIDDEN');
    assert.equal(count(hub, 'tickets'), tickets);
    assert.deepEqual(outbox(hub), []);

    const key = 'screen-issue-0001';
    const r = expectOk<ScreenTicketReply>(await inject(cookie, { method: 'POST', url: '/api/kiosk-screen/tickets', headers: { 'idempotency-key': key }, payload: { line: 'B', mobile: '01212345678' } }));
    const again = expectOk<ScreenTicketReply>(await inject(cookie, { method: 'POST', url: '/api/kiosk-screen/tickets', headers: { 'idempotency-key': key }, payload: { line: 'B', mobile: '01212345678' } }));
    assert.equal(again.ticket.number, r.ticket.number, 'a repeated tap is the same ticket');
    assert.equal(count(hub, 'tickets'), tickets + 1);
    const by = hub.ctx.db.prepare('SELECT issued_by FROM tickets WHERE label = ? ORDER BY id DESC').get(r.ticket.number) as { issued_by: string };
    assert.equal(by.issued_by, 'device:kiosk-1');
    await waitFor('the print request reached the kiosk', () => prints.length > 0);
    assert.deepEqual(prints, [r.ticket.number], 'one print request, for the issued ticket only (none for the refused ones or the repeat)');
    await waitFor('the SMS submitted', () => outbox(hub)[0]?.state === 'submitted');
    assert.equal(outbox(hub).length, 1);
    assert.equal(smsc.messages()[0].dest, '201212345678');

    // The kiosk's secret rotated: the screen's pairing ends with it.
    hub.ctx.devices.rotateSecret('kiosk-1');
    expectError(await inject(cookie, { method: 'GET', url: '/api/kiosk-screen' }), 401, 'KIOSK_SCREEN_UNPAIRED');
  });
});
