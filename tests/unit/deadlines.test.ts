import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { addDays, daysLate, daysLeft, dueDate, isOverdue, weekday } from '../../hub/domain/deadlines.ts';
import { startOfLocalDay } from '../../hub/domain/time.ts';

// Sunday 1 March 2026, 10:00 in Cairo (UTC+2 in winter).
const SUN = Date.parse('2026-03-01T08:00:00Z');

describe('legal deadlines in Cairo time', () => {
  test('weekday and day arithmetic', () => {
    assert.equal(weekday('2026-03-01'), 0);
    assert.equal(weekday('2026-03-06'), 5); // Friday
    assert.equal(addDays('2026-02-27', 2), '2026-03-01');
    assert.equal(addDays('2024-02-28', 1), '2024-02-29');
  });

  test('calendar days: counted from the next day, a last day off runs on to the next working day', () => {
    assert.deepEqual(dueDate({ start: SUN, days: 3, kind: 'calendar' }).day, '2026-03-04'); // Wednesday
    // Sunday + 5 = Friday → Sunday 8 March.
    assert.equal(dueDate({ start: SUN, days: 5, kind: 'calendar' }).day, '2026-03-08');
    // Sunday + 30 = Tuesday 31 March.
    assert.equal(dueDate({ start: SUN, days: 30, kind: 'calendar' }).day, '2026-03-31');
    // Last day Thursday 19 March is a holiday (Eid, 19–21), then the weekend → Sunday 22.
    assert.equal(dueDate({ start: SUN, days: 18, kind: 'calendar', holidays: ['2026-03-19', '2026-03-20', '2026-03-21'] }).day, '2026-03-22');
    assert.equal(dueDate({ start: SUN, days: 0, kind: 'calendar' }).day, '2026-03-01');
  });

  test('working days skip Friday, Saturday and holidays', () => {
    // Mon 2, Tue 3, Wed 4, Thu 5, (Fri, Sat), Sun 8 → 5 working days end Sunday 8.
    assert.equal(dueDate({ start: SUN, days: 5, kind: 'working' }).day, '2026-03-08');
    // With Tuesday 3 a holiday → Monday 9.
    assert.equal(dueDate({ start: SUN, days: 5, kind: 'working', holidays: new Set(['2026-03-03']) }).day, '2026-03-09');
    // Started on a Thursday evening: Fri, Sat skipped → Sun, Mon.
    assert.equal(dueDate({ start: Date.parse('2026-03-05T18:00:00Z'), days: 2, kind: 'working' }).day, '2026-03-09');
  });

  test('the start day is the Cairo day, not the UTC day', () => {
    // 23:30 UTC on Saturday 28 Feb is 01:30 Sunday 1 March in Cairo.
    const late = Date.parse('2026-02-28T23:30:00Z');
    assert.equal(dueDate({ start: late, days: 1, kind: 'calendar' }).day, '2026-03-02');
  });

  test('due end instant, overdue and days late in Cairo time', () => {
    const due = dueDate({ start: SUN, days: 3, kind: 'calendar' });
    assert.equal(due.endsAt, startOfLocalDay('2026-03-05'));
    assert.equal(due.endsAt, Date.parse('2026-03-04T22:00:00Z'));
    assert.equal(isOverdue(due.day, Date.parse('2026-03-04T21:59:59Z')), false); // 23:59:59 Cairo on the due day
    assert.equal(isOverdue(due.day, Date.parse('2026-03-04T22:00:00Z')), true);
    assert.equal(daysLate(due.day, Date.parse('2026-03-04T21:00:00Z')), 0);
    assert.equal(daysLate(due.day, Date.parse('2026-03-05T10:00:00Z')), 1);
    assert.equal(daysLate(due.day, Date.parse('2026-03-14T10:00:00Z')), 10);
    assert.equal(daysLeft(due.day, SUN), 3);
    assert.equal(daysLeft(due.day, Date.parse('2026-03-06T10:00:00Z')), -2);
  });

  test('bad periods are refused', () => {
    assert.throws(() => dueDate({ start: SUN, days: -1, kind: 'calendar' }), RangeError);
    assert.throws(() => dueDate({ start: SUN, days: 1.5, kind: 'working' }), RangeError);
  });
});
