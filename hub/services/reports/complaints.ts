// Complaints (issue 6): those registered in the period by department and by channel,
// answered and answered in time (before the end of the due day), the median days to an
// answer; and, whatever the period, what is open and overdue now.
import type { Db } from '../../db/connection.ts';
import { addDays, daysLate } from '../../domain/deadlines.ts';
import { days, Samples, share } from '../../domain/stats.ts';
import { startOfLocalDay } from '../../domain/time.ts';
import { inScope, periodBounds, rate, type Period, type Scope } from './period.ts';

export type ComplaintDeptRow = {
  departmentId: number; department: string; registered: number; answered: number; answeredInTime: number;
  answeredInTimeRate: number | null; medianAnswerDays: number | null; open: number; overdue: number;
};
export type ComplaintsReport = {
  period: Period;
  totals: Omit<ComplaintDeptRow, 'departmentId' | 'department'>;
  departments: ComplaintDeptRow[];
  /** By how the complaint came in (the schema has no category; the channel is the one there is). */
  channels: { category: string; registered: number; answered: number; answeredInTime: number }[];
  overdue: { inquiryNumber: string; departmentId: number; department: string; status: string; dueDay: string; daysLate: number }[];
};

/** Complaints registered in the period by department and channel; open and overdue now. */
export function complaintsReport(db: Db, p: Period, scope: Scope, now: number, tz: string): ComplaintsReport {
  const [start, end] = periodBounds(p, tz);
  const s = inScope(scope, 'c');
  const rows = db.prepare(
    `SELECT c.department_id AS dept, c.channel, c.due_day AS dueDay, c.registered_at AS registeredAt,
            (SELECT min(e.at) FROM complaint_events e WHERE e.complaint_id = c.id AND e.to_status = 'answered') AS answeredAt
     FROM complaints c WHERE c.registered_at >= ? AND c.registered_at < ?${s.sql}`,
  ).all(start, end, ...s.args) as { dept: number; channel: string; dueDay: string; registeredAt: number; answeredAt: number | null }[];
  const openRows = db.prepare(
    `SELECT c.inquiry, c.department_id AS dept, c.status, c.due_day AS dueDay FROM complaints c
     WHERE c.status IN ('registered', 'with_department')${s.sql} ORDER BY c.due_day, c.id`,
  ).all(...s.args) as { inquiry: string; dept: number; status: string; dueDay: string }[];
  const names = new Map((db.prepare('SELECT id, name_ar FROM departments').all() as { id: number; name_ar: string }[]).map((d) => [d.id, d.name_ar]));
  type Acc = { registered: number; answered: number; inTime: number; days: Samples; open: number; overdue: number };
  const acc = (): Acc => ({ registered: 0, answered: 0, inTime: 0, days: new Samples(), open: 0, overdue: 0 });
  const total = acc();
  const byDept = new Map<number, Acc>();
  const byChannel = new Map<string, { registered: number; answered: number; answeredInTime: number }>();
  const dueEnd = new Map<string, number>();
  const endOfDue = (d: string) => {
    let e = dueEnd.get(d);
    if (e === undefined) dueEnd.set(d, (e = startOfLocalDay(addDays(d, 1), tz)));
    return e;
  };
  for (const r of rows) {
    const a = byDept.get(r.dept) ?? acc();
    byDept.set(r.dept, a);
    const ch = byChannel.get(r.channel) ?? { registered: 0, answered: 0, answeredInTime: 0 };
    byChannel.set(r.channel, ch);
    for (const x of [a, total]) x.registered++;
    ch.registered++;
    if (r.answeredAt !== null) {
      const inTime = r.answeredAt < endOfDue(r.dueDay);
      for (const x of [a, total]) {
        x.answered++;
        if (inTime) x.inTime++;
        x.days.push(r.answeredAt - r.registeredAt);
      }
      ch.answered++;
      if (inTime) ch.answeredInTime++;
    }
  }
  const overdue: ComplaintsReport['overdue'] = [];
  for (const r of openRows) {
    const a = byDept.get(r.dept) ?? acc();
    byDept.set(r.dept, a);
    const late = daysLate(r.dueDay, now, tz);
    for (const x of [a, total]) {
      x.open++;
      if (late > 0) x.overdue++;
    }
    if (late > 0) overdue.push({ inquiryNumber: r.inquiry, departmentId: r.dept, department: names.get(r.dept) ?? String(r.dept), status: r.status, dueDay: r.dueDay, daysLate: late });
  }
  overdue.sort((x, y) => y.daysLate - x.daysLate);
  const view = (a: Acc) => ({
    registered: a.registered, answered: a.answered, answeredInTime: a.inTime, answeredInTimeRate: rate(share(a.inTime, a.answered)),
    medianAnswerDays: days(a.days.summary().median), open: a.open, overdue: a.overdue,
  });
  return {
    period: p,
    totals: view(total),
    departments: [...byDept.entries()].sort(([x], [y]) => x - y).map(([id, a]) => ({ departmentId: id, department: names.get(id) ?? String(id), ...view(a) })),
    channels: [...byChannel.entries()].map(([category, c]) => ({ category, ...c })),
    overdue: overdue.slice(0, 500),
  };
}
