// Case files: registered at the intake window while the citizen's ticket is served, then
// moved stage by stage (hub/domain/file-workflow.ts) by the role each stage belongs to.
// Every change is one transaction with its stage event and its audit event; a stale
// version gets 409. The queue link lives here too: forwarding parks the citizen's ticket,
// fees send it to the treasury line with the same number, a ready file gets a delivery ticket.
import type { StaffUser } from '../auth/roles.ts';
import type { Db } from '../db/connection.ts';
import { isOverdue } from '../domain/deadlines.ts';
import {
  actionsFor, stageSpans, STATUS_WORDS, timeByStatus, transition, type StageRole, type FileAction, type FileStatus, type StageSpan,
} from '../domain/file-workflow.ts';
import { displayInquiry, FILE_PREFIX, formatInquiry, parseInquiry } from '../domain/inquiry-number.ts';
import { localDay, localParts, type Clock } from '../domain/time.ts';
import { DomainError } from '../domain/errors.ts';
import type { AuditLog } from './audit.ts';
import type { CatalogService } from './catalog.ts';
import type { CitizenInput, CitizenService } from './citizens.ts';
import type { PublicStatus, PublicStatusRegistry } from './public-status.ts';
import type { QueueService } from './queue.ts';
import type { UnitOfWork } from './unit-of-work.ts';
import { staffKey } from '../domain/actor.ts';

/** The demo center's lines (hub/db/seed.ts): where a citizen waits to pay, and to collect a result. */
export const TREASURY_LINE = 'B';
export const DELIVERY_LINE = 'C';

/** One stage change (or, in history written before migration 032, a same-status note). */
export type FileEvent = {
  id: number; at: number; actor: string; actorRole: string; action: string; fromStatus: FileStatus | null; toStatus: FileStatus;
  note: string | null; public: boolean;
  /** What the citizen reads about this change on the status page. */
  publicNote: string | null;
};
export type ChecklistResult = { position: number; labelAr: string; required: boolean; present: boolean; note: string | null };
export type FeeLine = { code: string; labelAr: string; labelEn: string; amountPiasters: number };
export type CaseFile = {
  id: number; inquiry: string; inquiryDisplay: string; serviceId: number; serviceNameAr: string; departmentId: number;
  citizenId: number; citizenName: string; citizenNationalId: string; ticketId: number | null; ticketLabel: string | null;
  status: FileStatus; statusAr: string; feesPiasters: number | null; dueDay: string | null; overdue: boolean;
  decision: 'accepted' | 'refused' | null; decisionReason: string | null; publicNote: string | null;
  approvedBy: string | null; approvedAt: number | null; signature: string | null; stamp: string | null;
  deliveredToName: string | null; deliveredToNationalId: string | null; deliveredIdDocument: string | null; deliveredAt: number | null; deliveredBy: string | null;
  registeredAt: number; registeredBy: string; updatedAt: number; version: number;
};
export type FileDetail = CaseFile & {
  checklist: ChecklistResult[]; fees: FeeLine[]; events: FileEvent[]; stages: StageSpan[];
  timeByStatus: Partial<Record<FileStatus, number>>; attachments: AttachmentInfo[]; actions: FileAction[];
};
export type AttachmentInfo = { id: number; sha256: string; size: number; mime: string; name: string; label: string | null; uploadedAt: number; uploadedBy: string };

type Row = {
  id: number; inquiry: string; service_id: number; service_name_ar: string; department_id: number; citizen_id: number; citizen_name: string;
  citizen_national_id: string; ticket_id: number | null; ticket_label: string | null; status: FileStatus; fees_piasters: number | null;
  due_day: string | null; decision: 'accepted' | 'refused' | null; decision_reason: string | null; public_note: string | null;
  approved_by: string | null; approved_at: number | null; signature: string | null; stamp: string | null;
  delivered_to_name: string | null; delivered_to_national_id: string | null; delivered_id_document: string | null; delivered_at: number | null; delivered_by: string | null;
  registered_at: number; registered_by: string; updated_at: number; version: number;
};

