// Queue statistics (issue 6): tickets per line and hour, waits, service and walk times,
// no-shows, each window's and clerk's serving, idle and paused time, and the days.
// Two steps, so two years answer in a blink (issue 12 item 11): `queueFacts` reads the
// counts and sums of a span of time from SQLite — exact integers and histograms that add
// up across adjacent spans — and `QueueTally` adds spans and turns them into the report.
// A closed day's facts are kept (rollups.ts); only today and days not closed yet are read.
import type { Db } from '../../db/connection.ts';
import { staffKey } from '../../domain/actor.ts';
import { isNoShow } from '../../domain/appointments.ts';
import { minutes, percentileOfHistogram, share, summarizeHistogram, topBy } from '../../domain/stats.ts';
import { addBuckets, DayOf, dayCount, HourOfDay, inMinutes, rate, round1, type MinSummary, type Period } from './period.ts';

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
  /** Booked appointments whose slot starts in the period (issue 14 item 3): see appointmentFigures. */
  appointments: AppointmentFigures;
};

export type AppointmentFigures = { booked: number; checkedIn: number; late: number; cancelled: number; noShows: number };

/**
 * The bookings whose slot starts in [from, to): booked (not cancelled), checked in (of which
 * late: an ordinary ticket), cancelled, and no-shows — never checked in by the slot's end +
 * the center's late_min, as of `now` (domain/appointments.ts isNoShow). Read straight from
 * the bookings (a few a day), not through the day rollups: a booking turns into a no-show
 * only as time passes.
 */
export function appointmentFigures(db: Db, [from, to]: [number, number], now: number): AppointmentFigures {
  const lateMin = db.prepare<[], { late_min: number }>('SELECT late_min FROM appointment_settings WHERE id = 1').get()?.late_min ?? 0;
  const rows = db.prepare<[number, number], { status: string; late: number; slot_end_at: number }>(
    'SELECT status, late, slot_end_at FROM appointments WHERE slot_at >= ? AND slot_at < ?').all(from, to);
  const out: AppointmentFigures = { booked: 0, checkedIn: 0, late: 0, cancelled: 0, noShows: 0 };
  for (const r of rows) {
    if (r.status === 'cancelled') {
      out.cancelled++;
      continue;
    }
    out.booked++;
    if (r.status === 'checked_in') {
      out.checkedIn++;
      if (r.late) out.late++;
    } else if (isNoShow({ status: r.status, slotEndAt: r.slot_end_at }, now, lateMin)) out.noShows++;
  }
  return out;
}

/** SQL: the visit ended at a window after a call (served), as opposed to a no-show or a cancel. */
const SERVED = `(status IN ('done', 'transferred', 'parked') AND ended_at IS NOT NULL AND called_at IS NOT NULL)`;

/** Histogram buckets of durations: a tenth of a minute (the reports show minutes to one decimal). */
const HIST_MS = 6000;

/** Visits are placed on their local day by the quarter hour they entered the line in (every zone's midnight is on one). */
const QUARTER_MS = 900_000;

/**
 * A stretch of a window in one status is found by its start: most are short (a call, a
 * break, a night closed), so those reaching into a span start at most this long before it.
 * The few longer ones (a weekend or a holiday closed) are found through their own index,
 * window_status_log_long (db/migrations/047_report_days.sql: the same bound).
 */
export const STRETCH_LOOKBACK_MS = 86_400_000;

/**
 * The counts and sums of a span of time, as plain JSON (kept per closed day). Every field
 * adds up across adjacent spans: the facts of a period are the sum of its days' facts.
 */
export type QueueFacts = {
  /** Tickets: [day, letter, local hour, count]. */
  t: [string, string, number, number][];
  /** Visits by the line they entered: [line, visits, ended, noShows, served, waitSum, serviceSum, walkSum]. */
  l: [string, number, number, number, number, number, number, number][];
  /** Histograms per 'line|kind' (kind 0 wait, 1 service, 2 walk): flat [bucket, count, bucket, count, …]. */
  h: Record<string, number[]>;
  /** Per local day: [day, served, wait minute bucket or null, count]. */
  d: [string, number, number | null, number][];
  /** Finished stretches clipped to the span: [window, status, clerk, ms]. */
  w: [number, string, string | null, number][];
  /** Served visits per window and clerk: [key, served, serviceSum]. */
  bw: [number, number, number][];
  bc: [string, number, number][];
};

