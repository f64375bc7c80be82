// Execution and bottlenecks over hand-built files: legal periods in calendar days (a
// period ending on a Friday runs on to Sunday) and in working days, decided in time or
// late, overdue now with days late, and the time spent in each stage. Every expected
// figure is worked out by hand in the comments; the figures at the service level (no broker
// or HTTP), the supervisor's scope and the CSV over HTTP.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { HubContext } from '../../hub/context.ts';
import { startTestHub } from '../helpers/hub.ts';
import { serviceContext } from '../helpers/services.ts';
import { FakeClock } from '../helpers/clock.ts';
import { get, signIn } from './reports-support.ts';
import { dueDate } from '../../hub/domain/deadlines.ts';
import { startOfLocalDay } from '../../hub/domain/time.ts';
import type { ExecutionReport } from '../../hub/services/reports/index.ts';

const H = 3_600_000;
/** A wall-clock hour of a Cairo day (summer or winter time alike). */
const at = (day: string, hour: number) => startOfLocalDay(day) + hour * H;

/** Four files over two departments (legal periods set on one service of each); gives the department ids. */
function handBuiltFiles(ctx: HubContext): [number, number] {
  const db = ctx.db;
  db.prepare('DELETE FROM holidays').run(); // October–November 2026 counted without official holidays
  const [d1, d2] = db.prepare('SELECT id FROM departments ORDER BY id LIMIT 2').pluck().all() as number[];
  const svc = (dept: number) => db.prepare('SELECT id FROM services WHERE department_id = ? ORDER BY id LIMIT 1').pluck().get(dept) as number;
  const [s1, s2] = [svc(d1), svc(d2)];
  db.prepare("UPDATE services SET legal_period_days = 30, period_kind = 'calendar' WHERE id = ?").run(s1);
  db.prepare("UPDATE services SET legal_period_days = 10, period_kind = 'working' WHERE id = ?").run(s2);
  const citizen = Number(db.prepare(
    `INSERT INTO citizens (national_id, name, birth_date, governorate_code, gender, created_at, updated_at)
     VALUES ('29001011234567', 'مواطن تجريبي', '1990-01-01', '01', 'male', 0, 0)`).run().lastInsertRowid);

  const file = db.prepare(
    `INSERT INTO files (inquiry, service_id, department_id, citizen_id, status, due_day, registered_at, registered_by, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'test', ?)`);
  const event = db.prepare("INSERT INTO file_events (file_id, at, actor, actor_role, action, from_status, to_status) VALUES (?, ?, 'test', 'manager', 'x', NULL, ?)");
  const make = (inq: string, service: number, dept: number, status: string, due: string | null, steps: [string, number][]) => {
    const id = Number(file.run(inq, service, dept, citizen, status, due, steps[0][1], steps.at(-1)![1]).lastInsertRowid);
    for (const [to, when] of steps) event.run(id, when, to);
  };
  // F1: the whole journey; decided 2 Nov, due 4 Nov: in time. 28 days at the department
  // (5 Oct 09:00 → 2 Nov 09:00 wall clock; the clocks went back an hour on 30 Oct: 28 d 1 h).
  make('F1', s1, d1, 'delivered', '2026-11-04', [
    ['registered', at('2026-10-01', 9)], ['technical_review', at('2026-10-01', 10)], ['awaiting_payment', at('2026-10-03', 9)],
    ['paid', at('2026-10-03', 11)], ['approved', at('2026-10-04', 9)], ['with_department', at('2026-10-05', 9)],
    ['decided', at('2026-11-02', 9)], ['ready', at('2026-11-03', 9)], ['delivered', at('2026-11-05', 9)],
  ]);
  // F2: at the department since 20 Oct, due 19 Nov: on 29 Nov it is 10 days late.
  make('F2', s1, d1, 'with_department', '2026-11-19', [
    ['registered', at('2026-10-18', 9)], ['technical_review', at('2026-10-18', 11)], ['reviewed', at('2026-10-19', 9)],
    ['approved', at('2026-10-19', 12)], ['with_department', at('2026-10-20', 9)],
  ]);
  // F3: working-day period, due 22 Nov, decided 24 Nov: late. 16 days at the department.
  make('F3', s2, d2, 'decided', '2026-11-22', [
    ['registered', at('2026-11-06', 9)], ['technical_review', at('2026-11-06', 10)], ['reviewed', at('2026-11-07', 9)],
    ['approved', at('2026-11-07', 10)], ['with_department', at('2026-11-08', 9)], ['decided', at('2026-11-24', 9)],
  ]);
  // F4: due Fri 27 Nov run on to Sun 29 Nov: today is its last day, not late.
  make('F4', s1, d1, 'with_department', '2026-11-29', [
    ['registered', at('2026-10-26', 9)], ['technical_review', at('2026-10-26', 12)], ['reviewed', at('2026-10-27', 9)],
    ['approved', at('2026-10-27', 15)], ['with_department', at('2026-10-28', 9)],
  ]);
  return [d1, d2];
}

