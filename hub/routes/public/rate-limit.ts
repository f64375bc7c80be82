// Rate limits for the routes anyone can reach (status lookup, Open311): off by default,
// on per route through `config.rateLimit`. Refusals use the API's error shape.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import rateLimit from '@fastify/rate-limit';
import { ApiError } from '../../http/errors.ts';

async function limits(app: FastifyInstance): Promise<void> {
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_req, ctx) => new ApiError(429, 'RATE_LIMITED', `طلبات كثيرة، حاول مرة أخرى بعد ${ctx.after}`, undefined, `Too many requests; retry in ${ctx.after}`),
  });
}

export const publicRateLimit = fp(limits, { name: 'public-rate-limit' });
