// The paper of a ticket taken at the kiosk's touch screen (issue 14 item 2): a real hub, the
// kiosk program on sim IO (mock Firmata, the ESC/POS printer on serialport's MockBinding)
// connected over TCP MQTT, and the screen's HTTP route with the paired cookie. The ticket
// the screen gets comes out of that kiosk's printer (devices/{id}/print, after the commit);
// with the kiosk's program offline, or its printer out of paper, the screen is refused
// (KIOSK_OFFLINE / PRINTER_UNAVAILABLE, Arabic) and nothing is issued; a print that fails
// cancels the number ("no print, no ticket"); a bad mobile (rolled back) and a repeated
// request (same Idempotency-Key) print nothing.
import { describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { renderTicket } from '@shubbak/hardware';
import type { IssuedTicket } from '@shubbak/protocol';
import { startTestHub, type TestHub } from '../helpers/hub.ts';
import { simOf, startSimDevice } from '../../hub/sim/sim-io.ts';
import type { KioskHandle } from '../../kiosk/main.ts';
import { KIOSK_SCREEN_COOKIE } from '../../hub/auth/guard.ts';
import { expectError, expectOk } from './files-support.ts';

const LINK = { minReconnectMs: 100, maxReconnectMs: 300 };

async function until(what: string, pred: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The kiosk's next 'printed' / 'cancelled' number, or a failure after a bound (never a hung test). */
function next(kiosk: KioskHandle, event: 'printed' | 'cancelled', timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      kiosk.events.off(event, on);
      reject(new Error(`no ticket ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    const on = (n: string) => {
      clearTimeout(timer);
      resolve(n);
    };
    kiosk.events.once(event, on);
  });
}

async function startKiosk(t: TestContext, hub: TestHub): Promise<KioskHandle> {
  const k = (await startSimDevice('kiosk-1', { hubUrl: hub.mqttUrl, secret: hub.secretOf('kiosk-1'), link: LINK })) as KioskHandle;
  t.after(() => k.stop());
  // Lamp A lit: connected, provisioned and line A's state heard (a press before that is refused as closed).
  await until('kiosk ready', () => k.state().phase === 'ready' && k.state().online && k.state().lamps[0] === 'on');
  return k;
}

/** The hub's view of the kiosk: connected, and its printer as last reported. */
const hubSees = (hub: TestHub, online: boolean, printer?: string) =>
  until(`the hub sees kiosk-1 ${online ? 'online' : 'offline'} ${printer ?? ''}`, () => {
    const d = hub.ctx.devices.info('kiosk-1')!;
    return d.online === online && (printer === undefined || d.health?.printer === printer);
  });

/** A screen paired with kiosk-1 (its id and secret), as the technician does. */
async function pairScreen(hub: TestHub) {
  const paired = await hub.app.inject({ method: 'POST', url: '/api/kiosk-screen/session', payload: { deviceId: 'kiosk-1', secret: hub.secretOf('kiosk-1') } });
  expectOk(paired);
  const cookie = paired.cookies.find((c) => c.name === KIOSK_SCREEN_COOKIE)!.value;
  return {
    take: (payload: { line: string; mobile?: string }, key?: string) => hub.app.inject({
      method: 'POST', url: '/api/kiosk-screen/tickets', payload, cookies: { [KIOSK_SCREEN_COOKIE]: cookie },
      ...(key ? { headers: { 'idempotency-key': key } } : {}),
    } as InjectOptions),
  };
}

const ticketRow = (hub: TestHub, label: string) =>
  hub.ctx.db.prepare('SELECT cancelled_at, issued_by FROM tickets WHERE label = ?').get(label) as { cancelled_at: number | null; issued_by: string } | undefined;
const ticketCount = (hub: TestHub) => (hub.ctx.db.prepare('SELECT count(*) AS n FROM tickets').get() as { n: number }).n;

describe("the kiosk's touch screen prints on the kiosk", () => {
  test('the ticket the screen gets comes out of the kiosk\'s printer, as the kiosk\'s own; a repeat or a bad mobile prints nothing', async (t) => {
    const hub = await startTestHub(t);
    const kiosk = await startKiosk(t, hub);
    await hubSees(hub, true, 'ok');
    const sim = simOf(kiosk.io)!;
    const screen = await pairScreen(hub);

    const printed = next(kiosk, 'printed');
    const r = await screen.take({ line: 'A' }, 'screen-print-0001');
    const { ticket } = expectOk<{ ticket: IssuedTicket }>(r);
    assert.equal(ticket.number, 'A001');
    assert.equal(await printed, 'A001');
    assert.equal(sim.printed().length, 1, 'one ticket cut');
    const content = kiosk.lastPrinted!;
    assert.equal(content.number, 'A001');
    assert.equal(content.center, hub.ctx.config.centerName);
    assert.equal(content.lineName, ticket.lineName);
    assert.equal(content.link, ticket.link, 'the live page\'s QR as on the screen\'s ticket');
    // The raster on the paper is the ticket rendered for that content (as a button's ticket is).
    const decoded = sim.lastPrinted()!;
    const expected = renderTicket(content, '80mm').image;
    assert.ok(decoded.width === expected.width && Buffer.from(decoded.data).equals(Buffer.from(expected.data)), 'the printed raster is A001\'s ticket');
    assert.deepEqual(ticketRow(hub, 'A001'), { cancelled_at: null, issued_by: 'device:kiosk-1' });
    await until('kiosk ready again', () => kiosk.state().phase === 'ready');

    // The same request again (a second tap, a retry after a lost answer): the same ticket, no second paper.
    const again = expectOk<{ ticket: IssuedTicket }>(await screen.take({ line: 'A' }, 'screen-print-0001'));
    assert.equal(again.ticket.number, 'A001');
    // A bad mobile rolls the ticket back: no print request leaves the hub.
    expectError(await screen.take({ line: 'A', mobile: '0131234' }, 'screen-print-0002'), 400, 'INVALID_MOBILE');
    await sleep(300);
    assert.equal(sim.printed().length, 1, 'nothing more printed');
    assert.equal(ticketCount(hub), 1);

    // The kiosk's own button still works after, and numbers follow on.
    const own = next(kiosk, 'printed');
    await sim.press(0);
    assert.equal(await own, 'A002');
  });

  test('busy printing a button\'s ticket, the kiosk prints the screen\'s next, in order', async (t) => {
    const hub = await startTestHub(t);
    const kiosk = await startKiosk(t, hub);
    await hubSees(hub, true, 'ok');
    const sim = simOf(kiosk.io)!;
    const screen = await pairScreen(hub);
    const numbers: string[] = [];
    kiosk.events.on('printed', (n) => numbers.push(n));
    // A screen request lands while the button's ticket is requested or printing.
    let sent: Promise<LightMyRequestResponse> | null = null;
    let waited = false;
    const onState = () => {
      if (!sent && kiosk.state().phase !== 'ready') sent = screen.take({ line: 'B' });
      waited ||= kiosk.state().queued.some((q) => q.number === 'B001');
    };
    kiosk.events.on('state', onState);
    await sim.press(0);
    await until('the screen request sent', () => sent !== null);
    expectOk(await sent!);
    await until('both printed', () => numbers.length === 2);
    kiosk.events.off('state', onState);
    assert.deepEqual(numbers, ['A001', 'B001']);
    assert.ok(waited, 'B001 waited in the kiosk\'s FIFO while A001 was on its way');
    assert.equal(sim.printed().length, 2);
  });

  test('the kiosk\'s program offline or its printer out of paper: the screen is refused in Arabic and nothing is issued', async (t) => {
    const hub = await startTestHub(t);
    const screen = await pairScreen(hub);
    // Never connected.
    const off = expectError(await screen.take({ line: 'A' }), 409, 'KIOSK_OFFLINE');
    assert.match(off.message, /الكشك غير متصل/);
    assert.equal(ticketCount(hub), 0);

    const kiosk = await startKiosk(t, hub);
    await hubSees(hub, true, 'ok');
    const sim = simOf(kiosk.io)!;
    sim.setPaper('paper-out');
    await hubSees(hub, true, 'paper-out');
    const paper = expectError(await screen.take({ line: 'A', mobile: '01012345678' }), 409, 'PRINTER_UNAVAILABLE');
    assert.match(paper.message, /طابعة الكشك غير جاهزة/);
    assert.equal(ticketCount(hub), 0);
    assert.equal((hub.ctx.db.prepare('SELECT count(*) AS n FROM sms_outbox').get() as { n: number }).n, 0, 'no SMS queued');

    // Paper back: the screen works again.
    sim.setPaper('ok');
    await hubSees(hub, true, 'ok');
    const printed = next(kiosk, 'printed');
    expectOk(await screen.take({ line: 'A' }));
    assert.equal(await printed, 'A001');

    // The kiosk's program stops: refused again.
    await kiosk.stop();
    await hubSees(hub, false);
    expectError(await screen.take({ line: 'A' }), 409, 'KIOSK_OFFLINE');
    assert.equal(ticketCount(hub), 1);
  });

  test('no print, no ticket: the paper runs out during the screen ticket\'s print and the kiosk cancels its number', async (t) => {
    const hub = await startTestHub(t);
    const kiosk = await startKiosk(t, hub);
    await hubSees(hub, true, 'ok');
    const sim = simOf(kiosk.io)!;
    const screen = await pairScreen(hub);
    const onState = () => {
      if (kiosk.state().phase === 'printing') sim.setPaper('paper-out');
    };
    kiosk.events.on('state', onState);
    const cancelled = next(kiosk, 'cancelled');
    const { ticket } = expectOk<{ ticket: IssuedTicket }>(await screen.take({ line: 'A' }));
    assert.equal(await cancelled, ticket.number);
    kiosk.events.off('state', onState);
    assert.equal(sim.printed().length, 0, 'nothing came out');
    assert.ok(ticketRow(hub, ticket.number)!.cancelled_at !== null, 'the number is cancelled on the hub');
    assert.equal(hub.ctx.queue.lineState('A').waiting, 0, 'nobody waits under that number');
  });
});
