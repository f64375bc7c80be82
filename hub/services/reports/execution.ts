// Execution and bottlenecks (issue 6, over the back office's files): received, decided
// (in time or late), delivered, per department, service and week; time spent in each
// stage; and what is overdue now. As for the queue (queue-stats.ts), `executionFacts`
// reads the counts and histograms of a span of time — additive across adjacent spans, so
// a closed day's are kept (rollups.ts) — and `ExecutionTally` adds spans into the report.
// The department scope is applied when reading out, so one day's facts serve every caller.
import type { Db } from '../../db/connection.ts';
import { addDays, daysLate } from '../../domain/deadlines.ts';
import { STATUS_WORDS, type FileStatus } from '../../domain/file-workflow.ts';
import { days, share, summarizeHistogram } from '../../domain/stats.ts';
import { localDay, startOfLocalDay } from '../../domain/time.ts';
import { DayOf, inScope, rate, scopeHas, weekOf, type Period, type Scope } from './period.ts';

export type ExecutionRow = {
  received: number; decided: number; delivered: number; decidedInTime: number; decidedInTimeRate: number | null; overdueNow: number;
};
export type ExecutionReport = {
  period: Period;
  totals: ExecutionRow;
  departments: (ExecutionRow & { departmentId: number; department: string })[];
  services: (ExecutionRow & { serviceId: number; service: string; department: string })[];
  /** Time spent in each stage: the stays that ended in the period. */
  stages: { stage: FileStatus; stageAr: string; stageEn: string; n: number; medianDays: number | null; p90Days: number | null; meanDays: number | null }[];
  overdue: { inquiryNumber: string; service: string; department: string; holder: string; dueDay: string; daysLate: number; heldSinceDay: string }[];
  /** Weeks start on Sunday (the first working day). */
  trend: { week: string; received: number; decided: number; delivered: number; decidedInTimeRate: number | null }[];
};

/** The stages a file waits in, in journey order (final ones are not waits). */
const STAGES: FileStatus[] = ['registered', 'technical_review', 'returned', 'awaiting_payment', 'paid', 'reviewed', 'approved', 'with_department', 'decided', 'ready'];

/** Stage stays are bucketed to a tenth of a day (the reports show days to one decimal). */
const DAY_BUCKET_MS = 8_640_000;

/** The counts of a span of time, as plain JSON (kept per closed day); each adds up across spans. */
export type ExecutionFacts = {
  /** Files received: [local day, department, service, count]. */
  r: [string, number, number, number][];
  /** Files decided (by their stage change into 'decided'): [day, department, service, in time 0/1, count]. */
  dc: [string, number, number, number, number][];
  /** Files delivered: [day, department, service, count]. */
  dl: [string, number, number, number][];
  /** Stays ended in the span per 'status|stay department': flat [bucket, count, …], and the exact sums. */
  s: Record<string, number[]>;
  ss: Record<string, number>;
};

/** A file at its department past its due day (as of a moment): what 'overdue now' counts and lists. */
export type OverdueFile = { inquiry: string; department_id: number; service_id: number; due_day: string; since: number | null };

/**
 * The names a report shows: departments [id, name, code], services [id, name, department id,
 * code]. The codes (the catalog's, e.g. 'ENG') are how the governorate groups one department
 * across centers, whose ids are each center's own.
 */
export type ExecutionNames = { departments: [number, string, string][]; services: [number, string, number, string][] };

export class ExecutionQueries {
  readonly received;
  readonly stays;
  readonly changes;
  readonly services;
  readonly departments;

  constructor(private readonly db: Db) {
    this.received = db.prepare<[number, number], [number, number, number]>(
      'SELECT f.department_id, f.service_id, f.registered_at FROM files f WHERE f.registered_at >= ? AND f.registered_at < ?').raw();
    // Time in each stage: every stay that ended in the span (the file moved on), from the
    // event that began it to the one that ended it (file_stays, kept by a trigger), bucketed
    // to a tenth of a day in SQL. Stays still running are not counted: their length is not known yet.
    this.stays = db.prepare<[number, number], [FileStatus, number, number, number, number]>(
      `SELECT st.status, st.department_id, (st.to_at - st.from_at) / ${DAY_BUCKET_MS} AS b, count(*), sum(st.to_at - st.from_at)
       FROM file_stays st WHERE st.to_at >= ? AND st.to_at < ? GROUP BY st.status, st.department_id, b`).raw();
    // Files, not events (issue 11 item 1): one row per file that reached the status in the
    // span — by its first stage change into it — whatever notes came with it. The workflow
    // reaches 'decided' and 'delivered' once per file (file-workflow.ts: no way back), so the
    // files of a period are the sum of its days'.
    this.changes = db.prepare<[string, number, number], [number, number, number, number, string | null]>(
      `SELECT e.file_id, min(e.at), f.department_id, f.service_id, f.due_day FROM file_events e JOIN files f ON f.id = e.file_id
       WHERE e.to_status = ? AND e.at >= ? AND e.at < ? AND e.from_status IS NOT e.to_status GROUP BY e.file_id`).raw();
    this.services = db.prepare<[], { id: number; code: string; name_ar: string; department_id: number }>('SELECT id, code, name_ar, department_id FROM services');
    this.departments = db.prepare<[], { id: number; code: string; name_ar: string }>('SELECT id, code, name_ar FROM departments');
  }

