// The appointment rules, pure (hub/domain/appointments.ts, issue 14 item 3): the slots of a
// day (opening hours ∩ the line's hours, capacity = windows × places per window, past slots
// left out), Fridays, Saturdays and holidays closed, the booking code's check digit, and
// the arrival decision (early / on time / late) with its Arabic refusal.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  arrivalDecision, assertBookable, bookingCode, closedDayReason, isNoShow, slotsOfDay, tooEarly, validBookingCode,
  type AppointmentRules, type CenterWeek,
} from '../../hub/domain/appointments.ts';
import { DomainError } from '../../hub/domain/errors.ts';

const TZ = 'Africa/Cairo';
const at = (day: string, hm: string) => Date.parse(`${day}T${hm}:00+02:00`);
const rules: AppointmentRules = { slotMin: 30, perWindow: 1, earlyMin: 10, lateMin: 15, daysAhead: 14 };
const week: CenterWeek = { days: [0, 1, 2, 3, 4, 5, 6], openFrom: '08:00', openUntil: '11:00', holidays: new Set(['2026-12-08']) };
const line = { openFrom: null, openUntil: null };
const SUN = '2026-12-06';

describe('appointment rules', () => {
  test('slots run through opening hours in steps of the slot length, capacity from the windows, past ones left out', () => {
    const slots = slotsOfDay({ day: SUN, now: at(SUN, '08:30'), timeZone: TZ, rules, week, line, windows: 3, bookedAt: new Map([[at(SUN, '09:30'), 2]]) });
    assert.deepEqual(slots.map((s) => [s.hm, s.capacity, s.free]), [['09:00', 3, 3], ['09:30', 3, 1], ['10:00', 3, 3], ['10:30', 3, 3]]);
    assert.equal(slots[0].at, at(SUN, '09:00'));
    assert.equal(slots[0].endAt, at(SUN, '09:30'));
    // The line's own hours narrow the day; a line without windows offers nothing.
    assert.deepEqual(slotsOfDay({ day: SUN, now: at(SUN, '07:00'), timeZone: TZ, rules, week, line: { openFrom: '09:00', openUntil: '10:00' }, windows: 1, bookedAt: new Map() }).map((s) => s.hm), ['09:00', '09:30']);
    assert.deepEqual(slotsOfDay({ day: SUN, now: at(SUN, '07:00'), timeZone: TZ, rules, week, line, windows: 0, bookedAt: new Map() }), []);
  });

  test('Friday and Saturday are closed even when the center says it opens; holidays and days too far ahead too', () => {
    const now = at(SUN, '07:00');
    assert.match(closedDayReason('2026-12-11', week, now, rules, TZ)!, /الجمعة والسبت/);
    assert.match(closedDayReason('2026-12-12', week, now, rules, TZ)!, /الجمعة والسبت/);
    assert.match(closedDayReason('2026-12-08', week, now, rules, TZ)!, /عطلة/);
    assert.match(closedDayReason('2026-12-21', week, now, rules, TZ)!, /14/);
    assert.equal(closedDayReason('2026-12-20', week, now, rules, TZ), null);
    assert.equal(closedDayReason('2026-12-05', { ...week }, now, rules, TZ), 'هذا اليوم مضى');
    assert.match(closedDayReason('2026-12-07', { ...week, days: [0] }, now, rules, TZ)!, /لا يعمل/);
  });

  test('assertBookable refuses past, closed, off-grid and full slots with stable codes', () => {
    const base = { day: SUN, now: at(SUN, '09:10'), timeZone: TZ, rules, week, line, windows: 1, bookedAt: new Map([[at(SUN, '10:00'), 1]]) };
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        assert.ok(e instanceof DomainError);
        return e.code;
      }
      return 'ok';
    };
    assert.equal(code(() => assertBookable({ ...base, hm: '09:00' })), 'SLOT_PAST');
    assert.equal(code(() => assertBookable({ ...base, hm: '09:45' })), 'SLOT_CLOSED');
    assert.equal(code(() => assertBookable({ ...base, hm: '10:30' })), 'ok');
    assert.equal(code(() => assertBookable({ ...base, hm: '10:00' })), 'SLOT_FULL');
    assert.equal(code(() => assertBookable({ ...base, hm: 'xx' })), 'SLOT_CLOSED');
    assert.equal(code(() => assertBookable({ ...base, day: '2026-12-11', hm: '09:30' })), 'SLOT_CLOSED');
  });

  test('the booking code: 8 digits whose check digit catches a wrong digit and a swap', () => {
    const c = bookingCode('1234567');
    assert.match(c, /^\d{8}$/);
    assert.ok(validBookingCode(c));
    assert.ok(!validBookingCode(`${c.slice(0, 2)}${(Number(c[2]) + 1) % 10}${c.slice(3)}`), 'one digit wrong');
    assert.ok(!validBookingCode(`${c[1]}${c[0]}${c.slice(2)}`), 'two digits swapped');
    assert.ok(!validBookingCode('123'));
  });

  test('arriving: early before slot − 10 min, on time up to slot + 15 min, late after; the refusal says when to come', () => {
    const slot = at(SUN, '10:00');
    assert.deepEqual(arrivalDecision(at(SUN, '09:49'), slot, rules), { kind: 'early', comeFrom: at(SUN, '09:50') });
    assert.deepEqual(arrivalDecision(at(SUN, '09:50'), slot, rules), { kind: 'on_time' });
    assert.deepEqual(arrivalDecision(at(SUN, '10:15'), slot, rules), { kind: 'on_time' });
    assert.deepEqual(arrivalDecision(at(SUN, '10:15') + 1, slot, rules), { kind: 'late' });
    const e = tooEarly(at(SUN, '09:00'), at(SUN, '09:50'), '10:00', SUN, TZ);
    assert.equal(e.code, 'BOOKING_TOO_EARLY');
    assert.equal(e.message, 'موعدك الساعة 10:00؛ تفضل بالحضور من الساعة 09:50');
    assert.equal(tooEarly(at(SUN, '09:00'), at('2026-12-07', '09:50'), '10:00', '2026-12-07', TZ).message, 'موعدك يوم 2026-12-07 الساعة 10:00؛ تفضل بالحضور من الساعة 09:50');
  });

  test('a no-show: never checked in by slot end + lateMin', () => {
    const end = at(SUN, '10:30');
    assert.equal(isNoShow({ status: 'booked', slotEndAt: end }, at(SUN, '10:44'), 15), false);
    assert.equal(isNoShow({ status: 'booked', slotEndAt: end }, at(SUN, '10:45'), 15), true);
    assert.equal(isNoShow({ status: 'checked_in', slotEndAt: end }, at(SUN, '12:00'), 15), false);
    assert.equal(isNoShow({ status: 'cancelled', slotEndAt: end }, at(SUN, '12:00'), 15), false);
  });
});
