// The service catalog: departments, services (owning department, document checklist, fee
// items, legal period, requirements text) and the official holidays the working-day
// periods skip. Reads are what reception hands to citizens; writes are the admin's and
// are audited.
import type { Db } from '../db/connection.ts';
import { addDays, dueDate, type Due, type PeriodKind } from '../domain/deadlines.ts';
import { startOfLocalDay, type Clock } from '../domain/time.ts';
import { DomainError } from '../domain/errors.ts';
import type { AuditLog } from './audit.ts';
import type { UnitOfWork } from './unit-of-work.ts';

export type Department = { id: number; code: string; nameAr: string; nameEn: string; active: boolean; demo: boolean };
export type ChecklistItem = { position: number; labelAr: string; labelEn: string; required: boolean };
export type FeeItem =
  | { code: string; labelAr: string; labelEn: string; kind: 'fixed'; amountPiasters: number; minPiasters: null; maxPiasters: null }
  | { code: string; labelAr: string; labelEn: string; kind: 'variable'; amountPiasters: null; minPiasters: number; maxPiasters: number };
export type Service = {
  id: number; code: string; departmentId: number; nameAr: string; nameEn: string;
  legalPeriodDays: number; periodKind: PeriodKind; requirementsAr: string; requirementsEn: string;
  active: boolean; demo: boolean; version: number;
  /** Paid at the revenue window with no case file (housing rent, inspection fees); others only on a file. */
  withoutFile: boolean;
  checklist: ChecklistItem[]; fees: FeeItem[];
};

export type FeeInput =
  | { code: string; labelAr: string; labelEn?: string; kind: 'fixed'; amountPiasters: number }
  | { code: string; labelAr: string; labelEn?: string; kind: 'variable'; minPiasters: number; maxPiasters: number };
export type ServiceInput = {
  code: string; departmentId: number; nameAr: string; nameEn: string; legalPeriodDays: number; periodKind: PeriodKind;
  requirementsAr?: string; requirementsEn?: string; active?: boolean; withoutFile?: boolean;
  checklist: { labelAr: string; labelEn?: string; required?: boolean }[];
  fees: FeeInput[];
};

/** One fee line as charged: fixed items at their amount, variable ones as entered. */
export type ChargedFee = { code: string; labelAr: string; labelEn: string; amountPiasters: number };

type DeptRow = { id: number; code: string; name_ar: string; name_en: string; active: number; demo: number };
type ServiceRow = {
  id: number; code: string; department_id: number; name_ar: string; name_en: string; legal_period_days: number; period_kind: PeriodKind;
  requirements_ar: string; requirements_en: string; active: number; demo: number; version: number; without_file: number;
};
type FeeRow = { code: string; label_ar: string; label_en: string; kind: 'fixed' | 'variable'; amount_piasters: number | null; min_piasters: number | null; max_piasters: number | null };

const dept = (r: DeptRow): Department => ({ id: r.id, code: r.code, nameAr: r.name_ar, nameEn: r.name_en, active: !!r.active, demo: !!r.demo });

export class CatalogService {
  constructor(
    private readonly db: Db,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    private readonly timeZone: string,
  ) {}

  // ---- departments ----

  departments(): Department[] {
    return this.db.prepare<[], DeptRow>('SELECT * FROM departments ORDER BY id').all().map(dept);
  }

  department(id: number): Department {
    const r = this.db.prepare<[number], DeptRow>('SELECT * FROM departments WHERE id = ?').get(id);
    if (!r) throw new DomainError('DEPARTMENT_NOT_FOUND', 'الإدارة غير موجودة', { en: 'No such department' });
    return dept(r);
  }

  departmentByCode(code: string): Department | null {
    const r = this.db.prepare<[string], DeptRow>('SELECT * FROM departments WHERE code = ?').get(code);
    return r ? dept(r) : null;
  }