const SELECT = `SELECT f.*, s.name_ar AS service_name_ar, z.name AS citizen_name, z.national_id AS citizen_national_id, t.label AS ticket_label
  FROM files f JOIN services s ON s.id = f.service_id JOIN citizens z ON z.id = f.citizen_id LEFT JOIN tickets t ON t.id = f.ticket_id`;

export type NewFile = {
  serviceId: number;
  citizen: CitizenInput;
  /** The intake window's formal review: one entry per checklist item, by position. */
  checklist: { position: number; present: boolean; note?: string }[];
  /** The window the citizen stands at; defaults to the clerk's own window. */
  window?: number | null;
  note?: string;
};

type Opts = {
  version?: number; note?: string | null;
  /** The note for the citizen, on the change's own event; a function when it needs what `apply` decided. */
  publicNote?: string | null | (() => string | null);
  ctx?: { feesPiasters?: number };
};


export class FileService {
  constructor(
    private readonly db: Db,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    private readonly catalog: CatalogService,
    private readonly citizens: CitizenService,
    private readonly queue: QueueService,
    private readonly timeZone: string,
    publicStatus: PublicStatusRegistry,
  ) {
    publicStatus.register('file', (inquiry) => {
      const parsed = parseInquiry(inquiry, FILE_PREFIX);
      if (!parsed) return null;
      const f = this.find(parsed.canonical);
      return f ? { nationalId: f.citizenNationalId, status: this.publicView(f) } : null;
    });
  }

  // ---- reading ----

  private toFile(r: Row): CaseFile {
    return {
      id: r.id, inquiry: r.inquiry, inquiryDisplay: displayInquiry(r.inquiry), serviceId: r.service_id, serviceNameAr: r.service_name_ar,
      departmentId: r.department_id, citizenId: r.citizen_id, citizenName: r.citizen_name, citizenNationalId: r.citizen_national_id,
      ticketId: r.ticket_id, ticketLabel: r.ticket_label, status: r.status, statusAr: STATUS_WORDS[r.status].ar,
      feesPiasters: r.fees_piasters, dueDay: r.due_day,
      overdue: r.status === 'with_department' && r.due_day !== null && isOverdue(r.due_day, this.clock(), this.timeZone),
      decision: r.decision, decisionReason: r.decision_reason, publicNote: r.public_note,
      approvedBy: r.approved_by, approvedAt: r.approved_at, signature: r.signature, stamp: r.stamp,
      deliveredToName: r.delivered_to_name, deliveredToNationalId: r.delivered_to_national_id, deliveredIdDocument: r.delivered_id_document,
      deliveredAt: r.delivered_at, deliveredBy: r.delivered_by,
      registeredAt: r.registered_at, registeredBy: r.registered_by, updatedAt: r.updated_at, version: r.version,
    };
  }

  private row(id: number): CaseFile {
    const r = this.db.prepare<[number], Row>(`${SELECT} WHERE f.id = ?`).get(id);
    if (!r) throw new DomainError('FILE_NOT_FOUND', 'الملف غير موجود', { en: 'No such file' });
    return this.toFile(r);
  }

  /** By canonical inquiry number; no scope (public status, inspections). */
  find(canonical: string): CaseFile | null {
    const r = this.db.prepare<[string], Row>(`${SELECT} WHERE f.inquiry = ?`).get(canonical);
    return r ? this.toFile(r) : null;
  }

  /** By id, no scope (inspections); null when there is none. */
  findById(id: number): CaseFile | null {
    const r = this.db.prepare<[number], Row>(`${SELECT} WHERE f.id = ?`).get(id);
    return r ? this.toFile(r) : null;
  }

  /** By inquiry number as typed, no scope; null for a malformed number or an unknown one. */
  findByInquiry(raw: string): CaseFile | null {
    const parsed = parseInquiry(raw, FILE_PREFIX);
    return parsed ? this.find(parsed.canonical) : null;
  }

