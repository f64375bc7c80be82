// The supervision reports (issue 6), read straight from the SQLite tables: queue
// statistics, device health, and — over the back office's tables — execution and
// bottlenecks, money and complaints. Figures come from domain/stats.ts; this file only
// gathers the rows. Periods are inclusive local days 'YYYY-MM-DD' in the center's zone.
import type { HubConfig } from '../config.ts';
import type { Db } from '../db/connection.ts';
import { DomainError } from '../domain/errors.ts';
import { addDays, daysLate } from '../domain/deadlines.ts';
import { days, minutes, percentileOfHistogram, Samples, share, summarizeHistogram, topBy, type Summary } from '../domain/stats.ts';
import { localDay, localParts, startOfLocalDay, type Clock } from '../domain/time.ts';
import type { Alert } from './alerts.ts';
import { receiptLabel } from '../domain/money.ts';
import { displayInquiry } from '../domain/inquiry-number.ts';
import { STATUS_WORDS, type FileStatus } from '../domain/file-workflow.ts';
import { staffKey } from '../domain/actor.ts';

export type Period = { from: string; to: string };

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
/** The longest period one report covers (two years and a bit), so a typo cannot ask for a century. */
const MAX_PERIOD_DAYS = 800;

/** 'YYYY-MM-DD' naming a day that exists (Date.parse would roll 02-30 over to March). */
function realDay(d: string): boolean {
  if (!DAY_RE.test(d)) return false;
  const t = Date.parse(`${d}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === d;
}

export function checkPeriod(p: Period): void {
  const bad = (m: string) => {
    throw new DomainError('BAD_REQUEST', m);
  };
  if (!realDay(p.from) || !realDay(p.to)) bad('الفترة: تاريخ غير صحيح (YYYY-MM-DD)');
  if (p.from > p.to) bad('الفترة: تاريخ البداية بعد تاريخ النهاية');
  if ((Date.parse(p.to) - Date.parse(p.from)) / 86_400_000 > MAX_PERIOD_DAYS) bad(`الفترة أطول من ${MAX_PERIOD_DAYS} يوماً`);
}

/** Minutes summary of a sample set, for the tables (median, 90th percentile, mean). */
export type MinSummary = { n: number; medianMin: number | null; p90Min: number | null; meanMin: number | null };
function inMinutes(s: Summary): MinSummary {
  return { n: s.n, medianMin: minutes(s.median), p90Min: minutes(s.p90), meanMin: minutes(s.mean) };
}

export type QueueLineStats = {
  line: string; nameAr: string; nameEn: string; tickets: number; visits: number; served: number; noShows: number;
  noShowRate: number | null; wait: MinSummary; service: MinSummary; walk: MinSummary;
};
export type QueueWindowStats = {
  window: number; served: number; avgServiceMin: number | null; servingMin: number; idleMin: number; pausedMin: number;
};
export type QueueClerkStats = { clerk: string; name: string | null; served: number; avgServiceMin: number | null; pausedMin: number; idleMin: number };
export type QueueStats = {
  period: Period;
  days: number;
  totals: { tickets: number; served: number; noShowRate: number | null; wait: MinSummary; service: MinSummary; walk: MinSummary };
  lines: QueueLineStats[];
  /** Tickets issued per line and hour of day (local), summed over the period. */
  hourly: { line: string; hour: number; tickets: number; perDay: number }[];
  busiestHours: { hour: number; tickets: number; perDay: number }[];
  windows: QueueWindowStats[];
  clerks: QueueClerkStats[];
  daily: { day: string; tickets: number; served: number; medianWaitMin: number | null }[];
};

/** SQL: the visit ended at a window after a call (served), as opposed to a no-show or a cancel. */
const SERVED = `(status IN ('done', 'transferred', 'parked') AND ended_at IS NOT NULL AND called_at IS NOT NULL)`;

/** The zone's offset at local noon of each day, cached: the hour of an instant without Intl per row. */
class HourOfDay {
  private readonly offsets = new Map<string, number>();
  constructor(private readonly tz: string) {}
  offsetOf(day: string): number {
    let off = this.offsets.get(day);
    if (off === undefined) {
      const noon = Date.parse(`${day}T10:00:00Z`);
      const p = localParts(noon, this.tz);
      off = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) - noon;
      this.offsets.set(day, off);
    }
    return off;
  }
  of(ms: number, day: string): number {
    const off = this.offsetOf(day);
    return Math.floor((((ms + off) % 86_400_000) + 86_400_000) % 86_400_000 / 3_600_000);
  }
}

function dayCount(p: Period): number {
  return Math.round((Date.parse(p.to) - Date.parse(p.from)) / 86_400_000) + 1;
}

export type DeviceHealthRow = {
  id: string; kind: string; label: string; window: number | null; online: boolean; lastSeen: number | null;
  fw: string | null; printer: string | null; healthAt: number | null; alerts: string[];
};
export type DeviceHealthReport = { at: number; online: number; offline: number; devices: DeviceHealthRow[]; alerts: Alert[] };

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
export type MoneyReport = {
  period: Period;
  totals: { amountPiasters: number; receipts: number; voids: number; voidedPiasters: number };
  daily: { day: string; receipts: number; amountPiasters: number }[];
  feeItems: { feeCode: string; label: string; count: number; amountPiasters: number }[];
  voids: { number: string; day: string; amountPiasters: number; reason: string; cashier: string; voidedBy: string | null; voidedAt: number | null }[];
};

/** The stages a file waits in, in journey order (final ones are not waits). */
const STAGES: FileStatus[] = ['registered', 'technical_review', 'returned', 'awaiting_payment', 'paid', 'reviewed', 'approved', 'with_department', 'decided', 'ready'];

/** The Sunday that starts the week of a day (weekday of the date itself, no zone). */
export function weekOf(day: string): string {
  const wd = new Date(`${day}T12:00:00Z`).getUTCDay();
  return addDays(day, -wd);
}

/** The departments a caller may see: null = all. */
export type Scope = number[] | null;

function inScope(scope: Scope, alias: string): { sql: string; args: number[] } {
  if (scope === null) return { sql: '', args: [] };
  if (!scope.length) return { sql: ' AND 0', args: [] };
  return { sql: ` AND ${alias}.department_id IN (${scope.map(() => '?').join(',')})`, args: scope };
}

export class ReportService {
  private readonly q;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly config: HubConfig,
  ) {
    this.q = {
      lines: db.prepare<[], { letter: string; name_ar: string; name_en: string }>('SELECT letter, name_ar, name_en FROM lines ORDER BY sort, letter'),
      // Grouped by the UTC hour; the local hour is the UTC hour plus the day's offset.
      tickets: db.prepare<[string, string], [string, string, number, number]>(
        `SELECT day, letter, (issued_at / 3600000) % 24 AS utc_hour, count(*) FROM tickets
         WHERE day BETWEEN ? AND ? GROUP BY day, letter, utc_hour`).raw(),
      // A visit is served when it ended at a window after a call (done, or sent on); a
      // no-show ended without service. Waits run from entering the line (or the requeue) to the call.
      lineAgg: db.prepare<{ start: number; end: number }, { line: string; visits: number; ended: number; noShows: number; served: number; waitSum: number; serviceSum: number; walkSum: number }>(
        `SELECT line, count(*) AS visits,
           coalesce(sum(status IN ('done', 'transferred', 'parked', 'no_show')), 0) AS ended,
           coalesce(sum(status = 'no_show'), 0) AS noShows,
           coalesce(sum(${SERVED}), 0) AS served,
           coalesce(sum(called_at - queued_at), 0) AS waitSum,
           coalesce(sum(CASE WHEN ${SERVED} THEN ended_at - coalesce(started_at, called_at) END), 0) AS serviceSum,
           coalesce(sum(started_at - called_at), 0) AS walkSum
         FROM visits WHERE queued_at >= @start AND queued_at < @end GROUP BY line`),
      histograms: db.prepare<{ start: number; end: number }, [string, number, number, number]>(
        `SELECT line, kind, bucket, count(*) FROM (
           SELECT line, 0 AS kind, (called_at - queued_at) / ${HIST_MS} AS bucket FROM visits
             WHERE queued_at >= @start AND queued_at < @end AND called_at IS NOT NULL
           UNION ALL
           SELECT line, 1, (ended_at - coalesce(started_at, called_at)) / ${HIST_MS} FROM visits
             WHERE queued_at >= @start AND queued_at < @end AND ${SERVED}
           UNION ALL
           SELECT line, 2, (started_at - called_at) / ${HIST_MS} FROM visits
             WHERE queued_at >= @start AND queued_at < @end AND called_at IS NOT NULL AND started_at IS NOT NULL
         ) GROUP BY line, kind, bucket`).raw(),
      // Per local day: served visits (bucket NULL), and the waits in whole minutes.
      daily: db.prepare<{ start: number; end: number; offset: number }, [number, number, number | null, number]>(
        `SELECT (queued_at + CAST(@offset AS INTEGER)) / 86400000 AS d, count(*), NULL, 0 FROM visits
           WHERE queued_at >= @start AND queued_at < @end AND ${SERVED} GROUP BY d
         UNION ALL
         SELECT (queued_at + CAST(@offset AS INTEGER)) / 86400000 AS d, 0, (called_at - queued_at) / 60000 AS b, count(*) FROM visits
           WHERE queued_at >= @start AND queued_at < @end AND called_at IS NOT NULL GROUP BY d, b`).raw(),
      byWindow: db.prepare<{ start: number; end: number }, { key: number; served: number; serviceSum: number }>(
        `SELECT window AS key, count(*) AS served, sum(ended_at - coalesce(started_at, called_at)) AS serviceSum FROM visits
         WHERE queued_at >= @start AND queued_at < @end AND ${SERVED} AND window IS NOT NULL GROUP BY window`),
      byClerk: db.prepare<{ start: number; end: number }, { key: string; served: number; serviceSum: number }>(
        `SELECT served_by AS key, count(*) AS served, sum(ended_at - coalesce(started_at, called_at)) AS serviceSum FROM visits
         WHERE queued_at >= @start AND queued_at < @end AND ${SERVED} AND served_by IS NOT NULL GROUP BY served_by`),
      /** Milliseconds per window, clerk and status within [start, end). */
      statusTime: db.prepare<{ start: number; end: number; lookback: number }, [number, string, string | null, number]>(
        `SELECT window, status, clerk, sum(min(to_at, @end) - max(from_at, @start)) FROM window_status_log
         WHERE from_at >= @lookback AND from_at < @end AND to_at > @start GROUP BY window, status, clerk`).raw(),
      windowsNow: db.prepare<[], { number: number; status: string; clerk: string | null; status_since: number }>(
        'SELECT number, status, clerk, status_since FROM windows'),
      devices: db.prepare<[], { id: string; kind: string; label: string; window: number | null; online: number; last_seen: number | null; fw: string | null; health: string | null; health_at: number | null }>(
        'SELECT id, kind, label, window, online, last_seen, fw, health, health_at FROM devices ORDER BY kind, id'),
      userNames: db.prepare<[], { id: number; name: string }>('SELECT id, name FROM users'),
    };
  }

  private bounds(p: Period): [number, number] {
    checkPeriod(p);
    const tz = this.config.timezone;
    return [startOfLocalDay(p.from, tz), startOfLocalDay(addDays(p.to, 1), tz)];
  }

  // --- Device health ------------------------------------------------------------------

  /** Every device with presence, last seen, printer and firmware, and the open alerts. */
  deviceHealth(openAlerts: Alert[]): DeviceHealthReport {
    const byDevice = new Map<string, string[]>();
    for (const a of openAlerts) byDevice.set(a.deviceId, [...(byDevice.get(a.deviceId) ?? []), a.kind]);
    const devices = this.q.devices.all().map((d) => {
      let printer: string | null = null;
      try {
        printer = d.health ? ((JSON.parse(d.health) as { printer?: string }).printer ?? null) : null;
      } catch {
        printer = null;
      }
      return {
        id: d.id, kind: d.kind, label: d.label, window: d.window, online: d.online === 1, lastSeen: d.last_seen, fw: d.fw,
        printer, healthAt: d.health_at, alerts: byDevice.get(d.id) ?? [],
      };
    });
    const online = devices.filter((d) => d.online).length;
    return { at: this.clock(), online, offline: devices.length - online, devices, alerts: openAlerts };
  }

  // --- Execution and bottlenecks --------------------------------------------------------

  execution(p: Period, scope: Scope): ExecutionReport {
    const [start, end] = this.bounds(p);
    const tz = this.config.timezone;
    const now = this.clock();
    const today = localDay(now, tz);
    const s = inScope(scope, 'f');
    const deptNames = this.departmentNames();
    const services = new Map((this.db.prepare('SELECT id, name_ar, department_id FROM services').all() as { id: number; name_ar: string; department_id: number }[]).map((x) => [x.id, x]));

    type Acc = { received: number; decided: number; delivered: number; inTime: number; overdue: number };
    const acc = (): Acc => ({ received: 0, decided: 0, delivered: 0, inTime: 0, overdue: 0 });
    const total = acc();
    const byDept = new Map<number, Acc>();
    const bySvc = new Map<number, Acc>();
    const byWeek = new Map<string, Acc>();
    const bump = (dept: number, svc: number, week: string | null, f: (a: Acc) => void) => {
      for (const [m, k] of [[byDept, dept], [bySvc, svc]] as const) {
        let a = m.get(k);
        if (!a) m.set(k, (a = acc()));
        f(a);
      }
      f(total);
      if (week) {
        let a = byWeek.get(week);
        if (!a) byWeek.set(week, (a = acc()));
        f(a);
      }
    };
    const dayOfMs = new DayOf(tz);

    // Received, and the stage history of what was received.
    const received = this.db.prepare(
      `SELECT f.id, f.department_id, f.service_id, f.registered_at FROM files f
       WHERE f.registered_at >= ? AND f.registered_at < ?${s.sql}`).raw().all(start, end, ...s.args) as [number, number, number, number][];
    for (const [, dept, svc, at] of received) bump(dept, svc, weekOf(dayOfMs.of(at)), (a) => a.received++);

    // Time in each stage: every stay that ended in the period (the file moved on), from
    // the event that began it to the one that ended it (file_stays, kept by a trigger),
    // bucketed to a tenth of a day in SQL.
    // Stays still running are not counted: their length is not known yet.
    const stageHist = new Map<FileStatus, [number, number][]>();
    const stageSum = new Map<FileStatus, number>();
    const st = inScope(scope, 'st');
    const stays = this.db.prepare(
      `SELECT st.status, (st.to_at - st.from_at) / ${DAY_BUCKET_MS} AS b, count(*), sum(st.to_at - st.from_at)
       FROM file_stays st WHERE st.to_at >= ? AND st.to_at < ?${st.sql} GROUP BY st.status, b`).raw();
    for (const [status, bucket, n, sum] of stays.iterate(start, end, ...st.args) as Iterable<[FileStatus, number, number, number]>) {
      let h = stageHist.get(status);
      if (!h) stageHist.set(status, (h = []));
      h.push([bucket * DAY_BUCKET_MS, n]);
      stageSum.set(status, (stageSum.get(status) ?? 0) + sum);
    }

    // Decided in the period: in time when decided before the end of the file's due day.
    const dueEnds = new Map<string, number>();
    const endOfDue = (d: string) => {
      let e = dueEnds.get(d);
      if (e === undefined) dueEnds.set(d, (e = startOfLocalDay(addDays(d, 1), tz)));
      return e;
    };
    // Files, not events (issue 11 item 1): one row per file that reached the status in the
    // period — by its first stage change into it — whatever notes came with it.
    const changes = this.db.prepare(
      `SELECT e.file_id, min(e.at), f.department_id, f.service_id, f.due_day FROM file_events e JOIN files f ON f.id = e.file_id
       WHERE e.to_status = ? AND e.at >= ? AND e.at < ? AND e.from_status IS NOT e.to_status${s.sql} GROUP BY e.file_id`).raw();
    for (const [, at, dept, svc, due] of changes.all('decided', start, end, ...s.args) as [number, number, number, number, string | null][]) {
      const inTime = due !== null && at < endOfDue(due);
      bump(dept, svc, weekOf(dayOfMs.of(at)), (a) => {
        a.decided++;
        if (inTime) a.inTime++;
      });
    }
    for (const [, at, dept, svc] of changes.all('delivered', start, end, ...s.args) as [number, number, number, number][]) {
      bump(dept, svc, weekOf(dayOfMs.of(at)), (a) => a.delivered++);
    }

    // Overdue now (whatever the period): at the department past the due day.
    const overdueRows = this.db.prepare(
      `SELECT f.inquiry, f.department_id, f.service_id, f.due_day,
              (SELECT max(e.at) FROM file_events e WHERE e.file_id = f.id AND e.to_status = 'with_department') AS since
       FROM files f WHERE f.status = 'with_department' AND f.due_day < ?${s.sql} ORDER BY f.due_day, f.id`,
    ).all(today, ...s.args) as { inquiry: string; department_id: number; service_id: number; due_day: string; since: number | null }[];
    const overdue: ExecutionReport['overdue'] = [];
    for (const f of overdueRows) {
      const late = daysLate(f.due_day, now, tz);
      if (late <= 0) continue;
      bump(f.department_id, f.service_id, null, (a) => a.overdue++);
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
      totals: row(total),
      departments: [...byDept.entries()].sort(([x], [y]) => x - y).map(([id, a]) => ({ departmentId: id, department: deptNames.get(id) ?? String(id), ...row(a) })),
      services: [...bySvc.entries()].sort(([x], [y]) => x - y).map(([id, a]) => {
        const sv = services.get(id);
        return { serviceId: id, service: sv?.name_ar ?? String(id), department: sv ? deptNames.get(sv.department_id) ?? '' : '', ...row(a) };
      }),
      stages: STAGES.filter((st) => stageHist.has(st)).map((st) => {
        const sm = summarizeHistogram(stageHist.get(st)!, stageSum.get(st));
        return { stage: st, stageAr: STATUS_WORDS[st].ar, stageEn: STATUS_WORDS[st].en, n: sm.n, medianDays: days(sm.median), p90Days: days(sm.p90), meanDays: days(sm.mean) };
      }),
      overdue: overdue.slice(0, 1000),
      trend: [...byWeek.entries()].sort(([x], [y]) => x.localeCompare(y)).map(([week, a]) => ({
        week, received: a.received, decided: a.decided, delivered: a.delivered, decidedInTimeRate: rate(share(a.inTime, a.decided)),
      })),
    };
  }

  // --- Money ------------------------------------------------------------------------------

  /** Collections per cashier day and per fee item (valid receipts), and voids with their reasons. */
  money(p: Period, scope: Scope): MoneyReport {
    checkPeriod(p);
    const s = inScope(scope, 'sv');
    const join = `JOIN payment_orders o ON o.id = r.order_id JOIN services sv ON sv.id = o.service_id`;
    const daily = this.db.prepare(
      `SELECT r.day, count(*) AS receipts, sum(r.total_piasters) AS amountPiasters FROM receipts r ${join}
       WHERE r.day BETWEEN ? AND ? AND r.status <> 'voided'${s.sql} GROUP BY r.day ORDER BY r.day`,
    ).all(p.from, p.to, ...s.args) as MoneyReport['daily'];
    const feeItems = this.db.prepare(
      `SELECT l.code AS feeCode, l.label_ar AS label, count(*) AS count, sum(l.amount_piasters) AS amountPiasters
       FROM receipts r ${join} JOIN payment_order_lines l ON l.order_id = r.order_id
       WHERE r.day BETWEEN ? AND ? AND r.status <> 'voided'${s.sql} GROUP BY l.code, l.label_ar ORDER BY amountPiasters DESC`,
    ).all(p.from, p.to, ...s.args) as MoneyReport['feeItems'];
    const voids = (this.db.prepare(
      `SELECT r.year, r.number, r.day, r.total_piasters, r.void_reason, r.cashier, r.voided_by, r.voided_at FROM receipts r ${join}
       WHERE r.day BETWEEN ? AND ? AND r.status = 'voided'${s.sql} ORDER BY r.year, r.number`,
    ).all(p.from, p.to, ...s.args) as { year: number; number: number; day: string; total_piasters: number; void_reason: string | null; cashier: string; voided_by: string | null; voided_at: number | null }[])
      .map((v) => ({
        number: receiptLabel(v.year, v.number), day: v.day, amountPiasters: v.total_piasters, reason: v.void_reason ?? '', cashier: v.cashier,
        voidedBy: v.voided_by, voidedAt: v.voided_at,
      }));
    return {
      period: p,
      totals: {
        amountPiasters: daily.reduce((a, d) => a + d.amountPiasters, 0), receipts: daily.reduce((a, d) => a + d.receipts, 0),
        voids: voids.length, voidedPiasters: voids.reduce((a, v) => a + v.amountPiasters, 0),
      },
      daily, feeItems, voids,
    };
  }

  // --- Complaints -----------------------------------------------------------------------

  /** Complaints registered in the period by department and channel; open and overdue now. */
  complaints(p: Period, scope: Scope): ComplaintsReport {
    const [start, end] = this.bounds(p);
    const tz = this.config.timezone;
    const now = this.clock();
    const s = inScope(scope, 'c');
    const rows = this.db.prepare(
      `SELECT c.department_id AS dept, c.channel, c.due_day AS dueDay, c.registered_at AS registeredAt,
              (SELECT min(e.at) FROM complaint_events e WHERE e.complaint_id = c.id AND e.to_status = 'answered') AS answeredAt
       FROM complaints c WHERE c.registered_at >= ? AND c.registered_at < ?${s.sql}`,
    ).all(start, end, ...s.args) as { dept: number; channel: string; dueDay: string; registeredAt: number; answeredAt: number | null }[];
    const openRows = this.db.prepare(
      `SELECT c.inquiry, c.department_id AS dept, c.status, c.due_day AS dueDay FROM complaints c
       WHERE c.status IN ('registered', 'with_department')${s.sql} ORDER BY c.due_day, c.id`,
    ).all(...s.args) as { inquiry: string; dept: number; status: string; dueDay: string }[];
    const names = this.departmentNames();
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

  private departmentNames(): Map<number, string> {
    return new Map((this.db.prepare('SELECT id, name_ar FROM departments').all() as { id: number; name_ar: string }[]).map((d) => [d.id, d.name_ar]));
  }

  // --- Queue statistics ---------------------------------------------------------------

  queueStats(p: Period): QueueStats {
    const [start, end] = this.bounds(p);
    const tz = this.config.timezone;
    const days = dayCount(p);
    const lineRows = this.q.lines.all();
    const hod = new HourOfDay(tz);

    // Tickets per line and hour, and per day (counted in SQL, hours shifted to local here).
    const perLine = new Map<string, number>();
    const perLineHour = new Map<string, number>(); // 'A|9'
    const perHour = new Array<number>(24).fill(0);
    const perDay = new Map<string, { tickets: number; served: number; waits: [number, number][] }>();
    const dayOf = (d: string) => {
      let e = perDay.get(d);
      if (!e) perDay.set(d, (e = { tickets: 0, served: 0, waits: [] }));
      return e;
    };
    for (const [day, letter, utcHour, n] of this.q.tickets.iterate(p.from, p.to)) {
      const h = hod.of(utcHour * 3_600_000 + Date.parse(`${day}T00:00:00Z`), day);
      perLine.set(letter, (perLine.get(letter) ?? 0) + n);
      const k = `${letter}|${h}`;
      perLineHour.set(k, (perLineHour.get(k) ?? 0) + n);
      perHour[h] += n;
      dayOf(day).tickets += n;
    }

    // Visits: counts and exact sums per line, and histograms (a tenth of a minute) for the
    // percentiles — all aggregated by SQLite over the covering index.
    const range = { start, end };
    type LineAgg = { visits: number; ended: number; noShows: number; served: number; waitSum: number; serviceSum: number; walkSum: number };
    const lineAgg = new Map<string, LineAgg>();
    for (const r of this.q.lineAgg.all(range)) lineAgg.set(r.line, r);
    const hist = new Map<string, [number, number][]>(); // 'A|wait'
    const KIND = ['wait', 'service', 'walk'] as const;
    for (const [line, kind, bucket, n] of this.q.histograms.iterate(range)) {
      for (const key of [`${line}|${KIND[kind]}`, `*|${KIND[kind]}`]) {
        let h = hist.get(key);
        if (!h) hist.set(key, (h = []));
        h.push([bucket * HIST_MS, n]);
      }
    }
    const summary = (line: string, kind: (typeof KIND)[number], sum: number): MinSummary => inMinutes(summarizeHistogram(mergeBuckets(hist.get(`${line}|${kind}`) ?? []), sum));

    // Per day: served and the median wait (the day of a visit is its local day; the zone's
    // offset is taken at the period's start — the center is closed around midnight, when
    // a daylight-saving change could move a visit to the next day).
    const offset = hod.offsetOf(p.from);
    const dayStartMs = Date.parse(`${p.from}T00:00:00Z`);
    for (const [dayIndex, served, bucket, n] of this.q.daily.iterate({ ...range, offset })) {
      const day = addDays(p.from, dayIndex - Math.floor(dayStartMs / 86_400_000));
      const e = dayOf(day);
      if (bucket === null) e.served += served;
      else e.waits.push([bucket * 60_000, n]);
    }

    // Time each window (and clerk) spent serving, idle and paused within the period.
    const windowTime = new Map<number, Record<string, number>>();
    const clerkTime = new Map<string, Record<string, number>>();
    const addTime = (w: number, clerk: string | null, status: string, ms: number) => {
      if (ms <= 0) return;
      const wt = windowTime.get(w) ?? {};
      wt[status] = (wt[status] ?? 0) + ms;
      windowTime.set(w, wt);
      if (clerk) {
        const ct = clerkTime.get(clerk) ?? {};
        ct[status] = (ct[status] ?? 0) + ms;
        clerkTime.set(clerk, ct);
      }
    };
    for (const [w, status, clerk, ms] of this.q.statusTime.iterate({ start, end, lookback: start - STRETCH_LOOKBACK_MS })) addTime(w, clerk, status, ms);
    const now = this.clock();
    for (const w of this.q.windowsNow.all()) {
      if (w.status_since > 0) addTime(w.number, w.clerk, w.status, Math.min(now, end) - Math.max(w.status_since, start));
    }
    const byWindow = new Map(this.q.byWindow.all(range).map((r) => [r.key as number, r]));
    const byClerk = new Map(this.q.byClerk.all(range).map((r) => [r.key as string, r]));

    const names = new Map(this.q.userNames.all().map((u) => [staffKey(u), u.name]));
    const hourly: QueueStats['hourly'] = [];
    for (const [k, n] of perLineHour) {
      const [line, h] = k.split('|');
      hourly.push({ line, hour: Number(h), tickets: n, perDay: round1(n / days) });
    }
    hourly.sort((a, b) => a.line.localeCompare(b.line) || a.hour - b.hour);
    const knownLines = new Map(lineRows.map((l) => [l.letter, l]));
    const lineLetters = [...new Set([...lineRows.map((l) => l.letter), ...lineAgg.keys(), ...perLine.keys()])];
    const ms2min = (ms: number | undefined) => Math.round((ms ?? 0) / 6000) / 10;
    const zero: LineAgg = { visits: 0, ended: 0, noShows: 0, served: 0, waitSum: 0, serviceSum: 0, walkSum: 0 };
    const total = [...lineAgg.values()].reduce((a, r) => ({
      visits: a.visits + r.visits, ended: a.ended + r.ended, noShows: a.noShows + r.noShows, served: a.served + r.served,
      waitSum: a.waitSum + r.waitSum, serviceSum: a.serviceSum + r.serviceSum, walkSum: a.walkSum + r.walkSum,
    }), zero);
    return {
      period: p,
      days,
      totals: {
        tickets: [...perLine.values()].reduce((x, y) => x + y, 0), served: total.served, noShowRate: rate(share(total.noShows, total.ended)),
        wait: summary('*', 'wait', total.waitSum), service: summary('*', 'service', total.serviceSum), walk: summary('*', 'walk', total.walkSum),
      },
      lines: lineLetters.map((letter) => {
        const a = lineAgg.get(letter) ?? zero;
        const l = knownLines.get(letter);
        return {
          line: letter, nameAr: l?.name_ar ?? letter, nameEn: l?.name_en ?? letter, tickets: perLine.get(letter) ?? 0, visits: a.visits,
          served: a.served, noShows: a.noShows, noShowRate: rate(share(a.noShows, a.ended)),
          wait: summary(letter, 'wait', a.waitSum), service: summary(letter, 'service', a.serviceSum), walk: summary(letter, 'walk', a.walkSum),
        };
      }),
      hourly,
      busiestHours: topBy(perHour.map((n, h) => [h, n] as [number, number]).filter(([, n]) => n > 0), 3)
        .map(([hour, tickets]) => ({ hour, tickets, perDay: round1(tickets / days) })),
      windows: [...new Set([...byWindow.keys(), ...windowTime.keys()])].sort((a, b) => a - b).map((w) => {
        const e = byWindow.get(w);
        const t = windowTime.get(w) ?? {};
        return {
          window: w, served: e?.served ?? 0, avgServiceMin: e?.served ? minutes(e.serviceSum / e.served) : null,
          servingMin: ms2min(t.serving), idleMin: ms2min(t.idle), pausedMin: ms2min(t.paused),
        };
      }),
      clerks: [...new Set([...byClerk.keys(), ...clerkTime.keys()])].sort().map((c) => {
        const e = byClerk.get(c);
        const t = clerkTime.get(c) ?? {};
        return {
          clerk: c, name: names.get(c) ?? null, served: e?.served ?? 0, avgServiceMin: e?.served ? minutes(e.serviceSum / e.served) : null,
          pausedMin: ms2min(t.paused), idleMin: ms2min(t.idle),
        };
      }),
      daily: [...perDay.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([day, e]) => ({
        day, tickets: e.tickets, served: e.served, medianWaitMin: minutes(percentileOfHistogram(e.waits, 50)),
      })),
    };
  }
}

/** Stage stays are bucketed to a tenth of a day (the reports show days to one decimal). */
const DAY_BUCKET_MS = 8_640_000;

/** Histogram buckets of durations: a tenth of a minute (the reports show minutes to one decimal). */
const HIST_MS = 6000;

/** Sum the counts of equal values (the totals' histogram gathers every line's buckets). */
function mergeBuckets(b: [number, number][]): [number, number][] {
  const m = new Map<number, number>();
  for (const [v, c] of b) m.set(v, (m.get(v) ?? 0) + c);
  return [...m.entries()];
}

/**
 * How far before a period a window's stretch may start and still reach into it: a window
 * closed on Thursday afternoon stays closed over the weekend and a holiday or two.
 */
const STRETCH_LOOKBACK_MS = 10 * 86_400_000;

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

/** A share as a percentage with one decimal. */
function rate(x: number | null): number | null {
  return x === null ? null : Math.round(x * 1000) / 10;
}

/**
 * The local day of instants read mostly in time order: the day's bounds are remembered,
 * so the zone is consulted once per day, not once per row.
 */
class DayOf {
  private start = Infinity;
  private end = -Infinity;
  private day = '';
  constructor(private readonly tz: string) {}
  of(ms: number): string {
    if (ms < this.start || ms >= this.end) {
      this.day = localDay(ms, this.tz);
      this.start = startOfLocalDay(this.day, this.tz);
      this.end = startOfLocalDay(addDays(this.day, 1), this.tz);
    }
    return this.day;
  }
}

function escapeHtml(v: unknown): string {
  return String(v ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The printable register of the files registered in a week (A4, Arabic, right to left),
 * saved beside each weekly backup: the paper copy of the center's rules. Null while the
 * database has no files table.
 */
export function weeklyRegisterHtml(db: Db, opts: { from: string; to: string; timeZone: string; centerName: string }): string | null {
  const has = db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'files'").pluck().get() as number;
  if (!has) return null;
  const start = startOfLocalDay(opts.from, opts.timeZone);
  const end = startOfLocalDay(addDays(opts.to, 1), opts.timeZone);
  const rows = db.prepare(
    `SELECT f.inquiry, f.status, f.due_day, f.registered_at, s.name_ar AS service, d.name_ar AS department, c.name AS citizen
     FROM files f JOIN services s ON s.id = f.service_id JOIN departments d ON d.id = f.department_id JOIN citizens c ON c.id = f.citizen_id
     WHERE f.registered_at >= ? AND f.registered_at < ? ORDER BY f.registered_at, f.id`,
  ).all(start, end) as { inquiry: string; status: FileStatus; due_day: string | null; registered_at: number; service: string; department: string; citizen: string }[];
  const time = new Intl.DateTimeFormat('ar-EG-u-nu-latn', { timeZone: opts.timeZone, dateStyle: 'short', timeStyle: 'short' });
  const body = rows.map((f, i) => `<tr><td>${i + 1}</td><td dir="ltr">${escapeHtml(displayInquiry(f.inquiry))}</td><td>${escapeHtml(time.format(f.registered_at))}</td>
<td>${escapeHtml(f.citizen)}</td><td>${escapeHtml(f.service)}</td><td>${escapeHtml(f.department)}</td><td>${escapeHtml(STATUS_WORDS[f.status]?.ar ?? f.status)}</td><td>${escapeHtml(f.due_day ?? '—')}</td></tr>`).join('\n');
  return `<!doctype html>
<html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>سجل الملفات الأسبوعي ${escapeHtml(opts.from)} — ${escapeHtml(opts.to)}</title>
<style>
@page { size: A4; margin: 12mm; }
body { font-family: 'Cairo', 'Noto Naskh Arabic', 'Amiri', sans-serif; font-size: 9.5pt; color: #000; }
h1 { font-size: 14pt; margin: 0; } header { display: flex; justify-content: space-between; border-bottom: 2px solid #000; margin-bottom: 4mm; padding-bottom: 2mm; }
table { width: 100%; border-collapse: collapse; } th, td { border: 1px solid #777; padding: 1mm 1.5mm; text-align: right; vertical-align: top; }
th { background: #eee; } thead { display: table-header-group; } tr { break-inside: avoid; }
footer { margin-top: 8mm; display: grid; grid-template-columns: 1fr 1fr; gap: 20mm; } footer div { border-top: 1px solid #000; text-align: center; padding-top: 2mm; }
</style></head><body>
<header><div><h1>سجل الملفات المقدمة خلال الأسبوع</h1><div>من ${escapeHtml(opts.from)} إلى ${escapeHtml(opts.to)} — عدد الملفات: ${rows.length}</div></div>
<div>${escapeHtml(opts.centerName)}</div></header>
<table><thead><tr><th>م</th><th>رقم الاستعلام</th><th>تاريخ التقديم</th><th>المواطن</th><th>الخدمة</th><th>الإدارة</th><th>المرحلة</th><th>تاريخ الاستحقاق</th></tr></thead>
<tbody>
${body || '<tr><td colspan="8">لا توجد ملفات في هذا الأسبوع</td></tr>'}
</tbody></table>
<footer><div>مشرف النظام</div><div>مدير المركز التكنولوجي</div></footer>
</body></html>
`;
}
