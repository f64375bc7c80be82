// Booked appointments on SQLite (issue 14 item 3): the free slots a line offers, booking
// (national ID + mobile → a booking code, sent by SMS in the same transaction), cancelling
// by code + national ID, and checking in at the kiosk or at reception, which issues a
// ticket through the queue service. The rules themselves are pure, in
// hub/domain/appointments.ts; the queue calls a checked-in booked ticket ahead of walk-ins
// once its slot time has come (hub/services/queue.ts, next()).
//
// Concurrency: the capacity count, the double-booking check and the insert run in one
// SQLite transaction (the unit of work) on the hub's single connection, and better-sqlite3
// runs a transaction to its end before the event loop serves another request, so two
// bookings can never both see the last free place. The unique index of migration 049 is
// the floor under the double-booking rule.
import { randomInt } from 'node:crypto';
import type { IssuedTicket } from '@shubbak/protocol';
import type { HubConfig } from '../config.ts';
import type { Db } from '../db/connection.ts';
import { actorKey, type Actor } from '../domain/actor.ts';
import {
  arrivalDecision, assertBookable, bookingCode, isNoShow, localInstant, parseDay, slotsOfDay, tooEarly, validBookingCode,
  type AppointmentRules, type CenterWeek, type Slot,
} from '../domain/appointments.ts';
import { DomainError } from '../domain/errors.ts';
import { normalizeDigits, parseNationalId } from '../domain/national-id.ts';
import { localDay, localParts, type Clock } from '../domain/time.ts';
import { parseSmsMobile } from '../sms/numbers.ts';
import type { SmsOutbox } from '../sms/outbox.ts';
import { bookingText } from '../sms/templates.ts';
import type { QueueService } from './queue.ts';
import type { UnitOfWork } from './unit-of-work.ts';

type SettingsRow = { slot_min: number; per_window: number; early_min: number; late_min: number; days_ahead: number };
type LineRow = { letter: string; name_ar: string; name_en: string; open: number; open_from: string | null; open_until: string | null; windows: number };
type BookingRow = {
  id: number; code: string; line: string; day: string; slot_hm: string; slot_at: number; slot_end_at: number; national_id: string; mobile: string;
  status: 'booked' | 'checked_in' | 'no_show' | 'cancelled'; late: number; ticket_id: number | null; created_at: number;
  checked_in_at: number | null; cancelled_at: number | null;
};

export type BookableLine = { letter: string; nameAr: string; nameEn: string; windows: number };
export type Booking = { code: string; line: string; lineName: string; day: string; time: string; slotAt: number; status: BookingRow['status'] };
export type CheckIn = { ticket: IssuedTicket; booking: Booking; late: boolean };

const NOT_FOUND_AR = 'لا يوجد حجز بهذا الرقم، تأكد من الرقم';

export class AppointmentService {
  private readonly q;

