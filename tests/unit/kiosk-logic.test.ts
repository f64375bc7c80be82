import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runSteps } from '../helpers/steps.ts';
import { initialKioskState, kioskStep, type KioskEvent, type KioskState } from '../../kiosk/logic.ts';
import type { IssuedTicket, KioskConfig } from '@shubbak/protocol';

const config: KioskConfig = { kind: 'kiosk', center: 'مركز تجريبي', footer: 'شكرا', buttons: [{ key: 0, line: 'A' }, { key: 1, line: 'B' }] };
const ticket: IssuedTicket = { number: 'A007', line: 'A', lineName: 'استلام الطلبات', ahead: 2, estimatedWaitMin: 10, issuedAt: 1_700_000_000_000 };

const feed = (events: KioskEvent[], from: KioskState = initialKioskState) => runSteps(kioskStep, events, from);
const ready = () => feed([{ type: 'online' }, { type: 'config', config }, { type: 'lineState', line: 'A', open: true }, { type: 'lineState', line: 'B', open: false }]).state;

describe("the kiosk's state machine", () => {
  test('waits for provisioning: no lamps, no command, a notice on a press', () => {
    const { state, effects } = feed([{ type: 'online' }, { type: 'lineState', line: 'A', open: true }, { type: 'press', key: 0 }]);
    assert.equal(state.phase, 'provisioning');
    assert.ok(!effects.some((e) => e.type === 'issue' || e.type === 'lamps'));
    assert.ok(effects.some((e) => e.type === 'notice' && e.notice.en === 'Waiting for provisioning'));
  });

  test('lamps show which lines are open, and go dark offline or out of paper', () => {
    const s = ready();
    assert.deepEqual(s.lamps, { 0: 'on', 1: 'off' });
    const off = kioskStep(s, { type: 'offline' });
    assert.deepEqual(off.state.lamps, { 0: 'off', 1: 'off' });
    assert.ok(off.effects.some((e) => e.type === 'lamps' && e.lamps.some((l) => l.key === 0 && l.state === 'off')));
    const paper = kioskStep(s, { type: 'printer', status: 'paper-out' });
    assert.deepEqual(paper.state.lamps, { 0: 'off', 1: 'off' });
    assert.ok(paper.effects.some((e) => e.type === 'health' && e.printer === 'paper-out'));
    const low = kioskStep(s, { type: 'printer', status: 'paper-low' });
    assert.deepEqual(low.state.lamps, { 0: 'on', 1: 'off' }, 'paper low still prints');
  });

  test('a press issues, the reply prints, the print returns to ready', () => {
    let r = kioskStep(ready(), { type: 'press', key: 0 });
    assert.equal(r.state.phase, 'requesting');
    assert.deepEqual(r.effects.find((e) => e.type === 'issue'), { type: 'issue', line: 'A' });
    assert.equal(r.state.lamps[0], 'blink');
    const again = kioskStep(r.state, { type: 'press', key: 0 });
    assert.ok(!again.effects.some((e) => e.type === 'issue'), 'a second press while requesting does not issue twice');
    r = kioskStep(r.state, { type: 'issued', ticket });
    assert.equal(r.state.phase, 'printing');
    const print = r.effects.find((e) => e.type === 'print');
    assert.ok(print && print.type === 'print');
    assert.equal(print.content.number, 'A007');
    assert.equal(print.content.center, config.center);
    assert.equal(print.content.footer, config.footer);
    r = kioskStep(r.state, { type: 'printed' });
    assert.equal(r.state.phase, 'ready');
    assert.equal(r.state.lamps[0], 'on');
  });

  test('no print, no ticket: a failed print cancels the issued number', () => {
    let r = kioskStep(ready(), { type: 'press', key: 0 });
    r = kioskStep(r.state, { type: 'issued', ticket });
    r = kioskStep(r.state, { type: 'printFailed', reason: 'paper-out' });
    assert.deepEqual(r.effects.find((e) => e.type === 'cancel'), { type: 'cancel', number: 'A007' });
    assert.equal(r.state.phase, 'ready');
  });

  test('offline, closed line or no paper: the press is refused at once and nothing is queued', () => {
    const s = ready();
    for (const [ev, key, en] of [
      [{ type: 'offline' }, 0, 'The hub is unreachable'],
      [{ type: 'printer', status: 'paper-out' }, 0, 'The printer is not ready'],
      [{ type: 'online' }, 1, 'This line is closed'],
    ] as const) {
      const { state, effects } = feed([ev, { type: 'press', key }], s);
      assert.equal(state.phase, 'ready');
      assert.ok(!effects.some((e) => e.type === 'issue'));
      assert.ok(effects.some((e) => e.type === 'notice' && e.notice.en === en), en);
    }
    // Coming back online does not send the refused press later.
    const { effects } = feed([{ type: 'offline' }, { type: 'press', key: 0 }, { type: 'online' }, { type: 'lineState', line: 'A', open: true }], s);
    assert.ok(!effects.some((e) => e.type === 'issue'));
  });

  test('a refused issue returns to ready with the hub message', () => {
    let r = kioskStep(ready(), { type: 'press', key: 0 });
    r = kioskStep(r.state, { type: 'issueFailed', code: 'LINE_CLOSED', message: 'هذه الخدمة مغلقة الآن' });
    assert.equal(r.state.phase, 'ready');
    assert.equal(r.state.notice?.ar, 'هذه الخدمة مغلقة الآن');
  });

  test('health is published on connect and on every printer change', () => {
    const { effects } = feed([{ type: 'online' }, { type: 'printer', status: 'paper-low' }, { type: 'printer', status: 'paper-low' }, { type: 'printer', status: 'ok' }]);
    assert.deepEqual(effects.filter((e) => e.type === 'health').map((e) => e.type === 'health' && e.printer), ['ok', 'paper-low', 'ok']);
  });

  test('losing the config goes back to provisioning with lamps dark', () => {
    const r = kioskStep(ready(), { type: 'config', config: null });
    assert.equal(r.state.phase, 'provisioning');
    assert.deepEqual(r.state.lamps, {});
    assert.ok(r.effects.some((e) => e.type === 'lamps' && e.lamps.every((l) => l.state === 'off')));
  });
});
