import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runSteps } from '../helpers/steps.ts';
import { initialKeypadState, KEYS, keypadStep, type KeypadEffect, type KeypadEvent, type KeypadState } from '../../counter-keypad/logic.ts';
import type { KeypadConfig, WindowState } from '@shubbak/protocol';

const config: KeypadConfig = { kind: 'keypad', window: 3, transferTo: ['A', 'B'], lines: ['D', 'A'] };
const win = (o: Partial<WindowState> = {}): WindowState => ({ window: 3, label: 'شباك 3', status: 'serving', ticket: 'D004', line: 'D', calledAt: 5, seq: 1, ...o });

const feed = (events: KeypadEvent[], from: KeypadState = initialKeypadState) => runSteps(keypadStep, events, from);
const live = () => feed([{ type: 'online' }, { type: 'config', config }, { type: 'windowState', state: win() },
  { type: 'lineState', line: 'A', waiting: 4 }, { type: 'lineState', line: 'D', waiting: 2 }, { type: 'lineState', line: 'B', waiting: 50 }]).state;
const commands = (effects: KeypadEffect[]) => effects.flatMap((e) => (e.type === 'command' ? [e.command] : []));

describe("the keypad's state machine", () => {
  test('the display shows the current ticket and how many wait in its own lines', () => {
    assert.equal(live().shown, 'D004   6');
    const other = keypadStep(live(), { type: 'windowState', state: win({ window: 4, ticket: 'B001' }) });
    assert.equal(other.state.shown, 'D004   6', 'another window is ignored');
    assert.equal(keypadStep(live(), { type: 'windowState', state: win({ status: 'paused', ticket: null, seq: 2 }) }).state.shown, 'PAUS   6');
  });

  test('each key sends its window command, one at a time', () => {
    for (const [key, type] of [[KEYS.next, 'window.next'], [KEYS.recall, 'window.recall'], [KEYS.noShow, 'window.noShow']] as const) {
      const r = feed([{ type: 'press', key }, { type: 'press', key }], live());
      assert.deepEqual(commands(r.effects), [{ type }], type);
      assert.equal(r.state.busy, true);
    }
    const idle = feed([{ type: 'windowState', state: win({ status: 'idle', ticket: null, line: null, seq: 2 }) }, { type: 'press', key: KEYS.pause }, { type: 'press', key: KEYS.pause }], live());
    assert.deepEqual(commands(idle.effects), [{ type: 'window.pause' }]);
    const paused = feed([{ type: 'windowState', state: win({ status: 'paused', seq: 2 }) }, { type: 'press', key: KEYS.pause }], live());
    assert.deepEqual(commands(paused.effects), [{ type: 'window.resume' }]);
  });

  test('the reply updates the display and frees the keypad', () => {
    const r = feed([{ type: 'press', key: KEYS.next }, { type: 'done', state: win({ ticket: 'A010', line: 'A', seq: 2 }) }], live());
    assert.equal(r.state.busy, false);
    assert.equal(r.state.shown, 'A010   6');
  });

  test('transfer: Transfer picks the target, again moves on, Next confirms, another key cancels', () => {
    let r = feed([{ type: 'press', key: KEYS.transfer }], live());
    assert.equal(r.state.shown, 't      A');
    assert.deepEqual(commands(r.effects), []);
    r = feed([{ type: 'press', key: KEYS.transfer }, { type: 'press', key: KEYS.next }], r.state);
    assert.deepEqual(commands(r.effects), [{ type: 'window.transfer', toLine: 'B' }]);
    const cancelled = feed([{ type: 'press', key: KEYS.transfer }, { type: 'press', key: KEYS.recall }], live());
    assert.deepEqual(commands(cancelled.effects), []);
    assert.equal(cancelled.state.choosing, null);
    const idle = feed([{ type: 'windowState', state: win({ status: 'idle', ticket: null, seq: 3 }) }, { type: 'press', key: KEYS.transfer }], live());
    assert.equal(idle.state.choosing, null, 'nothing to transfer without a current ticket');
    assert.ok(idle.effects.some((e) => e.type === 'flash'));
  });

  test('a press while offline shows an error at once and is never sent later', () => {
    const r = feed([{ type: 'offline' }, { type: 'press', key: KEYS.next }, { type: 'online' }], live());
    assert.deepEqual(commands(r.effects), []);
    assert.ok(r.effects.some((e) => e.type === 'flash' && e.text === 'OFF'));
    assert.ok(r.effects.some((e) => e.type === 'lamps' && e.lamps.every((l) => l.state === 'off')));
  });

  test('a hub error flashes a short code, then the display comes back', () => {
    let r = feed([{ type: 'press', key: KEYS.next }, { type: 'failed', code: 'QUEUE_EMPTY', message: 'لا يوجد مواطنون في الانتظار' }], live());
    assert.ok(r.effects.some((e) => e.type === 'flash' && e.text === 'nonE' && e.message.includes('الانتظار')));
    r = feed([{ type: 'flashDone' }], r.state);
    assert.deepEqual(r.effects.filter((e) => e.type === 'show'), [{ type: 'show', text: 'D004   6' }]);
  });

  test('without a config the keypad says so and sends nothing', () => {
    const r = feed([{ type: 'online' }, { type: 'press', key: KEYS.next }]);
    assert.deepEqual(commands(r.effects), []);
    assert.ok(r.effects.some((e) => e.type === 'flash' && e.text === 'Err CFG'));
  });

  // Issue 11 items 3 and 5: the keypad never sends Next on a paused window nor Pause with a
  // citizen at the window; holding Pause finishes that citizen.
  test('Next on a paused window is not sent: the display says PAUS', () => {
    const r = feed([{ type: 'windowState', state: win({ status: 'paused', ticket: null, line: null, seq: 2 }) }, { type: 'press', key: KEYS.next }], live());
    assert.deepEqual(commands(r.effects), []);
    assert.ok(r.effects.some((e) => e.type === 'flash' && e.text === 'PAUS'));
    assert.equal(r.state.busy, false);
  });

  test('Pause with a citizen at the window is not sent; holding Pause sends window.finish', () => {
    const pressed = feed([{ type: 'press', key: KEYS.pause }], live());
    assert.deepEqual(commands(pressed.effects), [], 'a short press never ends the service');
    assert.ok(pressed.effects.some((e) => e.type === 'flash' && e.text === 'FIn HoLd' && e.message.includes('مطولاً')));
    const held = feed([{ type: 'hold', key: KEYS.pause }], pressed.state);
    assert.deepEqual(commands(held.effects), [{ type: 'window.finish' }]);
    const done = feed([{ type: 'done', state: win({ status: 'idle', ticket: null, line: null, seq: 2 }) }, { type: 'press', key: KEYS.pause }], held.state);
    assert.deepEqual(commands(done.effects), [{ type: 'window.pause' }], 'after Finish a press pauses');
    const otherHold = feed([{ type: 'hold', key: KEYS.next }, { type: 'hold', key: KEYS.recall }], live());
    assert.deepEqual(commands(otherHold.effects), [], 'only the Pause key has a long press');
    const idleHold = feed([{ type: 'windowState', state: win({ status: 'idle', ticket: null, line: null, seq: 2 }) }, { type: 'hold', key: KEYS.pause }], live());
    assert.deepEqual(commands(idleHold.effects), [], 'nothing to finish at an idle window');
  });
});