  constructor(
    private readonly db: Db,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly config: HubConfig,
    private readonly queue: QueueService,
    private readonly outbox: SmsOutbox,
  ) {
    this.q = {
      settings: db.prepare<[], SettingsRow>('SELECT * FROM appointment_settings WHERE id = 1'),
      line: db.prepare<[string], LineRow>(`SELECT l.letter, l.name_ar, l.name_en, l.open, l.open_from, l.open_until,
        (SELECT count(*) FROM window_lines wl WHERE wl.line = l.letter) AS windows FROM lines l WHERE l.letter = ?`),
      lines: db.prepare<[], LineRow>(`SELECT l.letter, l.name_ar, l.name_en, l.open, l.open_from, l.open_until,
        (SELECT count(*) FROM window_lines wl WHERE wl.line = l.letter) AS windows FROM lines l ORDER BY l.sort, l.letter`),
      holidays: db.prepare<[], { day: string }>('SELECT day FROM holidays'),
      bookedOfDay: db.prepare<[string, string], { slot_at: number; n: number }>(
        `SELECT slot_at, count(*) AS n FROM appointments WHERE line = ? AND day = ? AND status <> 'cancelled' GROUP BY slot_at`),
      sameDay: db.prepare<[string, string, string], { code: string }>(
        `SELECT code FROM appointments WHERE national_id = ? AND line = ? AND day = ? AND status <> 'cancelled'`),
      codeTaken: db.prepare<[string], { id: number }>('SELECT id FROM appointments WHERE code = ?'),
      insert: db.prepare(`INSERT INTO appointments (code, line, day, slot_hm, slot_at, slot_end_at, national_id, mobile, created_at)
        VALUES (@code, @line, @day, @hm, @at, @endAt, @nationalId, @mobile, @now)`),
      byCode: db.prepare<[string], BookingRow>('SELECT * FROM appointments WHERE code = ?'),
      cancel: db.prepare(`UPDATE appointments SET status = 'cancelled', cancelled_at = ? WHERE id = ? AND status = 'booked'`),
      checkIn: db.prepare(`UPDATE appointments SET status = 'checked_in', late = ?, ticket_id = ?, checked_in_at = ? WHERE id = ?`),
      ticketOf: db.prepare<[string, string], { id: number }>('SELECT id FROM tickets WHERE day = ? AND label = ?'),
      ticket: db.prepare<[number], { label: string; cancelled_at: number | null }>('SELECT label, cancelled_at FROM tickets WHERE id = ?'),
    };
  }

  // ── the center's rules ────────────────────────────────────────────────────

  rules(): AppointmentRules {
    const s = this.q.settings.get()!;
    return { slotMin: s.slot_min, perWindow: s.per_window, earlyMin: s.early_min, lateMin: s.late_min, daysAhead: s.days_ahead };
  }

  setRules(change: Partial<AppointmentRules>, by: Actor): AppointmentRules {
    return this.uow.run(() => {
      const next = { ...this.rules(), ...change };
      const bounds: [keyof AppointmentRules, number, number][] = [['slotMin', 5, 240], ['perWindow', 0, 100], ['earlyMin', 0, 240], ['lateMin', 0, 240], ['daysAhead', 0, 90]];
      for (const [k, lo, hi] of bounds) {
        if (!Number.isInteger(next[k]) || next[k] < lo || next[k] > hi) {
          throw new DomainError('VALIDATION', `قيمة غير مقبولة: من ${lo} إلى ${hi}`, { details: [{ path: `/${k}`, message: `من ${lo} إلى ${hi}` }] });
        }
      }
      this.db.prepare(`UPDATE appointment_settings SET slot_min = ?, per_window = ?, early_min = ?, late_min = ?, days_ahead = ?,
        updated_at = ?, updated_by = ? WHERE id = 1`).run(next.slotMin, next.perWindow, next.earlyMin, next.lateMin, next.daysAhead, this.clock(), actorKey(by));
      this.uow.topic('appointments');
      return next;
    });
  }

  private week(): CenterWeek {
    return {
      days: this.config.openDays, openFrom: this.config.openFrom, openUntil: this.config.openUntil,
      holidays: new Set(this.q.holidays.all().map((h) => h.day)),
    };
  }

  // ── reads ─────────────────────────────────────────────────────────────────

  /** Lines a citizen may book: open, served by at least one window. */
  bookableLines(): BookableLine[] {
    const perWindow = this.rules().perWindow;
    return this.q.lines.all().filter((l) => l.open && l.windows > 0 && perWindow > 0)
      .map((l) => ({ letter: l.letter, nameAr: l.name_ar, nameEn: l.name_en, windows: l.windows }));
  }

  private lineRow(letter: string): LineRow {
    const l = this.q.line.get(letter);
    if (!l) throw new DomainError('NOT_FOUND', `لا توجد خدمة بالحرف ${letter}`, { details: [{ path: '/line', message: 'اختر خدمة من القائمة' }] });
    return l;
  }

