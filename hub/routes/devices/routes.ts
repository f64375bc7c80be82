// Device registry routes: register (the secret is shown once), rotate, bind, list, remove.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { Binding, DeviceIdParams, DeviceView, DeviceWithSecret, RegisterDeviceBody } from './schemas.ts';

export const deviceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { devices } = app.hub;

  app.get('/devices', {
    config: { access: ['admin', 'manager', 'supervisor', 'information'] },
    schema: { tags: ['devices'], summary: 'Every device with presence and health', response: { 200: Type.Array(DeviceView) } },
  }, async () => devices.list());

  app.post('/devices', {
    config: { access: ['admin'] },
    schema: { tags: ['devices'], summary: 'Register a device; its secret is returned once', body: RegisterDeviceBody, response: { 201: DeviceWithSecret } },
  }, async (req, reply) => {
    const r = devices.register(req.body);
    return reply.status(201).send(r);
  });

  app.post('/devices/:id/rotate-secret', {
    config: { access: ['admin'] },
    schema: { tags: ['devices'], summary: 'Issue a new secret; the old one stops working', params: DeviceIdParams,
      response: { 200: Type.Object({ secret: Type.String() }) } },
  }, async (req) => ({ secret: devices.rotateSecret(req.params.id) }));

  app.put('/devices/:id/binding', {
    config: { access: ['admin'] },
    schema: { tags: ['devices'], summary: 'Bind a device to a window, lines or the hall', params: DeviceIdParams, body: Binding, response: { 200: DeviceView } },
  }, async (req) => devices.bind(req.params.id, req.body));

  app.delete('/devices/:id', {
    config: { access: ['admin'] },
    schema: { tags: ['devices'], summary: 'Remove a device', params: DeviceIdParams },
  }, async (req, reply) => {
    devices.remove(req.params.id);
    return reply.status(204).send();
  });
};
