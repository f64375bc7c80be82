// The governorate's execution-rate and bottleneck reports across centers (issue 13, item 4):
// per center and per department, with the center's own definitions — because they are the
// center's own code. Each center sends every closed day's execution facts as its reports
// keep them (a 'report' outbox row, hub/federation/outbox.ts; ReportService.closedDay),
// with the names and catalog codes they mention and, on its newest day, the files overdue
// as of then. The central store keeps the newest row per (center, day) (store.ts); here the
// days of a period are added with ExecutionTally and read out with ExecutionTally.readOut
// (hub/services/reports/execution.ts), as the center's own report does: so one center's
// report here equals its own for the same closed days.
//
// - Closed days only: a center sends a day once it is over (the day after, Cairo time);
//   today's figures stay at the center. The report says through which day each center is in.
// - Overdue now: as of the center's last closed day sent (its `overdueAt`), counted with
//   the days late as of the governorate's now — the center's definition (daysLate).
// - Across centers, one department is one catalog code (departments.code, 'ENG'…), a
//   service likewise: the ids are each center's own. The name shown is the one most centers
//   use (the first center's in id order on a tie).
// - Scope: the governorate's readers see every center and department.
// - Queue statistics likewise (governorateQueue): each closed day's queue facts
//   ('report.queue', QueueTally), without clerks (the governorate gets no staff) and
//   without the window stretch running now (the center's own adds it up to now): equal to
//   the center's own but for its clerks' table. Across centers each line is 'center/letter'.
//
// Pure: no I/O; the store gives the rows, the route the period and the clock.
import { CENTER_ID } from '@shubbak/protocol';
import { ExecutionTally, checkExecutionFacts, renumberExecutionFacts, type ExecutionFacts, type ExecutionNames, type ExecutionReport, type OverdueFile } from '../services/reports/execution.ts';
import { checkPeriod, type Period } from '../services/reports/period.ts';
import { QueueTally, checkQueueFacts, renameQueueLines, type QueueFacts, type QueueStats } from '../services/reports/queue-stats.ts';

/** A closed day as a center sends it (hub/services/reports/index.ts ClosedDay). */
export type CenterDay = { day: string; execution: ExecutionFacts; names: ExecutionNames; overdue: OverdueFile[] | null; at: number };

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const isInt = (v: unknown, min: number): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= min;
const isText = (v: unknown, max: number): v is string => typeof v === 'string' && v.length > 0 && v.length <= max;
const MAX_LIST = 100_000;

