// Legal deadlines: a file or complaint must be decided within the service's legal period,
// counted in calendar days or in working days (Friday and Saturday are the weekend;
// official holidays come from the holidays table and are passed in). Days are local days
// in the center's zone (Africa/Cairo). Pure.
import { localDay, startOfLocalDay } from './time.ts';

export type PeriodKind = 'calendar' | 'working';

export type DueInput = {
  /** The instant the period starts (approval, registration). */
  start: number;
  days: number;
  kind: PeriodKind;
  /** Official holidays, 'YYYY-MM-DD'. */
  holidays?: ReadonlySet<string> | readonly string[];
  timeZone?: string;
};

export type Due = {
  /** The last day of the period, 'YYYY-MM-DD' (local). */
  day: string;
  /** The instant the period ends: local midnight after the last day. */
  endsAt: number;
};

const FRIDAY = 5;
const SATURDAY = 6;

/** 'YYYY-MM-DD' plus n days (calendar arithmetic on the date itself, zone-free). */
export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** Weekday of a 'YYYY-MM-DD' date, 0 = Sunday. */
export function weekday(day: string): number {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

export function isWorkingDay(day: string, holidays: ReadonlySet<string>): boolean {
  const w = weekday(day);
  return w !== FRIDAY && w !== SATURDAY && !holidays.has(day);
}

function nextWorkingDayFrom(day: string, holidays: ReadonlySet<string>): string {
  let d = day;
  // A year of holidays back to back cannot happen; the bound only guards bad data.
  for (let i = 0; i < 400 && !isWorkingDay(d, holidays); i++) d = addDays(d, 1);
  return d;
}

/**
 * The due day. The period starts the day after the start day (the start day is not
 * counted). Calendar periods whose last day is a weekend day or a holiday run on to the
 * next working day, as the law extends a period that ends on an official day off.
 * Working-day periods count only working days. A period of 0 days is due the start day.
 */
export function dueDate(input: DueInput): Due {
  if (!Number.isInteger(input.days) || input.days < 0) throw new RangeError('days must be a whole number ≥ 0');
  const tz = input.timeZone ?? 'Africa/Cairo';
  const holidays = input.holidays instanceof Set ? input.holidays : new Set(input.holidays ?? []);
  const startDay = localDay(input.start, tz);
  let day: string;
  if (input.days === 0) {
    day = startDay;
  } else if (input.kind === 'calendar') {
    day = nextWorkingDayFrom(addDays(startDay, input.days), holidays);
  } else {
    day = startDay;
    let left = input.days;
    while (left > 0) {
      day = addDays(day, 1);
      if (isWorkingDay(day, holidays)) left--;
    }
  }
  return { day, endsAt: startOfLocalDay(addDays(day, 1), tz) };
}

/** Past the end of the due day. */
export function isOverdue(dueDay: string, now: number, timeZone = 'Africa/Cairo'): boolean {
  return now >= startOfLocalDay(addDays(dueDay, 1), timeZone);
}

/** Whole calendar days after the due day (0 when not late). */
export function daysLate(dueDay: string, now: number, timeZone = 'Africa/Cairo'): number {
  const today = localDay(now, timeZone);
  if (today <= dueDay) return 0;
  const [a, b] = [today, dueDay].map((d) => {
    const [y, m, dd] = d.split('-').map(Number);
    return Date.UTC(y, m - 1, dd);
  });
  return Math.round((a - b) / 86_400_000);
}

/** Days left until the due day ends (negative when late), for dashboards. */
export function daysLeft(dueDay: string, now: number, timeZone = 'Africa/Cairo'): number {
  const late = daysLate(dueDay, now, timeZone);
  if (late > 0) return -late;
  const today = localDay(now, timeZone);
  const [y1, m1, d1] = today.split('-').map(Number);
  const [y2, m2, d2] = dueDay.split('-').map(Number);
  return Math.round((Date.UTC(y2, m2 - 1, d2) - Date.UTC(y1, m1 - 1, d1)) / 86_400_000);
}