  private day(raw: string): string {
    const d = parseDay(raw);
    if (!d) throw new DomainError('VALIDATION', 'اكتب التاريخ مثل 2026-12-01', { details: [{ path: '/day', message: 'اكتب التاريخ مثل 2026-12-01' }] });
    return d;
  }

  private bookedAt(line: string, day: string): Map<number, number> {
    return new Map(this.q.bookedOfDay.all(line, day).map((r) => [r.slot_at, r.n]));
  }

  /** The slots of a line on a day still in the future, with their free places (none on a closed day). */
  slots(letter: string, rawDay: string): { line: string; day: string; slots: Slot[] } {
    const line = this.lineRow(letter);
    const day = this.day(rawDay);
    const slots = line.open
      ? slotsOfDay({
        day, now: this.clock(), timeZone: this.config.timezone, rules: this.rules(), week: this.week(),
        line: { openFrom: line.open_from, openUntil: line.open_until }, windows: line.windows, bookedAt: this.bookedAt(letter, day),
      })
      : [];
    return { line: letter, day, slots };
  }

  // ── commands ──────────────────────────────────────────────────────────────

  /**
   * Book a slot. Refused (nothing written): an invalid national ID or mobile, a closed day, a
   * past slot, a full slot, or a second live booking of the same person, line and day.
   */
  book(a: { line: string; day: string; time: string; nationalId: string; mobile: string }): Booking {
    const id = parseNationalId(a.nationalId, this.clock(), this.config.timezone);
    if (!id.ok) throw new DomainError('INVALID_NATIONAL_ID', id.error.ar, { en: id.error.en, details: [{ path: '/nationalId', message: id.error.ar }] });
    const mobile = parseSmsMobile(a.mobile);
    const day = this.day(a.day);
    const hm = normalizeDigits(a.time);
    return this.uow.run(() => {
      const now = this.clock();
      const line = this.lineRow(a.line);
      if (!line.open) throw new DomainError('LINE_CLOSED', 'هذه الخدمة لا تستقبل حجوزات الآن');
      const rules = this.rules();
      // One transaction from the count to the insert (see the header): the last place goes once.
      const slot = assertBookable({
        day, hm, now, timeZone: this.config.timezone, rules, week: this.week(),
        line: { openFrom: line.open_from, openUntil: line.open_until }, windows: line.windows, bookedAt: this.bookedAt(line.letter, day),
      });
      const earlier = this.q.sameDay.get(id.info.nationalId, line.letter, day);
      if (earlier) {
        throw new DomainError('ALREADY_BOOKED', `لديك حجز لهذه الخدمة في هذا اليوم بالفعل؛ ألغه أولاً لتحجز موعدًا آخر`, { en: 'Already booked for this line that day' });
      }
      const code = this.newCode();
      this.q.insert.run({ code, line: line.letter, day, hm: slot.hm, at: slot.at, endAt: slot.endAt, nationalId: id.info.nationalId, mobile, now });
      // The code by SMS, committed with the booking or not at all (hub/sms/outbox.ts).
      const from = localParts(slot.at - rules.earlyMin * 60_000, this.config.timezone);
      this.outbox.enqueue({
        mobile, kind: 'booking', expiresAt: slot.endAt,
        text: bookingText({
          center: this.config.centerName, code, lineName: line.name_ar, day, hm: slot.hm,
          fromHm: `${String(from.hour).padStart(2, '0')}:${String(from.minute).padStart(2, '0')}`,
        }),
      });
      this.uow.topic('appointments');
      return { code, line: line.letter, lineName: line.name_ar, day, time: slot.hm, slotAt: slot.at, status: 'booked' as const };
    });
  }

  private newCode(): string {
    for (;;) {
      const code = bookingCode(String(randomInt(0, 10_000_000)).padStart(7, '0'));
      if (!this.q.codeTaken.get(code)) return code;
    }
  }

