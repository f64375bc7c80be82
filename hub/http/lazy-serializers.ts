// Response serializers built at a route's first answer instead of at start. Fastify compiles
// a fast-json-stringify serializer for every response schema of every route when the app
// starts — 120-odd of them, most with their own Ajv instance for the unions, ~5 MB of the
// idle hub's heap — while a center uses only some routes on a given day (issue 10: memory).
// The serializer is the one Fastify would build (its own compiler package, resolved from
// Fastify itself), with the same options; only the moment changes. The request validators
// are still compiled at start, so a bad route schema still fails the start.
import { createRequire } from 'node:module';
import type { FastifyServerOptions } from 'fastify';

type Serialize = (data: unknown) => string;
type RouteSchema = { schema: unknown; method: string; url: string; httpStatus: string; contentType?: string };
type SerializerFactory = (externalSchemas: unknown, serializerOpts: unknown) => (route: RouteSchema) => Serialize;

const fromFastify = createRequire(createRequire(import.meta.url).resolve('fastify'));
const SerializerSelector = fromFastify('@fastify/fast-json-stringify-compiler') as () => SerializerFactory;

/** Fastify's default serializer factory, building each serializer when it is first used. */
export function lazySerializers(): SerializerFactory {
  const build = SerializerSelector();
  return (externalSchemas, serializerOpts) => {
    const compile = build(externalSchemas, serializerOpts);
    return (route) => {
      let serialize: Serialize | null = null;
      return (data) => (serialize ??= compile(route))(data);
    };
  };
}

/** The Fastify option that installs it. */
export const lazySerializerOption: Pick<FastifyServerOptions, 'schemaController'> = {
  schemaController: { compilersFactory: { buildSerializer: lazySerializers() as never } },
};