function realDay(d: unknown): d is string {
  if (typeof d !== 'string' || !DAY.test(d)) return false;
  const t = Date.parse(`${d}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === d;
}

/** Why a 'report.day' payload is not a closed day as a center writes it, or null when it is. */
export function checkCenterDay(raw: unknown): string | null {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return 'not an object';
  const p = raw as Record<string, unknown>;
  if (!realDay(p.day)) return 'day is not a date';
  if (!isInt(p.at, 0)) return 'at is not a time';
  const facts = checkExecutionFacts(p.execution, p.day);
  if (facts) return `execution: ${facts}`;
  const n = p.names as Record<string, unknown> | undefined;
  if (!n || typeof n !== 'object' || !Array.isArray(n.departments) || !Array.isArray(n.services)) return 'names are missing';
  if (n.departments.length > MAX_LIST || !n.departments.every((d) => Array.isArray(d) && d.length === 3 && isInt(d[0], 1) && isText(d[1], 200) && isText(d[2], 50))) {
    return 'names.departments is not [id, name, code][]';
  }
  if (n.services.length > MAX_LIST || !n.services.every((s) => Array.isArray(s) && s.length === 4 && isInt(s[0], 1) && isText(s[1], 200) && isInt(s[2], 1) && isText(s[3], 50))) {
    return 'names.services is not [id, name, department, code][]';
  }
  if (p.overdue !== null) {
    if (!Array.isArray(p.overdue) || p.overdue.length > MAX_LIST) return 'overdue is not a list';
    for (const o of p.overdue as unknown[]) {
      const f = o as Record<string, unknown>;
      if (!f || typeof f !== 'object' || !isText(f.inquiry, 60) || !isInt(f.department_id, 1) || !isInt(f.service_id, 1) || !realDay(f.due_day)
        || !(f.since === null || isInt(f.since, 0)) || Object.keys(f).length !== 5) return 'overdue is not a list of files';
    }
  }
  if (Object.keys(p).length !== 5) return 'unexpected fields';
  return null;
}

/** A closed day's queue facts as a center sends them (ReportService.closedQueueDay): no clerks. */
export type CenterQueueDay = { day: string; queue: QueueFacts; lines: [string, string, string][]; at: number };

/** Why a 'report.queue' payload is not a closed day's queue facts as a center writes them, or null. */
export function checkQueueDay(raw: unknown): string | null {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return 'not an object';
  const p = raw as Record<string, unknown>;
  if (Object.keys(p).length !== 4) return 'unexpected fields';
  if (!realDay(p.day)) return 'day is not a date';
  if (!isInt(p.at, 0)) return 'at is not a time';
  if (!Array.isArray(p.lines) || p.lines.length > 26 || !p.lines.every((l) => Array.isArray(l) && l.length === 3 && /^[A-Z]$/.test(String(l[0])) && isText(l[1], 200) && isText(l[2], 200))) {
    return 'lines is not [letter, Arabic, English][]';
  }
  const facts = checkQueueFacts(p.queue, p.day);
  return facts ? `queue: ${facts}` : null;
}

/** One center's held days for a period (oldest first), and its last overdue snapshot. */
export type CenterRows = {
  center: string;
  days: CenterDay[];
  queueDays: CenterQueueDay[];
  /** The newest snapshot of its overdue files (from any day), with the names it needs. */
  overdue: { at: number; files: OverdueFile[]; names: ExecutionNames } | null;
};

export type CenterExecution = {
  center: string;
  /** Closed days of the period held for this center, the first and the last. */
  days: number;
  firstDay: string | null;
  lastDay: string | null;
  /** When the center read its overdue files (null: none sent yet). */
  overdueAt: number | null;
  report: ExecutionReport;
};

export type GovernorateExecution = {
  period: Period;
  /** Only closed days: the last day a center's figures can include (yesterday, the governorate's zone). */
  through: string;
  centers: CenterExecution[];
  /** Every center added up; departments and services by catalog code. Its overdue list names the center. */
  all: Omit<ExecutionReport, 'overdue'> & { overdue: (ExecutionReport['overdue'][number] & { center: string })[] };
};

/** Names from several rows: a later one's name for an id replaces an earlier one's. */
function mergeNames(list: ExecutionNames[]): ExecutionNames {
  const d = new Map<number, [number, string, string]>();
  const s = new Map<number, [number, string, number, string]>();
  for (const n of list) {
    for (const x of n.departments) d.set(x[0], x);
    for (const x of n.services) s.set(x[0], x);
  }
  return { departments: [...d.values()], services: [...s.values()] };
}

/**
 * The reports of a period: each center's (its days added and read out with its names and
 * overdue files), and all centers together, departments and services by catalog code.
 */
export function governorateExecution(rows: readonly CenterRows[], p: Period, through: string, now: number, tz: string): GovernorateExecution {
  checkPeriod(p);
  if (!rows.every((r) => CENTER_ID.test(r.center))) throw new Error('a center id out of the store is not one');
  const centers: CenterExecution[] = [];
  // The governorate's numbering: one id per department code, per service code.
  const deptIds = new Map<string, number>();
  const svcIds = new Map<string, number>();
  const deptNamesSeen = new Map<string, Map<string, number>>();
  const svcNamesSeen = new Map<string, Map<string, number>>();
  const svcDept = new Map<string, string>();
  const idOf = (m: Map<string, number>, code: string) => {
    let id = m.get(code);
    if (id === undefined) m.set(code, (id = m.size + 1));
    return id;
  };
  const vote = (m: Map<string, Map<string, number>>, code: string, name: string) => {
    let v = m.get(code);
    if (!v) m.set(code, (v = new Map()));
    v.set(name, (v.get(name) ?? 0) + 1);
  };
  const all = new ExecutionTally(null);
  const allOverdue: OverdueFile[] = [];
  const sorted = [...rows].sort((a, b) => a.center.localeCompare(b.center));
  // Codes numbered in a stable order: sorted.
  const codes = new Set<string>();
  const scodes = new Set<string>();
  for (const r of sorted) {
    for (const n of [...r.days.map((d) => d.names), ...(r.overdue ? [r.overdue.names] : [])]) {
      for (const x of n.departments) codes.add(x[2]);
      for (const x of n.services) scodes.add(x[3]);
    }
  }
  for (const c of [...codes].sort()) idOf(deptIds, c);
  for (const c of [...scodes].sort()) idOf(svcIds, c);

  for (const r of sorted) {
    const days = [...r.days].sort((a, b) => a.day.localeCompare(b.day));
    const names = mergeNames([...(r.overdue ? [r.overdue.names] : []), ...days.map((d) => d.names)]);
    const tally = new ExecutionTally(null);
    for (const d of days) tally.add(d.execution);
    const overdue = r.overdue?.files ?? [];
    centers.push({
      center: r.center, days: days.length, firstDay: days[0]?.day ?? null, lastDay: days.at(-1)?.day ?? null,
      overdueAt: r.overdue?.at ?? null, report: tally.readOut(p, names, overdue, now, tz),
    });

    // Into the governorate's numbering. A department or service the center's names lack
    // (it should not happen: the center sends the names its facts mention) keeps a code of its own.
    const dCode = new Map(names.departments.map(([id, name, code]) => [id, { name, code }]));
    const sCode = new Map(names.services.map(([id, name, dept, code]) => [id, { name, code, dept }]));
    for (const { name, code } of dCode.values()) vote(deptNamesSeen, code, name);
    for (const { name, code, dept } of sCode.values()) {
      vote(svcNamesSeen, code, name);
      const dc = dCode.get(dept)?.code;
      if (dc && !svcDept.has(code)) svcDept.set(code, dc);
    }
    const dept = (id: number) => idOf(deptIds, dCode.get(id)?.code ?? `${r.center}#${id}`);
    const svc = (id: number) => idOf(svcIds, sCode.get(id)?.code ?? `${r.center}#${id}`);
    for (const d of days) all.add(renumberExecutionFacts(d.execution, dept, svc));
    for (const o of overdue) allOverdue.push({ ...o, department_id: dept(o.department_id), service_id: svc(o.service_id) });
  }

  const chosen = (m: Map<string, Map<string, number>>, code: string) => {
    const v = m.get(code);
    if (!v) return code;
    return [...v].sort((a, b) => b[1] - a[1])[0][0];
  };
  const allNames: ExecutionNames = {
    departments: [...deptIds].map(([code, id]) => [id, chosen(deptNamesSeen, code), code]),
    services: [...svcIds].map(([code, id]) => [id, chosen(svcNamesSeen, code), deptIds.get(svcDept.get(code) ?? '') ?? 0, code]),
  };
  const together = all.readOut(p, allNames, allOverdue, now, tz);
  const overdue = centers.flatMap((c) => c.report.overdue.map((o) => ({ center: c.center, ...o })))
    .sort((a, b) => b.daysLate - a.daysLate || a.center.localeCompare(b.center)).slice(0, 1000);
  return { period: p, through, centers, all: { ...together, overdue } };
}