  /** Representatives and supervisors see only their departments' files. */
  checkScope(user: StaffUser | null, f: { departmentId: number }): void {
    if (user?.departmentIds && !user.departmentIds.includes(f.departmentId)) {
      throw new DomainError('OUT_OF_SCOPE', 'هذا الملف يخص إدارة غير مسندة إليك', { en: 'This file belongs to a department outside your scope' });
    }
  }

  /** The file for a route that checks the caller's department scope. */
  scoped(id: number, user: StaffUser | null): CaseFile {
    const f = this.row(id);
    this.checkScope(user, f);
    return f;
  }

  events(id: number): FileEvent[] {
    type E = { id: number; at: number; actor: string; actor_role: string; action: string; from_status: FileStatus | null; to_status: FileStatus; note: string | null; public: number; public_note: string | null };
    return this.db.prepare<[number], E>('SELECT * FROM file_events WHERE file_id = ? ORDER BY id').all(id).map((e) => ({
      id: e.id, at: e.at, actor: e.actor, actorRole: e.actor_role, action: e.action, fromStatus: e.from_status, toStatus: e.to_status,
      note: e.note, public: !!e.public, publicNote: e.public_note,
    }));
  }

  fees(id: number): FeeLine[] {
    return this.db.prepare<[number], { code: string; label_ar: string; label_en: string; amount_piasters: number }>(
      'SELECT * FROM file_fees WHERE file_id = ? ORDER BY position').all(id)
      .map((l) => ({ code: l.code, labelAr: l.label_ar, labelEn: l.label_en, amountPiasters: l.amount_piasters }));
  }

  private checklistOf(id: number): ChecklistResult[] {
    return this.db.prepare<[number], { position: number; label_ar: string; required: number; present: number; note: string | null }>(
      'SELECT * FROM file_checklist WHERE file_id = ? ORDER BY position').all(id)
      .map((c) => ({ position: c.position, labelAr: c.label_ar, required: !!c.required, present: !!c.present, note: c.note }));
  }

  attachments(id: number): AttachmentInfo[] {
    type A = { id: number; sha256: string; size: number; mime: string; name: string; label: string | null; uploaded_at: number; uploaded_by: string };
    return this.db.prepare<[number], A>('SELECT * FROM attachments WHERE file_id = ? ORDER BY id').all(id).map((a) => ({
      id: a.id, sha256: a.sha256, size: a.size, mime: a.mime, name: a.name, label: a.label, uploadedAt: a.uploaded_at, uploadedBy: a.uploaded_by,
    }));
  }

  detail(f: CaseFile, user: StaffUser | null): FileDetail {
    const events = this.events(f.id);
    // Notes (public or not) recorded without a change of stage are not stages of their own.
    const stages = stageSpans(events.filter((e) => e.fromStatus !== e.toStatus).map((e) => ({ at: e.at, toStatus: e.toStatus, actor: e.actor })), this.clock());
    return {
      ...f, checklist: this.checklistOf(f.id), fees: this.fees(f.id), events, stages, timeByStatus: timeByStatus(stages),
      attachments: this.attachments(f.id), actions: user ? actionsFor(f.status, user.role) : [],
    };
  }

  get(id: number, user: StaffUser | null): FileDetail {
    return this.detail(this.scoped(id, user), user);
  }

  /** As typed by a clerk: a mistyped number is refused (400), never matched to another file. */
  byInquiry(raw: string, user: StaffUser | null): FileDetail {
    const parsed = parseInquiry(raw, FILE_PREFIX);
    if (!parsed) {
      throw new DomainError('INVALID_INQUIRY', 'رقم الاستعلام غير صحيح، راجع الأرقام', { en: 'Not a valid file inquiry number (check digits do not match)', details: [{ path: '/inquiry', message: 'رقم الاستعلام غير صحيح، راجع الأرقام' }] });
    }
    const f = this.find(parsed.canonical);
    if (!f) throw new DomainError('FILE_NOT_FOUND', 'لا يوجد ملف بهذا الرقم', { en: 'No file with this inquiry number' });
    this.checkScope(user, f);
    return this.detail(f, user);
  }

