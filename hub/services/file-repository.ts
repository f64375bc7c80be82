// The case files' rows: every SQL statement FileService runs, prepared once when the hub
// starts, and the mapping from rows to the API's shapes. No rule lives here (who may do
// what is hub/domain/file-workflow.ts and hub/domain/file-actions.ts; order, scope and
// errors are FileService's): a reader looking for a query finds it in this one file
// (issue 12 item 5: FileService prepared its SQL on every call).
import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/connection.ts';
import { isOverdue } from '../domain/deadlines.ts';
import { STATUS_WORDS, type FileStatus } from '../domain/file-workflow.ts';
import { displayInquiry, FILE_PREFIX, formatInquiry } from '../domain/inquiry-number.ts';
import { localDay, localParts, type Clock } from '../domain/time.ts';

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
export type AttachmentInfo = { id: number; sha256: string; size: number; mime: string; name: string; label: string | null; uploadedAt: number; uploadedBy: string };
export type FileFilter = { status?: FileStatus; departmentId?: number; citizenId?: number; overdue?: boolean; limit?: number };

type Row = {
  id: number; inquiry: string; service_id: number; service_name_ar: string; department_id: number; citizen_id: number; citizen_name: string;
  citizen_national_id: string; ticket_id: number | null; ticket_label: string | null; status: FileStatus; fees_piasters: number | null;
  due_day: string | null; decision: 'accepted' | 'refused' | null; decision_reason: string | null; public_note: string | null;
  approved_by: string | null; approved_at: number | null; signature: string | null; stamp: string | null;
  delivered_to_name: string | null; delivered_to_national_id: string | null; delivered_id_document: string | null; delivered_at: number | null; delivered_by: string | null;
  registered_at: number; registered_by: string; updated_at: number; version: number;
};
type EventRow = { id: number; at: number; actor: string; actor_role: string; action: string; from_status: FileStatus | null; to_status: FileStatus; note: string | null; public: number; public_note: string | null };
type AttachmentRow = { id: number; sha256: string; size: number; mime: string; name: string; label: string | null; uploaded_at: number; uploaded_by: string };

const SELECT = `SELECT f.*, s.name_ar AS service_name_ar, z.name AS citizen_name, z.national_id AS citizen_national_id, t.label AS ticket_label
  FROM files f JOIN services s ON s.id = f.service_id JOIN citizens z ON z.id = f.citizen_id LEFT JOIN tickets t ON t.id = f.ticket_id`;

/** The columns a stage change may set beside the status (FileService.move's `apply`). */
export type FileColumns = Partial<{
  fees_piasters: number; decision: 'accepted' | 'refused'; decision_reason: string | null; due_day: string;
  approved_by: string; approved_at: number; signature: string; stamp: string;
  delivered_to_name: string; delivered_to_national_id: string | null; delivered_id_document: string; delivered_at: number; delivered_by: string;
}>;
const SETTABLE: readonly (keyof FileColumns)[] = [
  'fees_piasters', 'decision', 'decision_reason', 'due_day', 'approved_by', 'approved_at', 'signature', 'stamp',
  'delivered_to_name', 'delivered_to_national_id', 'delivered_id_document', 'delivered_at', 'delivered_by',
];

export class FileRepository {
  private readonly q;
  /** list() builds its WHERE from the filter: one prepared statement per shape, kept. */
  private readonly listStatements = new Map<string, Statement<unknown[], Row>>();
  private readonly setStatements = new Map<string, Statement<unknown[]>>();

