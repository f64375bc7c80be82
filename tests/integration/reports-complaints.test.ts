// Complaints report over hand-built rows: deadlines in working days (Friday and Saturday
// off), answered in time or late, open and overdue now (service level: no broker or HTTP),
// and over HTTP the supervisor's scope, the refusal and the CSV.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { HubContext } from '../../hub/context.ts';
import { startTestHub } from '../helpers/hub.ts';
import { serviceContext } from '../helpers/services.ts';
import { FakeClock } from '../helpers/clock.ts';
import { get, signIn } from './reports-support.ts';
import { dueDate } from '../../hub/domain/deadlines.ts';

const cairo = (s: string) => Date.parse(`${s}+02:00`);
const NOW = cairo('2026-11-29T10:00:00');

/** Five complaints over two departments; gives the two department ids. */
function handBuiltComplaints(ctx: HubContext): [number, number] {
  const db = ctx.db;
  const [d1, d2] = db.prepare('SELECT id FROM departments ORDER BY id LIMIT 2').pluck().all() as number[];
  db.prepare('DELETE FROM holidays').run(); // the figures below count November 2026 with no official holiday
  const add = db.prepare(
    `INSERT INTO complaints (inquiry, contact_name, department_id, channel, subject, body, status, due_day, registered_at, registered_by, updated_at)
     VALUES (?, 'مواطن', ?, ?, 'شكوى', 'نص', ?, ?, ?, 'test', ?)`);
  const ev = db.prepare("INSERT INTO complaint_events (complaint_id, at, actor, event, from_status, to_status) VALUES (?, ?, 'test', ?, ?, ?)");
  const complaint = (inq: string, dept: number, channel: string, status: string, due: string, registered: string, answered?: string) => {
    const at = cairo(registered);
    const id = Number(add.run(inq, dept, channel, status, due, at, at).lastInsertRowid);
    ev.run(id, at, 'registered', null, 'registered');
    if (answered) ev.run(id, cairo(answered), 'answered', 'with_department', 'answered');
  };
  complaint('T1', d1, 'window', 'with_department', '2026-11-22', '2026-11-01T09:00:00'); // overdue since 23 Nov: 7 days late on the 29th
  complaint('T2', d1, 'open311', 'answered', '2026-11-30', '2026-11-10T09:00:00', '2026-11-20T09:00:00'); // in time, 10 days
  complaint('T3', d2, 'window', 'answered', '2026-11-23', '2026-11-02T09:00:00', '2026-11-24T09:00:00'); // a day after its due day: late, 22 days
  complaint('T4', d2, 'window', 'registered', '2026-12-17', '2026-11-26T09:00:00'); // open, not yet due
  complaint('T5', d2, 'window', 'answered', '2026-11-23', '2026-11-02T09:00:00', '2026-11-23T23:59:00'); // the last minute of the due day: in time
  return [d1, d2];
}

describe('the complaints report', () => {
  test('complaints: answered within the working-day deadline, open and overdue (service level)', async (t) => {
    const ctx = await serviceContext(t, { clock: new FakeClock(NOW).now });
    const [d1, d2] = handBuiltComplaints(ctx);

    // 15 working days from Sunday 1 Nov: Mon 2–Thu 5 (4), Sun 8–Thu 12 (9), Sun 15–Thu 19 (14), Sun 22 (15).
    assert.equal(dueDate({ start: cairo('2026-11-01T09:00:00'), days: 15, kind: 'working' }).day, '2026-11-22');

    const r = ctx.reports.complaints({ from: '2026-11-01', to: '2026-11-30' }, null);
    const row1 = r.departments.find((d) => d.departmentId === d1)!;
    const row2 = r.departments.find((d) => d.departmentId === d2)!;
    assert.deepEqual(
      [row1.registered, row1.answered, row1.answeredInTime, row1.answeredInTimeRate, row1.medianAnswerDays, row1.open, row1.overdue],
      [2, 1, 1, 100, 10, 1, 1]);
    // T3 took 22 days, T5 21 days 14 h 59 min (21.6): median 21.8.
    assert.deepEqual(
      [row2.registered, row2.answered, row2.answeredInTime, row2.answeredInTimeRate, row2.medianAnswerDays, row2.open, row2.overdue],
      [3, 2, 1, 50, 21.8, 1, 0]);
    assert.deepEqual(r.overdue.map((o) => [o.inquiryNumber, o.dueDay, o.daysLate]), [['T1', '2026-11-22', 7]]);
    assert.deepEqual(r.totals.overdue, 1);
    assert.deepEqual(r.channels.find((c) => c.category === 'open311'), { category: 'open311', registered: 1, answered: 1, answeredInTime: 1 });
  });

  test('complaints over HTTP: a supervisor sees their departments only, is refused the others; the CSV of overdue', async (t) => {
    const hub = await startTestHub(t, { clock: new FakeClock(NOW).now, config: { passwordCost: 10 } });
    const [d1, d2] = handBuiltComplaints(hub.ctx);

    // A supervisor of department 2 sees department 2 only, and is refused department 1.
    const sup = await signIn(hub, 'super2', 'supervisor', [d2]);
    const scoped = (await get(hub, sup, '/api/reports/complaints?from=2026-11-01&to=2026-11-30')).json();
    assert.deepEqual(scoped.departments.map((d: { departmentId: number }) => d.departmentId), [d2]);
    assert.equal(scoped.overdue.length, 0);
    const refused = await get(hub, sup, `/api/reports/complaints?department=${d1}`);
    assert.equal(refused.statusCode, 403);
    assert.match(refused.json().error.message, /نطاق/);
    const info = await signIn(hub, 'info2', 'information');
    assert.equal((await get(hub, info, '/api/reports/complaints?from=2026-11-01&to=2026-11-30')).json().departments.length, 2);
    const csv = await get(hub, info, '/api/reports/complaints?from=2026-11-01&to=2026-11-30&format=csv&table=overdue');
    assert.match(csv.body, /رقم الاستعلام,.*أيام التأخير/);
    assert.match(csv.body, /T1,.*,2026-11-22,7\r\n/);
  });
});
