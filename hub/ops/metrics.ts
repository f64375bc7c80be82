// The hub's Prometheus metrics (served at /metrics by hub/routes/ops/routes.ts). One
// registry per hub, so two hubs in one process (tests) never mix their figures.
//
// Cheap by construction: what happens (commands, HTTP answers, webhook deliveries, MQTT
// messages queued and acknowledged) is counted where it happens; what is read at scrape
// time is small and indexed — the devices table (one row per device), the lines' waiting
// counters (kept by the queue in `lines.waiting`), the open alerts (partial index), the
// newest backup row, and in-memory sizes. No scrape scans tickets, visits or files.
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
// The classes by path, not prom-client's index: it also loads what the hub never uses (default
// process metrics with the OpenTelemetry API, Summary, Pushgateway, cluster; ~1.7 MB of heap;
// issue 10: memory). Types: ./prom-client-parts.d.ts.
import Counter from 'prom-client/lib/counter.js';
import Gauge from 'prom-client/lib/gauge.js';
import Histogram from 'prom-client/lib/histogram.js';
import Registry from 'prom-client/lib/registry.js';
import type { Db } from '../db/connection.ts';
import type { Clock } from '../domain/time.ts';

/** What the SMS sender tells the metrics (hub/sms/smpp-sender.ts; bound when an SMSC is configured). */
export type SmsProbe = {
  state(): { bound: boolean; lastError: string | null; lastErrorAt: number | null };
  readonly stats: { binds: number; drops: number; submits: number; accepted: number; retried: number; refused: number; enquireLinks: number; receiptsByStat: Record<string, number> };
};

/** What the broker tells the metrics (bound once the broker exists). */
export type BrokerProbe = {
  clients(): number;
  queued(): number;
  listening(): boolean;
  /** The broker's limits (hub/broker/limits.ts): publishes over a device's rate, messages not queued for a full offline session, … */
  counters?(): { rateLimited: number; droppedQueued: number; expiredSessions: number; revokedConnections: number };
};

export class HubMetrics {
  readonly registry = new Registry();
  readonly commands: Counter<'type' | 'result'>;
  readonly commandSeconds: Histogram<'type'>;
  readonly httpResponses: Counter<'status'>;
  readonly webhook: Counter<'result'>;
  /** Connections refused at a TLS port or a TLS hello at a plain one (hub/tls/listeners.ts reasons). */
  readonly tlsRefused: Counter<'listener' | 'reason'>;
  private tlsNotAfter: (() => number | null) | null = null;
  private broker: BrokerProbe | null = null;
  private sms: SmsProbe | null = null;
  private readonly sse = new Map<string, () => number>();
  private readonly loop: IntervalHistogram;

