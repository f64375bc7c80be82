// The queue, on SQLite: issue, call, recall, no-show, transfer, finish, pause, park — each one
// transaction through the unit of work, with the rules taken from domain/queue.ts.
import type { HallCall, HallCalls, IssuedTicket, LineState, WindowState, WindowStatus } from '@shubbak/protocol';
import type { HubConfig } from '../config.ts';
import type { Db } from '../db/connection.ts';
import { actorKey, SYSTEM, type Actor } from '../domain/actor.ts';
import { DomainError } from '../domain/errors.ts';
import { LINE_PURPOSE_WORDS, type LinePurpose } from '../domain/line-purposes.ts';
import {
  assertCanCallNext, assertCanPause, assertCanRecall, averageServiceMs, chooseNext, estimateWaitMin, isAtWindow, noShowOutcome,
  requeuedPlace, ticketLabel, type VisitStatus,
} from '../domain/queue.ts';
import { localDay, type Clock } from '../domain/time.ts';
import { parseHm, withinLineHours } from '../domain/schedule.ts';
import { newPublicToken } from '../domain/ticket-page.ts';
import type { TicketLinks } from './ticket-link.ts';
import type { UnitOfWork } from './unit-of-work.ts';

type LineRow = {
  letter: string; name_ar: string; name_en: string; open: number; sort: number; seq: number; waiting: number; waiting_priority: number;
  priority_first: number; open_from: string | null; open_until: string | null; purpose: LinePurpose | null;
};
type WindowRow = {
  number: number; label_ar: string; label_en: string; status: WindowStatus; current_visit: number | null;
  clerk: string | null; status_since: number; seq: number;
};
type VisitRow = {
  id: number; ticket_id: number; line: string; status: VisitStatus; priority: number; queued_at: number;
  called_at: number | null; last_call_at: number | null; started_at: number | null; ended_at: number | null;
  window: number | null; recalls: number; no_shows: number; label: string; day: string;
};


/**
 * The waiting booked ticket whose slot has started, on a line the window serves: checked in
 * on time (not late), still in its booked line, never sent back by a no-show; the earliest
 * slot first. Prepared once, with the other statements (preparing it at each Next cost ~150 µs,
 * issue 16 item 3); the booking rule stays in this one place.
 */
const BOOKED_DUE = `SELECT v.*, t.label, t.day FROM visits v JOIN tickets t ON t.id = v.ticket_id
  JOIN appointments b ON b.ticket_id = t.id AND b.line = v.line AND b.status = 'checked_in' AND b.late = 0
  WHERE v.status = 'waiting' AND t.day = ? AND v.no_shows = 0 AND v.line IN (SELECT line FROM window_lines WHERE window = ?) AND b.slot_at <= ?
  ORDER BY b.slot_at, v.queued_at, v.id LIMIT 1`;

export type NextResult = { state: WindowState; empty: boolean };

/** How many finished visits make "recent" for the average service time. */
const RECENT_VISITS = 20;

export class QueueService {
  private readonly q;

