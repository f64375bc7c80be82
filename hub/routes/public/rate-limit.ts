// Rate limits for the routes anyone can reach (status lookup, Open311): off by default,
// on per route through `config.rateLimit`. Refusals use the API's error shape.
//
// The status lookup also has two limits that no single address can dodge (issue 15,
// fault 11): one for all addresses together, and one per inquiry number — otherwise many
// addresses could share out the 10,000 possible last-four-digits of one citizen's number.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import rateLimit from '@fastify/rate-limit';
import { ApiError } from '../../http/errors.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The status lookup's global and per-inquiry counters (their `refused` counts are for metrics). */
    statusLimits: StatusLimits;
  }
}

async function limits(app: FastifyInstance): Promise<void> {
  app.decorate('statusLimits', statusLimits(app.hub.clock));
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_req, ctx) => new ApiError(429, 'RATE_LIMITED', `طلبات كثيرة، حاول مرة أخرى بعد ${ctx.after}`, undefined, `Too many requests; retry in ${ctx.after}`),
  });
}

export const publicRateLimit = fp(limits, { name: 'public-rate-limit' });

/** Fixed-window counters by key; the whole map is dropped when the window turns, so it stays small. */
export class WindowCounter {
  private window = -1;
  private counts = new Map<string, number>();
  /** Refusals since start (for the operator's metrics). */
  refused = 0;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly clock: () => number,
  ) {}

  /** Count one use of `key`; false when it is over the limit in this window. */
  take(key: string): boolean {
    const w = Math.floor(this.clock() / this.windowMs);
    if (w !== this.window) {
      this.window = w;
      this.counts = new Map();
    }
    const n = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, n);
    if (n > this.limit) {
      this.refused++;
      return false;
    }
    return true;
  }
}

/** All addresses together, per minute: far above a center's citizens, far below a sweep. */
export const STATUS_LOOKUPS_GLOBAL_PER_MINUTE = 300;
/** One inquiry number, per hour, from any address: a citizen checks a few times a day. */
export const STATUS_LOOKUPS_PER_INQUIRY_PER_HOUR = 20;

export type StatusLimits = { global: WindowCounter; perInquiry: WindowCounter };

export function statusLimits(clock: () => number): StatusLimits {
  return {
    global: new WindowCounter(STATUS_LOOKUPS_GLOBAL_PER_MINUTE, 60_000, clock),
    perInquiry: new WindowCounter(STATUS_LOOKUPS_PER_INQUIRY_PER_HOUR, 3600_000, clock),
  };
}

export function tooManyLookups(): ApiError {
  return new ApiError(429, 'RATE_LIMITED', 'طلبات استعلام كثيرة عن هذه المعاملة أو من الجميع الآن، حاول مرة أخرى بعد قليل', undefined,
    'Too many status lookups (for this number or overall); retry later');
}