export class QueueQueries {
  readonly lines;
  readonly tickets;
  readonly lineAgg;
  readonly histograms;
  readonly daily;
  readonly statusTime;
  readonly windowsNow;
  readonly byWindow;
  readonly byClerk;
  readonly userNames;

  constructor(db: Db) {
    this.lines = db.prepare<[], { letter: string; name_ar: string; name_en: string }>('SELECT letter, name_ar, name_en FROM lines ORDER BY sort, letter');
    // Grouped by the UTC hour; the local hour is the UTC hour plus the day's offset.
    this.tickets = db.prepare<[string, string], [string, string, number, number]>(
      `SELECT day, letter, (issued_at / 3600000) % 24 AS utc_hour, count(*) FROM tickets
       WHERE day BETWEEN ? AND ? GROUP BY day, letter, utc_hour`).raw();
    // A visit is served when it ended at a window after a call (done, or sent on); a
    // no-show ended without service. Waits run from entering the line (or the requeue) to the call.
    this.lineAgg = db.prepare<{ start: number; end: number }, [string, number, number, number, number, number, number, number]>(
      `SELECT line, count(*) AS visits,
         coalesce(sum(status IN ('done', 'transferred', 'parked', 'no_show')), 0) AS ended,
         coalesce(sum(status = 'no_show'), 0) AS noShows,
         coalesce(sum(${SERVED}), 0) AS served,
         coalesce(sum(called_at - queued_at), 0) AS waitSum,
         coalesce(sum(CASE WHEN ${SERVED} THEN ended_at - coalesce(started_at, called_at) END), 0) AS serviceSum,
         coalesce(sum(started_at - called_at), 0) AS walkSum
       FROM visits WHERE queued_at >= @start AND queued_at < @end GROUP BY line`).raw();
    this.histograms = db.prepare<{ start: number; end: number }, [string, number, number, number]>(
      `SELECT line, kind, bucket, count(*) FROM (
         SELECT line, 0 AS kind, (called_at - queued_at) / ${HIST_MS} AS bucket FROM visits
           WHERE queued_at >= @start AND queued_at < @end AND called_at IS NOT NULL
         UNION ALL
         SELECT line, 1, (ended_at - coalesce(started_at, called_at)) / ${HIST_MS} FROM visits
           WHERE queued_at >= @start AND queued_at < @end AND ${SERVED}
         UNION ALL
         SELECT line, 2, (started_at - called_at) / ${HIST_MS} FROM visits
           WHERE queued_at >= @start AND queued_at < @end AND called_at IS NOT NULL AND started_at IS NOT NULL
       ) GROUP BY line, kind, bucket`).raw();
    // Per quarter hour of entering the line: served visits (bucket NULL), and the waits in whole minutes.
    this.daily = db.prepare<{ start: number; end: number }, [number, number, number | null, number]>(
      `SELECT queued_at / ${QUARTER_MS} AS q, count(*), NULL, 0 FROM visits
         WHERE queued_at >= @start AND queued_at < @end AND ${SERVED} GROUP BY q
       UNION ALL
       SELECT queued_at / ${QUARTER_MS} AS q, 0, (called_at - queued_at) / 60000 AS b, count(*) FROM visits
         WHERE queued_at >= @start AND queued_at < @end AND called_at IS NOT NULL GROUP BY q, b`).raw();
    // Milliseconds per window, clerk and status within [start, end): the stretches that start
    // within the lookback (window_status_log_from), and the long ones (window_status_log_long).
    this.statusTime = db.prepare<{ start: number; end: number; lookback: number }, [number, string, string | null, number]>(
      `SELECT window, status, clerk, sum(ms) FROM (
         SELECT window, status, clerk, min(to_at, @end) - max(from_at, @start) AS ms FROM window_status_log
           WHERE from_at >= @lookback AND from_at < @end AND to_at > @start
         UNION ALL
         SELECT window, status, clerk, min(to_at, @end) - max(from_at, @start) FROM window_status_log
           WHERE to_at - from_at > ${STRETCH_LOOKBACK_MS} AND to_at > @start AND from_at < @lookback
       ) GROUP BY window, status, clerk`).raw();
    this.windowsNow = db.prepare<[], { number: number; status: string; clerk: string | null; status_since: number }>(
      'SELECT number, status, clerk, status_since FROM windows');
    this.byWindow = db.prepare<{ start: number; end: number }, [number, number, number]>(
      `SELECT window, count(*), sum(ended_at - coalesce(started_at, called_at)) FROM visits
       WHERE queued_at >= @start AND queued_at < @end AND ${SERVED} AND window IS NOT NULL GROUP BY window`).raw();
    this.byClerk = db.prepare<{ start: number; end: number }, [string, number, number]>(
      `SELECT served_by, count(*), sum(ended_at - coalesce(started_at, called_at)) FROM visits
       WHERE queued_at >= @start AND queued_at < @end AND ${SERVED} AND served_by IS NOT NULL GROUP BY served_by`).raw();
    this.userNames = db.prepare<[], { id: number; name: string }>('SELECT id, name FROM users');
  }
}

