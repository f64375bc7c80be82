// Sends the outbox to the governorate's central tier (issue 13, item 3): a JetStream publish
// per row to the NATS cluster (SHUBBAK_CENTRAL_NATS; scripts/nats-cluster.ts in tests), on
// centers.<center>.<kind>, with the message id `<center>:<seq>`, strictly in seq order, one
// at a time. A row is marked sent only on the stream's PubAck — the CENTER_EVENTS stream
// (central-stream.ts, three replicas) has stored it — or on its answer that it already has
// that id (a resend after a hub died between the PubAck and the mark: stored once). Any
// other outcome (no stream, no quorum, a timeout, the link down) leaves the row unsent, to
// go again: at least once, in order, deduplicated centrally.
//
// Runs beside the queue, never in a command's way: the rows are already committed by the
// command's own transaction; here only async I/O, and the marks of what the stream stored
// written together — one UPDATE for everything acknowledged in the last MARK_EVERY_MS (or
// MARK_BATCH rows), not one fsync'd commit per row, which on the event loop slowed every
// command of a connected center about threefold (`npm run bench -- --only=governorate`,
// phase 5: ticket.issue p50 9.2 ms with the tier up against 2.9 without). A mark not yet
// written when the hub dies only means those rows go again, and the stream and the
// governorate drop them as duplicates. So a slow or absent central tier only makes the
// outbox longer. Loaded (with the nats client) only when a central tier is configured.
//
// The link (nodes, account, TLS) is central-link.ts's.
import { connect, type JetStreamClient, type NatsConnection } from 'nats';
import type { CentralLink } from './central-link.ts';
import type { Logger } from '../broker/broker.ts';
import type { Outbox, OutboxRow } from './outbox.ts';
import { CENTER_STREAM, centerSubject, centralMsgId } from './central-stream.ts';

/** What the stream holds for one outbox row. */
export type CentralEvent = { center: string; seq: number; kind: OutboxRow['kind']; topic: string; at: number; payload: unknown };

/**
 * One outbox row as the stream gets it: its subject, its bytes (a CentralEvent as JSON) and
 * its message id. The forwarder's encoding; the benchmark's replayers of generated centers
 * (scripts/bench/governorate-replayer.ts) publish through it too.
 */
export function centralMessage(centerId: string, r: OutboxRow): { subject: string; data: string; msgID: string } {
  const ev: CentralEvent = { center: centerId, seq: r.seq, kind: r.kind, topic: r.topic, at: r.at, payload: JSON.parse(r.payload) };
  return { subject: centerSubject(centerId, r.kind), data: JSON.stringify(ev), msgID: centralMsgId(centerId, r.seq) };
}

/** A publish not acknowledged in this time goes again (after RETRY_MS). */
const ACK_TIMEOUT_MS = 5000;
const RETRY_MS = 1000;
/** The marks of stored rows are written at most this often… */
const MARK_EVERY_MS = 250;
/** …or when this many rows wait to be marked. */
const MARK_BATCH = 500;

