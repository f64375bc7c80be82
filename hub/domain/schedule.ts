// The center's week: opening hours (device alerts count only then) and the weekly
// backup's next run. Wall-clock times are in the center's zone. Pure.
import { localDay, localParts, startOfLocalDay } from './time.ts';

/** 'HH:MM' → minutes after midnight; null if malformed. */
export function parseHm(hm: string): number | null {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hm.trim());
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

export type OpeningHours = {
  /** Weekdays the center opens, 0 = Sunday … 6 = Saturday (Egypt's offices: Sunday–Thursday). */
  days: number[];
  /** Minutes after local midnight. */
  openMin: number;
  closeMin: number;
};

/** Is the center open at this instant? Holidays are 'YYYY-MM-DD' local days when it is closed. */
export function isOpenAt(ms: number, hours: OpeningHours, timeZone: string, holidays: ReadonlySet<string> = new Set()): boolean {
  const p = localParts(ms, timeZone);
  if (!hours.days.includes(p.weekday)) return false;
  if (holidays.has(localDay(ms, timeZone))) return false;
  const min = p.hour * 60 + p.minute;
  return min >= hours.openMin && min < hours.closeMin;
}

/**
 * Is a line taking tickets at this wall-clock time? Its own hours ('HH:MM' center time)
 * when set, from inclusive to until exclusive; no hours of its own = no limit here.
 */
export function withinLineHours(ms: number, from: string | null, until: string | null, timeZone: string): boolean {
  if (!from && !until) return true;
  const p = localParts(ms, timeZone);
  const min = p.hour * 60 + p.minute;
  const lo = from ? parseHm(from) ?? 0 : 0;
  const hi = until ? parseHm(until) ?? 24 * 60 : 24 * 60;
  return min >= lo && min < hi;
}

export type WeeklySlot = { weekday: number; minute: number };

/**
 * The first instant strictly after `afterMs` that falls on the weekly slot (local time).
 * Steps through local days so daylight-saving changes move the instant, not the wall time.
 */
export function nextWeeklyRun(afterMs: number, slot: WeeklySlot, timeZone: string): number {
  const today = localDay(afterMs, timeZone);
  const [y, m, d] = today.split('-').map(Number);
  for (let i = 0; i <= 7; i++) {
    const day = new Date(Date.UTC(y, m - 1, d + i)).toISOString().slice(0, 10);
    if (new Date(`${day}T12:00:00Z`).getUTCDay() !== slot.weekday) continue;
    let at = startOfLocalDay(day, timeZone) + slot.minute * 60_000;
    // A day that starts at 01:00 (clocks moved at midnight): correct to the wall time.
    const p = localParts(at, timeZone);
    at -= (p.hour * 60 + p.minute - slot.minute) * 60_000;
    if (at > afterMs) return at;
  }
  // Unreachable: some day within eight days matches the weekday after afterMs.
  throw new Error('no weekly slot found');
}