/**
 * The facts of the local days `from`..`to`, whose instants are [start, end): read from the
 * tables. Over one day it is what a closed day keeps; over a period, the direct computation.
 */
export function queueFacts(q: QueueQueries, tz: string, span: { from: string; to: string; start: number; end: number }): QueueFacts {
  const { start, end } = span;
  const range = { start, end };
  const hod = new HourOfDay(tz);
  const t: QueueFacts['t'] = [];
  for (const [day, letter, utcHour, n] of q.tickets.iterate(span.from, span.to)) {
    t.push([day, letter, hod.of(utcHour * 3_600_000 + Date.parse(`${day}T00:00:00Z`), day), n]);
  }
  const h: QueueFacts['h'] = {};
  for (const [line, kind, bucket, n] of q.histograms.iterate(range)) (h[`${line}|${kind}`] ??= []).push(bucket, n);
  // The day of a visit is the local day of the quarter hour it entered the line in.
  const dayOf = new DayOf(tz);
  const d: QueueFacts['d'] = [];
  for (const [qh, served, bucket, n] of q.daily.iterate(range)) d.push([dayOf.of(qh * QUARTER_MS), served, bucket, n]);
  return {
    t,
    l: q.lineAgg.all(range),
    h,
    d,
    w: q.statusTime.all({ start, end, lookback: start - STRETCH_LOOKBACK_MS }),
    bw: q.byWindow.all(range),
    bc: q.byClerk.all(range),
  };
}

type LineAgg = { visits: number; ended: number; noShows: number; served: number; waitSum: number; serviceSum: number; walkSum: number };
const KIND = ['wait', 'service', 'walk'] as const;

/** Facts added up, then read out as the report. */
export class QueueTally {
  private readonly perLine = new Map<string, number>();
  private readonly perLineHour = new Map<string, number>(); // 'A|9'
  private readonly perHour = new Array<number>(24).fill(0);
  private readonly perDay = new Map<string, { tickets: number; served: number; waits: Map<number, number> }>();
  private readonly lineAgg = new Map<string, LineAgg>();
  private readonly hist = new Map<string, Map<number, number>>(); // 'A|0'
  private readonly windowTime = new Map<number, Record<string, number>>();
  private readonly clerkTime = new Map<string, Record<string, number>>();
  private readonly byWindow = new Map<number, { served: number; serviceSum: number }>();
  private readonly byClerk = new Map<string, { served: number; serviceSum: number }>();

  private dayOf(d: string) {
    let e = this.perDay.get(d);
    if (!e) this.perDay.set(d, (e = { tickets: 0, served: 0, waits: new Map() }));
    return e;
  }

  addTime(w: number, clerk: string | null, status: string, ms: number): void {
    if (ms <= 0) return;
    const wt = this.windowTime.get(w) ?? {};
    wt[status] = (wt[status] ?? 0) + ms;
    this.windowTime.set(w, wt);
    if (clerk) {
      const ct = this.clerkTime.get(clerk) ?? {};
      ct[status] = (ct[status] ?? 0) + ms;
      this.clerkTime.set(clerk, ct);
    }
  }

