// Booked appointments merged into the queue (issue 14 item 3), on a real hub (SQLite file,
// broker, HTTP): booking under concurrency (200 concurrent HTTP bookings for 20 places →
// exactly 20, nothing half-written), the refusals (double booking, past slot, Friday,
// holiday, full), the arrival window (too early refused, on time → a booked ticket called
// at its slot ahead of earlier walk-ins, late → an ordinary ticket), the kiosk's
// booking.checkIn over MQTT, reception's check-in, and no-shows in the queue report.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LinkError } from '@shubbak/protocol/device-link';
import { startTestHub, type TestHub } from '../helpers/hub.ts';
import { FakeClock } from '../helpers/clock.ts';
import { signIn } from '../helpers/staff.ts';
import { SYSTEM, actorKey } from '../../hub/domain/actor.ts';

/** Sunday 6 December 2026, 08:30 Cairo (UTC+2 in winter). */
const SUNDAY = '2026-12-06';
const at = (day: string, hm: string) => Date.parse(`${day}T${hm}:00+02:00`);

const nid = (i: number) => `2900101${'01'}${String(i).padStart(4, '0')}5`;
const mobile = (i: number) => `010${String(i).padStart(8, '0')}`;

type Reply = { status: number; body: Record<string, unknown> & { error?: { code: string; message: string } } };

