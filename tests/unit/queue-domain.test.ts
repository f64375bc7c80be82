import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  assertCanRecall, averageServiceMs, chooseNext, estimateWaitMin, noShowOutcome, ticketLabel,
} from '../../hub/domain/queue.ts';
import { DomainError } from '../../hub/domain/errors.ts';
import { localDay, localParts, startOfLocalDay } from '../../hub/domain/time.ts';

describe("the queue's rules", () => {
  test('ticket labels pad to three digits and grow past 999', () => {
    assert.equal(ticketLabel('A', 1), 'A001');
    assert.equal(ticketLabel('B', 42), 'B042');
    assert.equal(ticketLabel('C', 999), 'C999');
    assert.equal(ticketLabel('C', 1000), 'C1000');
  });

  test('call order: priority first, then longest waiting, then issue order', () => {
    const w = [
      { id: 1, priority: false, queuedAt: 100 },
      { id: 2, priority: false, queuedAt: 90 }, // transferred in earlier
      { id: 3, priority: true, queuedAt: 300 },
      { id: 4, priority: true, queuedAt: 200 },
      { id: 5, priority: false, queuedAt: 90 },
    ];
    assert.equal(chooseNext(w)!.id, 4);
    assert.equal(chooseNext(w.filter((v) => !v.priority))!.id, 2);
    assert.equal(chooseNext([]), null);
    // The whole order, called one by one: the last non-priority arrival is called last.
    const order: number[] = [];
    for (let rest = [...w, { id: 6, priority: false, queuedAt: 400 }], next = chooseNext(rest); next; rest = rest.filter((v) => v !== next), next = chooseNext(rest)) order.push(next.id);
    assert.deepEqual(order, [4, 3, 2, 5, 1, 6]);
  });

  test('estimated wait = ahead × average service ÷ open windows, rounded up to minutes', () => {
    assert.equal(estimateWaitMin(0, 300_000, 2), 0);
    assert.equal(estimateWaitMin(6, 300_000, 2), 15);
    assert.equal(estimateWaitMin(1, 300_000, 3), 2);
    assert.equal(estimateWaitMin(4, 300_000, 0), 20, 'no open window counts as one');
    assert.equal(averageServiceMs([], 300_000), 300_000);
    assert.equal(averageServiceMs([60_000, 180_000], 300_000), 120_000);
    assert.equal(averageServiceMs([0, -5, 120_000], 300_000), 120_000);
  });

  test('no-show requeues up to the limit, recall stops at its limit', () => {
    assert.equal(noShowOutcome(0, 1), 'requeue');
    assert.equal(noShowOutcome(1, 1), 'drop');
    assert.equal(noShowOutcome(0, 0), 'drop');
    assertCanRecall(2, 3);
    assert.throws(() => assertCanRecall(3, 3), (e: unknown) => e instanceof DomainError && e.code === 'RECALL_LIMIT');
  });

  test('Cairo days and midnights, including summer time', () => {
    // Winter (UTC+2): the day turns at 22:00 UTC.
    assert.equal(localDay(Date.parse('2026-11-29T21:59:59Z')), '2026-11-29');
    assert.equal(localDay(Date.parse('2026-11-29T22:00:00Z')), '2026-11-30');
    assert.equal(startOfLocalDay('2026-11-30'), Date.parse('2026-11-29T22:00:00Z'));
    // Summer (UTC+3 since 2023): 21:00 UTC.
    assert.equal(localDay(Date.parse('2026-07-01T20:59:59Z')), '2026-07-01');
    assert.equal(localDay(Date.parse('2026-07-01T21:00:00Z')), '2026-07-02');
    assert.equal(startOfLocalDay('2026-07-02'), Date.parse('2026-07-01T21:00:00Z'));
    // The day is remembered per zone by the minute (issue 16): every call still gets its own
    // instant's day, whatever was asked before, in this zone or another.
    const asked: [string, string, string][] = [
      ['2026-11-29T21:59:00.000Z', 'Africa/Cairo', '2026-11-29'], ['2026-11-29T21:59:59.999Z', 'Africa/Cairo', '2026-11-29'],
      ['2026-11-29T21:59:30.000Z', 'UTC', '2026-11-29'], ['2026-11-29T22:00:00.000Z', 'Africa/Cairo', '2026-11-30'],
      ['2026-11-29T21:59:59.999Z', 'Africa/Cairo', '2026-11-29'], ['2026-11-29T22:00:00.001Z', 'Asia/Kolkata', '2026-11-30'],
      ['2026-11-29T22:00:00.000Z', 'UTC', '2026-11-29'], ['2026-11-29T22:00:59.999Z', 'Africa/Cairo', '2026-11-30'],
    ];
    for (const [at, zone, day] of asked) assert.equal(localDay(Date.parse(at), zone), day, `${at} in ${zone}`);
    const p = localParts(Date.parse('2026-11-27T08:30:00Z'));
    assert.deepEqual(p, { year: 2026, month: 11, day: 27, hour: 10, minute: 30, weekday: 5 }); // a Friday
  });
});
