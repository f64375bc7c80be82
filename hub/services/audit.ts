// The audit trail adapter: appends hash-chained events inside the caller's transaction
// (so an event exists exactly when its change does) and reads an entity's history.
import type { Db } from '../db/connection.ts';
import { entryHash, GENESIS_HASH, verifyChain, type ChainedEntry, type ChainVerdict } from '../domain/audit-chain.ts';
import type { ActorKey } from '../domain/actor.ts';
import type { Clock } from '../domain/time.ts';
import type { UnitOfWork } from './unit-of-work.ts';

export type AuditInput = {
  /** The actor's stored key (hub/domain/actor.ts actorKey): 'user:5', 'device:kiosk-1', 'system', … */
  actor: ActorKey;
  action: string;
  entity: string;
  entityId: string | number;
  before?: unknown;
  after?: unknown;
};

type Row = {
  id: number; at: number; actor: string; action: string; entity: string; entity_id: string;
  before_json: string | null; after_json: string | null; prev_hash: string; hash: string;
};

function toEntry(r: Row): ChainedEntry {
  return {
    id: r.id, at: r.at, actor: r.actor, action: r.action, entity: r.entity, entityId: r.entity_id,
    before: r.before_json === null ? null : JSON.parse(r.before_json),
    after: r.after_json === null ? null : JSON.parse(r.after_json),
    prevHash: r.prev_hash, hash: r.hash,
  };
}

export class AuditLog {
  private readonly q;
  constructor(private readonly db: Db, private readonly uow: UnitOfWork, private readonly clock: Clock) {
    this.q = {
      last: db.prepare<[], { id: number; hash: string }>('SELECT id, hash FROM audit_events ORDER BY id DESC LIMIT 1'),
      insert: db.prepare(`INSERT INTO audit_events (id, at, actor, action, entity, entity_id, before_json, after_json, prev_hash, hash)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      history: db.prepare<[string, string], Row>('SELECT * FROM audit_events WHERE entity = ? AND entity_id = ? ORDER BY id'),
      all: db.prepare<[], Row>('SELECT * FROM audit_events ORDER BY id'),
    };
  }

  /** Append one event. Must run inside ctx.uow.run (the caller's write transaction). */
  append(input: AuditInput): ChainedEntry {
    if (!this.uow.inside) throw new Error('audit.append outside a unit of work');
    const last = this.q.last.get();
    const prevHash = last?.hash ?? GENESIS_HASH;
    const entry = {
      id: (last?.id ?? 0) + 1,
      at: this.clock(),
      actor: input.actor,
      action: input.action,
      entity: input.entity,
      entityId: String(input.entityId),
      // Round-trip through JSON so what is hashed is exactly what is stored and read back.
      before: input.before === undefined ? null : JSON.parse(JSON.stringify(input.before)),
      after: input.after === undefined ? null : JSON.parse(JSON.stringify(input.after)),
    };
    const hash = entryHash(prevHash, entry);
    this.q.insert.run(entry.id, entry.at, entry.actor, entry.action, entry.entity, entry.entityId,
      entry.before === null ? null : JSON.stringify(entry.before), entry.after === null ? null : JSON.stringify(entry.after), prevHash, hash);
    return { ...entry, prevHash, hash };
  }

  /** Every event about one entity, oldest first. */
  history(entity: string, entityId: string | number): ChainedEntry[] {
    return this.q.history.all(entity, String(entityId)).map(toEntry);
  }

  verify(): ChainVerdict {
    return verifyAuditTable(this.db);
  }
}

/** Verify the whole chain of a database (also used by scripts/audit-verify.ts). */
export function verifyAuditTable(db: Db): ChainVerdict {
  const rows = db.prepare<[], Row>('SELECT * FROM audit_events ORDER BY id').iterate();
  function* entries() {
    for (const r of rows) yield toEntry(r);
  }
  return verifyChain(entries());
}