  add(f: QueueFacts): void {
    for (const [day, letter, h, n] of f.t) {
      this.perLine.set(letter, (this.perLine.get(letter) ?? 0) + n);
      const k = `${letter}|${h}`;
      this.perLineHour.set(k, (this.perLineHour.get(k) ?? 0) + n);
      this.perHour[h] += n;
      this.dayOf(day).tickets += n;
    }
    for (const [line, visits, ended, noShows, served, waitSum, serviceSum, walkSum] of f.l) {
      const a = this.lineAgg.get(line);
      if (!a) this.lineAgg.set(line, { visits, ended, noShows, served, waitSum, serviceSum, walkSum });
      else {
        a.visits += visits; a.ended += ended; a.noShows += noShows; a.served += served;
        a.waitSum += waitSum; a.serviceSum += serviceSum; a.walkSum += walkSum;
      }
    }
    for (const key in f.h) {
      let m = this.hist.get(key);
      if (!m) this.hist.set(key, (m = new Map()));
      const flat = f.h[key];
      for (let i = 0; i < flat.length; i += 2) m.set(flat[i], (m.get(flat[i]) ?? 0) + flat[i + 1]);
    }
    for (const [day, served, bucket, n] of f.d) {
      const e = this.dayOf(day);
      if (bucket === null) e.served += served;
      else e.waits.set(bucket, (e.waits.get(bucket) ?? 0) + n);
    }
    for (const [w, status, clerk, ms] of f.w) this.addTime(w, clerk, status, ms);
    for (const [k, served, serviceSum] of f.bw) {
      const e = this.byWindow.get(k);
      if (!e) this.byWindow.set(k, { served, serviceSum });
      else { e.served += served; e.serviceSum += serviceSum; }
    }
    for (const [k, served, serviceSum] of f.bc) {
      const e = this.byClerk.get(k);
      if (!e) this.byClerk.set(k, { served, serviceSum });
      else { e.served += served; e.serviceSum += serviceSum; }
    }
  }

  /** The report; the windows' current stretches (not in the log yet) are added up to `now`. */
  report(q: QueueQueries, p: Period, bounds: [number, number], now: number): Omit<QueueStats, 'appointments'> {
    const [start, end] = bounds;
    for (const w of q.windowsNow.all()) {
      if (w.status_since > 0) this.addTime(w.number, w.clerk, w.status, Math.min(now, end) - Math.max(w.status_since, start));
    }
    return this.readOut(p, q.lines.all(), new Map(q.userNames.all().map((u) => [staffKey(u), u.name])));
  }

  /**
   * The report from the facts added, with the center's lines (in its order) and its staff's
   * names — read from the center's tables (report()), or carried to the governorate with the
   * closed days (hub/central/reports.ts, no clerks there): one definition for both.
   */
  readOut(p: Period, lineRows: readonly { letter: string; name_ar: string; name_en: string }[], names: ReadonlyMap<string, string>): Omit<QueueStats, 'appointments'> {
    const days = dayCount(p);
    const { perLine, perLineHour, perHour, perDay, lineAgg, hist, windowTime, clerkTime, byWindow, byClerk } = this;

    // The totals' histograms gather every line's buckets.
    const histOf = (line: string, kind: number): [number, number][] => {
      const all = new Map<number, number>();
      if (line !== '*') addBuckets(all, hist.get(`${line}|${kind}`) ?? []);
      else for (const [key, m] of hist) if (key.endsWith(`|${kind}`)) addBuckets(all, m);
      return [...all].map(([b, n]) => [b * HIST_MS, n]);
    };
    const summary = (line: string, kind: (typeof KIND)[number], sum: number): MinSummary => inMinutes(summarizeHistogram(histOf(line, KIND.indexOf(kind)), sum));

    const hourly: QueueStats['hourly'] = [];
    for (const [k, n] of perLineHour) {
      const [line, h] = k.split('|');
      hourly.push({ line, hour: Number(h), tickets: n, perDay: round1(n / days) });
    }
    hourly.sort((a, b) => a.line.localeCompare(b.line) || a.hour - b.hour);
    const knownLines = new Map(lineRows.map((l) => [l.letter, l]));
    // The lines of the center in their order, then any letter no longer in it, alphabetically.
    const extra = [...new Set([...lineAgg.keys(), ...perLine.keys()])].filter((l) => !knownLines.has(l)).sort();
    const lineLetters = [...lineRows.map((l) => l.letter), ...extra];
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
        day, tickets: e.tickets, served: e.served, medianWaitMin: minutes(percentileOfHistogram([...e.waits].map(([b, n]) => [b * 60_000, n]), 50)),
      })),
    };
  }
}

