// Hardware in the loop on the project's own firmware: every device program, unchanged, with
// SHUBBAK_IO=firmata, on emulated Unos running ShubbakFirmata (hardware/firmware/, the .hex
// built from its C source). The programs detect it by the name it answers Firmata's firmware
// query with and write the MAX7219 boards through its sysex; the chips are still decoded
// from the DIN/CLK/CS pins, which the firmware now drives itself. Buttons and lamps go
// through the plain Firmata messages, as on StandardFirmata (firmata-hil.test.ts).
import { describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { KioskHardware } from '@shubbak/hardware';
import { EmulatedUno } from '../../hardware/sim/uno.ts';
import { Max7219Decoder } from '../../hardware/sim/max7219.ts';
import { SHUBBAK_FIRMATA_NAME, shubbakFirmataImage } from '../../hardware/sim/shubbak-firmata.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';
import { TEST_CLIP_DIR } from '../helpers/clips.ts';
import { MAX7219_PINS, press, unoBench, until, type Bench } from '../helpers/uno.ts';
import { startKiosk, type KioskHandle } from '../../kiosk/main.ts';
import { loadKioskConfig } from '../../kiosk/config.ts';
import { startKeypad, type KeypadHandle } from '../../counter-keypad/main.ts';
import { loadKeypadConfig } from '../../counter-keypad/config.ts';
import { startHallBoard, startWindowBoard, type HallHandle, type WindowBoardHandle } from '../../display/main.ts';
import { loadDisplayConfig } from '../../display/config.ts';

const LINK = { minReconnectMs: 100, maxReconnectMs: 300 };

function env(hub: TestHub, id: string, port: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    SHUBBAK_DEVICE_ID: id, SHUBBAK_IO: 'firmata', SHUBBAK_FIRMATA_PORT: port, SHUBBAK_HUB_URL: hub.mqttUrl, SHUBBAK_DEVICE_SECRET: hub.secretOf(id), SHUBBAK_AUDIO_DIR: TEST_CLIP_DIR,
    SHUBBAK_FIRMATA_HANDSHAKE_MS: '120000', SHUBBAK_FIRMATA_RETRY_MS: '100', ...extra,
  };
}

function bench(t: TestContext): Bench {
  const b = unoBench('shubbak');
  t.after(() => b.close());
  return b;
}

/** Firmata sysex strings (F0 71 7-bit pairs F7) in what a board sent. */
function strings(bytes: number[]): string[] {
  const out: string[] = [];
  for (let i = bytes.indexOf(0xf0); i >= 0; i = bytes.indexOf(0xf0, i + 1)) {
    const end = bytes.indexOf(0xf7, i);
    if (end < 0 || bytes[i + 1] !== 0x71) continue;
    const body = bytes.slice(i + 2, end);
    let s = '';
    for (let k = 0; k + 1 < body.length; k += 2) s += String.fromCharCode(body[k] | (body[k + 1] << 7));
    out.push(s);
  }
  return out;
}