  constructor(private readonly db: Db, private readonly clock: Clock, private readonly timeZone: string) {
    this.q = {
      byId: db.prepare<[number], Row>(`${SELECT} WHERE f.id = ?`),
      byInquiry: db.prepare<[string], Row>(`${SELECT} WHERE f.inquiry = ?`),
      events: db.prepare<[number], EventRow>('SELECT * FROM file_events WHERE file_id = ? ORDER BY id'),
      fees: db.prepare<[number], { code: string; label_ar: string; label_en: string; amount_piasters: number }>('SELECT * FROM file_fees WHERE file_id = ? ORDER BY position'),
      checklist: db.prepare<[number], { position: number; label_ar: string; required: number; present: number; note: string | null }>(
        'SELECT * FROM file_checklist WHERE file_id = ? ORDER BY position'),
      attachments: db.prepare<[number], AttachmentRow>('SELECT * FROM attachments WHERE file_id = ? ORDER BY id'),
      publicNotes: db.prepare<[number], { at: number; note: string }>(
        `SELECT at, note FROM (SELECT id, at, coalesce(public_note, CASE WHEN public = 1 THEN note END) AS note FROM file_events WHERE file_id = ?)
         WHERE note IS NOT NULL ORDER BY id`),
      bumpCounter: db.prepare('INSERT INTO file_counters (year, last) VALUES (?, 1) ON CONFLICT (year) DO UPDATE SET last = last + 1'),
      counter: db.prepare<[number], { last: number }>('SELECT last FROM file_counters WHERE year = ?'),
      insertFile: db.prepare(`INSERT INTO files (inquiry, service_id, department_id, citizen_id, ticket_id, status, registered_at, registered_by, updated_at)
        VALUES (?, ?, ?, ?, ?, 'registered', ?, ?, ?)`),
      insertChecklist: db.prepare('INSERT INTO file_checklist (file_id, position, label_ar, required, present, note) VALUES (?, ?, ?, ?, ?, ?)'),
      insertEvent: db.prepare('INSERT INTO file_events (file_id, at, actor, actor_role, action, from_status, to_status, note, public, public_note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?)'),
      setStatus: db.prepare('UPDATE files SET status = ?, updated_at = ?, version = version + 1 WHERE id = ?'),
      setPublicNote: db.prepare('UPDATE files SET public_note = ? WHERE id = ?'),
      deleteFees: db.prepare('DELETE FROM file_fees WHERE file_id = ?'),
      insertFee: db.prepare('INSERT INTO file_fees (file_id, code, position, label_ar, label_en, amount_piasters) VALUES (?, ?, ?, ?, ?, ?)'),
      ticketFile: db.prepare<[number], { file_id: number | null }>('SELECT file_id FROM tickets WHERE id = ?'),
      linkTicket: db.prepare('UPDATE tickets SET file_id = ? WHERE id = ?'),
      latestTicket: db.prepare<[string, string], { id: number }>('SELECT id FROM tickets WHERE label = ? AND letter = ? ORDER BY id DESC LIMIT 1'),
      ticketDay: db.prepare<[number], { day: string }>('SELECT day FROM tickets WHERE id = ?'),
      windowServing: db.prepare<[number], { number: number }>(
        `SELECT w.number FROM windows w JOIN visits v ON v.id = w.current_visit WHERE v.ticket_id = ? AND v.status IN ('called', 'serving')`),
      lastVisitStatus: db.prepare<[number], { status: string }>('SELECT status FROM visits WHERE ticket_id = ? ORDER BY id DESC LIMIT 1'),
    };
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

  byId(id: number): CaseFile | null {
    const r = this.q.byId.get(id);
    return r ? this.toFile(r) : null;
  }

  /** By canonical inquiry number. */
  byInquiry(canonical: string): CaseFile | null {
    const r = this.q.byInquiry.get(canonical);
    return r ? this.toFile(r) : null;
  }

  /** Newest first; `departmentIds` limits to those departments (null = all). */
  list(filter: FileFilter, departmentIds: readonly number[] | null): CaseFile[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (filter.status) { where.push('f.status = ?'); args.push(filter.status); }
    if (filter.departmentId) { where.push('f.department_id = ?'); args.push(filter.departmentId); }
    if (filter.citizenId) { where.push('f.citizen_id = ?'); args.push(filter.citizenId); }
    // Overdue = with the department after its due day (the same rule as isOverdue, in SQL so LIMIT counts only matches).
    const today = localDay(this.clock(), this.timeZone);
    if (filter.overdue === true) { where.push("f.status = 'with_department' AND f.due_day < ?"); args.push(today); }
    if (filter.overdue === false) { where.push("NOT (f.status = 'with_department' AND f.due_day < ?)"); args.push(today); }
    if (departmentIds) {
      if (!departmentIds.length) return [];
      where.push(`f.department_id IN (${departmentIds.map(() => '?').join(',')})`);
      args.push(...departmentIds);
    }
    const sql = `${SELECT}${where.length ? ' WHERE ' + where.join(' AND ') : ''} ORDER BY f.id DESC LIMIT ?`;
    let st = this.listStatements.get(sql);
    if (!st) this.listStatements.set(sql, (st = this.db.prepare<unknown[], Row>(sql)));
    return st.all(...args, filter.limit ?? 200).map((r) => this.toFile(r));
  }

  events(id: number): FileEvent[] {
    return this.q.events.all(id).map((e) => ({
      id: e.id, at: e.at, actor: e.actor, actorRole: e.actor_role, action: e.action, fromStatus: e.from_status, toStatus: e.to_status,
      note: e.note, public: !!e.public, publicNote: e.public_note,
    }));
  }

  fees(id: number): FeeLine[] {
    return this.q.fees.all(id).map((l) => ({ code: l.code, labelAr: l.label_ar, labelEn: l.label_en, amountPiasters: l.amount_piasters }));
  }

  checklist(id: number): ChecklistResult[] {
    return this.q.checklist.all(id).map((c) => ({ position: c.position, labelAr: c.label_ar, required: !!c.required, present: !!c.present, note: c.note }));
  }

  attachments(id: number): AttachmentInfo[] {
    return this.q.attachments.all(id).map((a) => ({
      id: a.id, sha256: a.sha256, size: a.size, mime: a.mime, name: a.name, label: a.label, uploadedAt: a.uploaded_at, uploadedBy: a.uploaded_by,
    }));
  }

  /** The note on a change's own event, and the public same-status events of older history. */
  publicNotes(id: number): { at: number; note: string }[] {
    return this.q.publicNotes.all(id);
  }

  /** The file a ticket is linked to, if any. */
  fileOfTicket(ticketId: number): number | null {
    return this.q.ticketFile.get(ticketId)?.file_id ?? null;
  }

  /** The newest ticket with this label on this line (the one just issued). */
  latestTicket(label: string, line: string): number {
    return this.q.latestTicket.get(label, line)!.id;
  }

  /** The window whose current visit is this ticket, if the citizen is still at one. */
  windowServing(ticketId: number): number | null {
    return this.q.windowServing.get(ticketId)?.number ?? null;
  }

  ticketDay(ticketId: number): string | null {
    return this.q.ticketDay.get(ticketId)?.day ?? null;
  }

  lastVisitStatus(ticketId: number): string | null {
    return this.q.lastVisitStatus.get(ticketId)?.status ?? null;
  }

  // ---- writing (inside the caller's transaction) ----

  /** The next inquiry number of the year `at` falls in (center time). */
  nextInquiry(at: number): string {
    const year = localParts(at, this.timeZone).year;
    this.q.bumpCounter.run(year);
    return formatInquiry(FILE_PREFIX, year, this.q.counter.get(year)!.last);
  }

  insert(f: { inquiry: string; serviceId: number; departmentId: number; citizenId: number; ticketId: number | null; at: number; by: string },
    checklist: readonly ChecklistResult[]): number {
    const id = Number(this.q.insertFile.run(f.inquiry, f.serviceId, f.departmentId, f.citizenId, f.ticketId, f.at, f.by, f.at).lastInsertRowid);
    for (const c of checklist) this.q.insertChecklist.run(id, c.position, c.labelAr, c.required ? 1 : 0, c.present ? 1 : 0, c.note);
    if (f.ticketId !== null) this.q.linkTicket.run(id, f.ticketId);
    return id;
  }

  linkTicket(fileId: number, ticketId: number): void {
    this.q.linkTicket.run(fileId, ticketId);
  }

  /** One event per stage change: the staff's note and the citizen's note ride on it together. */
  event(fileId: number, at: number, actor: string, role: string, action: string, from: FileStatus | null, to: FileStatus, note: string | null, publicNote: string | null = null): void {
    this.q.insertEvent.run(fileId, at, actor, role, action, from, to, note, publicNote);
  }

  setStatus(id: number, status: FileStatus, at: number): void {
    this.q.setStatus.run(status, at, id);
  }

  setPublicNote(id: number, note: string): void {
    this.q.setPublicNote.run(note, id);
  }

  /** Columns a stage change records beside the status (its decision, signature, recipient…). */
  set(id: number, cols: FileColumns): void {
    const keys = SETTABLE.filter((k) => k in cols);
    if (!keys.length) return;
    const sql = `UPDATE files SET ${keys.map((k) => `${k} = ?`).join(', ')} WHERE id = ?`;
    let st = this.setStatements.get(sql);
    if (!st) this.setStatements.set(sql, (st = this.db.prepare(sql)));
    st.run(...keys.map((k) => cols[k] ?? null), id);
  }

  replaceFees(id: number, lines: readonly FeeLine[]): void {
    this.q.deleteFees.run(id);
    lines.forEach((l, i) => { if (l.amountPiasters > 0) this.q.insertFee.run(id, l.code, i, l.labelAr, l.labelEn, l.amountPiasters); });
  }
}
