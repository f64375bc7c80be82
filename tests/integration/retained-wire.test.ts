// Retained state on the wire (issue 13, item 1): the hub's retained topics go out with the
// retain flag set, so whoever comes late — a plain subscriber, a reconnecting device, a
// subscriber on a central Mosquitto that bridges the hub — gets the current state, and a
// bridge's copy follows every change instead of freezing at connect time.
//
// Before the fix the hub published live updates with retain=false: the bridge test fails
// (the central copy of lines/A/state stays at waiting 0 and a late subscriber on the
// central broker gets that stale copy); run on commit 176d6cc to see it.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mqtt from 'mqtt';
import { topics, type LineState, type WindowState } from '@shubbak/protocol';
import { Recorder, startTestHub, type TestHub } from '../helpers/hub.ts';
import { startBridgedMosquitto, type CentralBroker } from '../helpers/mosquitto.ts';
import { centralPrefix } from '../../hub/broker/bridge-config.ts';

async function connect(url: string, o: mqtt.IClientOptions, t: { after(fn: () => unknown): void }): Promise<mqtt.MqttClient> {
  const c = mqtt.connect(url, { protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 3000, ...o });
  t.after(() => c.endAsync(true));
  await new Promise<void>((resolve, reject) => {
    c.once('connect', () => resolve());
    c.once('error', reject);
  });
  return c;
}

/** Issue n tickets on line A from kiosk-1. */
async function issue(hub: TestHub, n: number): Promise<void> {
  const kiosk = await hub.device('kiosk-1');
  for (let i = 0; i < n; i++) {
    const r = await kiosk.request('ticket.issue', { line: 'A' });
    assert.equal(r.ok, true, JSON.stringify(r));
  }
}