export type QueueReport = Omit<QueueStats, 'appointments'>;
export type GovernorateQueue = {
  period: Period;
  through: string;
  /** Each center's queue statistics over its closed days: as its own, without clerks and without today's open stretches. */
  centers: { center: string; days: number; firstDay: string | null; lastDay: string | null; report: QueueReport }[];
  /** All centers in one tally: each line as 'center/letter'. */
  all: QueueReport;
};

/** The queue statistics of a period across centers, with the center's own QueueTally. */
export function governorateQueue(rows: readonly CenterRows[], p: Period, through: string): GovernorateQueue {
  checkPeriod(p);
  const all = new QueueTally();
  const allLines: { letter: string; name_ar: string; name_en: string }[] = [];
  const centers: GovernorateQueue['centers'] = [];
  for (const r of [...rows].sort((a, b) => a.center.localeCompare(b.center))) {
    const days = [...r.queueDays].sort((a, b) => a.day.localeCompare(b.day));
    const tally = new QueueTally();
    for (const d of days) tally.add(d.queue);
    const lines = (days.at(-1)?.lines ?? []).map(([letter, name_ar, name_en]) => ({ letter, name_ar, name_en }));
    centers.push({ center: r.center, days: days.length, firstDay: days[0]?.day ?? null, lastDay: days.at(-1)?.day ?? null, report: tally.readOut(p, lines, new Map()) });
    const named = (l: string) => `${r.center}/${l}`;
    for (const d of days) all.add(renameQueueLines(d.queue, named));
    for (const l of lines) allLines.push({ letter: named(l.letter), name_ar: `${r.center} — ${l.name_ar}`, name_en: `${r.center} — ${l.name_en}` });
  }
  return { period: p, through, centers, all: all.readOut(p, allLines, new Map()) };
}
