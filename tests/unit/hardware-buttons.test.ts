// Buttons with lamps on johnny-five over the mock Firmata: edges injected on the button
// pins, lamps read from the pin writes johnny-five makes.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { createBoard, LampButtonPanel, type ReadyBoard } from '@shubbak/hardware';

async function panel(t: import('node:test').TestContext, holdMs = 120) {
  const board: ReadyBoard = await createBoard({ io: 'sim' });
  const sim = board.sim!;
  const p = new LampButtonPanel({ board: board.board, buttonPins: [2, 3, 4], lampPins: [8, 9, 12], holdMs, blinkMs: 40 });
  const events: string[] = [];
  p.on('press', (k) => events.push(`press ${k}`));
  p.on('hold', (k) => events.push(`hold ${k}`));
  t.after(() => {
    for (const pin of [2, 3, 4]) sim.setInput(pin, 1); // release every key: a held key's interval would keep node:test alive
    p.close();
    board.close();
  });
  return { p, sim, events };
}

describe('buttons with lamps', () => {
  test('a press is one event per debounced down edge (pulled-up pin goes LOW)', async (t) => {
    const { sim, events } = await panel(t);
    sim.setInput(3, 0);
    await sleep(20);
    sim.setInput(3, 1);
    await sleep(20);
    assert.deepEqual(events, ['press 1']);
  });

  test('contact bounce inside the debounce window gives a single press', async (t) => {
    const { sim, events } = await panel(t);
    for (let i = 0; i < 4; i++) {
      sim.setInput(2, 0);
      sim.setInput(2, 1);
    }
    sim.setInput(2, 0);
    await sleep(25);
    sim.setInput(2, 1);
    await sleep(20);
    assert.deepEqual(events, ['press 0']);
  });

  test('holding a key gives one hold after holdMs, however long it is held', async (t) => {
    const { sim, events } = await panel(t, 60);
    sim.setInput(4, 0);
    await sleep(220); // more than three hold periods
    sim.setInput(4, 1);
    await sleep(20);
    assert.deepEqual(events, ['press 2', 'hold 2']);
    // A short press afterwards is a press only.
    sim.setInput(4, 0);
    await sleep(20);
    sim.setInput(4, 1);
    await sleep(20);
    assert.deepEqual(events, ['press 2', 'hold 2', 'press 2']);
  });

  test('lamps: on and off reach the pins, blink toggles the pin, close stops it', async (t) => {
    const { p, sim } = await panel(t);
    p.setLamp(0, 'on');
    p.setLamp(1, 'off');
    assert.equal(sim.pinLevels.get(8), 1);
    assert.equal(sim.pinLevels.get(9), 0);
    let toggles = 0;
    const stop = sim.onPinWrite((pin) => {
      if (pin === 12) toggles++;
    });
    p.setLamp(2, 'blink');
    assert.equal(p.lampState(2), 'blink');
    await sleep(200);
    assert.ok(toggles >= 3, `blinking lamp toggled ${toggles} times`);
    p.setAllLamps('off');
    assert.deepEqual([8, 9, 12].map((pin) => sim.pinLevels.get(pin)), [0, 0, 0]);
    p.setLamp(2, 'blink');
    p.close();
    const after = toggles;
    await sleep(120);
    assert.equal(toggles - after, 0, 'no writes after close');
    assert.equal(sim.pinLevels.get(12), 0);
    stop();
  });

  test('after close no events are emitted', async (t) => {
    const { p, sim, events } = await panel(t);
    p.close();
    sim.setInput(2, 0);
    await sleep(20);
    sim.setInput(2, 1);
    await sleep(20);
    assert.deepEqual(events, []);
  });
});