describe('retained state on the wire', () => {
  test('a plain subscriber that connects after changes gets the current state, flagged retained', async (t) => {
    const hub = await startTestHub(t);
    await issue(hub, 3);
    const keypad = await hub.device('keypad-1');
    assert.equal((await keypad.request('window.next', {})).ok, true);
    // Line state is published at most every 100 ms: let the trailing one go out.
    await new Promise((r) => setTimeout(r, 300));

    const late = await hub.rawClient({ clientId: 'led-2.late', username: 'led-2', password: hub.secretOf('led-2') });
    const got = new Map<string, { payload: unknown; retain: boolean }>();
    late.on('message', (topic, payload, packet) => got.set(topic, { payload: JSON.parse(payload.toString()), retain: packet.retain }));
    await late.subscribeAsync([topics.lineState('A'), topics.windowState(1), topics.hallCalls()], { qos: 1 });
    const deadline = Date.now() + 3000;
    while (got.size < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal((got.get(topics.lineState('A'))?.payload as LineState).waiting, 2);
    assert.equal((got.get(topics.windowState(1))?.payload as WindowState).ticket, 'A001');
    for (const [topic, m] of got) assert.equal(m.retain, true, `${topic} arrives flagged retained`);
  });

  test('a device that reconnects gets the state that changed while it was away', async (t) => {
    const hub = await startTestHub(t);
    const led = await hub.rawClient({ clientId: 'led-1.r', username: 'led-1', password: hub.secretOf('led-1') });
    await led.subscribeAsync(topics.windowState(1), { qos: 1 });
    await led.endAsync();
    await issue(hub, 2);
    const keypad = await hub.device('keypad-1');
    assert.equal((await keypad.request('window.next', {})).ok, true);
    assert.equal((await keypad.request('window.next', {})).ok, true);
    const again = await hub.rawClient({ clientId: 'led-1.r', username: 'led-1', password: hub.secretOf('led-1') });
    const rec = new Recorder(again);
    await again.subscribeAsync(topics.windowState(1), { qos: 1 });
    const s = await rec.waitFor<WindowState>(topics.windowState(1));
    assert.equal(s.ticket, 'A002');
  });

  test('live retained updates and unretained announcements keep their order: none is dropped', async (t) => {
    // The hub numbers its retained and its other publishes apart; a subscriber to both a
    // window's state and the hall's announcements gets every state change (aedes drops a
    // packet numbered below one the client already had).
    const hub = await startTestHub(t);
    await issue(hub, 6);
    const sub = await hub.rawClient({ clientId: 'hall-1.o', username: 'hall-1', password: hub.secretOf('hall-1') });
    const rec = new Recorder(sub);
    await sub.subscribeAsync([topics.windowState(1), topics.hallAnnounce()], { qos: 1 });
    await rec.waitFor<WindowState>(topics.windowState(1));
    const keypad = await hub.device('keypad-1');
    for (let i = 0; i < 6; i++) assert.equal((await keypad.request('window.next', {})).ok, true);
    await rec.waitFor<WindowState>(topics.windowState(1), (s) => s.ticket === 'A006');
    const tickets = rec.seen.filter((s) => s.topic === topics.windowState(1)).map((s) => (s.payload as WindowState).ticket);
    assert.deepEqual(tickets.filter((x) => x !== null), ['A001', 'A002', 'A003', 'A004', 'A005', 'A006']);
    assert.equal(rec.seen.filter((s) => s.topic === topics.hallAnnounce()).length, 6);
  });

  /** The central broker's copy of one of the center's topics, read by a client that connects now. */
  async function centralCopy<T>(central: CentralBroker, centerId: string, topic: string, t: { after(fn: () => unknown): void }): Promise<T> {
    const c = await connect(central.url, { clientId: `late-${Math.random().toString(36).slice(2, 8)}` }, t);
    const rec = new Recorder(c);
    await c.subscribeAsync(centralPrefix(centerId) + topic, { qos: 1 });
    const m = await rec.waitFor<T>(centralPrefix(centerId) + topic);
    await c.endAsync();
    return m;
  }

  test("Debian's mosquitto bridging the hub: the central copy follows every change, and a late central subscriber gets the current state", async (t) => {
    const hub = await startTestHub(t);
    const center = hub.ctx.config.centerId;
    const port = Number(new URL(hub.mqttUrl).port);
    const { device: id, secret } = hub.ctx.devices.register({ id: 'central-bridge', kind: 'bridge' });
    const central = await startBridgedMosquitto(t, { hubPort: port, centerId: center, clientId: `${id.id}.central`, username: id.id, password: secret });
    // Connected: the bridge's own notification says 1, and the retained state has arrived.
    const watcher = await connect(central.url, { clientId: 'watcher' }, t);
    const rec = new Recorder(watcher);
    await watcher.subscribeAsync(`${centralPrefix(center)}#`, { qos: 1 });
    const state = new Map<string, string>();
    watcher.on('message', (topic, payload) => state.set(topic, payload.toString()));
    await waitUntil(() => state.get(`${centralPrefix(center)}bridge/state`) === '1', 5000, () => central.log());
    await rec.waitFor<LineState>(centralPrefix(center) + topics.lineState('A'), (s) => s.waiting === 0);

    await issue(hub, 4);
    const keypad = await hub.device('keypad-1');
    assert.equal((await keypad.request('window.next', {})).ok, true);
    await rec.waitFor<LineState>(centralPrefix(center) + topics.lineState('A'), (s) => s.waiting === 3);
    await rec.waitFor<WindowState>(centralPrefix(center) + topics.windowState(1), (s) => s.ticket === 'A001');

    // A subscriber that connects to the central broker now gets the state as it is, not as it was at bridge connect.
    assert.equal((await centralCopy<LineState>(central, center, topics.lineState('A'), t)).waiting, 3);
    assert.equal((await centralCopy<WindowState>(central, center, topics.windowState(1), t)).ticket, 'A001');
    // The hub's status is there, with the center's id.
    const status = await centralCopy<{ online: boolean; center: string }>(central, center, topics.hubStatus(), t);
    assert.deepEqual([status.online, status.center], [true, center]);
    // Never mirrored: commands, replies, configs.
    assert.ok(![...state.keys()].some((k) => /\/(commands|replies|config)$/.test(k)), [...state.keys()].join(', '));

    // A clean stop of the hub says offline; the link's own notification then says 0.
    await hub.close();
    await waitUntil(() => JSON.parse(state.get(centralPrefix(center) + topics.hubStatus()) ?? '{}').online === false, 5000, () => central.log());
    await waitUntil(() => state.get(`${centralPrefix(center)}bridge/state`) === '0', 5000, () => central.log());
  });

  async function waitUntil(cond: () => boolean, ms: number, why: () => string): Promise<void> {
    const end = Date.now() + ms;
    while (!cond()) {
      if (Date.now() > end) throw new Error(`timed out; mosquitto said:\n${why()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
});
