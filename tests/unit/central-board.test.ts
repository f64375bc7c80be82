// The governorate's live board reducer (hub/central/board.ts, issue 13 item 4): events in a
// center's seq order → waiting per line, windows open/serving, devices down, open alerts,
// last seq and time; a duplicate (center, seq) applied once; a gap reported, not guessed;
// centers independent of each other; a hub that restarts goes on; bad input refused.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEvent, checkEvent, emptyBoard, reduce, summarize, type CenterBoard } from '../../hub/central/board.ts';
import type { CentralEvent } from '../../hub/federation/forwarder.ts';

const T0 = Date.UTC(2026, 11, 1, 8, 0);

const line = (center: string, seq: number, letter: string, waiting: number, open = true): CentralEvent => ({
  center, seq, kind: 'state', topic: `shubbak/v1/lines/${letter}/state`, at: T0 + seq * 1000,
  payload: { line: letter, name: `خط ${letter}`, open, waiting, estimatedWaitMin: waiting * 5, seq },
});
const win = (center: string, seq: number, n: number, status: 'idle' | 'serving' | 'paused' | 'closed', ticket: string | null = null): CentralEvent => ({
  center, seq, kind: 'state', topic: `shubbak/v1/windows/${n}/state`, at: T0 + seq * 1000,
  payload: { window: n, label: `شباك ${n}`, status, ticket, line: ticket ? ticket[0] : null, calledAt: ticket ? T0 : null, seq },
});
const alerts = (center: string, seq: number, list: { id: number; device: string; kind: string }[]): CentralEvent => ({
  center, seq, kind: 'alerts', topic: 'alerts', at: T0 + seq * 1000,
  payload: list.map((a) => ({ ...a, raisedAt: T0, acknowledged: false })),
});
const event = (center: string, seq: number, type: string): CentralEvent => ({
  center, seq, kind: 'event', topic: type, at: T0 + seq * 1000,
  payload: { ticket: 'A001', line: 'A', day: '2026-12-01', visit: 1, window: null, by: 'device:kiosk-1', at: T0 },
});
const hall = (center: string, seq: number, calls: { ticket: string; window: number }[]): CentralEvent => ({
  center, seq, kind: 'state', topic: 'shubbak/v1/hall/calls', at: T0 + seq * 1000,
  payload: { calls: calls.map((c) => ({ ...c, at: T0 })), seq },
});

/** A morning at one center: tickets issued on A and B, a window opens and calls. */
function morning(c: string): CentralEvent[] {
  return [
    event(c, 1, 'ticket.issued'), line(c, 2, 'A', 1),
    event(c, 3, 'ticket.issued'), line(c, 4, 'A', 2),
    event(c, 5, 'ticket.issued'), line(c, 6, 'B', 1),
    win(c, 7, 1, 'idle'),
    event(c, 8, 'ticket.called'), win(c, 9, 1, 'serving', 'A001'), line(c, 10, 'A', 1), hall(c, 11, [{ ticket: 'A001', window: 1 }]),
    alerts(c, 12, [{ id: 1, device: 'display-1', kind: 'offline' }, { id: 2, device: 'kiosk-1', kind: 'paper_low' }]),
  ];
}

