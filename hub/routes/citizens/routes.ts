// Citizens: found or registered by national ID at the windows that deal with them.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { Role } from '../../auth/roles.ts';
import { ApiError } from '../../http/errors.ts';
import { staffKey } from '../../domain/actor.ts';

/** The windows that register citizens, and the staff who deal with them afterwards. The
 *  administrator manages the system, not citizens' data, so is not among them. */
export const CITIZEN_WRITERS: Role[] = ['intake', 'citizen_service', 'manager'];
const CITIZEN_READERS: Role[] = [...CITIZEN_WRITERS, 'reception', 'representative', 'revenue', 'cashier', 'delivery', 'supervisor'];

const Citizen = Type.Object({
  id: Type.Integer(), nationalId: Type.String(), name: Type.String(), mobile: Type.Union([Type.String(), Type.Null()]),
  birthDate: Type.String(), governorateCode: Type.String(), gender: Type.String(), createdAt: Type.Integer(),
});
export const CitizenBody = Type.Object({
  nationalId: Type.String({ minLength: 1, maxLength: 32, description: '14 digits (Arabic-Indic digits accepted)' }),
  name: Type.String({ minLength: 1, maxLength: 120 }),
  mobile: Type.Optional(Type.Union([Type.String({ maxLength: 20 }), Type.Null()])),
}, { additionalProperties: false });

export const citizenRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { citizens } = app.hub;

  app.post('/citizens', {
    config: { access: CITIZEN_WRITERS },
    schema: { tags: ['citizens'], summary: 'Find the citizen by national ID, or register them', body: CitizenBody,
      response: { 200: Type.Object({ citizen: Citizen, created: Type.Boolean() }) } },
  }, async (req) => citizens.findOrCreate(req.body, staffKey(req.user!)));

  app.get('/citizens', {
    config: { access: CITIZEN_READERS },
    schema: { tags: ['citizens'], summary: 'Look a citizen up by national ID', querystring: Type.Object({ nationalId: Type.String({ minLength: 1, maxLength: 32 }) }),
      response: { 200: Citizen } },
  }, async (req) => {
    const info = citizens.parseId(req.query.nationalId, '/nationalId');
    const c = citizens.byNationalId(info.nationalId);
    if (!c) throw new ApiError(404, 'CITIZEN_NOT_FOUND', 'المواطن غير مسجل', undefined, 'No such citizen');
    return c;
  });

  app.get('/citizens/:id', {
    config: { access: CITIZEN_READERS },
    schema: { tags: ['citizens'], summary: 'One citizen', params: Type.Object({ id: Type.Integer({ minimum: 1 }) }), response: { 200: Citizen } },
  }, async (req) => citizens.get(req.params.id));
};
