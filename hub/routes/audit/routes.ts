// The audit trail for the people who answer for it: one entity's history, and a check of
// the whole hash chain (the same check as scripts/audit-verify.ts).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { Role } from '../../auth/roles.ts';

const AUDITORS: Role[] = ['manager', 'supervisor', 'information', 'admin'];

export const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { audit } = app.hub;

  app.get('/audit', {
    config: { access: AUDITORS },
    schema: {
      tags: ['audit'], summary: 'Every audit event about one entity, oldest first (who, when, what, before/after)',
      querystring: Type.Object({ entity: Type.String({ pattern: '^[a-z_]{2,30}$' }), entityId: Type.String({ minLength: 1, maxLength: 64 }) }),
      response: { 200: Type.Array(Type.Object({
        id: Type.Integer(), at: Type.Integer(), actor: Type.String(), action: Type.String(), entity: Type.String(), entityId: Type.String(),
        before: Type.Unknown(), after: Type.Unknown(), hash: Type.String(),
      })) },
    },
  }, async (req) => audit.history(req.query.entity, req.query.entityId).map(({ prevHash: _p, ...e }) => e));

  app.get('/audit/verify', {
    config: { access: ['manager', 'information', 'admin'] },
    schema: {
      tags: ['audit'], summary: 'Check the whole hash chain',
      response: { 200: Type.Object({ ok: Type.Boolean(), count: Type.Integer(), lastHash: Type.Optional(Type.String()), brokenAt: Type.Optional(Type.Integer()), reason: Type.Optional(Type.String()) }) },
    },
  }, async () => audit.verify());
};
