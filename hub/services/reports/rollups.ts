// Daily rollups (issue 12 item 11): the facts of each closed local day — and of each
// closed whole month — kept in report_days, so a report over two years adds ~24 months and
// the days at its edges instead of reading a million visits. The facts are the same ones a report reads directly (queue-stats.ts,
// execution.ts, money.ts), over one day; they add up exactly (counts, integer sums,
// histogram buckets), so a period's report from kept days equals the direct computation.
//
// Which days are kept, and why a kept day cannot go stale:
// - only days before today (the center's zone) are kept; today and later are always read;
// - a day is kept in the same transaction as the read that made it (better-sqlite3 is
//   synchronous, one connection: nothing commits in between); a month likewise, once its
//   last day is over;
// - every later change to a fact a kept day was made from deletes that day (triggers in
//   db/migrations/047_report_days.sql, days and months alike): a visit of that day changed (a parked ticket
//   cancelled when the next day starts), a window's stretch that reaches into it logged
//   when it ends (after midnight, or after the weekend), a file's stage change, a file's
//   department, service or due day changed, a receipt voided later. The next report, or
//   the closing job, makes it again.
// - names (lines, clerks, departments, services) and what is open or overdue now are
//   never kept: they are read at report time.
// Missing days are made on start and after midnight by `closeDays`, in slices, so the hub
// stays responsive; a report that finds a day missing makes (and keeps) it itself.
import type { Db } from '../../db/connection.ts';
import { addDays } from '../../domain/deadlines.ts';
import { localDay, startOfLocalDay, type Clock } from '../../domain/time.ts';
import { MAX_PERIOD_DAYS, type Period } from './period.ts';

export type RollupKind = 'queue' | 'execution' | 'money';

/** The facts' format; a kept day of another version is ignored and made again. */
export const ROLLUP_VERSION = 1;

/** A span of whole local days and its instants [start, end). */
export type DaySpan = { from: string; to: string; start: number; end: number };

export type FactSource<F> = {
  kind: RollupKind;
  /** The facts of a span of days, read from the tables. */
  read(span: DaySpan): F;
  /** Add facts into the report being made. */
  add(facts: F): void;
  /** The first local day with any fact, or null while there is none (nothing to close before it). */
  firstDay(): string | null;
};

