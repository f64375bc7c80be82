// The device contract end to end: a real hub (SQLite file, embedded broker on TCP) and
// real mqtt.js clients acting as kiosk, keypads and displays.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { topics, type HallAnnounce, type HallCalls, type LineState, type Reply, type WindowState } from '@shubbak/protocol';
import { refusalOf, refused } from '../helpers/replies.ts';
import { nextMessage, Recorder, startTestHub, type TestHub } from '../helpers/hub.ts';
import { FakeClock } from '../helpers/clock.ts';
import { SYSTEM } from '../../hub/domain/actor.ts';

/** A display-like observer: its own device connection, subscribed to the public state. */
async function observer(hub: TestHub, id = 'led-1'): Promise<Recorder> {
  const c = await hub.rawClient({ clientId: `${id}.obs`, username: id, password: hub.secretOf(id) });
  const rec = new Recorder(c);
  await c.subscribeAsync([topics.allWindowStates(), topics.allLineStates(), topics.hallAll()], { qos: 1 });
  return rec;
}

/** Send raw bytes as a device and wait for the reply with that id (or the null-id reply). */
async function rawCommand(hub: TestHub, id: string, payload: string | Buffer, expectId: string | null): Promise<Reply> {
  const c = await hub.rawClient({ clientId: `${id}.raw${Math.random().toString(36).slice(2, 6)}`, username: id, password: hub.secretOf(id) });
  await c.subscribeAsync(topics.deviceReplies(id), { qos: 1 });
  const reply = nextMessage<Reply>(c, topics.deviceReplies(id), (r) => r.id === expectId);
  await c.publishAsync(topics.deviceCommands(id), payload, { qos: 1 });
  return reply;
}

const state = (db: TestHub['ctx']['db']) => ({
  tickets: (db.prepare('SELECT count(*) AS n FROM tickets').get() as { n: number }).n,
  visits: db.prepare('SELECT id, status FROM visits ORDER BY id').all(),
  windows: db.prepare('SELECT number, status, current_visit, seq FROM windows ORDER BY number').all(),
});

