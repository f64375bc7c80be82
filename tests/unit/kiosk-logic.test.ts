import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runSteps } from '../helpers/steps.ts';
import { initialKioskState, kioskStep, MAX_QUEUED_PRINTS, type KioskEffect, type KioskEvent, type KioskState } from '../../kiosk/logic.ts';
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

// The touch screen's tickets (issue 14 item 2): the hub issues them as this kiosk and asks it
// to print them (devices/{id}/print → a 'printRequest' event). Same paper, same "no print, no
// ticket", and a request that finds the kiosk busy waits its turn in a small FIFO.
describe("the kiosk prints its touch screen's tickets", () => {
  const screen = (n: number, line = 'A'): IssuedTicket => ({ ...ticket, number: `${line}${String(n).padStart(3, '0')}`, line, link: `https://hub/t/tok${n}` });
  const prints = (effects: readonly KioskEffect[]) => effects.flatMap((e) => (e.type === 'print' ? [e.content.number] : []));

  test('ready: the request prints at once, with the same content as the kiosk\'s own issued ticket', () => {
    const t = screen(8);
    let r = kioskStep(ready(), { type: 'printRequest', ticket: t });
    assert.equal(r.state.phase, 'printing');
    assert.equal(r.state.printing?.number, 'A008');
    assert.equal(r.state.lamps[0], 'blink', 'the line\'s lamp blinks while its ticket prints');
    const print = r.effects.find((e) => e.type === 'print');
    // The button's path with the same ticket gives the same paper.
    const own = feed([{ type: 'press', key: 0 }, { type: 'issued', ticket: t }], ready()).effects.find((e) => e.type === 'print');
    assert.ok(print && own);
    assert.deepEqual(print, own);
    assert.equal(print.type === 'print' && print.content.link, 'https://hub/t/tok8', 'the QR of the live page too');
    r = kioskStep(r.state, { type: 'printed' });
    assert.equal(r.state.phase, 'ready');
    assert.equal(r.state.printing, null);
    assert.equal(r.state.lamps[0], 'on');
    assert.ok(r.effects.some((e) => e.type === 'notice' && e.notice.en === 'Please take your ticket'));
    assert.ok(!r.effects.some((e) => e.type === 'cancel'));
  });

  test('no print, no ticket: a failed print of a screen ticket cancels its number', () => {
    let r = kioskStep(ready(), { type: 'printRequest', ticket: screen(9) });
    r = kioskStep(r.state, { type: 'printFailed', reason: 'printer paper-out' });
    assert.deepEqual(r.effects.filter((e) => e.type === 'cancel'), [{ type: 'cancel', number: 'A009' }]);
    assert.equal(r.state.phase, 'ready');
    assert.ok(r.effects.some((e) => e.type === 'notice' && e.notice.en === 'Printing failed; the number was cancelled'));
  });

  test('busy with its own button ticket: the requests wait, then print in order after it', () => {
    let r = kioskStep(ready(), { type: 'press', key: 0 });
    const waited = feed([{ type: 'printRequest', ticket: screen(20) }, { type: 'printRequest', ticket: screen(21) }], r.state);
    assert.deepEqual(prints(waited.effects), [], 'nothing printed mid-request');
    assert.deepEqual(waited.state.queued.map((t) => t.number), ['A020', 'A021']);
    assert.equal(waited.state.phase, 'requesting');
    r = kioskStep(waited.state, { type: 'issued', ticket });
    assert.deepEqual(prints(r.effects), ['A007'], 'the button\'s own ticket first');
    // A request while printing waits too.
    r = kioskStep(r.state, { type: 'printRequest', ticket: screen(22) });
    assert.deepEqual(prints(r.effects), []);
    r = kioskStep(r.state, { type: 'printed' });
    assert.deepEqual(prints(r.effects), ['A020']);
    assert.equal(r.state.phase, 'printing');
    // A failure of one cancels that one only and moves on to the next.
    r = kioskStep(r.state, { type: 'printFailed', reason: 'jam' });
    assert.deepEqual(r.effects.filter((e) => e.type === 'cancel'), [{ type: 'cancel', number: 'A020' }]);
    assert.deepEqual(prints(r.effects), ['A021']);
    r = kioskStep(r.state, { type: 'printed' });
    assert.deepEqual(prints(r.effects), ['A022']);
    r = kioskStep(r.state, { type: 'printed' });
    assert.deepEqual(prints(r.effects), []);
    assert.equal(r.state.phase, 'ready');
    assert.deepEqual(r.state.queued, []);
  });

  test('a refused own request, or a booking code being typed, lets the waiting ticket print once ready', () => {
    let r = kioskStep(ready(), { type: 'press', key: 0 });
    r = kioskStep(r.state, { type: 'printRequest', ticket: screen(30) });
    r = kioskStep(r.state, { type: 'issueFailed', code: 'LINE_CLOSED', message: 'هذه الخدمة مغلقة الآن' });
    assert.deepEqual(prints(r.effects), ['A030']);
    r = kioskStep(r.state, { type: 'printed' });

    r = kioskStep(r.state, { type: 'booking' });
    assert.equal(r.state.phase, 'entering');
    r = kioskStep(r.state, { type: 'printRequest', ticket: screen(31) });
    assert.deepEqual(prints(r.effects), [], 'the citizen typing a code is not interrupted');
    assert.equal(r.state.phase, 'entering');
    r = kioskStep(r.state, { type: 'leave' });
    assert.deepEqual(prints(r.effects), ['A031']);
  });

  test('a request heard twice prints once; a full FIFO cancels the newest instead of printing it late', () => {
    let r = kioskStep(ready(), { type: 'printRequest', ticket: screen(40) });
    r = kioskStep(r.state, { type: 'printRequest', ticket: screen(40) });
    assert.deepEqual(prints(r.effects), []);
    assert.deepEqual(r.state.queued, [], 'the one printing is not queued again');
    const many = feed(Array.from({ length: MAX_QUEUED_PRINTS }, (_, i) => ({ type: 'printRequest' as const, ticket: screen(41 + i) })), r.state);
    assert.equal(many.state.queued.length, MAX_QUEUED_PRINTS);
    r = kioskStep(many.state, { type: 'printRequest', ticket: screen(41) });
    assert.equal(r.state.queued.length, MAX_QUEUED_PRINTS, 'a queued one heard again is not queued twice');
    assert.ok(!r.effects.some((e) => e.type === 'cancel'));
    r = kioskStep(r.state, { type: 'printRequest', ticket: screen(99) });
    assert.deepEqual(r.effects.filter((e) => e.type === 'cancel'), [{ type: 'cancel', number: 'A099' }]);
    assert.equal(r.state.queued.length, MAX_QUEUED_PRINTS);
  });

  test('a press while a screen ticket prints is refused as busy; a request before the config prints once provisioned', () => {
    const r = kioskStep(ready(), { type: 'printRequest', ticket: screen(50) });
    const press = kioskStep(r.state, { type: 'press', key: 0 });
    assert.ok(!press.effects.some((e) => e.type === 'issue'));
    assert.ok(press.effects.some((e) => e.type === 'notice' && e.notice.en === 'A ticket is being printed'));

    const early = feed([{ type: 'online' }, { type: 'printRequest', ticket: screen(51) }]);
    assert.deepEqual(prints(early.effects), []);
    assert.equal(early.state.phase, 'provisioning');
    const later = kioskStep(early.state, { type: 'config', config });
    assert.deepEqual(prints(later.effects), ['A051']);
  });
});
