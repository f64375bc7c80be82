// Files built by hand at two centers for the governorate's report tests (issue 13 item 4):
// tests/integration/governorate-reports.test.ts (real NATS cluster) and
// tests/browser/governorate-reports.test.ts (the page). Dates are Cairo wall-clock hours.
import type { Db } from '../../hub/db/connection.ts';
import { startOfLocalDay } from '../../hub/domain/time.ts';

const H = 3_600_000;
/** A wall-clock hour of a Cairo day. */
export const at = (day: string, hour: number): number => startOfLocalDay(day) + hour * H;
export const NOW = at('2026-11-29', 10);
/** Files built by hand on a center's first two departments (the demo catalog: the same codes at both centers). */
export function files(db: Db, list: { inq: string; dept: 0 | 1; status: string; due: string | null; steps: [string, number][] }[]): void {
  db.prepare('DELETE FROM holidays').run();
  const depts = db.prepare('SELECT id FROM departments ORDER BY id LIMIT 2').pluck().all() as number[];
  const svc = (dept: number) => db.prepare('SELECT id FROM services WHERE department_id = ? ORDER BY id LIMIT 1').pluck().get(dept) as number;
  let citizen = db.prepare("SELECT id FROM citizens WHERE national_id = '29001011234567'").pluck().get() as number | undefined;
  citizen ??= Number(db.prepare(
    `INSERT INTO citizens (national_id, name, birth_date, governorate_code, gender, created_at, updated_at)
     VALUES ('29001011234567', 'مواطن تجريبي', '1990-01-01', '01', 'male', 0, 0)`).run().lastInsertRowid);
  const file = db.prepare(
    `INSERT INTO files (inquiry, service_id, department_id, citizen_id, status, due_day, registered_at, registered_by, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'test', ?)`);
  const event = db.prepare("INSERT INTO file_events (file_id, at, actor, actor_role, action, from_status, to_status) VALUES (?, ?, 'test', 'manager', 'x', ?, ?)");
  for (const f of list) {
    const dept = depts[f.dept];
    const id = Number(file.run(f.inq, svc(dept), dept, citizen, f.status, f.due, f.steps[0][1], f.steps.at(-1)![1]).lastInsertRowid);
    let from: string | null = null;
    for (const [to, when] of f.steps) {
      event.run(id, when, from, to);
      from = to;
    }
  }
}

export const DOKKI = [
  // Decided 2 Nov in time (due 4 Nov), delivered 5 Nov.
  { inq: 'D1', dept: 0 as const, status: 'delivered', due: '2026-11-04', steps: [['registered', at('2026-10-01', 9)], ['technical_review', at('2026-10-01', 10)], ['approved', at('2026-10-04', 9)], ['with_department', at('2026-10-05', 9)], ['decided', at('2026-11-02', 9)], ['ready', at('2026-11-03', 9)], ['delivered', at('2026-11-05', 9)]] as [string, number][] },
  // At the department since 20 Oct, due 19 Nov: overdue (10 days late on 29 Nov).
  { inq: 'D2', dept: 0 as const, status: 'with_department', due: '2026-11-19', steps: [['registered', at('2026-10-18', 9)], ['technical_review', at('2026-10-18', 11)], ['with_department', at('2026-10-20', 9)]] as [string, number][] },
  // Decided 24 Nov, late (due 22 Nov).
  { inq: 'D3', dept: 1 as const, status: 'decided', due: '2026-11-22', steps: [['registered', at('2026-11-06', 9)], ['technical_review', at('2026-11-06', 10)], ['with_department', at('2026-11-08', 9)], ['decided', at('2026-11-24', 9)]] as [string, number][] },
];
export const HARAM = [
  // Decided 10 Nov in time.
  { inq: 'H1', dept: 0 as const, status: 'decided', due: '2026-11-20', steps: [['registered', at('2026-11-01', 9)], ['with_department', at('2026-11-02', 9)], ['decided', at('2026-11-10', 12)]] as [string, number][] },
  // At the department, due 25 Nov: 4 days late.
  { inq: 'H2', dept: 1 as const, status: 'with_department', due: '2026-11-25', steps: [['registered', at('2026-11-20', 9)], ['technical_review', at('2026-11-20', 12)], ['with_department', at('2026-11-21', 9)]] as [string, number][] },
];