  /** The file of the ticket a window is serving now (treasury and delivery windows), or null. */
  atWindow(n: number, user: StaffUser | null): { ticket: { id: number; label: string; line: string } | null; file: FileDetail | null } {
    const cur = this.queue.currentAt(n);
    if (!cur) return { ticket: null, file: null };
    const t = this.db.prepare<[number], { file_id: number | null }>('SELECT file_id FROM tickets WHERE id = ?').get(cur.ticketId);
    const ticket = { id: cur.ticketId, label: cur.label, line: cur.line };
    if (!t?.file_id) return { ticket, file: null };
    return { ticket, file: this.get(t.file_id, user) };
  }

  list(user: StaffUser | null, filter: { status?: FileStatus; departmentId?: number; citizenId?: number; overdue?: boolean; limit?: number } = {}): CaseFile[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (filter.status) { where.push('f.status = ?'); args.push(filter.status); }
    if (filter.departmentId) { where.push('f.department_id = ?'); args.push(filter.departmentId); }
    if (filter.citizenId) { where.push('f.citizen_id = ?'); args.push(filter.citizenId); }
    // Overdue = with the department after its due day (the same rule as isOverdue, in SQL so LIMIT counts only matches).
    const today = localDay(this.clock(), this.timeZone);
    if (filter.overdue === true) { where.push("f.status = 'with_department' AND f.due_day < ?"); args.push(today); }
    if (filter.overdue === false) { where.push("NOT (f.status = 'with_department' AND f.due_day < ?)"); args.push(today); }
    if (user?.departmentIds) {
      if (!user.departmentIds.length) return [];
      where.push(`f.department_id IN (${user.departmentIds.map(() => '?').join(',')})`);
      args.push(...user.departmentIds);
    }
    const sql = `${SELECT}${where.length ? ' WHERE ' + where.join(' AND ') : ''} ORDER BY f.id DESC LIMIT ?`;
    return this.db.prepare(sql).all(...args, filter.limit ?? 200).map((r) => this.toFile(r as Row));
  }

  /** What the citizen may see: stage, due date, public notes. */
  publicView(f: CaseFile): PublicStatus {
    // The note on a change's own event, and the public same-status events of older history.
    const notes = this.db.prepare<[number], { at: number; note: string }>(
      `SELECT at, note FROM (SELECT id, at, coalesce(public_note, CASE WHEN public = 1 THEN note END) AS note FROM file_events WHERE file_id = ?)
       WHERE note IS NOT NULL ORDER BY id`).all(f.id);
    return {
      kind: 'file', inquiry: f.inquiry, stage: f.status, stageAr: STATUS_WORDS[f.status].ar, stageEn: STATUS_WORDS[f.status].en,
      dueDate: f.dueDay, publicNotes: notes.map((n) => ({ at: n.at, textAr: n.note })),
    };
  }

  // ---- writing ----

  private nextInquiry(at: number): string {
    const year = localParts(at, this.timeZone).year;
    this.db.prepare('INSERT INTO file_counters (year, last) VALUES (?, 1) ON CONFLICT (year) DO UPDATE SET last = last + 1').run(year);
    const seq = this.db.prepare<[number], { last: number }>('SELECT last FROM file_counters WHERE year = ?').get(year)!.last;
    return formatInquiry(FILE_PREFIX, year, seq);
  }

  /** One event per stage change: the staff's note and the citizen's note ride on it together. */
  private event(fileId: number, at: number, actor: string, role: string, action: string, from: FileStatus | null, to: FileStatus, note: string | null, publicNote: string | null = null): void {
    this.db.prepare('INSERT INTO file_events (file_id, at, actor, actor_role, action, from_status, to_status, note, public, public_note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?)')
      .run(fileId, at, actor, role, action, from, to, note, publicNote);
  }

