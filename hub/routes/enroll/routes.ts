// Device enrollment routes (issue 10 item 5): the administrator gets a one-time code for a
// registered device; a device being installed redeems it once (POST /api/enroll, open to
// anyone — the code is the credential — and throttled per address in the service).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import { ENROLL_ERRORS, EnrollRequest, EnrollResponse } from '@shubbak/protocol/enrollment';
import { ApiError } from '../../http/errors.ts';
import { EnrollmentError } from '../../domain/enrollment.ts';
import { DeviceIdParams } from '../devices/schemas.ts';
import { staffKey } from '../../domain/actor.ts';

const IssuedCode = Type.Object({
  deviceId: Type.String(),
  kind: Type.String(),
  code: Type.String({ description: 'XXXX-XXXX; shown once, stored only as a hash' }),
  expiresAt: Type.Integer(),
  /** What to type on the device (also what the QR code holds, for a scanner that types it). */
  command: Type.String(),
  /** With TLS: the SHA-256 of the center CA the device pins (issue 17); null without TLS. */
  caSha256: Type.Union([Type.String(), Type.Null()]),
});

/** The hub as the caller reached it (scheme, host, port): the devices use the same name. */
function reachedAs(req: FastifyRequest): URL {
  return new URL(`${req.protocol}://${req.host}`);
}

export const enrollRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { enrollment } = app.hub;

  app.post('/devices/:id/enrollment-code', {
    config: { access: ['admin'] },
    schema: {
      tags: ['devices'], summary: 'Issue a one-time enrollment code for a device (15 minutes, one use; replaces any earlier code)',
      params: DeviceIdParams, response: { 201: IssuedCode },
    },
  }, async (req, reply) => {
    const issued = enrollment.issue(req.params.id, staffKey(req.user!));
    const hub = reachedAs(req).origin;
    // Over HTTPS the device pins the center CA by its fingerprint before it sends the code.
    const pin = enrollment.caSha256();
    const command = `shubbak-device enroll ${hub} ${issued.code}${pin && hub.startsWith('https:') ? ` --ca-sha256 ${pin}` : ''}`;
    return reply.status(201).send({ ...issued, command, caSha256: pin });
  });

  app.post('/enroll', {
    config: { access: 'public' },
    schema: {
      tags: ['devices'], summary: 'A device redeems its one-time code: its id, a new secret and the broker address, once',
      body: EnrollRequest, response: { 200: EnrollResponse },
    },
  }, async (req, reply) => {
    try {
      const r = enrollment.redeem(req.body.code, req.ip, req.body.kind);
      // The broker on the host name the device used to reach this hub; with TLS, mqtts://
      // and the center's CA certificate, which the device checks the broker against (issue 17).
      const broker = enrollment.brokerFor(reachedAs(req).hostname);
      return { deviceId: r.deviceId, kind: r.kind, secret: r.secret, ...broker };
    } catch (err) {
      if (!(err instanceof EnrollmentError)) throw err;
      const e = ENROLL_ERRORS[err.code];
      if (err.retryAfterMs) void reply.header('retry-after', String(Math.ceil(err.retryAfterMs / 1000)));
      throw new ApiError(e.status, err.code, e.ar, undefined, e.en);
    }
  });
};
