// Case files over HTTP: the intake window registers, each role moves the file through its
// own stage (hub/domain/file-workflow.ts decides who may do what), the treasury and
// delivery windows open the file of the ticket they called, anyone at the counters finds
// a file by inquiry number. Scoped to the user's departments.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { Role } from '../../auth/roles.ts';
import { deskRoles } from '../../domain/file-actions.ts';
import { FILE_STATUSES, rolesFor } from '../../domain/file-workflow.ts';
import { CitizenBody } from '../citizens/routes.ts';
import { IdempotencyHeaders } from '../queue/schemas.ts';
import { AtWindowSchema, CaseFileSchema, DeliveryTicketSchema, FileDetailSchema } from './schemas.ts';
import { staffKey } from '../../domain/actor.ts';

export const FILE_ROLES = {
  register: ['intake', 'manager'] as Role[],
  read: ['intake', 'representative', 'manager', 'revenue', 'cashier', 'delivery', 'reception', 'supervisor', 'information'] as Role[],
  counters: ['intake', 'revenue', 'cashier', 'delivery', 'manager', 'reception'] as Role[],
  deliveryTicket: deskRoles('delivery_ticket'),
};

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const Version = Type.Optional(Type.Integer({ minimum: 1, description: 'the version you read: a stale one gets 409' }));
const Note = Type.Optional(Type.String({ maxLength: 1000 }));
const Reason = Type.String({ minLength: 1, maxLength: 1000 });
const PublicNote = Type.Optional(Type.String({ maxLength: 1000, description: 'shown to the citizen on the status page' }));
const Signature = Type.String({ minLength: 1, maxLength: 200, description: 'the signer\'s signature as recorded (name or signature reference)' });
const Fees = Type.Array(Type.Object({ code: Type.String({ minLength: 1, maxLength: 40 }), amountPiasters: Type.Integer({ minimum: 0, maximum: 1_000_000_000 }) },
  { additionalProperties: false }), { maxItems: 50, description: 'variable fee items as entered (fixed ones are taken from the schedule)' });