describe('every device program on emulated boards running ShubbakFirmata', () => {
  test('the firmware answers as ShubbakFirmata; its MAX7219 sysex shifts frames out itself; a bad one is refused with a reason and changes nothing', async (t) => {
    const uno = new EmulatedUno(shubbakFirmataImage());
    t.after(() => uno.close());
    const sent: number[] = [];
    uno.on('tx', (b) => sent.push(...b));
    await uno.powerOn();
    await uno.idle();
    const name = [...SHUBBAK_FIRMATA_NAME].flatMap((c) => [c.charCodeAt(0), 0]);
    assert.deepEqual(sent.slice(0, 3), [0xf9, 2, 5], 'Firmata protocol 2.5 reported at boot');
    assert.deepEqual(sent.slice(3), [0xf0, 0x79, 1, 0, ...name, 0xf7], 'then its name');
    const chain = new Max7219Decoder(uno, MAX7219_PINS, 2);
    t.after(() => chain.close());
    const { cs, clock, data } = MAX7219_PINS;
    // shutdown = 1 on both chips, then digit0 = 0x7e ("0") on chip 0 and digit1 = 0x80 on chip 1 (bit 7 beside the register).
    uno.receive(Buffer.from([0xf0, 0x0c, cs, clock, data, 2, 0, 0x0c, 1, 1, 0x0c, 1, 0, 0x01, 0x7e, 1, 0x12, 0x00, 0xf7]));
    await uno.idle();
    assert.equal(chain.frames, 4, 'two frames of two words');
    assert.ok(chain.isOn(0) && chain.isOn(1));
    assert.equal(chain.registers[0][1], 0x7e);
    assert.equal(chain.registers[1][2], 0x80);
    // A hall board's whole set-up in one sysex (13 frames × 6 chips): every frame is shifted
    // out and latched, though the shifting outlasts the last byte on the line by far.
    const hall = new Max7219Decoder(uno, MAX7219_PINS, 6);
    t.after(() => hall.close());
    let latches = 0;
    hall.onLatch = () => latches++;
    const body: number[] = [];
    for (let f = 0; f < 13; f++) for (let d = 0; d < 6; d++) body.push(d, 1 + (f % 8), (f * 6 + d) & 0x7f);
    uno.receive(Buffer.from([0xf0, 0x0c, cs, clock, data, 6, ...body, 0xf7]));
    await uno.idle();
    assert.equal(latches, 13, 'one latch a frame');
    assert.deepEqual(hall.registers.map((r) => r[5]), [72, 73, 74, 75, 76, 77], 'the last frame naming register 5 is what each chip holds');
    hall.onLatch = null;
    hall.close();
    uno.receive(Buffer.from([0xf0, 0x0c, cs, clock, data, 2, 0, 0x01, 0x7e, 0xf7])); // the two-chip view again
    await uno.idle();
    const frames = chain.frames;

    sent.length = 0;
    uno.receive(Buffer.from([0xf0, 0x0c, cs, clock, data, 2, 2, 0x01, 0x00, 0xf7])); // device 2 of a chain of 2
    uno.receive(Buffer.from([0xf0, 0x0c, cs, cs, data, 2, 0, 0x01, 0x00, 0xf7])); // CS and CLK on one pin
    uno.receive(Buffer.from([0xf0, 0x0c, cs, clock, data, 2, 0, 0x01, 0xf7])); // half a triple
    await uno.idle();
    assert.deepEqual(strings(sent), ['MAX7219: bad triple', 'MAX7219: bad pins', 'MAX7219: bad length']);
    assert.equal(chain.frames, frames, 'nothing latched');
    assert.equal(chain.registers[0][1], 0x7e);
  });

  test('kiosk: button A on D2 prints a ticket, lamps follow open lines', async (t) => {
    const hub = await startTestHub(t);
    const b = bench(t);
    const uno = b.board('/dev/ttyEMU-kiosk');
    const kiosk: KioskHandle = await startKiosk({
      config: loadKioskConfig(env(hub, 'kiosk-1', '/dev/ttyEMU-kiosk')), link: LINK, log: () => {},
      hardware: { board: { binding: b.binding }, printerMock: true },
    });
    t.after(() => kiosk.stop());
    const printer = (kiosk.io as unknown as KioskHardware).printerSim!;
    await until('lamps of the open lines lit on D8–D11', () => [8, 9, 10, 11].every((p) => uno.level(p) === 1));
    const printed = new Promise<string>((r) => kiosk.events.once('printed', r));
    await press(uno, 2);
    assert.equal(await printed, 'A001');
    assert.equal(printer.tickets.length, 1);
    hub.ctx.queue.setLineOpen('B', false);
    await until('lamp B dark when its line closes', () => uno.level(9) === 0 && uno.level(8) === 1);
    await press(uno, 3);
    await sleep(300);
    assert.equal((hub.ctx.db.prepare("SELECT count(*) AS n FROM tickets WHERE label LIKE 'B%'").get() as { n: number }).n, 0, 'no ticket on a closed line');
  });

  test('keypad Next → the window board spells the number through the sysex (a few bytes a call); Recall blinks; USB pulled and back restores it', async (t) => {
    const hub = await startTestHub(t);
    const b = bench(t);
    const keyUno = b.board('/dev/ttyEMU-keypad');
    const ledUno = b.board('/dev/ttyEMU-led');
    const keyChip = b.max7219(keyUno, 1);
    const ledChip = b.max7219(ledUno, 1);
    const keypad: KeypadHandle = await startKeypad({ config: loadKeypadConfig(env(hub, 'keypad-1', '/dev/ttyEMU-keypad')), link: LINK, log: () => {}, hardware: { board: { binding: b.binding } } });
    t.after(() => keypad.stop());
    const led: WindowBoardHandle = await startWindowBoard({
      config: loadDisplayConfig(env(hub, 'led-1', '/dev/ttyEMU-led', { SHUBBAK_DISPLAY_KIND: 'display' })), link: LINK, log: () => {}, hardware: { board: { binding: b.binding } },
    });
    t.after(() => led.stop());
    const digits = led.io.digits as unknown as { busMode: string; blinking: boolean };
    assert.equal(digits.busMode, 'sysex', 'the window board detected ShubbakFirmata');
    assert.equal((keypad.io.digits as unknown as { busMode: string }).busMode, 'sysex', 'so did the keypad');
    const kiosk = await hub.device('kiosk-1');
    for (let i = 0; i < 4; i++) assert.ok((await kiosk.request('ticket.issue', { line: 'A' })).ok);
    await until('keypad display shows four waiting', () => keyChip.text(0, 8) === '----   4' && keyChip.isOn(0));

    await ledUno.idle();
    const before = b.binding.stats('/dev/ttyEMU-led').written;
    let callBytes = -1;
    ledChip.onLatch = () => {
      if (callBytes < 0 && ledChip.text(0, 4) === 'A001') callBytes = b.binding.stats('/dev/ttyEMU-led').written - before;
    };
    await press(keyUno, 2); // Next
    await until('the window board spells A001', () => ledChip.text(0, 4) === 'A001' && ledChip.isOn(0));
    await until('the keypad shows A001 and three waiting', () => keyChip.text(0, 8) === 'A001   3');
    ledChip.onLatch = null;
    // Four digit registers (----→A001) in one sysex, 3 bytes a word (bit-banged: ~100 bytes a word).
    assert.ok(callBytes > 0 && callBytes <= 5 + 4 * 3 + 2, `the call took ${callBytes} bytes on the window board's line before it showed`);
    await until('the blink of a new call is over', () => !digits.blinking && ledChip.isOn(0), 20_000);

    const lit: boolean[] = [];
    ledChip.onLatch = () => lit.push(ledChip.isOn(0));
    await press(keyUno, 3); // Recall
    await until('the window board blinks', () => lit.includes(false) && lit.lastIndexOf(true) > lit.indexOf(false));
    assert.equal(ledChip.text(0, 4), 'A001');
    ledChip.onLatch = null;

    b.binding.unplug('/dev/ttyEMU-led');
    assert.equal(ledChip.text(0, 4), '    ', 'the chip lost power with the board');
    await press(keyUno, 2);
    await until('A002 called', () => hub.ctx.queue.windowState(1).ticket === 'A002');
    b.binding.plug('/dev/ttyEMU-led');
    await until('the window board reconnects and shows the current call, lit', () => ledChip.text(0, 4) === 'A002' && ledChip.isOn(0), 20_000);
    assert.equal(digits.busMode, 'sysex');
  });

  test('hall board: a new call shifts the rows down through the sysex', async (t) => {
    const hub = await startTestHub(t);
    const b = bench(t);
    const uno = b.board('/dev/ttyEMU-hall');
    const chain = b.max7219(uno, 3);
    const hall: HallHandle = await startHallBoard({
      config: loadDisplayConfig(env(hub, 'hall-1', '/dev/ttyEMU-hall', { SHUBBAK_DISPLAY_KIND: 'hall', SHUBBAK_AUDIO_PLAYER: 'record', SHUBBAK_HALL_ROWS: '3' })),
      link: LINK, log: () => {}, hardware: { board: { binding: b.binding } },
    });
    t.after(() => hall.stop());
    assert.equal((hall.io.board as unknown as { busMode: string }).busMode, 'sysex');
    const kiosk = await hub.device('kiosk-1');
    const k1 = await hub.device('keypad-1');
    const k2 = await hub.device('keypad-2');
    for (let i = 0; i < 4; i++) assert.ok((await kiosk.request('ticket.issue', { line: 'A' })).ok);
    assert.ok((await k1.request('window.next', {})).ok);
    assert.ok((await k2.request('window.next', {})).ok);
    const rows = () => [0, 1, 2].map((r) => chain.text(r, 8));
    await until('two calls on the hall board', () => JSON.stringify(rows()) === JSON.stringify(['A002   2', 'A001   1', '        ']));
    await uno.idle();
    const before = b.binding.stats('/dev/ttyEMU-hall').written;
    assert.ok((await k1.request('window.next', {})).ok);
    await until('the new call on top, the others shifted down', () => JSON.stringify(rows()) === JSON.stringify(['A003   1', 'A002   2', 'A001   1']));
    assert.ok([0, 1, 2].every((r) => chain.isOn(r)), 'every chip lit');
    await uno.idle();
    const bytes = b.binding.stats('/dev/ttyEMU-hall').written - before;
    // At most 8 register indexes × 3 rows × 3 bytes + the header: bit-banged it is ~300 bytes per index.
    assert.ok(bytes <= 8 * 3 * 3 + 7, `the new call took ${bytes} bytes on the hall board's line`);
  });
});
