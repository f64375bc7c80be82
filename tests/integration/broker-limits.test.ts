// Issue 15, faults 5, 6 and 7, over the real broker with real mqtt.js clients:
// 5. offline persistent sessions queue at most SHUBBAK_MQTT_MAX_QUEUED messages each (the
//    rest dropped and counted) and are removed when not seen for the expiry;
// 6. rotating a device's secret, removing it or rebinding it closes its live connections at once;
// 7. a device flooding its own health topic is rate-limited: the excess is dropped and
//    counted, never written to the database.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mqtt, { type MqttClient } from 'mqtt';
import { topics, type Reply } from '@shubbak/protocol';
import { startTestHub, type TestHub } from '../helpers/hub.ts';
import { FakeClock } from '../helpers/clock.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function connect(hub: TestHub, device: string, clientId: string, opts: mqtt.IClientOptions = {}): Promise<{ client: MqttClient; sessionPresent: boolean }> {
  return new Promise((resolve, reject) => {
    const client = mqtt.connect(hub.mqttUrl, { clientId, username: device, password: hub.secretOf(device), protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 3000, ...opts });
    client.once('connect', (ack) => resolve({ client, sessionPresent: ack.sessionPresent }));
    client.once('error', reject);
  });
}

function closedWithin(client: MqttClient, ms: number): Promise<boolean> {
  if (!client.connected) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    client.once('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

describe("the broker's limits on clients and packets", () => {
  test('fault 6: rotating, removing or rebinding a device closes its live connections at once', async (t) => {
    const hub = await startTestHub(t);
    const oldSecret = hub.secretOf('kiosk-1');
    const main = await connect(hub, 'kiosk-1', 'kiosk-1');
    const second = await connect(hub, 'kiosk-1', 'kiosk-1.sub');
    const bystander = await connect(hub, 'kiosk-1', 'led-1', { username: 'led-1', password: hub.secretOf('led-1') });
    t.after(() => Promise.all([main, second, bystander].map((c) => c.client.endAsync(true))));

    hub.ctx.devices.rotateSecret('kiosk-1');
    assert.equal(await closedWithin(main.client, 2000), true, 'kiosk-1 is disconnected after its secret is rotated');
    assert.equal(await closedWithin(second.client, 2000), true, 'and so is its second connection');
    assert.equal(bystander.client.connected, true, 'other devices stay connected');
    await assert.rejects(connect(hub, 'kiosk-1', 'kiosk-1', { password: oldSecret }), /Not authorized/i, 'the old secret no longer connects');

    const led = await connect(hub, 'led-2', 'led-2');
    t.after(() => led.client.endAsync(true));
    hub.ctx.devices.remove('led-2');
    assert.equal(await closedWithin(led.client, 2000), true, 'a removed device is disconnected');

    const keypad = await connect(hub, 'keypad-6', 'keypad-6');
    t.after(() => keypad.client.endAsync(true));
    hub.ctx.devices.bind('keypad-6', { window: 5, transferTo: [] });
    assert.equal(await closedWithin(keypad.client, 2000), true, 'a rebound device is disconnected (it reconnects and reads its new config)');
    const again = await connect(hub, 'keypad-6', 'keypad-6');
    await again.client.endAsync(true);
    assert.ok(hub.broker.stats.revokedConnections >= 4);
  });

  test('fault 7: a device flooding its health topic is rate-limited; the excess is never written, others are served', async (t) => {
    const hub = await startTestHub(t);
    let writes = 0;
    const record = hub.ctx.devices.recordHealth.bind(hub.ctx.devices);
    hub.ctx.devices.recordHealth = ((...a: Parameters<typeof record>) => {
      writes++;
      return record(...a);
    }) as typeof record;
    const kiosk = await hub.device('kiosk-1');
    const flooder = await connect(hub, 'led-3', 'led-3');
    t.after(() => flooder.client.endAsync(true));
    const started = performance.now();
    const N = 2000;
    for (let i = 0; i < N; i++) flooder.client.publish(topics.deviceHealth('led-3'), JSON.stringify({ ok: true, n: i }), { qos: 0 });
    // QoS 1 last message: once it is acknowledged, the broker has handled all before it.
    await flooder.client.publishAsync(topics.deviceHealth('led-3'), JSON.stringify({ ok: true, n: N }), { qos: 1 });
    const served = await kiosk.request('ticket.issue', { line: 'A' });
    assert.equal((served as Reply).ok, true, 'another device is served during the flood');
    await sleep(200);
    const seconds = (performance.now() - started) / 1000;
    const allowed = 20 + Math.ceil(seconds * hub.ctx.config.deviceReportsPerSec) + 1;
    assert.ok(writes <= allowed, `at most ${allowed} health writes for the flood, got ${writes}`);
    assert.ok(writes >= 1, 'the first reports are still recorded');
    assert.equal(flooder.client.connected, true, 'the flooding device is not disconnected');
    assert.ok(hub.broker.stats.rateLimited >= N - allowed, `counted: ${hub.broker.stats.rateLimited}`);
  });

  test('fault 5: an offline persistent session keeps at most SHUBBAK_MQTT_MAX_QUEUED messages; the rest are counted as dropped', async (t) => {
    const hub = await startTestHub(t, { config: { mqttMaxQueued: 20 } });
    const first = await connect(hub, 'led-1', 'led-1.persist', { clean: false });
    await first.client.subscribeAsync(topics.windowState(6), { qos: 1 });
    await first.client.endAsync();
    await sleep(100);
    for (let i = 0; i < 100; i++) await hub.broker.publish(topics.windowState(6), JSON.stringify({ i }), { qos: 1, retain: false });
    await sleep(100);
    const got: number[] = [];
    const back = await new Promise<MqttClient>((resolve, reject) => {
      const c = mqtt.connect(hub.mqttUrl, { clientId: 'led-1.persist', username: 'led-1', password: hub.secretOf('led-1'), clean: false, reconnectPeriod: 0 });
      c.on('message', (_topic, payload) => got.push((JSON.parse(payload.toString()) as { i: number }).i));
      c.once('connect', () => resolve(c));
      c.once('error', reject);
    });
    t.after(() => back.endAsync(true));
    await sleep(500);
    assert.equal(got.length, 20, `the session kept 20 of 100 messages, got ${got.length}`);
    assert.deepEqual(got, [...Array(20).keys()], 'the oldest are kept, newer ones dropped (as Mosquitto does)');
    assert.equal(hub.broker.stats.droppedQueued, 80);
  });

  test('fault 5: a persistent session not seen for the expiry is removed with its queue', async (t) => {
    const clock = new FakeClock(Date.UTC(2026, 10, 29, 8, 0));
    const hub = await startTestHub(t, { clock: clock.now });
    const first = await connect(hub, 'led-1', 'led-1.old', { clean: false });
    await first.client.subscribeAsync(topics.windowState(6), { qos: 1 });
    await first.client.endAsync();
    await sleep(100);
    for (let i = 0; i < 5; i++) await hub.broker.publish(topics.windowState(6), JSON.stringify({ i }), { qos: 1, retain: false });
    assert.equal(hub.broker.queuedFor('led-1.old'), 5);
    clock.advance(23 * 3600_000);
    assert.equal(await hub.broker.expireSessions(), 0, 'not yet: seen 23 h ago');
    clock.advance(2 * 3600_000);
    assert.equal(await hub.broker.expireSessions(), 1);
    assert.equal(hub.broker.queuedFor('led-1.old'), 0);
    assert.equal(hub.broker.stats.expiredSessions, 1);
    const got: unknown[] = [];
    const back = await connect(hub, 'led-1', 'led-1.old', { clean: false });
    back.client.on('message', (_t, p) => got.push(p.toString()));
    t.after(() => back.client.endAsync(true));
    await hub.broker.publish(topics.windowState(6), '{"i":99}', { qos: 1, retain: false });
    await sleep(300);
    assert.equal(back.sessionPresent, false, 'the session is gone');
    assert.deepEqual(got, [], 'neither the old queue nor the old subscription survived');
  });
});
