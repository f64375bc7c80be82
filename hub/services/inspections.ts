// Surprise inspections: the manager opens any case (a file, a complaint, ...) with its full
// audit history, and the inspection itself is recorded and audited. Each kind of case
// registers how to read its record (part B registers 'file').
import type { Db } from '../db/connection.ts';
import type { Clock } from '../domain/time.ts';
import { DomainError } from '../domain/errors.ts';
import type { AuditLog } from './audit.ts';
import type { UnitOfWork } from './unit-of-work.ts';

/**
 * The record of one case, looked up by id or by inquiry number, with the id its audit
 * events are filed under (so an inspection by inquiry number shows the full history).
 */
export type RecordReader = (idOrInquiry: string) => { id: number | string; record: unknown } | null;

export class InspectionService {
  private readonly readers = new Map<string, RecordReader>();
  constructor(
    private readonly db: Db,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  register(entity: string, reader: RecordReader): void {
    if (this.readers.has(entity)) throw new Error(`inspection reader for ${entity} registered twice`);
    this.readers.set(entity, reader);
  }

  inspect(entity: string, entityId: string, note: string | null, inspector: string) {
    const reader = this.readers.get(entity);
    if (!reader) throw new DomainError('VALIDATION', 'نوع غير معروف للتفتيش', { details: [{ path: '/entity', message: `الأنواع المتاحة: ${[...this.readers.keys()].join('، ')}` }] });
    const found = reader(entityId);
    if (!found) throw new DomainError('NOT_FOUND', 'لا يوجد ملف أو شكوى بهذا الرقم');
    const { record } = found;
    entityId = String(found.id);
    return this.uow.run(() => {
      const id = Number(this.db.prepare('INSERT INTO inspections (at, inspector, entity, entity_id, note) VALUES (?, ?, ?, ?, ?)')
        .run(this.clock(), inspector, entity, entityId, note).lastInsertRowid);
      this.audit.append({ actor: inspector, action: 'inspection', entity, entityId, after: { inspectionId: id, note } });
      const history = this.audit.history(entity, entityId).map(({ prevHash: _p, ...e }) => e);
      return { inspectionId: id, entity, entityId, record, history };
    });
  }
}