  constructor(db: Db, clock: Clock) {
    const r = this.registry;
    this.commands = new Counter({
      name: 'shubbak_commands_total', help: 'Device commands answered, by type and result (ok or the error code)',
      labelNames: ['type', 'result'], registers: [r],
    });
    this.commandSeconds = new Histogram({
      name: 'shubbak_command_duration_seconds', help: 'From a command reaching the hub to its reply being sent (durable commit included)',
      labelNames: ['type'], buckets: [0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5], registers: [r],
    });
    this.httpResponses = new Counter({
      name: 'shubbak_http_responses_total', help: 'HTTP answers by status class (2xx, 3xx, 4xx, 5xx)', labelNames: ['status'], registers: [r],
    });
    this.webhook = new Counter({
      name: 'shubbak_alert_webhook_total', help: 'Alert webhook attempts: delivered, failed (retried later), dropped (gave up or queue full)',
      labelNames: ['result'], registers: [r],
    });

    this.tlsRefused = new Counter({
      name: 'shubbak_tls_refused_total',
      help: 'Connections refused: plain text on a TLS port (not_tls), TLS on a plain port (tls_on_plain), unfinished handshakes (handshake_timeout), old protocols, no shared cipher, clients refusing the hub certificate (peer_rejected_cert)',
      labelNames: ['listener', 'reason'], registers: [r],
    });
    const tlsSelf = this;
    new Gauge({
      name: 'shubbak_tls_cert_days_left', help: 'Days until the hub\'s TLS server certificate expires (absent without TLS)', registers: [r],
      collect() {
        const notAfter = tlsSelf.tlsNotAfter?.();
        if (notAfter == null) return;
        this.set(Math.floor((notAfter - clock()) / 86_400_000));
      },
    });

    const devicesOnline = db.prepare<[], { kind: string; online: number; total: number }>(
      'SELECT kind, sum(online) AS online, count(*) AS total FROM devices GROUP BY kind');
    new Gauge({
      name: 'shubbak_devices_online', help: 'Devices connected now, by kind', labelNames: ['kind'], registers: [r],
      collect() {
        this.reset();
        for (const d of devicesOnline.all()) this.set({ kind: d.kind }, d.online ?? 0);
      },
    });
    new Gauge({
      name: 'shubbak_devices_registered', help: 'Devices registered, by kind', labelNames: ['kind'], registers: [r],
      collect() {
        this.reset();
        for (const d of devicesOnline.all()) this.set({ kind: d.kind }, d.total);
      },
    });
    const waiting = db.prepare<[], { letter: string; waiting: number }>('SELECT letter, waiting FROM lines');
    new Gauge({
      name: 'shubbak_line_waiting', help: 'Citizens waiting in each line now', labelNames: ['line'], registers: [r],
      collect() {
        this.reset();
        for (const l of waiting.all()) this.set({ line: l.letter }, l.waiting);
      },
    });
    const openAlerts = db.prepare<[], { kind: string; n: number }>(
      'SELECT kind, count(*) AS n FROM device_alerts WHERE resolved_at IS NULL GROUP BY kind');
    new Gauge({
      name: 'shubbak_alerts_open', help: 'Open device alerts, by kind', labelNames: ['kind'], registers: [r],
      collect() {
        this.reset();
        for (const a of openAlerts.all()) this.set({ kind: a.kind }, a.n);
      },
    });
    const lastBackup = db.prepare<[], { finished_at: number }>(
      "SELECT finished_at FROM backups WHERE error IS NULL AND integrity = 'ok' ORDER BY id DESC LIMIT 1");
    new Gauge({
      name: 'shubbak_backup_age_seconds', help: 'Age of the newest good backup (+Inf when there is none, so an age alert fires)', registers: [r],
      collect() {
        const b = lastBackup.get();
        this.set(b ? Math.max(0, (clock() - b.finished_at) / 1000) : Infinity);
      },
    });

    const self = this;
    new Gauge({
      name: 'shubbak_mqtt_clients', help: 'MQTT connections (devices, observers, the hub\'s own clients)', registers: [r],
      collect() {
        this.set(self.broker?.clients() ?? 0);
      },
    });
    new Gauge({
      name: 'shubbak_mqtt_queued_messages', help: 'QoS 1 messages the broker holds for subscribers and has not had acknowledged', registers: [r],
      collect() {
        this.set(self.broker?.queued() ?? 0);
      },
    });
    new Gauge({
      name: 'shubbak_mqtt_limited_total',
      help: 'Since start: device publishes dropped over their rate (rate_limited), messages not queued for a full offline session (queue_full), offline sessions expired, connections closed when a device was rotated, removed or rebound',
      labelNames: ['what'], registers: [r],
      collect() {
        const c = self.broker?.counters?.();
        if (!c) return;
        this.set({ what: 'rate_limited' }, c.rateLimited);
        this.set({ what: 'queue_full' }, c.droppedQueued);
        this.set({ what: 'sessions_expired' }, c.expiredSessions);
        this.set({ what: 'connections_revoked' }, c.revokedConnections);
      },
    });
    new Gauge({
      name: 'shubbak_sse_clients', help: 'Open live streams (server-sent events), by stream', labelNames: ['stream'], registers: [r],
      collect() {
        this.reset();
        for (const [name, size] of self.sse) this.set({ stream: name }, size());
      },
    });

    // SMS (issue 14 item 2): the SMSC link, the outbox, and what the sender counted since start.
    // The outbox's waiting rows are counted through its partial index (state = 'queued').
    const smsQueued = db.prepare<[], { n: number }>("SELECT count(*) AS n FROM sms_outbox WHERE state = 'queued'");
    new Gauge({
      name: 'shubbak_sms_queue_depth', help: 'SMS waiting in the outbox to be submitted (including those waiting for a retry or for the kill switch)', registers: [r],
      collect() {
        this.set(smsQueued.get()!.n);
      },
    });
    new Gauge({
      name: 'shubbak_sms_link_up', help: 'The SMPP link to the SMSC: 1 bound, 0 not bound (absent when no SMSC is configured)', registers: [r],
      collect() {
        if (self.sms) this.set(self.sms.state().bound ? 1 : 0);
      },
    });
    new Gauge({
      name: 'shubbak_sms_link_last_error_timestamp_seconds', help: 'When the SMPP link last went down; the reason is the label', labelNames: ['reason'], registers: [r],
      collect() {
        this.reset();
        const s = self.sms?.state();
        if (s?.lastError && s.lastErrorAt !== null) this.set({ reason: s.lastError.slice(0, 120) }, s.lastErrorAt / 1000);
      },
    });
    new Gauge({
      name: 'shubbak_sms_total',
      help: 'Since start: binds, links lost (drops), enquire_link sent, submit_sm written (submitted) and acknowledged (accepted parts), messages put back (retried) and refused for good (failed)',
      labelNames: ['what'], registers: [r],
      collect() {
        const st = self.sms?.stats;
        if (!st) return;
        this.set({ what: 'binds' }, st.binds);
        this.set({ what: 'drops' }, st.drops);
        this.set({ what: 'enquire_links' }, st.enquireLinks);
        this.set({ what: 'submitted' }, st.submits);
        this.set({ what: 'accepted' }, st.accepted);
        this.set({ what: 'retried' }, st.retried);
        this.set({ what: 'failed' }, st.refused);
      },
    });
    new Gauge({
      name: 'shubbak_sms_receipts_total', help: 'Since start: delivery receipts received, by stat (DELIVRD, UNDELIV, EXPIRED, …)', labelNames: ['stat'], registers: [r],
      collect() {
        this.reset();
        for (const [stat, n] of Object.entries(self.sms?.stats.receiptsByStat ?? {})) this.set({ stat }, n);
      },
    });

    // Event-loop lag: percentiles of the delay since the previous scrape.
    this.loop = monitorEventLoopDelay({ resolution: 10 });
    this.loop.enable();
    const loop = this.loop;
    new Gauge({
      name: 'shubbak_event_loop_lag_seconds', help: 'Event-loop delay since the previous scrape', labelNames: ['quantile'], registers: [r],
      collect() {
        if (loop.count > 0) {
          this.set({ quantile: '0.5' }, loop.percentile(50) / 1e9);
          this.set({ quantile: '0.99' }, loop.percentile(99) / 1e9);
          this.set({ quantile: '1' }, loop.max / 1e9);
        }
        loop.reset();
      },
    });
    new Gauge({
      name: 'process_resident_memory_bytes', help: 'Resident memory of the hub process', registers: [r],
      collect() {
        this.set(process.memoryUsage.rss());
      },
    });
  }

  bindSms(probe: SmsProbe | null): void {
    this.sms = probe;
  }

  bindBroker(probe: BrokerProbe): void {
    this.broker = probe;
  }

  /** The served certificate's expiry (ms), read at scrape time. */
  bindTls(notAfter: () => number | null): void {
    this.tlsNotAfter = notAfter;
  }

  brokerListening(): boolean {
    return this.broker?.listening() ?? false;
  }

  /** A live stream whose open connections are counted at scrape time. */
  sseChannel(name: string, size: () => number): void {
    this.sse.set(name, size);
  }

  /** One device command answered: `receivedAt` is performance.now() when it reached the hub. */
  command(type: string, result: string, receivedAt: number): void {
    this.commands.inc({ type, result });
    this.commandSeconds.observe({ type }, (performance.now() - receivedAt) / 1000);
  }

  stop(): void {
    this.loop.disable();
  }
}