  createDepartment(input: { code: string; nameAr: string; nameEn: string }, actor: string): Department {
    return this.uow.run(() => {
      if (this.departmentByCode(input.code)) throw new DomainError('CODE_TAKEN', 'رمز الإدارة مستخدم من قبل', { details: [{ path: '/code', message: 'رمز الإدارة مستخدم من قبل' }] });
      const id = Number(this.db.prepare('INSERT INTO departments (code, name_ar, name_en) VALUES (?, ?, ?)').run(input.code, input.nameAr, input.nameEn).lastInsertRowid);
      const after = this.department(id);
      this.audit.append({ actor, action: 'department.create', entity: 'department', entityId: id, after });
      return after;
    });
  }

  updateDepartment(id: number, patch: { nameAr?: string; nameEn?: string; active?: boolean }, actor: string): Department {
    return this.uow.run(() => {
      const before = this.department(id);
      this.db.prepare('UPDATE departments SET name_ar = ?, name_en = ?, active = ? WHERE id = ?')
        .run(patch.nameAr ?? before.nameAr, patch.nameEn ?? before.nameEn, (patch.active ?? before.active) ? 1 : 0, id);
      const after = this.department(id);
      this.audit.append({ actor, action: 'department.update', entity: 'department', entityId: id, before, after });
      return after;
    });
  }

  // ---- services ----

  private serviceFrom(r: ServiceRow): Service {
    const checklist = this.db.prepare<[number], { position: number; label_ar: string; label_en: string; required: number }>(
      'SELECT * FROM service_checklist_items WHERE service_id = ? ORDER BY position').all(r.id)
      .map((c) => ({ position: c.position, labelAr: c.label_ar, labelEn: c.label_en, required: !!c.required }));
    const fees = this.db.prepare<[number], FeeRow>('SELECT * FROM service_fee_items WHERE service_id = ? ORDER BY position').all(r.id)
      .map((f): FeeItem => f.kind === 'fixed'
        ? { code: f.code, labelAr: f.label_ar, labelEn: f.label_en, kind: 'fixed', amountPiasters: f.amount_piasters!, minPiasters: null, maxPiasters: null }
        : { code: f.code, labelAr: f.label_ar, labelEn: f.label_en, kind: 'variable', amountPiasters: null, minPiasters: f.min_piasters!, maxPiasters: f.max_piasters! });
    return {
      id: r.id, code: r.code, departmentId: r.department_id, nameAr: r.name_ar, nameEn: r.name_en,
      legalPeriodDays: r.legal_period_days, periodKind: r.period_kind, requirementsAr: r.requirements_ar, requirementsEn: r.requirements_en,
      active: !!r.active, demo: !!r.demo, version: r.version, withoutFile: !!r.without_file, checklist, fees,
    };
  }

  services(filter: { departmentId?: number; activeOnly?: boolean } = {}): Service[] {
    const rows = this.db.prepare<[], ServiceRow>('SELECT * FROM services ORDER BY department_id, id').all();
    return rows
      .filter((r) => (filter.departmentId === undefined || r.department_id === filter.departmentId) && (!filter.activeOnly || r.active))
      .map((r) => this.serviceFrom(r));
  }

  service(id: number): Service {
    const r = this.db.prepare<[number], ServiceRow>('SELECT * FROM services WHERE id = ?').get(id);
    if (!r) throw new DomainError('SERVICE_NOT_FOUND', 'الخدمة غير موجودة', { en: 'No such service' });
    return this.serviceFrom(r);
  }

  serviceByCode(code: string): Service | null {
    const r = this.db.prepare<[string], ServiceRow>('SELECT * FROM services WHERE code = ?').get(code);
    return r ? this.serviceFrom(r) : null;
  }

  private validate(input: ServiceInput): void {
    const errs: { path: string; message: string }[] = [];
    if (!this.db.prepare('SELECT 1 FROM departments WHERE id = ?').get(input.departmentId)) errs.push({ path: '/departmentId', message: 'الإدارة غير موجودة' });
    const codes = new Set<string>();
    input.fees.forEach((f, i) => {
      if (codes.has(f.code)) errs.push({ path: `/fees/${i}/code`, message: 'رمز بند الرسوم مكرر' });
      codes.add(f.code);
      if (f.kind === 'variable' && f.minPiasters > f.maxPiasters) errs.push({ path: `/fees/${i}/maxPiasters`, message: 'الحد الأقصى أقل من الحد الأدنى' });
    });
    if (errs.length) throw new DomainError('VALIDATION', errs[0].message, { details: errs });
  }

