// Device alerts that mean something (issue 15): a device offline for less than the grace
// period is no alert; flapping folds into one alert; alerts go out retained on MQTT
// `alerts/{deviceId}` (cleared when resolved) and to a webhook that retries with backoff
// and never holds the hub up.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import mqtt from 'mqtt';
import { topics } from '@shubbak/protocol';
import { startTestHub, type TestHub } from '../helpers/hub.ts';
import { AlertWebhook } from '../../hub/services/alert-webhook.ts';
import type { Alert, AlertChange } from '../../hub/services/alerts.ts';

const openAt = Date.parse('2026-11-29T10:00:00+02:00'); // Sunday 10:00 Cairo
/** Real time, shifted into opening hours: the grace timers run on real time. */
function openClock(): () => number {
  const start = Date.now();
  return () => openAt + (Date.now() - start);
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(fn: () => T | null | undefined | false, what: string, ms = 4000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** An observer with the hub's identity (observers read alerts/#). */
async function observer(t: { after(fn: () => unknown): void }, hub: TestHub, suffix: string) {
  const secret = fs.readFileSync(path.join(hub.dataDir, 'hub.secret'), 'utf8').trim();
  const c = await mqtt.connectAsync(hub.mqttUrl, { clientId: `hub.${suffix}`, username: 'hub', password: secret, protocolVersion: 4, reconnectPeriod: 0 });
  t.after(() => c.endAsync(true));
  const seen: { topic: string; body: string; retain: boolean }[] = [];
  c.on('message', (topic, payload, packet) => seen.push({ topic, body: payload.toString(), retain: packet.retain }));
  await c.subscribeAsync(topics.allAlerts(), { qos: 1 });
  return { client: c, seen };
}

describe('device alerts that mean something', () => {
  test('offline for less than the grace period is no alert; longer is one; flapping reopens the same alert', async (t) => {
    const hub = await startTestHub(t, { clock: openClock(), config: { alertGraceMs: 600, alertFlapWindowMs: 60_000 } });
    const offline = () => hub.ctx.alerts.open().filter((a) => a.deviceId === 'led-2' && a.kind === 'offline');
    const rows = () => hub.ctx.db.prepare("SELECT count(*) AS n FROM device_alerts WHERE device_id = 'led-2'").get() as { n: number };
    const obs = await observer(t, hub, 'obs1');

    // A blip: offline 200 ms, back again. No alert, before or after the grace period.
    let led = await hub.device('led-2');
    await led.close();
    await sleep(200);
    led = await hub.device('led-2');
    await sleep(700);
    assert.equal(rows().n, 0, 'a blip shorter than the grace period is no alert');

    // Down for longer than the grace period: one alert, raised by the grace timer (no sweep).
    await led.close();
    await sleep(300);
    assert.equal(offline().length, 0, 'still inside the grace period');
    const [first] = await until(() => (offline().length ? offline() : null), 'offline alert after the grace period', 3000);
    assert.equal(first.flaps, 0);
    // Observers see it retained on alerts/led-2.
    const raised = await until(() => obs.seen.find((m) => m.topic === topics.deviceAlerts('led-2') && m.body), 'alert on MQTT');
    const body = JSON.parse(raised.body) as { deviceId: string; alerts: Alert[] };
    assert.equal(body.deviceId, 'led-2');
    assert.deepEqual(body.alerts.map((a) => [a.id, a.kind, a.severity]), [[first.id, 'offline', 'critical']]);
    // A late observer gets the retained alert at once.
    const late = await observer(t, hub, 'obs2');
    const retained = await until(() => late.seen.find((m) => m.topic === topics.deviceAlerts('led-2')), 'retained alert');
    assert.equal(retained.retain, true);
    assert.equal((JSON.parse(retained.body) as { alerts: Alert[] }).alerts[0].id, first.id);

    // Back: resolved, and the retained topic is cleared (empty payload).
    led = await hub.device('led-2');
    await until(() => offline().length === 0, 'resolved');
    await until(() => obs.seen.at(-1)?.topic === topics.deviceAlerts('led-2') && obs.seen.at(-1)?.body === '', 'retained alert cleared');
    const after = await observer(t, hub, 'obs3');
    await sleep(200);
    assert.equal(after.seen.filter((m) => m.body).length, 0, 'no retained alert once resolved');

    // Down again past the grace period, within the flap window: the same alert comes back.
    await led.close();
    const [again] = await until(() => (offline().length ? offline() : null), 'the alert reopened', 3000);
    assert.equal(again.id, first.id, 'flapping folds into one alert');
    assert.equal(again.flaps, 1);
    assert.equal(rows().n, 1);
  });

  test('the webhook gets raised and resolved in order, retried with backoff after a failure', async (t) => {
    const got: { event: string; alert: Alert; center: string; centerId: string }[] = [];
    let failFirst = 1;
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        if (failFirst-- > 0) {
          res.writeHead(503).end();
          return;
        }
        assert.match(req.headers['content-type'] ?? '', /application\/json/);
        got.push(JSON.parse(body));
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    t.after(() => server.close());
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook?token=s3cret`;
    const lines: string[] = [];
    const hub = await startTestHub(t, {
      clock: openClock(), config: { alertGraceMs: 0, alertWebhookUrl: url },
      logger: { level: 'warn', stream: { write: (l: string) => void lines.push(l) } },
    });
    const kiosk = await hub.device('kiosk-1');
    kiosk.publishHealth({ printer: 'paper-out' });
    await until(() => hub.ctx.alerts.open().length > 0, 'paper alert');
    kiosk.publishHealth({ printer: 'ok' });
    // The first POST fails (503): the retry comes about a second later, then the resolution.
    await until(() => got.length >= 2, 'webhook deliveries', 6000);
    assert.deepEqual(got.map((g) => [g.event, g.alert.kind, g.alert.deviceId]), [['raised', 'paper_out', 'kiosk-1'], ['resolved', 'paper_out', 'kiosk-1']]);
    assert.equal(got[0].center, hub.ctx.config.centerName);
    assert.equal(got[0].centerId, hub.ctx.config.centerId, 'the center id goes out with every alert (issue 13)');
    const metrics = await (await fetch(`${hub.httpUrl}/metrics`)).text();
    assert.match(metrics, /shubbak_alert_webhook_total\{result="failed"\} 1/);
    assert.match(metrics, /shubbak_alert_webhook_total\{result="delivered"\} 2/);
    assert.match(lines.join(''), /alert webhook: refused/);
    assert.ok(!lines.join('').includes('s3cret'), 'the webhook URL (and its token) is never logged');
  });

  test('a webhook that hangs never holds up the hub; it times out, backs off, gives up and counts', async (t) => {
    // A server that accepts and never answers.
    const held: http.ServerResponse[] = [];
    const server = http.createServer((_req, res) => void held.push(res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    t.after(() => {
      for (const r of held) r.destroy();
      server.close();
    });
    const counts: Record<string, number> = {};
    const hook = new AlertWebhook({
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, center: 'c', centerId: 'c', log: { warn: () => {} },
      count: (r) => (counts[r] = (counts[r] ?? 0) + 1),
      timeoutMs: 100, maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 50, maxQueue: 2,
    });
    t.after(() => hook.close());
    const change = (id: number): AlertChange => ({ event: 'raised', alert: { id } as Alert });
    const t0 = performance.now();
    for (let i = 1; i <= 4; i++) hook.send(change(i), 0);
    assert.ok(performance.now() - t0 < 20, 'send returns at once');
    // The first is in flight; of the three queued behind it the oldest is dropped (at most 2 wait).
    assert.equal(hook.pending, 3, 'the queue is bounded: the oldest waiting change is dropped');
    assert.equal(counts.dropped, 1);
    await until(() => hook.pending === 0, 'gave up on all three', 3000);
    assert.equal(counts.failed, 9, 'three attempts each');
    assert.equal(counts.dropped, 4);
    assert.equal(counts.delivered, undefined);
  });
});
