// Feeds the central store from the CENTER_EVENTS stream (issue 13, item 4): a durable
// JetStream consumer (its position is kept by the cluster, three replicas like the stream:
// hub/federation/central-stream.ts), explicit acks. Messages are taken as they come and
// applied in batches — whatever arrived together, up to MAX_BATCH — each in one SQLite
// transaction (CentralStore.applyBatch); a batch is acknowledged only after its commit. A
// crash between the commit and the acks means a redelivery, which the store finds already
// applied ((center, seq) unique): nothing lost, nothing counted twice. A batch SQLite could
// not write is not acknowledged: it comes again after a short delay (nak).
//
// Runs with the governorate's reader account (the operator's, or one allowed to read the
// stream and manage its consumer); SHUBBAK_GOVERNORATE_NATS in hub/config.ts. The nats
// client is loaded only by a hub in the governorate role.
import { AckPolicy, DeliverPolicy, connect, nanos, type ConsumerMessages, type JsMsg, type NatsConnection } from 'nats';
import type { Logger } from '../broker/broker.ts';
import { CENTER_STREAM } from '../federation/central-stream.ts';
import type { CentralStore } from './store.ts';
import type { CentralLink } from '../federation/central-link.ts';

/** The durable consumer's name on CENTER_EVENTS: one per central store. */
export const BOARD_CONSUMER = 'governorate-board';
const MAX_BATCH = 500;
const RETRY_MS = 1000;
/**
 * How long one pull request lives before the client renews it (its idle heartbeat is half
 * of it). A pull request dies with the node that holds it; with the client's default of
 * 30 s the board froze 35–40 s when the consumer's leader was killed (`npm run bench --
 * --only=governorate`, phase 2, --kill=consumer); a short one is noticed and renewed in seconds.
 */
const PULL_EXPIRES_MS = 5000;


export class CentralConsumer {
  private nc: NatsConnection | null = null;
  private messages: ConsumerMessages | null = null;
  private stopped = false;
  private running: Promise<void> | null = null;
  private buffer: JsMsg[] = [];
  private flushing = false;
  /** Batches committed, messages acknowledged since start (for tests and the metrics). */
  batches = 0;
  acked = 0;
  /** Told after each committed batch (the page's live refresh could hang here). */
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly store: CentralStore,
    private readonly link: CentralLink,
    private readonly log: Logger,
    private readonly durable = BOARD_CONSUMER,
  ) {}

  start(): void {
    this.running = this.loop();
  }

  onApplied(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => void this.listeners.delete(fn);
  }

  /** Connect, make sure the durable consumer exists, consume; again after any failure. */
  private async loop(): Promise<void> {
    while (!this.stopped) {
      try {
        if (!this.nc || this.nc.isClosed()) {
          this.nc = await connect({
            servers: this.link.urls, name: 'governorate-board', timeout: 3000, ...(this.link.account ?? {}),
            ...(this.link.tls ? { tls: this.link.tls } : {}),
            maxReconnectAttempts: -1, reconnectTimeWait: RETRY_MS, pingInterval: 5000, maxPingOut: 2,
          });
        }
        if (this.stopped) break; // stopped while connecting: stop() closes this.nc
        const jsm = await this.nc.jetstreamManager({ timeout: 5000 });
        try {
          await jsm.consumers.info(CENTER_STREAM, this.durable);
        } catch (err) {
          if (!/consumer not found/i.test((err as Error).message)) throw err;
          await jsm.consumers.add(CENTER_STREAM, {
            durable_name: this.durable, ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All,
            ack_wait: nanos(30_000), max_ack_pending: 20_000,
          });
        }
        const consumer = await this.nc.jetstream({ timeout: 5000 }).consumers.get(CENTER_STREAM, this.durable);
        this.messages = await consumer.consume({ max_messages: MAX_BATCH, expires: PULL_EXPIRES_MS });
        if (this.stopped) break;
        for await (const m of this.messages) {
          this.buffer.push(m);
          if (this.buffer.length >= MAX_BATCH) this.flush();
          else if (this.buffer.length === 1) setImmediate(() => this.flush());
        }
        this.flush();
      } catch (err) {
        if (this.stopped) return;
        this.log.warn({ err: (err as Error).message }, 'governorate board: stream not readable; trying again');
      }
      if (!this.stopped) await new Promise((r) => setTimeout(r, RETRY_MS).unref());
    }
  }

  /** Apply what arrived, in one transaction; acknowledge only after the commit. */
  private flush(): void {
    if (this.flushing || !this.buffer.length) return;
    this.flushing = true;
    const batch = this.buffer;
    this.buffer = [];
    try {
      this.store.applyBatch(batch.map((m) => ({ subject: m.subject, data: m.data, streamSeq: m.seq })));
    } catch (err) {
      this.log.error({ err }, 'governorate board: batch not stored; the stream delivers it again');
      for (const m of batch) m.nak(RETRY_MS);
      this.flushing = false;
      return;
    }
    for (const m of batch) m.ack();
    this.batches++;
    this.acked += batch.length;
    this.flushing = false;
    for (const fn of this.listeners) {
      try {
        fn();
      } catch (err) {
        this.log.error({ err }, 'governorate board: a listener failed');
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.flush();
    await this.messages?.close().catch(() => {});
    // Drain sends the last acks; with the tier unreachable it would wait: a bound, then close
    // (an ack lost is a redelivery the store finds already applied).
    const nc = this.nc;
    if (nc && !nc.isClosed()) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([nc.drain().catch(() => {}), new Promise<void>((r) => (timer = setTimeout(r, 2000)))]);
      clearTimeout(timer);
      await nc.close().catch(() => {});
    }
    await this.running;
    // A connection or a subscription made while stopping: closed too.
    await this.messages?.close().catch(() => {});
    if (this.nc && !this.nc.isClosed()) await this.nc.close().catch(() => {});
  }
}
