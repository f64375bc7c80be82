// The simulator page: /sim (HTML), /sim/page.js, /sim/events (SSE of device views) and
// the presses a visitor makes. Outside /api: it is a demo and training aid, registered
// only when SHUBBAK_SIMULATE is on, and it acts only on the simulated devices.
import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import Type from 'typebox';
import { ApiError } from '../http/errors.ts';
import { SimBridge } from './bridge.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Present when the simulator is on (SHUBBAK_SIMULATE). */
    sim?: SimBridge;
  }
}

const PAGE = new URL('./page.html', import.meta.url);
const SCRIPT = new URL('./page.js', import.meta.url);

const PressBody = Type.Object({
  device: Type.String({ pattern: '^[a-z0-9-]{1,40}$' }), key: Type.Integer({ minimum: 0, maximum: 31 }),
  /** A long press (the keypad's Pause key held = Finish). */
  hold: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });
const PaperBody = Type.Object(
  { device: Type.String({ pattern: '^[a-z0-9-]{1,40}$' }), state: Type.Union([Type.Literal('ok'), Type.Literal('paper-low'), Type.Literal('paper-out')]) },
  { additionalProperties: false },
);

async function routes(app: FastifyInstance): Promise<void> {
  const bridge = new SimBridge();
  app.decorate('sim', bridge);
  const page = fs.readFileSync(PAGE, 'utf8');
  const script = fs.readFileSync(SCRIPT, 'utf8');
  const pub = { config: { access: 'public' as const } };

  app.get('/sim', pub, async (_req, reply) => reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(page));
  app.get('/sim/page.js', pub, async (_req, reply) => reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-store').send(script));

  app.get('/sim/events', pub, (req, reply) => {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
    const send = (v: unknown) => res.write(`data: ${JSON.stringify(v)}\n\n`);
    for (const v of bridge.views.values()) send(v);
    bridge.on('view', send);
    const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
    req.raw.on('close', () => {
      clearInterval(ping);
      bridge.off('view', send);
    });
  });

  const relay = (ok: boolean, device: string) => {
    if (!bridge.running) throw new ApiError(503, 'SIM_NOT_RUNNING', 'الأجهزة التجريبية لا تعمل الآن', undefined, 'The simulated devices are not running');
    if (!bridge.views.has(device) || !ok) throw new ApiError(404, 'NOT_FOUND', `لا يوجد جهاز تجريبي ${device}`, undefined, `No simulated device ${device}`);
  };
  app.post('/sim/press', { ...pub, schema: { body: PressBody } }, async (req, reply) => {
    const { device, key, hold } = req.body as { device: string; key: number; hold?: boolean };
    relay(bridge.views.has(device) && bridge.send({ type: 'press', device, key, hold: hold === true }), device);
    return reply.status(202).send({ ok: true });
  });
  app.post('/sim/paper', { ...pub, schema: { body: PaperBody } }, async (req, reply) => {
    const { device, state } = req.body as { device: string; state: 'ok' | 'paper-low' | 'paper-out' };
    const view = bridge.views.get(device);
    if (view && view.kind !== 'kiosk') throw new ApiError(400, 'BAD_REQUEST', 'هذا الجهاز ليس كشكاً', undefined, 'Not a kiosk');
    relay(!!view && bridge.send({ type: 'paper', device, state }), device);
    return reply.status(202).send({ ok: true });
  });
}

export const simRoutes = fp(routes, { name: 'sim-routes' });
