// User administration (administrator): list, create with a one-time password shown once,
// change role / departments / window, deactivate, reset a password.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { ROLES, type Role } from '../../auth/roles.ts';
import { actorDisplay, staffActor, staffKey } from '../../domain/actor.ts';

const RoleSchema = Type.Union(ROLES.map((r) => Type.Literal(r)));
const UserView = Type.Object({
  id: Type.Integer(), username: Type.String(), name: Type.String(), role: Type.String(),
  departmentIds: Type.Union([Type.Array(Type.Integer()), Type.Null()]), window: Type.Union([Type.Integer(), Type.Null()]),
  active: Type.Boolean(), mustChangePassword: Type.Boolean(), version: Type.Integer(), createdAt: Type.Integer(), demo: Type.Boolean(),
});
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const ADMIN: Role[] = ['admin'];

export const userRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { staff } = app.hub;
  const actor = (req: { user: { id: number } | null }) => staffKey(req.user!);

  app.get('/users', {
    config: { access: ADMIN },
    schema: { tags: ['users'], summary: 'Every staff account', response: { 200: Type.Array(UserView) } },
  }, async () => staff.list());

  // Histories name people: every audit entry and file event says who as 'user:<id>'. Any
  // signed-in staff member may read the names and roles behind those ids (nothing else of
  // the accounts) so the panels show "سارة — مدير المركز" instead of "user:5".
  app.get('/staff/directory', {
    config: { access: ROLES },
    schema: {
      tags: ['users'], summary: 'Names and roles behind the actor ids of histories (user:<id>), for every signed-in role',
      response: { 200: Type.Array(Type.Object({ actor: Type.String(), name: Type.String(), role: Type.String(), roleAr: Type.String(), roleEn: Type.String(), active: Type.Boolean() })) },
    },
  }, async () => staff.list().map((u) => {
    const d = actorDisplay(staffActor(u));
    return { actor: staffKey(u), name: d.name, role: u.role, roleAr: d.roleAr, roleEn: d.roleEn, active: u.active };
  }));

  app.post('/users', {
    config: { access: ADMIN },
    schema: {
      tags: ['users'], summary: 'Create a staff account; its one-time password is returned once',
      body: Type.Object({
        username: Type.String({ pattern: '^[a-z][a-z0-9._-]{2,31}$', description: 'lower-case latin letters, digits, . _ -' }),
        name: Type.String({ minLength: 2, maxLength: 100 }),
        role: RoleSchema,
        departmentIds: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 50 })),
        window: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 999 }), Type.Null()])),
      }, { additionalProperties: false }),
      response: { 201: Type.Object({ user: UserView, password: Type.String() }) },
    },
  }, async (req, reply) => reply.status(201).send(await staff.create(req.body, actor(req))));

  app.patch('/users/:id', {
    config: { access: ADMIN },
    schema: {
      tags: ['users'], summary: 'Change name, role, departments or window (send the version you read)', params: IdParams,
      body: Type.Object({
        version: Type.Integer({ minimum: 1 }),
        name: Type.Optional(Type.String({ minLength: 2, maxLength: 100 })),
        role: Type.Optional(RoleSchema),
        departmentIds: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 50 })),
        window: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 999 }), Type.Null()])),
      }, { additionalProperties: false }),
      response: { 200: UserView },
    },
  }, async (req) => staff.update(req.params.id, req.body, actor(req)));

  app.post('/users/:id/deactivate', {
    config: { access: ADMIN },
    schema: { tags: ['users'], summary: 'Deactivate an account; its sessions end', params: IdParams, response: { 200: UserView } },
  }, async (req) => staff.deactivate(req.params.id, actor(req)));

  app.post('/users/:id/reset-password', {
    config: { access: ADMIN },
    schema: { tags: ['users'], summary: 'New one-time password, returned once', params: IdParams, response: { 200: Type.Object({ password: Type.String() }) } },
  }, async (req) => ({ password: await staff.resetPassword(req.params.id, actor(req)) }));
};
