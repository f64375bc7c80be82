// The kiosk's touch screen over HTTP (issue 14 item 2; access model in
// hub/services/kiosk-screens.ts):
//   GET    /kiosk-screen                  the page (the staff shell's bundle, data-page="kiosk")
//   POST   /api/kiosk-screen/session      pair this screen with a kiosk (device id + secret) → cookie
//   DELETE /api/kiosk-screen/session      unpair
//   GET    /api/kiosk-screen              the center and the kiosk's service buttons, live
//   POST   /api/kiosk-screen/tickets      a ticket for one of them, optional mobile for SMS; printed
//                                         by the kiosk (devices/{id}/print, after the commit), refused
//                                         409 KIOSK_OFFLINE / PRINTER_UNAVAILABLE when it cannot print
// The page shell carries no data (public); everything else acts as the paired kiosk only.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { IssuedTicket } from '@shubbak/protocol';
import { KIOSK_SCREEN_COOKIE } from '../../auth/guard.ts';
import { actorKey, deviceActor } from '../../domain/actor.ts';
import { IdempotencyHeaders } from '../queue/schemas.ts';

/** A paired screen stays paired for a year at most (the secret's rotation ends it sooner). */
const PAIRING_MAX_AGE_S = 365 * 24 * 3600;

export const ScreenView = Type.Object({
  deviceId: Type.String(),
  center: Type.String(),
  lines: Type.Array(Type.Object({
    line: Type.String(), name: Type.String(), nameEn: Type.String(), open: Type.Boolean(), waiting: Type.Integer(), estimatedWaitMin: Type.Integer(),
  })),
});

export const kioskScreenRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { kioskScreens, idempotency } = app.hub;

  app.post('/api/kiosk-screen/session', {
    config: { access: 'public', rateLimit: { max: 20, timeWindow: '1 minute' } },
    schema: {
      tags: ['kiosk'], summary: 'Pair this screen with a kiosk device (its id and secret); the screen then acts as that kiosk',
      body: Type.Object({ deviceId: Type.String({ minLength: 1, maxLength: 40 }), secret: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ deviceId: Type.String() }) },
    },
  }, async (req, reply) => {
    const s = kioskScreens.pair(req.body.deviceId, req.body.secret);
    reply.setCookie(KIOSK_SCREEN_COOKIE, s.token, { path: '/', httpOnly: true, sameSite: 'strict', secure: req.protocol === 'https', maxAge: PAIRING_MAX_AGE_S });
    return { deviceId: s.deviceId };
  });

  app.delete('/api/kiosk-screen/session', {
    config: { access: 'kiosk_screen' },
    schema: { tags: ['kiosk'], summary: 'Unpair this screen', response: { 204: Type.Null() } },
  }, async (req, reply) => {
    kioskScreens.unpair(req.cookies[KIOSK_SCREEN_COOKIE]!);
    reply.clearCookie(KIOSK_SCREEN_COOKIE, { path: '/' });
    return reply.status(204).send(null);
  });

  app.get('/api/kiosk-screen', {
    config: { access: 'kiosk_screen' },
    schema: { tags: ['kiosk'], summary: 'The center and this kiosk\'s service buttons with their live state', response: { 200: ScreenView } },
  }, async (req) => kioskScreens.view(req.kioskDevice!));

  app.post('/api/kiosk-screen/tickets', {
    config: { access: 'kiosk_screen' },
    schema: {
      tags: ['kiosk'], summary: 'Issue a ticket at this kiosk\'s screen, printed by the kiosk; an optional mobile gets the SMS (a bad one: INVALID_MOBILE, no ticket). Refused (409, nothing issued) with KIOSK_OFFLINE or PRINTER_UNAVAILABLE when the kiosk cannot print',
      headers: IdempotencyHeaders,
      body: Type.Object({
        line: Type.String({ pattern: '^[A-Z]$' }),
        mobile: Type.Optional(Type.String({ maxLength: 20 })),
      }, { additionalProperties: false }),
      response: { 200: Type.Object({ ticket: IssuedTicket }) },
    },
  }, async (req) => {
    const device = req.kioskDevice!;
    return idempotency.once(actorKey(deviceActor(device)), req.headers['idempotency-key'], { type: 'ticket.issue', params: {}, body: req.body },
      () => ({ ticket: kioskScreens.issue(device, req.body) }));
  });
};
