// DeviceLink's one failure path (issue 12 item 7), against a bare aedes broker that plays
// the hub: it holds the clock (retained) and answers each command on the device's replies
// topic as the test says — or stays silent. command() resolves with the command's typed
// result or rejects with a LinkError, whatever went wrong: the hub's refusal, a reply that
// does not fit, no reply in time, the link going down, the link being closed.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { Aedes } from 'aedes';
import { DeviceLink, LinkError } from '@shubbak/protocol/device-link';
import { topics, type Reply, type WindowState } from '@shubbak/protocol';

type Answer = (cmd: { id: string; type: string }) => Reply | null;

async function fakeHub(t: import('node:test').TestContext, answer: Answer) {
  const broker = await Aedes.createBroker();
  const server = net.createServer(broker.handle);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((res, rej) =>
    broker.publish({ cmd: 'publish', topic: topics.clock(), payload: Buffer.from(JSON.stringify({ at: Date.now() })), qos: 0, retain: true, dup: false }, (e) => (e ? rej(e) : res())),
  );
  broker.on('publish', (packet, client) => {
    if (!client || packet.topic !== topics.deviceCommands(client.id)) return;
    const reply = answer(JSON.parse(packet.payload.toString()) as { id: string; type: string });
    if (reply) broker.publish({ cmd: 'publish', topic: topics.deviceReplies(client.id), payload: Buffer.from(JSON.stringify(reply)), qos: 1, retain: false, dup: false }, () => {});
  });
  t.after(async () => {
    await new Promise<void>((r) => broker.close(() => r()));
    await new Promise<void>((r) => server.close(() => r()));
  });
  const clients = () => (broker as unknown as { clients: Record<string, { close(): void }> }).clients;
  return { url: `mqtt://127.0.0.1:${port}`, dropClients: () => Object.values(clients()).forEach((c) => c.close()) };
}

async function link(t: import('node:test').TestContext, url: string, opts: Partial<ConstructorParameters<typeof DeviceLink>[0]> = {}): Promise<DeviceLink> {
  const l = new DeviceLink({ url, deviceId: 'keypad-1', secret: 'x', kind: 'keypad', minReconnectMs: 60_000, maxReconnectMs: 60_000, ...opts });
  l.on('error', () => {});
  t.after(() => l.close());
  const end = Date.now() + 5000;
  while (!(l.isOnline && l.hubNow() !== null)) {
    if (Date.now() > end) throw new Error('the link did not come on line with the clock');
    await new Promise((r) => setTimeout(r, 10));
  }
  return l;
}

/** Settles within ms, or says it did not. */
function settled<T>(p: Promise<T>, ms = 2000): Promise<{ value?: T; error?: unknown; pending?: true }> {
  return Promise.race([
    p.then((value) => ({ value }), (error: unknown) => ({ error })),
    new Promise<{ pending: true }>((r) => setTimeout(() => r({ pending: true }), ms)),
  ]);
}

const STATE: WindowState = { window: 1, label: 'شباك 1', status: 'serving', ticket: 'A001', line: 'A', calledAt: 1_700_000_000_000, seq: 3 };

describe("the device link's one failure path", () => {
  test('command() resolves with the typed result of its schema', async (t) => {
    const hub = await fakeHub(t, (c) => ({ id: c.id, ok: true, result: STATE, at: Date.now() }));
    const l = await link(t, hub.url);
    const state: WindowState = await l.command('window.next', {});
    assert.deepEqual(state, STATE);
  });

  test("the hub's refusal rejects with a LinkError carrying its code and message", async (t) => {
    const hub = await fakeHub(t, (c) => ({ id: c.id, ok: false, error: { code: 'QUEUE_EMPTY', message: 'لا يوجد مواطنون في الانتظار' }, at: Date.now() }));
    const l = await link(t, hub.url);
    await assert.rejects(l.command('window.next', {}), (e: unknown) => e instanceof LinkError && e.code === 'QUEUE_EMPTY' && e.message === 'لا يوجد مواطنون في الانتظار');
    // request() is the level below: the whole Reply, the refusal included.
    const r = await l.request('window.next', {});
    assert.equal(r.ok, false);
  });

  test('a result that does not fit its schema rejects BAD_REPLY (no cast lets it through)', async (t) => {
    const hub = await fakeHub(t, (c) => ({ id: c.id, ok: true, result: { ticket: 42 }, at: Date.now() }));
    const l = await link(t, hub.url);
    await assert.rejects(l.command('window.next', {}), (e: unknown) => e instanceof LinkError && e.code === 'BAD_REPLY');
  });

  test('no reply in time and the link going down fail the same way: a rejected LinkError', async (t) => {
    const hub = await fakeHub(t, () => null);
    const l = await link(t, hub.url, { replyTimeoutMs: 300 });
    const timedOut = await settled(l.command('window.next', {}));
    assert.ok(timedOut.error instanceof LinkError && timedOut.error.code === 'TIMEOUT', `timeout: ${JSON.stringify(timedOut)}`);

    const l2 = await link(t, hub.url, { deviceId: 'keypad-2', replyTimeoutMs: 30_000 });
    const waiting = l2.command('window.next', {});
    await new Promise((r) => setTimeout(r, 100));
    hub.dropClients();
    const dropped = await settled(waiting);
    assert.ok(dropped.error instanceof LinkError && dropped.error.code === 'OFFLINE', `disconnect: ${JSON.stringify(dropped)}`);
  });

  test('close() settles every call still waiting', async (t) => {
    const hub = await fakeHub(t, () => null);
    const l = await link(t, hub.url, { replyTimeoutMs: 30_000 });
    const waiting: Promise<unknown>[] = [l.command('window.next', {}), l.request('window.recall', {})];
    const outcomes = waiting.map((w) => settled(w, 3000));
    await new Promise((r) => setTimeout(r, 100));
    await l.close();
    for (const o of outcomes) {
      const s = await o;
      assert.ok(s.error instanceof LinkError && s.error.code === 'OFFLINE', `after close: ${JSON.stringify(s)}`);
    }
  });
});
