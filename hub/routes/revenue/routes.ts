// The revenue window's other work: housing revenues and inspection fees (electricity,
// water …) that belong to no file, as payment orders under a service's fee schedule.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { PAYMENT_ROLES } from '../payments/routes.ts';
import { IdempotencyHeaders } from '../queue/schemas.ts';
import { PaymentOrderSchema } from '../files/schemas.ts';
import { staffKey } from '../../domain/actor.ts';

export const revenueRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { payments, idempotency } = app.hub;

  app.post('/revenue/orders', {
    config: { access: PAYMENT_ROLES.issue },
    schema: { tags: ['payments'], summary: 'A payment order with no file (housing revenue, inspection fees)', headers: IdempotencyHeaders, response: { 201: PaymentOrderSchema },
      body: Type.Object({
        serviceId: Type.Integer({ minimum: 1 }),
        fees: Type.Array(Type.Object({ code: Type.String({ minLength: 1, maxLength: 40 }), amountPiasters: Type.Integer({ minimum: 0, maximum: 1_000_000_000 }) },
          { additionalProperties: false }), { maxItems: 50 }),
        payerName: Type.String({ minLength: 1, maxLength: 120 }),
        payerNationalId: Type.Optional(Type.String({ maxLength: 32 })),
        reference: Type.Optional(Type.String({ maxLength: 120, description: 'housing unit, meter or account number' })),
      }, { additionalProperties: false }) },
  }, async (req, reply) => reply.status(201).send(
    idempotency.once(staffKey(req.user!), req.headers['idempotency-key'], { type: 'revenue.order', params: req.params, body: req.body }, () => payments.issueRevenue(req.body, req.user!))));
};
