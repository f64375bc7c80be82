// The device programs against a real hub over TCP MQTT, with sim IO: the same johnny-five
// components on a mock Firmata and the printer on serialport's MockBinding.
import fs from 'node:fs';
import path from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { looksLike, renderTicket } from '@shubbak/hardware';
import { topics } from '@shubbak/protocol';
import { startTestHub, type TestHub } from '../helpers/hub.ts';
import { simOf, startSimDevice, type SimDevice } from '../../hub/sim/sim-io.ts';
import type { KioskHandle } from '../../kiosk/main.ts';
import type { KeypadHandle } from '../../counter-keypad/main.ts';
import type { HallHandle, WindowBoardHandle } from '../../display/main.ts';

const LINK = { minReconnectMs: 100, maxReconnectMs: 300 };

async function until(what: string, pred: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function start<T extends SimDevice>(t: TestContext, hub: TestHub, id: string, urlOf: () => string = () => hub.mqttUrl): Promise<T> {
  const d = await startSimDevice(id, { hubUrl: urlOf(), secret: hub.secretOf(id), link: LINK });
  t.after(() => d.stop());
  return d as T;
}

const ready = (k: KioskHandle) => until('kiosk ready', () => k.state().phase === 'ready' && k.state().online && k.state().lamps[0] === 'on');

describe('the device programs against a real hub', () => {
  test('kiosk button A prints the issued number: the ESC/POS raster decodes to the rendered ticket', async (t) => {
    const hub = await startTestHub(t);
    const kiosk = await start<KioskHandle>(t, hub, 'kiosk-1');
    await ready(kiosk);
    const sim = simOf(kiosk.io)!;
    assert.equal(sim.lamp(0), 'on', 'the lamp of an open line is lit on the GPIO pin');
    const printed = new Promise<string>((r) => kiosk.events.once('printed', r));
    sim.press(0); // a digital-read edge on the mock Firmata
    assert.equal(await printed, 'A001');
    const content = kiosk.lastPrinted!;
    assert.equal(content.number, 'A001');
    assert.equal(content.lineName, 'استلام الطلبات');
    assert.equal(content.center, hub.ctx.config.centerName);
    const decoded = sim.lastPrinted()!;
    const expected = renderTicket(content, '80mm').image;
    assert.equal(decoded.width, expected.width);
    assert.equal(decoded.height, expected.height);
    assert.ok(Buffer.from(decoded.data).equals(Buffer.from(expected.data)), 'the printed raster is the ticket rendered for A001');
    const other = renderTicket({ ...content, number: 'A002' }, '80mm').image;
    assert.ok(!Buffer.from(decoded.data).equals(Buffer.from(other.data)), 'and not the ticket of another number');
    const row = hub.ctx.db.prepare("SELECT cancelled_at FROM tickets WHERE label = 'A001'").get() as { cancelled_at: number | null } | undefined;
    assert.ok(row && row.cancelled_at === null, 'the printed ticket stands');
  });

  test('Next on keypad-1 makes led-1 spell the number and the keypad show it with the queue', async (t) => {
    const hub = await startTestHub(t);
    const kiosk = await start<KioskHandle>(t, hub, 'kiosk-1');
    const keypad = await start<KeypadHandle>(t, hub, 'keypad-1');
    const led = await start<WindowBoardHandle>(t, hub, 'led-1');
    const hall = await start<HallHandle>(t, hub, 'hall-1');
    await ready(kiosk);
    for (let i = 0; i < 2; i++) {
      const printed = new Promise((r) => kiosk.events.once('printed', r));
      simOf(kiosk.io)!.press(0);
      await printed;
    }
    await until('keypad shows two waiting', () => simOf(keypad.io)!.digits().trim() === '----   2');
    simOf(keypad.io)!.press(0); // Next
    await until('led-1 shows A001', () => simOf(led.io)!.digits().trim() === 'A001');
    await until('keypad shows A001 and one waiting', () => simOf(keypad.io)!.digits() === 'A001   1');
    await until('hall lists the call', () => JSON.stringify(simOf(hall.io)!.hallRows()[0]) === JSON.stringify({ ticket: 'A001', window: 1 }));
    await hall.announcer.idle();
    await until('the call was spoken', () => hall.calls.length === 1);
    assert.equal(hall.calls[0].words, 'التذكرة رقم إيه واحد شباك رقم واحد');
    assert.deepEqual(simOf(hall.io)!.played().map((f) => f.replace(/^.*\//, '')), ['chime.wav', 'p-ticket.wav', 'l-A.wav', 'n-1.wav', 'p-window.wav', 'n-1.wav']);
  });

  test('paper out turns the kiosk lamps off and its health to paper-out; a failed print cancels the number', async (t) => {
    const hub = await startTestHub(t);
    const kiosk = await start<KioskHandle>(t, hub, 'kiosk-1');
    const keypad = await start<KeypadHandle>(t, hub, 'keypad-1');
    await ready(kiosk);
    const sim = simOf(kiosk.io)!;
    const watcher = await hub.rawClient({ username: 'hub', password: readHubSecret(hub), clientId: 'hub' });
    const healths: string[] = [];
    watcher.on('message', (topic, p) => topic === topics.deviceHealth('kiosk-1') && p.length && healths.push(JSON.parse(p.toString()).printer));
    await watcher.subscribeAsync(topics.deviceHealth('kiosk-1'), { qos: 1 });

    sim.setPaper('paper-out');
    await until('lamps off', () => [0, 1, 2, 3].every((k) => sim.lamp(k) === 'off'));
    await until('health paper-out', () => healths.at(-1) === 'paper-out');
    sim.press(0);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal((hub.ctx.db.prepare('SELECT count(*) AS n FROM tickets').get() as { n: number }).n, 0, 'no ticket while out of paper');

    sim.setPaper('ok');
    await until('lamps on again', () => sim.lamp(0) === 'on');
    // The paper runs out while the hub is issuing: the number is cancelled, never called.
    const onState = () => {
      if (kiosk.state().phase === 'requesting') sim.setPaper('paper-out');
    };
    kiosk.events.on('state', onState);
    const cancelled = new Promise<string>((r) => kiosk.events.once('cancelled', r));
    sim.press(0);
    assert.equal(await cancelled, 'A001');
    kiosk.events.off('state', onState);
    sim.setPaper('ok');
    await until('ready again', () => kiosk.state().phase === 'ready' && sim.lamp(0) === 'on');
    const printed = new Promise<string>((r) => kiosk.events.once('printed', r));
    sim.press(0);
    assert.equal(await printed, 'A002');
    const next = await keypad.link.request('window.next', {});
    assert.ok(next.ok);
    assert.equal(next.result.ticket, 'A002', 'window.next skips the cancelled A001');
  });

  test('when the hub dies every device shows offline; after restart every board is right without a press', async (t) => {
    let hub = await startTestHub(t);
    const url = hub.mqttUrl;
    const [kiosk, keypad, led, hall] = [
      await start<KioskHandle>(t, hub, 'kiosk-1', () => url),
      await start<KeypadHandle>(t, hub, 'keypad-1', () => url),
      await start<WindowBoardHandle>(t, hub, 'led-1', () => url),
      await start<HallHandle>(t, hub, 'hall-1', () => url),
    ];
    await ready(kiosk);
    const printed = new Promise((r) => kiosk.events.once('printed', r));
    simOf(kiosk.io)!.press(0);
    await printed;
    simOf(keypad.io)!.press(0);
    await until('led-1 shows A001', () => simOf(led.io)!.digits().trim() === 'A001');
    await until('hall shows A001', () => simOf(hall.io)!.hallRows().length === 1);

    const ports = { httpPort: hub.httpPort, mqttPort: hub.mqttPort };
    await hub.close();
    await until('every device offline', () =>
      [0, 1, 2, 3].every((k) => simOf(kiosk.io)!.lamp(k) === 'off') &&
      simOf(keypad.io)!.digits().trim() === looksLike('OFF') &&
      simOf(led.io)!.digits().trim() === looksLike('OFF') &&
      simOf(hall.io)!.hallRows().length === 0);
    simOf(keypad.io)!.press(0); // a press while offline: an error now, never an action later
    assert.equal(simOf(keypad.io)!.digits().trim(), looksLike('OFF'));

    hub = await startTestHub(t, { dataDir: hub.dataDir, config: ports });
    await until('every board right again', () =>
      simOf(kiosk.io)!.lamp(0) === 'on' &&
      simOf(keypad.io)!.digits() === 'A001   0' &&
      simOf(led.io)!.digits().trim() === 'A001' &&
      JSON.stringify(simOf(hall.io)!.hallRows()) === JSON.stringify([{ ticket: 'A001', window: 1 }]), 15_000);
    const w = hub.ctx.queue.windowState(1);
    assert.equal(w.ticket, 'A001', 'the offline press did not call another citizen');
  });

  function readHubSecret(hub: TestHub): string {
    return fs.readFileSync(path.join(hub.dataDir, 'hub.secret'), 'utf8').trim();
  }
});
