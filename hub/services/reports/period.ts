// What every report shares: the period (inclusive local days 'YYYY-MM-DD' in the center's
// zone) and its checks, the caller's department scope, and the small figures helpers
// (rates, minutes, weeks, the hour and day of an instant). The reports themselves are
// one file each beside this one.
import { DomainError } from '../../domain/errors.ts';
import { addDays } from '../../domain/deadlines.ts';
import { minutes, type Summary } from '../../domain/stats.ts';
import { localDay, localParts, startOfLocalDay } from '../../domain/time.ts';

export type Period = { from: string; to: string };

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
/** The longest period one report covers (two years and a bit), so a typo cannot ask for a century. */
export const MAX_PERIOD_DAYS = 800;

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

/** The instants [start, end) of a period's local days. */
export function periodBounds(p: Period, tz: string): [number, number] {
  checkPeriod(p);
  return [startOfLocalDay(p.from, tz), startOfLocalDay(addDays(p.to, 1), tz)];
}

export function dayCount(p: Period): number {
  return Math.round((Date.parse(p.to) - Date.parse(p.from)) / 86_400_000) + 1;
}

/** Minutes summary of a sample set, for the tables (median, 90th percentile, mean). */
export type MinSummary = { n: number; medianMin: number | null; p90Min: number | null; meanMin: number | null };
export function inMinutes(s: Summary): MinSummary {
  return { n: s.n, medianMin: minutes(s.median), p90Min: minutes(s.p90), meanMin: minutes(s.mean) };
}

/** The Sunday that starts the week of a day (weekday of the date itself, no zone). */
export function weekOf(day: string): string {
  const wd = new Date(`${day}T12:00:00Z`).getUTCDay();
  return addDays(day, -wd);
}

/** The departments a caller may see: null = all. */
export type Scope = number[] | null;

export function inScope(scope: Scope, alias: string): { sql: string; args: number[] } {
  if (scope === null) return { sql: '', args: [] };
  if (!scope.length) return { sql: ' AND 0', args: [] };
  return { sql: ` AND ${alias}.department_id IN (${scope.map(() => '?').join(',')})`, args: scope };
}

/** The same scope as a test on a department id. */
export function scopeHas(scope: Scope): (dept: number) => boolean {
  if (scope === null) return () => true;
  const s = new Set(scope);
  return (d) => s.has(d);
}

export function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

/** A share as a percentage with one decimal. */
export function rate(x: number | null): number | null {
  return x === null ? null : Math.round(x * 1000) / 10;
}

/** The zone's offset at local noon of each day, cached: the hour of an instant without Intl per row. */
export class HourOfDay {
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

/**
 * The local day of instants read mostly in time order: the day's bounds are remembered,
 * so the zone is consulted once per day, not once per row.
 */
export class DayOf {
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

/** Add the counts of a [value, count][] list into a map. */
export function addBuckets(into: Map<number, number>, b: Iterable<readonly [number, number]>): void {
  for (const [v, c] of b) into.set(v, (into.get(v) ?? 0) + c);
}
