// The per-device bundles in sim mode: the same drivers, driven and read through the sim handle.
import { describe, afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { SerialPortMock } from 'serialport';
import { setTimeout as sleep } from 'node:timers/promises';
import { createHallHardware, createKeypadHardware, createKioskHardware, createWindowBoardHardware, PrinterError, renderTicket } from '@shubbak/hardware';

afterEach(() => SerialPortMock.binding.reset());

describe('the per-device hardware bundles in sim mode', () => {
  test('kiosk: a press through the pin, lamps, a ticket printed and read back, paper out', async (t) => {
    const hw = await createKioskHardware({ io: 'sim', printerPollMs: 0, holdMs: 80 });
    t.after(() => hw.close());
    const sim = hw.sim!;
    const events: string[] = [];
    hw.buttons.on('press', (k) => events.push(`press ${k}`));
    hw.buttons.on('hold', (k) => events.push(`hold ${k}`));
    assert.deepEqual(hw.buttons.keys, [0, 1, 2, 3]);
    await sim.press(2);
    await sim.hold(0);
    assert.deepEqual(events, ['press 2', 'press 0', 'hold 0']);
    hw.buttons.setAllLamps('on');
    hw.buttons.setLamp(1, 'blink');
    assert.deepEqual(sim.lamps(), ['on', 'blink', 'on', 'on']);
    hw.buttons.setAllLamps('off');
    assert.deepEqual(sim.lamps(), ['off', 'off', 'off', 'off']);

    const { image, doc } = renderTicket({ center: 'مركز', lineName: 'التسليم', number: 'C003', ahead: 0, estimatedWaitMin: 0, issuedAt: 0, footer: '' }, '80mm');
    await hw.printer.print(doc);
    assert.equal(sim.printed().length, 1);
    assert.deepEqual(Buffer.from(sim.lastPrinted()!.data), Buffer.from(image.data));
    // Blank rows fed, bands cropped, the number in the printer's font: far less than the raw raster.
    assert.ok(sim.printed()[0].bytes < image.data.length / 3, `${sim.printed()[0].bytes} bytes for a ${image.data.length}-byte raster`);

    sim.setPaper('paper-out');
    await assert.rejects(hw.printer.print(image), PrinterError);
    assert.equal(hw.printer.status, 'paper-out');
    assert.equal(sim.printed().length, 1);
  });

  test('keypad: five keys with lamps and an 8-digit board', async (t) => {
    const hw = await createKeypadHardware({ io: 'sim' });
    t.after(() => hw.close());
    assert.equal(hw.buttons.keys.length, 5);
    assert.equal(hw.digits.width, 8);
    hw.digits.show('A012');
    assert.equal(hw.sim!.digits(), '    A012');
    hw.digits.setBrightness(12);
    assert.equal(hw.sim!.brightness(), 12);
    const pressed: number[] = [];
    hw.buttons.on('press', (k) => pressed.push(k));
    await hw.sim!.press(4);
    assert.deepEqual(pressed, [4]);
  });

  test('window board: 4 digits, blinking on a new call, steady on the next show', async (t) => {
    const hw = await createWindowBoardHardware({ io: 'sim' });
    t.after(() => hw.close());
    hw.digits.show('B007', { blink: true });
    const lit = new Set<boolean>();
    for (let i = 0; i < 10; i++) {
      lit.add(hw.sim!.digitsLit());
      await sleep(100);
    }
    assert.equal(hw.sim!.digits(), 'B007');
    assert.deepEqual([...lit].sort(), [false, true]);
    hw.digits.show('B008');
    assert.equal(hw.sim!.digitsLit(), true);
    assert.equal(hw.sim!.digits(), 'B008');
  });

  test('hall: rows read back from the MAX7219 chain; the player records', async (t) => {
    const hw = await createHallHardware({ io: 'sim', rows: 4 });
    t.after(() => hw.close());
    hw.board.show([{ ticket: 'A012', window: 3 }, { ticket: 'D101', window: 12 }]);
    assert.deepEqual(hw.sim!.hallRows(), [{ ticket: 'A012', window: 3 }, { ticket: 'D101', window: 12 }]);
    hw.board.clear();
    assert.deepEqual(hw.sim!.hallRows(), []);
    await hw.player.play('a.wav');
    assert.deepEqual(hw.sim!.played(), ['a.wav']);
  });

  test('raspi without raspi-io installed fails with a clear message', async () => {
    await assert.rejects(createWindowBoardHardware({ io: 'raspi' }), /raspi-io is not installed/);
  });
});
