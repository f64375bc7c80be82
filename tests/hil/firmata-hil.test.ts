// Hardware in the loop: every device program, unchanged, with SHUBBAK_IO=firmata, on
// emulated Arduino Unos running the real StandardFirmata image (tests/helpers/uno.ts):
// johnny-five → firmata-io → serialport 13 → the emulated USART → the firmware → the pins,
// and back, against a real hub over MQTT. Buttons are pressed on the emulated pins, lamps
// read from them, the MAX7219 boards decoded from the DIN/CLK/CS pin changes.
// One file, so the firmware boots once per run (later boards restore the booted machine).
import { describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { looksLike, type KioskHardware } from '@shubbak/hardware';
import { topics } from '@shubbak/protocol';
import { startTestHub, type TestHub } from '../helpers/hub.ts';
import { TEST_CLIP_DIR } from '../helpers/clips.ts';
import { FIRMATA_HEX, FIRMATA_HEX_BYTES, FIRMATA_HEX_SHA256, firmataImage, press, unoBench, until, type Bench } from '../helpers/uno.ts';
import { startKiosk, type KioskHandle } from '../../kiosk/main.ts';
import { loadKioskConfig } from '../../kiosk/config.ts';
import { startKeypad, type KeypadHandle } from '../../counter-keypad/main.ts';
import { loadKeypadConfig } from '../../counter-keypad/config.ts';
import { startHallBoard, startWindowBoard, type HallHandle, type WindowBoardHandle } from '../../display/main.ts';
import { loadDisplayConfig } from '../../display/config.ts';

const LINK = { minReconnectMs: 100, maxReconnectMs: 300 };
// Wall-clock waits are only upper bounds: the first board of the run boots the firmware for
// real (~30 M emulated cycles), which a loaded machine may take long to emulate.
const HANDSHAKE_MS = '120000';

function env(hub: TestHub, id: string, port: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    SHUBBAK_DEVICE_ID: id, SHUBBAK_IO: 'firmata', SHUBBAK_FIRMATA_PORT: port, SHUBBAK_HUB_URL: hub.mqttUrl, SHUBBAK_DEVICE_SECRET: hub.secretOf(id), SHUBBAK_AUDIO_DIR: TEST_CLIP_DIR,
    SHUBBAK_FIRMATA_HANDSHAKE_MS: HANDSHAKE_MS, SHUBBAK_FIRMATA_RETRY_MS: '100', ...extra,
  };
}

function bench(t: TestContext): Bench {
  const b = unoBench();
  t.after(() => b.close());
  return b;
}

function quiet(lines: string[]) {
  return (m: string) => lines.push(m);
}

async function hubWatcher(hub: TestHub) {
  const secret = fs.readFileSync(path.join(hub.dataDir, 'hub.secret'), 'utf8').trim();
  const watcher = await hub.rawClient({ username: 'hub', password: secret, clientId: 'hub' });
  const health = new Map<string, Record<string, unknown>>();
  watcher.on('message', (topic, p) => {
    const m = /devices\/([^/]+)\/health$/.exec(topic);
    if (m && p.length) health.set(m[1], JSON.parse(p.toString()) as Record<string, unknown>);
  });
  await watcher.subscribeAsync(topics.deviceHealth('+'), { qos: 1 });
  return { board: (id: string) => health.get(id)?.board as { state: string; code?: string; message?: string } | undefined };
}

const LAMPS = [8, 9, 10, 11];