export class Forwarder {
  private nc: NatsConnection | null = null;
  private js: JetStreamClient | null = null;
  private draining: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private retry: NodeJS.Timeout | null = null;
  private wake: (() => void) | null = null;
  private running: Promise<void> | null = null;
  /** Rows the stream stored since start. */
  forwarded = 0;
  /** Rows the stream already had (a resend): marked sent, stored once. */
  duplicates = 0;
  /** The highest seq the stream has stored (every row before it too: they go in order). */
  private storedThrough = 0;
  /** The highest seq marked sent in the database. */
  private markedThrough = 0;
  private markTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly outbox: Outbox,
    private readonly centerId: string,
    /** The nodes; the center's own account (publish on centers.<centerId>.> only; none = an open tier, tests of old setups); TLS options or none. */
    private readonly link: CentralLink,
    private readonly log: Logger,
  ) {}

  private unwatch: () => void = () => {};

  start(): void {
    this.unwatch = this.outbox.watch(() => this.drain());
    this.running = this.connectLoop();
  }

  /** Connect (again and again while the tier is away); the client then reconnects by itself. */
  private async connectLoop(): Promise<void> {
    while (!this.stopped) {
      let nc: NatsConnection;
      try {
        nc = await connect({
          servers: this.link.urls, name: `hub-${this.centerId}`, timeout: 3000, ...(this.link.account ?? {}),
          ...(this.link.tls ? { tls: this.link.tls } : {}),
          maxReconnectAttempts: -1, reconnectTimeWait: RETRY_MS, pingInterval: 5000, maxPingOut: 2,
        });
      } catch (err) {
        this.log.warn({ err: (err as Error).message }, 'central tier: not reachable; the outbox waits');
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          setTimeout(resolve, RETRY_MS).unref();
        });
        continue;
      }
      if (this.stopped) {
        await nc.close();
        return;
      }
      this.nc = nc;
      this.js = nc.jetstream({ timeout: ACK_TIMEOUT_MS });
      void (async () => {
        for await (const s of nc.status()) {
          if (s.type === 'reconnect') this.drain();
          else if (s.type === 'disconnect') this.log.warn({ server: s.data }, 'central tier: link lost; the outbox waits');
        }
      })().catch(() => {});
      this.drain();
      await nc.closed();
      return;
    }
  }

  /** Send every unsent row in order; a call while draining runs one more pass after it. */
  drain(): void {
    if (this.stopped) return;
    if (this.draining) {
      this.again = true;
      return;
    }
    this.draining = this.pass()
      .catch((err) => this.log.error({ err }, 'central tier: forwarding failed'))
      .finally(() => {
        this.draining = null;
        if (this.again && !this.stopped) {
          this.again = false;
          this.drain();
        }
      });
  }

  private later(): void {
    if (this.retry || this.stopped) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      this.drain();
    }, RETRY_MS);
    this.retry.unref();
  }

  private async pass(): Promise<void> {
    for (;;) {
      const js = this.js;
      if (!js || this.stopped || this.nc?.isClosed()) return;
      const rows = this.outbox.unsent(200, this.storedThrough);
      if (!rows.length) return;
      for (const r of rows) {
        if (this.stopped) return;
        const m = centralMessage(this.centerId, r);
        let duplicate: boolean;
        try {
          const ack = await js.publish(m.subject, m.data, { msgID: m.msgID, expect: { streamName: CENTER_STREAM }, timeout: ACK_TIMEOUT_MS });
          duplicate = ack.duplicate;
        } catch (err) {
          if (!this.stopped) this.log.warn({ err: (err as Error).message, seq: r.seq }, 'central tier: not stored; will send again');
          this.later();
          return;
        }
        if (this.stopped) return; // the hub is closing: the row goes again (deduplicated) next start
        this.stored(r.seq);
        if (duplicate) this.duplicates++;
        else this.forwarded++;
      }
    }
  }

  /** The stream stored `seq`: mark it with the others soon, in one write. */
  private stored(seq: number): void {
    this.storedThrough = seq;
    if (seq - this.markedThrough >= MARK_BATCH) this.writeMarks();
    else if (!this.markTimer) {
      this.markTimer = setTimeout(() => {
        this.markTimer = null;
        this.writeMarks();
      }, MARK_EVERY_MS);
      this.markTimer.unref();
    }
  }

  /** One UPDATE for every row stored since the last one. */
  private writeMarks(): void {
    if (this.markTimer) clearTimeout(this.markTimer);
    this.markTimer = null;
    if (this.storedThrough <= this.markedThrough) return;
    try {
      this.outbox.markSentThrough(this.storedThrough);
      this.markedThrough = this.storedThrough;
    } catch (err) {
      // The database refused (full disk, closing): the rows stay unsent in it and go again
      // after a restart, where the stream drops them as duplicates.
      this.log.error({ err, seq: this.storedThrough }, 'central tier: could not mark rows sent; they will go again');
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unwatch();
    if (this.retry) clearTimeout(this.retry);
    this.wake?.();
    await this.nc?.close().catch(() => {});
    await this.draining;
    await this.running;
    this.writeMarks();
  }
}
