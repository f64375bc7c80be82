// How long a citizen's mobile number is kept for SMS (issue 14 item 2): the number is needed
// to send, to match the operator's receipts and to answer "was it sent?" for a while — then
// it is personal data with no purpose. SHUBBAK_SMS_RETENTION_DAYS (default 30) after the last
// event of its message or subscription, the number is blanked ('') and erased_at stamped;
// everything else stays (the rows, their kind, state, attempts, parts, message ids and
// delivery receipts), so the counts and the delivery statistics are unchanged.
//
// What counts as the last event, and what is never erased early:
//  - a message (sms_outbox): the latest of queued, submitted and its last receipt; a message
//    still 'queued' (waiting for the link or the kill switch) keeps its number whatever its age;
//  - a subscription (sms_subscriptions): the latest of its creation and of the messages sent
//    for its ticket or file; a ticket's subscription ends with its Cairo day, a file's only when
//    the file is finished (delivered or refused: done = 1) — an open file keeps its number so
//    "ready for delivery" can still be sent months later.
// The numbers live only in these two tables: tickets and files point to their subscription
// and carry none (the citizen register's own mobile, citizens.mobile, is the file's record and
// not this setting's). Run at start and then daily (hub/hub.ts).
import type { HubConfig } from '../config.ts';
import type { Db } from '../db/connection.ts';
import { localDay, type Clock } from '../domain/time.ts';

const DAY_MS = 86_400_000;

export type RetentionResult = { messages: number; subscriptions: number };

export class SmsRetention {
  private readonly q;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly config: HubConfig,
  ) {
    this.q = {
      messages: db.prepare<{ cutoff: number; now: number }>(`UPDATE sms_outbox SET mobile = '', erased_at = @now
        WHERE erased_at IS NULL AND state <> 'queued'
          AND max(created_at, coalesce(submitted_at, 0), coalesce(receipt_at, 0)) < @cutoff`),
      subscriptions: db.prepare<{ cutoff: number; now: number; today: string }>(`UPDATE sms_subscriptions AS s SET mobile = '', erased_at = @now
        WHERE s.erased_at IS NULL
          AND (s.done = 1 OR (s.ticket_id IS NOT NULL AND s.day < @today))
          AND max(s.created_at, coalesce((SELECT max(o.created_at) FROM sms_outbox o
                WHERE (s.ticket_id IS NOT NULL AND o.ticket_id = s.ticket_id) OR (s.file_id IS NOT NULL AND o.file_id = s.file_id)), 0)) < @cutoff`),
    };
  }

  /** Erase the numbers past the retention now; one transaction. */
  run(now = this.clock()): RetentionResult {
    const cutoff = now - this.config.smsRetentionDays * DAY_MS;
    const today = localDay(now, this.config.timezone);
    return this.db.transaction(() => ({
      messages: this.q.messages.run({ cutoff, now }).changes,
      subscriptions: this.q.subscriptions.run({ cutoff, now, today }).changes,
    }))();
  }

  /** At start and then once a day; returns the stop. A failure is reported and tried again the next day. */
  schedule(onError: (err: unknown) => void, everyMs = DAY_MS): () => void {
    const tick = () => {
      try {
        this.run();
      } catch (err) {
        onError(err);
      }
    };
    tick();
    const timer = setInterval(tick, everyMs);
    timer.unref();
    return () => clearInterval(timer);
  }
}
