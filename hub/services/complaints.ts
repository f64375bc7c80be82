// Complaints: registered at the citizen service window (or through Open311) with an
// inquiry number, assigned to a department with a due date, answered, closed. Every step
// is kept (complaint_events) and audited; representatives and supervisors see only their
// departments' complaints.
import type { StaffUser } from '../auth/roles.ts';
import type { Db } from '../db/connection.ts';
import { COMPLAINT_PERIOD, nextStatus, STATUS_WORDS, type ComplaintAction, type ComplaintStatus } from '../domain/complaints.ts';
import { isOverdue } from '../domain/deadlines.ts';
import { localParts, type Clock } from '../domain/time.ts';
import { DomainError } from '../domain/errors.ts';
import type { AuditLog } from './audit.ts';
import type { CatalogService } from './catalog.ts';
import type { CitizenInput, CitizenService } from './citizens.ts';
import type { PublicStatus, StatusRecord } from './public-status.ts';
import type { UnitOfWork } from './unit-of-work.ts';
import { COMPLAINT_PREFIX, displayInquiry, formatInquiry, parseInquiry } from '../domain/inquiry-number.ts';
import { actorKey, staffKey } from '../domain/actor.ts';

export type ComplaintEvent = { id: number; at: number; actor: string; event: string; fromStatus: string | null; toStatus: string; note: string | null; public: boolean };
export type Complaint = {
  id: number; inquiry: string; /** as printed: C-2026-000123-45 */ inquiryDisplay: string; citizenId: number | null; citizenName: string | null; contactName: string | null; contactPhone: string | null;
  departmentId: number; channel: 'window' | 'open311'; subject: string; body: string;
  address: string | null; lat: number | null; long: number | null;
  /** Open311: the jurisdiction's address id as sent, the declared attributes' values, the api_key that filed it. */
  addressId: string | null; attributes: Record<string, string | string[]>; open311KeyId: number | null;
  status: ComplaintStatus; dueDay: string; overdue: boolean; response: string | null; publicNote: string | null;
  registeredAt: number; registeredBy: string; updatedAt: number; closedAt: number | null; version: number;
};
export type ComplaintDetail = Complaint & { events: ComplaintEvent[] };

type Row = {
  id: number; inquiry: string; citizen_id: number | null; citizen_name: string | null; contact_name: string | null; contact_phone: string | null;
  department_id: number; channel: 'window' | 'open311'; subject: string; body: string; address: string | null; lat: number | null; long: number | null;
  address_id: string | null; attributes: string | null; open311_key_id: number | null;
  status: ComplaintStatus; due_day: string; response: string | null; public_note: string | null; registered_at: number; registered_by: string;
  updated_at: number; closed_at: number | null; version: number;
};
type EventRow = { id: number; at: number; actor: string; event: string; from_status: string | null; to_status: string; note: string | null; public: number };

const SELECT = 'SELECT c.*, z.name AS citizen_name FROM complaints c LEFT JOIN citizens z ON z.id = c.citizen_id';

export type NewComplaint = { citizen: CitizenInput; departmentId: number; subject: string; body: string };
export type Open311Complaint = {
  departmentId: number; description: string; address?: string | null; lat?: number | null; long?: number | null;
  name?: string | null; phone?: string | null; nationalId?: string | null;
  addressId?: string | null; attributes?: Record<string, string | string[]>; keyId?: number | null;
};

export class ComplaintService {
  constructor(
    private readonly db: Db,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    private readonly catalog: CatalogService,
    private readonly citizens: CitizenService,
    private readonly timeZone: string,
  ) {}

  /** The public status page's record of a complaint (its owner's national ID to check, and what the citizen may read). */
  statusRecord(inquiry: string): StatusRecord | null {
    const r = this.db.prepare<[string], Row & { national_id: string | null }>(
      'SELECT c.*, NULL AS citizen_name, z.national_id FROM complaints c LEFT JOIN citizens z ON z.id = c.citizen_id WHERE c.inquiry = ?').get(inquiry);
    return r ? { nationalId: r.national_id, status: this.publicView(this.toComplaint(r)) } : null;
  }

