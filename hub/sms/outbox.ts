// The SMS outbox on SQLite (migration 044): what is to be sent, what the SMSC acknowledged,
// what the handset received. Messages are queued only inside the transaction of the event
// that causes them (a ticket issued, a call, a file's stage: hub/sms/triggers.ts), so a
// committed event always has its message and a rolled-back one never has; the rows survive
// restarts and the sender (hub/sms/smpp-sender.ts) picks them up where it left off.
//
// Rules kept here, in one place:
//  - the per-number daily cap (SHUBBAK_SMS_DAILY_CAP, Cairo day): a message beyond it is
//    recorded as 'capped' and never sent;
//  - the kill switch: SHUBBAK_SMS_ENABLED=false (installation) or the administrator's
//    `paused` setting (PUT /api/sms/settings). While it is off nothing is submitted and the
//    rows WAIT (they are not dropped); a queue message (issued / ahead / called) still
//    waiting when its Cairo day ends is marked 'expired' instead of being sent late. A file's
//    news has no end and goes out when the switch is back on;
//  - the retry schedule: base × 2^(attempts−1), at most max; after smsMaxAttempts a message
//    is 'failed'.
import type { HubConfig } from '../config.ts';
import type { Db } from '../db/connection.ts';
import { localDay, startOfLocalDay, type Clock } from '../domain/time.ts';
import type { UnitOfWork } from '../services/unit-of-work.ts';
import { partCount } from './encoding.ts';
import type { SmsKind } from './templates.ts';

export type OutboxRow = {
  id: number; mobile: string; text: string; kind: SmsKind; ticket_id: number | null; file_id: number | null; day: string;
  state: 'queued' | 'submitted' | 'failed' | 'capped' | 'expired'; attempts: number; next_attempt_at: number; expires_at: number | null;
  concat_ref: number | null; parts_total: number; parts_done: number; last_error: string | null; receipt_state: string | null;
  created_at: number; submitted_at: number | null; receipt_at: number | null;
};
export type SmsSettings = { paused: boolean; aheadAlert: number };

/** The first instant of the next Cairo day (a queue message's end). */
export function endOfLocalDay(day: string, timeZone: string): number {
  const [y, m, d] = day.split('-').map(Number);
  return startOfLocalDay(new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10), timeZone);
}

/** The wait before the next try after `attempts` failed ones (1 → base). */
export function backoffMs(attempts: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, Math.min(30, attempts - 1)));
}

export class SmsOutbox {
  private readonly q;
  private ref = Math.floor(Math.random() * 256);

  constructor(
    private readonly db: Db,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly config: HubConfig,
  ) {
    this.q = {
      settings: db.prepare<[], { paused: number; ahead_alert: number }>('SELECT paused, ahead_alert FROM sms_settings WHERE id = 1'),
      sentToday: db.prepare<[string, string], { n: number }>(`SELECT count(*) AS n FROM sms_outbox WHERE mobile = ? AND day = ? AND state <> 'capped'`),
      insert: db.prepare(`INSERT INTO sms_outbox (mobile, text, kind, ticket_id, file_id, day, state, next_attempt_at, expires_at, concat_ref, parts_total, created_at)
        VALUES (@mobile, @text, @kind, @ticketId, @fileId, @day, @state, @now, @expiresAt, @ref, @parts, @now)`),
      due: db.prepare<[number], OutboxRow>(`SELECT * FROM sms_outbox WHERE state = 'queued' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT 1`),
      nextDueAt: db.prepare<[], { at: number | null }>(`SELECT min(next_attempt_at) AS at FROM sms_outbox WHERE state = 'queued'`),
      row: db.prepare<[number], OutboxRow>('SELECT * FROM sms_outbox WHERE id = ?'),
      expire: db.prepare(`UPDATE sms_outbox SET state = 'expired' WHERE state = 'queued' AND expires_at IS NOT NULL AND expires_at <= ?`),
      part: db.prepare('INSERT INTO sms_parts (outbox_id, part, message_id, submitted_at) VALUES (?, ?, ?, ?)'),
      partDone: db.prepare(`UPDATE sms_outbox SET parts_done = ?, last_error = NULL,
        state = CASE WHEN ? >= parts_total THEN 'submitted' ELSE state END,
        submitted_at = CASE WHEN ? >= parts_total THEN ? ELSE submitted_at END WHERE id = ? AND state = 'queued'`),
      retry: db.prepare(`UPDATE sms_outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?,
        state = CASE WHEN attempts + 1 >= ? THEN 'failed' ELSE state END WHERE id = ? AND state = 'queued'`),
      fail: db.prepare(`UPDATE sms_outbox SET attempts = attempts + 1, last_error = ?, state = 'failed' WHERE id = ? AND state = 'queued'`),
      partByMessage: db.prepare<[string], { outbox_id: number; part: number }>('SELECT outbox_id, part FROM sms_parts WHERE message_id = ? ORDER BY outbox_id DESC LIMIT 1'),
      setPartReceipt: db.prepare('UPDATE sms_parts SET receipt_state = ?, receipt_at = ? WHERE outbox_id = ? AND part = ?'),
      partStates: db.prepare<[number], { receipt_state: string | null }>('SELECT receipt_state FROM sms_parts WHERE outbox_id = ?'),
      setRowReceipt: db.prepare('UPDATE sms_outbox SET receipt_state = ?, receipt_at = ? WHERE id = ?'),
    };
  }

