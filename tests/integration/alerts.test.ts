// Device alerts over a real broker: a kiosk's printer runs out of paper, a device drops
// off during opening hours, and both clear when the device is fine again.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestHub } from '../helpers/hub.ts';
import { FakeClock } from '../helpers/clock.ts';
import { get, post, signIn } from './reports-support.ts';
import type { Alert } from '../../hub/services/alerts.ts';

const openAt = Date.parse('2026-11-29T10:00:00+02:00'); // Sunday 10:00 Cairo
const closedAt = Date.parse('2026-11-27T10:00:00+02:00'); // Friday

async function until<T>(fn: () => T | null | undefined | false, what: string, ms = 3000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('device alerts over a real broker', () => {
  test('printer out of paper and a device going offline raise alerts; recovery resolves them', async (t) => {
    const clock = new FakeClock(openAt);
    const hub = await startTestHub(t, { clock: clock.now, config: { passwordCost: 10, alertGraceMs: 0 } });
    const changes: string[][] = [];
    hub.ctx.commits.subscribe((p) => p.changes.topics.has('alerts') && changes.push([...p.changes.topics]));
    const kiosk = await hub.device('kiosk-1');
    const open = () => hub.ctx.alerts.open();

    kiosk.publishHealth({ printer: 'paper-out' });
    const [paper] = await until(() => (open().length ? open() : null), 'paper-out alert');
    assert.deepEqual([paper.deviceId, paper.kind, paper.severity], ['kiosk-1', 'paper_out', 'critical']);
    assert.match(paper.messageAr, /ورق الطابعة/);
    assert.ok(changes.length >= 1, 'the alerts topic reaches the live stream');

    // The same report again does not raise a second alert.
    kiosk.publishHealth({ printer: 'paper-out' });
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(open().length, 1);

    kiosk.publishHealth({ printer: 'ok' });
    await until(() => open().length === 0, 'paper alert resolved');

    // A display drops off while the center is open.
    const led = await hub.device('led-2');
    await led.close();
    const [off] = await until(() => (open().some((a) => a.kind === 'offline') ? open() : null), 'offline alert');
    assert.equal(off.deviceId, 'led-2');

    // Supervisors see it, acknowledge it; it stays open until the device is back.
    const sup = await signIn(hub, 'super1', 'supervisor', []);
    const devices = (await get(hub, sup, '/api/reports/devices')).json();
    const row = devices.devices.find((d: { id: string }) => d.id === 'led-2');
    assert.deepEqual([row.online, row.alerts], [false, ['offline']]);
    assert.equal(devices.devices.find((d: { id: string }) => d.id === 'kiosk-1').printer, 'ok');
    const ack = await post(hub, sup, `/api/reports/alerts/${off.id}/ack`);
    assert.equal(ack.statusCode, 200);
    assert.equal((ack.json() as Alert).acknowledgedBy, `user:${sup.userId}`);
    assert.equal(open().length, 1);
    assert.equal((await post(hub, sup, '/api/reports/alerts/999999/ack')).statusCode, 404);

    const led2 = await hub.device('led-2');
    await until(() => open().length === 0, 'offline alert resolved');
    const history = (await get(hub, sup, '/api/reports/alerts')).json().alerts as Alert[];
    await led2.close();
    assert.deepEqual(history.map((a) => a.kind).sort(), ['offline', 'paper_out']);
    assert.ok(history.every((a) => a.resolvedAt !== null));
  });

  test('outside opening hours an offline device is not an alert; the sweep raises it at opening', async (t) => {
    const clock = new FakeClock(closedAt);
    const hub = await startTestHub(t, { clock: clock.now });
    // Nothing is connected (the hub marks every device offline at start).
    assert.equal(hub.ctx.alerts.sweep(), false);
    assert.equal(hub.ctx.alerts.open().length, 0);
    clock.set(openAt);
    assert.equal(hub.ctx.alerts.sweep(), true);
    const kinds = new Set(hub.ctx.alerts.open().map((a) => a.kind));
    assert.deepEqual([...kinds], ['offline']);
    assert.equal(hub.ctx.alerts.open().length, hub.ctx.devices.ids().length);
    // An official holiday counts as closed.
    hub.ctx.db.prepare("INSERT INTO holidays (day, name_ar) VALUES ('2026-11-29', 'عطلة رسمية')").run();
    assert.equal(hub.ctx.alerts.isOpen(), false);
  });
});
