// The HTTP application: external plugins, then the hub's own plugins, then the routes.
// It does not listen; server.ts (and the tests, through inject) do.
import Fastify, { type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { HubContext } from './context.ts';
import { errorHandler } from './http/errors.ts';
import { accessGuard } from './auth/guard.ts';
import { queueRoutes } from './routes/queue/routes.ts';
import { deviceRoutes } from './routes/devices/routes.ts';

declare module 'fastify' {
  interface FastifyInstance {
    hub: HubContext;
  }
}

export type AppOptions = { logger?: boolean | { level: string } };

export async function buildApp(ctx: HubContext, opts: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: 64 * 1024,
    // Behind no proxy: the socket address is the client (the access guard relies on it).
    trustProxy: false,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: true } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorate('hub', ctx);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((req, reply) => {
    void reply.status(404).send({ error: { code: 'NOT_FOUND', message: 'الصفحة أو المورد غير موجود', messageEn: `${req.method} ${req.url} not found` } });
  });
  // Secure by default: an /api route that does not say who may call it fails the start.
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api/') && route.config?.access === undefined) {
      throw new Error(`route ${route.method} ${route.url} declares no config.access`);
    }
  });

  // External plugins
  await app.register(swagger, {
    openapi: {
      info: { title: 'Shubbak hub API', version: '1.0.0', description: 'Queue and case API of a Technological Center for Citizen Services' },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  // The hub's plugins
  await app.register(accessGuard);

  // Routes
  await app.register(queueRoutes, { prefix: '/api' });
  await app.register(deviceRoutes, { prefix: '/api' });

  return app;
}
