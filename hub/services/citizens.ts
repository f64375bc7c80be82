// Citizens, one row per national ID: the window finds the citizen or registers them
// (find-or-create), so the same person never becomes two records.
import type { Db } from '../db/connection.ts';
import { normalizeMobile, parseNationalId } from '../domain/national-id.ts';
import type { Clock } from '../domain/time.ts';
import { DomainError } from '../domain/errors.ts';
import type { AuditLog } from './audit.ts';
import type { UnitOfWork } from './unit-of-work.ts';

export type Citizen = {
  id: number; nationalId: string; name: string; mobile: string | null; birthDate: string; governorateCode: string;
  gender: 'male' | 'female'; createdAt: number;
};
export type CitizenInput = { nationalId: string; name: string; mobile?: string | null };

type Row = { id: number; national_id: string; name: string; mobile: string | null; birth_date: string; governorate_code: string; gender: 'male' | 'female'; created_at: number };
const toCitizen = (r: Row): Citizen => ({
  id: r.id, nationalId: r.national_id, name: r.name, mobile: r.mobile, birthDate: r.birth_date, governorateCode: r.governorate_code, gender: r.gender, createdAt: r.created_at,
});

export class CitizenService {
  constructor(
    private readonly db: Db,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    private readonly timeZone: string,
  ) {}

  /** Validate the national ID, or throw a 400 naming the field (path given for nested forms). */
  parseId(nationalId: string, path = '/nationalId') {
    const r = parseNationalId(nationalId, this.clock(), this.timeZone);
    if (!r.ok) throw new DomainError('INVALID_NATIONAL_ID', r.error.ar, { en: r.error.en, details: [{ path, message: r.error.ar }] });
    return r.info;
  }

  parseMobile(mobile: string | null | undefined, path = '/mobile'): string | null {
    if (mobile == null || mobile === '') return null;
    const m = normalizeMobile(mobile);
    if (!m) throw new DomainError('INVALID_MOBILE', 'رقم المحمول غير صحيح (مثال: 01012345678)', { en: 'Egyptian mobile: 01[0125] + 8 digits', details: [{ path, message: 'رقم المحمول غير صحيح (مثال: 01012345678)' }] });
    return m;
  }

  byNationalId(nationalId: string): Citizen | null {
    const r = this.db.prepare<[string], Row>('SELECT * FROM citizens WHERE national_id = ?').get(nationalId);
    return r ? toCitizen(r) : null;
  }

  get(id: number): Citizen {
    const r = this.db.prepare<[number], Row>('SELECT * FROM citizens WHERE id = ?').get(id);
    if (!r) throw new DomainError('CITIZEN_NOT_FOUND', 'المواطن غير مسجل', { en: 'No such citizen' });
    return toCitizen(r);
  }

  /**
   * The citizen with this national ID, registered now if new. A known citizen keeps their
   * record; a newer mobile number or a corrected name is recorded (and audited).
   */
  findOrCreate(input: CitizenInput, actor: string): { citizen: Citizen; created: boolean } {
    const info = this.parseId(input.nationalId);
    const mobile = this.parseMobile(input.mobile);
    const name = input.name.trim().replace(/\s+/g, ' ');
    if (name.length < 3) throw new DomainError('VALIDATION', 'اكتب اسم المواطن كاملاً', { details: [{ path: '/name', message: 'اكتب اسم المواطن كاملاً' }] });
    return this.uow.run(() => {
      const existing = this.byNationalId(info.nationalId);
      const now = this.clock();
      if (existing) {
        if ((mobile && mobile !== existing.mobile) || name !== existing.name) {
          this.db.prepare('UPDATE citizens SET name = ?, mobile = ?, updated_at = ? WHERE id = ?').run(name, mobile ?? existing.mobile, now, existing.id);
          const after = this.get(existing.id);
          this.audit.append({ actor, action: 'citizen.update', entity: 'citizen', entityId: existing.id, before: existing, after });
          return { citizen: after, created: false };
        }
        return { citizen: existing, created: false };
      }
      const id = Number(this.db.prepare(`INSERT INTO citizens (national_id, name, mobile, birth_date, governorate_code, gender, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).run(info.nationalId, name, mobile, info.birthDate, info.governorateCode, info.gender, now, now).lastInsertRowid);
      const citizen = this.get(id);
      this.audit.append({ actor, action: 'citizen.create', entity: 'citizen', entityId: id, after: citizen });
      return { citizen, created: true };
    });
  }
}