describe('the execution and bottleneck reports', () => {
  test('execution: decided within the legal period, overdue now, stage times (service level)', async (t) => {
    const ctx = await serviceContext(t, { clock: new FakeClock(at('2026-11-29', 10)).now });
    const [d1, d2] = handBuiltFiles(ctx);

    // The due days, by hand and by the rules.
    // 30 calendar days from Mon 5 Oct → Wed 4 Nov.
    assert.equal(dueDate({ start: at('2026-10-05', 9), days: 30, kind: 'calendar' }).day, '2026-11-04');
    // 30 calendar days from Tue 20 Oct → Thu 19 Nov.
    assert.equal(dueDate({ start: at('2026-10-20', 9), days: 30, kind: 'calendar' }).day, '2026-11-19');
    // 30 calendar days from Wed 28 Oct → Fri 27 Nov, a day off: runs on to Sun 29 Nov.
    assert.equal(dueDate({ start: at('2026-10-28', 9), days: 30, kind: 'calendar' }).day, '2026-11-29');
    // 10 working days from Sun 8 Nov: Mon 9–Thu 12 (4), Sun 15–Thu 19 (9), Sun 22 (10).
    assert.equal(dueDate({ start: at('2026-11-08', 9), days: 10, kind: 'working' }).day, '2026-11-22');

    const x = ctx.reports.execution({ from: '2026-10-01', to: '2026-11-30' }, null);
    assert.deepEqual(x.totals, { received: 4, decided: 2, delivered: 1, decidedInTime: 1, decidedInTimeRate: 50, overdueNow: 1 });
    const row = (id: number) => x.departments.find((d) => d.departmentId === id)!;
    assert.deepEqual([row(d1).received, row(d1).decided, row(d1).decidedInTime, row(d1).delivered, row(d1).overdueNow], [3, 1, 1, 1, 1]);
    assert.deepEqual([row(d2).received, row(d2).decided, row(d2).decidedInTime, row(d2).decidedInTimeRate, row(d2).overdueNow], [1, 1, 0, 0, 0]);
    assert.deepEqual(x.overdue.map((o) => [o.inquiryNumber, o.dueDay, o.daysLate, o.heldSinceDay]), [['F2', '2026-11-19', 10, '2026-10-20']]);

    const stage = (s: string) => x.stages.find((st) => st.stage === s)!;
    // Finished stays at the department: F1 28.04 d, F3 16 d (F2 and F4 are still there).
    // Median (16 + 28.04) / 2 = 22.02 → 22; p90 at rank 0.9 → 16 + 0.9 × 12.04 = 26.84 → 26.8.
    assert.deepEqual([stage('with_department').n, stage('with_department').medianDays, stage('with_department').p90Days], [2, 22, 26.8]);
    // Technical review: F1 47 h, F2 22 h, F3 23 h, F4 21 h → sorted 21, 22, 23, 47: median 22.5 h = 0.9375 d → 0.9.
    assert.deepEqual([stage('technical_review').n, stage('technical_review').medianDays], [4, 0.9]);
    // The stage where files wait stands out: the department's, by far.
    assert.equal([...x.stages].sort((a, b) => b.medianDays! - a.medianDays!)[0].stage, 'with_department');
    // Weeks start on Sunday: F1 was received in the week of Sun 27 Sep.
    assert.equal(x.trend[0].week, '2026-09-27');
    assert.equal(x.trend.reduce((a, w) => a + w.received, 0), 4);
  });

  test('execution over HTTP: a supervisor sees their departments only, is refused the others; the CSV of stages', async (t) => {
    const hub = await startTestHub(t, { clock: new FakeClock(at('2026-11-29', 10)).now, config: { passwordCost: 10 } });
    const [d1, d2] = handBuiltFiles(hub.ctx);

    // A supervisor of department 2 sees F3 only.
    const sup = await signIn(hub, 'super3', 'supervisor', [d2]);
    const scoped = (await get(hub, sup, '/api/reports/execution?from=2026-10-01&to=2026-11-30')).json() as ExecutionReport;
    assert.deepEqual(scoped.totals, { received: 1, decided: 1, delivered: 0, decidedInTime: 0, decidedInTimeRate: 0, overdueNow: 0 });
    assert.equal((await get(hub, sup, `/api/reports/execution?department=${d1}`)).statusCode, 403);
    const csv = await get(hub, sup, '/api/reports/execution?from=2026-10-01&to=2026-11-30&format=csv&table=stages');
    assert.equal(csv.statusCode, 200);
    assert.match(csv.body, /^\uFEFFالمرحلة,/);
  });
});
