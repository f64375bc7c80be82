// Issue 11 items 3–5 at the hub, over MQTT (real broker, real keypad clients) and HTTP:
// Next on a paused window is refused (WINDOW_PAUSED) and calls nobody; pause with a
// citizen at the window is refused (finish first) and never closes the ticket; a requeued
// priority no-show goes behind everyone waiting; window.finish ends the service (the last
// citizen of the day is counted with its real service time); signing out finishes the
// citizen at the clerk's window and closes it.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { WindowState } from '@shubbak/protocol';
import { refused } from '../helpers/replies.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';
import { signIn } from '../helpers/staff.ts';
import { FakeClock } from '../helpers/clock.ts';
import { SYSTEM } from '../../hub/domain/actor.ts';

const visitsOf = (hub: TestHub) =>
  hub.ctx.db.prepare('SELECT t.label, v.status FROM visits v JOIN tickets t ON t.id = v.ticket_id ORDER BY v.id').all() as { label: string; status: string }[];

describe("a window's day at the hub", () => {
  test('MQTT: window.next on a paused window is WINDOW_PAUSED and calls nobody', async (t) => {
    const hub = await startTestHub(t);
    const kiosk = await hub.device('kiosk-1');
    (await kiosk.command('ticket.issue', { line: 'A' }));
    const keypad = await hub.device('keypad-2');
    assert.equal(((await keypad.command('window.pause', {})) as WindowState).status, 'paused');
    const refusal = await refused(keypad.command('window.next', {}));
    assert.equal(refusal.code, 'WINDOW_PAUSED');
    assert.match(refusal.message, /[\u0600-\u06FF]/, 'an Arabic message for the clerk');
    assert.deepEqual(visitsOf(hub), [{ label: 'A001', status: 'waiting' }], 'A001 still waits');
    assert.equal(hub.ctx.queue.windowState(2).status, 'paused');
    assert.equal(hub.ctx.queue.hallCalls().calls.length, 0, 'nobody was called to the board');
    (await keypad.command('window.resume', {}));
    assert.equal(((await keypad.command('window.next', {})) as WindowState).ticket, 'A001');
  });

  test('MQTT: pause with a citizen at the window is refused; finish, then pause', async (t) => {
    const hub = await startTestHub(t);
    const kiosk = await hub.device('kiosk-1');
    (await kiosk.command('ticket.issue', { line: 'A' }));
    const keypad = await hub.device('keypad-2');
    (await keypad.command('window.next', {}));
    assert.equal((await refused(keypad.command('window.pause', {}))).code, 'TICKET_AT_WINDOW');
    assert.deepEqual(visitsOf(hub), [{ label: 'A001', status: 'called' }], 'the citizen is still at the window, not closed as served');
    const finished = (await keypad.command('window.finish', {})) as WindowState;
    assert.equal(finished.status, 'idle');
    assert.equal(finished.ticket, null);
    assert.deepEqual(visitsOf(hub), [{ label: 'A001', status: 'done' }]);
    assert.equal((await refused(keypad.command('window.finish', {}))).code, 'NO_CURRENT_TICKET');
    assert.equal(((await keypad.command('window.pause', {})) as WindowState).status, 'paused');
  });

  test('a requeued priority no-show goes behind everyone waiting at that moment', async (t) => {
    const hub = await startTestHub(t);
    const kiosk = await hub.device('kiosk-1');
    (await kiosk.command('ticket.issue', { line: 'A', priority: true })); // A001, priority
    (await kiosk.command('ticket.issue', { line: 'A' })); // A002
    (await kiosk.command('ticket.issue', { line: 'A' })); // A003
    const keypad = await hub.device('keypad-2');
    assert.equal(((await keypad.command('window.next', {})) as WindowState).ticket, 'A001');
    (await keypad.command('window.noShow', {})); // sent to the back of the line
    assert.equal(((await keypad.command('window.next', {})) as WindowState).ticket, 'A002', 'not A001 again at once');
    assert.equal(((await keypad.command('window.next', {})) as WindowState).ticket, 'A003');
    assert.equal(((await keypad.command('window.next', {})) as WindowState).ticket, 'A001', 'its turn comes after those who waited');
    // The waiting counts kept by triggers stay right through the requeue without priority.
    assert.deepEqual({ ...(hub.ctx.db.prepare("SELECT waiting, waiting_priority FROM lines WHERE letter = 'A'").get() as object) }, { waiting: 0, waiting_priority: 0 });
  });

  test('HTTP: next on a paused window is 409 WINDOW_PAUSED; finish gives the last citizen a service time', async (t) => {
    const clock = new FakeClock(Date.parse('2026-11-29T08:00:00Z'));
    const hub = await startTestHub(t, { clock: clock.now });
    const intake = await signIn(hub, 'intake'); // window 1
    const issue = async () => (await hub.ctx.queue.issue({ line: 'A', by: SYSTEM })).number;
    await issue();
    const post = (path: string) => intake.inject({ method: 'POST', url: `/api/windows/1/${path}` });
    assert.equal((await post('pause')).statusCode, 200);
    const refused = await post('next');
    assert.equal(refused.statusCode, 409);
    assert.equal(refused.json().error.code, 'WINDOW_PAUSED');
    assert.equal((await post('resume')).statusCode, 200);
    assert.equal((await post('next')).json().state.ticket, 'A001');
    clock.advance(60_000);
    assert.equal((await post('start')).statusCode, 200);
    const pauseBusy = await post('pause');
    assert.equal(pauseBusy.statusCode, 409);
    assert.equal(pauseBusy.json().error.code, 'TICKET_AT_WINDOW');
    clock.advance(4 * 60_000);
    const fin = await post('finish');
    assert.equal(fin.statusCode, 200, fin.body);
    assert.equal(fin.json().status, 'idle');
    // The last citizen of the day is served, with its four minutes at the window.
    const stats = hub.ctx.reports.queueStats({ from: '2026-11-29', to: '2026-11-29' });
    const a = stats.lines.find((l) => l.line === 'A')!;
    assert.equal(a.served, 1);
    assert.equal(a.service.meanMin, 4);
  });

  test('signing out finishes the citizen at the clerk\'s window and closes it', async (t) => {
    const hub = await startTestHub(t);
    const intake = await signIn(hub, 'intake'); // window 1
    hub.ctx.queue.issue({ line: 'A', by: SYSTEM });
    assert.equal((await intake.inject({ method: 'POST', url: '/api/windows/1/next' })).json().state.ticket, 'A001');
    const out = await intake.inject({ method: 'POST', url: '/api/auth/logout' });
    assert.equal(out.statusCode, 204);
    assert.deepEqual(visitsOf(hub), [{ label: 'A001', status: 'done' }]);
    const w = hub.ctx.queue.windowState(1);
    assert.equal(w.status, 'closed');
    assert.equal(w.ticket, null);
  });

  test('the keypad program on sim IO: Pause with a citizen sends nothing, holding it finishes; Next on a paused window sends nothing', async (t) => {
    const { simOf, startSimDevice } = await import('../../hub/sim/sim-io.ts');
    const { looksLike } = await import('@shubbak/hardware');
    const hub = await startTestHub(t);
    const keypad = await startSimDevice('keypad-1', { hubUrl: hub.mqttUrl, secret: hub.secretOf('keypad-1'), link: { minReconnectMs: 100, maxReconnectMs: 300 } });
    t.after(() => keypad.stop());
    const sim = simOf(keypad.io)!;
    const until = async (what: string, pred: () => boolean) => {
      const end = Date.now() + 5000;
      while (!pred()) {
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${sim.digits()}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    hub.ctx.queue.issue({ line: 'A', by: SYSTEM });
    hub.ctx.queue.issue({ line: 'A', by: SYSTEM });
    await until('two waiting', () => sim.digits() === '----   2');
    await sim.press(0); // Next
    await until('A001 at the window', () => sim.digits() === 'A001   1');
    await sim.press(4); // Pause, with A001 at the window
    await until('the hint', () => sim.digits() === looksLike('FIn HoLd'));
    assert.deepEqual(visitsOf(hub)[0], { label: 'A001', status: 'called' }, 'a short press never ends the service');
    await sim.hold(4); // held: Finish
    await until('A001 finished', () => visitsOf(hub)[0].status === 'done');
    assert.equal(hub.ctx.queue.windowState(1).status, 'idle');
    await until('the display is back', () => sim.digits() === '----   1');
    await sim.press(4); // Pause, nobody at the window
    await until('paused', () => hub.ctx.queue.windowState(1).status === 'paused');
    await sim.press(0); // Next on a paused window
    await until('PAUS', () => sim.digits().startsWith(looksLike('PAUS')));
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(visitsOf(hub)[1], { label: 'A002', status: 'waiting' }, 'nobody called');
  });
});