describe('every device program on emulated StandardFirmata boards', () => {
  test('the firmware image is the StandardFirmata build the harness was written for (size and SHA-256)', () => {
    const bytes = fs.readFileSync(FIRMATA_HEX);
    assert.equal(bytes.length, FIRMATA_HEX_BYTES);
    assert.equal(createHash('sha256').update(bytes).digest('hex'), FIRMATA_HEX_SHA256);
    assert.doesNotThrow(() => firmataImage());
  });

  test('kiosk on an emulated Uno: button A on D2 prints a ticket, lamps follow open lines and paper', async (t) => {
    const hub = await startTestHub(t);
    const b = bench(t);
    const uno = b.board('/dev/ttyEMU-kiosk');
    const log: string[] = [];
    const kiosk: KioskHandle = await startKiosk({
      config: loadKioskConfig(env(hub, 'kiosk-1', '/dev/ttyEMU-kiosk')), link: LINK, log: quiet(log),
      hardware: { board: { binding: b.binding }, printerMock: true },
    });
    t.after(() => kiosk.stop());
    const printer = (kiosk.io as unknown as KioskHardware).printerSim!;
    await until('lamps of the open lines lit on D8–D11', () => LAMPS.every((p) => uno.level(p) === 1));

    const printed = new Promise<string>((r) => kiosk.events.once('printed', r));
    await press(uno, 2);
    assert.equal(await printed, 'A001');
    assert.equal(printer.tickets.length, 1, 'the printer cut one ticket');
    assert.equal(kiosk.lastPrinted?.number, 'A001');

    hub.ctx.queue.setLineOpen('B', false);
    await until('lamp B dark when its line closes, lamp A lit', () => uno.level(9) === 0 && uno.level(8) === 1);
    await press(uno, 3);
    await sleep(300);
    assert.equal((hub.ctx.db.prepare("SELECT count(*) AS n FROM tickets WHERE label LIKE 'B%'").get() as { n: number }).n, 0, 'no ticket on a closed line');

    printer.paper = 'paper-out';
    await until('every lamp dark when the paper runs out', () => LAMPS.every((p) => uno.level(p) === 0));
    printer.paper = 'ok';
    await until('lamps back with paper', () => uno.level(8) === 1 && uno.level(9) === 0);

    // Nothing of johnny-five's bundled serialport 8 (nor firmata's) was loaded: the port is ours.
    const loaded = Object.keys(createRequire(import.meta.url).cache);
    const second = loaded.filter((f) => /node_modules\/(johnny-five|firmata)\/node_modules\/|@serialport\/bindings\//.test(f));
    assert.deepEqual(second, []);
    assert.ok(loaded.some((f) => f.includes('node_modules/firmata-io/')), 'firmata-io is the Firmata IO');
  });

  test('keypad Next on its Uno → the window board on its own Uno spells it; Recall blinks; USB pulled and back: current state, no press lost or late', async (t) => {
    const hub = await startTestHub(t);
    const watch = await hubWatcher(hub);
    const b = bench(t);
    const keyUno = b.board('/dev/ttyEMU-keypad');
    const ledUno = b.board('/dev/ttyEMU-led');
    const keyChip = b.max7219(keyUno, 1);
    const ledChip = b.max7219(ledUno, 1);
    const logs: string[] = [];
    const keypad: KeypadHandle = await startKeypad({ config: loadKeypadConfig(env(hub, 'keypad-1', '/dev/ttyEMU-keypad')), link: LINK, log: quiet(logs), hardware: { board: { binding: b.binding } } });
    t.after(() => keypad.stop());
    const led: WindowBoardHandle = await startWindowBoard({
      config: loadDisplayConfig(env(hub, 'led-1', '/dev/ttyEMU-led', { SHUBBAK_DISPLAY_KIND: 'display' })), link: LINK, log: quiet(logs), hardware: { board: { binding: b.binding } },
    });
    t.after(() => led.stop());
    // StandardFirmata has no MAX7219 command: the drivers fall back to bit-banging port messages.
    assert.equal((led.io.digits as unknown as { busMode: string }).busMode, 'port');
    assert.equal((keypad.io.digits as unknown as { busMode: string }).busMode, 'port');
    const kiosk = await hub.device('kiosk-1');
    for (let i = 0; i < 4; i++) assert.ok((await kiosk.request('ticket.issue', { line: 'A' })).ok);

    await until('keypad display shows four waiting', () => keyChip.text(0, 8) === '----   4' && keyChip.isOn(0));
    await press(keyUno, 2); // Next
    await until('the window board spells A001', () => ledChip.text(0, 4) === 'A001' && ledChip.isOn(0));
    await until('the keypad shows A001 and three waiting', () => keyChip.text(0, 8) === 'A001   3');
    assert.equal(hub.ctx.queue.windowState(1).ticket, 'A001');

    // Recall: the board blinks (the shutdown register toggles), the digits stay.
    const lit: boolean[] = [];
    ledChip.onLatch = () => lit.push(ledChip.isOn(0));
    await press(keyUno, 3);
    await until('the window board blinks', () => lit.includes(false) && lit.lastIndexOf(true) > lit.indexOf(false));
    assert.equal(ledChip.text(0, 4), 'A001');
    ledChip.onLatch = null;
    await until('steady and lit after the blink', () => ledChip.isOn(0) && !(led.io.digits as { blinking?: boolean }).blinking, 20_000);

    // The window board's cable comes out; the window calls the next citizen meanwhile.
    b.binding.unplug('/dev/ttyEMU-led');
    assert.equal(ledChip.text(0, 4), '    ', 'the chip lost power with the board');
    await until('the window board reports its board offline', () => watch.board('led-1')?.state === 'offline');
    assert.equal(watch.board('led-1')?.code, 'PORT_LOST');
    assert.match(watch.board('led-1')?.message ?? '', /انقطع/);
    assert.ok(logs.some((l) => l.includes('PORT_LOST')), 'and says so in its log');
    await press(keyUno, 2);
    await until('A002 called', () => hub.ctx.queue.windowState(1).ticket === 'A002');
    await sleep(300); // reopen attempts fail meanwhile (the path is gone)
    b.binding.plug('/dev/ttyEMU-led');
    await until('the window board reconnects and shows the current call, lit', () => ledChip.text(0, 4) === 'A002' && ledChip.isOn(0) && watch.board('led-1')?.state === 'ok');
    assert.ok(b.binding.stats('/dev/ttyEMU-led').opens >= 2);

    // The keypad's cable: a press while it is out reaches nothing and is not queued; the
    // board comes back with its display and lamps; the first press after is executed once.
    b.binding.unplug('/dev/ttyEMU-keypad');
    await until('keypad board offline', () => watch.board('keypad-1')?.state === 'offline');
    keyUno.setButton(2, true);
    await sleep(150);
    keyUno.setButton(2, false);
    b.binding.plug('/dev/ttyEMU-keypad');
    await until('the keypad board restored', () => watch.board('keypad-1')?.state === 'ok' && keyChip.text(0, 8) === 'A002   2' && keyChip.isOn(0));
    await until('keypad lamps driven again', () => [7, 8, 9, 14, 15].some((p) => keyUno.level(p) === 1));
    await sleep(300);
    assert.equal(hub.ctx.queue.windowState(1).ticket, 'A002', 'the press made while unplugged was not sent late');
    await press(keyUno, 2);
    await until('A003 on both boards', () => ledChip.text(0, 4) === 'A003' && keyChip.text(0, 8) === 'A003   1');
    await sleep(300);
    assert.equal(hub.ctx.queue.windowState(1).ticket, 'A003', 'one press, one call');
  });

  test('hall board on a chain of MAX7219: a wrong port is reported and retried until the board appears; the last calls newest on top; a port vanishing mid-write is reported and recovered', async (t) => {
    const hub = await startTestHub(t);
    const watch = await hubWatcher(hub);
    const b = bench(t);
    const logs: string[] = [];
    const started = startHallBoard({
      config: loadDisplayConfig(env(hub, 'hall-1', '/dev/ttyEMU-hall', { SHUBBAK_DISPLAY_KIND: 'hall', SHUBBAK_AUDIO_PLAYER: 'record', SHUBBAK_HALL_ROWS: '3' })),
      link: LINK, log: quiet(logs), hardware: { board: { binding: b.binding } },
    });
    await until('health says the port is missing', () => watch.board('hall-1')?.code === 'PORT_NOT_FOUND');
    assert.match(watch.board('hall-1')!.message!, /غير موصّلة/);
    assert.ok(logs.some((l) => /PORT_NOT_FOUND.*ttyEMU-hall/.test(l)), 'the log names the code and the path');
    const uno = b.board('/dev/ttyEMU-hall'); // plugged in later: the program kept trying
    const chain = b.max7219(uno, 3);
    const hall: HallHandle = await started;
    t.after(() => hall.stop());
    await until('board ok', () => watch.board('hall-1')?.state === 'ok');

    const kiosk = await hub.device('kiosk-1');
    const k1 = await hub.device('keypad-1');
    const k2 = await hub.device('keypad-2');
    for (let i = 0; i < 4; i++) assert.ok((await kiosk.request('ticket.issue', { line: 'A' })).ok);
    assert.ok((await k1.request('window.next', {})).ok);
    assert.ok((await k2.request('window.next', {})).ok);
    const rows = () => [0, 1, 2].map((r) => chain.text(r, 8));
    await until('two calls on the hall board', () => JSON.stringify(rows()) === JSON.stringify(['A002   2', 'A001   1', '        ']));
    assert.ok((await k1.request('window.next', {})).ok);
    await until('the new call on top, the others shifted down', () => JSON.stringify(rows()) === JSON.stringify(['A003   1', 'A002   2', 'A001   1']));
    assert.ok([0, 1, 2].every((r) => chain.isOn(r)), 'every chip lit');

    // A new call starts an update; the cable goes while its bytes are on the wire.
    const before = b.binding.stats('/dev/ttyEMU-hall').written;
    assert.ok((await k2.request('window.next', {})).ok);
    await until('the update is on the wire', () => b.binding.stats('/dev/ttyEMU-hall').written > before + 30, 10_000);
    b.binding.unplug('/dev/ttyEMU-hall');
    await until('reported lost', () => watch.board('hall-1')?.code === 'PORT_LOST');
    b.binding.plug('/dev/ttyEMU-hall');
    await until('the hall board shows the current calls again', () => JSON.stringify(rows()) === JSON.stringify(['A004   2', 'A003   1', 'A002   2']) && chain.isOn(0));
    assert.equal(watch.board('hall-1')?.state, 'ok');
  });
});