  private writeItems(serviceId: number, input: ServiceInput): void {
    this.db.prepare('DELETE FROM service_checklist_items WHERE service_id = ?').run(serviceId);
    this.db.prepare('DELETE FROM service_fee_items WHERE service_id = ?').run(serviceId);
    const item = this.db.prepare('INSERT INTO service_checklist_items (service_id, position, label_ar, label_en, required) VALUES (?, ?, ?, ?, ?)');
    input.checklist.forEach((c, i) => item.run(serviceId, i + 1, c.labelAr, c.labelEn ?? '', c.required === false ? 0 : 1));
    const fee = this.db.prepare(`INSERT INTO service_fee_items (service_id, code, position, label_ar, label_en, kind, amount_piasters, min_piasters, max_piasters)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    input.fees.forEach((f, i) => fee.run(serviceId, f.code, i + 1, f.labelAr, f.labelEn ?? '', f.kind,
      f.kind === 'fixed' ? f.amountPiasters : null, f.kind === 'variable' ? f.minPiasters : null, f.kind === 'variable' ? f.maxPiasters : null));
  }

  createService(input: ServiceInput, actor: string, opts: { demo?: boolean } = {}): Service {
    return this.uow.run(() => {
      this.validate(input);
      if (this.serviceByCode(input.code)) throw new DomainError('CODE_TAKEN', 'رمز الخدمة مستخدم من قبل', { details: [{ path: '/code', message: 'رمز الخدمة مستخدم من قبل' }] });
      const id = Number(this.db.prepare(`INSERT INTO services (code, department_id, name_ar, name_en, legal_period_days, period_kind, requirements_ar, requirements_en, active, demo, without_file, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(input.code, input.departmentId, input.nameAr, input.nameEn, input.legalPeriodDays, input.periodKind,
        input.requirementsAr ?? '', input.requirementsEn ?? '', input.active === false ? 0 : 1, opts.demo ? 1 : 0, input.withoutFile ? 1 : 0, this.clock()).lastInsertRowid);
      this.writeItems(id, input);
      const after = this.service(id);
      // The demo seed is one audit event, not one per service.
      if (!opts.demo) this.audit.append({ actor, action: 'service.create', entity: 'service', entityId: id, after });
      return after;
    });
  }

  /** Replace a service's definition (checklist and fees included); version guards against a stale edit. */
  updateService(id: number, input: ServiceInput & { version: number }, actor: string): Service {
    return this.uow.run(() => {
      const before = this.service(id);
      if (before.version !== input.version) throw new DomainError('STALE_UPDATE', 'عدّل شخص آخر هذه الخدمة، أعد تحميل البيانات', { en: 'Changed by someone else; reload' });
      this.validate(input);
      const other = this.serviceByCode(input.code);
      if (other && other.id !== id) throw new DomainError('CODE_TAKEN', 'رمز الخدمة مستخدم من قبل', { details: [{ path: '/code', message: 'رمز الخدمة مستخدم من قبل' }] });
      this.db.prepare(`UPDATE services SET code = ?, department_id = ?, name_ar = ?, name_en = ?, legal_period_days = ?, period_kind = ?,
        requirements_ar = ?, requirements_en = ?, active = ?, without_file = ?, version = version + 1, updated_at = ? WHERE id = ?`)
        .run(input.code, input.departmentId, input.nameAr, input.nameEn, input.legalPeriodDays, input.periodKind,
          input.requirementsAr ?? '', input.requirementsEn ?? '', input.active === false ? 0 : 1,
          (input.withoutFile ?? before.withoutFile) ? 1 : 0, this.clock(), id);
      this.writeItems(id, input);
      const after = this.service(id);
      this.audit.append({ actor, action: 'service.update', entity: 'service', entityId: id, before, after });
      return after;
    });
  }

  /**
   * The fees due for a service: every fixed item at its amount, every variable item at the
   * amount entered (by the representative), which must lie within the item's bounds.
   */
  chargeFees(serviceId: number, entered: { code: string; amountPiasters: number }[]): { lines: ChargedFee[]; totalPiasters: number } {
    const s = this.service(serviceId);
    const byCode = new Map(entered.map((e) => [e.code, e.amountPiasters]));
    const errs: { path: string; message: string }[] = [];
    for (const code of byCode.keys()) if (!s.fees.some((f) => f.code === code)) errs.push({ path: `/fees/${code}`, message: `بند رسوم غير معروف: ${code}` });
    const lines: ChargedFee[] = [];
    for (const f of s.fees) {
      if (f.kind === 'fixed') {
        if (byCode.has(f.code) && byCode.get(f.code) !== f.amountPiasters) errs.push({ path: `/fees/${f.code}`, message: `${f.labelAr}: رسم ثابت لا يعدل` });
        lines.push({ code: f.code, labelAr: f.labelAr, labelEn: f.labelEn, amountPiasters: f.amountPiasters });
        continue;
      }
      const v = byCode.get(f.code);
      if (v === undefined) errs.push({ path: `/fees/${f.code}`, message: `${f.labelAr}: أدخل القيمة` });
      else if (!Number.isInteger(v) || v < f.minPiasters || v > f.maxPiasters) {
        errs.push({ path: `/fees/${f.code}`, message: `${f.labelAr}: القيمة يجب أن تكون بين ${f.minPiasters / 100} و${f.maxPiasters / 100} جنيه` });
      } else lines.push({ code: f.code, labelAr: f.labelAr, labelEn: f.labelEn, amountPiasters: v });
    }
    if (errs.length) throw new DomainError('VALIDATION', errs[0].message, { en: 'Fees do not fit the service\'s schedule', details: errs });
    return { lines, totalPiasters: lines.reduce((a, l) => a + l.amountPiasters, 0) };
  }

  // ---- holidays and deadlines ----

  holidays(): { day: string; nameAr: string }[] {
    return this.db.prepare<[], { day: string; name_ar: string }>('SELECT * FROM holidays ORDER BY day').all().map((h) => ({ day: h.day, nameAr: h.name_ar }));
  }

  holidaySet(): Set<string> {
    return new Set(this.db.prepare<[], { day: string }>('SELECT day FROM holidays').all().map((h) => h.day));
  }

  addHoliday(day: string, nameAr: string, actor: string): void {
    this.uow.run(() => {
      const before = this.db.prepare<[string], { name_ar: string }>('SELECT name_ar FROM holidays WHERE day = ?').get(day) ?? null;
      this.db.prepare('INSERT INTO holidays (day, name_ar) VALUES (?, ?) ON CONFLICT (day) DO UPDATE SET name_ar = excluded.name_ar').run(day, nameAr);
      this.audit.append({ actor, action: 'holiday.set', entity: 'holiday', entityId: day, before, after: { nameAr } });
    });
  }

  removeHoliday(day: string, actor: string): void {
    this.uow.run(() => {
      const before = this.db.prepare<[string], { name_ar: string }>('SELECT name_ar FROM holidays WHERE day = ?').get(day);
      if (!before) throw new DomainError('NOT_FOUND', 'هذا اليوم ليس عطلة مسجلة');
      this.db.prepare('DELETE FROM holidays WHERE day = ?').run(day);
      this.audit.append({ actor, action: 'holiday.remove', entity: 'holiday', entityId: day, before });
    });
  }

  /** When a service's legal period that starts at `start` ends. */
  dueFor(serviceId: number, start: number): Due {
    const s = this.service(serviceId);
    return dueDate({ start, days: s.legalPeriodDays, kind: s.periodKind, holidays: this.holidaySet(), timeZone: this.timeZone });
  }

  /** The last second of a local day, for "expected by" times. */
  endOfDay(day: string): number {
    return startOfLocalDay(addDays(day, 1), this.timeZone) - 1000;
  }

  /** Due date for a period not tied to a service (complaints). */
  due(start: number, days: number, kind: PeriodKind): Due {
    return dueDate({ start, days, kind, holidays: this.holidaySet(), timeZone: this.timeZone });
  }
}