async function post(hub: TestHub, url: string, body: unknown): Promise<Reply> {
  const res = await fetch(`${hub.httpUrl}${url}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() as Reply['body'] };
}

async function start(t: Parameters<typeof startTestHub>[0], clock: FakeClock): Promise<TestHub> {
  return startTestHub(t, { clock: clock.now, config: { bookingsPerMinute: 10_000 } });
}

const count = (hub: TestHub, sql: string, ...args: unknown[]) => (hub.ctx.db.prepare(sql).get(...args) as { n: number }).n;

describe('booking a slot', () => {
  test('200 concurrent HTTP bookings for 20 places: exactly 20 succeed, the rest get SLOT_FULL, nothing half-written', async (t) => {
    const clock = new FakeClock(at(SUNDAY, '08:30'));
    const hub = await start(t, clock);
    // Line D is served by window 3 alone: 20 places per window → 20 places per slot.
    hub.ctx.appointments.setRules({ perWindow: 20 }, SYSTEM);
    const slots = await (await fetch(`${hub.httpUrl}/api/public/appointments/slots?line=D&day=${SUNDAY}`)).json() as { slots: { hm: string; free: number; capacity: number }[] };
    assert.equal(slots.slots[0].hm, '08:45', 'the 08:00 and 08:15 slots have passed, 08:30 starts now');
    assert.equal(slots.slots[0].capacity, 20);

    const replies = await Promise.all(Array.from({ length: 200 }, (_, i) =>
      post(hub, '/api/public/appointments', { line: 'D', day: SUNDAY, time: '10:00', nationalId: nid(i), mobile: mobile(i) })));
    const ok = replies.filter((r) => r.status === 200);
    const refused = replies.filter((r) => r.status !== 200);
    assert.equal(ok.length, 20);
    assert.equal(refused.length, 180);
    for (const r of refused) {
      assert.equal(r.status, 409);
      assert.equal(r.body.error!.code, 'SLOT_FULL');
      assert.match(r.body.error!.message, /اكتمل حجزه/);
    }
    const codes = new Set(ok.map((r) => r.body.code as string));
    assert.equal(codes.size, 20, 'every booking has its own code');
    for (const c of codes) assert.match(c, /^\d{8}$/);
    // The database agrees: 20 bookings, 20 SMS with their codes, nothing for the refused.
    assert.equal(count(hub, `SELECT count(*) AS n FROM appointments WHERE line = 'D' AND slot_hm = '10:00'`), 20);
    const sms = hub.ctx.db.prepare(`SELECT mobile, text FROM sms_outbox WHERE kind = 'booking'`).all() as { mobile: string; text: string }[];
    assert.equal(sms.length, 20);
    for (const c of codes) assert.equal(sms.filter((m) => m.text.includes(c)).length, 1, `the SMS of ${c}`);
    const after = await (await fetch(`${hub.httpUrl}/api/public/appointments/slots?line=D&day=${SUNDAY}`)).json() as { slots: { hm: string; free: number }[] };
    assert.equal(after.slots.find((s) => s.hm === '10:00')!.free, 0);
  });

  test('the same person 50 times at once: one booking; a second one that day is ALREADY_BOOKED', async (t) => {
    const clock = new FakeClock(at(SUNDAY, '08:30'));
    const hub = await start(t, clock);
    hub.ctx.appointments.setRules({ perWindow: 20 }, SYSTEM);
    const replies = await Promise.all(['09:00', '09:15', '09:30', '09:45', '10:00'].flatMap((time) => Array.from({ length: 10 }, () =>
      post(hub, '/api/public/appointments', { line: 'A', day: SUNDAY, time, nationalId: nid(7), mobile: mobile(7) }))));
    assert.equal(replies.filter((r) => r.status === 200).length, 1);
    for (const r of replies.filter((x) => x.status !== 200)) assert.equal(r.body.error!.code, 'ALREADY_BOOKED');
    assert.equal(count(hub, 'SELECT count(*) AS n FROM appointments'), 1);
    assert.equal(count(hub, `SELECT count(*) AS n FROM sms_outbox WHERE kind = 'booking'`), 1);
    // Another line the same day is another booking.
    assert.equal((await post(hub, '/api/public/appointments', { line: 'D', day: SUNDAY, time: '11:00', nationalId: nid(7), mobile: mobile(7) })).status, 200);
  });

  test('refusals change nothing: past slot, Friday, holiday, not a slot, bad ID, bad mobile; cancel frees the place', async (t) => {
    const clock = new FakeClock(at(SUNDAY, '08:30'));
    const hub = await start(t, clock);
    hub.ctx.catalog.addHoliday('2026-12-07', 'عطلة تجريبية', actorKey(SYSTEM));
    const book = (o: Record<string, string>) => post(hub, '/api/public/appointments', { line: 'A', day: SUNDAY, time: '10:00', nationalId: nid(1), mobile: mobile(1), ...o });
    const cases: [Record<string, string>, number, string][] = [
      [{ time: '08:15' }, 409, 'SLOT_PAST'],
      [{ day: '2026-12-05', time: '10:00' }, 409, 'SLOT_PAST'],
      [{ day: '2026-12-11' }, 409, 'SLOT_CLOSED'], // Friday
      [{ day: '2026-12-12' }, 409, 'SLOT_CLOSED'], // Saturday
      [{ day: '2026-12-07' }, 409, 'SLOT_CLOSED'], // the holiday
      [{ time: '10:07' }, 409, 'SLOT_CLOSED'], // not a slot
      [{ time: '14:50' }, 409, 'SLOT_CLOSED'], // would end after closing time
      [{ nationalId: '12345678901234' }, 400, 'INVALID_NATIONAL_ID'],
      [{ mobile: '0161234567' }, 400, 'INVALID_MOBILE'],
    ];
    for (const [o, status, code] of cases) {
      const r = await book(o);
      assert.equal(r.status, status, JSON.stringify(o));
      assert.equal(r.body.error!.code, code, JSON.stringify(o));
      assert.match(r.body.error!.message, /[\u0600-\u06FF]/, 'an Arabic message');
    }
    assert.equal(count(hub, 'SELECT count(*) AS n FROM appointments'), 0);
    assert.equal(count(hub, 'SELECT count(*) AS n FROM sms_outbox'), 0);
    // Friday: no slots offered at all.
    const friday = await (await fetch(`${hub.httpUrl}/api/public/appointments/slots?line=A&day=2026-12-11`)).json() as { slots: unknown[] };
    assert.deepEqual(friday.slots, []);

    // Full (3 windows serve A → 3 places), then a cancel frees one.
    const three = [];
    for (let i = 10; i < 13; i++) three.push(await book({ nationalId: nid(i), mobile: mobile(i) }));
    assert.deepEqual(three.map((r) => r.status), [200, 200, 200]);
    assert.equal((await book({ nationalId: nid(20), mobile: mobile(20) })).body.error!.code, 'SLOT_FULL');
    const wrong = await post(hub, '/api/public/appointments/cancel', { code: three[0].body.code, nationalId: nid(11) });
    assert.equal(wrong.body.error!.code, 'BOOKING_NOT_FOUND', 'another person\'s ID cancels nothing');
    const cancelled = await post(hub, '/api/public/appointments/cancel', { code: three[0].body.code, nationalId: nid(10) });
    assert.equal(cancelled.status, 200);
    assert.equal(cancelled.body.status, 'cancelled');
    assert.equal((await book({ nationalId: nid(20), mobile: mobile(20) })).status, 200);
  });
});

describe('arriving with a booking', () => {
  test('too early is refused with when to come; on time → a booked ticket called at its slot ahead of earlier walk-ins; late → an ordinary ticket', async (t) => {
    const clock = new FakeClock(at(SUNDAY, '08:30'));
    const hub = await start(t, clock);
    const { queue, appointments } = hub.ctx;
    const onTime = await post(hub, '/api/public/appointments', { line: 'A', day: SUNDAY, time: '09:00', nationalId: nid(1), mobile: mobile(1) });
    const late = await post(hub, '/api/public/appointments', { line: 'A', day: SUNDAY, time: '09:15', nationalId: nid(2), mobile: mobile(2) });
    const code = onTime.body.code as string;

    // Walk-ins before the booked citizen arrives.
    assert.equal(queue.issue({ line: 'A', by: SYSTEM }).number, 'A001');
    assert.equal(queue.issue({ line: 'A', by: SYSTEM }).number, 'A002');

    // 08:45: more than 10 minutes before 09:00 → refused, says 08:50, nothing written.
    clock.set(at(SUNDAY, '08:45'));
    const reception = await signIn(hub, 'reception');
    const early = await reception.inject({ method: 'POST', url: '/api/appointments/check-in', payload: { code } });
    assert.equal(early.statusCode, 409);
    assert.equal(early.json().error.code, 'BOOKING_TOO_EARLY');
    assert.match(early.json().error.message, /08:50/);
    assert.equal(count(hub, `SELECT count(*) AS n FROM tickets`), 2);
    assert.equal(count(hub, `SELECT count(*) AS n FROM appointments WHERE status = 'booked'`), 2);

    // 08:52 at the kiosk: "لدي حجز" + the code → a booked ticket.
    clock.set(at(SUNDAY, '08:52'));
    const kiosk = await hub.device('kiosk-1');
    const r = await kiosk.command('booking.checkIn', { code });
    assert.equal(r.ticket.number, 'A003');
    assert.equal(r.ticket.bookedSlot, '09:00');
    // The same code again: refused, with the ticket it already gave.
    await assert.rejects(kiosk.command('booking.checkIn', { code }), (e: LinkError) => e.code === 'ALREADY_CHECKED_IN' && /A003/.test(e.message));
    await assert.rejects(kiosk.command('booking.checkIn', { code: '12345678' }), (e: LinkError) => e.code === 'BOOKING_NOT_FOUND');

    // 08:55: the slot has not come — walk-ins in order.
    clock.set(at(SUNDAY, '08:55'));
    assert.equal(queue.next(1, SYSTEM).state.ticket, 'A001');
    // 09:00: the booked ticket goes ahead of A002, who came earlier.
    clock.set(at(SUNDAY, '09:00'));
    assert.equal(queue.next(1, SYSTEM).state.ticket, 'A003');

    // 09:31: more than 15 minutes late for 09:15 → an ordinary ticket, counted late, behind A002.
    clock.set(at(SUNDAY, '09:31'));
    const lateIn = appointments.checkIn(late.body.code as string, SYSTEM);
    assert.equal(lateIn.late, true);
    assert.equal(lateIn.ticket.bookedSlot, undefined);
    assert.equal(lateIn.ticket.number, 'A004');
    assert.equal(queue.next(2, SYSTEM).state.ticket, 'A002');
    assert.equal(queue.next(2, SYSTEM).state.ticket, 'A004');
    assert.deepEqual(hub.ctx.db.prepare(`SELECT code, status, late FROM appointments ORDER BY slot_at`).all().map((x) => ({ ...(x as object) })), [
      { code, status: 'checked_in', late: 0 },
      { code: late.body.code, status: 'checked_in', late: 1 },
    ]);
  });
});

describe('no-shows of bookings in the queue report', () => {
  test('a booking never checked in by slot end + 15 minutes counts as a no-show; checked-in and late ones do not', async (t) => {
    const clock = new FakeClock(at(SUNDAY, '08:30'));
    const hub = await start(t, clock);
    const book = async (i: number, time: string) =>
      (await post(hub, '/api/public/appointments', { line: 'A', day: SUNDAY, time, nationalId: nid(i), mobile: mobile(i) })).body.code as string;
    const shows = await book(1, '09:00');
    await book(2, '09:00'); // never comes
    const cancels = await book(3, '09:00');
    await post(hub, '/api/public/appointments/cancel', { code: cancels, nationalId: nid(3) });
    clock.set(at(SUNDAY, '08:55'));
    hub.ctx.appointments.checkIn(shows, SYSTEM);
    const manager = await signIn(hub, 'manager');
    const report = async () => (await manager.inject({ method: 'GET', url: `/api/reports/queue?from=${SUNDAY}&to=${SUNDAY}` })).json().appointments;
    // 09:29: the 09:00–09:15 slot + 15 minutes has not ended yet.
    clock.set(at(SUNDAY, '09:29'));
    assert.deepEqual(await report(), { booked: 2, checkedIn: 1, late: 0, cancelled: 1, noShows: 0 });
    clock.set(at(SUNDAY, '09:30'));
    assert.deepEqual(await report(), { booked: 2, checkedIn: 1, late: 0, cancelled: 1, noShows: 1 });
  });
});
