// Booked appointments over HTTP (issue 14 item 3; service: hub/services/appointments.ts):
//   GET  /book                                   the booking page (Arabic, RTL; script: hub/web/src/pages/booking-page.ts)
//   GET  /api/public/appointments/lines          lines a citizen may book (public)
//   GET  /api/public/appointments/slots          a line's free slots on a day (public)
//   POST /api/public/appointments                book: national ID + mobile → code, SMS (public, rate-limited)
//   POST /api/public/appointments/cancel         cancel by code + national ID (public, rate-limited)
//   POST /api/appointments/check-in              reception types or scans the code → a ticket (staff)
//   GET|PUT /api/appointments/settings           the center's rules (manager, admin)
// Every refusal is the API's error shape: a stable code and an Arabic message.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { IssuedTicket } from '@shubbak/protocol';
import type { Role } from '../../auth/roles.ts';
import { actorKey, staffActor } from '../../domain/actor.ts';
import { IdempotencyHeaders } from '../queue/schemas.ts';
import { Day } from '../../http/schemas.ts';

const ISSUERS: Role[] = ['reception', 'citizen_service', 'manager', 'admin'];

const Line = Type.String({ pattern: '^[A-Z]$' });
const Booking = Type.Object({
  code: Type.String(), line: Type.String(), lineName: Type.String(), day: Type.String(), time: Type.String(), slotAt: Type.Integer(),
  status: Type.String(),
});
const Slot = Type.Object({ hm: Type.String(), at: Type.Integer(), endAt: Type.Integer(), capacity: Type.Integer(), booked: Type.Integer(), free: Type.Integer() });
const Rules = Type.Object({
  slotMin: Type.Integer({ minimum: 5, maximum: 240 }), perWindow: Type.Integer({ minimum: 0, maximum: 100 }),
  earlyMin: Type.Integer({ minimum: 0, maximum: 240 }), lateMin: Type.Integer({ minimum: 0, maximum: 240 }),
  daysAhead: Type.Integer({ minimum: 0, maximum: 90 }),
});

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The booking page's HTML: the forms; the script fills the lines and slots (no inline script: CSP). */
export function bookingPageHtml(centerName: string, timezone: string): string {
  return `<!doctype html>
<html lang="ar" dir="rtl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>حجز موعد — ${esc(centerName)}</title>
<meta name="shubbak-timezone" content="${esc(timezone)}">
<link rel="stylesheet" href="/assets/ticket.css">
<script type="module" src="/assets/book.js"></script>
</head>
<body><main class="book">
<p class="center">${esc(centerName)}</p>
<h1>حجز موعد</h1>
<form id="book">
<label>الخدمة <select id="line" name="line" required></select></label>
<label>اليوم <input id="day" name="day" type="date" required></label>
<label>الموعد <select id="time" name="time" required></select></label>
<label>الرقم القومي <input name="nationalId" inputmode="numeric" maxlength="14" autocomplete="off" required></label>
<label>رقم المحمول <input name="mobile" type="tel" inputmode="tel" maxlength="14" placeholder="01012345678" required></label>
<button class="go">احجز</button>
<p id="book-msg" class="msg" role="status"></p>
<div id="done" hidden><p>رقم الحجز</p><p id="code" class="code" data-testid="booking-code"></p><p>اضغط «لدي حجز» في جهاز التذاكر بالمركز واكتب هذا الرقم، أو اعرضه على الاستقبال.</p></div>
</form>
<h2>إلغاء حجز</h2>
<form id="cancel">
<label>رقم الحجز <input name="code" inputmode="numeric" maxlength="8" required></label>
<label>الرقم القومي <input name="nationalId" inputmode="numeric" maxlength="14" required></label>
<button class="go">ألغِ الحجز</button>
<p id="cancel-msg" class="msg" role="status"></p>
</form>
<p class="foot">الجمعة والسبت والعطلات الرسمية: لا توجد مواعيد.</p>
</main></body>
</html>
`;
}

