// The HTTP application: external plugins, then the hub's own plugins, then the routes.
// It does not listen; server.ts (and the tests, through inject) do.
import fs from 'node:fs';
import { createHash } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import helmet from '@fastify/helmet';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { HubContext } from './context.ts';
import { errorHandler } from './http/errors.ts';
import { lazySerializerOption } from './http/lazy-serializers.ts';
import { accessGuard } from './auth/guard.ts';
import { queueRoutes } from './routes/queue/routes.ts';
import { deviceRoutes } from './routes/devices/routes.ts';
import { enrollRoutes } from './routes/enroll/routes.ts';
import { reportRoutes } from './routes/reports/routes.ts';
import { authRoutes } from './routes/auth/routes.ts';
import { userRoutes } from './routes/users/routes.ts';
import { floorRoutes } from './routes/floor/routes.ts';
import { catalogRoutes } from './routes/catalog/routes.ts';
import { citizenRoutes } from './routes/citizens/routes.ts';
import { complaintRoutes } from './routes/complaints/routes.ts';
import { meetingRoutes } from './routes/meetings/routes.ts';
import { open311Routes } from './routes/open311/routes.ts';
import { open311KeyRoutes } from './routes/open311/keys.ts';
import { fileRoutes } from './routes/files/routes.ts';
import { attachmentRoutes } from './routes/attachments/routes.ts';
import { paymentRoutes } from './routes/payments/routes.ts';
import { revenueRoutes } from './routes/revenue/routes.ts';
import { ticketPageRoutes } from './routes/public/ticket-page.ts';
import { publicRoutes } from './routes/public/routes.ts';
import { appointmentRoutes, bookingPageRoutes } from './routes/public/appointments.ts';
import { publicRateLimit } from './routes/public/rate-limit.ts';
import { inspectionRoutes } from './routes/inspections/routes.ts';
import { auditRoutes } from './routes/audit/routes.ts';
import { liveRoutes } from './live/routes.ts';
import { smsRoutes } from './sms/routes.ts';
import { kioskScreenRoutes } from './routes/kiosk-screen/routes.ts';
import { webRoutes } from './routes/web/routes.ts';
import { opsRoutes } from './routes/ops/routes.ts';
import { centralRoutes } from './central/routes.ts';
import type { CentralStore } from './central/store.ts';
import { logSerializers } from './http/log-redaction.ts';
import { apiDocs } from './http/api-docs.ts';

declare module 'fastify' {
  interface FastifyInstance {
    hub: HubContext;
  }
}

/** The simulator page's one inline <style> block, allowed by its hash (no 'unsafe-inline'). */
const inlineStyleHashes = (() => {
  try {
    const html = fs.readFileSync(new URL('./sim/page.html', import.meta.url), 'utf8');
    return [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => `'sha256-${createHash('sha256').update(m[1]).digest('base64')}'`);
  } catch {
    return [];
  }
})();

export type AppOptions = {
  logger?: boolean | { level: string; stream?: { write(line: string): void } };
  /** Serve HTTPS with these options (issue 17; hub/tls/listeners.ts) instead of plain HTTP. */
  https?: import('node:tls').TlsOptions;
  /** The governorate's central store (issue 13, item 4): its board API and page are served. */
  central?: CentralStore;
};

export async function buildApp(ctx: HubContext, opts: AppOptions = {}): Promise<FastifyInstance> {
  const logger = opts.logger ?? false;
  const app = Fastify({
    // Request logs carry the URL with inquiry numbers and ID digits taken out, and no headers.
    logger: logger === false ? false : { ...(logger === true ? {} : logger), serializers: logSerializers },
    bodyLimit: 64 * 1024,
    // Behind no proxy: the socket address is the client (the access guard relies on it).
    trustProxy: false,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: true } },
    // Response serializers are built at each route's first answer (issue 10: memory).
    ...lazySerializerOption,
    ...(opts.https ? { https: opts.https } : {}),
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as FastifyInstance;

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

  // Every answer counted by status class for the metrics (a 5xx is a bug to look at).
  app.addHook('onResponse', async (_req, reply) => {
    ctx.metrics.httpResponses.inc({ status: `${Math.floor(reply.statusCode / 100)}xx` });
  });

  // External plugins
  // Security headers on every answer (issue 15). The pages load only their own scripts,
  // styles, fonts and images (QR codes are inline SVG, the simulator's printed ticket a
  // data: PNG); nothing may frame them; no referrer leaves with an inquiry number in the
  // URL. Style attributes stay allowed (Lit templates use a few; they cannot run code).
  // HSTS once the hub serves HTTPS (issue 17: production): a browser that reached the
  // panels over HTTPS never falls back to plain HTTP for this host (browsers ignore the
  // header on plain answers, e.g. the loopback port). No upgrade-insecure-requests: the
  // demo serves plain HTTP.
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        baseUri: ["'self'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'", ...inlineStyleHashes],
        styleSrcAttr: ["'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: ctx.config.tls ? { maxAge: 180 * 86_400, includeSubDomains: false } : false,
  });
  // OpenAPI and Swagger UI at /docs, loaded at the first request there (hub/http/api-docs.ts).
  await app.register(apiDocs, {
    info: { title: 'Shubbak hub API', version: '1.0.0', description: 'Queue and case API of a Technological Center for Citizen Services' },
  });

  // The hub's plugins
  await app.register(accessGuard);
  await app.register(publicRateLimit);

  // Routes
  await app.register(queueRoutes, { prefix: '/api' });
  await app.register(deviceRoutes, { prefix: '/api' });
  await app.register(enrollRoutes, { prefix: '/api' });
  await app.register(reportRoutes, { prefix: '/api' });
  await app.register(floorRoutes, { prefix: '/api' });
  await app.register(authRoutes, { prefix: '/api' });
  await app.register(userRoutes, { prefix: '/api' });
  await app.register(catalogRoutes, { prefix: '/api' });
  await app.register(citizenRoutes, { prefix: '/api' });
  await app.register(complaintRoutes, { prefix: '/api' });
  await app.register(meetingRoutes, { prefix: '/api' });
  await app.register(inspectionRoutes, { prefix: '/api' });
  await app.register(auditRoutes, { prefix: '/api' });
  await app.register(fileRoutes, { prefix: '/api' });
  await app.register(attachmentRoutes, { prefix: '/api' });
  await app.register(paymentRoutes, { prefix: '/api' });
  await app.register(revenueRoutes, { prefix: '/api' });
  await app.register(publicRoutes, { prefix: '/api' });
  await app.register(appointmentRoutes, { prefix: '/api' });
  await app.register(open311KeyRoutes, { prefix: '/api' });
  await app.register(open311Routes, { prefix: '/open311' });
  await app.register(liveRoutes, { prefix: '/api' });
  await app.register(ticketPageRoutes);
  await app.register(bookingPageRoutes);
  await app.register(smsRoutes, { prefix: '/api' });
  await app.register(kioskScreenRoutes);
  await app.register(webRoutes);
  await app.register(opsRoutes);
  if (opts.central) await app.register(centralRoutes, { store: opts.central });
  // The device simulator's page (/sim), before listen; the simulator attaches its devices later.
  if (ctx.config.simulate) await app.register((await import('./sim/routes.ts')).simRoutes);

  return app;
}
