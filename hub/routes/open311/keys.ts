// The administrator's Open311 api_keys (issue 14 item 4): list, issue (the key is in the
// answer once and never again: only its hash is kept), revoke. A key lets one application
// file complaints through POST /open311/v2/requests.{xml,json}.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { Role } from '../../auth/roles.ts';
import { staffKey } from '../../domain/actor.ts';

const ADMIN: Role[] = ['admin'];
const KeyView = Type.Object({
  id: Type.Integer(), label: Type.String(), prefix: Type.String(), createdAt: Type.Integer(), createdBy: Type.String(),
  revokedAt: Type.Union([Type.Integer(), Type.Null()]), revokedBy: Type.Union([Type.String(), Type.Null()]),
  lastUsedAt: Type.Union([Type.Integer(), Type.Null()]), complaints: Type.Integer(),
});

export const open311KeyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { open311Keys } = app.hub;

  app.get('/open311/keys', {
    config: { access: ADMIN },
    schema: { tags: ['open311'], summary: 'Open311 api_keys (never the keys themselves)', response: { 200: Type.Array(KeyView) } },
  }, async () => open311Keys.list());

  app.post('/open311/keys', {
    config: { access: ADMIN },
    schema: {
      tags: ['open311'], summary: 'Issue an Open311 api_key to an application; the key is shown in this answer only',
      body: Type.Object({ label: Type.String({ minLength: 2, maxLength: 100 }) }, { additionalProperties: false }),
      response: { 201: Type.Object({ key: Type.String(), record: KeyView }) },
    },
  }, async (req, reply) => reply.status(201).send(open311Keys.issue(req.body.label, staffKey(req.user!))));

  app.post('/open311/keys/:id/revoke', {
    config: { access: ADMIN },
    schema: {
      tags: ['open311'], summary: 'Revoke an Open311 api_key (its complaints stay)',
      params: Type.Object({ id: Type.Integer({ minimum: 1 }) }), response: { 200: KeyView },
    },
  }, async (req) => open311Keys.revoke(req.params.id, staffKey(req.user!)));
};
