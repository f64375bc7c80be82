// Exactly once for the panels too: a state-changing HTTP request may carry an
// Idempotency-Key; a repeat of the key returns the first answer without running again.
// Same table as the devices' command log, keyed by who sent it.
//
// A key is bound to its user (the sender), its route (the type) and a hash of its request
// (parameters and body): the same key with a different request is refused with 422
// IDEMPOTENCY_KEY_REUSED and nothing runs (issue 15, fault 3; the IETF draft
// "The Idempotency-Key HTTP Header Field" §2.7 asks for 422 on a reused key). Without the
// binding, collecting order 2 with order 1's key answered order 1's receipt.
import { createHash } from 'node:crypto';
import type { Db } from '../db/connection.ts';
import type { Clock } from '../domain/time.ts';
import { DomainError } from '../domain/errors.ts';
import type { UnitOfWork } from './unit-of-work.ts';

/** What a key is bound to: the route's name and what was sent to it. */
export type IdempotentRequest = { type: string; params?: unknown; body?: unknown };

export class IdempotencyKeyReused extends DomainError {
  constructor() {
    super('IDEMPOTENCY_KEY_REUSED',
      'مفتاح التكرار (Idempotency-Key) استُخدم من قبل لطلب مختلف؛ لم يُنفَّذ شيء. أعد المحاولة بمفتاح جديد',
      { en: 'This Idempotency-Key was already used for a different request; nothing was done. Retry with a new key' });
  }
}

/** JSON with object keys sorted, so the same request always hashes the same. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v).sort().filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

export function requestHash(req: IdempotentRequest): string {
  return createHash('sha256').update(canonical({ type: req.type, params: req.params ?? null, body: req.body ?? null })).digest('hex');
}

export class IdempotencyLog {
  private readonly q;
  constructor(db: Db, private readonly uow: UnitOfWork, private readonly clock: Clock) {
    this.q = {
      seen: db.prepare<[string, string], { reply: string; type: string; request_hash: string | null }>(
        'SELECT reply, type, request_hash FROM device_commands WHERE device_id = ? AND command_id = ?'),
      remember: db.prepare('INSERT INTO device_commands (device_id, command_id, type, received_at, reply, request_hash) VALUES (?, ?, ?, ?, ?, ?)'),
    };
  }

  /** The first reply to a device's command id, if it was seen. */
  lookup<T>(sender: string, key: string): T | undefined {
    const earlier = this.q.seen.get(sender, key);
    return earlier ? (JSON.parse(earlier.reply) as T) : undefined;
  }

  remember(sender: string, key: string, type: string, result: unknown, hash: string | null = null): void {
    this.q.remember.run(sender, key, type, this.clock(), JSON.stringify(result), hash);
  }

  /**
   * Run fn once per (sender, key); a repeat of the same request gets the stored result, a
   * different request under the same key is refused (IdempotencyKeyReused) and runs nothing.
   */
  once<T>(sender: string, key: string | undefined, request: IdempotentRequest, fn: () => T): T {
    if (!key) return this.uow.run(fn);
    const hash = requestHash(request);
    return this.uow.run(() => {
      const earlier = this.q.seen.get(sender, key);
      if (earlier) {
        if (earlier.type !== request.type || (earlier.request_hash ?? hash) !== hash) throw new IdempotencyKeyReused();
        return JSON.parse(earlier.reply) as T;
      }
      const result = fn();
      this.remember(sender, key, request.type, result, hash);
      return result;
    });
  }
}