  /** The checklist answers must name every item of the service once; required ones must be present. */
  private checkChecklist(serviceId: number, answers: NewFile['checklist']): ChecklistResult[] {
    const items = this.catalog.service(serviceId).checklist;
    const byPos = new Map<number, NewFile['checklist'][number]>();
    const errs: { path: string; message: string }[] = [];
    answers.forEach((a, i) => {
      if (byPos.has(a.position)) errs.push({ path: `/checklist/${i}/position`, message: 'البند مكرر' });
      else if (!items.some((it) => it.position === a.position)) errs.push({ path: `/checklist/${i}/position`, message: `لا يوجد بند رقم ${a.position} في قائمة مستندات الخدمة` });
      byPos.set(a.position, a);
    });
    const out: ChecklistResult[] = [];
    for (const it of items) {
      const a = byPos.get(it.position);
      if (!a) errs.push({ path: `/checklist/${it.position}`, message: `حدد استلام: ${it.labelAr}` });
      else if (it.required && !a.present) errs.push({ path: `/checklist/${it.position}`, message: `مستند مطلوب غير مستوفى: ${it.labelAr}` });
      out.push({ position: it.position, labelAr: it.labelAr, required: it.required, present: a?.present ?? false, note: a?.note?.trim() || null });
    }
    if (errs.length) throw new DomainError('CHECKLIST_INCOMPLETE', errs[0].message, { en: 'The formal review against the checklist is incomplete', details: errs });
    return out;
  }

  /** The intake window registers the file; the ticket being served at the window is linked to it. */
  register(input: NewFile, user: StaffUser): FileDetail {
    const actor = staffKey(user);
    const service = this.catalog.service(input.serviceId);
    if (!service.active) throw new DomainError('SERVICE_INACTIVE', 'هذه الخدمة متوقفة حالياً', { details: [{ path: '/serviceId', message: 'هذه الخدمة متوقفة حالياً' }] });
    const checklist = this.checkChecklist(service.id, input.checklist);
    const window = input.window === undefined ? user.window : input.window;
    if (window != null && user.role !== 'manager' && user.window !== window) {
      throw new DomainError('NOT_YOUR_WINDOW', `هذا ليس شباكك: أنت مسجل على ${user.window ? `شباك ${user.window}` : 'لا شباك'}`, { en: 'Not your window', details: [{ path: '/window', message: 'هذا ليس شباكك' }] });
    }
    return this.uow.run(() => {
      const { citizen } = this.citizens.findOrCreate(input.citizen, actor);
      let ticketId: number | null = null;
      if (window != null) {
        const cur = this.queue.currentAt(window);
        if (cur) {
          const t = this.db.prepare<[number], { file_id: number | null }>('SELECT file_id FROM tickets WHERE id = ?').get(cur.ticketId)!;
          if (t.file_id !== null) throw new DomainError('TICKET_HAS_FILE', `التذكرة ${cur.label} مرتبطة بملف آخر`, { en: 'The ticket at this window already has a file' });
          ticketId = cur.ticketId;
        }
      }
      const now = this.clock();
      const inquiry = this.nextInquiry(now);
      const id = Number(this.db.prepare(`INSERT INTO files (inquiry, service_id, department_id, citizen_id, ticket_id, status, registered_at, registered_by, updated_at)
        VALUES (?, ?, ?, ?, ?, 'registered', ?, ?, ?)`).run(inquiry, service.id, service.departmentId, citizen.id, ticketId, now, actor, now).lastInsertRowid);
      const ins = this.db.prepare('INSERT INTO file_checklist (file_id, position, label_ar, required, present, note) VALUES (?, ?, ?, ?, ?, ?)');
      for (const c of checklist) ins.run(id, c.position, c.labelAr, c.required ? 1 : 0, c.present ? 1 : 0, c.note);
      if (ticketId !== null) this.db.prepare('UPDATE tickets SET file_id = ? WHERE id = ?').run(id, ticketId);
      this.event(id, now, actor, user.role, 'register', null, 'registered', input.note?.trim() || null);
      const after = this.row(id);
      this.audit.append({ actor, action: 'file.register', entity: 'file', entityId: id, after: { ...after, checklist } });
      this.uow.topic('files');
      return this.detail(after, user);
    });
  }