  /** Overdue now (whatever the period): at the department past the due day. */
  overdueNow(today: string, scope: Scope): OverdueFile[] {
    const s = inScope(scope, 'f');
    return this.db.prepare(
      `SELECT f.inquiry, f.department_id, f.service_id, f.due_day,
              (SELECT max(e.at) FROM file_events e WHERE e.file_id = f.id AND e.to_status = 'with_department') AS since
       FROM files f WHERE f.status = 'with_department' AND f.due_day < ?${s.sql} ORDER BY f.due_day, f.id`,
    ).all(today, ...s.args) as OverdueFile[];
  }
}

/** The facts of [start, end): over one day what a closed day keeps; over a period, the direct computation. */
export function executionFacts(q: ExecutionQueries, tz: string, span: { start: number; end: number }): ExecutionFacts {
  const { start, end } = span;
  const dayOf = new DayOf(tz);
  const count = <K extends string>(m: Map<K, number>, k: K) => m.set(k, (m.get(k) ?? 0) + 1);

  const received = new Map<string, number>();
  for (const [dept, svc, at] of q.received.iterate(start, end)) count(received, `${dayOf.of(at)}|${dept}|${svc}`);

  const s: ExecutionFacts['s'] = {};
  const ss: ExecutionFacts['ss'] = {};
  for (const [status, dept, bucket, n, sum] of q.stays.iterate(start, end)) {
    const k = `${status}|${dept}`;
    (s[k] ??= []).push(bucket, n);
    ss[k] = (ss[k] ?? 0) + sum;
  }

  // Decided in the span: in time when decided before the end of the file's due day.
  const dueEnds = new Map<string, number>();
  const endOfDue = (d: string) => {
    let e = dueEnds.get(d);
    if (e === undefined) dueEnds.set(d, (e = startOfLocalDay(addDays(d, 1), tz)));
    return e;
  };
  const decided = new Map<string, number>();
  for (const [, at, dept, svc, due] of q.changes.iterate('decided', start, end)) {
    count(decided, `${dayOf.of(at)}|${dept}|${svc}|${due !== null && at < endOfDue(due) ? 1 : 0}`);
  }
  const delivered = new Map<string, number>();
  for (const [, at, dept, svc] of q.changes.iterate('delivered', start, end)) count(delivered, `${dayOf.of(at)}|${dept}|${svc}`);

  const split = (k: string) => k.split('|');
  return {
    r: [...received].map(([k, n]) => { const [d, dept, svc] = split(k); return [d, Number(dept), Number(svc), n]; }),
    dc: [...decided].map(([k, n]) => { const [d, dept, svc, inTime] = split(k); return [d, Number(dept), Number(svc), Number(inTime), n]; }),
    dl: [...delivered].map(([k, n]) => { const [d, dept, svc] = split(k); return [d, Number(dept), Number(svc), n]; }),
    s,
    ss,
  };
}

type Acc = { received: number; decided: number; delivered: number; inTime: number; overdue: number };
const acc = (): Acc => ({ received: 0, decided: 0, delivered: 0, inTime: 0, overdue: 0 });

/** Facts added up for one caller's scope, then read out as the report. */
export class ExecutionTally {
  private readonly total = acc();
  private readonly byDept = new Map<number, Acc>();
  private readonly bySvc = new Map<number, Acc>();
  private readonly byWeek = new Map<string, Acc>();
  private readonly stageHist = new Map<FileStatus, Map<number, number>>();
  private readonly stageSum = new Map<FileStatus, number>();
  private readonly seen: (dept: number) => boolean;

  constructor(scope: Scope) {
    this.seen = scopeHas(scope);
  }

  private bump(dept: number, svc: number, week: string | null, f: (a: Acc) => void): void {
    for (const [m, k] of [[this.byDept, dept], [this.bySvc, svc]] as const) {
      let a = m.get(k);
      if (!a) m.set(k, (a = acc()));
      f(a);
    }
    f(this.total);
    if (week) {
      let a = this.byWeek.get(week);
      if (!a) this.byWeek.set(week, (a = acc()));
      f(a);
    }
  }

