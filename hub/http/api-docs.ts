// The API's description at /docs (OpenAPI JSON/YAML and Swagger UI), loaded at the first
// request there instead of at the hub's start (issue 10: memory). @fastify/swagger and
// @fastify/swagger-ui bring yaml, js-yaml, @fastify/static, glob and their schema resolver:
// ~2 MB of the idle hub's heap, for a page a developer opens now and then and a center's
// staff never. The routes are recorded as they are declared (an onRoute hook, as
// @fastify/swagger itself does); the first /docs request builds a small Fastify instance that
// declares the same routes (schemas only, nothing compiled, no handler reachable) with the
// two plugins, and every /docs request is answered by it through inject. The hub's own
// security headers stay (helmet runs on the outer request); Swagger UI injects <style>
// elements at run time, so the docs pages alone allow inline styles.
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';

type Recorded = { method: HTTPMethods | HTTPMethods[]; url: string; schema?: unknown; config?: unknown };

const PREFIX = '/docs';
// Headers of the inner answer that belong to the outer connection, or that the hub sets itself.
const NOT_FORWARDED = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'date', 'content-security-policy']);

export type ApiDocsOptions = { info: { title: string; version: string; description: string } };

/** Swagger UI's pages run inline styles (never inline scripts). */
export const docsCsp = (header: string): string => header.replace(/style-src [^;]*/, "style-src 'self' 'unsafe-inline'");

export const apiDocs = fp<ApiDocsOptions>(async (app, opts) => {
  const routes: Recorded[] = [];
  app.addHook('onRoute', (r) => {
    if (r.method === 'HEAD' || r.url === PREFIX || r.url.startsWith(`${PREFIX}/`)) return;
    routes.push({ method: r.method, url: r.url, schema: r.schema, config: r.config });
  });

  let inner: Promise<FastifyInstance> | null = null;
  async function build(): Promise<FastifyInstance> {
    const [{ default: Fastify }, { default: swagger }, { default: swaggerUi }] = await Promise.all([
      import('fastify'), import('@fastify/swagger'), import('@fastify/swagger-ui'),
    ]);
    const docs = Fastify({ logger: false });
    // The schemas are described, not used: no validator or serializer is compiled for them.
    docs.setValidatorCompiler(() => () => true);
    docs.setSerializerCompiler(() => (data) => JSON.stringify(data));
    await docs.register(swagger, { openapi: { info: opts.info } });
    // validatorUrl null: the docs page would otherwise load a badge from validator.swagger.io.
    await docs.register(swaggerUi, { routePrefix: PREFIX, uiConfig: { validatorUrl: null } });
    const unreachable = async () => {
      throw new Error('the docs instance answers only /docs');
    };
    for (const r of routes) docs.route({ method: r.method, url: r.url, schema: r.schema as never, config: r.config as never, handler: unreachable });
    await docs.ready();
    return docs;
  }

  async function serve(req: FastifyRequest, reply: FastifyReply) {
    inner ??= build().catch((err: unknown) => {
      inner = null; // a failed load is tried again at the next request
      throw err;
    });
    const docs = await inner;
    const res = await docs.inject({ method: req.method as HTTPMethods, url: req.url, headers: { accept: req.headers.accept ?? '*/*', 'accept-encoding': 'identity' } });
    for (const [name, value] of Object.entries(res.headers)) {
      if (!NOT_FORWARDED.has(name) && value !== undefined) void reply.header(name, value);
    }
    const csp = reply.getHeader('content-security-policy');
    if (typeof csp === 'string') void reply.header('content-security-policy', docsCsp(csp));
    return reply.status(res.statusCode).send(res.rawPayload);
  }

  app.get(PREFIX, serve);
  app.get(`${PREFIX}/*`, serve);
});
