// MAX7219 boards driven by johnny-five's Led.Digits over the mock Firmata; what they show
// is decoded from the bit-banged data/clock/cs traffic.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { createBoard, hallRowText, looksLike, Max7219Decoder, Max7219Digits, Max7219HallBoard } from '@shubbak/hardware';

const PINS = { data: 11, clock: 13, cs: 10 };

async function digits(t: import('node:test').TestContext, width = 4) {
  const board = await createBoard({ io: 'sim' });
  const decoder = new Max7219Decoder(board.sim!, PINS, 1);
  const d = new Max7219Digits({ board: board.board, pins: PINS, width, blinkMs: 30 });
  t.after(() => {
    d.close();
    decoder.close();
    board.close();
  });
  return { d, decoder };
}

describe('MAX7219 digit boards', () => {
  test('text is right-aligned and padded, so no stale digit lingers', async (t) => {
    const { d, decoder } = await digits(t);
    assert.equal(decoder.text(0, 4), '    ');
    d.show('A012');
    assert.equal(decoder.text(0, 4), 'A012');
    d.show('7');
    assert.equal(decoder.text(0, 4), '   7');
    d.show('----');
    assert.equal(decoder.text(0, 4), '----');
    d.show('B12345'); // too long: the rightmost digits stay
    assert.equal(decoder.text(0, 4), '2345');
    d.clear();
    assert.equal(decoder.text(0, 4), '    ');
  });

  test('ticket letters read as letters (B, D are lower-case b, d on segments)', async (t) => {
    const { d, decoder } = await digits(t, 8);
    d.show('B007 D12');
    assert.equal(decoder.text(0, 8), 'B007 D12');
    assert.equal(looksLike('O1'), '01');
  });

  test('brightness writes the intensity register, clamped to 0..15', async (t) => {
    const { d, decoder } = await digits(t);
    d.setBrightness(3);
    assert.equal(decoder.brightness(0), 3);
    d.setBrightness(99);
    assert.equal(decoder.brightness(0), 15);
    d.setBrightness(-4);
    assert.equal(decoder.brightness(0), 0);
  });

  test('a blink toggles shutdown without touching the digits; a new show stops it lit', async (t) => {
    const { d, decoder } = await digits(t);
    d.show('A012', { blink: true });
    const seen = new Set<boolean>();
    for (let i = 0; i < 12; i++) {
      seen.add(decoder.isOn(0));
      assert.equal(decoder.text(0, 4), 'A012');
      await sleep(10);
    }
    assert.deepEqual([...seen].sort(), [false, true]);
    d.show('A013');
    assert.equal(d.blinking, false);
    assert.equal(decoder.isOn(0), true);
    await sleep(80);
    assert.equal(decoder.isOn(0), true);
    assert.equal(decoder.text(0, 4), 'A013');
  });

  test('hall board: one 8-digit module per row, ticket left and window right, extra rows blank', async (t) => {
    const board = await createBoard({ io: 'sim' });
    const decoder = new Max7219Decoder(board.sim!, PINS, 3);
    const hall = new Max7219HallBoard({ board: board.board, pins: PINS, rows: 3 });
    t.after(() => {
      hall.close();
      decoder.close();
      board.close();
    });
    hall.show([{ ticket: 'A012', window: 3 }, { ticket: 'B101', window: 12 }, { ticket: 'C7', window: 4 }]);
    assert.deepEqual([0, 1, 2].map((r) => decoder.text(r, 8)), ['A012   3', 'B101  12', 'C7     4']);
    hall.show([{ ticket: 'A013', window: 5 }]);
    assert.deepEqual([0, 1, 2].map((r) => decoder.text(r, 8)), ['A013   5', '        ', '        ']);
    assert.equal(hallRowText({ ticket: 'A0123456', window: 123 }), 'A012 123');
    assert.throws(() => new Max7219HallBoard({ board: board.board, pins: PINS, rows: 9 }), RangeError);
  });

  test('hall board: unchanged updates send nothing; a glitched chip is rewritten by the periodic full refresh', async (t) => {
    const board = await createBoard({ io: 'sim' });
    const decoder = new Max7219Decoder(board.sim!, PINS, 2);
    const hall = new Max7219HallBoard({ board: board.board, pins: PINS, rows: 2 });
    t.after(() => {
      hall.close();
      decoder.close();
      board.close();
    });
    const rows = [{ ticket: 'A012', window: 3 }, { ticket: 'B101', window: 12 }];
    hall.show(rows);
    let writes = 0;
    const stop = board.sim!.onPinWrite(() => writes++);
    hall.show(rows);
    assert.equal(writes, 0);
    decoder.registers[1][6] = 0; // noise on the ribbon cable blanked a digit of row 1
    assert.equal(decoder.text(1, 8), 'B1 1  12');
    for (let i = 0; i < 20; i++) hall.show(rows);
    assert.equal(decoder.text(1, 8), 'B101  12');
    stop();
  });
});
