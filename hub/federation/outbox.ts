// The outbox to the governorate's central tier (issue 13, item 3): what a transaction changed
// is written as rows in that same transaction (UnitOfWork.beforeCommit), numbered by the
// center's own sequence (outbox.seq). The forwarder (forwarder.ts) sends the rows in that
// order, at least once, to the central JetStream stream, and marks a row sent only once the
// stream stored it; so nothing committed is lost when the link is down or the hub dies, and
// a center offline for a day catches up.
//
// Three kinds of row:
// - 'state' (item 3 a): a public state's new value — a window, a line, the hall's calls.
// - 'event' (item 3 b): a domain event — ticket issued / called / recalled / started /
//   finished (done) / no-show / requeued / transferred / cancelled, from visit_events; file
//   stage changes, payments and receipts, complaints, from the audit trail (only those
//   actions, and only their non-personal fields: no names, national ids, phones or texts).
// - 'alerts': the device alerts still open, after each change of them (raised, resolved,
//   acknowledged): a device down is both an event and the central board's live state.
// - 'report' (item 4): a closed day's execution facts ('report.day') and queue facts
//   ('report.queue', without clerks) for the governorate's reports (sendClosedDays below),
//   written in the transaction that keeps the day's rollup.
//
// The domain events are read from the tables the services already append to inside the
// transaction, past a high-water mark kept in meta in the same transaction: a rollback takes
// the mark back with the rows, and no service needs to know the central tier exists.
//
// Only while a central tier is configured (SHUBBAK_CENTRAL_NATS): a center on its own keeps
// no outbox. The mark starts at the tables' end the first time (the history before it is not
// sent; the present state of every window, line, the hall and the alerts is, as the first
// rows); a hub run later without the central tier catches up on the domain events it
// recorded meanwhile (its states go again as they next change).
import { topics } from '@shubbak/protocol';
import type { Db } from '../db/connection.ts';
import type { Clock } from '../domain/time.ts';
import type { QueueService } from '../services/queue.ts';
import type { ChangeSet } from '../services/unit-of-work.ts';
import type { ReportService } from '../services/reports/index.ts';
import { addDays } from '../domain/deadlines.ts';
import { localDay } from '../domain/time.ts';

export type OutboxKind = 'state' | 'event' | 'alerts' | 'report';
export type OutboxRow = { seq: number; kind: OutboxKind; topic: string; payload: string; at: number };

/**
 * The closed days a center sends the first time it has a central tier (its reports'
 * history before that stays at the center): a quarter, so the governorate's reports cover
 * the last three months from the first day on. Every day closed after that goes as it is kept.
 */
export const REPORT_DAYS_BACK = 92;

/** Sent rows are kept this long (for an operator's look), then pruned. */
export const OUTBOX_KEEP_SENT_MS = 7 * 24 * 3600_000;

/** Audit actions that are domain events for the governorate (file stages, payments, complaints). */
const AUDITED = /^(file\.|complaint\.|payment_order\.|receipt\.|cash\.close$)/;
/** The fields of a file, order, receipt or complaint that may leave the center (nothing personal). */
const PUBLIC_FIELDS = [
  'id', 'inquiry', 'status', 'serviceId', 'departmentId', 'fileId', 'orderId', 'channel', 'dueDay', 'day', 'label',
  'window', 'totalPiasters', 'registeredAt', 'updatedAt', 'closedAt', 'issuedAt', 'collectedAt', 'voidedAt', 'version',
] as const;

function publicPart(v: unknown): Record<string, unknown> | null {
  if (!v || typeof v !== 'object') return null;
  const o = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of PUBLIC_FIELDS) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

type VisitEventRow = { id: number; at: number; event: string; window: number | null; actor: string; visit: number; line: string; ticket: string; day: string };
type AuditRow = { id: number; at: number; actor: string; action: string; entity: string; entity_id: string; before_json: string | null; after_json: string | null };