  private toComplaint(r: Row): Complaint {
    return {
      id: r.id, inquiry: r.inquiry, inquiryDisplay: displayInquiry(r.inquiry), citizenId: r.citizen_id, citizenName: r.citizen_name, contactName: r.contact_name, contactPhone: r.contact_phone,
      departmentId: r.department_id, channel: r.channel, subject: r.subject, body: r.body, address: r.address, lat: r.lat, long: r.long,
      addressId: r.address_id, attributes: r.attributes ? JSON.parse(r.attributes) as Record<string, string | string[]> : {}, open311KeyId: r.open311_key_id,
      status: r.status, dueDay: r.due_day, overdue: r.status !== 'closed' && r.status !== 'answered' && isOverdue(r.due_day, this.clock(), this.timeZone),
      response: r.response, publicNote: r.public_note, registeredAt: r.registered_at, registeredBy: r.registered_by,
      updatedAt: r.updated_at, closedAt: r.closed_at, version: r.version,
    };
  }

  /** What the citizen may see: stage, due date, public notes. */
  publicView(c: Complaint): PublicStatus {
    const notes = this.db.prepare<[number], { at: number; note: string }>(
      'SELECT at, note FROM complaint_events WHERE complaint_id = ? AND public = 1 AND note IS NOT NULL ORDER BY id').all(c.id);
    return {
      kind: 'complaint', inquiry: c.inquiryDisplay, stage: c.status, stageAr: STATUS_WORDS[c.status].ar, stageEn: STATUS_WORDS[c.status].en,
      dueDate: c.dueDay, publicNotes: notes.map((n) => ({ at: n.at, textAr: n.note })),
    };
  }

  // ---- reading ----

  private row(id: number): Complaint {
    const r = this.db.prepare<[number], Row>(`${SELECT} WHERE c.id = ?`).get(id);
    if (!r) throw new DomainError('COMPLAINT_NOT_FOUND', 'الشكوى غير موجودة', { en: 'No such complaint' });
    return this.toComplaint(r);
  }

  private checkScope(user: StaffUser | null, departmentId: number): void {
    if (user?.departmentIds && !user.departmentIds.includes(departmentId)) {
      throw new DomainError('OUT_OF_SCOPE', 'هذه الشكوى تخص إدارة غير مسندة إليك', { en: 'This complaint belongs to a department outside your scope' });
    }
  }

  events(id: number): ComplaintEvent[] {
    return this.db.prepare<[number], EventRow>('SELECT * FROM complaint_events WHERE complaint_id = ? ORDER BY id').all(id)
      .map((e) => ({ id: e.id, at: e.at, actor: e.actor, event: e.event, fromStatus: e.from_status, toStatus: e.to_status, note: e.note, public: !!e.public }));
  }

  get(id: number, user: StaffUser | null): ComplaintDetail {
    const c = this.row(id);
    this.checkScope(user, c.departmentId);
    return { ...c, events: this.events(id) };
  }

  /** For inspections and Open311: no scope. */
  find(id: number): ComplaintDetail | null {
    const r = this.db.prepare<[number], Row>(`${SELECT} WHERE c.id = ?`).get(id);
    return r ? { ...this.toComplaint(r), events: this.events(id) } : null;
  }

  /** By inquiry number as typed; null for an unknown number or one whose check digits fail. */
  byInquiry(typed: string): Complaint | null {
    const inquiry = parseInquiry(typed, COMPLAINT_PREFIX)?.canonical;
    if (!inquiry) return null;
    const r = this.db.prepare<[string], Row>(`${SELECT} WHERE c.inquiry = ?`).get(inquiry);
    return r ? this.toComplaint(r) : null;
  }