export const fileRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { files, idempotency, sms } = app.hub;
  // A POST whose fields are all optional may come without a body: validate it as {}.
  app.addHook('preValidation', async (req) => {
    if (req.body === undefined && req.method === 'POST') req.body = {};
  });

  app.post('/files', {
    config: { access: FILE_ROLES.register },
    schema: {
      tags: ['files'], summary: 'Register a file at the intake window (links the ticket being served); returns its inquiry number',
      headers: IdempotencyHeaders, response: { 201: FileDetailSchema },
      body: Type.Object({
        serviceId: Type.Integer({ minimum: 1 }),
        citizen: CitizenBody,
        checklist: Type.Array(Type.Object({ position: Type.Integer({ minimum: 0 }), present: Type.Boolean(), note: Type.Optional(Type.String({ maxLength: 500 })) },
          { additionalProperties: false }), { maxItems: 100 }),
        window: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 999 }), Type.Null()])),
        note: Note,
        mobile: Type.Optional(Type.String({ maxLength: 20, description: 'the citizen agrees to SMS about this file\'s stages at this Egyptian mobile; a bad one is refused with INVALID_MOBILE and no file' })),
      }, { additionalProperties: false }),
    },
  }, async (req, reply) => reply.status(201).send(
    // A retried registration (same Idempotency-Key) returns the first file instead of opening a second.
    idempotency.once(staffKey(req.user!), req.headers['idempotency-key'], { type: 'file.register', params: req.params, body: req.body }, () => {
      const { mobile, ...input } = req.body;
      const file = files.register(input, req.user!);
      if (mobile) sms.triggers.subscribeFile(file.id, mobile); // same transaction (hub/sms/triggers.ts)
      return file;
    })));

  app.get('/files', {
    config: { access: FILE_ROLES.read },
    schema: {
      tags: ['files'], summary: 'Files (only your departments\' if you are scoped)',
      querystring: Type.Object({
        status: Type.Optional(Type.Union(FILE_STATUSES.map((s) => Type.Literal(s)))),
        departmentId: Type.Optional(Type.Integer({ minimum: 1 })),
        citizenId: Type.Optional(Type.Integer({ minimum: 1 })),
        overdue: Type.Optional(Type.Boolean()),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
      }, { additionalProperties: false }),
      response: { 200: Type.Array(CaseFileSchema) },
    },
  }, async (req) => files.list(req.user, req.query));

  app.get('/files/:id', {
    config: { access: FILE_ROLES.read },
    schema: { tags: ['files'], summary: 'One file: checklist, fees, attachments, stage history, time per stage', params: IdParams, response: { 200: FileDetailSchema } },
  }, async (req) => files.get(req.params.id, req.user));

  app.get('/files/by-inquiry/:inquiry', {
    config: { access: FILE_ROLES.read },
    schema: { tags: ['files'], summary: 'Find a file by inquiry number (a mistyped number is refused with 400)', params: Type.Object({ inquiry: Type.String({ minLength: 1, maxLength: 40 }) }), response: { 200: FileDetailSchema } },
  }, async (req) => files.get({ inquiry: req.params.inquiry }, req.user));

  app.get('/files/at-window/:n', {
    config: { access: FILE_ROLES.counters },
    schema: { tags: ['files'], summary: 'The ticket a window is serving and its file, if linked', params: Type.Object({ n: Type.Integer({ minimum: 1, maximum: 999 }) }), response: { 200: AtWindowSchema } },
  }, async (req) => files.atWindow(req.params.n, req.user));

  app.post('/files/:id/forward', {
    config: { access: rolesFor('forward') },
    schema: { tags: ['files'], summary: 'Forward to the department representative (the citizen\'s ticket is parked)', params: IdParams, response: { 200: FileDetailSchema },
      body: Type.Object({ version: Version, note: Note }, { additionalProperties: false }) },
  }, async (req) => files.forward(req.params.id, req.body, req.user!));

  app.post('/files/:id/return', {
    config: { access: rolesFor('return') },
    schema: { tags: ['files'], summary: 'Return for missing documents', params: IdParams, response: { 200: FileDetailSchema },
      body: Type.Object({ version: Version, reason: Reason, publicNote: PublicNote }, { additionalProperties: false }) },
  }, async (req) => files.returnForDocuments(req.params.id, req.body, req.user!));

  app.post('/files/:id/resubmit', {
    config: { access: rolesFor('resubmit') },
    schema: { tags: ['files'], summary: 'Back to technical review once the documents are complete', params: IdParams, response: { 200: FileDetailSchema },
      body: Type.Object({ version: Version, note: Note }, { additionalProperties: false }) },
  }, async (req) => files.resubmit(req.params.id, req.body, req.user!));

  app.post('/files/:id/refuse', {
    config: { access: rolesFor('refuse') },
    schema: { tags: ['files'], summary: 'Refuse at technical review, with a reason', params: IdParams, response: { 200: FileDetailSchema },
      body: Type.Object({ version: Version, reason: Reason, publicNote: PublicNote }, { additionalProperties: false }) },
  }, async (req) => files.refuse(req.params.id, req.body, req.user!));

  app.post('/files/:id/review', {
    config: { access: rolesFor('review') },
    schema: { tags: ['files'], summary: 'Sign the technical review and fix the fees (the ticket joins the treasury line)', params: IdParams, response: { 200: FileDetailSchema },
      body: Type.Object({ version: Version, fees: Fees, signature: Signature, note: Note }, { additionalProperties: false }) },
  }, async (req) => files.review(req.params.id, req.body, req.user!));

  app.post('/files/:id/approve', {
    config: { access: rolesFor('approve') },
    schema: { tags: ['files'], summary: 'The manager\'s approval: signature and the center\'s stamp', params: IdParams, response: { 200: FileDetailSchema },
      body: Type.Object({ version: Version, signature: Signature, stamp: Type.String({ minLength: 1, maxLength: 200 }), note: Note }, { additionalProperties: false }) },
  }, async (req) => files.approve(req.params.id, req.body, req.user!));

  app.post('/files/:id/dispatch', {
    config: { access: rolesFor('dispatch') },
    schema: { tags: ['files'], summary: 'Send to the competent department; the due date follows the service\'s legal period', params: IdParams, response: { 200: FileDetailSchema },
      body: Type.Object({ version: Version, note: Note }, { additionalProperties: false }) },
  }, async (req) => files.dispatch(req.params.id, req.body, req.user!));

  app.post('/files/:id/decide', {
    config: { access: rolesFor('decide') },
    schema: { tags: ['files'], summary: 'Record the department\'s decision (a refusal needs a reason)', params: IdParams, response: { 200: FileDetailSchema },
      body: Type.Object({
        version: Version, decision: Type.Union([Type.Literal('accepted'), Type.Literal('refused')]),
        reason: Type.Optional(Type.String({ maxLength: 1000 })), publicNote: PublicNote,
      }, { additionalProperties: false }) },
  }, async (req) => files.decide(req.params.id, req.body, req.user!));

  app.post('/files/:id/ready', {
    config: { access: rolesFor('mark_ready') },
    schema: { tags: ['files'], summary: 'Ready for delivery', params: IdParams, response: { 200: FileDetailSchema },
      body: Type.Object({ version: Version, note: Note, publicNote: PublicNote }, { additionalProperties: false }) },
  }, async (req) => files.markReady(req.params.id, req.body, req.user!));

  app.post('/files/:id/delivery-ticket', {
    config: { access: FILE_ROLES.deliveryTicket },
    schema: { tags: ['files'], summary: 'A delivery-line ticket linked to a ready file (reception)', params: IdParams, response: { 201: DeliveryTicketSchema } },
  }, async (req, reply) => reply.status(201).send(files.deliveryTicket(req.params.id, req.user!)));

  app.post('/files/:id/deliver', {
    config: { access: rolesFor('deliver') },
    schema: { tags: ['files'], summary: 'Hand the result over: to whom and the ID they showed', params: IdParams, response: { 200: FileDetailSchema },
      body: Type.Object({
        version: Version, toName: Type.String({ minLength: 1, maxLength: 120 }), toNationalId: Type.Optional(Type.String({ maxLength: 32 })),
        idDocument: Type.String({ minLength: 1, maxLength: 200, description: 'the ID shown, e.g. بطاقة رقم قومي / توكيل رقم …' }), note: Note,
      }, { additionalProperties: false }) },
  }, async (req) => files.deliver(req.params.id, req.body, req.user!));
};
