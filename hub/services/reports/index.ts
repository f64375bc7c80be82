// The supervision reports (issue 6), one file each beside this one: queue statistics
// (queue-stats.ts), execution and bottlenecks (execution.ts), money (money.ts), complaints
// (complaints.ts), device health (device-health.ts), and the weekly printable register
// (weekly-register.ts). Periods are inclusive local days in the center's zone (period.ts).
// The period reports add up daily rollups of the closed days (rollups.ts), so any period
// up to two years answers quickly with the figures a direct read gives (`direct: true`
// reads the tables over the whole period, for the tests that compare both).
import type { HubConfig } from '../../config.ts';
import type { Db } from '../../db/connection.ts';
import { localDay, type Clock } from '../../domain/time.ts';
import type { Alert } from '../alerts.ts';
import { complaintsReport, type ComplaintsReport } from './complaints.ts';
import { deviceHealthReport, type DeviceHealthReport } from './device-health.ts';
import { ExecutionQueries, ExecutionTally, executionFacts, executionIds, type ExecutionFacts, type ExecutionNames, type ExecutionReport, type OverdueFile } from './execution.ts';
import { MoneyQueries, MoneyTally, moneyFacts, type MoneyFacts, type MoneyReport } from './money.ts';
import { periodBounds, type Period, type Scope } from './period.ts';
import { appointmentFigures, QueueQueries, QueueTally, queueFacts, withoutClerks, type QueueFacts, type QueueStats } from './queue-stats.ts';
import { DayRollups, type FactSource } from './rollups.ts';

export type { ComplaintDeptRow, ComplaintsReport } from './complaints.ts';
export type { DeviceHealthReport, DeviceHealthRow } from './device-health.ts';
export type { ExecutionFacts, ExecutionNames, ExecutionReport, ExecutionRow, OverdueFile } from './execution.ts';
export type { MoneyReport } from './money.ts';
export { checkPeriod, weekOf, type MinSummary, type Period, type Scope } from './period.ts';
export type { QueueClerkStats, QueueFacts, QueueLineStats, QueueStats, QueueWindowStats } from './queue-stats.ts';
export { weeklyRegisterHtml } from './weekly-register.ts';

/**
 * A closed day of a center as the governorate receives it (the outbox's 'report' row): the
 * day's execution facts, the names they need, and the files overdue as of `at` (or null).
 */
export type ClosedDay = { day: string; execution: ExecutionFacts; names: ExecutionNames; overdue: OverdueFile[] | null; at: number };

/** A closed day's queue facts as the governorate receives them (the outbox's 'report.queue'): no clerks; the lines [letter, Arabic, English]. */
export type ClosedQueueDay = { day: string; queue: QueueFacts; lines: [string, string, string][]; at: number };

/** `direct`: read the tables over the whole period instead of the kept days. */
export type ReportOptions = { direct?: boolean };

