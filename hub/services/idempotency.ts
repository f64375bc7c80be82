// Exactly once for the panels too: a state-changing HTTP request may carry an
// Idempotency-Key; a repeat of the key returns the first answer without running again.
// Same table as the devices' command log, keyed by who sent it.
import type { Db } from '../db/connection.ts';
import type { Clock } from '../domain/time.ts';
import type { UnitOfWork } from './unit-of-work.ts';

export const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{8,64}$/;

export class IdempotencyLog {
  private readonly q;
  constructor(db: Db, private readonly uow: UnitOfWork, private readonly clock: Clock) {
    this.q = {
      seen: db.prepare<[string, string], { reply: string }>('SELECT reply FROM device_commands WHERE device_id = ? AND command_id = ?'),
      remember: db.prepare('INSERT INTO device_commands (device_id, command_id, type, received_at, reply) VALUES (?, ?, ?, ?, ?)'),
    };
  }

  lookup<T>(sender: string, key: string): T | undefined {
    const earlier = this.q.seen.get(sender, key);
    return earlier ? (JSON.parse(earlier.reply) as T) : undefined;
  }

  remember(sender: string, key: string, type: string, result: unknown): void {
    this.q.remember.run(sender, key, type, this.clock(), JSON.stringify(result));
  }

  /** Run fn once per (sender, key); the stored result is returned on a repeat. */
  once<T>(sender: string, key: string | undefined, type: string, fn: () => T): T {
    if (!key) return this.uow.run(fn);
    return this.uow.run(() => {
      const earlier = this.lookup<T>(sender, key);
      if (earlier !== undefined) return earlier;
      const result = fn();
      this.remember(sender, key, type, result);
      return result;
    });
  }
}