describe('central board reducer', () => {
  test('in order: waiting per line, windows, devices down, alerts, last seq and time, events counted', () => {
    const { boards, outcomes } = reduce(morning('giza-dokki'));
    assert.ok(outcomes.every((o) => o.result === 'applied'));
    const s = summarize(boards['giza-dokki']);
    assert.deepEqual(s.waiting, { A: 1, B: 1 });
    assert.equal(s.waitingTotal, 2);
    assert.equal(s.linesOpen, 2);
    assert.equal(s.windowsOpen, 1);
    assert.equal(s.windowsServing, 1);
    assert.deepEqual(s.devicesDown, ['display-1']);
    assert.equal(s.openAlerts, 2);
    assert.equal(s.lastSeq, 12);
    assert.equal(s.lastAt, T0 + 12_000);
    assert.deepEqual(s.missing, []);
    assert.deepEqual(boards['giza-dokki'].events, { 'ticket.issued': 3, 'ticket.called': 1 });
    assert.deepEqual(boards['giza-dokki'].calls.map((c) => c.ticket), ['A001']);
    assert.equal(boards['giza-dokki'].windows[1].ticket, 'A001');
  });

  test('duplicates: the same (center, seq) again, right away or much later, changes nothing but the count', () => {
    const evs = morning('c1');
    const once = reduce(evs).boards.c1;
    // Every event twice (a resend right after), then the whole stream again (a redelivery).
    const twice = reduce([...evs.flatMap((e) => [e, e]), ...evs]).boards.c1;
    assert.deepEqual({ ...twice, duplicates: 0 }, once);
    assert.equal(twice.duplicates, evs.length * 2);
    assert.equal(twice.applied, evs.length);
    assert.deepEqual(twice.events, { 'ticket.issued': 3, 'ticket.called': 1 }, 'an event resent is counted once');
    // A duplicate that differs in payload (a forged or restored-from-backup seq) is still not applied.
    const forged = applyEvent(once, line('c1', 4, 'A', 99));
    assert.equal(forged.outcome.result, 'duplicate');
    assert.equal(forged.board.lines.A.waiting, 1);
  });

  test('the board given is not changed (pure)', () => {
    const b = reduce(morning('c1')).boards.c1;
    const copy = structuredClone(b);
    applyEvent(b, line('c1', 13, 'A', 7));
    applyEvent(b, line('c1', 2, 'A', 7));
    assert.deepEqual(b, copy);
  });

  test('out of order across centers: the interleaving does not matter', () => {
    const a = morning('c-a');
    const b = morning('c-b').map((e) => (e.kind === 'state' && e.topic.includes('/lines/') ? { ...e, payload: { ...(e.payload as object), waiting: 5 } } : e));
    const sequential = reduce([...a, ...b]).boards;
    // B first, then A interleaved backwards through B's events: each center's own order kept.
    const mixed: CentralEvent[] = [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      if (b[i]) mixed.push(b[i]);
      if (a[i]) mixed.push(a[i]);
    }
    const interleaved = reduce(mixed).boards;
    assert.deepEqual(interleaved, sequential);
    assert.deepEqual(summarize(interleaved['c-a']).waiting, { A: 1, B: 1 });
    assert.deepEqual(summarize(interleaved['c-b']).waiting, { A: 5, B: 5 });
  });

  test('a gap is reported, not guessed; the missing seqs arriving later fill it without taking the board back', () => {
    const evs = morning('c1');
    const without = evs.filter((e) => e.seq < 4 || e.seq > 6); // seqs 4, 5, 6 lost (for now)
    let b = reduce(without).boards.c1;
    let s = summarize(b);
    assert.deepEqual(s.missing, [[4, 6]]);
    assert.equal(s.missingCount, 3);
    assert.deepEqual(s.waiting, { A: 1 }, 'line B is not guessed: its only row is missing');
    assert.equal(s.lastSeq, 12);
    // Seq 5 arrives late: it fills the middle of the range.
    b = applyEvent(b, evs[4]).board;
    assert.deepEqual(b.missing, [[4, 4], [6, 6]]);
    assert.deepEqual(b.events['ticket.issued'], 3);
    // Seq 4 (line A waiting 2) is older than seq 10 (line A waiting 1): the board keeps 1.
    b = applyEvent(b, evs[3]).board;
    assert.equal(b.lines.A.waiting, 1);
    assert.equal(b.lines.A.seq, 10);
    // Seq 6 (line B) is new to the board.
    b = applyEvent(b, evs[5]).board;
    s = summarize(b);
    assert.deepEqual(s.missing, []);
    assert.deepEqual(s.waiting, { A: 1, B: 1 });
    assert.equal(s.lastSeq, 12);
    assert.equal(s.lastAt, T0 + 12_000, 'last time is that of the highest seq, not of a late one');
    assert.deepEqual(b, reduce(evs).boards.c1, 'the same board as in order');
    // And a late seq once filled is a duplicate.
    assert.equal(applyEvent(b, evs[4]).outcome.result, 'duplicate');
  });

  test('a center first seen past seq 1 reports the seqs before as missing; several gaps stay apart', () => {
    let b: CenterBoard | undefined;
    for (const e of [line('c1', 5, 'A', 3), line('c1', 9, 'A', 4), line('c1', 10, 'A', 5), line('c1', 20, 'A', 6)]) b = applyEvent(b, e).board;
    assert.deepEqual(b!.missing, [[1, 4], [6, 8], [11, 19]]);
    assert.equal(summarize(b!).missingCount, 4 + 3 + 9);
    assert.equal(b!.lines.A.waiting, 6);
  });

  test('a center that restarts its hub: its sequence goes on, the row in flight comes again once', () => {
    const before = morning('c1');
    let b = reduce(before).boards.c1;
    // The hub died after the stream stored seq 12 and before marking it sent: it sends 12 again,
    // then goes on from 13 (outbox.seq is AUTOINCREMENT in the hub's own database).
    const after = [before[11], line('c1', 13, 'A', 0), win('c1', 14, 1, 'idle'), alerts('c1', 15, [])];
    const r = reduce(after, { c1: b });
    b = r.boards.c1;
    assert.deepEqual(r.outcomes.map((o) => o.result), ['duplicate', 'applied', 'applied', 'applied']);
    const s = summarize(b);
    assert.deepEqual(s.missing, []);
    assert.equal(s.lastSeq, 15);
    assert.deepEqual(s.waiting, { A: 0, B: 1 });
    assert.equal(s.windowsServing, 0);
    assert.deepEqual(s.devicesDown, []);
    assert.equal(s.openAlerts, 0);
  });

  test('a window closed, paused, idle: open counts all but closed; serving only serving', () => {
    const { boards } = reduce([win('c1', 1, 1, 'closed'), win('c1', 2, 2, 'paused'), win('c1', 3, 3, 'idle'), win('c1', 4, 4, 'serving', 'B007')]);
    const s = summarize(boards.c1);
    assert.equal(s.windowsOpen, 3);
    assert.equal(s.windowsServing, 1);
  });

  test('alerts: the latest list wins; one device down with two alerts counts once', () => {
    const { boards } = reduce([
      alerts('c1', 1, [{ id: 1, device: 'keypad-2', kind: 'offline' }]),
      alerts('c1', 2, [{ id: 1, device: 'keypad-2', kind: 'offline' }, { id: 2, device: 'kiosk-1', kind: 'offline' }, { id: 3, device: 'kiosk-1', kind: 'paper_out' }]),
    ]);
    const s = summarize(boards.c1);
    assert.deepEqual(s.devicesDown, ['keypad-2', 'kiosk-1']);
    assert.equal(s.openAlerts, 3);
  });

  test('bad input is refused with a stable code, counted, and changes no board', () => {
    const good = line('c1', 1, 'A', 2);
    assert.equal(checkEvent(good, 'centers.c1.state').ok, true);
    for (const type of ['ticket.issued', 'ticket.no_show', 'file.approve', 'payment_order.collect', 'cash.close', 'receipt.void_request']) {
      assert.equal(checkEvent(event('c1', 1, type), 'centers.c1.event').ok, true, type);
    }
    const refusals: [unknown, string | undefined, string][] = [
      [null, 'centers.c1.state', 'BAD_EVENT'],
      ['text', 'centers.c1.state', 'BAD_EVENT'],
      [[good], 'centers.c1.state', 'BAD_EVENT'],
      [{ ...good, center: 'c2' }, 'centers.c1.state', 'WRONG_CENTER'],
      [{ ...good, center: 'C 1' }, undefined, 'BAD_EVENT'],
      [{ ...good, seq: 0 }, 'centers.c1.state', 'BAD_EVENT'],
      [{ ...good, seq: 1.5 }, 'centers.c1.state', 'BAD_EVENT'],
      [{ ...good, seq: '1' }, 'centers.c1.state', 'BAD_EVENT'],
      [{ ...good, kind: 'command' }, 'centers.c1.state', 'BAD_EVENT'],
      [good, 'centers.c1.event', 'BAD_EVENT'],
      [good, 'elsewhere.c1', 'BAD_EVENT'],
      [{ ...good, at: -1 }, 'centers.c1.state', 'BAD_EVENT'],
      [{ ...good, payload: null }, 'centers.c1.state', 'BAD_EVENT'],
      [{ ...alerts('c1', 1, []), payload: [{ id: 'x' }] }, 'centers.c1.alerts', 'BAD_EVENT'],
      [{ ...alerts('c1', 1, []), topic: 'other' }, 'centers.c1.alerts', 'BAD_EVENT'],
      [{ ...event('c1', 1, 'x'), topic: 'ticket' }, 'centers.c1.event', 'BAD_EVENT'],
      [{ ...event('c1', 1, 'x'), topic: 'ticket.called; drop' }, 'centers.c1.event', 'BAD_EVENT'],
      [{ ...event('c1', 1, 'x'), topic: `ticket.${'x'.repeat(100)}` }, 'centers.c1.event', 'BAD_EVENT'],
    ];
    for (const [raw, subject, code] of refusals) {
      const r = checkEvent(raw, subject);
      assert.equal(r.ok, false, JSON.stringify(raw));
      if (!r.ok) assert.equal(r.code, code, JSON.stringify(raw));
    }
    // The subject's center is what the refusal is counted on, never the payload's claim.
    const wrong = checkEvent({ ...good, center: 'c2' }, 'centers.c1.state');
    assert.equal(!wrong.ok && wrong.center, 'c1');

    // Well-formed events whose state does not fit the device contract: refused, seq not consumed.
    const b = reduce(morning('c1')).boards.c1;
    const bad: CentralEvent[] = [
      { ...line('c1', 13, 'A', 1), payload: { line: 'A', waiting: -3 } },
      { ...line('c1', 13, 'A', 1), topic: 'shubbak/v1/lines/B/state' }, // A's state on B's topic
      { ...line('c1', 13, 'A', 1), topic: 'shubbak/v1/devices/kiosk-1/commands' },
      { ...line('c1', 13, 'A', 1), topic: 'not/a/topic' },
    ];
    for (const e of bad) {
      const r = applyEvent(b, e);
      assert.equal(r.outcome.result, 'refused', e.topic);
      assert.equal(r.outcome.result === 'refused' && r.outcome.code, 'BAD_STATE');
      assert.deepEqual({ ...r.board, refused: 0 }, { ...b, refused: 0 });
      assert.equal(r.board.refused, b.refused + 1);
    }
    // The seq a refused event had is still free for the real one.
    assert.equal(applyEvent(b, line('c1', 13, 'A', 4)).outcome.result, 'applied');
    assert.throws(() => applyEvent(emptyBoard('c2'), good), /board of c2/);
  });
});