/** The first day of the month after `day`'s. */
function nextMonth(day: string): string {
  const [y, m] = day.split('-').map(Number);
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

/** Told of each closed local day kept, inside the transaction that keeps it. */
export type KeptDayListener = (kind: RollupKind, day: string, facts: unknown) => void;

export class DayRollups {
  private readonly q;
  private readonly listeners = new Set<KeptDayListener>();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly tz: string,
  ) {
    this.q = {
      kept: db.prepare<[string, string, number], string>('SELECT facts FROM report_days WHERE kind = ? AND day = ? AND version = ?').pluck(),
      keptKeys: db.prepare<[string, number, string, string], string>(
        'SELECT day FROM report_days WHERE kind = ? AND version = ? AND day BETWEEN ? AND ?').pluck(),
      keep: db.prepare<[string, string, number, number, number, string]>(
        'INSERT OR REPLACE INTO report_days (kind, day, start_at, end_at, version, facts) VALUES (?, ?, ?, ?, ?, ?)'),
      dropOld: db.prepare<[number]>('DELETE FROM report_days WHERE version <> ?'),
    };
  }

  private span(from: string, to: string): DaySpan {
    return { from, to, start: startOfLocalDay(from, this.tz), end: startOfLocalDay(addDays(to, 1), this.tz) };
  }

  /** The closed spans of a period, in order: whole months where they fit, days at the edges. */
  private pieces(from: string, lastClosed: string): { key: string; from: string; to: string }[] {
    const out: { key: string; from: string; to: string }[] = [];
    for (let d = from; d <= lastClosed;) {
      const next = nextMonth(d);
      if (d.endsWith('-01') && addDays(next, -1) <= lastClosed) {
        out.push({ key: d.slice(0, 7), from: d, to: addDays(next, -1) });
        d = next;
      } else {
        out.push({ key: d, from: d, to: d });
        d = addDays(d, 1);
      }
    }
    return out;
  }

  /**
   * Add a period's facts into `src`: closed months and days as kept (read and kept first
   * when missing), today and later read as one span. With `direct`, the whole period is read as one span.
   */
  collect<F>(src: FactSource<F>, p: Period, direct = false): void {
    if (direct) {
      src.add(src.read(this.span(p.from, p.to)));
      return;
    }
    const today = localDay(this.clock(), this.tz);
    const lastClosed = p.to < today ? p.to : addDays(today, -1);
    for (const piece of this.pieces(p.from, lastClosed)) {
      const kept = this.q.kept.get(src.kind, piece.key, ROLLUP_VERSION);
      src.add(kept !== undefined ? (JSON.parse(kept) as F) : this.make(src, piece));
    }
    const open = p.from > lastClosed ? p.from : addDays(lastClosed, 1);
    if (open <= p.to) src.add(src.read(this.span(open, p.to)));
  }

  /** Read one closed day or month and keep it, in one transaction (with what the listeners write). */
  private make<F>(src: FactSource<F>, piece: { key: string; from: string; to: string }): F {
    return this.db.transaction(() => {
      const span = this.span(piece.from, piece.to);
      const facts = src.read(span);
      this.q.keep.run(src.kind, piece.key, span.start, span.end, ROLLUP_VERSION, JSON.stringify(facts));
      if (piece.from === piece.to) for (const fn of this.listeners) fn(src.kind, piece.key, facts);
      return facts;
    })();
  }

  /**
   * Be told of each closed day kept (not months: they are the sum of their days), inside
   * its transaction: the outbox to the governorate (hub/federation/outbox.ts) writes the
   * day there, so a day is kept and sent together or not at all. Returns the removal.
   */
  onKept(fn: KeptDayListener): () => void {
    this.listeners.add(fn);
    return () => void this.listeners.delete(fn);
  }

  /** The closed days of `kind` kept, from `from` on (oldest first), as kept. */
  keptDays<F>(kind: RollupKind, from: string): { day: string; facts: F }[] {
    return this.db.prepare<[string, number, string], { day: string; facts: string }>(
      "SELECT day, facts FROM report_days WHERE kind = ? AND version = ? AND day >= ? AND length(day) = 10 ORDER BY day").all(kind, ROLLUP_VERSION, from)
      .map((r) => ({ day: r.day, facts: JSON.parse(r.facts) as F }));
  }

  /**
   * Make the closed days and months not kept yet, over the longest period a report
   * covers, newest first, for at most `budgetMs`; true when none is left.
   */
  closeDays(sources: FactSource<unknown>[], budgetMs = Infinity): boolean {
    const t0 = performance.now();
    this.q.dropOld.run(ROLLUP_VERSION);
    const today = localDay(this.clock(), this.tz);
    const last = addDays(today, -1);
    const first = addDays(today, -MAX_PERIOD_DAYS - 1);
    // Every day, and every whole closed month, of the span.
    const pieces = [
      ...this.pieces(first, last).filter((x) => x.key.length === 7),
      ...Array.from({ length: MAX_PERIOD_DAYS + 1 }, (_, i) => { const d = addDays(last, -i); return { key: d, from: d, to: d }; }),
    ].sort((a, b) => (a.to < b.to ? 1 : a.to > b.to ? -1 : 0));
    for (const src of sources) {
      const since = src.firstDay();
      if (since === null) continue;
      const kept = new Set(this.q.keptKeys.all(src.kind, ROLLUP_VERSION, first.slice(0, 7), last));
      for (const piece of pieces) {
        if (kept.has(piece.key) || piece.to < since) continue;
        if (performance.now() - t0 > budgetMs) return false;
        this.make(src, piece);
      }
    }
    return true;
  }
}