  list(user: StaffUser | null, filter: {
    status?: ComplaintStatus; statuses?: readonly ComplaintStatus[]; departmentId?: number; departmentIds?: readonly number[];
    /** registered_at in [from, to] (Open311's start_date / end_date) */ from?: number; to?: number; limit?: number;
  } = {}): Complaint[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (filter.status) { where.push('c.status = ?'); args.push(filter.status); }
    if (filter.statuses) {
      if (!filter.statuses.length) return [];
      where.push(`c.status IN (${filter.statuses.map(() => '?').join(',')})`); args.push(...filter.statuses);
    }
    if (filter.departmentId) { where.push('c.department_id = ?'); args.push(filter.departmentId); }
    if (filter.departmentIds) {
      if (!filter.departmentIds.length) return [];
      where.push(`c.department_id IN (${filter.departmentIds.map(() => '?').join(',')})`); args.push(...filter.departmentIds);
    }
    if (filter.from !== undefined) { where.push('c.registered_at >= ?'); args.push(filter.from); }
    if (filter.to !== undefined) { where.push('c.registered_at <= ?'); args.push(filter.to); }
    if (user?.departmentIds) {
      if (!user.departmentIds.length) return [];
      where.push(`c.department_id IN (${user.departmentIds.map(() => '?').join(',')})`);
      args.push(...user.departmentIds);
    }
    const sql = `${SELECT}${where.length ? ' WHERE ' + where.join(' AND ') : ''} ORDER BY c.id DESC LIMIT ?`;
    return this.db.prepare(sql).all(...args, filter.limit ?? 200).map((r) => this.toComplaint(r as Row));
  }

  // ---- writing ----

  private nextInquiry(at: number): string {
    const year = localParts(at, this.timeZone).year;
    this.db.prepare('INSERT INTO complaint_counters (year, last) VALUES (?, 1) ON CONFLICT (year) DO UPDATE SET last = last + 1').run(year);
    const seq = this.db.prepare<[number], { last: number }>('SELECT last FROM complaint_counters WHERE year = ?').get(year)!.last;
    return formatInquiry(COMPLAINT_PREFIX, year, seq);
  }

  private insert(input: {
    citizenId: number | null; contactName: string | null; contactPhone: string | null; departmentId: number; channel: 'window' | 'open311';
    subject: string; body: string; address: string | null; lat: number | null; long: number | null;
    addressId?: string | null; attributes?: Record<string, string | string[]> | null; keyId?: number | null;
  }, actor: string): Complaint {
    this.catalog.department(input.departmentId); // 404 for an unknown department
    const now = this.clock();
    const inquiry = this.nextInquiry(now);
    const due = this.catalog.due(now, COMPLAINT_PERIOD.days, COMPLAINT_PERIOD.kind);
    const id = Number(this.db.prepare(`INSERT INTO complaints (inquiry, citizen_id, contact_name, contact_phone, department_id, channel, subject, body,
      address, lat, long, address_id, attributes, open311_key_id, status, due_day, registered_at, registered_by, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'registered', ?, ?, ?, ?)`)
      .run(inquiry, input.citizenId, input.contactName, input.contactPhone, input.departmentId, input.channel, input.subject, input.body,
        input.address, input.lat, input.long, input.addressId ?? null, input.attributes && Object.keys(input.attributes).length ? JSON.stringify(input.attributes) : null,
        input.keyId ?? null, due.day, now, actor, now).lastInsertRowid);
    this.db.prepare(`INSERT INTO complaint_events (complaint_id, at, actor, event, from_status, to_status, note, public) VALUES (?, ?, ?, 'registered', NULL, 'registered', NULL, 0)`)
      .run(id, now, actor);
    const after = this.row(id);
    this.audit.append({ actor, action: 'complaint.register', entity: 'complaint', entityId: id, after });
    this.uow.topic('complaints');
    return after;
  }

  /** At the citizen service window: the citizen is found or registered by national ID. */
  register(input: NewComplaint, actor: string): Complaint {
    return this.uow.run(() => {
      const { citizen } = this.citizens.findOrCreate(input.citizen, actor);
      return this.insert({
        citizenId: citizen.id, contactName: null, contactPhone: null, departmentId: input.departmentId, channel: 'window',
        subject: input.subject, body: input.body, address: null, lat: null, long: null,
      }, actor);
    });
  }

