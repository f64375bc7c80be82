// Booked appointments, pure (issue 14 item 3): the free slots of a line on a day, the
// booking code and its check digit, and what happens when the citizen arrives.
// No I/O and no clock of its own: the service (hub/services/appointments.ts) passes the
// time, the center's rules (appointment_settings, migration 049), its opening hours and
// holidays, and the counts it read from SQLite.
//
// Rules (from the issue and the center's settings):
//  - a day is bookable when it is one of the center's opening days, is not Friday or
//    Saturday (Egypt's weekend, whatever the opening days say), and not an official holiday;
//  - slots of `slotMin` minutes run from the later of the center's and the line's opening
//    time to the earlier of their closing times; a slot must end by closing time;
//  - capacity per slot = windows that serve the line × bookings per window per slot;
//  - a slot whose start is not after `now` is past: not offered, and a booking is refused;
//  - arriving: earlier than `earlyMin` before the slot → refused (come back at …);
//    up to `lateMin` after the slot start → a booked ticket, called ahead of walk-ins once
//    the slot time has come; later → an ordinary ticket (counted late).
import { DomainError } from './errors.ts';
import { parseHm } from './schedule.ts';
import { localDay, localParts, startOfLocalDay } from './time.ts';

export type AppointmentRules = { slotMin: number; perWindow: number; earlyMin: number; lateMin: number; daysAhead: number };

export type CenterWeek = {
  /** The center's opening weekdays, 0 = Sunday (SHUBBAK_OPEN_DAYS). */
  days: readonly number[];
  openFrom: string;
  openUntil: string;
  holidays: ReadonlySet<string>;
};

/** Friday and Saturday: closed for bookings whatever else is configured (issue 14 item 3). */
export const WEEKEND: readonly number[] = [5, 6];

