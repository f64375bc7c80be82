// Issue 15, fault 2: one device's bad command must never fail another device's command.
// A display board publishing {"type":"__proto__"} (no id, no `at`) used to pass the type
// check (`type in CommandSchemas` matches prototype keys), slip past STALE (NaN), and
// break device_commands' NOT NULL inside the batch transaction every device shared, so
// every command of the batch was answered INTERNAL. PROTOCOL.md: "INTERNAL (this command
// only: one device's bad command never fails another's)"; "A command whose type is not
// one of the table's own names is UNKNOWN_COMMAND; at must be an integer".
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { topics, validateCommand, type Reply } from '@shubbak/protocol';
import { CommandDispatcher } from '../../hub/broker/dispatch.ts';
import { nextMessage, startTestHub } from '../helpers/hub.ts';
import type { Actor } from '../../hub/domain/actor.ts';

type Sent = { deviceId: string; reply: Reply };

describe("one device's bad command never fails another's", () => {
  test('prototype keys are not command types: __proto__, toString, constructor → UNKNOWN_COMMAND', () => {
    for (const type of ['__proto__', 'toString', 'constructor', 'hasOwnProperty', 'valueOf']) {
      const v = validateCommand({ id: 'proto-cmd-01', type, at: 1 });
      assert.equal(v.ok, false, type);
      if (!v.ok) assert.equal(v.error.code, 'UNKNOWN_COMMAND', type);
    }
    // `at` must be a finite integer.
    for (const at of [undefined, 'now', 1.5, null]) {
      const v = validateCommand({ id: 'at-check-01', type: 'window.next', at });
      assert.equal(v.ok, false, String(at));
    }
  });

  test('a batch mixing bad commands from one device with good commands from others: only the bad ones fail', async (t) => {
    const hub = await startTestHub(t);
    const sent: Sent[] = [];
    // The hub's real dispatcher class over the hub's real database; submit() queues, flush()
    // runs one batch, exactly as the broker does within one event-loop turn.
    const d = new CommandDispatcher(hub.ctx, (deviceId, reply) => sent.push({ deviceId, reply }), { error: () => {} });
    const now = hub.ctx.clock();
    const cmd = (o: object) => Buffer.from(JSON.stringify(o));
    d.submit('kiosk-1', cmd({ id: 'good-issue-01', type: 'ticket.issue', line: 'A', at: now }));
    d.submit('led-1', cmd({ type: '__proto__' }));
    d.submit('led-2', cmd({ id: 'proto-at-0001', type: '__proto__' }));
    d.submit('led-3', cmd({ type: 'toString', at: now }));
    d.submit('led-4', cmd({ id: 'ctor-cmd-0001', type: 'constructor', at: now }));
    d.submit('keypad-4', cmd({ id: 'good-issue-02', type: 'window.next', at: now }));
    d.submit('led-5', cmd({ id: 'no-at-cmd-001', type: 'window.next' }));
    d.submit('kiosk-1', cmd({ id: 'good-issue-03', type: 'ticket.issue', line: 'B', at: now }));
    d.flush();

    const by = (id: string | null, device: string) => sent.find((s) => s.deviceId === device && s.reply.id === id)?.reply;
    const good1 = by('good-issue-01', 'kiosk-1');
    const good3 = by('good-issue-03', 'kiosk-1');
    assert.equal(good1?.ok, true, JSON.stringify(sent));
    assert.equal(good3?.ok, true, JSON.stringify(sent));
    const next = by('good-issue-02', 'keypad-4');
    assert.equal(next?.ok, false); // keypad-4 serves line B: the ticket issued above is in this batch
    // … whatever its answer, it is the queue's answer, not INTERNAL.
    assert.notEqual(next?.ok === false && next.error.code, 'INTERNAL', JSON.stringify(next));
    assert.ok(!sent.some((s) => !s.reply.ok && s.reply.error.code === 'INTERNAL'), `no INTERNAL anywhere: ${JSON.stringify(sent)}`);
    // The refusals answer only their senders, with the contract's codes.
    const code = (device: string) => sent.filter((s) => s.deviceId === device).map((s) => (s.reply.ok ? 'ok' : s.reply.error.code));
    assert.deepEqual(code('led-1'), ['UNKNOWN_COMMAND']);
    assert.deepEqual(code('led-2'), ['UNKNOWN_COMMAND']);
    assert.deepEqual(code('led-3'), ['UNKNOWN_COMMAND']);
    assert.deepEqual(code('led-4'), ['UNKNOWN_COMMAND']);
    assert.deepEqual(code('led-5'), ['BAD_REQUEST']);
    assert.equal(sent.length, 8);
    // Both good tickets are on disk; refusals whose id could not be read were never stored.
    const tickets = hub.ctx.db.prepare('SELECT count(*) FROM tickets').pluck().get();
    assert.equal(tickets, 2);
    const stored = hub.ctx.db.prepare('SELECT device_id, command_id FROM device_commands ORDER BY device_id, command_id').all();
    assert.ok(!stored.some((r) => (r as { command_id: unknown }).command_id == null));
  });

  test('a command whose own write fails answers INTERNAL to its sender only; the others in the batch commit', async (t) => {
    const hub = await startTestHub(t);
    const sent: Sent[] = [];
    const d = new CommandDispatcher(hub.ctx, (deviceId, reply) => sent.push({ deviceId, reply }), { error: () => {} });
    // Make one device's command throw a non-domain error inside the batch.
    const original = hub.ctx.queue.next.bind(hub.ctx.queue);
    hub.ctx.queue.next = ((n: number, by: Actor) => {
      if (n === 2) throw new Error('simulated fault in window 2');
      return original(n, by);
    }) as typeof hub.ctx.queue.next;
    const now = hub.ctx.clock();
    const cmd = (o: object) => Buffer.from(JSON.stringify(o));
    d.submit('kiosk-1', cmd({ id: 'iso-issue-0001', type: 'ticket.issue', line: 'A', at: now }));
    d.submit('keypad-2', cmd({ id: 'iso-next-00002', type: 'window.next', at: now }));
    d.submit('kiosk-1', cmd({ id: 'iso-issue-0002', type: 'ticket.issue', line: 'A', at: now }));
    d.flush();
    const codes = sent.map((s) => `${s.deviceId}:${s.reply.ok ? 'ok' : s.reply.error.code}`);
    assert.deepEqual(codes, ['kiosk-1:ok', 'keypad-2:INTERNAL', 'kiosk-1:ok']);
    assert.equal(hub.ctx.db.prepare('SELECT count(*) FROM tickets').pluck().get(), 2);
  });

  test('over MQTT: a display board sending {"type":"__proto__"} is answered UNKNOWN_COMMAND and the kiosk beside it is served', async (t) => {
    const hub = await startTestHub(t);
    const kiosk = await hub.device('kiosk-1');
    const led = await hub.rawClient({ clientId: 'led-1.raw', username: 'led-1', password: hub.secretOf('led-1') });
    await led.subscribeAsync(topics.deviceReplies('led-1'), { qos: 1 });
    const refusal = nextMessage<Reply>(led, topics.deviceReplies('led-1'));
    // Both in flight at once: the kiosk's command and the board's garbage share a batch.
    const [issued] = await Promise.all([
      kiosk.request('ticket.issue', { line: 'A' }),
      led.publishAsync(topics.deviceCommands('led-1'), '{"type":"__proto__"}', { qos: 1 }),
      led.publishAsync(topics.deviceCommands('led-1'), '{"type":"__proto__"}', { qos: 1 }),
    ]);
    assert.equal(issued.ok, true, JSON.stringify(issued));
    const r = await refusal;
    assert.equal(r.ok, false);
    if (!r.ok) assert.equal(r.error.code, 'UNKNOWN_COMMAND');
    assert.equal(r.id, null);
  });

  test('a BAD_REQUEST reply with a readable id is remembered: the same id gets the same reply', async (t) => {
    const hub = await startTestHub(t);
    const sent: Sent[] = [];
    const d = new CommandDispatcher(hub.ctx, (deviceId, reply) => sent.push({ deviceId, reply }), { error: () => {} });
    const now = hub.ctx.clock();
    d.submit('kiosk-1', Buffer.from(JSON.stringify({ id: 'bad-then-good1', type: 'ticket.issue', line: 7, at: now })));
    d.flush();
    d.submit('kiosk-1', Buffer.from(JSON.stringify({ id: 'bad-then-good1', type: 'ticket.issue', line: 'A', at: now })));
    d.flush();
    assert.equal(sent.length, 2);
    assert.deepEqual(sent[1].reply, sent[0].reply, 'the first answer again, not a second execution');
    assert.equal(hub.ctx.db.prepare('SELECT count(*) FROM tickets').pluck().get(), 0);
  });
});