  constructor(
    private readonly db: Db,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly config: HubConfig,
    private readonly links?: TicketLinks,
  ) {
    const VISIT = `SELECT v.*, t.label, t.day FROM visits v JOIN tickets t ON t.id = v.ticket_id`;
    this.q = {
      line: db.prepare<[string], LineRow>('SELECT * FROM lines WHERE letter = ?'),
      lines: db.prepare<[], LineRow>('SELECT * FROM lines ORDER BY sort, letter'),
      lineByPurpose: db.prepare<[string], { letter: string }>('SELECT letter FROM lines WHERE purpose = ?'),
      window: db.prepare<[number], WindowRow>('SELECT * FROM windows WHERE number = ?'),
      windows: db.prepare<[], WindowRow>('SELECT * FROM windows ORDER BY number'),
      windowLines: db.prepare<[number], { line: string }>('SELECT line FROM window_lines WHERE window = ? ORDER BY line'),
      nextNumber: db.prepare<[string, string], { last: number }>(
        `INSERT INTO ticket_counters (day, letter, last) VALUES (?, ?, 1)
         ON CONFLICT (day, letter) DO UPDATE SET last = last + 1 RETURNING last`,
      ),
      insertTicket: db.prepare(
        `INSERT INTO tickets (day, letter, number, label, priority, issued_at, issued_by, public_token) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertVisit: db.prepare(
        `INSERT INTO visits (ticket_id, line, status, priority, queued_at) VALUES (?, ?, 'waiting', ?, ?)`,
      ),
      event: db.prepare('INSERT INTO visit_events (visit_id, at, event, window, actor) VALUES (?, ?, ?, ?, ?)'),
      visit: db.prepare<[number], VisitRow>(`${VISIT} WHERE v.id = ?`),
      /** The head of one line's queue, straight from the visits_waiting index. */
      headOfLine: db.prepare<[string, string], VisitRow>(
        `${VISIT} WHERE v.line = ? AND v.status = 'waiting' AND t.day = ?
         ORDER BY v.priority DESC, v.queued_at, v.id LIMIT 1`,
      ),
      recentDurations: db.prepare<[string, string], { d: number }>(
        `SELECT v.ended_at - coalesce(v.started_at, v.called_at) AS d FROM visits v JOIN tickets t ON t.id = v.ticket_id
         WHERE v.line = ? AND v.status = 'done' AND t.day = ? AND v.called_at IS NOT NULL
         ORDER BY v.ended_at DESC LIMIT ${RECENT_VISITS}`,
      ),
      openWindows: db.prepare<[string], { n: number }>(
        `SELECT count(*) AS n FROM windows w JOIN window_lines wl ON wl.window = w.number
         WHERE wl.line = ? AND w.status IN ('idle', 'serving')`,
      ),
      setWindow: db.prepare('UPDATE windows SET status = ?, current_visit = ?, status_since = ?, clerk = coalesce(?, clerk) WHERE number = ?'),
      callVisit: db.prepare(
        `UPDATE visits SET status = 'called', called_at = ?, last_call_at = ?, window = ?, served_by = ? WHERE id = ?`,
      ),
      endVisit: db.prepare('UPDATE visits SET status = ?, ended_at = ? WHERE id = ?'),
      requeueVisit: db.prepare(
        `UPDATE visits SET status = 'waiting', queued_at = ?, priority = ?, window = NULL, called_at = NULL, last_call_at = NULL,
           no_shows = no_shows + 1 WHERE id = ?`,
      ),
      dropVisit: db.prepare(`UPDATE visits SET status = 'no_show', ended_at = ?, no_shows = no_shows + 1 WHERE id = ?`),
      recallVisit: db.prepare('UPDATE visits SET recalls = recalls + 1, last_call_at = ? WHERE id = ?'),
      startVisit: db.prepare(`UPDATE visits SET status = 'serving', started_at = ? WHERE id = ?`),
      insertCall: db.prepare('INSERT INTO calls (day, at, label, window, recall) VALUES (?, ?, ?, ?, ?)'),
      hallCalls: db.prepare<[string], { label: string; window: number; at: number }>(
        'SELECT label, window, at FROM calls WHERE day = ? ORDER BY id DESC LIMIT 10',
      ),
      hallSeq: db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'hall_seq'"),
      ticketByLabel: db.prepare<[string, string], { id: number; issued_by: string; cancelled_at: number | null }>(
        'SELECT id, issued_by, cancelled_at FROM tickets WHERE day = ? AND label = ?',
      ),
      currentVisitOfTicket: db.prepare<[number], VisitRow>(`${VISIT} WHERE v.ticket_id = ? ORDER BY v.id DESC LIMIT 1`),
      cancelTicket: db.prepare('UPDATE tickets SET cancelled_at = ?, cancel_reason = ? WHERE id = ?'),
      expireOld: db.prepare<[number, string]>(
        `UPDATE visits SET status = 'cancelled', ended_at = ?
         WHERE status IN ('waiting', 'called', 'serving', 'parked') AND ticket_id IN (SELECT id FROM tickets WHERE day < ?)`,
      ),
      windowsWithOldVisits: db.prepare<[string], { number: number }>(
        `SELECT w.number FROM windows w JOIN visits v ON v.id = w.current_visit JOIN tickets t ON t.id = v.ticket_id WHERE t.day < ?`,
      ),
      setLineOpen: db.prepare('UPDATE lines SET open = ? WHERE letter = ?'),
      bookedDue: db.prepare<[string, number, number], VisitRow>(BOOKED_DUE),
    };
  }

  private lastWriteDay: string | null = null;

  private today(now = this.clock()): string {
    return localDay(now, this.config.timezone);
  }

  /**
   * The first write of a new day closes the previous days' queues, so the waiting counts
   * (kept by triggers, see migration 002) only ever count today's tickets.
   */
  private dayOf(now: number): string {
    const day = this.today(now);
    if (day !== this.lastWriteDay) {
      this.lastWriteDay = day;
      this.expirePastDays();
    }
    return day;
  }

  private lineRow(letter: string): LineRow {
    const line = this.q.line.get(letter);
    if (!line) throw new DomainError('NOT_FOUND', `لا توجد خدمة بالحرف ${letter}`);
    return line;
  }

  private windowRow(n: number): WindowRow {
    const w = this.q.window.get(n);
    if (!w) throw new DomainError('NOT_FOUND', `لا يوجد شباك رقم ${n}`);
    return w;
  }

  /** Estimated wait (minutes) for someone with `ahead` people before them in this line today. */
  estimateWait(line: string, ahead: number): number {
    return this.estimateFor(line, ahead, this.today());
  }

  private estimateFor(line: string, ahead: number, day: string): number {
    const avg = averageServiceMs(
      this.q.recentDurations.all(line, day).map((r) => r.d),
      this.config.defaultServiceMin * 60_000,
    );
    return estimateWaitMin(ahead, avg, this.q.openWindows.get(line)!.n);
  }

  // ── commands ──────────────────────────────────────────────────────────────

  issue(args: { line: string; priority?: boolean; by: Actor }): IssuedTicket {
    return this.uow.run(() => {
      const now = this.clock();
      const day = this.dayOf(now);
      const line = this.lineRow(args.line);
      if (!line.open) throw new DomainError('LINE_CLOSED');
      // The line's own hours (Lines screen), in center time.
      if (!withinLineHours(now, line.open_from, line.open_until, this.config.timezone)) {
        throw new DomainError('LINE_CLOSED', `الخدمة تستقبل من ${line.open_from ?? '00:00'} إلى ${line.open_until ?? '24:00'}`);
      }
      // Everyone waiting entered the line before now, so a new ticket has all of them ahead,
      // or, with priority, the other priority tickets.
      const ahead = priorityAhead(line, args.priority === true);
      const number = this.q.nextNumber.get(day, line.letter)!.last;
      const label = ticketLabel(line.letter, number);
      // A line without priority rules takes everyone in order of arrival.
      const priority = args.priority && line.priority_first ? 1 : 0;
      // The ticket's live page on the phone (issue 14 item 1): its token is born with it.
      const token = newPublicToken();
      const ticketId = Number(this.q.insertTicket.run(day, line.letter, number, label, priority, now, actorKey(args.by), token).lastInsertRowid);
      const visitId = Number(this.q.insertVisit.run(ticketId, line.letter, priority, now).lastInsertRowid);
      this.q.event.run(visitId, now, 'issued', null, actorKey(args.by));
      this.uow.line(line.letter);
      const ticket: IssuedTicket = {
        number: label,
        line: line.letter,
        lineName: line.name_ar,
        ahead,
        estimatedWaitMin: this.estimateFor(line.letter, ahead, day),
        issuedAt: now,
      };
      if (priority) ticket.priority = true;
      if (this.links) ticket.link = this.links.forToken(token);
      return ticket;
    });
  }

  /** "No print, no ticket": a kiosk takes back a number it could not print, if still waiting. */
  cancel(args: { number: string; reason: string; by: Actor; onlyIssuedBy?: Actor }): { number: string; status: 'cancelled' } {
    return this.uow.run(() => {
      const now = this.clock();
      const t = this.q.ticketByLabel.get(this.today(now), args.number);
      if (!t) throw new DomainError('NOT_FOUND', `لا توجد تذكرة ${args.number} اليوم`);
      if (args.onlyIssuedBy && t.issued_by !== actorKey(args.onlyIssuedBy)) throw new DomainError('FORBIDDEN', 'هذه التذكرة لم تصدر من هذا الجهاز');
      const visit = this.q.currentVisitOfTicket.get(t.id)!;
      if (t.cancelled_at !== null) return { number: args.number, status: 'cancelled' as const };
      if (visit.status !== 'waiting') throw new DomainError('CONFLICT', 'لا يمكن إلغاء تذكرة تم نداؤها');
      this.q.endVisit.run('cancelled', now, visit.id);
      this.q.cancelTicket.run(now, args.reason, t.id);
      this.q.event.run(visit.id, now, 'cancelled', null, actorKey(args.by));
      this.uow.line(visit.line);
      return { number: args.number, status: 'cancelled' as const };
    });
  }

  /** Finish the current ticket (if any) and call the next one for this window. */
  next(n: number, by: Actor): NextResult {
    return this.uow.run(() => {
      const now = this.clock();
      const day = this.dayOf(now);
      const w = this.windowRow(n);
      assertCanCallNext(w.status);
      this.finishCurrent(w, 'done', now, by);
      // The next citizen: the best of the heads of the lines this window serves.
      const heads = this.q.windowLines.all(n).map((l) => this.q.headOfLine.get(l.line, day)).filter((h) => h !== undefined);
      // …unless a booked ticket's slot time has come: it goes first (issue 14 item 3; the
      // rule and the arrival window are in domain/appointments.ts, the check-in in services/appointments.ts).
      const v = this.q.bookedDue.get(day, n, now)
        ?? chooseNext(heads.map((h) => ({ ...h, priority: h.priority === 1, queuedAt: h.queued_at })));
      if (!v) {
        this.setWindow(n, 'idle', null, now, by);
        return { state: this.windowState(n), empty: true };
      }
      this.q.callVisit.run(now, now, n, actorKey(by), v.id);
      this.q.event.run(v.id, now, 'called', n, actorKey(by));
      this.setWindow(n, 'serving', v.id, now, by);
      this.uow.line(v.line);
      this.call(v.label, n, now, false, day);
      return { state: this.windowState(n), empty: false };
    });
  }

  recall(n: number, by: Actor): WindowState {
    return this.uow.run(() => {
      const now = this.clock();
      const v = this.currentVisit(this.windowRow(n));
      assertCanRecall(v.recalls, this.config.recallLimit);
      this.q.recallVisit.run(now, v.id);
      this.q.event.run(v.id, now, 'recalled', n, actorKey(by));
      this.uow.window(n);
      this.call(v.label, n, now, true, this.today(now));
      return this.windowState(n);
    });
  }

  noShow(n: number, by: Actor): WindowState {
    return this.uow.run(() => {
      const now = this.clock();
      const v = this.currentVisit(this.windowRow(n));
      if (noShowOutcome(v.no_shows, this.config.noShowRequeueLimit) === 'requeue') {
        const place = requeuedPlace(now);
        this.q.requeueVisit.run(place.queuedAt, place.priority ? 1 : 0, v.id);
        this.q.event.run(v.id, now, 'requeued', n, actorKey(by));
      } else {
        this.q.dropVisit.run(now, v.id);
        this.q.event.run(v.id, now, 'no_show', n, actorKey(by));
      }
      this.uow.line(v.line);
      this.setWindow(n, 'idle', null, now, by);
      return this.windowState(n);
    });
  }

  /** Send the current citizen to another line with the same number (e.g. intake → treasury). */
  transfer(n: number, toLine: string, by: Actor): WindowState {
    return this.uow.run(() => {
      const now = this.clock();
      const v = this.currentVisit(this.windowRow(n));
      const target = this.lineRow(toLine);
      if (target.letter === v.line) throw new DomainError('CONFLICT', 'التذكرة في هذه الخدمة بالفعل');
      this.q.endVisit.run('transferred', now, v.id);
      this.q.event.run(v.id, now, 'transferred', n, actorKey(by));
      this.enqueue(v.ticket_id, target.letter, v.priority === 1, now, by);
      this.uow.line(v.line);
      this.setWindow(n, 'idle', null, now, by);
      return this.windowState(n);
    });
  }

  /** The clerk started serving the called citizen (walk-to-window time ends here). */
  start(n: number, by: Actor): WindowState {
    return this.uow.run(() => {
      const now = this.clock();
      const v = this.currentVisit(this.windowRow(n));
      if (v.status === 'called') {
        this.q.startVisit.run(now, v.id);
        this.q.event.run(v.id, now, 'started', n, actorKey(by));
        this.uow.window(n);
      }
      return this.windowState(n);
    });
  }

  /** The citizen at the window is served and gone; the window is idle (PROTOCOL.md, window.finish). */
  finish(n: number, by: Actor): WindowState {
    return this.uow.run(() => {
      const now = this.clock();
      const w = this.windowRow(n);
      this.currentVisit(w); // NO_CURRENT_TICKET when nobody is at the window
      this.finishCurrent(w, 'done', now, by);
      this.setWindow(n, 'idle', null, now, by);
      return this.windowState(n);
    });
  }

  /** Refused while a citizen is at the window: Finish first (pausing never ends a service). */
  pause(n: number, by: Actor): WindowState {
    return this.uow.run(() => {
      const now = this.clock();
      const w = this.windowRow(n);
      if (w.status === 'paused') return this.windowState(n);
      assertCanPause(this.atWindow(w) !== null);
      this.setWindow(n, 'paused', null, now, by);
      return this.windowState(n);
    });
  }

  /**
   * The clerk signed out: the citizen at their window was served (finished now, so the
   * service time ends when the clerk left, not at the next day's cleanup), and the window
   * closes. Only the window this clerk holds; nothing when someone else took it over.
   */
  clerkLeft(n: number, by: Actor): WindowState | null {
    return this.uow.run(() => {
      const w = this.q.window.get(n);
      if (!w || w.clerk !== actorKey(by)) return null;
      const now = this.clock();
      this.finishCurrent(w, 'done', now, by);
      if (w.status !== 'closed' || w.current_visit !== null) this.setWindow(n, 'closed', null, now, by);
      return this.windowState(n);
    });
  }

  resume(n: number, by: Actor): WindowState {
    return this.uow.run(() => {
      const now = this.clock();
      const w = this.windowRow(n);
      if (w.status === 'paused' || w.status === 'closed') this.setWindow(n, 'idle', null, now, by);
      return this.windowState(n);
    });
  }

  /** Close a window (no clerk): its current ticket is finished and it leaves the estimates. */
  close(n: number, by: Actor): WindowState {
    return this.uow.run(() => {
      const now = this.clock();
      const w = this.windowRow(n);
      this.finishCurrent(w, 'done', now, by);
      this.setWindow(n, 'closed', null, now, by);
      return this.windowState(n);
    });
  }

  /**
   * The citizen leaves the window while the file goes elsewhere (intake → representative):
   * the visit ends as parked; unpark() later puts the same ticket in a line.
   */
  park(n: number, by: Actor): { ticketId: number; label: string; state: WindowState } {
    return this.uow.run(() => {
      const now = this.clock();
      const v = this.currentVisit(this.windowRow(n));
      this.q.endVisit.run('parked', now, v.id);
      this.q.event.run(v.id, now, 'parked', n, actorKey(by));
      this.setWindow(n, 'idle', null, now, by);
      this.uow.line(v.line);
      return { ticketId: v.ticket_id, label: v.label, state: this.windowState(n) };
    });
  }

  unpark(ticketId: number, toLine: string, by: Actor): { label: string; line: string } {
    return this.uow.run(() => {
      const now = this.clock();
      const last = this.q.currentVisitOfTicket.get(ticketId);
      if (!last) throw new DomainError('NOT_FOUND', 'التذكرة غير موجودة');
      if (last.status !== 'parked') throw new DomainError('CONFLICT', 'التذكرة ليست في الانتظار الجانبي');
      const target = this.lineRow(toLine);
      this.enqueue(ticketId, target.letter, last.priority === 1, now, by);
      return { label: last.label, line: target.letter };
    });
  }

  /** Create a window or change its labels and the lines it serves (administrator). */
  saveWindow(args: { number: number; labelAr: string; labelEn: string; lines: string[] }): WindowState {
    return this.uow.run(() => {
      if (!args.lines.length) throw new DomainError('BAD_REQUEST', 'يجب أن يخدم الشباك خدمة واحدة على الأقل');
      for (const l of args.lines) this.lineRow(l);
      this.db.prepare(
        `INSERT INTO windows (number, label_ar, label_en, status, status_since) VALUES (?, ?, ?, 'idle', ?)
         ON CONFLICT (number) DO UPDATE SET label_ar = excluded.label_ar, label_en = excluded.label_en`,
      ).run(args.number, args.labelAr, args.labelEn, this.clock());
      const before = this.q.windowLines.all(args.number).map((r) => r.line);
      this.db.prepare('DELETE FROM window_lines WHERE window = ?').run(args.number);
      const add = this.db.prepare('INSERT INTO window_lines (window, line) VALUES (?, ?)');
      for (const l of new Set(args.lines)) add.run(args.number, l);
      this.uow.window(args.number);
      for (const l of new Set([...before, ...args.lines])) this.uow.line(l); // open windows enter the estimates
      this.uow.bindings(); // its keypad's config lists the window's lines
      return this.windowState(args.number);
    });
  }

  setLineOpen(letter: string, open: boolean): LineState {
    return this.uow.run(() => {
      this.lineRow(letter);
      this.q.setLineOpen.run(open ? 1 : 0, letter);
      this.uow.line(letter);
      return this.lineState(letter);
    });
  }

  /** Tickets of past days still in a queue are closed: numbers restart at midnight. */
  expirePastDays(): number {
    return this.uow.run(() => {
      const now = this.clock();
      const day = this.today(now);
      this.lastWriteDay = day;
      const stale = this.q.windowsWithOldVisits.all(day);
      for (const { number } of stale) this.setWindow(number, 'idle', null, now, SYSTEM);
      const changed = this.q.expireOld.run(now, day).changes;
      if (changed) for (const l of this.q.lines.all()) this.uow.line(l.letter);
      return changed;
    });
  }

  // ── helpers inside a transaction ─────────────────────────────────────────

  private currentVisit(w: WindowRow): VisitRow {
    const v = this.atWindow(w);
    if (!v) throw new DomainError('NO_CURRENT_TICKET');
    return v;
  }

  /** The visit of the citizen at the window (called or being served), if any. */
  private atWindow(w: WindowRow): VisitRow | null {
    const v = w.current_visit === null ? undefined : this.q.visit.get(w.current_visit);
    return v && isAtWindow(v.status) ? v : null;
  }

  private finishCurrent(w: WindowRow, status: 'done', now: number, by: Actor): void {
    if (w.current_visit === null) return;
    const v = this.q.visit.get(w.current_visit);
    if (v && isAtWindow(v.status)) {
      this.q.endVisit.run(status, now, v.id);
      this.q.event.run(v.id, now, status, w.number, actorKey(by));
      this.uow.line(v.line); // the line's recent service time moved
    }
  }

  private enqueue(ticketId: number, line: string, priority: boolean, now: number, by: Actor): number {
    const id = Number(this.q.insertVisit.run(ticketId, line, priority ? 1 : 0, now).lastInsertRowid);
    this.q.event.run(id, now, 'queued', null, actorKey(by));
    this.uow.line(line);
    return id;
  }

  private setWindow(n: number, status: WindowStatus, visit: number | null, now: number, by: Actor): void {
    this.q.setWindow.run(status, visit, now, by.kind === 'staff' ? actorKey(by) : null, n); // a window's clerk is a person
    this.uow.window(n);
    // Open windows enter the wait estimate of every line they serve.
    for (const { line } of this.q.windowLines.all(n)) this.uow.line(line);
  }

  private call(label: string, n: number, now: number, recall: boolean, day: string): void {
    this.q.insertCall.run(day, now, label, n, recall ? 1 : 0);
    this.uow.hall();
    this.uow.announce({ ticket: label, window: n, at: now, recall });
  }

  // ── reads ────────────────────────────────────────────────────────────────

  windowState(n: number): WindowState {
    const w = this.windowRow(n);
    const v = w.current_visit === null ? undefined : this.q.visit.get(w.current_visit);
    const atWindow = v && isAtWindow(v.status);
    return {
      window: w.number,
      label: w.label_ar,
      status: w.status,
      ticket: atWindow ? v.label : null,
      line: atWindow ? v.line : null,
      calledAt: atWindow ? v.last_call_at : null,
      seq: w.seq,
    };
  }

  lineState(letter: string): LineState {
    const line = this.lineRow(letter);
    const day = this.today();
    const waiting = line.waiting;
    return {
      line: line.letter,
      name: line.name_ar,
      open: line.open === 1,
      waiting,
      estimatedWaitMin: this.estimateFor(letter, waiting, day),
      seq: line.seq,
    };
  }

  hallCalls(): HallCalls {
    const calls: HallCall[] = this.q.hallCalls.all(this.today()).map((c) => ({ ticket: c.label, window: c.window, at: c.at }));
    return { calls, seq: Number(this.q.hallSeq.get()!.value) };
  }

  lines(): { letter: string; nameAr: string; nameEn: string; open: boolean; priorityFirst: boolean; openFrom: string | null; openUntil: string | null; purpose: LinePurpose | null }[] {
    return this.q.lines.all().map((l) => ({
      letter: l.letter, nameAr: l.name_ar, nameEn: l.name_en, open: l.open === 1, priorityFirst: l.priority_first === 1, openFrom: l.open_from, openUntil: l.open_until,
      purpose: l.purpose,
    }));
  }

  /** The letter of the line with this purpose (the treasury, delivery… line of this center). */
  lineFor(purpose: LinePurpose): string {
    const l = this.q.lineByPurpose.get(purpose);
    if (!l) {
      throw new DomainError('NO_LINE_FOR_PURPOSE', `لا يوجد خط انتظار مخصص لـ«${LINE_PURPOSE_WORDS[purpose].ar}»؛ حدده في شاشة خطوط الانتظار`,
        { en: `No line has the purpose ${purpose}; set it on the Lines screen` });
    }
    return l.letter;
  }

  /** Create a line or change its names, priority rule and hours (the administrator's Lines screen). */
  saveLine(args: { letter: string; nameAr: string; nameEn: string; priorityFirst: boolean; openFrom: string | null; openUntil: string | null; purpose?: LinePurpose | null }): LineState {
    return this.uow.run(() => {
      for (const [path, v] of [['/openFrom', args.openFrom], ['/openUntil', args.openUntil]] as const) {
        if (v !== null && parseHm(v) === null) throw new DomainError('BAD_REQUEST', `وقت غير صحيح (${path}): اكتب الساعة مثل 08:30`);
      }
      if (args.openFrom && args.openUntil && parseHm(args.openFrom)! >= parseHm(args.openUntil)!) {
        throw new DomainError('BAD_REQUEST', 'وقت البدء يجب أن يسبق وقت الانتهاء');
      }
      this.db.prepare(`INSERT INTO lines (letter, name_ar, name_en, sort, priority_first, open_from, open_until)
        VALUES (?, ?, ?, (SELECT coalesce(max(sort), 0) + 1 FROM lines), ?, ?, ?)
        ON CONFLICT (letter) DO UPDATE SET name_ar = excluded.name_ar, name_en = excluded.name_en,
          priority_first = excluded.priority_first, open_from = excluded.open_from, open_until = excluded.open_until`)
        .run(args.letter, args.nameAr, args.nameEn, args.priorityFirst ? 1 : 0, args.openFrom, args.openUntil);
      // A purpose moves: the line that had it before loses it (one treasury line per center).
      if (args.purpose !== undefined) {
        if (args.purpose !== null) this.db.prepare('UPDATE lines SET purpose = NULL WHERE purpose = ? AND letter <> ?').run(args.purpose, args.letter);
        this.db.prepare('UPDATE lines SET purpose = ? WHERE letter = ?').run(args.purpose, args.letter);
      }
      this.uow.line(args.letter);
      this.uow.bindings(); // the kiosk's config lists the lines
      return this.lineState(args.letter);
    });
  }

  windowNumbers(): number[] {
    return this.q.windows.all().map((w) => w.number);
  }

  windowLines(n: number): string[] {
    return this.q.windowLines.all(n).map((r) => r.line);
  }

  windowInfo(n: number): { number: number; labelAr: string; labelEn: string; lines: string[]; clerk: string | null } {
    const w = this.windowRow(n);
    return { number: w.number, labelAr: w.label_ar, labelEn: w.label_en, lines: this.windowLines(n), clerk: w.clerk };
  }

  /** The visit now at a window, with its ticket id (for the back office's queue link). */
  currentAt(n: number): { visitId: number; ticketId: number; label: string; line: string; status: VisitStatus } | null {
    const w = this.windowRow(n);
    const v = w.current_visit === null ? undefined : this.q.visit.get(w.current_visit);
    if (!v || !isAtWindow(v.status)) return null;
    return { visitId: v.id, ticketId: v.ticket_id, label: v.label, line: v.line, status: v.status };
  }
}

function priorityAhead(line: LineRow, priority: boolean): number {
  return priority ? line.waiting_priority : line.waiting;
}