  private byCode(raw: string): BookingRow {
    const code = normalizeDigits(raw);
    const b = validBookingCode(code) ? this.q.byCode.get(code) : undefined;
    if (!b) throw new DomainError('BOOKING_NOT_FOUND', NOT_FOUND_AR, { details: [{ path: '/code', message: NOT_FOUND_AR }] });
    return b;
  }

  private view(b: BookingRow): Booking {
    const line = this.q.line.get(b.line);
    return { code: b.code, line: b.line, lineName: line?.name_ar ?? b.line, day: b.day, time: b.slot_hm, slotAt: b.slot_at, status: b.status };
  }

  /** Cancel by code + national ID (the same answer when either is wrong). Only a booking not yet used. */
  cancel(a: { code: string; nationalId: string }): Booking {
    return this.uow.run(() => {
      const b = this.byCode(a.code);
      if (b.national_id !== normalizeDigits(a.nationalId)) throw new DomainError('BOOKING_NOT_FOUND', NOT_FOUND_AR);
      if (b.status === 'cancelled') return this.view(b);
      if (b.status !== 'booked') throw new DomainError('ALREADY_CHECKED_IN', 'تم استخدام هذا الحجز ولا يمكن إلغاؤه');
      if (isNoShow({ status: b.status, slotEndAt: b.slot_end_at }, this.clock(), this.rules().lateMin)) {
        throw new DomainError('BOOKING_EXPIRED', 'انتهى موعد هذا الحجز');
      }
      this.q.cancel.run(this.clock(), b.id);
      this.uow.topic('appointments');
      return this.view(this.q.byCode.get(b.code)!);
    });
  }

  /**
   * The booked citizen arrived (kiosk keypad or reception). Too early → BOOKING_TOO_EARLY
   * (when to come); on time → a ticket on the booked line, called at its slot ahead of
   * walk-ins; later than the center's lateMin → an ordinary ticket (the booking counts late).
   */
  checkIn(rawCode: string, by: Actor): CheckIn {
    return this.uow.run(() => {
      const b = this.byCode(rawCode);
      if (b.status === 'cancelled') throw new DomainError('BOOKING_CANCELLED', 'هذا الحجز ملغى');
      // Checked in already: refused with the ticket it gave — unless the kiosk could not print that
      // ticket and took its number back (kiosk/logic.ts, "no print, no ticket"): then again.
      const given = b.ticket_id === null ? undefined : this.q.ticket.get(b.ticket_id);
      if (b.status === 'checked_in' && given?.cancelled_at == null) {
        throw new DomainError('ALREADY_CHECKED_IN', `تم استخدام هذا الحجز من قبل${given ? `: تذكرتك ${given.label}` : ''}`);
      }
      const now = this.clock();
      const today = localDay(now, this.config.timezone);
      if (b.day < today) throw new DomainError('BOOKING_EXPIRED', `انتهى موعد هذا الحجز (${b.day} الساعة ${b.slot_hm})`);
      const rules = this.rules();
      const arrival = arrivalDecision(now, b.slot_at, rules);
      if (arrival.kind === 'early') throw tooEarly(now, arrival.comeFrom, b.slot_hm, b.day, this.config.timezone);
      const late = arrival.kind === 'late';
      const ticket = this.queue.issue({ line: b.line, by });
      const ticketId = this.q.ticketOf.get(today, ticket.number)!.id;
      this.q.checkIn.run(late ? 1 : 0, ticketId, now, b.id);
      this.uow.topic('appointments');
      const issued: IssuedTicket = late ? ticket : { ...ticket, bookedSlot: b.slot_hm };
      return { ticket: issued, booking: this.view(this.q.byCode.get(b.code)!), late };
    });
  }

  /** The slot instant of 'HH:MM' on a day (for tests and the booking page). */
  slotInstant(day: string, hm: string): number {
    const [h, m] = hm.split(':').map(Number);
    return localInstant(day, h * 60 + m, this.config.timezone);
  }
}