export class Outbox {
  private readonly q;
  /** Told (after the current transaction) that rows were written: the forwarder drains. */
  private readonly watchers = new Set<() => void>();
  private nudged = false;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly queue: QueueService,
  ) {
    this.q = {
      add: db.prepare('INSERT INTO outbox (kind, topic, payload, at) VALUES (?, ?, ?, ?)'),
      unsent: db.prepare<[number, number], OutboxRow>('SELECT seq, kind, topic, payload, at FROM outbox WHERE sent_at IS NULL AND seq > ? ORDER BY seq LIMIT ?'),
      sentThrough: db.prepare('UPDATE outbox SET sent_at = ? WHERE seq <= ? AND sent_at IS NULL'),
      pending: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL'),
      prune: db.prepare('DELETE FROM outbox WHERE sent_at IS NOT NULL AND sent_at < ?'),
      mark: db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
      setMark: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
      lastVisitEvent: db.prepare<[], { id: number | null }>('SELECT max(id) AS id FROM visit_events'),
      lastAudit: db.prepare<[], { id: number | null }>('SELECT max(id) AS id FROM audit_events'),
      visitEvents: db.prepare<[number], VisitEventRow>(`SELECT e.id, e.at, e.event, e.window, e.actor, v.id AS visit, v.line, t.label AS ticket, t.day
        FROM visit_events e JOIN visits v ON v.id = e.visit_id JOIN tickets t ON t.id = v.ticket_id WHERE e.id > ? ORDER BY e.id`),
      audits: db.prepare<[number], AuditRow>('SELECT id, at, actor, action, entity, entity_id, before_json, after_json FROM audit_events WHERE id > ? ORDER BY id'),
      openAlerts: db.prepare<[], { id: number; device_id: string; kind: string; raised_at: number; acknowledged_at: number | null }>(
        'SELECT id, device_id, kind, raised_at, acknowledged_at FROM device_alerts WHERE resolved_at IS NULL ORDER BY id',
      ),
    };
    // The first start with a central tier: the marks begin at the tables' current end, and
    // the center's present state goes first (every window, line, the hall's calls, the open
    // alerts), so the governorate's board (hub/central/) starts from the whole center, not
    // from whatever changes next.
    db.transaction(() => {
      const first = !this.q.mark.get('outbox_visit_event');
      if (first) this.q.setMark.run('outbox_visit_event', String(this.q.lastVisitEvent.get()!.id ?? 0));
      if (!this.q.mark.get('outbox_audit_event')) this.q.setMark.run('outbox_audit_event', String(this.q.lastAudit.get()!.id ?? 0));
      if (first) {
        const now = this.clock();
        const add = (kind: OutboxKind, topic: string, payload: unknown) => this.q.add.run(kind, topic, JSON.stringify(payload), now);
        for (const w of this.queue.windowNumbers()) add('state', topics.windowState(w), this.queue.windowState(w));
        for (const l of this.queue.lines()) add('state', topics.lineState(l.letter), this.queue.lineState(l.letter));
        add('state', topics.hallCalls(), this.queue.hallCalls());
        add('alerts', 'alerts', this.openAlerts());
      }
    })();
  }

  private openAlerts() {
    return this.q.openAlerts.all().map((a) => ({ id: a.id, device: a.device_id, kind: a.kind, raisedAt: a.raised_at, acknowledged: a.acknowledged_at !== null }));
  }

  /** Inside the transaction that made the changes, just before its COMMIT. */
  record(c: ChangeSet): void {
    const now = this.clock();
    let n = 0;
    const add = (kind: OutboxKind, topic: string, payload: unknown) => {
      this.q.add.run(kind, topic, JSON.stringify(payload), now);
      n++;
    };
    // (b) Domain events, in the order they were written.
    const visitMark = Number(this.q.mark.get('outbox_visit_event')!.value);
    let lastVisit = visitMark;
    for (const e of this.q.visitEvents.all(visitMark)) {
      add('event', `ticket.${e.event}`, { ticket: e.ticket, line: e.line, day: e.day, visit: e.visit, window: e.window, by: e.actor, at: e.at });
      lastVisit = e.id;
    }
    if (lastVisit !== visitMark) this.q.setMark.run('outbox_visit_event', String(lastVisit));
    const auditMark = Number(this.q.mark.get('outbox_audit_event')!.value);
    let lastAudit = auditMark;
    for (const a of this.q.audits.all(auditMark)) {
      lastAudit = a.id;
      if (!AUDITED.test(a.action)) continue;
      const before = a.before_json === null ? null : (JSON.parse(a.before_json) as unknown);
      add('event', a.action, {
        entity: a.entity, id: a.entity_id, by: a.actor, at: a.at,
        from: (publicPart(before)?.status as string | undefined) ?? null,
        after: a.after_json === null ? null : publicPart(JSON.parse(a.after_json)),
      });
    }
    if (lastAudit !== auditMark) this.q.setMark.run('outbox_audit_event', String(lastAudit));
    // (a) Live state: each changed public state once, as it is at this commit.
    for (const w of c.windows) add('state', topics.windowState(w), this.queue.windowState(w));
    for (const l of c.lines) add('state', topics.lineState(l), this.queue.lineState(l));
    if (c.hall) add('state', topics.hallCalls(), this.queue.hallCalls());
    if (c.topics.has('alerts')) {
      add('alerts', 'alerts', this.openAlerts());
    }
    if (n) this.nudge();
  }

  /** After this transaction (better-sqlite3 commits synchronously), the forwarder drains; had it rolled back, it finds nothing new. */
  private nudge(): void {
    if (this.nudged || !this.watchers.size) return;
    this.nudged = true;
    setImmediate(() => {
      this.nudged = false;
      for (const w of this.watchers) w();
    });
  }

  /**
   * (c) The center's closed days for the governorate's reports (issue 13 item 4): each
   * closed day's execution facts (and its queue facts, as 'report.queue', without clerks), as the center keeps them for its own reports
   * (hub/services/reports/rollups.ts), go as a 'report' row `report.day` in the same
   * transaction that keeps the day — again whenever a late change made the center remake
   * the day (the governorate keeps the newest per day). The newest day carries the files
   * overdue as of then. The first time: the days already kept over the last
   * REPORT_DAYS_BACK days; days older than that are not sent. Returns the removal.
   */
  sendClosedDays(reports: ReportService, tz: string): () => void {
    const yesterday = () => addDays(localDay(this.clock(), tz), -1);
    const add = (day: string, facts: Parameters<ReportService['closedDay']>[1], withOverdue: boolean) => {
      this.q.add.run('report', 'report.day', JSON.stringify(reports.closedDay(day, facts, withOverdue)), this.clock());
    };
    const addQueue = (day: string, facts: Parameters<ReportService['closedQueueDay']>[1]) => {
      this.q.add.run('report', 'report.queue', JSON.stringify(reports.closedQueueDay(day, facts)), this.clock());
    };
    const from = this.db.transaction(() => {
      const had = this.q.mark.get('outbox_report_from');
      if (had) return had.value;
      const start = addDays(localDay(this.clock(), tz), -REPORT_DAYS_BACK);
      this.q.setMark.run('outbox_report_from', start);
      const kept = reports.keptExecutionDays(start);
      kept.forEach((k, i) => add(k.day, k.facts, i === kept.length - 1));
      for (const k of reports.keptQueueDays(start)) addQueue(k.day, k.facts);
      return start;
    })();
    this.nudge();
    return reports.onClosedDay((kind, day, facts) => {
      if (day < from) return;
      if (kind === 'execution') add(day, facts as Parameters<ReportService['closedDay']>[1], day >= yesterday());
      else addQueue(day, facts as Parameters<ReportService['closedQueueDay']>[1]);
      this.nudge();
    });
  }

  /** Be told after each transaction that wrote rows (the forwarder drains). Returns the removal. */
  watch(fn: () => void): () => void {
    this.watchers.add(fn);
    return () => void this.watchers.delete(fn);
  }

  /** Unsent rows in seq order; `after`: the forwarder's own mark of what the stream already stored. */
  unsent(limit = 200, after = 0): OutboxRow[] {
    return this.q.unsent.all(after, limit);
  }

  /**
   * Every row up to `seq` is sent: one statement, one commit, however many rows. The rows go
   * strictly in seq order, so what the stream has stored is always a prefix.
   */
  markSentThrough(seq: number): void {
    this.q.sentThrough.run(this.clock(), seq);
  }

  pending(): number {
    return this.q.pending.get()!.n;
  }

  prune(): number {
    return this.q.prune.run(this.clock() - OUTBOX_KEEP_SENT_MS).changes;
  }
}
