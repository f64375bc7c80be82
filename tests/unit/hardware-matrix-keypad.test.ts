// The 4×3 matrix keypad driver (hardware/matrix-keypad.ts) on johnny-five and firmata-io,
// against an emulated Uno running the real StandardFirmata, then ShubbakFirmata (tests/helpers/uno.ts): a key is
// a switch between its row pin and its column pin on the emulated header, so every read
// goes through the firmware's ports and reports, as on a real board.
import { describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { createBoard } from '@shubbak/hardware';
import { MatrixKeypad } from '../../hardware/matrix-keypad.ts';
import { pressKey, unoBench, until, type Firmware } from '../helpers/uno.ts';

// The kiosk's default wiring (hardware/pins.ts): rows on Firmata port 1 (D12, D13, A0, A1), columns on port 2 (A2–A4).
const ROWS = [12, 13, 14, 15];
const COLS = [16, 17, 18];
const DEFAULT_ROWS = ROWS;
const DEFAULT_COLS = COLS;
const HANDSHAKE_MS = 120_000; // the first board of a run boots the firmware for real

async function keypad(t: TestContext, firmware: Firmware, readTimeoutMs?: number, ROWS = DEFAULT_ROWS, COLS = DEFAULT_COLS) {
  const bench = unoBench(firmware);
  const uno = bench.board('/dev/ttyEMU-matrix');
  const board = await createBoard({ io: 'firmata', port: '/dev/ttyEMU-matrix', binding: bench.binding, handshakeMs: HANDSHAKE_MS, retryMs: 100 });
  const pad = new MatrixKeypad({ board: board.board, rows: ROWS, cols: COLS, debounceMs: 40, readTimeoutMs });
  const keys: string[] = [];
  pad.on('key', (k) => keys.push(k));
  t.after(() => {
    pad.close();
    board.close();
    bench.close();
  });
  await until('rows driven LOW at rest', () => ROWS.every((p) => uno.level(p) === 0));
  return { uno, pad, keys };
}

for (const firmware of ['standard', 'shubbak'] as const) describe(`matrix keypad on ${firmware === 'standard' ? 'StandardFirmata' : 'ShubbakFirmata'}`, () => {
  test('every key of the 4×3 keypad reads as its label; idle costs no traffic; one press, one key', async (t) => {
    const { uno, keys } = await keypad(t, firmware);
    const layout = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];
    for (let r = 0; r < 4; r++) {
      for (let c = 0; c < 3; c++) await pressKey(uno, ROWS[r], COLS[c], () => keys.length === r * 3 + c + 1);
    }
    assert.deepEqual(keys, layout);
    // At rest the rows are LOW again and nothing is sent while no key moves.
    let rx = 0;
    uno.on('rx', () => rx++);
    await sleep(200);
    assert.equal(rx, 0, 'an idle keypad sends nothing to the board');
    assert.ok(ROWS.every((p) => uno.level(p) === 0));
  });

  test('a key held down is one key, however long; a bounce shorter than the debounce is none', async (t) => {
    const { uno, keys } = await keypad(t, firmware);
    uno.setSwitch(ROWS[1], COLS[1], true); // 5
    await until('5 read', () => keys.length === 1);
    await sleep(300);
    uno.setSwitch(ROWS[1], COLS[1], false);
    await uno.idle();
    await sleep(100);
    assert.deepEqual(keys, ['5']);
    // A blip: closed and opened again before the debounce is over.
    uno.setSwitch(ROWS[3], COLS[2], true);
    await uno.idle();
    uno.setSwitch(ROWS[3], COLS[2], false);
    await uno.idle();
    await sleep(150);
    assert.deepEqual(keys, ['5'], 'a blip is no key');
    // The same key again after its release counts again.
    await pressKey(uno, ROWS[1], COLS[1], () => keys.length === 2);
    assert.deepEqual(keys, ['5', '5']);
  });

  test('a board that stops answering mid-scan: the keypad says so and is not left stuck (no key invented)', async (t) => {
    const { uno, pad, keys } = await keypad(t, firmware, 300);
    const failed = new Promise<Error>((r) => pad.once('error', r));
    uno.setSwitch(ROWS[0], COLS[0], true);
    await uno.idle(); // the board has reported the column LOW; the driver is in its debounce
    uno.powerOff(); // the board dies before the scan's reads are answered
    assert.match((await failed).message, /did not answer the keypad's read within 300 ms/);
    assert.deepEqual(keys, []);
  });

  test('rows and columns on one Firmata port: the scan\'s row writes leave every column\'s pull-up on', async (t) => {
    // A column reported LOW is a 0 in firmata-io's byte for its port; written back with a row,
    // ShubbakFirmata takes the 0 as "pull-up off" and the open column would float on a real board.
    const rows = [8, 9, 10, 11];
    const cols = [12, 13, 14];
    const { uno, keys } = await keypad(t, firmware, undefined, rows, cols);
    uno.setSwitch(rows[1], cols[1], true); // 5
    await until('5 read', () => keys.length === 1);
    await uno.idle();
    assert.deepEqual(cols.map((p) => uno.pullUp(p)), [true, true, true], 'every column keeps its pull-up through the scan');
    uno.setSwitch(rows[1], cols[1], false); // let go, and # at once (inside the release's debounce)
    await uno.idle();
    await pressKey(uno, rows[3], cols[2], () => keys.length === 2);
    assert.deepEqual(keys, ['5', '#']);
  });
});
