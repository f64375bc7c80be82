// The api_keys of Open311 GeoReport v2 (issue 14 item 4): the administrator issues one to
// each application that may file complaints (GeoReport v2, "POST Service Request":
// api_key is the requester's key, obtained from the jurisdiction), and revokes it. The key
// is returned once, when issued; the database keeps only its SHA-256 (migration 048).
// Checking a key is one indexed look-up of its hash; a revoked or unknown key is null.
// A key's last use is that of the complaints it filed (complaints.open311_key_id).
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/connection.ts';
import type { Clock } from '../domain/time.ts';
import { DomainError } from '../domain/errors.ts';
import type { ActorKey } from '../domain/actor.ts';
import type { AuditLog } from './audit.ts';
import type { UnitOfWork } from './unit-of-work.ts';

export type Open311Key = {
  id: number; label: string; prefix: string; createdAt: number; createdBy: string;
  revokedAt: number | null; revokedBy: string | null; lastUsedAt: number | null; complaints: number;
};
type Row = { id: number; label: string; prefix: string; created_at: number; created_by: string; revoked_at: number | null; revoked_by: string | null; last_used_at: number | null; complaints: number };

const view = (r: Row): Open311Key => ({
  id: r.id, label: r.label, prefix: r.prefix, createdAt: r.created_at, createdBy: r.created_by,
  revokedAt: r.revoked_at, revokedBy: r.revoked_by, lastUsedAt: r.last_used_at, complaints: r.complaints,
});

/** A key with its use, read from the complaints it filed. */
const SELECT = `SELECT k.id, k.label, k.prefix, k.created_at, k.created_by, k.revoked_at, k.revoked_by,
  (SELECT max(c.registered_at) FROM complaints c WHERE c.open311_key_id = k.id) AS last_used_at,
  (SELECT count(*) FROM complaints c WHERE c.open311_key_id = k.id) AS complaints
  FROM open311_keys k`;

/** The stored form of a key: hex SHA-256 (the key itself is 256 random bits). */
export const hashKey = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');

export class Open311KeyService {
  constructor(
    private readonly db: Db,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  list(): Open311Key[] {
    return this.db.prepare<[], Row>(`${SELECT} ORDER BY k.id`).all().map(view);
  }

  private row(id: number): Open311Key {
    const r = this.db.prepare<[number], Row>(`${SELECT} WHERE k.id = ?`).get(id);
    if (!r) throw new DomainError('NOT_FOUND', 'لا يوجد مفتاح بهذا الرقم', { en: 'No such api_key' });
    return view(r);
  }

  /** A new key for `label`; the key is in this answer only (the audit records its id and prefix). */
  issue(label: string, actor: ActorKey): { key: string; record: Open311Key } {
    const name = label.trim();
    if (name.length < 2) throw new DomainError('VALIDATION', 'اكتب اسم الجهة أو التطبيق صاحب المفتاح', { en: 'A label of at least 2 characters is required', details: [{ path: '/label', message: 'اكتب اسم الجهة أو التطبيق' }] });
    // base64url of 32 random bytes: 43 characters, safe in a query string and a form.
    const key = randomBytes(32).toString('base64url');
    return this.uow.run(() => {
      const id = Number(this.db.prepare('INSERT INTO open311_keys (label, key_hash, prefix, created_at, created_by) VALUES (?, ?, ?, ?, ?)')
        .run(name, hashKey(key), key.slice(0, 8), this.clock(), actor).lastInsertRowid);
      const record = this.row(id);
      this.audit.append({ actor, action: 'open311_key.issue', entity: 'open311_key', entityId: id, after: record });
      return { key, record };
    });
  }

  revoke(id: number, actor: ActorKey): Open311Key {
    return this.uow.run(() => {
      const before = this.row(id);
      if (before.revokedAt !== null) return before;
      this.db.prepare('UPDATE open311_keys SET revoked_at = ?, revoked_by = ? WHERE id = ?').run(this.clock(), actor, id);
      const after = this.row(id);
      this.audit.append({ actor, action: 'open311_key.revoke', entity: 'open311_key', entityId: id, before, after });
      return after;
    });
  }

  /** The live key this string is: its id, or null (unknown or revoked). Reads only. */
  verify(key: string): { id: number; label: string } | null {
    if (!key || key.length > 200) return null;
    const r = this.db.prepare<[string], { id: number; label: string; revoked_at: number | null }>('SELECT id, label, revoked_at FROM open311_keys WHERE key_hash = ?').get(hashKey(key));
    return r && r.revoked_at === null ? { id: r.id, label: r.label } : null;
  }
}