describe('the device contract over MQTT', () => {
  test('ticket.issue replies with the number, people ahead and the estimated wait', async (t) => {
    const hub = await startTestHub(t);
    const kiosk = await hub.device('kiosk-1');
    const first = (await kiosk.command('ticket.issue', { line: 'A' })) as { ticket: Record<string, unknown> };
    assert.equal(first.ticket.number, 'A001');
    assert.equal(first.ticket.line, 'A');
    assert.equal(first.ticket.lineName, 'استلام الطلبات');
    assert.equal(first.ticket.ahead, 0);
    assert.equal(first.ticket.estimatedWaitMin, 0);
    const second = (await kiosk.command('ticket.issue', { line: 'A' })) as { ticket: Record<string, unknown> };
    assert.equal(second.ticket.number, 'A002');
    assert.equal(second.ticket.ahead, 1);
    // Line A is served by windows 1, 2 and 3; no history yet → 5 min default × 1 ahead ÷ 3 windows.
    assert.equal(second.ticket.estimatedWaitMin, Math.ceil((1 * 5) / 3));
    const b = (await kiosk.command('ticket.issue', { line: 'B' })) as { ticket: Record<string, unknown> };
    assert.equal(b.ticket.number, 'B001', 'each line numbers on its own');
  });

  test('keypad next → retained window state, hall calls and the announcement', async (t) => {
    const hub = await startTestHub(t);
    const obs = await observer(hub);
    const kiosk = await hub.device('kiosk-1');
    (await kiosk.command('ticket.issue', { line: 'A' }));
    const keypad = await hub.device('keypad-1');

    const windowState = obs.waitFor<WindowState>(topics.windowState(1), (s) => s.ticket === 'A001');
    const hall = obs.waitFor<HallCalls>(topics.hallCalls(), (h) => h.calls.length > 0);
    const announce = obs.waitFor<HallAnnounce>(topics.hallAnnounce());
    const line = obs.waitFor<LineState>(topics.lineState('A'), (l) => l.waiting === 0);
    const r = (await keypad.command('window.next', {})) as WindowState;
    assert.equal(r.ticket, 'A001');
    assert.equal(r.status, 'serving');
    const ws = await windowState;
    assert.equal(ws.window, 1);
    assert.equal(ws.label, 'شباك 1');
    assert.equal(ws.line, 'A');
    assert.ok(ws.seq > 0);
    assert.deepEqual((await hall).calls[0], { ticket: 'A001', window: 1, at: ws.calledAt });
    assert.deepEqual(await announce, { ticket: 'A001', window: 1, at: ws.calledAt, recall: false });
    assert.equal((await line).waiting, 0);

    // A device that connects later sees the current state at once (retained).
    const late = await observer(hub, 'led-2');
    const seen = await late.waitFor<WindowState>(topics.windowState(1));
    assert.equal(seen.ticket, 'A001');
    assert.equal(seen.seq, ws.seq);

    // Recall re-announces; next on an empty queue finishes the ticket and says QUEUE_EMPTY.
    const recallAnnounce = obs.waitFor<HallAnnounce>(topics.hallAnnounce(), (a) => a.recall);
    (await keypad.command('window.recall', {}));
    assert.equal((await recallAnnounce).ticket, 'A001');
    assert.equal((await refused(keypad.command('window.next', {}))).code, 'QUEUE_EMPTY');
    const idle = hub.ctx.queue.windowState(1);
    assert.equal(idle.status, 'idle');
    assert.equal(idle.ticket, null);
    const visit = hub.ctx.db.prepare("SELECT status FROM visits v JOIN tickets t ON t.id = v.ticket_id WHERE t.label = 'A001'").get() as { status: string };
    assert.equal(visit.status, 'done');
  });

  test('priority tickets are called first, then by arrival', async (t) => {
    const clock = new FakeClock(Date.parse('2026-11-29T08:00:00Z'));
    const hub = await startTestHub(t, { clock: clock.now, config: { commandTtlMs: 600_000 } });
    const kiosk = await hub.device('kiosk-1');
    const issue = async (priority: boolean) => {
      clock.advance(1000);
      return ((await kiosk.command('ticket.issue', { line: 'A', priority })) as { ticket: { number: string; ahead: number } }).ticket;
    };
    await issue(false); // A001
    await issue(false); // A002
    const p = await issue(true); // A003, priority
    assert.equal(p.ahead, 0, 'a priority ticket has nobody ahead of it');
    await issue(false); // A004
    const keypad = await hub.device('keypad-1');
    const order: string[] = [];
    for (let i = 0; i < 4; i++) order.push(((await keypad.command('window.next', {})) as WindowState).ticket!);
    assert.deepEqual(order, ['A003', 'A001', 'A002', 'A004']);
  });

  test('transfer keeps the number and puts the citizen in the new line', async (t) => {
    const hub = await startTestHub(t);
    const kiosk = await hub.device('kiosk-1');
    (await kiosk.command('ticket.issue', { line: 'A' }));
    (await kiosk.command('ticket.issue', { line: 'B' })); // B001 already waits at the treasury
    const keypad1 = await hub.device('keypad-1');
    (await keypad1.command('window.next', {}));
    const after = (await keypad1.command('window.transfer', { toLine: 'B' })) as WindowState;
    assert.equal(after.status, 'idle');
    assert.equal(hub.ctx.queue.lineState('B').waiting, 2);
    const keypad4 = await hub.device('keypad-4');
    assert.equal(((await keypad4.command('window.next', {})) as WindowState).ticket, 'B001');
    const second = (await keypad4.command('window.next', {})) as WindowState;
    assert.equal(second.ticket, 'A001', 'the same number, now at the treasury');
    assert.equal(second.line, 'B');
    // A keypad may only transfer to the lines in its config.
    (await kiosk.command('ticket.issue', { line: 'A' }));
    (await keypad1.command('window.next', {}));
    assert.equal((await refused(keypad1.command('window.transfer', { toLine: 'A' }))).code, 'FORBIDDEN');
  });

  test('no-show goes back to the line once, then is dropped', async (t) => {
    const clock = new FakeClock(Date.parse('2026-11-29T08:00:00Z'));
    const hub = await startTestHub(t, { clock: clock.now, config: { commandTtlMs: 600_000, noShowRequeueLimit: 1 } });
    const kiosk = await hub.device('kiosk-1');
    (await kiosk.command('ticket.issue', { line: 'A' }));
    clock.advance(1000);
    (await kiosk.command('ticket.issue', { line: 'A' }));
    const keypad = await hub.device('keypad-1');
    assert.equal(((await keypad.command('window.next', {})) as WindowState).ticket, 'A001');
    clock.advance(1000);
    (await keypad.command('window.noShow', {}));
    assert.equal(((await keypad.command('window.next', {})) as WindowState).ticket, 'A002');
    clock.advance(1000);
    assert.equal(((await keypad.command('window.next', {})) as WindowState).ticket, 'A001', 'requeued behind A002');
    (await keypad.command('window.noShow', {}));
    assert.equal((await refused(keypad.command('window.next', {}))).code, 'QUEUE_EMPTY');
    const v = hub.ctx.db.prepare("SELECT v.status, v.no_shows FROM visits v JOIN tickets t ON t.id = v.ticket_id WHERE t.label = 'A001'").get();
    assert.deepEqual({ ...(v as object) }, { status: 'no_show', no_shows: 2 });
    assert.equal((await refused(keypad.command('window.noShow', {}))).code, 'NO_CURRENT_TICKET');
  });

  test('pause and resume; recall is limited', async (t) => {
    const hub = await startTestHub(t, { config: { recallLimit: 2 } });
    const kiosk = await hub.device('kiosk-1');
    (await kiosk.command('ticket.issue', { line: 'A' }));
    const keypad = await hub.device('keypad-2');
    (await keypad.command('window.next', {}));
    (await keypad.command('window.recall', {}));
    (await keypad.command('window.recall', {}));
    assert.equal((await refused(keypad.command('window.recall', {}))).code, 'RECALL_LIMIT');
    (await keypad.command('window.finish', {})); // pause is refused while a citizen is at the window
    assert.equal(((await keypad.command('window.pause', {})) as WindowState).status, 'paused');
    assert.equal(hub.ctx.queue.lineState('A').estimatedWaitMin, 0);
    assert.equal(((await keypad.command('window.resume', {})) as WindowState).status, 'idle');
  });

  test('numbers restart at midnight Africa/Cairo', async (t) => {
    // 29 Nov 2026: Cairo is UTC+2, so the day ends at 22:00 UTC.
    const clock = new FakeClock(Date.parse('2026-11-29T21:58:00Z'));
    const hub = await startTestHub(t, { clock: clock.now });
    const kiosk = await hub.device('kiosk-1');
    (await kiosk.command('ticket.issue', { line: 'A' }));
    assert.equal(((await kiosk.command('ticket.issue', { line: 'A' })) as { ticket: { number: string } }).ticket.number, 'A002');
    clock.set(Date.parse('2026-11-29T21:59:59Z'));
    hub.publishClock();
    await new Promise((r) => kiosk.once('clock', r));
    assert.equal(((await kiosk.command('ticket.issue', { line: 'A' })) as { ticket: { number: string } }).ticket.number, 'A003');
    clock.set(Date.parse('2026-11-29T22:00:01Z'));
    hub.publishClock();
    await new Promise((r) => kiosk.once('clock', r));
    const next = ((await kiosk.command('ticket.issue', { line: 'A' })) as { ticket: { number: string; ahead: number } }).ticket;
    assert.equal(next.number, 'A001', 'a new day in Cairo');
    assert.equal(next.ahead, 0, "yesterday's tickets are not ahead of today's");
    // Yesterday's waiting tickets are never called today.
    const keypad = await hub.device('keypad-1');
    assert.equal(((await keypad.command('window.next', {})) as WindowState).ticket, 'A001');
    assert.equal((await refused(keypad.command('window.next', {}))).code, 'QUEUE_EMPTY');
  });

  test('the broker refuses a wrong secret, an unknown device, a borrowed client id and anonymous access', async (t) => {
    const hub = await startTestHub(t);
    const tryConnect = (opts: Record<string, unknown>) =>
      hub.rawClient(opts).then(
        () => 'connected',
        (e: Error & { code?: number }) => `refused:${e.code ?? e.message}`,
      );
    assert.equal(await tryConnect({ clientId: 'kiosk-1', username: 'kiosk-1', password: 'wrong' }), 'refused:5');
    assert.equal(await tryConnect({ clientId: 'ghost-1', username: 'ghost-1', password: 'x' }), 'refused:5');
    assert.equal(await tryConnect({ clientId: 'keypad-1', username: 'kiosk-1', password: hub.secretOf('kiosk-1') }), 'refused:5');
    assert.equal(await tryConnect({ clientId: 'anon' }), 'refused:5');
    assert.equal(await tryConnect({ clientId: 'kiosk-1', username: 'kiosk-1', password: hub.secretOf('kiosk-1') }), 'connected');
  });

  test('a device is held to its own topics', async (t) => {
    const hub = await startTestHub(t);
    const obs = await observer(hub, 'led-3');
    const before = hub.ctx.queue.windowState(1);

    // Subscribing to another device's replies or to everything: refused (granted 128), connection kept.
    const c = await hub.rawClient({ clientId: 'kiosk-1.acl', username: 'kiosk-1', password: hub.secretOf('kiosk-1') });
    const grant = (filter: string) =>
      // mqtt.js reports a refused filter (granted 128) as an error.
      new Promise<number>((resolve) => c.subscribe(filter, { qos: 1 }, (e, granted) => resolve(e ? 128 : granted![0].qos)));
    assert.equal(await grant(topics.deviceReplies('keypad-1')), 128);
    assert.equal(await grant('shubbak/v1/#'), 128);
    assert.equal(await grant(topics.deviceConfig('kiosk-1')), 1);
    assert.equal(await grant(topics.clock()), 1);
    assert.ok(c.connected, 'a refused subscription keeps the connection');

    // Publishing a window state or another device's commands: the broker drops the connection, nothing changes.
    const leaked = () => obs.seen.filter((m) => m.topic === topics.windowState(1) && JSON.stringify(m.payload).includes('Z999'));
    const closed = new Promise<void>((r) => c.once('close', () => r()));
    c.publish(topics.windowState(1), JSON.stringify({ ...before, ticket: 'Z999', seq: before.seq + 100 }), { qos: 1, retain: true });
    await closed;
    const c2 = await hub.rawClient({ clientId: 'kiosk-1.acl2', username: 'kiosk-1', password: hub.secretOf('kiosk-1') });
    const closed2 = new Promise<void>((r) => c2.once('close', () => r()));
    c2.publish(topics.deviceCommands('keypad-1'), JSON.stringify({ id: 'abcdefgh1', type: 'window.next', at: Date.now() }), { qos: 1 });
    await closed2;
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(leaked(), []);
    assert.deepEqual(hub.ctx.queue.windowState(1), before);
    // A later subscriber still gets the hub's retained state, not the forged one.
    const late = await observer(hub, 'led-4');
    assert.equal((await late.waitFor<WindowState>(topics.windowState(1))).ticket, null);
    // A kiosk may not run a keypad's command, even on its own topic.
    const kiosk = await hub.device('kiosk-1');
    assert.equal((await refused(kiosk.command('window.next', {}))).code, 'FORBIDDEN');
    // … nor issue for a line that is not on its buttons.
    assert.equal((await refused(kiosk.command('ticket.issue', { line: 'Z' }))).code, 'FORBIDDEN');
  });

  test('bad input gets an error reply and changes nothing', async (t) => {
    const hub = await startTestHub(t);
    const kiosk = await hub.device('kiosk-1'); // keeps the hub's clock for valid stamps
    const before = state(hub.ctx.db);
    const at = () => Math.round(kiosk.hubNow()!);

    const notJson = await rawCommand(hub, 'kiosk-1', '{"id":"bad-json-01", "type": ', 'bad-json-01');
    assert.equal(refusalOf(notJson).code, 'BAD_REQUEST');
    const noId = await rawCommand(hub, 'kiosk-1', 'not json at all', null);
    assert.equal(refusalOf(noId).code, 'BAD_REQUEST');
    const wrongType = await rawCommand(hub, 'kiosk-1', JSON.stringify({ id: 'wrong-type-1', type: 'ticket.issue', line: 7, at: at() }), 'wrong-type-1');
    const e = refusalOf(wrongType);
    assert.equal(e.code, 'BAD_REQUEST');
    assert.ok(e.details?.some((d) => d.path === '/line'), JSON.stringify(e));
    assert.match(e.message, /[\u0600-\u06FF]/, 'the message is Arabic');
    const unknown = await rawCommand(hub, 'kiosk-1', JSON.stringify({ id: 'unknown-01', type: 'ticket.steal', at: at() }), 'unknown-01');
    assert.equal(refusalOf(unknown).code, 'UNKNOWN_COMMAND');
    const big = JSON.stringify({ id: 'oversize-01', type: 'ticket.issue', line: 'A', at: at(), pad: 'x'.repeat(5000) });
    assert.equal(refusalOf(await rawCommand(hub, 'kiosk-1', big, 'oversize-01')).code, 'BAD_REQUEST');
    const array = await rawCommand(hub, 'kiosk-1', '[1,2,3]', null);
    assert.equal(refusalOf(array).code, 'BAD_REQUEST');
    const closedLine = await (async () => {
      hub.ctx.queue.setLineOpen('D', false);
      return kiosk.request('ticket.issue', { line: 'D' });
    })();
    assert.equal(refusalOf(closedLine).code, 'LINE_CLOSED');
    hub.ctx.queue.setLineOpen('D', true);

    const after = state(hub.ctx.db);
    assert.equal(after.tickets, before.tickets);
    assert.deepEqual(after.visits, before.visits);
    // Malformed status and health payloads are ignored, and the hub is still up.
    const c = await hub.rawClient({ clientId: 'kiosk-1.h', username: 'kiosk-1', password: hub.secretOf('kiosk-1') });
    await c.publishAsync(topics.deviceHealth('kiosk-1'), '{"printer": 42}', { qos: 1 });
    await c.publishAsync(topics.deviceStatus('kiosk-1'), 'garbage', { qos: 1 });
    assert.equal(((await kiosk.command('ticket.issue', { line: 'A' })) as { ticket: { number: string } }).ticket.number, 'A001');
  });

  test('the same command id twice: one ticket, identical replies', async (t) => {
    const hub = await startTestHub(t);
    const kiosk = await hub.device('kiosk-1');
    const r1 = await kiosk.request('ticket.issue', { line: 'A' }, 'retry-me-0001');
    const r2 = await kiosk.request('ticket.issue', { line: 'A' }, 'retry-me-0001');
    assert.deepEqual(r2, r1);
    assert.equal((hub.ctx.db.prepare('SELECT count(*) AS n FROM tickets').get() as { n: number }).n, 1);
    // The same for a keypad: a redelivered Next does not skip a citizen.
    (await kiosk.command('ticket.issue', { line: 'A' }));
    const keypad = await hub.device('keypad-1');
    const n1 = await keypad.request('window.next', {}, 'next-once-0001');
    const n2 = await keypad.request('window.next', {}, 'next-once-0001');
    assert.deepEqual(n2, n1);
    assert.equal(hub.ctx.queue.lineState('A').waiting, 1, 'A002 still waits');
    // Two devices may use the same id independently.
    const other = (await keypad.command('window.next', {}, 'retry-me-0001')) as WindowState;
    assert.equal(other.ticket, 'A002');
  });

  test('a stale command is refused, not executed late', async (t) => {
    const hub = await startTestHub(t);
    const kiosk = await hub.device('kiosk-1');
    const old = Math.round(kiosk.hubNow()!) - 60_000;
    const r = await rawCommand(hub, 'kiosk-1', JSON.stringify({ id: 'stale-cmd-01', type: 'ticket.issue', line: 'A', at: old }), 'stale-cmd-01');
    assert.equal(refusalOf(r).code, 'STALE');
    assert.equal((hub.ctx.db.prepare('SELECT count(*) AS n FROM tickets').get() as { n: number }).n, 0);
  });

  test('an unbound device is told it is not provisioned', async (t) => {
    const hub = await startTestHub(t);
    hub.ctx.devices.bind('keypad-6', { window: null });
    const keypad = await hub.device('keypad-6');
    assert.equal(keypad.config, null);
    assert.equal((await refused(keypad.command('window.next', {}))).code, 'NOT_PROVISIONED');
  });

  test('after a restart on the same data dir: same retained state, numbering continues', async (t) => {
    let hub = await startTestHub(t);
    const kiosk = await hub.device('kiosk-1');
    (await kiosk.command('ticket.issue', { line: 'A' }));
    (await kiosk.command('ticket.issue', { line: 'A' }));
    const keypad = await hub.device('keypad-1');
    (await keypad.command('window.next', {}));
    const w1 = hub.ctx.queue.windowState(1);
    const a = hub.ctx.queue.lineState('A');
    const hall = hub.ctx.queue.hallCalls();

    hub = await hub.restart();
    const obs = await observer(hub, 'led-1');
    const [ws, ls, hc] = await Promise.all([
      obs.waitFor<WindowState>(topics.windowState(1)),
      obs.waitFor<LineState>(topics.lineState('A')),
      obs.waitFor<HallCalls>(topics.hallCalls()),
    ]);
    assert.deepEqual(ws, w1);
    assert.deepEqual(ls, a);
    assert.deepEqual(hc, hall);
    const kiosk2 = await hub.device('kiosk-1');
    assert.equal(((await kiosk2.command('ticket.issue', { line: 'A' })) as { ticket: { number: string } }).ticket.number, 'A003');
    // seq never goes back across the restart.
    const keypad2 = await hub.device('keypad-1');
    const moved = (await keypad2.command('window.next', {})) as WindowState;
    assert.ok(moved.seq > w1.seq);
  });

  test('the hub service identity may do everything; its secret is written once, 0600', async (t) => {
    const hub = await startTestHub(t);
    const fs = await import('node:fs');
    const file = `${hub.dataDir}/hub.secret`;
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.equal(fs.statSync(`${hub.dataDir}/devices.json`).mode & 0o777, 0o600);
    const secret = fs.readFileSync(file, 'utf8').trim();
    const c = await hub.rawClient({ clientId: 'hub.tool', username: 'hub', password: secret });
    const rec = new Recorder(c);
    await c.subscribeAsync('shubbak/v1/#', { qos: 1 });
    await rec.waitFor(topics.windowState(1));
    await assert.rejects(hub.rawClient({ clientId: 'hub.x', username: 'hub', password: 'guess' }));
    // No device can take the hub's name.
    assert.throws(() => hub.ctx.devices.register({ id: 'hub', kind: 'kiosk' }));
  });

  test("yesterday's parked and waiting tickets are closed by the first write of a new day", async (t) => {
    const clock = new FakeClock(Date.parse('2026-11-29T20:00:00Z'));
    const hub = await startTestHub(t, { clock: clock.now });
    const q = hub.ctx.queue;
    q.issue({ line: 'A', by: SYSTEM });
    q.issue({ line: 'A', by: SYSTEM });
    q.next(1, SYSTEM);
    const parked = q.park(1, SYSTEM);
    assert.equal(q.lineState('A').waiting, 1);
    clock.set(Date.parse('2026-11-29T22:30:00Z')); // after midnight in Cairo
    q.issue({ line: 'B', by: SYSTEM });
    const statuses = hub.ctx.db.prepare('SELECT t.label, v.status FROM visits v JOIN tickets t ON t.id = v.ticket_id ORDER BY v.id').all();
    assert.deepEqual(statuses.map((r) => ({ ...(r as object) })), [
      { label: 'A001', status: 'cancelled' },
      { label: 'A002', status: 'cancelled' },
      { label: 'B001', status: 'waiting' },
    ]);
    assert.equal(q.lineState('A').waiting, 0);
    assert.throws(() => q.unpark(parked.ticketId, 'B', SYSTEM), /./, 'a closed ticket cannot rejoin a line');
  });

  test('an over-size MQTT packet closes that connection before the hub buffers it; the hub carries on', async (t) => {
    const hub = await startTestHub(t);
    const c = await hub.rawClient({ clientId: 'kiosk-1.big', username: 'kiosk-1', password: hub.secretOf('kiosk-1') });
    const closed = new Promise<void>((r) => c.once('close', () => r()));
    c.publish(topics.deviceHealth('kiosk-1'), Buffer.alloc(2_000_000, 0x20), { qos: 0 });
    await closed;
    const kiosk = await hub.device('kiosk-1');
    assert.equal(((await kiosk.command('ticket.issue', { line: 'A' })) as { ticket: { number: string } }).ticket.number, 'A001');
  });
});