  add(f: ExecutionFacts): void {
    for (const [day, dept, svc, n] of f.r) if (this.seen(dept)) this.bump(dept, svc, weekOf(day), (a) => { a.received += n; });
    for (const [day, dept, svc, inTime, n] of f.dc) {
      if (this.seen(dept)) this.bump(dept, svc, weekOf(day), (a) => { a.decided += n; if (inTime) a.inTime += n; });
    }
    for (const [day, dept, svc, n] of f.dl) if (this.seen(dept)) this.bump(dept, svc, weekOf(day), (a) => { a.delivered += n; });
    for (const key in f.s) {
      const bar = key.lastIndexOf('|');
      if (!this.seen(Number(key.slice(bar + 1)))) continue;
      const status = key.slice(0, bar) as FileStatus;
      let h = this.stageHist.get(status);
      if (!h) this.stageHist.set(status, (h = new Map()));
      const flat = f.s[key];
      for (let i = 0; i < flat.length; i += 2) h.set(flat[i], (h.get(flat[i]) ?? 0) + flat[i + 1]);
      this.stageSum.set(status, (this.stageSum.get(status) ?? 0) + f.ss[key]);
    }
  }

  report(q: ExecutionQueries, p: Period, scope: Scope, now: number, tz: string): ExecutionReport {
    const names: ExecutionNames = {
      departments: q.departments.all().map((d) => [d.id, d.name_ar, d.code]),
      services: q.services.all().map((x) => [x.id, x.name_ar, x.department_id, x.code]),
    };
    return this.readOut(p, names, q.overdueNow(localDay(now, tz), scope), now, tz);
  }

  /**
   * The report from the facts added, the names and the files at a department past their due
   * day — read from the center's own tables (report()), or carried to the governorate's
   * central tier with the closed days (hub/central/reports.ts): one definition for both.
   */
  readOut(p: Period, names: ExecutionNames, overdueFiles: readonly OverdueFile[], now: number, tz: string): ExecutionReport {
    const deptNames = new Map(names.departments.map(([id, name]) => [id, name]));
    const services = new Map(names.services.map(([id, name_ar, department_id]) => [id, { name_ar, department_id }]));
    const overdue: ExecutionReport['overdue'] = [];
    for (const f of overdueFiles) {
      const late = daysLate(f.due_day, now, tz);
      if (late <= 0) continue;
      this.bump(f.department_id, f.service_id, null, (a) => a.overdue++);
      const dept = deptNames.get(f.department_id) ?? String(f.department_id);
      overdue.push({
        inquiryNumber: f.inquiry, service: services.get(f.service_id)?.name_ar ?? String(f.service_id), department: dept, holder: dept,
        dueDay: f.due_day, daysLate: late, heldSinceDay: f.since ? localDay(f.since, tz) : '',
      });
    }
    overdue.sort((a, b) => b.daysLate - a.daysLate);

    const row = (a: Acc): ExecutionRow => ({
      received: a.received, decided: a.decided, delivered: a.delivered, decidedInTime: a.inTime,
      decidedInTimeRate: rate(share(a.inTime, a.decided)), overdueNow: a.overdue,
    });
    return {
      period: p,
      totals: row(this.total),
      departments: [...this.byDept.entries()].sort(([x], [y]) => x - y).map(([id, a]) => ({ departmentId: id, department: deptNames.get(id) ?? String(id), ...row(a) })),
      services: [...this.bySvc.entries()].sort(([x], [y]) => x - y).map(([id, a]) => {
        const sv = services.get(id);
        return { serviceId: id, service: sv?.name_ar ?? String(id), department: sv ? deptNames.get(sv.department_id) ?? '' : '', ...row(a) };
      }),
      stages: STAGES.filter((st) => this.stageHist.has(st)).map((st) => {
        const sm = summarizeHistogram([...this.stageHist.get(st)!].map(([b, n]) => [b * DAY_BUCKET_MS, n]), this.stageSum.get(st));
        return { stage: st, stageAr: STATUS_WORDS[st].ar, stageEn: STATUS_WORDS[st].en, n: sm.n, medianDays: days(sm.median), p90Days: days(sm.p90), meanDays: days(sm.mean) };
      }),
      overdue: overdue.slice(0, 1000),
      trend: [...this.byWeek.entries()].sort(([x], [y]) => x.localeCompare(y)).map(([week, a]) => ({
        week, received: a.received, decided: a.decided, delivered: a.delivered, decidedInTimeRate: rate(share(a.inTime, a.decided)),
      })),
    };
  }
}