  /**
   * One stage change: the role and status rule (pure), the optimistic version, the extra
   * columns (`apply`), the stage event and the audit event — all in one transaction.
   */
  private move(
    id: number, action: FileAction, who: { user: StaffUser } | { system: string }, opts: Opts,
    apply: (before: CaseFile, now: number, actor: string) => void = () => {},
  ): CaseFile {
    const actor = 'user' in who ? staffKey(who.user) : who.system;
    const role: StageRole = 'user' in who ? who.user.role : 'system';
    return this.uow.run(() => {
      const before = this.row(id);
      if ('user' in who) this.checkScope(who.user, before);
      if (opts.version !== undefined && opts.version !== before.version) {
        throw new DomainError('STALE_UPDATE', 'تغير الملف منذ فتحه، أعد تحميل البيانات', { en: `Stale version ${opts.version}; the file is at version ${before.version}` });
      }
      const t = transition(before.status, action, role, opts.ctx);
      if (!t.ok) throw new DomainError(t.reason, t.ar, { en: t.en });
      const now = this.clock();
      apply(before, now, actor);
      this.db.prepare('UPDATE files SET status = ?, updated_at = ?, version = version + 1 WHERE id = ?').run(t.to, now, id);
      const publicNote = (typeof opts.publicNote === 'function' ? opts.publicNote() : opts.publicNote)?.trim() || null;
      if (publicNote) this.db.prepare('UPDATE files SET public_note = ? WHERE id = ?').run(publicNote, id);
      this.event(id, now, actor, role, action, before.status, t.to, opts.note?.trim() || null, publicNote);
      const after = this.row(id);
      this.audit.append({ actor, action: `file.${action}`, entity: 'file', entityId: id, before, after });
      this.uow.topic('files');
      return after;
    });
  }

  /** The window whose current visit is this ticket, if the citizen is still at one. */
  private windowServing(ticketId: number): number | null {
    const r = this.db.prepare<[number], { number: number }>(
      `SELECT w.number FROM windows w JOIN visits v ON v.id = w.current_visit WHERE v.ticket_id = ? AND v.status IN ('called', 'serving')`).get(ticketId);
    return r?.number ?? null;
  }

  private ticketIsToday(ticketId: number): boolean {
    const t = this.db.prepare<[number], { day: string }>('SELECT day FROM tickets WHERE id = ?').get(ticketId);
    return t?.day === localDay(this.clock(), this.timeZone);
  }

  private lastVisitStatus(ticketId: number): string | null {
    return this.db.prepare<[number], { status: string }>('SELECT status FROM visits WHERE ticket_id = ? ORDER BY id DESC LIMIT 1').get(ticketId)?.status ?? null;
  }

  /** Intake → representative; the citizen's ticket is parked (they wait in the hall for the treasury). */
  forward(id: number, o: { version?: number; note?: string }, user: StaffUser): FileDetail {
    return this.uow.run(() => {
      const f = this.move(id, 'forward', { user }, o);
      if (f.ticketId !== null) {
        const w = this.windowServing(f.ticketId);
        if (w !== null) this.queue.park(w, staffKey(user));
      }
      return this.detail(this.row(id), user);
    });
  }

  returnForDocuments(id: number, o: { version?: number; reason: string; publicNote?: string }, user: StaffUser): FileDetail {
    const reason = requireText(o.reason, '/reason', 'اكتب المستندات الناقصة');
    const f = this.move(id, 'return', { user }, { version: o.version, note: reason, publicNote: o.publicNote ?? `مطلوب استيفاء: ${reason}` });
    return this.detail(f, user);
  }