const isInt = (v: unknown, min = 0): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= min;
/** Sums and duration buckets: any integer (a clock stepped back mid-visit makes a negative one; the center counts it too). */
const isSum = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
const LETTER = /^[A-Z]{1,3}$/;
const WINDOW_STATUS = new Set(['idle', 'serving', 'paused', 'closed']);
const MAX_QUEUE_ENTRIES = 100_000;

/**
 * Whether `x` is one local day's QueueFacts as queueFacts() writes them, without clerks (the
 * governorate's copy: ClosedQueueDay): the governorate refuses anything else.
 */
export function checkQueueFacts(x: unknown, day: string): string | null {
  if (!x || typeof x !== 'object' || Array.isArray(x)) return 'facts are not an object';
  const f = x as Record<string, unknown>;
  if (Object.keys(f).length !== 7) return 'not the queue facts\' fields';
  const list = (k: string, ok: (t: unknown[]) => boolean): string | null => {
    const a = f[k];
    if (!Array.isArray(a) || a.length > MAX_QUEUE_ENTRIES) return `${k} is not a list`;
    for (const t of a) if (!Array.isArray(t) || !ok(t)) return `${k}: ${JSON.stringify(t)?.slice(0, 60)} is not in shape`;
    return null;
  };
  const bad = list('t', (t) => t.length === 4 && t[0] === day && LETTER.test(String(t[1])) && isInt(t[2]) && (t[2] as number) < 24 && isInt(t[3], 1))
    ?? list('l', (t) => t.length === 8 && typeof t[0] === 'string' && LETTER.test(t[0]) && t.slice(1, 5).every((v) => isInt(v)) && t.slice(5).every(isSum))
    ?? list('d', (t) => t.length === 4 && t[0] === day && isInt(t[1]) && (t[2] === null || isSum(t[2])) && isInt(t[3]))
    ?? list('w', (t) => t.length === 4 && isInt(t[0], 1) && WINDOW_STATUS.has(String(t[1])) && t[2] === null && isSum(t[3]))
    ?? list('bw', (t) => t.length === 3 && isInt(t[0], 1) && isInt(t[1], 1) && isSum(t[2]))
    ?? (Array.isArray(f.bc) && f.bc.length === 0 ? null : 'bc: the governorate gets no clerks');
  if (bad) return bad;
  const h = f.h;
  if (!h || typeof h !== 'object' || Array.isArray(h) || Object.keys(h).length > MAX_QUEUE_ENTRIES) return 'h is not an object';
  for (const [key, flat] of Object.entries(h)) {
    if (!/^[A-Z]{1,3}\|[012]$/.test(key)) return `histogram ${key.slice(0, 20)} is not line|kind`;
    if (!Array.isArray(flat) || flat.length % 2 || flat.length > MAX_QUEUE_ENTRIES || !flat.every((v, i) => (i % 2 ? isInt(v, 1) : isSum(v)))) return `histogram ${key}: not [bucket, count, …]`;
  }
  return null;
}

/** A day's facts without who served (the governorate's copy): stretches without clerk, no per-clerk counts. */
export function withoutClerks(f: QueueFacts): QueueFacts {
  return { ...f, w: f.w.map(([w, status, , ms]) => [w, status, null, ms]), bc: [] };
}

/** The same facts with each line letter named otherwise (several centers in one tally: 'center/A'). */
export function renameQueueLines(f: QueueFacts, line: (letter: string) => string): QueueFacts {
  const h: QueueFacts['h'] = {};
  for (const key in f.h) {
    const bar = key.lastIndexOf('|');
    h[`${line(key.slice(0, bar))}|${key.slice(bar + 1)}`] = f.h[key];
  }
  return {
    t: f.t.map(([d, l, hr, n]) => [d, line(l), hr, n]),
    l: f.l.map(([l, ...rest]) => [line(l), ...rest]),
    h, d: f.d, w: [], bw: [], bc: [],
  };
}
