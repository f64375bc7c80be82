// The administrator's SMS screen over HTTP: the kill switch and the center's "N ahead"
// setting (GET/PUT /api/sms/settings), and the outbox as it stands (GET /api/sms/outbox:
// what was sent to whom, its state, message ids and receipts) for support.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { staffKey } from '../domain/actor.ts';

const Settings = Type.Object({
  paused: Type.Boolean({ description: 'kill switch: true = nothing is submitted; messages wait (queue messages expire at the end of their day)' }),
  aheadAlert: Type.Integer({ minimum: 0, maximum: 50, description: 'SMS when this many people or fewer are ahead (0 = never)' }),
});
export const SettingsView = Type.Object({ ...Settings.properties, enabledByConfig: Type.Boolean(), sending: Type.Boolean() });

export const OutboxItem = Type.Object({
  id: Type.Integer(), mobile: Type.String(), kind: Type.String(), text: Type.String(), state: Type.String(), attempts: Type.Integer(),
  partsTotal: Type.Integer(), partsDone: Type.Integer(), lastError: Type.Union([Type.String(), Type.Null()]),
  receiptState: Type.Union([Type.String(), Type.Null()]), ticketId: Type.Union([Type.Integer(), Type.Null()]), fileId: Type.Union([Type.Integer(), Type.Null()]),
  createdAt: Type.Integer(), messageIds: Type.Array(Type.String()),
});

export const smsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { sms, config, db } = app.hub;
  const view = () => ({ ...sms.outbox.settings(), enabledByConfig: config.smsEnabled, sending: sms.outbox.sending });

  app.get('/sms/settings', {
    config: { access: ['admin', 'manager'] },
    schema: { tags: ['sms'], summary: 'The SMS kill switch and the "N ahead" setting', response: { 200: SettingsView } },
  }, async () => view());

  app.put('/sms/settings', {
    config: { access: ['admin'] },
    schema: { tags: ['sms'], summary: 'Pause or resume SMS sending; set N for the "N ahead" message', body: Type.Partial(Settings, { additionalProperties: false }), response: { 200: SettingsView } },
  }, async (req) => {
    sms.outbox.setSettings(req.body, staffKey(req.user!));
    return view();
  });

  app.get('/sms/outbox', {
    config: { access: ['admin', 'manager'] },
    schema: {
      tags: ['sms'], summary: 'The latest SMS, newest first',
      querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) }, { additionalProperties: false }),
      response: { 200: Type.Array(OutboxItem) },
    },
  }, async (req) => {
    const rows = db.prepare(`SELECT o.*, (SELECT json_group_array(message_id) FROM (SELECT message_id FROM sms_parts p WHERE p.outbox_id = o.id ORDER BY part)) AS ids
      FROM sms_outbox o ORDER BY id DESC LIMIT ?`).all(req.query.limit ?? 100) as Record<string, any>[];
    return rows.map((r) => ({
      id: r.id, mobile: r.mobile, kind: r.kind, text: r.text, state: r.state, attempts: r.attempts, partsTotal: r.parts_total, partsDone: r.parts_done,
      lastError: r.last_error, receiptState: r.receipt_state, ticketId: r.ticket_id, fileId: r.file_id, createdAt: r.created_at, messageIds: JSON.parse(r.ids),
    }));
  });
};