  resubmit(id: number, o: { version?: number; note?: string }, user: StaffUser): FileDetail {
    return this.detail(this.move(id, 'resubmit', { user }, o), user);
  }

  refuse(id: number, o: { version?: number; reason: string; publicNote?: string }, user: StaffUser): FileDetail {
    const reason = requireText(o.reason, '/reason', 'اكتب سبب الرفض');
    const f = this.move(id, 'refuse', { user }, { version: o.version, note: reason, publicNote: o.publicNote ?? `سبب الرفض: ${reason}` }, (_b, _now) => {
      this.db.prepare("UPDATE files SET decision = 'refused', decision_reason = ? WHERE id = ?").run(reason, id);
    });
    return this.detail(f, user);
  }

  /**
   * Technical review signed, fees fixed by law: fixed items at their amount, variable ones as
   * entered within their bounds (CatalogService.chargeFees). With fees, the citizen's ticket
   * joins the treasury line with the same number; without, the file waits for the manager.
   */
  review(id: number, o: { version?: number; fees: { code: string; amountPiasters: number }[]; signature: string; note?: string }, user: StaffUser): FileDetail {
    const signature = requireText(o.signature, '/signature', 'التوقيع مطلوب');
    return this.uow.run(() => {
      const current = this.scoped(id, user);
      const charged = this.catalog.chargeFees(current.serviceId, o.fees);
      const f = this.move(id, 'review', { user }, { version: o.version, note: o.note ?? `توقيع المراجعة الفنية: ${signature}`, ctx: { feesPiasters: charged.totalPiasters } }, () => {
        this.db.prepare('DELETE FROM file_fees WHERE file_id = ?').run(id);
        const ins = this.db.prepare('INSERT INTO file_fees (file_id, code, position, label_ar, label_en, amount_piasters) VALUES (?, ?, ?, ?, ?, ?)');
        charged.lines.forEach((l, i) => { if (l.amountPiasters > 0) ins.run(id, l.code, i, l.labelAr, l.labelEn, l.amountPiasters); });
        this.db.prepare('UPDATE files SET fees_piasters = ? WHERE id = ?').run(charged.totalPiasters, id);
      });
      // Only today's ticket: a citizen whose review took till another day takes a new number.
      if (f.status === 'awaiting_payment' && f.ticketId !== null && this.lastVisitStatus(f.ticketId) === 'parked' && this.ticketIsToday(f.ticketId)) {
        this.queue.unpark(f.ticketId!, TREASURY_LINE, staffKey(user));
      }
      return this.detail(this.row(id), user);
    });
  }

  /** Called by the treasury inside the receipt's transaction. */
  markPaid(id: number, cashier: StaffUser, receiptLabel: string): CaseFile {
    return this.move(id, 'pay', { user: cashier }, { note: `إيصال رقم ${receiptLabel}` });
  }

  /** Called by the treasury when the manager confirms a receipt's void. */
  reopenPayment(id: number, receiptLabel: string): CaseFile {
    return this.move(id, 'reopen_payment', { system: 'system' }, { note: `أُلغي الإيصال رقم ${receiptLabel}` });
  }

  /** The manager's approval with signature and the center's stamp. */
  approve(id: number, o: { version?: number; signature: string; stamp: string; note?: string }, user: StaffUser): FileDetail {
    const signature = requireText(o.signature, '/signature', 'التوقيع مطلوب');
    const stamp = requireText(o.stamp, '/stamp', 'ختم المركز مطلوب');
    const f = this.move(id, 'approve', { user }, o, (_b, now, actor) => {
      this.db.prepare('UPDATE files SET approved_by = ?, approved_at = ?, signature = ?, stamp = ? WHERE id = ?').run(actor, now, signature, stamp, id);
    });
    return this.detail(f, user);
  }

