// What one MQTT client may cost the hub, and the counters an operator reads (issue 15):
//
// - Per-device rate limits on every device topic (fault 7): a token bucket per device for
//   its status and health reports, another for its commands. A publish over the limit is
//   dropped and counted, never written to the database nor passed on to subscribers (the
//   device is not disconnected: MQTT 3.1.1 cannot refuse one PUBLISH without closing).
// - Offline persistent sessions (fault 5): at most `maxQueued` messages queued per
//   session, newer ones dropped and counted — Mosquitto's max_queued_messages — and a
//   session not seen for `sessionExpiryMs` is removed with its queue — Mosquitto's
//   persistent_client_expiration.
//
// The counters are plain numbers on BrokerStats, read by /metrics (hub/broker/broker.ts
// exposes them as `broker.stats`).

/** Counters since the hub started. */
export type BrokerStats = {
  /** Device publishes dropped by the per-device rate limits. */
  rateLimited: number;
  /** Messages not queued for an offline session because its queue was full. */
  droppedQueued: number;
  /** Offline persistent sessions removed after the expiry. */
  expiredSessions: number;
  /** Messages queued right now for sessions (offline, or in flight to online ones). */
  queued: number;
  /** Connections closed because their device was rotated, removed or rebound. */
  revokedConnections: number;
};

export function newStats(): BrokerStats {
  return { rateLimited: 0, droppedQueued: 0, expiredSessions: 0, queued: 0, revokedConnections: 0 };
}

export type RateLimits = {
  /** status and health publishes per second per device (0 = no limit); bursts up to 4×. */
  reportsPerSec: number;
  /** command publishes per second per device (0 = no limit); bursts up to 2×. */
  commandsPerSec: number;
};

type Bucket = { tokens: number; at: number };

/** A token bucket per (device, kind of topic). */
export class DeviceRateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly limits: RateLimits,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** True when the device may publish one more message of this kind now. */
  take(deviceId: string, kind: 'report' | 'command'): boolean {
    const rate = kind === 'command' ? this.limits.commandsPerSec : this.limits.reportsPerSec;
    if (rate <= 0) return true;
    const burst = kind === 'command' ? rate * 2 : Math.max(rate * 4, 10);
    const key = `${kind}:${deviceId}`;
    const t = this.now();
    let b = this.buckets.get(key);
    if (!b) this.buckets.set(key, (b = { tokens: burst, at: t }));
    b.tokens = Math.min(burst, b.tokens + ((t - b.at) / 1000) * rate);
    b.at = t;
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  forget(deviceId: string): void {
    this.buckets.delete(`report:${deviceId}`);
    this.buckets.delete(`command:${deviceId}`);
  }
}

/** The part of aedes' persistence that holds the sessions' queues (aedes-persistence 11). */
export type QueuePersistence = {
  outgoingEnqueue(sub: { clientId: string }, packet: object): Promise<void>;
  outgoingEnqueueCombi(subs: { clientId: string }[], packet: object): Promise<void>;
  outgoingClearMessageId(client: { id: string }, packet: object): Promise<object | undefined>;
  outgoingStream(client: { id: string }): AsyncIterable<object>;
  cleanSubscriptions(client: { id: string }): Promise<unknown>;
};

/**
 * Caps each session's queue by wrapping the persistence's queue operations: every packet
 * queued for a client is counted in, every packet cleared (delivered and acknowledged, or
 * the queue emptied) counted out; a packet for a client whose queue is full is not queued.
 */
export class SessionQueueLimit {
  private readonly counts = new Map<string, number>();

  constructor(
    private readonly persistence: QueuePersistence,
    private readonly maxQueued: number,
    private readonly stats: BrokerStats,
  ) {
    const enqueue = persistence.outgoingEnqueue.bind(persistence);
    const combi = persistence.outgoingEnqueueCombi.bind(persistence);
    const clear = persistence.outgoingClearMessageId.bind(persistence);
    persistence.outgoingEnqueue = async (sub, packet) => {
      if (!this.admit(sub.clientId)) return;
      await enqueue(sub, packet);
    };
    persistence.outgoingEnqueueCombi = async (subs, packet) => {
      const admitted = subs.filter((s) => this.admit(s.clientId));
      if (admitted.length) await combi(admitted, packet);
    };
    persistence.outgoingClearMessageId = async (client, packet) => {
      const removed = await clear(client, packet);
      if (removed) this.release(client.id);
      return removed;
    };
  }

  private admit(clientId: string): boolean {
    const n = this.counts.get(clientId) ?? 0;
    if (this.maxQueued > 0 && n >= this.maxQueued) {
      this.stats.droppedQueued++;
      return false;
    }
    this.counts.set(clientId, n + 1);
    this.stats.queued++;
    return true;
  }

  private release(clientId: string): void {
    const n = this.counts.get(clientId) ?? 0;
    if (n <= 1) this.counts.delete(clientId);
    else this.counts.set(clientId, n - 1);
    if (n > 0) this.stats.queued--;
  }

  queuedFor(clientId: string): number {
    return this.counts.get(clientId) ?? 0;
  }

  /** Remove an offline session: its subscriptions and everything queued for it. */
  async removeSession(clientId: string): Promise<void> {
    const client = { id: clientId };
    await this.persistence.cleanSubscriptions(client);
    const packets: object[] = [];
    for await (const p of this.persistence.outgoingStream(client)) packets.push(p);
    for (const p of packets) await this.persistence.outgoingClearMessageId(client, p);
    const left = this.counts.get(clientId) ?? 0;
    this.stats.queued -= left;
    this.counts.delete(clientId);
  }
}
