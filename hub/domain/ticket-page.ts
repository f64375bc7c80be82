// The live ticket page's rules (issue 14 item 1), pure: the public token's shape and the
// page's life. A ticket's page lives until the end of the center's day it was issued on
// (Cairo time, like the numbering that restarts at midnight: domain/queue.ts); after that the
// page says the ticket has expired (HTTP 410) rather than showing a stale queue.
import { randomBytes } from 'node:crypto';
import { localDay, startOfLocalDay } from './time.ts';

/** 128 random bits, base64url without padding: 22 characters, no guessing and no counting. */
export const TOKEN_BYTES = 16;
const TOKEN_RE = /^[A-Za-z0-9_-]{22}$/;

/**
 * Random bytes drawn from the CSPRNG a block at a time and handed out TOKEN_BYTES at a
 * time, each byte once: one randomBytes call per ticket cost ~12 µs of the command path
 * (issue 16 item 3); the bytes are the same CSPRNG's.
 */
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let poolAt = 0;
function pooledRandom(n: number): Buffer {
  if (poolAt + n > pool.length) {
    pool = randomBytes(Math.max(POOL_BYTES, n));
    poolAt = 0;
  }
  const out = pool.subarray(poolAt, poolAt + n);
  poolAt += n;
  return out;
}

export function newPublicToken(random: (n: number) => Buffer = pooledRandom): string {
  return random(TOKEN_BYTES).toString('base64url');
}

/** A token as the hub makes them; anything else is answered "not found" without a lookup. */
export function isPublicToken(s: string): boolean {
  return TOKEN_RE.test(s);
}

/** The first instant after the ticket's day (local midnight that ends it). */
export function ticketPageExpiresAt(ticketDay: string, timeZone: string): number {
  const [y, m, d] = ticketDay.split('-').map(Number);
  const next = new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
  return startOfLocalDay(next, timeZone);
}

/** Expired once the center's day has moved past the ticket's day. */
export function ticketPageExpired(ticketDay: string, now: number, timeZone: string): boolean {
  return localDay(now, timeZone) > ticketDay;
}
