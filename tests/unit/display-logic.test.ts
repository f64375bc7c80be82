import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runSteps } from '../helpers/steps.ts';
import { hallBoardStep, initialHallBoard, initialWindowBoard, windowBoardStep, type BoardEvent, type HallEvent, type WindowBoardState } from '../../display/logic.ts';
import type { WindowState } from '@shubbak/protocol';

const win = (o: Partial<WindowState> = {}): WindowState => ({ window: 2, label: 'شباك 2', status: 'serving', ticket: 'A012', line: 'A', calledAt: 100, seq: 1, ...o });
const feed = (events: BoardEvent[], from: WindowBoardState = initialWindowBoard) => runSteps(windowBoardStep, events, from);
const started = () => feed([{ type: 'online' }, { type: 'config', config: { kind: 'display', window: 2 } }, { type: 'windowState', state: win() }]);

describe("the window and hall boards' state machines", () => {
  test('the window board shows its window ticket, steady at start', () => {
    const { state, effects } = started();
    assert.deepEqual(effects.at(-1), { type: 'show', text: 'A012', blink: false });
    const other = windowBoardStep(state, { type: 'windowState', state: win({ window: 3, ticket: 'B001' }) });
    assert.deepEqual(other.effects, [], 'another window does not change it');
  });

  test('a new call blinks, then shows steady; a recall blinks again; a reconnect does not', () => {
    let r = feed([{ type: 'windowState', state: win({ ticket: 'A013', calledAt: 200, seq: 2 }) }], started().state);
    assert.deepEqual(r.effects, [{ type: 'show', text: 'A013', blink: true }]);
    r = feed([{ type: 'blinkDone' }], r.state);
    assert.deepEqual(r.effects, [{ type: 'show', text: 'A013', blink: false }]);
    r = feed([{ type: 'windowState', state: win({ ticket: 'A013', calledAt: 300, seq: 3 }) }], r.state);
    assert.deepEqual(r.effects, [{ type: 'show', text: 'A013', blink: true }], 'recall');
    r = feed([{ type: 'blinkDone' }, { type: 'offline' }], r.state);
    assert.deepEqual(r.effects.at(-1), { type: 'show', text: 'OFF', blink: false });
    r = feed([{ type: 'online' }, { type: 'windowState', state: win({ ticket: 'A013', calledAt: 300, seq: 3 }) }], r.state);
    assert.deepEqual(r.effects.at(-1), { type: 'show', text: 'A013', blink: false });
  });

  test('idle is blank, paused shows dashes, no config says CFG', () => {
    assert.equal(feed([{ type: 'windowState', state: win({ status: 'idle', ticket: null, seq: 2 }) }], started().state).state.shown, '');
    assert.equal(feed([{ type: 'windowState', state: win({ status: 'paused', ticket: null, seq: 2 }) }], started().state).state.shown, '----');
    assert.equal(feed([{ type: 'online' }]).state.shown, 'CFG');
  });

  test('the hall board lists the newest calls up to its rows, and blanks offline', () => {
    let s = initialHallBoard;
    const step = (e: HallEvent) => {
      const r = hallBoardStep(s, e);
      s = r.state;
      return r.effects;
    };
    step({ type: 'online' });
    step({ type: 'config', config: { kind: 'hall', rows: 2 } });
    const fx = step({ type: 'hallCalls', calls: [{ ticket: 'A3', window: 1, at: 3 }, { ticket: 'B2', window: 4, at: 2 }, { ticket: 'A1', window: 2, at: 1 }] });
    assert.deepEqual(fx, [{ type: 'show', rows: [{ ticket: 'A3', window: 1 }, { ticket: 'B2', window: 4 }] }]);
    assert.deepEqual(step({ type: 'offline' }), [{ type: 'clear' }]);
    assert.deepEqual(step({ type: 'online' }), [{ type: 'show', rows: [{ ticket: 'A3', window: 1 }, { ticket: 'B2', window: 4 }] }]);
  });
});
