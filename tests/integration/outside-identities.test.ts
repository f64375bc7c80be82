// Identities for the outside (issue 13, item 2), on a real hub's broker: an observer
// (dashboards, Node-RED, Home Assistant) reads state, presence, announcements, alerts, the
// hub's status and the clock, and never a command, a reply or a config; a bridge reads the
// outward topics and nothing else; neither may publish. Registered by the administrator
// like a device (POST /api/devices), they never raise a device alert nor get enrollment codes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { migrate } from '../../hub/db/connection.ts';
import assert from 'node:assert/strict';
import type { MqttClient } from 'mqtt';
import { OUTWARD_FILTERS, topics, type HallAnnounce, type HubStatus, type WindowState } from '@shubbak/protocol';
import { Recorder, startTestHub, type TestHub } from '../helpers/hub.ts';
import { signIn } from '../helpers/staff.ts';

async function registered(hub: TestHub, id: string, kind: 'observer' | 'bridge'): Promise<string> {
  const admin = await signIn(hub, 'admin');
  const res = await admin.inject({ method: 'POST', url: '/api/devices', payload: { id, kind, label: `${kind} for the test` } });
  assert.equal(res.statusCode, 201, res.body);
  return (res.json() as { secret: string }).secret;
}

/** SUBACK codes per filter: 0/1 granted, 128 refused. */
async function granted(c: MqttClient, filters: string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const f of filters) {
    // mqtt.js rejects a refused filter (SUBACK 0x80) as an error; the connection stays up.
    out[f] = await c.subscribeAsync(f, { qos: 1 }).then((g) => g[0].qos as number, (err: Error) => {
      assert.match(err.message, /Subscribe error/);
      return 128;
    });
  }
  return out;
}

/** Publishing closes the connection (MQTT 3.1.1 cannot refuse one PUBLISH); resolves true if it did. */
async function closedByPublish(c: MqttClient, topic: string, payload: string): Promise<boolean> {
  const closed = new Promise<boolean>((resolve) => c.once('close', () => resolve(true)));
  c.publish(topic, payload, { qos: 1 });
  return Promise.race([closed, new Promise<boolean>((r) => setTimeout(() => r(false), 2000))]);
}

const FORBIDDEN_TO_READ = [
  topics.deviceCommands('kiosk-1'), topics.deviceReplies('kiosk-1'), topics.deviceConfig('kiosk-1'),
  topics.allDeviceCommands(), 'shubbak/v1/devices/+/replies', 'shubbak/v1/devices/+/config', 'shubbak/v1/#', '#', 'shubbak/v1/devices/#',
  '$SYS/#',
];

