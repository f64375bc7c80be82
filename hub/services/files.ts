// Case files: registered at the intake window while the citizen's ticket is served, then
// moved stage by stage (hub/domain/file-workflow.ts) by the role each stage belongs to.
// Every change is one transaction with its stage event and its audit event; a stale
// version is refused (STALE_UPDATE). The queue link lives here too: forwarding parks the
// citizen's ticket, fees send it to the line whose purpose is the treasury with the same
// number, a ready file gets a ticket on the delivery line. The rows and their SQL are
// FileRepository's (hub/services/file-repository.ts); this file holds the order of things.
import { assertOwnWindow } from '../auth/windows.ts';
import type { StaffUser } from '../auth/roles.ts';
import type { Db } from '../db/connection.ts';
import { staffKey, staffActor, actorKey, SYSTEM } from '../domain/actor.ts';
import { DomainError, invalid } from '../domain/errors.ts';
import { deskActionOpen, fileActions, type FileViewAction } from '../domain/file-actions.ts';
import {
  stageSpans, STATUS_WORDS, timeByStatus, transition, type FileAction, type FileStatus, type StageRole, type StageSpan,
} from '../domain/file-workflow.ts';
import { FILE_PREFIX, parseInquiry } from '../domain/inquiry-number.ts';
import { localDay, type Clock } from '../domain/time.ts';
import type { AuditLog } from './audit.ts';
import type { CatalogService } from './catalog.ts';
import type { CitizenInput, CitizenService } from './citizens.ts';
import {
  FileRepository, type AttachmentInfo, type CaseFile, type ChecklistResult, type FeeLine, type FileColumns, type FileEvent, type FileFilter,
} from './file-repository.ts';
import type { PublicStatus, StatusRecord } from './public-status.ts';
import type { QueueService } from './queue.ts';
import type { UnitOfWork } from './unit-of-work.ts';

export type { AttachmentInfo, CaseFile, ChecklistResult, FeeLine, FileEvent } from './file-repository.ts';

export type FileDetail = CaseFile & {
  checklist: ChecklistResult[]; fees: FeeLine[]; events: FileEvent[]; stages: StageSpan[];
  timeByStatus: Partial<Record<FileStatus, number>>; attachments: AttachmentInfo[];
  /** Everything the reader may do with the file now (hub/domain/file-actions.ts): the panel shows exactly these. */
  actions: FileViewAction[];
};

