// Complaints at the citizen service window and in the back office: register, list,
// open, forward to the department, answer, close. Scoped to the user's departments.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { Role } from '../../auth/roles.ts';
import { COMPLAINT_STATUSES } from '../../domain/complaints.ts';
import { CitizenBody } from '../citizens/routes.ts';
import { staffKey } from '../../domain/actor.ts';

export const COMPLAINT_ROLES = {
  register: ['citizen_service', 'manager'] as Role[],
  read: ['citizen_service', 'manager', 'representative', 'supervisor', 'reception', 'information'] as Role[],
  forward: ['citizen_service', 'manager', 'supervisor'] as Role[],
  answer: ['representative', 'manager'] as Role[],
  close: ['citizen_service', 'manager'] as Role[],
};

const Event = Type.Object({
  id: Type.Integer(), at: Type.Integer(), actor: Type.String(), event: Type.String(), fromStatus: Type.Union([Type.String(), Type.Null()]),
  toStatus: Type.String(), note: Type.Union([Type.String(), Type.Null()]), public: Type.Boolean(),
});
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
export const Complaint = Type.Object({
  id: Type.Integer(), inquiry: Type.String(), inquiryDisplay: Type.String(), citizenId: Nullable(Type.Integer()), citizenName: Nullable(Type.String()),
  contactName: Nullable(Type.String()), contactPhone: Nullable(Type.String()), departmentId: Type.Integer(), channel: Type.String(),
  subject: Type.String(), body: Type.String(), address: Nullable(Type.String()), lat: Nullable(Type.Number()), long: Nullable(Type.Number()),
  status: Type.String(), dueDay: Type.String(), overdue: Type.Boolean(), response: Nullable(Type.String()), publicNote: Nullable(Type.String()),
  registeredAt: Type.Integer(), registeredBy: Type.String(), updatedAt: Type.Integer(), closedAt: Nullable(Type.Integer()), version: Type.Integer(),
});
export const Detail = Type.Intersect([Complaint, Type.Object({ events: Type.Array(Event) })]);
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const Version = Type.Optional(Type.Integer({ minimum: 1, description: 'the version you read: a stale one gets 409' }));

export const complaintRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { complaints } = app.hub;

  app.post('/complaints', {
    config: { access: COMPLAINT_ROLES.register },
    schema: { tags: ['complaints'], summary: 'Register a complaint; returns its inquiry number',
      body: Type.Object({
        citizen: CitizenBody,
        departmentId: Type.Integer({ minimum: 1 }),
        subject: Type.String({ minLength: 3, maxLength: 200 }),
        body: Type.String({ minLength: 3, maxLength: 5000 }),
      }, { additionalProperties: false }),
      response: { 201: Complaint } },
  }, async (req, reply) => reply.status(201).send(complaints.register(req.body, staffKey(req.user!))));

  app.get('/complaints', {
    config: { access: COMPLAINT_ROLES.read },
    schema: { tags: ['complaints'], summary: 'Complaints (only your departments\' if you are scoped)',
      querystring: Type.Object({
        status: Type.Optional(Type.Union(COMPLAINT_STATUSES.map((s) => Type.Literal(s)))),
        departmentId: Type.Optional(Type.Integer({ minimum: 1 })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
      }),
      response: { 200: Type.Array(Complaint) } },
  }, async (req) => complaints.list(req.user, req.query));

  app.get('/complaints/:id', {
    config: { access: COMPLAINT_ROLES.read },
    schema: { tags: ['complaints'], summary: 'One complaint with its history', params: IdParams, response: { 200: Detail } },
  }, async (req) => complaints.get(req.params.id, req.user));

  app.post('/complaints/:id/forward', {
    config: { access: COMPLAINT_ROLES.forward },
    schema: { tags: ['complaints'], summary: 'Send to the competent department', params: IdParams,
      body: Type.Object({ departmentId: Type.Optional(Type.Integer({ minimum: 1 })), note: Type.Optional(Type.String({ maxLength: 1000 })), version: Version }, { additionalProperties: false }),
      response: { 200: Detail } },
  }, async (req) => complaints.forward(req.params.id, req.body ?? {}, req.user!));

  app.post('/complaints/:id/answer', {
    config: { access: COMPLAINT_ROLES.answer },
    schema: { tags: ['complaints'], summary: 'The department\'s answer (publicNote is shown to the citizen)', params: IdParams,
      body: Type.Object({ response: Type.String({ minLength: 3, maxLength: 5000 }), publicNote: Type.Optional(Type.String({ maxLength: 1000 })), version: Version }, { additionalProperties: false }),
      response: { 200: Detail } },
  }, async (req) => complaints.answer(req.params.id, req.body, req.user!));

  app.post('/complaints/:id/close', {
    config: { access: COMPLAINT_ROLES.close },
    schema: { tags: ['complaints'], summary: 'Close an answered complaint', params: IdParams,
      body: Type.Object({ note: Type.Optional(Type.String({ maxLength: 1000 })), version: Version }, { additionalProperties: false }),
      response: { 200: Detail } },
  }, async (req) => complaints.close(req.params.id, req.body ?? {}, req.user!));
};
