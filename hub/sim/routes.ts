// The simulator page: /sim (HTML), /sim/page.js, /sim/events (SSE of device views) and
// the presses a visitor makes. Outside /api: it is a demo and training aid, registered
// only when SHUBBAK_SIMULATE is on, and it acts only on the simulated devices.
//
// Those devices drive the real queue (they issue tickets, call and no-show citizens, pause
// windows), so /sim answers only a client on this machine (loopback) or a signed-in
// administrator (issue 15, fault 8); anyone else on the center's network gets 403. An
// administrator's presses carry the CSRF token like every other state change.
import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import Type from 'typebox';
import type { FastifyRequest } from 'fastify';
import { ApiError } from '../http/errors.ts';
import { CSRF_HEADER } from '../auth/guard.ts';
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
  // Declared public for the access guard (there is no role for "this machine"); the
  // preHandler below is what decides. docs/roles.md lists /sim as demo-only.
  const pub = { config: { access: 'public' as const }, preHandler: loopbackOrAdmin };

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

/** True for a client on this machine (the hub does not trust proxy headers: trustProxy is off). */
export function isLoopback(ip: string | undefined): boolean {
  if (!ip) return false;
  const v4 = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
  return v4 === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

async function loopbackOrAdmin(req: FastifyRequest): Promise<void> {
  if (isLoopback(req.socket.remoteAddress)) return;
  if (req.user?.role === 'admin' && req.session) {
    if (req.method !== 'GET' && req.headers[CSRF_HEADER] !== req.session.csrfToken) {
      throw new ApiError(403, 'CSRF', 'انتهت صلاحية الصفحة، أعد تحميلها وحاول مرة أخرى', undefined, 'Missing or wrong CSRF token');
    }
    return;
  }
  throw new ApiError(403, 'SIM_LOCAL_ONLY', 'صفحة الأجهزة التجريبية متاحة من جهاز الخادم نفسه أو لمدير النظام بعد تسجيل الدخول', undefined,
    'The simulator is available on the hub machine itself, or to a signed-in administrator');
}

export const simRoutes = fp(routes, { name: 'sim-routes' });
