// What the live ticket page on the phone shows (issue 14 item 1): one ticket, found by its
// public token, as the queue sees it now — number, line, people ahead and the estimated wait,
// or the window that called it. Nothing else: no name, national ID, mobile number or other
// ticket is reachable from a token (the view is built from the ticket's own rows only).
// The page lives until the end of the ticket's day in the center's time zone
// (domain/ticket-page.ts); the routes are in hub/routes/public/ticket-page.ts.
import type { HubConfig } from '../config.ts';
import type { Db } from '../db/connection.ts';
import type { VisitStatus } from '../domain/queue.ts';
import { isPublicToken, ticketPageExpired, ticketPageExpiresAt } from '../domain/ticket-page.ts';
import type { Clock } from '../domain/time.ts';
import type { QueueService } from './queue.ts';

/** The page's state: waiting in a line, called (or being served) at a window, or over. */
export type TicketPageState = 'waiting' | 'called' | 'serving' | 'parked' | 'done' | 'missed' | 'cancelled';

export type TicketPageView = {
  number: string;
  line: string;
  lineAr: string;
  lineEn: string;
  state: TicketPageState;
  /** People before this ticket in its line (waiting only). */
  ahead: number | null;
  /** Estimated wait in minutes (waiting only). */
  waitMin: number | null;
  /** The window that called it (called/serving). */
  window: number | null;
  windowAr: string | null;
  windowEn: string | null;
  /** The latest call or recall (epoch ms): a new value rings the phone again. */
  calledAt: number | null;
  /** When the page stops (end of the ticket's day, center time). */
  expiresAt: number;
};

export type TicketLookup =
  | { kind: 'found'; ticketId: number; view: TicketPageView }
  | { kind: 'expired'; number: string }
  | { kind: 'unknown' };

type TicketRow = { id: number; day: string; label: string; cancelled_at: number | null };
type VisitRow = {
  id: number; line: string; status: VisitStatus; priority: number; queued_at: number; last_call_at: number | null; window: number | null;
  name_ar: string; name_en: string; label_ar: string | null; label_en: string | null;
};

const STATE: Record<VisitStatus, TicketPageState> = {
  waiting: 'waiting', called: 'called', serving: 'serving', parked: 'parked', done: 'done', no_show: 'missed', cancelled: 'cancelled',
  transferred: 'waiting', // never the latest visit: a transfer starts the next one at once
};

export class TicketPageService {
  private readonly q;

  constructor(
    db: Db,
    private readonly queue: QueueService,
    private readonly clock: Clock,
    private readonly config: HubConfig,
  ) {
    this.q = {
      ticket: db.prepare<[string], TicketRow>('SELECT id, day, label, cancelled_at FROM tickets WHERE public_token = ?'),
      latestVisit: db.prepare<[number], VisitRow>(
        `SELECT v.id, v.line, v.status, v.priority, v.queued_at, v.last_call_at, v.window, l.name_ar, l.name_en,
                w.label_ar, w.label_en
         FROM visits v JOIN lines l ON l.letter = v.line LEFT JOIN windows w ON w.number = v.window
         WHERE v.ticket_id = ? ORDER BY v.id DESC LIMIT 1`,
      ),
      // Those the line calls before this visit: priority first, then by time queued, then
      // issue order (domain/queue.ts, compareCallOrder), today's tickets only.
      ahead: db.prepare<[string, string, number, number, number, number, number, number], { n: number }>(
        `SELECT count(*) AS n FROM visits v JOIN tickets t ON t.id = v.ticket_id
         WHERE v.line = ? AND v.status = 'waiting' AND t.day = ?
           AND (v.priority > ? OR (v.priority = ? AND (v.queued_at < ? OR (v.queued_at = ? AND v.id < ?))))
           AND v.id <> ?`,
      ),
    };
  }

  /** The ticket behind a token: its view, "expired" after its day, or "unknown". */
  find(token: string): TicketLookup {
    if (!isPublicToken(token)) return { kind: 'unknown' };
    const t = this.q.ticket.get(token);
    if (!t) return { kind: 'unknown' };
    if (ticketPageExpired(t.day, this.clock(), this.config.timezone)) return { kind: 'expired', number: t.label };
    return { kind: 'found', ticketId: t.id, view: this.view(t) };
  }

  private view(t: TicketRow): TicketPageView {
    const v = this.q.latestVisit.get(t.id)!;
    const state: TicketPageState = t.cancelled_at !== null ? 'cancelled' : STATE[v.status];
    const atWindow = state === 'called' || state === 'serving';
    const ahead = state === 'waiting'
      ? this.q.ahead.get(v.line, t.day, v.priority, v.priority, v.queued_at, v.queued_at, v.id, v.id)!.n
      : null;
    return {
      number: t.label,
      line: v.line,
      lineAr: v.name_ar,
      lineEn: v.name_en,
      state,
      ahead,
      waitMin: ahead === null ? null : this.queue.estimateWait(v.line, ahead),
      window: atWindow ? v.window : null,
      windowAr: atWindow ? v.label_ar : null,
      windowEn: atWindow ? v.label_en : null,
      calledAt: atWindow ? v.last_call_at : null,
      expiresAt: ticketPageExpiresAt(t.day, this.config.timezone),
    };
  }
}
