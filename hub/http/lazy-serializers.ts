// Response serializers and request validators built at a route's first use instead of at
// start. Fastify compiles a fast-json-stringify serializer for every response schema and an
// Ajv validator for every body, query and params schema of every route when the app starts —
// 140-odd routes, ~5 MB of the idle hub's heap for the serializers and ~9 MB for the
// validators (generated source text and its code) — while a center uses only some routes on
// a given day (issue 10: memory; bench --only=memory). Each is the one Fastify would build
// (its own compiler packages, resolved from Fastify itself), with the same options; only the
// moment changes. A bad route schema no longer fails the start by itself: every route's
// schemas are compiled by a test (tests/integration/route-schemas.test.ts, compileAllSchemas).
import { createRequire } from 'node:module';
import type { FastifyServerOptions } from 'fastify';

type Serialize = (data: unknown) => string;
type RouteSchema = { schema: unknown; method: string; url: string; httpStatus: string; contentType?: string };
type SerializerFactory = (externalSchemas: unknown, serializerOpts: unknown) => (route: RouteSchema) => Serialize;
type Validate = ((data: unknown, ctx?: unknown) => unknown) & { errors?: unknown; schemaEnv?: unknown };
type ValidatorRoute = { schema: unknown; method: string; url: string; httpPart: string };
type ValidatorFactory = (externalSchemas: unknown, options: unknown) => (route: ValidatorRoute) => Validate;

const fromFastify = createRequire(createRequire(import.meta.url).resolve('fastify'));
const SerializerSelector = fromFastify('@fastify/fast-json-stringify-compiler') as () => SerializerFactory;
const ValidatorSelector = fromFastify('@fastify/ajv-compiler') as () => ValidatorFactory;

/** Every compile this process deferred, so a test can force them all (compileAllSchemas). */
const pending = new Set<() => unknown>();

/** Fastify's default serializer factory, building each serializer when it is first used. */
export function lazySerializers(): SerializerFactory {
  const build = SerializerSelector();
  return (externalSchemas, serializerOpts) => {
    const compile = build(externalSchemas, serializerOpts);
    return (route) => {
      let serialize: Serialize | null = null;
      const get = () => {
        pending.delete(get);
        return (serialize ??= compile(route));
      };
      pending.add(get);
      return (data) => get()(data);
    };
  };
}

/**
 * Fastify's default (Ajv) validator factory, building each validator when it is first used.
 * Fastify reads two properties of an Ajv validator besides calling it: `schemaEnv` before the
 * call (then it passes the parent, so Ajv may coerce a root value) and `errors` after a
 * failure; both are read through to the real validator, the first building it.
 */
export function lazyValidators(): ValidatorFactory {
  const build = ValidatorSelector();
  return (externalSchemas, options) => {
    const compile = build(externalSchemas, options);
    return (route) => {
      let validate: Validate | null = null;
      const get = () => {
        pending.delete(get);
        return (validate ??= compile(route));
      };
      pending.add(get);
      const lazy: Validate = (data, ctx) => get()(data, ctx);
      Object.defineProperty(lazy, 'schemaEnv', { get: () => get().schemaEnv });
      Object.defineProperty(lazy, 'errors', { get: () => validate?.errors ?? null });
      return lazy;
    };
  };
}

/** How many compiles are deferred now (tests). */
export function pendingCompiles(): number {
  return pending.size;
}

/** Compile every validator and serializer not yet built (a test: every route schema compiles); how many. */
export function compileAllSchemas(): number {
  const all = [...pending];
  for (const get of all) get();
  return all.length;
}

/** The Fastify option that installs both. */
export const lazySerializerOption: Pick<FastifyServerOptions, 'schemaController'> = {
  schemaController: { compilersFactory: { buildSerializer: lazySerializers() as never, buildValidator: lazyValidators() as never } },
};
