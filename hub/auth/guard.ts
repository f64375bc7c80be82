// Enforces each route's declared access (config.access, see roles.ts).
//
// STOPGAP until staff sign-in lands (issue 4): a route limited to roles is reachable only
// from the hub itself (loopback). 'public' routes are open.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ApiError } from '../http/errors.ts';

function fromLoopback(req: FastifyRequest): boolean {
  const ip = req.socket.remoteAddress ?? '';
  return ip === '127.0.0.1' || ip === '::1' || ip === '::ffff:127.0.0.1' || ip.startsWith('127.');
}

async function guard(app: FastifyInstance): Promise<void> {
  app.decorateRequest('user', null);
  app.addHook('onRequest', async (req) => {
    const access = req.routeOptions.config?.access;
    if (access === undefined || access === 'public') return;
    if (!fromLoopback(req)) throw new ApiError(403, 'FORBIDDEN', 'هذه الواجهة متاحة من جهاز الخادم فقط حتى تفعيل حسابات الموظفين');
  });
}

// Hooks must reach the routes registered beside this plugin, not only inside it.
export const accessGuard = fp(guard, { name: 'access-guard' });
