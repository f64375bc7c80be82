// The treasury: payment orders for files (revenue clerk), collection with a numbered
// receipt (cashier), the two-person void (cashier asks, manager confirms), and the
// cashier's daily close.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { Role } from '../../auth/roles.ts';
import { ApiError } from '../../http/errors.ts';
import { IdempotencyHeaders } from '../queue/schemas.ts';
import { CollectSchema, DailyCloseSchema, DayReportSchema, PaymentOrderSchema, ReceiptSchema } from '../files/schemas.ts';
import { staffKey } from '../../domain/actor.ts';
import { deskRoles } from '../../domain/file-actions.ts';
import { Day } from '../../http/schemas.ts';

export const PAYMENT_ROLES = {
  issue: deskRoles('payment_order'),
  read: ['revenue', 'cashier', 'manager', 'information', 'supervisor'] as Role[],
  collect: ['cashier'] as Role[],
  voidRequest: ['cashier'] as Role[],
  voidDecide: ['manager'] as Role[],
  day: ['cashier', 'manager'] as Role[],
};

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

export const paymentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { payments, idempotency } = app.hub;
  // A POST whose fields are all optional may come without a body: validate it as {}.
  app.addHook('preValidation', async (req) => {
    if (req.body === undefined && req.method === 'POST') req.body = {};
  });

  app.post('/files/:id/payment-order', {
    config: { access: PAYMENT_ROLES.issue },
    schema: { tags: ['payments'], summary: 'Issue the payment order (إذن دفع) for a file awaiting payment (an open one is returned as is)', params: IdParams, response: { 200: PaymentOrderSchema, 201: PaymentOrderSchema } },
  }, async (req, reply) => {
    const { order, created } = payments.issueForFile(req.params.id, req.user!);
    return reply.status(created ? 201 : 200).send(order);
  });

  app.get('/payments/orders', {
    config: { access: PAYMENT_ROLES.read },
    schema: { tags: ['payments'], summary: 'Payment orders',
      querystring: Type.Object({
        status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('paid'), Type.Literal('cancelled')])),
        fileId: Type.Optional(Type.Integer({ minimum: 1 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
      }, { additionalProperties: false }), response: { 200: Type.Array(PaymentOrderSchema) } },
  }, async (req) => payments.orders(req.query));

  app.get('/payments/orders/:id', {
    config: { access: PAYMENT_ROLES.read },
    schema: { tags: ['payments'], summary: 'One payment order with its lines and receipt', params: IdParams, response: { 200: PaymentOrderSchema } },
  }, async (req) => payments.order(req.params.id));

  app.post('/payments/orders/:id/cancel', {
    config: { access: PAYMENT_ROLES.issue },
    schema: { tags: ['payments'], summary: 'Cancel an unpaid order', params: IdParams, response: { 200: PaymentOrderSchema },
      body: Type.Object({ reason: Type.String({ minLength: 3, maxLength: 500 }) }, { additionalProperties: false }) },
  }, async (req) => payments.cancelOrder(req.params.id, req.body.reason, req.user!));

  app.post('/payments/orders/:id/collect', {
    config: { access: PAYMENT_ROLES.collect },
    schema: { tags: ['payments'], summary: 'Collect the money: issues the next receipt number of the year (repeat-safe with Idempotency-Key)', params: IdParams, headers: IdempotencyHeaders, response: { 201: CollectSchema },
      body: Type.Object({ version: Type.Optional(Type.Integer({ minimum: 1 })), window: Type.Optional(Type.Integer({ minimum: 1, maximum: 999 })) }, { additionalProperties: false }) },
  }, async (req, reply) => reply.status(201).send(
    idempotency.once(staffKey(req.user!), req.headers['idempotency-key'], { type: 'payment.collect', params: req.params, body: req.body }, () => payments.collect(req.params.id, req.body, req.user!))));

  app.get('/payments/receipts', {
    config: { access: PAYMENT_ROLES.read },
    schema: { tags: ['payments'], summary: 'Receipts by day, cashier, year or status',
      querystring: Type.Object({
        day: Type.Optional(Day), cashier: Type.Optional(Type.String({ maxLength: 40 })), year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 9999 })),
        status: Type.Optional(Type.Union([Type.Literal('valid'), Type.Literal('void_requested'), Type.Literal('voided')])),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000 })),
      }, { additionalProperties: false }), response: { 200: Type.Array(ReceiptSchema) } },
  }, async (req) => payments.receipts(req.query));

  app.get('/payments/receipts/:id', {
    config: { access: PAYMENT_ROLES.read },
    schema: { tags: ['payments'], summary: 'One receipt', params: IdParams, response: { 200: ReceiptSchema } },
  }, async (req) => payments.receipt(req.params.id));

  app.post('/payments/receipts/:id/void-request', {
    config: { access: PAYMENT_ROLES.voidRequest },
    schema: { tags: ['payments'], summary: 'Step 1 of a void: the cashier asks, with a reason', params: IdParams, response: { 200: ReceiptSchema },
      body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false }) },
  }, async (req) => payments.requestVoid(req.params.id, req.body.reason, req.user!));

  app.post('/payments/receipts/:id/void-decision', {
    config: { access: PAYMENT_ROLES.voidDecide },
    schema: { tags: ['payments'], summary: 'Step 2: the manager confirms (voided, never deleted) or declines', params: IdParams, response: { 200: ReceiptSchema },
      body: Type.Object({ confirm: Type.Boolean(), note: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }) },
  }, async (req) => payments.decideVoid(req.params.id, req.body, req.user!));

  app.get('/payments/day', {
    config: { access: PAYMENT_ROLES.day },
    schema: { tags: ['payments'], summary: 'A cashier\'s day: totals by fee item (a cashier sees their own)',
      querystring: Type.Object({ day: Type.Optional(Day), cashier: Type.Optional(Type.String({ pattern: '^user:\\d+$' })) }, { additionalProperties: false }), response: { 200: DayReportSchema } },
  }, async (req) => {
    const me = staffKey(req.user!);
    const cashier = req.query.cashier ?? me;
    if (req.user!.role === 'cashier' && cashier !== me) throw new ApiError(403, 'FORBIDDEN', 'يعرض لك يومية خزينتك فقط', undefined, 'A cashier sees their own day');
    return payments.dayReport(cashier, req.query.day);
  });

  app.get('/payments/day/receipts', {
    config: { access: PAYMENT_ROLES.day },
    schema: { tags: ['payments'], summary: 'A cashier\'s receipts of a day, newest first, with payer and lines (a cashier sees their own)',
      querystring: Type.Object({ day: Type.Optional(Day), cashier: Type.Optional(Type.String({ pattern: '^user:\\d+$' })) }, { additionalProperties: false }),
      response: { 200: Type.Array(CollectSchema) } },
  }, async (req) => {
    const me = staffKey(req.user!);
    const cashier = req.query.cashier ?? me;
    if (req.user!.role === 'cashier' && cashier !== me) throw new ApiError(403, 'FORBIDDEN', 'يعرض لك إيصالات خزينتك فقط', undefined, 'A cashier sees their own receipts');
    return payments.dayReceipts(cashier, req.query.day);
  });

  app.post('/payments/day/close', {
    config: { access: PAYMENT_ROLES.collect },
    schema: { tags: ['payments'], summary: 'Close today\'s cash: totals frozen, no more collections today', response: { 201: DailyCloseSchema } },
  }, async (req, reply) => reply.status(201).send(payments.closeDay(req.user!)));
};