  /** To the competent department; the legal period starts now. */
  dispatch(id: number, o: { version?: number; note?: string }, user: StaffUser): FileDetail {
    let dueDay = '';
    // The public note carries the due date, so the citizen's status page says when to expect it.
    const f = this.move(id, 'dispatch', { user }, { ...o, publicNote: () => `موعد البت المتوقع: ${dueDay}` }, (b, now) => {
      dueDay = this.catalog.dueFor(b.serviceId, now).day;
      this.db.prepare('UPDATE files SET due_day = ? WHERE id = ?').run(dueDay, id);
    });
    return this.detail(f, user);
  }

  decide(id: number, o: { version?: number; decision: 'accepted' | 'refused'; reason?: string; publicNote?: string }, user: StaffUser): FileDetail {
    const reason = o.decision === 'refused' ? requireText(o.reason, '/reason', 'اكتب سبب الرفض') : (o.reason?.trim() || null);
    // A refusal is always explained to the citizen (status page), in the department's words unless a note is given.
    const publicNote = o.publicNote ?? (o.decision === 'refused' ? `سبب الرفض: ${reason}` : undefined);
    const f = this.move(id, 'decide', { user }, { version: o.version, note: reason, publicNote }, () => {
      this.db.prepare('UPDATE files SET decision = ?, decision_reason = ? WHERE id = ?').run(o.decision, reason, id);
    });
    return this.detail(f, user);
  }

  markReady(id: number, o: { version?: number; note?: string; publicNote?: string }, user: StaffUser): FileDetail {
    return this.detail(this.move(id, 'mark_ready', { user }, { ...o, publicNote: o.publicNote ?? 'المعاملة جاهزة للتسليم' }), user);
  }

  /** Reception sends the returning citizen to the delivery line with a ticket linked to the file. */
  deliveryTicket(id: number, user: StaffUser): { file: CaseFile; ticket: { id: number; label: string; line: string } } {
    return this.uow.run(() => {
      const f = this.scoped(id, user);
      if (f.status !== 'ready') {
        throw new DomainError('INVALID_TRANSITION', `الملف ليس جاهزاً للتسليم (${STATUS_WORDS[f.status].ar})`, { en: 'The file is not ready for delivery' });
      }
      const issued = this.queue.issue({ line: DELIVERY_LINE, by: staffKey(user) });
      const t = this.db.prepare<[string, string], { id: number }>('SELECT id FROM tickets WHERE label = ? AND letter = ? ORDER BY id DESC LIMIT 1').get(issued.number, issued.line)!;
      this.db.prepare('UPDATE tickets SET file_id = ? WHERE id = ?').run(id, t.id);
      this.audit.append({ actor: staffKey(user), action: 'file.delivery_ticket', entity: 'file', entityId: id, after: { ticketId: t.id, label: issued.number } });
      this.uow.topic('files');
      return { file: f, ticket: { id: t.id, label: issued.number, line: issued.line } };
    });
  }

  /** The result handed over: to whom, and the ID document they showed. */
  deliver(id: number, o: { version?: number; toName: string; toNationalId?: string; idDocument: string; note?: string }, user: StaffUser): FileDetail {
    const toName = requireText(o.toName, '/toName', 'اكتب اسم المستلم');
    const idDocument = requireText(o.idDocument, '/idDocument', 'اكتب المستند الذي قدمه المستلم لإثبات شخصيته');
    const nid = o.toNationalId ? this.citizens.parseId(o.toNationalId, '/toNationalId').nationalId : null;
    const f = this.move(id, 'deliver', { user }, { version: o.version, note: o.note ?? `سُلم إلى ${toName}` }, (_b, now, actor) => {
      this.db.prepare('UPDATE files SET delivered_to_name = ?, delivered_to_national_id = ?, delivered_id_document = ?, delivered_at = ?, delivered_by = ? WHERE id = ?')
        .run(toName, nid, idDocument, now, actor, id);
    });
    return this.detail(f, user);
  }
}

function requireText(v: string | undefined | null, path: string, ar: string): string {
  const s = (v ?? '').trim();
  if (s.length < 2) throw new DomainError('VALIDATION', ar, { details: [{ path, message: ar }] });
  return s;
}
