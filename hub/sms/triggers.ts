// What makes an SMS (issue 14 item 2): a citizen who gave a mobile number is told
//  - at issue: the ticket's number, the people ahead, the status link;
//  - when the people ahead fall to the center's N (sms_settings.ahead_alert, default 3;
//    0 = never), once per visit, unless the issue message already said as much;
//  - when called to a window, once per visit (a recall is not a new SMS; a transfer to
//    another line is a new visit, so its call is);
//  - when their file reaches a stage citizens are told about (templates.ts SMS_FILE_STAGES;
//    ready for delivery above all).
// Every message is queued inside the transaction of its cause: the subscriptions at issue
// and at intake are written by the route's transaction; the rest by a before-commit hook of
// the unit of work (hub/services/unit-of-work.ts), which compares each active subscription
// with the queue's and the file's state as this transaction leaves them. The hook reads only
// today's open subscriptions and only when queue or file state changed.
import type { IssuedTicket } from '@shubbak/protocol';
import type { HubConfig } from '../config.ts';
import type { Db } from '../db/connection.ts';
import { displayInquiry } from '../domain/inquiry-number.ts';
import type { FileStatus } from '../domain/file-workflow.ts';
import { localDay, type Clock } from '../domain/time.ts';
import type { ChangeSet, UnitOfWork } from '../services/unit-of-work.ts';
import { parseSmsMobile } from './numbers.ts';
import type { SmsOutbox } from './outbox.ts';
import { aheadText, calledText, fileStageText, issuedText, SMS_FILE_STAGES } from './templates.ts';

/** The public link of a ticket's live page (helper "page", issue 14 item 1), when it exists. */
export type TicketLink = (ticketId: number) => string | null;

type TicketSub = {
  id: number; mobile: string; ticket_id: number; called_visit: number | null; ahead_visit: number | null; label: string;
  visit_id: number; status: string; window: number | null; line: string; priority: number; queued_at: number; day: string;
};
type FileSub = { id: number; mobile: string; file_id: number; file_status: string | null; status: FileStatus; inquiry: string };

const FINISHED = new Set(['done', 'cancelled', 'no_show']);
const FILE_FINISHED = new Set<FileStatus>(['refused', 'delivered']);

export class SmsTriggers {
  private readonly q;

  constructor(
    private readonly db: Db,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly config: HubConfig,
    private readonly outbox: SmsOutbox,
    private readonly link: TicketLink = () => null,
  ) {
    this.q = {
      ticketOf: db.prepare<[string, string], { id: number }>('SELECT id FROM tickets WHERE day = ? AND label = ?'),
      lastVisit: db.prepare<[number], { id: number }>('SELECT max(id) AS id FROM visits WHERE ticket_id = ?'),
      subscribe: db.prepare(`INSERT INTO sms_subscriptions (mobile, ticket_id, file_id, day, ahead_visit, file_status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`),
      closeOld: db.prepare<[string]>('UPDATE sms_subscriptions SET done = 1 WHERE done = 0 AND ticket_id IS NOT NULL AND day < ?'),
      tickets: db.prepare<[string], TicketSub>(`
        SELECT s.id, s.mobile, s.ticket_id, s.called_visit, s.ahead_visit, t.label, t.day,
               v.id AS visit_id, v.status, v.window, v.line, v.priority, v.queued_at
        FROM sms_subscriptions s
        JOIN tickets t ON t.id = s.ticket_id
        JOIN visits v ON v.id = (SELECT max(id) FROM visits WHERE ticket_id = s.ticket_id)
        WHERE s.done = 0 AND s.ticket_id IS NOT NULL AND s.day = ?`),
      ahead: db.prepare<{ line: string; day: string; priority: number; queued: number; id: number }, { n: number }>(`
        SELECT count(*) AS n FROM visits v JOIN tickets t ON t.id = v.ticket_id
        WHERE v.line = @line AND v.status = 'waiting' AND t.day = @day
          AND (v.priority > @priority OR (v.priority = @priority AND (v.queued_at < @queued OR (v.queued_at = @queued AND v.id < @id))))`),
      setCalled: db.prepare('UPDATE sms_subscriptions SET called_visit = ? WHERE id = ?'),
      setAhead: db.prepare('UPDATE sms_subscriptions SET ahead_visit = ? WHERE id = ?'),
      setDone: db.prepare('UPDATE sms_subscriptions SET done = 1 WHERE id = ?'),
      files: db.prepare<[], FileSub>(`
        SELECT s.id, s.mobile, s.file_id, s.file_status, f.status, f.inquiry
        FROM sms_subscriptions s JOIN files f ON f.id = s.file_id
        WHERE s.done = 0 AND s.file_id IS NOT NULL AND f.status IS NOT coalesce(s.file_status, '')`),
      setFileStatus: db.prepare('UPDATE sms_subscriptions SET file_status = ?, done = ? WHERE id = ?'),
      fileInquiry: db.prepare<[number], { inquiry: string; status: FileStatus }>('SELECT inquiry, status FROM files WHERE id = ?'),
    };
  }

