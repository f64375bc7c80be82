// Device enrollment rules (issue 10 item 5), pure: what a one-time code looks like, how a
// typed one is read back, whether a stored one may still be redeemed, and the per-address
// lockout after repeated wrong codes. The service (services/enrollment.ts) keeps codes in
// SQLite; the route (routes/enroll/) turns EnrollmentError into the HTTP reply.
import {
  ENROLL_CODE_ALPHABET, ENROLL_CODE_LENGTH, ENROLL_ERRORS, ENROLL_LOCKOUT_MS, ENROLL_MAX_FAILURES, type EnrollErrorCode,
} from '@shubbak/protocol/enrollment';

/** A refused enrollment: a stable code; the Arabic and English messages come from the contract. */
export class EnrollmentError extends Error {
  constructor(readonly code: EnrollErrorCode, readonly retryAfterMs?: number) {
    super(ENROLL_ERRORS[code].ar);
  }
}

/** A new code from a source of uniform random integers in [0, n) (crypto.randomInt in the service). */
export function makeEnrollCode(randomBelow: (n: number) => number): string {
  let s = '';
  for (let i = 0; i < ENROLL_CODE_LENGTH; i++) s += ENROLL_CODE_ALPHABET[randomBelow(ENROLL_CODE_ALPHABET.length)];
  return s;
}

/** XXXXXXXX → XXXX-XXXX, as shown to the administrator. */
export function formatEnrollCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/**
 * Read a typed code back: case, spaces and dashes do not matter, and the letters Crockford's
 * alphabet leaves out are read as the digits they look like (O → 0, I and L → 1).
 * null when it cannot be a code at all.
 */
export function normalizeEnrollCode(typed: string): string | null {
  const s = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (s.length !== ENROLL_CODE_LENGTH) return null;
  for (const ch of s) if (!ENROLL_CODE_ALPHABET.includes(ch)) return null;
  return s;
}

export type StoredCode = { expiresAt: number; usedAt: number | null; revokedAt: number | null };

/** Why a stored code cannot be redeemed now, or null when it can. A replaced code reads as used. */
export function refusal(code: StoredCode, now: number): EnrollErrorCode | null {
  if (code.usedAt !== null || code.revokedAt !== null) return 'ENROLL_CODE_USED';
  if (now >= code.expiresAt) return 'ENROLL_CODE_EXPIRED';
  return null;
}

type Attempts = { failures: number[]; lockedUntil: number };

/**
 * Wrong codes per address: the 10th within 15 minutes locks the address out for 15 minutes,
 * during which even a right code is refused (and not used up). Kept in memory: a restart
 * of the hub is not something a guesser can cause, and nothing else needs the history.
 * Bounded: addresses with nothing recent are forgotten.
 */
export class EnrollThrottle {
  private readonly byAddress = new Map<string, Attempts>();

  constructor(
    private readonly maxFailures = ENROLL_MAX_FAILURES,
    private readonly windowMs = ENROLL_LOCKOUT_MS,
    private readonly lockoutMs = ENROLL_LOCKOUT_MS,
  ) {}

  /** Milliseconds until the address may try again, or 0. */
  lockedFor(address: string, now: number): number {
    const a = this.byAddress.get(address);
    return a && a.lockedUntil > now ? a.lockedUntil - now : 0;
  }

  /** Record a wrong code; true when this one locked the address. */
  fail(address: string, now: number): boolean {
    if (this.byAddress.size > 10_000) this.prune(now);
    const a = this.byAddress.get(address) ?? { failures: [], lockedUntil: 0 };
    a.failures = a.failures.filter((t) => now - t < this.windowMs);
    a.failures.push(now);
    this.byAddress.set(address, a);
    if (a.failures.length >= this.maxFailures) {
      a.lockedUntil = now + this.lockoutMs;
      a.failures = [];
      return true;
    }
    return false;
  }

  /** A right code: the address starts afresh. */
  succeed(address: string): void {
    this.byAddress.delete(address);
  }

  private prune(now: number): void {
    for (const [k, a] of this.byAddress) {
      if (a.lockedUntil <= now && a.failures.every((t) => now - t >= this.windowMs)) this.byAddress.delete(k);
    }
  }
}