export type Slot = { hm: string; at: number; endAt: number; capacity: number; booked: number; free: number };

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar day 'YYYY-MM-DD', or null. */
export function parseDay(day: string): string | null {
  if (!DAY_RE.test(day)) return null;
  const d = new Date(`${day}T12:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === day ? day : null;
}

function weekdayOf(day: string): number {
  return new Date(`${day}T12:00:00Z`).getUTCDay();
}

/** The instant of wall-clock `minute` (after midnight) on `day` in the zone, DST-safe. */
export function localInstant(day: string, minute: number, timeZone: string): number {
  let at = startOfLocalDay(day, timeZone) + minute * 60_000;
  const p = localParts(at, timeZone);
  at -= (p.hour * 60 + p.minute - minute) * 60_000;
  return at;
}

const hm = (min: number) => `${String(Math.floor(min / 60)).padStart(2, '0')}:${String(min % 60).padStart(2, '0')}`;

/** Why a day takes no bookings, or null when it does (Arabic for the citizen). */
export function closedDayReason(day: string, week: CenterWeek, now: number, rules: AppointmentRules, timeZone: string): string | null {
  const today = localDay(now, timeZone);
  if (day < today) return 'هذا اليوم مضى';
  const last = new Date(Date.UTC(+today.slice(0, 4), +today.slice(5, 7) - 1, +today.slice(8, 10) + rules.daysAhead)).toISOString().slice(0, 10);
  if (day > last) return `الحجز متاح حتى ${rules.daysAhead} يومًا مقدمًا فقط`;
  const wd = weekdayOf(day);
  if (WEEKEND.includes(wd)) return 'المركز مغلق يومي الجمعة والسبت';
  if (!week.days.includes(wd)) return 'المركز لا يعمل في هذا اليوم';
  if (week.holidays.has(day)) return 'هذا اليوم عطلة رسمية';
  return null;
}

/**
 * Every slot of a line on a day with its capacity and bookings; past slots left out.
 * Empty when the day is closed or the line has no window (capacity 0).
 */
export function slotsOfDay(a: {
  day: string; now: number; timeZone: string; rules: AppointmentRules; week: CenterWeek;
  line: { openFrom: string | null; openUntil: string | null }; windows: number; bookedAt: ReadonlyMap<number, number>;
}): Slot[] {
  if (closedDayReason(a.day, a.week, a.now, a.rules, a.timeZone) !== null) return [];
  const capacity = a.windows * a.rules.perWindow;
  if (capacity <= 0) return [];
  const from = Math.max(parseHm(a.week.openFrom) ?? 0, a.line.openFrom ? parseHm(a.line.openFrom) ?? 0 : 0);
  const until = Math.min(parseHm(a.week.openUntil) ?? 24 * 60, a.line.openUntil ? parseHm(a.line.openUntil) ?? 24 * 60 : 24 * 60);
  const slots: Slot[] = [];
  for (let m = from; m + a.rules.slotMin <= until; m += a.rules.slotMin) {
    const at = localInstant(a.day, m, a.timeZone);
    if (at <= a.now) continue; // past (or starting now): not offered
    const booked = a.bookedAt.get(at) ?? 0;
    slots.push({ hm: hm(m), at, endAt: at + a.rules.slotMin * 60_000, capacity, booked, free: Math.max(0, capacity - booked) });
  }
  return slots;
}

/**
 * The slot a booking asks for, checked: a real slot of that day, not past, with a free
 * place. Throws the refusal (stable code + Arabic) otherwise.
 */
export function assertBookable(a: {
  day: string; hm: string; now: number; timeZone: string; rules: AppointmentRules; week: CenterWeek;
  line: { openFrom: string | null; openUntil: string | null }; windows: number; bookedAt: ReadonlyMap<number, number>;
}): Slot {
  const closed = closedDayReason(a.day, a.week, a.now, a.rules, a.timeZone);
  if (closed !== null) {
    if (a.day < localDay(a.now, a.timeZone)) throw new DomainError('SLOT_PAST', 'لا يمكن الحجز في موعد مضى', { en: 'That slot is in the past' });
    throw new DomainError('SLOT_CLOSED', `لا يمكن الحجز في هذا اليوم: ${closed}`, { en: 'The center takes no bookings that day' });
  }
  const minute = parseHm(a.hm);
  const at = minute === null ? NaN : localInstant(a.day, minute, a.timeZone);
  if (at <= a.now) throw new DomainError('SLOT_PAST', 'لا يمكن الحجز في موعد مضى', { en: 'That slot is in the past' });
  const slot = slotsOfDay({ ...a, now: a.now }).find((s) => s.at === at);
  if (!slot) {
    throw new DomainError('SLOT_CLOSED', 'هذا الموعد ليس من مواعيد الحجز المتاحة لهذه الخدمة', { en: 'Not one of this line\'s slots', details: [{ path: '/time', message: 'اختر موعدًا من المواعيد المعروضة' }] });
  }
  if (slot.free <= 0) throw new DomainError('SLOT_FULL', `موعد ${slot.hm} اكتمل حجزه، اختر موعدًا آخر`, { en: 'That slot is fully booked' });
  return slot;
}

// ── the booking code ────────────────────────────────────────────────────────

const WEIGHTS = [3, 1, 3, 1, 3, 1, 3];

/** The check digit of 7 digits (weights 3,1,… mod 10, as on EAN codes): catches one wrong or two swapped digits. */
export function codeCheckDigit(seven: string): number {
  let sum = 0;
  for (let i = 0; i < 7; i++) sum += Number(seven[i]) * WEIGHTS[i];
  return (10 - (sum % 10)) % 10;
}

/** A booking code from 7 random digits: 8 digits, the last a check digit. */
export function bookingCode(sevenRandomDigits: string): string {
  return sevenRandomDigits + String(codeCheckDigit(sevenRandomDigits));
}

/** True when an 8-digit code's check digit fits (a mistyped code is refused before any lookup). */
export function validBookingCode(code: string): boolean {
  return /^\d{8}$/.test(code) && codeCheckDigit(code.slice(0, 7)) === Number(code[7]);
}

// ── arriving ────────────────────────────────────────────────────────────────

export type Arrival =
  | { kind: 'early'; comeFrom: number }
  | { kind: 'on_time' }
  | { kind: 'late' };

/**
 * When a booked citizen checks in at `now`: too early (before slot − earlyMin: refused, come
 * from then), on time (a booked ticket, up to slot + lateMin), or late (an ordinary ticket).
 */
export function arrivalDecision(now: number, slotAt: number, rules: Pick<AppointmentRules, 'earlyMin' | 'lateMin'>): Arrival {
  const comeFrom = slotAt - rules.earlyMin * 60_000;
  if (now < comeFrom) return { kind: 'early', comeFrom };
  if (now > slotAt + rules.lateMin * 60_000) return { kind: 'late' };
  return { kind: 'on_time' };
}

/** The refusal of an early arrival: when to come back, in Cairo time (stable code BOOKING_TOO_EARLY). */
export function tooEarly(now: number, comeFrom: number, slotHm: string, day: string, timeZone: string): DomainError {
  const p = localParts(comeFrom, timeZone);
  const today = localDay(now, timeZone) === day;
  const at = hm(p.hour * 60 + p.minute);
  return new DomainError('BOOKING_TOO_EARLY',
    `موعدك ${today ? '' : `يوم ${day} `}الساعة ${slotHm}؛ تفضل بالحضور من الساعة ${at}`,
    { en: `Your slot is ${day} ${slotHm}; check in from ${at}` });
}

/** Never checked in by the slot's end + lateMin: a no-show (the queue report counts it). */
export function isNoShow(b: { status: string; slotEndAt: number }, now: number, lateMin: number): boolean {
  return (b.status === 'booked' || b.status === 'no_show') && now >= b.slotEndAt + lateMin * 60_000;
}