describe('identities for the outside: observers and bridges', () => {
  test('an observer reads state, presence, announcements, alerts and the hub status — never commands, replies or configs — and publishes nothing', async (t) => {
    const hub = await startTestHub(t);
    const secret = await registered(hub, 'dashboard', 'observer');
    const obs = await hub.rawClient({ clientId: 'dashboard.ha', username: 'dashboard', password: secret });
    const rec = new Recorder(obs);
    const ok = await granted(obs, [...OUTWARD_FILTERS, topics.clock(), topics.windowState(1), topics.deviceStatus('kiosk-1')]);
    for (const [f, q] of Object.entries(ok)) assert.notEqual(q, 128, `observer may read ${f}`);
    const no = await granted(obs, FORBIDDEN_TO_READ);
    for (const [f, q] of Object.entries(no)) assert.equal(q, 128, `observer may not read ${f}`);

    const status = await rec.waitFor<HubStatus>(topics.hubStatus());
    assert.deepEqual([status.online, status.center], [true, 'demo-center']);
    // Live: a call reaches the observer (window state and the announcement); the kiosk's command and the hub's reply do not.
    const kiosk = await hub.device('kiosk-1');
    const keypad = await hub.device('keypad-1');
    assert.equal((await kiosk.request('ticket.issue', { line: 'A' })).ok, true);
    assert.equal((await keypad.request('window.next', {})).ok, true);
    await rec.waitFor<WindowState>(topics.windowState(1), (s) => s.ticket === 'A001');
    await rec.waitFor<HallAnnounce>(topics.hallAnnounce(), (a) => a.ticket === 'A001');
    await rec.waitFor<{ online: boolean }>(topics.deviceStatus('kiosk-1'), (s) => s.online);
    assert.ok(!rec.seen.some((m) => /\/(commands|replies|config)$/.test(m.topic)), rec.seen.map((m) => m.topic).join(', '));

    // Publishing anything — a command in a device's name, its own status, the public state — closes the connection.
    assert.equal(await closedByPublish(obs, topics.deviceCommands('keypad-1'), JSON.stringify({ id: 'forged-000001', type: 'window.next', at: Date.now() })), true);
    const again = await hub.rawClient({ clientId: 'dashboard.ha2', username: 'dashboard', password: secret });
    assert.equal(await closedByPublish(again, topics.deviceStatus('dashboard'), JSON.stringify({ online: true, kind: 'kiosk', fw: '1' })), true);
    const third = await hub.rawClient({ clientId: 'dashboard.ha3', username: 'dashboard', password: secret });
    assert.equal(await closedByPublish(third, topics.windowState(1), '{}'), true);
    // Nothing was called on the observer's behalf: window 1 still serves A001.
    assert.equal(hub.ctx.queue.windowState(1).ticket, 'A001');
  });

  test('a bridge reads the outward topics and nothing else, and publishes nothing', async (t) => {
    const hub = await startTestHub(t);
    const secret = await registered(hub, 'gov-bridge', 'bridge');
    const br = await hub.rawClient({ clientId: 'gov-bridge.central', username: 'gov-bridge', password: secret });
    const ok = await granted(br, [...OUTWARD_FILTERS, topics.lineState('A'), topics.hubStatus(), topics.deviceAlerts('led-1')]);
    for (const [f, q] of Object.entries(ok)) assert.notEqual(q, 128, `bridge may read ${f}`);
    const no = await granted(br, [...FORBIDDEN_TO_READ, topics.clock(), 'shubbak/v1/+/+/state', 'shubbak/v1/alerts/+/x']);
    for (const [f, q] of Object.entries(no)) assert.equal(q, 128, `bridge may not read ${f}`);
    assert.equal(await closedByPublish(br, topics.hubStatus(), JSON.stringify({ online: false, center: 'demo-center', version: '0', at: 0 })), true);
  });

  test('an outside identity cannot take over a device: the client id must be its own id or {id}.{suffix}', async (t) => {
    const hub = await startTestHub(t);
    const secret = await registered(hub, 'dashboard', 'observer');
    const kiosk = await hub.device('kiosk-1');
    await assert.rejects(hub.rawClient({ clientId: 'kiosk-1', username: 'dashboard', password: secret }), /Not authorized|not authorized/i);
    await assert.rejects(hub.rawClient({ clientId: 'kiosk-1.x', username: 'dashboard', password: secret }), /Not authorized|not authorized/i);
    // The device's own connection is still up and working.
    assert.equal((await kiosk.request('ticket.issue', { line: 'A' })).ok, true);
  });

  test('observers and bridges are never a device alert, take no enrollment code and accept no binding', async (t) => {
    const hub = await startTestHub(t, { config: { alertGraceMs: 0, openDays: [0, 1, 2, 3, 4, 5, 6], openFrom: '00:00', openUntil: '23:59' } });
    const secret = await registered(hub, 'dashboard', 'observer');
    const obs = await hub.rawClient({ clientId: 'dashboard.alerts', username: 'dashboard', password: secret });
    const rec = new Recorder(obs);
    await obs.subscribeAsync(topics.allAlerts(), { qos: 1 });
    await obs.endAsync(); // the observer goes away again: still no alert for it
    hub.ctx.alerts.sweep();
    assert.deepEqual(hub.ctx.alerts.openFor('dashboard'), []);
    assert.ok(hub.ctx.alerts.open().some((a) => a.deviceId === 'kiosk-1'), 'an offline device is an alert (the sweep ran)');
    // The alert goes outward with the center's id.
    const other = await hub.rawClient({ clientId: 'dashboard.alerts2', username: 'dashboard', password: secret });
    const rec2 = new Recorder(other);
    await other.subscribeAsync(topics.allAlerts(), { qos: 1 });
    const a = await rec2.waitFor<{ deviceId: string; center: string }>(topics.deviceAlerts('kiosk-1'));
    assert.equal(a.center, 'demo-center');
    assert.ok(![...rec.seen, ...rec2.seen].some((m) => m.topic === topics.deviceAlerts('dashboard')));
    const admin = await signIn(hub, 'admin');
    const code = await admin.inject({ method: 'POST', url: '/api/devices/dashboard/enrollment-code' });
    assert.equal(code.statusCode, 400, code.body);
    const bound = await admin.inject({ method: 'POST', url: '/api/devices', payload: { id: 'b2', kind: 'bridge', binding: { window: 1 } } });
    assert.equal(bound.statusCode, 400, bound.body);
    assert.equal(hub.ctx.devices.info('b2'), null);
  });

  test('the migration that admits observers and bridges keeps every device and its enrollment codes', () => {
    const all = path.join(import.meta.dirname, '../../hub/db/migrations');
    const before = fs.mkdtempSync(path.join(os.tmpdir(), 'shubbak-mig-'));
    for (const f of fs.readdirSync(all).filter((f) => f < '041_')) fs.copyFileSync(path.join(all, f), path.join(before, f));
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, before);
    db.prepare("INSERT INTO devices (id, kind, secret_hash, window, created_at, secret_set_at) VALUES ('keypad-9', 'keypad', 'x', NULL, 1, 1)").run();
    db.prepare("INSERT INTO device_enrollments (code_hash, device_id, created_at, expires_at, created_by) VALUES ('h', 'keypad-9', 1, 2, 'admin')").run();
    assert.throws(() => db.prepare("INSERT INTO devices (id, kind, secret_hash, created_at, secret_set_at) VALUES ('o', 'observer', 'x', 1, 1)").run(), /CHECK/);
    assert.ok(migrate(db).includes('041_outside_identities.sql'));
    assert.deepEqual(db.prepare('SELECT id, kind FROM devices').all(), [{ id: 'keypad-9', kind: 'keypad' }]);
    assert.deepEqual(db.prepare('SELECT device_id, code_hash FROM device_enrollments').all(), [{ device_id: 'keypad-9', code_hash: 'h' }]);
    db.prepare("INSERT INTO devices (id, kind, secret_hash, created_at, secret_set_at) VALUES ('o', 'observer', 'x', 1, 1)").run();
    assert.throws(() => db.prepare("INSERT INTO devices (id, kind, secret_hash, created_at, secret_set_at) VALUES ('z', 'robot', 'x', 1, 1)").run(), /CHECK/);
    // The enrollment still follows its device.
    db.prepare("DELETE FROM devices WHERE id = 'keypad-9'").run();
    assert.equal((db.prepare('SELECT count(*) AS n FROM device_enrollments').get() as { n: number }).n, 0);
    assert.deepEqual(db.pragma('foreign_key_check'), []);
    db.close();
    fs.rmSync(before, { recursive: true, force: true });
  });
});
