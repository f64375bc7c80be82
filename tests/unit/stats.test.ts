import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { percentileOfHistogram, percentileSorted, share, summarize, summarizeHistogram, Samples, topBy, minutes } from '../../hub/domain/stats.ts';
import { isOpenAt, nextWeeklyRun, parseHm } from '../../hub/domain/schedule.ts';
import { localParts } from '../../hub/domain/time.ts';
import { alertsCalledFor } from '../../hub/services/alerts.ts';

describe('statistics, opening hours and alert rules', () => {
  test('percentiles interpolate between ranks like a spreadsheet PERCENTILE.INC', () => {
    // 1..10: rank for p90 = 0.9 × 9 = 8.1 → 9 + 0.1 × (10 − 9) = 9.1; median = (5 + 6) / 2.
    const xs = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    assert.equal(percentileSorted(xs, 50), 5.5);
    assert.ok(Math.abs(percentileSorted(xs, 90)! - 9.1) < 1e-9);
    assert.equal(percentileSorted(xs, 0), 1);
    assert.equal(percentileSorted(xs, 100), 10);
    assert.equal(percentileSorted([], 50), null);
    assert.equal(percentileSorted([7], 90), 7);
    assert.throws(() => percentileSorted(xs, 101), RangeError);
  });

  test('summarize sorts a copy and gives median, p90, mean and max', () => {
    const xs = [30, 10, 20, 40];
    const s = summarize(xs);
    assert.deepEqual(xs, [30, 10, 20, 40], 'input untouched');
    assert.equal(s.n, 4);
    assert.equal(s.median, 25); // (20 + 30) / 2
    assert.ok(Math.abs(s.p90! - 37) < 1e-9); // rank 2.7 → 30 + 0.7 × 10
    assert.equal(s.mean, 25);
    assert.equal(s.max, 40);
    assert.deepEqual(summarize([]), { n: 0, median: null, p90: null, mean: null, max: null });
  });

  test('Samples grows past its first buffer and summarizes the same as an array', () => {
    const s = new Samples();
    const xs: number[] = [];
    for (let i = 0; i < 1000; i++) {
      const v = (i * 7919) % 1013;
      s.push(v);
      xs.push(v);
    }
    assert.deepEqual(s.summary(), summarize(xs));
    assert.equal(share(1, 4), 0.25);
    assert.equal(share(0, 0), null);
    assert.equal(minutes(90_000), 1.5);
    assert.deepEqual(topBy([[9, 5], [10, 7], [8, 7]], 2), [[8, 7], [10, 7]]);
  });

  test('opening hours follow Cairo time, the working week and holidays', () => {
    const hours = { days: [0, 1, 2, 3, 4], openMin: parseHm('08:00')!, closeMin: parseHm('15:00')! };
    // Sunday 2026-11-29 09:30 Cairo (UTC+2 in winter) = 07:30Z.
    const sundayMorning = Date.parse('2026-11-29T07:30:00Z');
    assert.equal(localParts(sundayMorning).hour, 9);
    assert.equal(isOpenAt(sundayMorning, hours, 'Africa/Cairo'), true);
    assert.equal(isOpenAt(Date.parse('2026-11-29T05:59:00Z'), hours, 'Africa/Cairo'), false, '07:59 Cairo');
    assert.equal(isOpenAt(Date.parse('2026-11-29T13:00:00Z'), hours, 'Africa/Cairo'), false, '15:00 Cairo is closing time');
    assert.equal(isOpenAt(Date.parse('2026-11-27T07:30:00Z'), hours, 'Africa/Cairo'), false, 'Friday');
    assert.equal(isOpenAt(sundayMorning, hours, 'Africa/Cairo', new Set(['2026-11-29'])), false, 'holiday');
    assert.equal(parseHm('24:00'), null);
  });

  test('the weekly backup runs next on the configured weekday and Cairo time', () => {
    const slot = { weekday: 4, minute: parseHm('15:30')! }; // Thursday 15:30
    const sunday = Date.parse('2026-11-29T07:30:00Z');
    const next = nextWeeklyRun(sunday, slot, 'Africa/Cairo');
    assert.equal(new Date(next).toISOString(), '2026-12-03T13:30:00.000Z'); // Thursday 15:30 at UTC+2
    // Exactly at the slot: the next one is a week later.
    assert.equal(nextWeeklyRun(next, slot, 'Africa/Cairo'), next + 7 * 86_400_000);
    // Summer time (UTC+3): Thursday 2026-07-02 15:30 Cairo = 12:30Z.
    assert.equal(new Date(nextWeeklyRun(Date.parse('2026-06-28T00:00:00Z'), slot, 'Africa/Cairo')).toISOString(), '2026-07-02T12:30:00.000Z');
  });

  test('alerts: offline only while open; printer states only while online', () => {
    assert.deepEqual([...alertsCalledFor({ online: false, printer: 'paper-out' }, true)], ['offline']);
    assert.deepEqual([...alertsCalledFor({ online: false, printer: null }, false)], []);
    assert.deepEqual([...alertsCalledFor({ online: true, printer: 'paper-out' }, false)], ['paper_out']);
    assert.deepEqual([...alertsCalledFor({ online: true, printer: 'paper-low' }, true)], ['paper_low']);
    assert.deepEqual([...alertsCalledFor({ online: true, printer: 'ok' }, true)], []);
  });

  test('percentiles of a histogram equal those of the values spelled out', () => {
    const values = [4, 5, 15, 5, 5, 9, 4, 30, 12, 12];
    const hist = new Map<number, number>();
    for (const v of values) hist.set(v, (hist.get(v) ?? 0) + 1);
    const buckets = [...hist.entries()];
    const sorted = [...values].sort((a, b) => a - b);
    for (const p of [0, 10, 25, 50, 75, 90, 99, 100]) assert.equal(percentileOfHistogram(buckets, p), percentileSorted(sorted, p), `p${p}`);
    assert.deepEqual(summarizeHistogram(buckets), summarize(values));
    assert.equal(percentileOfHistogram([], 50), null);
    assert.equal(percentileOfHistogram([[3, 0]], 50), null);
  });
});
