// The public meeting day (لقاء الجماهير): dates, registrations at the citizen service
// window, the printable list, and the outcomes.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { Role } from '../../auth/roles.ts';
import { CitizenBody } from '../citizens/routes.ts';
import { staffKey } from '../../domain/actor.ts';
import { Day } from '../../http/schemas.ts';

const ORGANIZERS: Role[] = ['citizen_service', 'manager'];
const READERS: Role[] = ['citizen_service', 'manager', 'reception', 'supervisor', 'information'];

const Meeting = Type.Object({
  id: Type.Integer(), day: Type.String(), titleAr: Type.String(), capacity: Type.Integer(),
  status: Type.String(), registered: Type.Integer(), createdAt: Type.Integer(),
});
const Registration = Type.Object({
  id: Type.Integer(), meetingId: Type.Integer(), position: Type.Integer(), citizenId: Type.Integer(), citizenName: Type.String(),
  nationalIdLast4: Type.String(), mobile: Type.Union([Type.String(), Type.Null()]), subject: Type.String(), registeredAt: Type.Integer(),
  outcome: Type.Union([Type.String(), Type.Null()]), outcomeAt: Type.Union([Type.Integer(), Type.Null()]),
});
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

export const meetingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { meetings } = app.hub;
  const actor = (req: { user: { id: number } | null }) => staffKey(req.user!);

  app.get('/meetings', {
    config: { access: READERS },
    schema: { tags: ['meetings'], summary: 'Meeting days (from a day on)', querystring: Type.Object({ from: Type.Optional(Day) }), response: { 200: Type.Array(Meeting) } },
  }, async (req) => meetings.list({ fromDay: req.query.from }));

  app.post('/meetings', {
    config: { access: ORGANIZERS },
    schema: { tags: ['meetings'], summary: 'Set a meeting day with its capacity',
      body: Type.Object({ day: Day, titleAr: Type.String({ minLength: 2, maxLength: 200 }), capacity: Type.Integer({ minimum: 1, maximum: 1000 }) }, { additionalProperties: false }),
      response: { 201: Meeting } },
  }, async (req, reply) => reply.status(201).send(meetings.create(req.body, actor(req))));

  app.patch('/meetings/:id', {
    config: { access: ORGANIZERS },
    schema: { tags: ['meetings'], summary: 'Change capacity, mark held or cancelled', params: IdParams,
      body: Type.Object({ capacity: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })), status: Type.Optional(Type.Union([Type.Literal('held'), Type.Literal('cancelled')])) }, { additionalProperties: false }),
      response: { 200: Meeting } },
  }, async (req) => meetings.update(req.params.id, req.body, actor(req)));

  app.post('/meetings/:id/registrations', {
    config: { access: ['citizen_service', 'manager'] },
    schema: { tags: ['meetings'], summary: 'Register a citizen with their subject', params: IdParams,
      body: Type.Object({ citizen: CitizenBody, subject: Type.String({ minLength: 3, maxLength: 500 }) }, { additionalProperties: false }),
      response: { 201: Registration } },
  }, async (req, reply) => reply.status(201).send(meetings.register(req.params.id, req.body.citizen, req.body.subject, actor(req))));

  app.get('/meetings/:id/list', {
    config: { access: READERS },
    schema: { tags: ['meetings'], summary: 'The printable list, in speaking order', params: IdParams,
      response: { 200: Type.Object({ meeting: Meeting, registrations: Type.Array(Registration) }) } },
  }, async (req) => meetings.printable(req.params.id));

  app.post('/meetings/:id/registrations/:rid/outcome', {
    config: { access: ['manager', 'citizen_service'] },
    schema: { tags: ['meetings'], summary: 'Record what was decided for a citizen',
      params: Type.Object({ id: Type.Integer({ minimum: 1 }), rid: Type.Integer({ minimum: 1 }) }),
      body: Type.Object({ outcome: Type.String({ minLength: 2, maxLength: 1000 }) }, { additionalProperties: false }),
      response: { 200: Registration } },
  }, async (req) => meetings.recordOutcome(req.params.id, req.params.rid, req.body.outcome, actor(req)));
};