  /**
   * Hook the before-commit check into the unit of work. Returns its removal. The check runs
   * in a savepoint of the committing transaction: should it fail, its own writes are rolled
   * back and the cause (a call at a window, a file's move) still commits — an SMS never
   * fails someone's call; the failure is logged.
   */
  install(onError: (err: unknown) => void = (err) => console.error('SMS triggers failed; the transaction goes on without its SMS', err)): () => void {
    // Made once: better-sqlite3 builds a savepoint wrapper per db.transaction() call (issue 16:
    // the command path pays for each one it makes).
    const inSavepoint = this.db.transaction((changes: ChangeSet) => this.check(changes));
    return this.uow.beforeCommit((changes) => {
      try {
        inSavepoint(changes);
      } catch (err) {
        this.closedBefore = null; // the savepoint's close of old days rolled back with it
        onError(err);
      }
    });
  }

  /** The day before which ticket subscriptions were last closed (once a day, not each commit). */
  private closedBefore: string | null = null;

  private today(): string {
    return localDay(this.clock(), this.config.timezone);
  }

  /**
   * A ticket was just issued with a mobile number (inside the issuing transaction): the
   * subscription and the first message. The number is checked first; a bad one throws
   * INVALID_MOBILE and the transaction (the ticket with it) rolls back.
   */
  subscribeTicket(ticket: IssuedTicket, mobileInput: string): void {
    const mobile = parseSmsMobile(mobileInput);
    const day = this.today();
    const id = this.q.ticketOf.get(day, ticket.number)!.id;
    const visit = this.q.lastVisit.get(id)!.id;
    const n = this.outbox.settings().aheadAlert;
    // The issue message already tells someone with N or fewer ahead: no second "N ahead".
    const aheadVisit = n > 0 && ticket.ahead <= n ? visit : null;
    this.q.subscribe.run(mobile, id, null, day, aheadVisit, null, this.clock());
    this.outbox.enqueue({
      mobile, kind: 'issued', ticketId: id, expiresAt: this.outbox.endOfToday(),
      text: issuedText({ center: this.config.centerName, label: ticket.number, lineName: ticket.lineName, ahead: ticket.ahead, link: this.link(id) }),
    });
  }

  /** A file was just registered with a mobile number (inside the intake transaction). */
  subscribeFile(fileId: number, mobileInput: string): void {
    const mobile = parseSmsMobile(mobileInput);
    const f = this.q.fileInquiry.get(fileId)!;
    this.q.subscribe.run(mobile, null, fileId, this.today(), null, f.status, this.clock());
    if (SMS_FILE_STAGES.includes(f.status)) {
      this.outbox.enqueue({ mobile, kind: 'file_stage', fileId, text: fileStageText({ inquiry: displayInquiry(f.inquiry), status: f.status }) });
    }
  }

  /** Before each commit: the messages this transaction's queue and file changes call for. */
  check(changes: ChangeSet): void {
    if (changes.lines.size || changes.windows.size) this.checkTickets();
    if (changes.topics.has('files')) this.checkFiles();
  }

  private checkTickets(): void {
    const day = this.today();
    // Yesterday's subscriptions are done: closed at the first check of a day (every ticket
    // subscription is written with the day it is made, so none older can appear later).
    if (this.closedBefore !== day) {
      this.q.closeOld.run(day);
      this.closedBefore = day;
    }
    const subs = this.q.tickets.all(day);
    if (!subs.length) return;
    const n = this.outbox.settings().aheadAlert;
    const expiresAt = this.outbox.endOfToday();
    for (const s of subs) {
      if (FINISHED.has(s.status)) {
        this.q.setDone.run(s.id);
      } else if ((s.status === 'called' || s.status === 'serving') && s.window !== null) {
        if (s.called_visit !== s.visit_id) {
          this.q.setCalled.run(s.visit_id, s.id);
          // Already at the window (started without a call): nothing to tell.
          if (s.status === 'called') {
            this.outbox.enqueue({ mobile: s.mobile, kind: 'called', ticketId: s.ticket_id, expiresAt, text: calledText({ label: s.label, window: s.window }) });
          }
        }
      } else if (s.status === 'waiting' && n > 0 && s.ahead_visit !== s.visit_id) {
        const ahead = this.q.ahead.get({ line: s.line, day: s.day, priority: s.priority, queued: s.queued_at, id: s.visit_id })!.n;
        if (ahead <= n) {
          this.q.setAhead.run(s.visit_id, s.id);
          this.outbox.enqueue({
            mobile: s.mobile, kind: 'ahead', ticketId: s.ticket_id, expiresAt,
            text: aheadText({ label: s.label, ahead, link: this.link(s.ticket_id) }),
          });
        }
      }
    }
  }

  private checkFiles(): void {
    for (const s of this.q.files.all()) {
      this.q.setFileStatus.run(s.status, FILE_FINISHED.has(s.status) ? 1 : 0, s.id);
      if (SMS_FILE_STAGES.includes(s.status)) {
        this.outbox.enqueue({ mobile: s.mobile, kind: 'file_stage', fileId: s.file_id, text: fileStageText({ inquiry: displayInquiry(s.inquiry), status: s.status }) });
      }
    }
  }
}