  /** From an Open311 client; a national ID, when given, links the citizen (and enables the status lookup). */
  registerOpen311(input: Open311Complaint): Complaint {
    const actor = actorKey({ kind: 'citizen', via: 'open311' });
    const phone = this.citizens.parseMobile(input.phone ?? null, '/phone');
    return this.uow.run(() => {
      let citizenId: number | null = null;
      if (input.nationalId) {
        const name = input.name?.trim() || 'مواطن (Open311)';
        citizenId = this.citizens.findOrCreate({ nationalId: input.nationalId, name, mobile: phone }, actor).citizen.id;
      }
      const subject = input.description.split('\n')[0].slice(0, 120);
      return this.insert({
        citizenId, contactName: input.name?.trim() || null, contactPhone: phone, departmentId: input.departmentId, channel: 'open311',
        subject, body: input.description, address: input.address ?? null, lat: input.lat ?? null, long: input.long ?? null,
        addressId: input.addressId ?? null, attributes: input.attributes ?? null, keyId: input.keyId ?? null,
      }, actor);
    });
  }

  private transition(
    id: number, action: ComplaintAction, user: StaffUser, opts: { version?: number; note?: string | null; publicNote?: string | null },
    apply: (before: Complaint, now: number) => void,
  ): ComplaintDetail {
    const actor = staffKey(user);
    return this.uow.run(() => {
      const before = this.row(id);
      this.checkScope(user, before.departmentId);
      if (opts.version !== undefined && opts.version !== before.version) {
        throw new DomainError('STALE_UPDATE', 'تغيرت الشكوى منذ فتحها، أعد تحميل البيانات', { en: 'Changed since you read it; reload' });
      }
      const to = nextStatus(before.status, action);
      if (!to) {
        throw new DomainError('INVALID_TRANSITION', `لا يمكن هذا الإجراء والشكوى في حالة: ${STATUS_WORDS[before.status].ar}`, { en: `Not possible while ${before.status}` });
      }
      const now = this.clock();
      apply(before, now);
      this.db.prepare('UPDATE complaints SET status = ?, updated_at = ?, closed_at = ?, version = version + 1 WHERE id = ?')
        .run(to, now, to === 'closed' ? now : null, id);
      const ev = this.db.prepare('INSERT INTO complaint_events (complaint_id, at, actor, event, from_status, to_status, note, public) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
      const word = action === 'forward' ? 'forwarded' : action === 'answer' ? 'answered' : 'closed';
      if (opts.note) ev.run(id, now, actor, word, before.status, to, opts.note, 0);
      if (opts.publicNote) ev.run(id, now, actor, word, before.status, to, opts.publicNote, 1);
      if (!opts.note && !opts.publicNote) ev.run(id, now, actor, word, before.status, to, null, 0);
      const after = this.row(id);
      this.audit.append({ actor, action: `complaint.${action}`, entity: 'complaint', entityId: id, before, after });
      this.uow.topic('complaints');
      return { ...after, events: this.events(id) };
    });
  }

  /** Send to the competent department (optionally a different one than registered). */
  forward(id: number, input: { departmentId?: number; note?: string; version?: number }, user: StaffUser): ComplaintDetail {
    return this.transition(id, 'forward', user, input, (before) => {
      if (input.departmentId && input.departmentId !== before.departmentId) {
        this.catalog.department(input.departmentId);
        this.db.prepare('UPDATE complaints SET department_id = ? WHERE id = ?').run(input.departmentId, id);
      }
    });
  }

  /** The department's answer; publicNote is what the citizen reads on the status page. */
  answer(id: number, input: { response: string; publicNote?: string; version?: number }, user: StaffUser): ComplaintDetail {
    return this.transition(id, 'answer', user, { version: input.version, note: input.response, publicNote: input.publicNote ?? null }, () => {
      this.db.prepare('UPDATE complaints SET response = ?, public_note = ? WHERE id = ?').run(input.response, input.publicNote ?? null, id);
    });
  }

  close(id: number, input: { note?: string; version?: number }, user: StaffUser): ComplaintDetail {
    return this.transition(id, 'close', user, input, () => {});
  }

  /** Check an inquiry number's form and check digit (a typo is refused, never matched to another complaint). */
  static validInquiry(s: string): boolean {
    return parseInquiry(s) !== null;
  }
}