/** GET /book, outside the /api prefix. */
export const bookingPageRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const page = bookingPageHtml(app.hub.config.centerName, app.hub.config.timezone);
  app.get('/book', {
    config: { access: 'public' },
    schema: { hide: true },
  }, async (_req, reply) => reply.header('content-type', 'text/html; charset=utf-8').send(page));
};

export const appointmentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { appointments, idempotency } = app.hub;
  const perMinute = app.hub.config.bookingsPerMinute;

  app.get('/public/appointments/lines', {
    config: { access: 'public' },
    schema: {
      tags: ['appointments'], summary: 'Lines that take bookings',
      response: { 200: Type.Array(Type.Object({ letter: Type.String(), nameAr: Type.String(), nameEn: Type.String(), windows: Type.Integer() })) },
    },
  }, async () => appointments.bookableLines());

  app.get('/public/appointments/slots', {
    config: { access: 'public', rateLimit: { max: 60, timeWindow: '1 minute' } },
    schema: {
      tags: ['appointments'], summary: 'A line\'s future slots on a day with their free places (none on Fridays, Saturdays, holidays)',
      querystring: Type.Object({ line: Line, day: Day }),
      response: { 200: Type.Object({ line: Type.String(), day: Type.String(), slots: Type.Array(Slot) }) },
    },
  }, async (req) => appointments.slots(req.query.line, req.query.day));

  app.post('/public/appointments', {
    config: { access: 'public', rateLimit: { max: perMinute, timeWindow: '1 minute' } },
    schema: {
      tags: ['appointments'], summary: 'Book a slot: the booking code comes back and by SMS',
      body: Type.Object({
        line: Line, day: Day, time: Type.String({ minLength: 4, maxLength: 8, description: 'the slot\'s start, HH:MM Cairo time' }),
        nationalId: Type.String({ minLength: 1, maxLength: 40 }), mobile: Type.String({ minLength: 1, maxLength: 20 }),
      }, { additionalProperties: false }),
      response: { 200: Booking },
    },
  }, async (req) => appointments.book(req.body));

  app.post('/public/appointments/cancel', {
    config: { access: 'public', rateLimit: { max: perMinute, timeWindow: '1 minute' } },
    schema: {
      tags: ['appointments'], summary: 'Cancel a booking by its code and the national ID it was made with',
      body: Type.Object({ code: Type.String({ minLength: 1, maxLength: 20 }), nationalId: Type.String({ minLength: 1, maxLength: 40 }) }, { additionalProperties: false }),
      response: { 200: Booking },
    },
  }, async (req) => appointments.cancel(req.body));

  app.post('/appointments/check-in', {
    config: { access: ISSUERS },
    schema: {
      tags: ['appointments'], summary: 'Check a booked citizen in (code typed or scanned from the SMS QR): a ticket on the booked line',
      headers: IdempotencyHeaders,
      body: Type.Object({ code: Type.String({ minLength: 1, maxLength: 20 }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ ticket: IssuedTicket, booking: Booking, late: Type.Boolean() }) },
    },
  }, async (req) => {
    const by = staffActor(req.user!);
    return idempotency.once(actorKey(by), req.headers['idempotency-key'], { type: 'booking.checkIn', params: req.params, body: req.body },
      () => appointments.checkIn(req.body.code, by));
  });

  app.get('/appointments/settings', {
    config: { access: ['manager', 'admin'] },
    schema: { tags: ['appointments'], summary: 'The center\'s booking rules', response: { 200: Rules } },
  }, async () => appointments.rules());

  app.put('/appointments/settings', {
    config: { access: ['admin'] },
    schema: { tags: ['appointments'], summary: 'Change the booking rules (slot length, places per window, arrival window, days ahead)', body: Type.Partial(Rules), response: { 200: Rules } },
  }, async (req) => appointments.setRules(req.body, staffActor(req.user!)));
};
