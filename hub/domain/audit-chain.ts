// The audit trail as a hash chain: each entry's hash is sha256 over the previous entry's
// hash and the entry's canonical JSON, so changing, removing or reordering any past entry
// breaks every hash after it. Pure: hashing only, no I/O.
import { createHash } from 'node:crypto';

/** The hash the first entry chains to. */
export const GENESIS_HASH = '0'.repeat(64);

export type AuditEntry = {
  id: number;
  at: number;
  actor: string;
  action: string;
  entity: string;
  entityId: string;
  before: unknown;
  after: unknown;
};

export type ChainedEntry = AuditEntry & { prevHash: string; hash: string };

/** JSON with object keys sorted at every level, so the same value always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError('audit values must be finite numbers');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return '[' + value.map(canonicalJson).join(',') + ']';
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
  return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonicalJson(obj[k])).join(',') + '}';
}

export function entryHash(prevHash: string, e: AuditEntry): string {
  const body = canonicalJson({
    id: e.id, at: e.at, actor: e.actor, action: e.action, entity: e.entity, entityId: e.entityId,
    before: e.before ?? null, after: e.after ?? null,
  });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

export type ChainVerdict =
  | { ok: true; count: number; lastHash: string }
  | { ok: false; count: number; brokenAt: number; reason: 'prev_hash' | 'hash' | 'order' };

/** Check entries in id order: each links to the one before and hashes to its stored hash. */
export function verifyChain(entries: Iterable<ChainedEntry>): ChainVerdict {
  let prev = GENESIS_HASH;
  let lastId = 0;
  let count = 0;
  for (const e of entries) {
    if (e.id <= lastId) return { ok: false, count, brokenAt: e.id, reason: 'order' };
    if (e.prevHash !== prev) return { ok: false, count, brokenAt: e.id, reason: 'prev_hash' };
    if (entryHash(prev, e) !== e.hash) return { ok: false, count, brokenAt: e.id, reason: 'hash' };
    prev = e.hash;
    lastId = e.id;
    count++;
  }
  return { ok: true, count, lastHash: prev };
}