export class ReportService {
  private readonly queueQ: QueueQueries;
  private readonly executionQ: ExecutionQueries;
  private readonly moneyQ: MoneyQueries;
  readonly rollups: DayRollups;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly config: HubConfig,
  ) {
    this.queueQ = new QueueQueries(db);
    this.executionQ = new ExecutionQueries(db);
    this.moneyQ = new MoneyQueries(db);
    this.rollups = new DayRollups(db, clock, config.timezone);
  }

  /** Every device with presence, last seen, printer and firmware, and the open alerts. */
  deviceHealth(openAlerts: Alert[]): DeviceHealthReport {
    return deviceHealthReport(this.db, this.clock(), openAlerts);
  }

  queueStats(p: Period, o: ReportOptions = {}): QueueStats {
    const bounds = periodBounds(p, this.config.timezone);
    const tally = new QueueTally();
    this.rollups.collect(this.queueSource((f) => tally.add(f)), p, o.direct);
    return { ...tally.report(this.queueQ, p, bounds, this.clock()), appointments: appointmentFigures(this.db, bounds, this.clock()) };
  }

  execution(p: Period, scope: Scope, o: ReportOptions = {}): ExecutionReport {
    periodBounds(p, this.config.timezone);
    const tally = new ExecutionTally(scope);
    this.rollups.collect(this.executionSource((f) => tally.add(f)), p, o.direct);
    return tally.report(this.executionQ, p, scope, this.clock(), this.config.timezone);
  }

  /** Collections per cashier day and per fee item (valid receipts), and voids with their reasons. */
  money(p: Period, scope: Scope, o: ReportOptions = {}): MoneyReport {
    periodBounds(p, this.config.timezone);
    const tally = new MoneyTally();
    this.rollups.collect(this.moneySource((f) => tally.add(f)), p, o.direct);
    return tally.report(this.moneyQ, p, scope);
  }

  /** Complaints registered in the period by department and channel; open and overdue now. */
  complaints(p: Period, scope: Scope): ComplaintsReport {
    return complaintsReport(this.db, p, scope, this.clock(), this.config.timezone);
  }

  /**
   * One closed day's execution facts as the governorate's central tier receives them (issue
   * 13 item 4; hub/federation/outbox.ts → hub/central/reports.ts): the facts as kept, the
   * names (and catalog codes) of the departments and services they mention, and — when
   * `withOverdue` — the files overdue as of now, so the governorate's report reads out with
   * ExecutionTally.readOut exactly as the center's own.
   */
  closedDay(day: string, facts: ExecutionFacts, withOverdue: boolean): ClosedDay {
    const overdue = withOverdue ? this.executionQ.overdueNow(localDay(this.clock(), this.config.timezone), null) : null;
    const ids = executionIds(facts, overdue ?? []);
    const services = this.executionQ.services.all().filter((x) => ids.services.has(x.id));
    for (const x of services) ids.departments.add(x.department_id);
    return {
      day, execution: facts, overdue, at: this.clock(),
      names: {
        departments: this.executionQ.departments.all().filter((d) => ids.departments.has(d.id)).map((d) => [d.id, d.name_ar, d.code]),
        services: services.map((x) => [x.id, x.name_ar, x.department_id, x.code]),
      },
    };
  }

  /**
   * One closed day's queue facts for the governorate: without who served (stretches without
   * clerk, no per-clerk counts: the governorate gets no staff), with the center's lines.
   */
  closedQueueDay(day: string, facts: QueueFacts): ClosedQueueDay {
    return { day, queue: withoutClerks(facts), lines: this.queueQ.lines.all().map((l) => [l.letter, l.name_ar, l.name_en]), at: this.clock() };
  }

  /** Be told of each closed day's execution and queue facts kept, inside its transaction (see closedDay). Returns the removal. */
  onClosedDay(fn: (kind: 'execution' | 'queue', day: string, facts: ExecutionFacts | QueueFacts) => void): () => void {
    return this.rollups.onKept((kind, day, facts) => {
      if (kind === 'execution' || kind === 'queue') fn(kind, day, facts as ExecutionFacts | QueueFacts);
    });
  }

  /** The closed days' execution facts kept, from `from` on. */
  keptExecutionDays(from: string): { day: string; facts: ExecutionFacts }[] {
    return this.rollups.keptDays<ExecutionFacts>('execution', from);
  }

  /** The closed days' queue facts kept, from `from` on. */
  keptQueueDays(from: string): { day: string; facts: QueueFacts }[] {
    return this.rollups.keptDays<QueueFacts>('queue', from);
  }

  /** Make the closed days' rollups not kept yet, for at most `budgetMs`; true when all are kept. */
  closeDays(budgetMs = Infinity): boolean {
    const none = () => {};
    return this.rollups.closeDays([this.queueSource(none), this.executionSource(none), this.moneySource(none)] as FactSource<unknown>[], budgetMs);
  }

  /**
   * Keep the rollups made in the background: on start (the missing days of two years), and
   * every few minutes after (yesterday once midnight has passed, any day a late change
   * deleted), a slice at a time so requests go on in between. Returns stop().
   */
  schedule(onError: (err: unknown) => void, idleMs = 10 * 60_000): () => void {
    let timer: NodeJS.Timeout | null = null;
    let stopped = false;
    const tick = () => {
      if (stopped) return;
      let done = true;
      try {
        done = this.closeDays(50);
      } catch (err) {
        onError(err);
      }
      timer = setTimeout(tick, done ? idleMs : 10);
      timer.unref();
    };
    timer = setTimeout(tick, 1000);
    timer.unref();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }

  private queueSource(add: (f: QueueFacts) => void): FactSource<QueueFacts> {
    return {
      kind: 'queue', read: (span) => queueFacts(this.queueQ, this.config.timezone, span), add,
      firstDay: () => this.firstDay(['SELECT min(queued_at) FROM visits', 'SELECT min(from_at) FROM window_status_log'], 'SELECT min(day) FROM tickets'),
    };
  }

  private executionSource(add: (f: ExecutionFacts) => void): FactSource<ExecutionFacts> {
    // A file's events and stays all come after its registration.
    return {
      kind: 'execution', read: (span) => executionFacts(this.executionQ, this.config.timezone, span), add,
      firstDay: () => this.firstDay(['SELECT min(registered_at) FROM files']),
    };
  }

  private moneySource(add: (f: MoneyFacts) => void): FactSource<MoneyFacts> {
    return { kind: 'money', read: (span) => moneyFacts(this.moneyQ, span), add, firstDay: () => this.firstDay([], 'SELECT min(day) FROM receipts') };
  }

  /** The earliest local day of some instants (min over indexed columns) and days. */
  private firstDay(instants: string[], day?: string): string | null {
    const days: string[] = [];
    for (const sql of instants) {
      const at = this.db.prepare(sql).pluck().get() as number | null;
      if (at !== null) days.push(localDay(at, this.config.timezone));
    }
    const d = day ? (this.db.prepare(day).pluck().get() as string | null) : null;
    if (d !== null) days.push(d);
    return days.length ? days.sort()[0] : null;
  }
}
