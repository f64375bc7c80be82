// The manager's surprise inspection (التفتيش المفاجئ): open any file or complaint with its
// full history; the inspection itself is recorded.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { staffKey } from '../../domain/actor.ts';

const AuditEvent = Type.Object({
  id: Type.Integer(), at: Type.Integer(), actor: Type.String(), action: Type.String(), entity: Type.String(), entityId: Type.String(),
  before: Type.Unknown(), after: Type.Unknown(), hash: Type.String(),
});

/** The inspected record as stored (any entity) and its whole audit history. */
export const InspectionReply = Type.Object({ inspectionId: Type.Integer(), entity: Type.String(), entityId: Type.String(), record: Type.Unknown(), history: Type.Array(AuditEvent) });

export const inspectionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { inspections } = app.hub;

  app.post('/inspections', {
    config: { access: ['manager'] },
    schema: {
      tags: ['inspections'], summary: 'Inspect a file or complaint: its record and full audit history; the inspection is recorded',
      body: Type.Object({
        entity: Type.String({ pattern: '^[a-z_]{2,30}$', description: "'file', 'complaint', ..." }),
        entityId: Type.Union([Type.Integer({ minimum: 1 }), Type.String({ minLength: 1, maxLength: 40 })]),
        note: Type.Optional(Type.String({ maxLength: 1000 })),
      }, { additionalProperties: false }),
      response: { 201: InspectionReply },
    },
  }, async (req, reply) => reply.status(201).send(inspections.inspect(req.body.entity, String(req.body.entityId), req.body.note ?? null, staffKey(req.user!))));
};