/** How a caller names a file: its id, or an inquiry number as typed. */
export type FileRef = { id: number } | { inquiry: string };

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
  readonly repo: FileRepository;

  constructor(
    db: Db,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    private readonly catalog: CatalogService,
    private readonly citizens: CitizenService,
    private readonly queue: QueueService,
    private readonly timeZone: string,
  ) {
    this.repo = new FileRepository(db, clock, timeZone);
  }

  /** The public status page's record of a file (its owner's national ID to check, and what the citizen may read). */
  statusRecord(inquiry: string): StatusRecord | null {
    const f = this.find({ inquiry });
    return f ? { nationalId: f.citizenNationalId, status: this.publicView(f) } : null;
  }

  // ---- reading: two lookups ----

  /** No scope, no error: null for an unknown file or a malformed number (public status, inspections, the treasury's own checks). */
  find(ref: FileRef): CaseFile | null {
    if ('id' in ref) return this.repo.byId(ref.id);
    const parsed = parseInquiry(ref.inquiry, FILE_PREFIX);
    return parsed ? this.repo.byInquiry(parsed.canonical) : null;
  }

  /**
   * For a user (null = the hub itself): FILE_NOT_FOUND, INVALID_INQUIRY for a mistyped
   * number (never matched to another file), OUT_OF_SCOPE for a department not theirs.
   */
  scoped(ref: FileRef | number, user: StaffUser | null): CaseFile {
    const r: FileRef = typeof ref === 'number' ? { id: ref } : ref;
    let f: CaseFile | null;
    if ('id' in r) {
      f = this.repo.byId(r.id);
      if (!f) throw new DomainError('FILE_NOT_FOUND', 'الملف غير موجود', { en: 'No such file' });
    } else {
      const parsed = parseInquiry(r.inquiry, FILE_PREFIX);
      if (!parsed) {
        throw invalid('/inquiry', 'رقم الاستعلام غير صحيح، راجع الأرقام', 'INVALID_INQUIRY', 'Not a valid file inquiry number (check digits do not match)');
      }
      f = this.repo.byInquiry(parsed.canonical);
      if (!f) throw new DomainError('FILE_NOT_FOUND', 'لا يوجد ملف بهذا الرقم', { en: 'No file with this inquiry number' });
    }
    // Representatives and supervisors see only their departments' files.
    if (user?.departmentIds && !user.departmentIds.includes(f.departmentId)) {
      throw new DomainError('OUT_OF_SCOPE', 'هذا الملف يخص إدارة غير مسندة إليك', { en: 'This file belongs to a department outside your scope' });
    }
    return f;
  }

  fees(id: number): FeeLine[] {
    return this.repo.fees(id);
  }

  detail(f: CaseFile, user: StaffUser | null): FileDetail {
    const events = this.repo.events(f.id);
    // Notes (public or not) recorded without a change of stage are not stages of their own.
    const stages = stageSpans(events.filter((e) => e.fromStatus !== e.toStatus).map((e) => ({ at: e.at, toStatus: e.toStatus, actor: e.actor })), this.clock());
    return {
      ...f, checklist: this.repo.checklist(f.id), fees: this.repo.fees(f.id), events, stages, timeByStatus: timeByStatus(stages),
      attachments: this.repo.attachments(f.id), actions: user ? fileActions(f.status, user.role) : [],
    };
  }

  get(ref: FileRef | number, user: StaffUser | null): FileDetail {
    return this.detail(this.scoped(ref, user), user);
  }

  /** The file of the ticket a window is serving now (treasury and delivery windows), or null. */
  atWindow(n: number, user: StaffUser | null): { ticket: { id: number; label: string; line: string } | null; file: FileDetail | null } {
    const cur = this.queue.currentAt(n);
    if (!cur) return { ticket: null, file: null };
    const fileId = this.repo.fileOfTicket(cur.ticketId);
    const ticket = { id: cur.ticketId, label: cur.label, line: cur.line };
    if (fileId === null) return { ticket, file: null };
    return { ticket, file: this.get(fileId, user) };
  }

  list(user: StaffUser | null, filter: FileFilter = {}): CaseFile[] {
    return this.repo.list(filter, user?.departmentIds ?? null);
  }

  /** What the citizen may see: stage, due date, public notes. */
  publicView(f: CaseFile): PublicStatus {
    return {
      kind: 'file', inquiry: f.inquiry, stage: f.status, stageAr: STATUS_WORDS[f.status].ar, stageEn: STATUS_WORDS[f.status].en,
      dueDate: f.dueDay, publicNotes: this.repo.publicNotes(f.id).map((n) => ({ at: n.at, textAr: n.note })),
    };
  }

  // ---- writing ----

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
    if (!service.active) throw invalid('/serviceId', 'هذه الخدمة متوقفة حالياً', 'SERVICE_INACTIVE');
    const checklist = this.checkChecklist(service.id, input.checklist);
    const window = input.window === undefined ? user.window : input.window;
    if (window != null) assertOwnWindow(user, window, '/window');
    return this.uow.run(() => {
      const { citizen } = this.citizens.findOrCreate(input.citizen, actor);
      let ticketId: number | null = null;
      if (window != null) {
        const cur = this.queue.currentAt(window);
        if (cur) {
          if (this.repo.fileOfTicket(cur.ticketId) !== null) {
            throw new DomainError('TICKET_HAS_FILE', `التذكرة ${cur.label} مرتبطة بملف آخر`, { en: 'The ticket at this window already has a file' });
          }
          ticketId = cur.ticketId;
        }
      }
      const now = this.clock();
      const id = this.repo.insert({
        inquiry: this.repo.nextInquiry(now), serviceId: service.id, departmentId: service.departmentId, citizenId: citizen.id, ticketId, at: now, by: actor,
      }, checklist);
      this.repo.event(id, now, actor, user.role, 'register', null, 'registered', input.note?.trim() || null);
      const after = this.scoped(id, null);
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
    id: number, action: FileAction, who: { user: StaffUser } | 'system', opts: Opts,
    apply: (before: CaseFile, now: number, actor: string) => FileColumns | void = () => {},
  ): CaseFile {
    const user = who === 'system' ? null : who.user;
    const actor = user ? staffKey(user) : actorKey(SYSTEM);
    const role: StageRole = user ? user.role : 'system';
    return this.uow.run(() => {
      const before = this.scoped(id, user);
      if (opts.version !== undefined && opts.version !== before.version) {
        throw new DomainError('STALE_UPDATE', 'تغير الملف منذ فتحه، أعد تحميل البيانات', { en: `Stale version ${opts.version}; the file is at version ${before.version}` });
      }
      const t = transition(before.status, action, role, opts.ctx);
      if (!t.ok) throw new DomainError(t.reason, t.ar, { en: t.en });
      const now = this.clock();
      const cols = apply(before, now, actor);
      if (cols) this.repo.set(id, cols);
      this.repo.setStatus(id, t.to, now);
      const publicNote = (typeof opts.publicNote === 'function' ? opts.publicNote() : opts.publicNote)?.trim() || null;
      if (publicNote) this.repo.setPublicNote(id, publicNote);
      this.repo.event(id, now, actor, role, action, before.status, t.to, opts.note?.trim() || null, publicNote);
      const after = this.scoped(id, null);
      this.audit.append({ actor, action: `file.${action}`, entity: 'file', entityId: id, before, after });
      this.uow.topic('files');
      return after;
    });
  }

  /** Intake → representative; the citizen's ticket is parked (they wait in the hall for the treasury). */
  forward(id: number, o: { version?: number; note?: string }, user: StaffUser): FileDetail {
    return this.uow.run(() => {
      const f = this.move(id, 'forward', { user }, o);
      if (f.ticketId !== null) {
        const w = this.repo.windowServing(f.ticketId);
        if (w !== null) this.queue.park(w, staffActor(user));
      }
      return this.get(id, user);
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
    const f = this.move(id, 'refuse', { user }, { version: o.version, note: reason, publicNote: o.publicNote ?? `سبب الرفض: ${reason}` },
      () => ({ decision: 'refused', decision_reason: reason }));
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
        this.repo.replaceFees(id, charged.lines);
        return { fees_piasters: charged.totalPiasters };
      });
      // Only today's ticket: a citizen whose review took till another day takes a new number.
      if (f.status === 'awaiting_payment' && f.ticketId !== null && this.repo.lastVisitStatus(f.ticketId) === 'parked'
        && this.repo.ticketDay(f.ticketId) === localDay(this.clock(), this.timeZone)) {
        this.queue.unpark(f.ticketId, this.queue.lineFor('treasury'), staffActor(user));
      }
      return this.get(id, user);
    });
  }

  /** Called by the treasury inside the receipt's transaction. */
  markPaid(id: number, cashier: StaffUser, receiptLabel: string): CaseFile {
    return this.move(id, 'pay', { user: cashier }, { note: `إيصال رقم ${receiptLabel}` });
  }

  /** Called by the treasury when the manager confirms a receipt's void. */
  reopenPayment(id: number, receiptLabel: string): CaseFile {
    return this.move(id, 'reopen_payment', 'system', { note: `أُلغي الإيصال رقم ${receiptLabel}` });
  }

  /** The manager's approval with signature and the center's stamp. */
  approve(id: number, o: { version?: number; signature: string; stamp: string; note?: string }, user: StaffUser): FileDetail {
    const signature = requireText(o.signature, '/signature', 'التوقيع مطلوب');
    const stamp = requireText(o.stamp, '/stamp', 'ختم المركز مطلوب');
    const f = this.move(id, 'approve', { user }, o, (_b, now, actor) => ({ approved_by: actor, approved_at: now, signature, stamp }));
    return this.detail(f, user);
  }

  /** To the competent department; the legal period starts now. */
  dispatch(id: number, o: { version?: number; note?: string }, user: StaffUser): FileDetail {
    let dueDay = '';
    // The public note carries the due date, so the citizen's status page says when to expect it.
    const f = this.move(id, 'dispatch', { user }, { ...o, publicNote: () => `موعد البت المتوقع: ${dueDay}` }, (b, now) => {
      dueDay = this.catalog.dueFor(b.serviceId, now).day;
      return { due_day: dueDay };
    });
    return this.detail(f, user);
  }

  decide(id: number, o: { version?: number; decision: 'accepted' | 'refused'; reason?: string; publicNote?: string }, user: StaffUser): FileDetail {
    const reason = o.decision === 'refused' ? requireText(o.reason, '/reason', 'اكتب سبب الرفض') : (o.reason?.trim() || null);
    // A refusal is always explained to the citizen (status page), in the department's words unless a note is given.
    const publicNote = o.publicNote ?? (o.decision === 'refused' ? `سبب الرفض: ${reason}` : undefined);
    const f = this.move(id, 'decide', { user }, { version: o.version, note: reason, publicNote }, () => ({ decision: o.decision, decision_reason: reason }));
    return this.detail(f, user);
  }

  markReady(id: number, o: { version?: number; note?: string; publicNote?: string }, user: StaffUser): FileDetail {
    return this.detail(this.move(id, 'mark_ready', { user }, { ...o, publicNote: o.publicNote ?? 'المعاملة جاهزة للتسليم' }), user);
  }

  /** Reception sends the returning citizen to the delivery line with a ticket linked to the file. */
  deliveryTicket(id: number, user: StaffUser): { file: CaseFile; ticket: { id: number; label: string; line: string; link: string | null } } {
    return this.uow.run(() => {
      const f = this.scoped(id, user);
      if (!deskActionOpen('delivery_ticket', f.status)) {
        throw new DomainError('INVALID_TRANSITION', `الملف ليس جاهزاً للتسليم (${STATUS_WORDS[f.status].ar})`, { en: 'The file is not ready for delivery' });
      }
      const issued = this.queue.issue({ line: this.queue.lineFor('delivery'), by: staffActor(user) });
      const ticketId = this.repo.latestTicket(issued.number, issued.line);
      this.repo.linkTicket(id, ticketId);
      this.audit.append({ actor: staffKey(user), action: 'file.delivery_ticket', entity: 'file', entityId: id, after: { ticketId, label: issued.number } });
      this.uow.topic('files');
      return { file: f, ticket: { id: ticketId, label: issued.number, line: issued.line, link: issued.link ?? null } };
    });
  }

  /** The result handed over: to whom, and the ID document they showed. */
  deliver(id: number, o: { version?: number; toName: string; toNationalId?: string; idDocument: string; note?: string }, user: StaffUser): FileDetail {
    const toName = requireText(o.toName, '/toName', 'اكتب اسم المستلم');
    const idDocument = requireText(o.idDocument, '/idDocument', 'اكتب المستند الذي قدمه المستلم لإثبات شخصيته');
    const nid = o.toNationalId ? this.citizens.parseId(o.toNationalId, '/toNationalId').nationalId : null;
    const f = this.move(id, 'deliver', { user }, { version: o.version, note: o.note ?? `سُلم إلى ${toName}` }, (_b, now, actor) => ({
      delivered_to_name: toName, delivered_to_national_id: nid, delivered_id_document: idDocument, delivered_at: now, delivered_by: actor,
    }));
    return this.detail(f, user);
  }
}

function requireText(v: string | undefined | null, path: string, ar: string): string {
  const s = (v ?? '').trim();
  if (s.length < 2) throw invalid(path, ar);
  return s;
}
