// Route schemas compiled at a route's first use (hub/http/lazy-serializers.ts, issue 10:
// memory): the hub starts without compiling its ~140 routes' validators and serializers,
// each is built at its first request and answers as Fastify's own would (coercion, errors),
// and since a bad schema no longer fails the start by itself, this file compiles every
// route's schemas of the real app — a bad one fails here.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import Type from 'typebox';
import { buildApp } from '../../hub/app.ts';
import { compileAllSchemas, lazySerializerOption, pendingCompiles } from '../../hub/http/lazy-serializers.ts';
import { serviceContext } from '../helpers/services.ts';

describe('route schemas compiled at first use', () => {
  test("every route of the hub's app: nothing compiled at start, and every validator and serializer compiles", async (t) => {
    compileAllSchemas(); // what earlier tests in this process left
    const ctx = await serviceContext(t);
    const app = await buildApp(ctx);
    t.after(() => app.close());
    await app.ready();
    const deferred = pendingCompiles();
    assert.ok(deferred > 150, `validators and serializers deferred at start: ${deferred}`);
    assert.equal(compileAllSchemas(), deferred);
    assert.equal(pendingCompiles(), 0);
  });

  test('a validator built at the first request coerces and refuses as before; the serializer drops undeclared fields', async (t) => {
    const app = Fastify({ ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: true } }, ...lazySerializerOption });
    t.after(() => app.close());
    app.post('/x', {
      schema: {
        querystring: Type.Object({ n: Type.Integer({ minimum: 1 }), tags: Type.Optional(Type.Array(Type.String())) }),
        body: Type.Object({ name: Type.String({ minLength: 2 }), age: Type.Integer() }),
        response: { 200: Type.Object({ n: Type.Integer(), tags: Type.Array(Type.String()), name: Type.String() }) },
      },
    }, async (req) => {
      const q = req.query as { n: number; tags?: string[] };
      return { n: q.n, tags: q.tags ?? [], name: (req.body as { name: string }).name, secret: 'not declared' };
    });
    await app.ready();
    const before = pendingCompiles();
    assert.ok(before >= 3, `querystring, body and 200 deferred: ${before}`);
    const ok = await app.inject({ method: 'POST', url: '/x?n=5&tags=a', payload: { name: 'سارة', age: 30 } });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.deepEqual(ok.json(), { n: 5, tags: ['a'], name: 'سارة' }); // "5" → 5, "a" → ["a"], secret left out
    assert.equal(pendingCompiles(), before - 3);
    const badQuery = await app.inject({ method: 'POST', url: '/x?n=0', payload: { name: 'xy', age: 1 } });
    assert.equal(badQuery.statusCode, 400);
    assert.match((badQuery.json() as { message: string }).message, /querystring\/n must be >= 1/);
    // allErrors: every problem of the part named.
    const badBody = await app.inject({ method: 'POST', url: '/x?n=2', payload: { name: 'x', age: 'old' } });
    assert.equal(badBody.statusCode, 400);
    assert.match((badBody.json() as { message: string }).message, /body\/name must NOT have fewer than 2 characters, body\/age must be integer/);
  });

  test('a bad schema is caught by compiling them all', async (t) => {
    compileAllSchemas();
    const app = Fastify({ ...lazySerializerOption });
    t.after(() => app.close());
    app.post('/bad', { schema: { body: { type: 'object', properties: { a: { type: 'no-such-type' } } } } }, async () => ({}));
    await app.ready(); // deferred: the start does not see it
    assert.throws(() => compileAllSchemas(), /no-such-type|type must be|schema is invalid/);
  });
});