  settings(): SmsSettings {
    const s = this.q.settings.get()!;
    return { paused: s.paused === 1, aheadAlert: s.ahead_alert };
  }

  setSettings(change: Partial<SmsSettings>, by: string): SmsSettings {
    return this.uow.run(() => {
      const cur = this.settings();
      const next = { ...cur, ...change };
      this.db.prepare('UPDATE sms_settings SET paused = ?, ahead_alert = ?, updated_at = ?, updated_by = ? WHERE id = 1')
        .run(next.paused ? 1 : 0, next.aheadAlert, this.clock(), by);
      this.uow.topic('sms');
      return next;
    });
  }

  /** True when messages may be submitted now (both switches on). */
  get sending(): boolean {
    return this.config.smsEnabled && !this.settings().paused;
  }

  /**
   * Queue one message — only inside the transaction of its cause. Over the number's daily
   * cap the row is written as 'capped' (kept for the record, never sent). Returns its id.
   */
  enqueue(m: { mobile: string; text: string; kind: SmsKind; ticketId?: number | null; fileId?: number | null; expiresAt?: number | null }): number {
    if (!this.uow.inside) throw new Error('an SMS is queued only inside the transaction of its cause');
    const now = this.clock();
    const day = localDay(now, this.config.timezone);
    const capped = this.q.sentToday.get(m.mobile, day)!.n >= this.config.smsDailyCap;
    const parts = partCount(m.text);
    const ref = parts > 1 ? (this.ref = (this.ref + 1) % 256) : null;
    return Number(this.q.insert.run({
      mobile: m.mobile, text: m.text, kind: m.kind, ticketId: m.ticketId ?? null, fileId: m.fileId ?? null, day,
      state: capped ? 'capped' : 'queued', now, expiresAt: m.expiresAt ?? null, ref, parts,
    }).lastInsertRowid);
  }

  /** A queue message's end: the end of today, Cairo time. */
  endOfToday(): number {
    return endOfLocalDay(localDay(this.clock(), this.config.timezone), this.config.timezone);
  }

  // ── the sender's side (each call is its own short transaction, durable before the next PDU) ──

  /** The next message to submit now, or null; queue messages past their day are expired first. */
  nextDue(now = this.clock()): OutboxRow | null {
    this.q.expire.run(now);
    return this.q.due.get(now) ?? null;
  }

  /** When the earliest waiting message falls due (null: none waiting). */
  nextDueAt(): number | null {
    return this.q.nextDueAt.get()!.at;
  }

  row(id: number): OutboxRow | null {
    return this.q.row.get(id) ?? null;
  }

  /** Part `part` (1-based) was acknowledged by submit_sm_resp with this message_id. */
  partSubmitted(id: number, part: number, messageId: string): void {
    const now = this.clock();
    this.db.transaction(() => {
      this.q.part.run(id, part, messageId, now);
      this.q.partDone.run(part, part, part, now, id);
    })();
  }

  /** Try again later (throttled, link dropped, no answer); failed for good after the last attempt. */
  retryLater(id: number, error: string): number {
    const row = this.row(id);
    const delay = backoffMs((row?.attempts ?? 0) + 1, this.config.smsRetryBaseMs, this.config.smsRetryMaxMs);
    this.q.retry.run(error, this.clock() + delay, this.config.smsMaxAttempts, id);
    return delay;
  }

  /** The SMSC refused the message for good (bad destination, bad content…). */
  failed(id: number, error: string): void {
    this.q.fail.run(error, id);
  }

  /**
   * A delivery receipt (deliver_sm with a receipt esm_class) for a message_id: stored on
   * its part, and on the row — DELIVRD once every part is, otherwise the stat just received.
   * Returns the row id, or null for a message_id we never got.
   */
  receipt(messageId: string, stat: string): number | null {
    const p = this.q.partByMessage.get(messageId);
    if (!p) return null;
    const now = this.clock();
    this.db.transaction(() => {
      this.q.setPartReceipt.run(stat, now, p.outbox_id, p.part);
      const row = this.row(p.outbox_id)!;
      const states = this.q.partStates.all(p.outbox_id).map((s) => s.receipt_state);
      const all = states.length >= row.parts_total && states.every((s) => s === 'DELIVRD');
      const state = all ? 'DELIVRD' : stat !== 'DELIVRD' ? stat : row.receipt_state === 'DELIVRD' ? null : row.receipt_state;
      this.q.setRowReceipt.run(state, now, p.outbox_id);
    })();
    return p.outbox_id;
  }
}

