// Queue statistics over a hand-built morning: the tickets are issued and served through
// the real queue service on a fake clock, and every expected figure is worked out here
// from the times the test chose.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestHub } from '../helpers/hub.ts';
import { serviceContext } from '../helpers/services.ts';
import { FakeClock } from '../helpers/clock.ts';
import { get, signIn } from './reports-support.ts';
import type { QueueStats } from '../../hub/services/reports/index.ts';
import { deviceActor, staffActor } from '../../hub/domain/actor.ts';

const DAY = '2026-11-29'; // a Sunday; Cairo is UTC+2 in November
const at = (hhmm: string) => Date.parse(`${DAY}T${hhmm}:00+02:00`);

describe('the queue statistics report', () => {
  test('queue statistics: waits, service, walk, no-shows, hours, windows and clerks', async (t) => {
    const clock = new FakeClock(at('08:55'));
    const ctx = await serviceContext(t, { clock: clock.now }); // service level: no broker, no HTTP
    const q = ctx.queue;
    const step = (hhmm: string, fn: () => unknown) => {
      clock.set(at(hhmm));
      fn();
    };
    step('09:00', () => q.issue({ line: 'A', priority: false, by: deviceActor('kiosk-1') })); // A001
    step('09:01', () => q.issue({ line: 'A', priority: false, by: deviceActor('kiosk-1') })); // A002
    step('09:02', () => q.issue({ line: 'B', priority: false, by: deviceActor('kiosk-1') })); // B001
    step('09:05', () => q.next(1, staffActor({ id: 7 }))); // A001 called: waited 5
    step('09:06', () => q.start(1, staffActor({ id: 7 }))); // walked 1
    step('09:16', () => q.next(1, staffActor({ id: 7 }))); // A001 done: served 10; A002 called: waited 15
    step('09:18', () => q.start(1, staffActor({ id: 7 }))); // walked 2
    step('09:20', () => q.next(4, staffActor({ id: 8 }))); // B001 called
    step('09:21', () => q.noShow(4, staffActor({ id: 8 }))); // back in the queue from 09:21
    step('09:26', () => { q.finish(1, staffActor({ id: 7 })); q.pause(1, staffActor({ id: 7 })); }); // A002 done: served 8; window 1 paused
    step('09:30', () => q.next(4, staffActor({ id: 8 }))); // B001 called again: waited 9 since the requeue
    step('09:31', () => q.noShow(4, staffActor({ id: 8 }))); // dropped
    step('09:36', () => q.resume(1, staffActor({ id: 7 }))); // paused 10 minutes
    step('10:00', () => q.issue({ line: 'A', priority: false, by: deviceActor('kiosk-1') })); // A003
    step('10:04', () => q.next(2, staffActor({ id: 9 }))); // A003 called: waited 4
    step('10:10', () => q.next(2, staffActor({ id: 9 }))); // A003 done without "start": served 6 from the call
    clock.set(at('10:30'));

    const r = ctx.reports.queueStats({ from: DAY, to: DAY });
    const A = r.lines.find((l) => l.line === 'A')!;
    const B = r.lines.find((l) => l.line === 'B')!;
    // Line A waits 5, 15, 4 → median 5; p90 at rank 0.9 × 2 = 1.8 → 5 + 0.8 × (15 − 5) = 13.
    assert.deepEqual(A.wait, { n: 3, medianMin: 5, p90Min: 13, meanMin: 8 });
    // Services 10, 8, 6 → median 8; p90 = 8 + 0.8 × 2 = 9.6.
    assert.deepEqual(A.service, { n: 3, medianMin: 8, p90Min: 9.6, meanMin: 8 });
    // Walks 1, 2 → median 1.5; p90 = 1 + 0.9 × 1 = 1.9.
    assert.deepEqual(A.walk, { n: 2, medianMin: 1.5, p90Min: 1.9, meanMin: 1.5 });
    assert.equal(A.tickets, 3);
    assert.equal(A.served, 3);
    assert.equal(A.noShowRate, 0);
    assert.equal(B.tickets, 1);
    assert.equal(B.served, 0);
    assert.equal(B.noShowRate, 100);
    assert.deepEqual(B.wait, { n: 1, medianMin: 9, p90Min: 9, meanMin: 9 });
    assert.equal(r.totals.tickets, 4);
    assert.equal(r.totals.noShowRate, 25); // 1 of 4 finished visits

    assert.deepEqual(r.hourly.map((h) => [h.line, h.hour, h.tickets]), [['A', 9, 2], ['A', 10, 1], ['B', 9, 1]]);
    assert.deepEqual(r.busiestHours.map((h) => [h.hour, h.tickets]), [[9, 3], [10, 1]]);

    const w1 = r.windows.find((w) => w.window === 1)!;
    // Serving 09:05–09:26, paused 09:26–09:36, idle 09:36–10:30 (now).
    assert.deepEqual(w1, { window: 1, served: 2, avgServiceMin: 9, servingMin: 21, idleMin: 54, pausedMin: 10 });
    const w2 = r.windows.find((w) => w.window === 2)!;
    assert.deepEqual([w2.served, w2.avgServiceMin, w2.servingMin, w2.idleMin], [1, 6, 6, 20]);
    const clerk7 = r.clerks.find((c) => c.clerk === 'user:7')!;
    assert.deepEqual([clerk7.served, clerk7.avgServiceMin, clerk7.pausedMin], [2, 9, 10]);
    assert.deepEqual(r.daily, [{ day: DAY, tickets: 4, served: 3, medianWaitMin: 7 }]); // waits 4, 5, 9, 15 → (5 + 9) / 2

    // A day with nothing in it reads as empty, not as zeros that look like figures.
    const empty = ctx.reports.queueStats({ from: '2026-11-28', to: '2026-11-28' });
    assert.equal(empty.totals.tickets, 0);
    assert.equal(empty.totals.wait.medianMin, null);
    assert.equal(empty.totals.noShowRate, null);
  });

  test('queue report over HTTP: roles, JSON, CSV for Excel, bad periods', async (t) => {
    const clock = new FakeClock(at('09:00'));
    const hub = await startTestHub(t, { clock: clock.now, config: { passwordCost: 10 } });
    hub.ctx.queue.issue({ line: 'A', priority: false, by: deviceActor('kiosk-1') });
    clock.set(at('09:04'));
    hub.ctx.queue.next(1, staffActor({ id: 1 }));
    const sup = await signIn(hub, 'super1', 'supervisor', []);
    const rep = await signIn(hub, 'rep1', 'representative', []);

    assert.equal((await get(hub, null, `/api/reports/queue?from=${DAY}&to=${DAY}`)).statusCode, 401);
    assert.equal((await get(hub, rep, `/api/reports/queue?from=${DAY}&to=${DAY}`)).statusCode, 403);

    const ok = await get(hub, sup, `/api/reports/queue?from=${DAY}&to=${DAY}`);
    assert.equal(ok.statusCode, 200);
    const body = ok.json() as QueueStats;
    assert.equal(body.lines.find((l) => l.line === 'A')!.wait.medianMin, 4);

    // Default period: the 30 days up to today.
    assert.deepEqual((await get(hub, sup, '/api/reports/queue')).json().period, { from: '2026-10-31', to: DAY });

    const csv = await get(hub, sup, `/api/reports/queue?from=${DAY}&to=${DAY}&format=csv&table=lines`);
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.headers['content-type']), /^text\/csv; charset=utf-8/);
    assert.match(String(csv.headers['content-disposition']), /shubbak-queue-lines-2026-11-29_2026-11-29\.csv/);
    assert.equal(csv.rawPayload.subarray(0, 3).toString('hex'), 'efbbbf', 'UTF-8 byte-order mark for Excel');
    const rows = csv.body.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    assert.match(rows[0], /^الخدمة,الاسم,Name,التذاكر/);
    assert.ok(rows.some((r) => r.startsWith('A,استلام الطلبات,')), rows.join('\n'));

    const unknownTable = await get(hub, sup, `/api/reports/queue?format=csv&table=nope`);
    assert.equal(unknownTable.statusCode, 400);
    for (const bad of ['from=2026-12-01&to=2026-11-01', 'from=2020-01-01&to=2026-11-29', 'from=2026-02-30&to=2026-03-01', 'from=yesterday']) {
      const res = await get(hub, sup, `/api/reports/queue?${bad}`);
      assert.equal(res.statusCode, 400, bad);
      const e = res.json().error;
      assert.ok(e.code === 'BAD_REQUEST' || e.code === 'VALIDATION', bad);
      assert.match(e.message, /[\u0600-\u06FF]/, 'Arabic message');
    }
  });
});
