// The service catalog: public reads (reception hands out requirements and fees; the
// kiosk and the TV page may show them), admin writes.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { Role } from '../../auth/roles.ts';
import { staffKey } from '../../domain/actor.ts';
import { Day } from '../../http/schemas.ts';

const ADMIN: Role[] = ['admin'];
const Code = Type.String({ pattern: '^[A-Z][A-Z0-9-]{1,23}$', description: 'upper-case code, e.g. BLD-PERMIT' });
const Piasters = Type.Integer({ minimum: 0, maximum: 1_000_000_000, description: 'integer piasters (1 EGP = 100)' });
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

const Department = Type.Object({ id: Type.Integer(), code: Type.String(), nameAr: Type.String(), nameEn: Type.String(), active: Type.Boolean(), demo: Type.Boolean() });
const Fee = Type.Object({
  code: Type.String(), labelAr: Type.String(), labelEn: Type.String(), kind: Type.Union([Type.Literal('fixed'), Type.Literal('variable')]),
  amountPiasters: Type.Union([Type.Integer(), Type.Null()]), minPiasters: Type.Union([Type.Integer(), Type.Null()]), maxPiasters: Type.Union([Type.Integer(), Type.Null()]),
});
const Service = Type.Object({
  id: Type.Integer(), code: Type.String(), departmentId: Type.Integer(), nameAr: Type.String(), nameEn: Type.String(),
  legalPeriodDays: Type.Integer(), periodKind: Type.String(), requirementsAr: Type.String(), requirementsEn: Type.String(),
  active: Type.Boolean(), demo: Type.Boolean(), version: Type.Integer(),
  withoutFile: Type.Boolean({ description: 'paid at the revenue window with no case file (housing rent, inspection fees)' }),
  checklist: Type.Array(Type.Object({ position: Type.Integer(), labelAr: Type.String(), labelEn: Type.String(), required: Type.Boolean() })),
  fees: Type.Array(Fee),
});
const serviceFields = {
  code: Code,
  departmentId: Type.Integer({ minimum: 1 }),
  nameAr: Type.String({ minLength: 2, maxLength: 120 }),
  nameEn: Type.String({ minLength: 2, maxLength: 120 }),
  legalPeriodDays: Type.Integer({ minimum: 0, maximum: 3650 }),
  periodKind: Type.Union([Type.Literal('calendar'), Type.Literal('working')]),
  requirementsAr: Type.Optional(Type.String({ maxLength: 4000 })),
  requirementsEn: Type.Optional(Type.String({ maxLength: 4000 })),
  active: Type.Optional(Type.Boolean()),
  withoutFile: Type.Optional(Type.Boolean({ description: 'may be paid with no case file (revenue window)' })),
  checklist: Type.Array(Type.Object({
    labelAr: Type.String({ minLength: 2, maxLength: 200 }), labelEn: Type.Optional(Type.String({ maxLength: 200 })), required: Type.Optional(Type.Boolean()),
  }, { additionalProperties: false }), { maxItems: 40 }),
  fees: Type.Array(Type.Union([
    Type.Object({ code: Code, labelAr: Type.String({ minLength: 2, maxLength: 120 }), labelEn: Type.Optional(Type.String({ maxLength: 120 })), kind: Type.Literal('fixed'), amountPiasters: Piasters }, { additionalProperties: false }),
    Type.Object({ code: Code, labelAr: Type.String({ minLength: 2, maxLength: 120 }), labelEn: Type.Optional(Type.String({ maxLength: 120 })), kind: Type.Literal('variable'), minPiasters: Piasters, maxPiasters: Piasters }, { additionalProperties: false }),
  ]), { maxItems: 20 }),
};
const ServiceBody = Type.Object(serviceFields, { additionalProperties: false });
const ServiceUpdateBody = Type.Object({ ...serviceFields, version: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });

export const catalogRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { catalog } = app.hub;
  const actor = (req: { user: { id: number } | null }) => staffKey(req.user!);

  app.get('/departments', {
    config: { access: 'public' },
    schema: { tags: ['catalog'], summary: 'Departments', response: { 200: Type.Array(Department) } },
  }, async () => catalog.departments());

  app.post('/departments', {
    config: { access: ADMIN },
    schema: { tags: ['catalog'], summary: 'Add a department',
      body: Type.Object({ code: Code, nameAr: Type.String({ minLength: 2, maxLength: 120 }), nameEn: Type.String({ minLength: 2, maxLength: 120 }) }, { additionalProperties: false }),
      response: { 201: Department } },
  }, async (req, reply) => reply.status(201).send(catalog.createDepartment(req.body, actor(req))));

  app.patch('/departments/:id', {
    config: { access: ADMIN },
    schema: { tags: ['catalog'], summary: 'Rename or (de)activate a department', params: IdParams,
      body: Type.Object({ nameAr: Type.Optional(Type.String({ minLength: 2, maxLength: 120 })), nameEn: Type.Optional(Type.String({ minLength: 2, maxLength: 120 })), active: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
      response: { 200: Department } },
  }, async (req) => catalog.updateDepartment(req.params.id, req.body, actor(req)));

  app.get('/services', {
    config: { access: 'public' },
    schema: { tags: ['catalog'], summary: 'Services with checklist, fees, legal period and requirements',
      querystring: Type.Object({ departmentId: Type.Optional(Type.Integer({ minimum: 1 })), all: Type.Optional(Type.Boolean({ description: 'include inactive' })) }),
      response: { 200: Type.Array(Service) } },
  }, async (req) => catalog.services({ departmentId: req.query.departmentId, activeOnly: !req.query.all }));

  app.get('/services/:id', {
    config: { access: 'public' },
    schema: { tags: ['catalog'], summary: 'One service', params: IdParams, response: { 200: Service } },
  }, async (req) => catalog.service(req.params.id));

  app.post('/services', {
    config: { access: ADMIN },
    schema: { tags: ['catalog'], summary: 'Add a service', body: ServiceBody, response: { 201: Service } },
  }, async (req, reply) => reply.status(201).send(catalog.createService(req.body, actor(req))));

  app.put('/services/:id', {
    config: { access: ADMIN },
    schema: { tags: ['catalog'], summary: 'Replace a service definition (send the version you read)', params: IdParams,
      body: ServiceUpdateBody, response: { 200: Service } },
  }, async (req) => catalog.updateService(req.params.id, req.body, actor(req)));

  // The registration slip prints the day the law gives the center for this service when
  // the period starts at `from` (working-day periods skip weekends and the holidays here).
  app.get('/services/:id/due', {
    config: { access: 'public' },
    schema: { tags: ['catalog'], summary: 'The last day of a service\'s legal period starting at `from` (epoch ms; now by default)', params: IdParams,
      querystring: Type.Object({ from: Type.Optional(Type.Integer({ minimum: 0 })) }),
      response: { 200: Type.Object({ day: Type.String(), legalPeriodDays: Type.Integer(), periodKind: Type.String() }) } },
  }, async (req) => {
    const s = catalog.service(req.params.id);
    return { day: catalog.dueFor(s.id, req.query.from ?? app.hub.clock()).day, legalPeriodDays: s.legalPeriodDays, periodKind: s.periodKind };
  });

  app.post('/services/:id/fees/quote', {
    config: { access: 'public' },
    schema: { tags: ['catalog'], summary: 'Total of a service\'s fees for the entered variable amounts (checks the bounds)', params: IdParams,
      body: Type.Object({ fees: Type.Array(Type.Object({ code: Code, amountPiasters: Piasters }, { additionalProperties: false }), { maxItems: 20 }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ lines: Type.Array(Type.Object({ code: Type.String(), labelAr: Type.String(), labelEn: Type.String(), amountPiasters: Type.Integer() })), totalPiasters: Type.Integer() }) } },
  }, async (req) => catalog.chargeFees(req.params.id, req.body.fees));

  app.get('/holidays', {
    config: { access: 'public' },
    schema: { tags: ['catalog'], summary: 'Official holidays (not counted in working-day periods)', response: { 200: Type.Array(Type.Object({ day: Type.String(), nameAr: Type.String() })) } },
  }, async () => catalog.holidays());

  app.put('/holidays/:day', {
    config: { access: ADMIN },
    schema: { tags: ['catalog'], summary: 'Add or rename a holiday', params: Type.Object({ day: Day }),
      body: Type.Object({ nameAr: Type.String({ minLength: 2, maxLength: 100 }) }, { additionalProperties: false }) },
  }, async (req, reply) => {
    catalog.addHoliday(req.params.day, req.body.nameAr, actor(req));
    return reply.status(204).send();
  });

  app.delete('/holidays/:day', {
    config: { access: ADMIN },
    schema: { tags: ['catalog'], summary: 'Remove a holiday', params: Type.Object({ day: Day }) },
  }, async (req, reply) => {
    catalog.removeHoliday(req.params.day, actor(req));
    return reply.status(204).send();
  });
};