/** The department and service ids the facts (and overdue files) mention: whose names a report needs. */
export function executionIds(f: ExecutionFacts, overdue: readonly OverdueFile[] = []): { departments: Set<number>; services: Set<number> } {
  const departments = new Set<number>();
  const services = new Set<number>();
  for (const x of [...f.r, ...f.dc, ...f.dl]) {
    departments.add(x[1]);
    services.add(x[2]);
  }
  for (const key in f.s) departments.add(Number(key.slice(key.lastIndexOf('|') + 1)));
  for (const o of overdue) {
    departments.add(o.department_id);
    services.add(o.service_id);
  }
  return { departments, services };
}

/**
 * The same facts with departments and services numbered otherwise (the governorate's
 * numbering of a department or service across centers, hub/central/reports.ts): counts and
 * histograms unchanged, so one ExecutionTally adds several centers' days.
 */
export function renumberExecutionFacts(f: ExecutionFacts, dept: (id: number) => number, svc: (id: number) => number): ExecutionFacts {
  const s: ExecutionFacts['s'] = {};
  const ss: ExecutionFacts['ss'] = {};
  for (const key in f.s) {
    const bar = key.lastIndexOf('|');
    const k = `${key.slice(0, bar)}|${dept(Number(key.slice(bar + 1)))}`;
    (s[k] ??= []).push(...f.s[key]);
    ss[k] = (ss[k] ?? 0) + (f.ss[key] ?? 0);
  }
  return {
    r: f.r.map(([d, dp, sv, n]) => [d, dept(dp), svc(sv), n]),
    dc: f.dc.map(([d, dp, sv, t, n]) => [d, dept(dp), svc(sv), t, n]),
    dl: f.dl.map(([d, dp, sv, n]) => [d, dept(dp), svc(sv), n]),
    s,
    ss,
  };
}

const isCount = (v: unknown, min = 0): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= min;
/** Facts from outside (a center's closed day at the governorate) hold at most this many entries. */
const MAX_FACT_ENTRIES = 100_000;

/**
 * Whether `x` is one local day's ExecutionFacts as executionFacts() writes them: every
 * count a non-negative integer, every day `day`, every stage a file status. The governorate
 * refuses anything else (issue 13, bad input) before it reaches a tally.
 */
export function checkExecutionFacts(x: unknown, day: string): string | null {
  if (!x || typeof x !== 'object' || Array.isArray(x)) return 'facts are not an object';
  const f = x as Record<string, unknown>;
  const tuples = (k: string, len: number, ok: (t: unknown[]) => boolean): string | null => {
    const a = f[k];
    if (!Array.isArray(a) || a.length > MAX_FACT_ENTRIES) return `${k} is not a list`;
    for (const t of a) {
      if (!Array.isArray(t) || t.length !== len || t[0] !== day || !isCount(t[1], 1) || !isCount(t[2], 1) || !isCount(t[len - 1], 1) || !ok(t)) {
        return `${k}: ${JSON.stringify(t)?.slice(0, 60)} is not [${day}, department, service, …, count]`;
      }
    }
    return null;
  };
  const bad = tuples('r', 4, () => true) ?? tuples('dc', 5, (t) => t[3] === 0 || t[3] === 1) ?? tuples('dl', 4, () => true);
  if (bad) return bad;
  const s = f.s;
  const ss = f.ss;
  if (!s || typeof s !== 'object' || Array.isArray(s) || !ss || typeof ss !== 'object' || Array.isArray(ss)) return 's and ss are not objects';
  const keys = Object.keys(s);
  if (keys.length > MAX_FACT_ENTRIES || Object.keys(ss).length !== keys.length) return 's and ss do not match';
  for (const key of keys) {
    const bar = key.lastIndexOf('|');
    if (bar < 0 || !Object.hasOwn(STATUS_WORDS, key.slice(0, bar)) || !/^[1-9]\d{0,9}$/.test(key.slice(bar + 1))) return `stage key ${key.slice(0, 60)} is not status|department`;
    const flat = (s as Record<string, unknown>)[key];
    // Buckets and sums of durations may be any integer (a clock stepped back makes a negative stay; the center counts it too).
    if (!Array.isArray(flat) || flat.length % 2 || flat.length > MAX_FACT_ENTRIES || !flat.every((v, i) => (i % 2 ? isCount(v, 1) : Number.isSafeInteger(v)))) {
      return `stage ${key}: not [bucket, count, …]`;
    }
    if (!Number.isSafeInteger((ss as Record<string, unknown>)[key])) return `stage ${key}: no sum`;
  }
  return null;
}
