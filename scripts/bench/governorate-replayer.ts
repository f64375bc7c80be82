// A process of lightweight centers for the governorate benchmark (scripts/bench/governorate.ts,
// issue 13 item 5): each center here is a generated event stream published into the central
// tier exactly as a hub's forwarder publishes its outbox (hub/federation/forwarder.ts
// centralMessage: subject centers.<id>.<kind>, a CentralEvent as JSON, message id
// <id>:<seq>), with the center's own NATS account, one row in flight at a time, in seq
// order, a row sent again (same bytes, same id) until the stream acknowledged it — at least
// once, deduplicated centrally, like the forwarder. No hub, no SQLite: a center costs one
// NATS connection and a few objects.
//
// The stream of a center: tickets on lines A–D at windows 1–6, each ticket written as the hub
// writes it (hub/federation/outbox.ts): issued → ticket.issued + the line's state; called →
// ticket.called + the window's state + the line's state + the hall's calls; finished →
// ticket.done + the window's state; and a file event (file.register) every third ticket.
//
// Driven over IPC by the benchmark: { init }, { rate } (rows/s per center; 0 = pause;
// Infinity = as fast as acknowledgements come), { report }, { stop }.
import { connect, type JetStreamClient, type NatsConnection } from 'nats';
import { topics, type HallCall, type HallCalls, type LineState, type WindowState } from '@shubbak/protocol';
import { CENTER_STREAM } from '../../hub/federation/central-stream.ts';
import { centralMessage } from '../../hub/federation/forwarder.ts';
import type { OutboxKind, OutboxRow } from '../../hub/federation/outbox.ts';

export type ReplayerInit = { urls: string[]; centers: { id: string; user: string; pass: string }[] };
/** What one center sent and had acknowledged: its last seq (every seq up to it acknowledged), rows, per event type. */
export type CenterSent = { id: string; lastSeq: number; events: Record<string, number>; retries: number; duplicates: number };
export type ReplayerReport = { centers: CenterSent[]; rows: number; failures: number };

const LINES = ['A', 'B', 'C', 'D'];
const WINDOWS = 6;
const LINE_NAMES: Record<string, string> = { A: 'استعلامات', B: 'تسجيل', C: 'تسليم', D: 'شكاوى' };

/** One generated center: its queue as the hub would hold it, turned into outbox rows. */
class GeneratedCenter {
  private seq = 0;
  private stateSeq = 0;
  private tickets = 0;
  private readonly waiting: Record<string, string[]> = Object.fromEntries(LINES.map((l) => [l, []]));
  private readonly issued: Record<string, number> = Object.fromEntries(LINES.map((l) => [l, 0]));
  private readonly serving: ({ ticket: string; line: string; at: number } | null)[] = Array.from({ length: WINDOWS }, () => null);
  private calls: HallCall[] = [];
  private readonly pending: Omit<OutboxRow, 'seq'>[] = [];
  private step = 0;
  private readonly day = new Date().toISOString().slice(0, 10);
  visit = 0;

  constructor(private readonly rnd: () => number) {}

  private line(l: string, at: number): Omit<OutboxRow, 'seq'> {
    const p: LineState = { line: l, name: LINE_NAMES[l], open: true, waiting: this.waiting[l].length, estimatedWaitMin: this.waiting[l].length * 4, seq: ++this.stateSeq };
    return { kind: 'state', topic: topics.lineState(l), payload: JSON.stringify(p), at };
  }

  private window(w: number, at: number): Omit<OutboxRow, 'seq'> {
    const s = this.serving[w - 1];
    const p: WindowState = { window: w, label: `شباك ${w}`, status: s ? 'serving' : 'idle', ticket: s?.ticket ?? null, line: s?.line ?? null, calledAt: s?.at ?? null, seq: ++this.stateSeq };
    return { kind: 'state', topic: topics.windowState(w), payload: JSON.stringify(p), at };
  }

  private event(topic: string, payload: unknown, at: number): Omit<OutboxRow, 'seq'> {
    return { kind: 'event' as OutboxKind, topic, payload: JSON.stringify(payload), at };
  }

  /** The next ticket's rows: issue, call (at a free window, or the one that finishes first), finish. */
  private more(at: number): void {
    const s = this.step++ % 3;
    if (s === 0) {
      const l = LINES[Math.floor(this.rnd() * LINES.length)];
      const ticket = `${l}${String(++this.issued[l]).padStart(3, '0')}`;
      this.waiting[l].push(ticket);
      this.tickets++;
      this.pending.push(this.event('ticket.issued', { ticket, line: l, day: this.day, visit: ++this.visit, window: null, by: 'device:kiosk-1', at }, at), this.line(l, at));
      if (this.tickets % 3 === 0) {
        this.pending.push(this.event('file.register', { entity: 'file', id: `F${this.tickets}`, by: 'staff:reception', at, from: null, after: { status: 'registered', serviceId: 1, departmentId: 1 } }, at));
      }
    } else if (s === 1) {
      const l = LINES.find((x) => this.waiting[x].length) ?? null;
      if (!l) return;
      const ticket = this.waiting[l].shift()!;
      const w = 1 + Math.floor(this.rnd() * WINDOWS);
      this.serving[w - 1] = { ticket, line: l, at };
      this.calls = [{ ticket, window: w, at }, ...this.calls].slice(0, 10);
      const hall: HallCalls = { calls: this.calls, seq: ++this.stateSeq };
      this.pending.push(this.event('ticket.called', { ticket, line: l, day: this.day, visit: this.visit, window: w, by: `device:keypad-${w}`, at }, at),
        this.window(w, at), this.line(l, at), { kind: 'state', topic: topics.hallCalls(), payload: JSON.stringify(hall), at });
    } else {
      const w = this.serving.findIndex(Boolean) + 1;
      if (!w) return;
      const done = this.serving[w - 1]!;
      this.serving[w - 1] = null;
      this.pending.push(this.event('ticket.done', { ticket: done.ticket, line: done.line, day: this.day, visit: this.visit, window: w, by: `device:keypad-${w}`, at }, at), this.window(w, at));
    }
  }

  /** The next outbox row (numbered), stamped now. */
  next(at: number): OutboxRow {
    while (!this.pending.length) this.more(at);
    return { seq: ++this.seq, ...this.pending.shift()!, at };
  }
}

/** A center's publishing loop: paced at `rate` rows/s (open loop), one row in flight, resent until acknowledged. */
class Center {
  readonly sent: CenterSent;
  private nc: NatsConnection | null = null;
  private js: JetStreamClient | null = null;
  private readonly gen: GeneratedCenter;
  private rowsAtRate = 0;
  private rateSince = 0;
  private rate = 0;
  private wake: (() => void) | null = null;
  stopped = false;
  done: Promise<void> = Promise.resolve();
  failures = 0;

  constructor(private readonly who: ReplayerInit['centers'][number], private readonly urls: string[], seed: number) {
    this.sent = { id: who.id, lastSeq: 0, events: {}, retries: 0, duplicates: 0 };
    let x = seed || 1;
    this.gen = new GeneratedCenter(() => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648));
  }

  async connect(): Promise<void> {
    this.nc = await connect({ servers: this.urls, name: `replayer-${this.who.id}`, user: this.who.user, pass: this.who.pass, timeout: 5000, maxReconnectAttempts: -1, reconnectTimeWait: 1000, pingInterval: 5000, maxPingOut: 2 });
    this.js = this.nc.jetstream({ timeout: 5000 });
    this.done = this.loop();
  }

  setRate(rate: number): void {
    this.rate = rate;
    this.rowsAtRate = 0;
    // Spread the centers' first rows over one period, not all at once.
    this.rateSince = Date.now() + (Number.isFinite(rate) && rate > 0 ? Math.random() * 1000 / rate : 0);
    this.wake?.();
  }

  private async pause(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
    this.wake = null;
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      if (this.rate <= 0) {
        await this.pause(1000);
        continue;
      }
      if (Number.isFinite(this.rate)) {
        const due = this.rateSince + (this.rowsAtRate * 1000) / this.rate;
        const wait = due - Date.now();
        if (wait > 0) {
          await this.pause(Math.min(wait, 1000));
          continue;
        }
      }
      const row = this.gen.next(Date.now());
      const m = centralMessage(this.who.id, row);
      // Sent until acknowledged, the same bytes and id each time (a resend is stored once).
      for (let attempt = 0; !this.stopped; attempt++) {
        try {
          const ack = await this.js!.publish(m.subject, m.data, { msgID: m.msgID, expect: { streamName: CENTER_STREAM }, timeout: 5000 });
          if (ack.duplicate) this.sent.duplicates++;
          this.sent.lastSeq = row.seq;
          if (row.kind === 'event') this.sent.events[row.topic] = (this.sent.events[row.topic] ?? 0) + 1;
          break;
        } catch {
          this.failures++;
          this.sent.retries++;
          await this.pause(250);
        }
      }
      this.rowsAtRate++;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.done;
    await this.nc?.close().catch(() => {});
  }
}

let centers: Center[] = [];

async function handle(m: { init?: ReplayerInit; rate?: number | 'max'; report?: true; stop?: true }): Promise<void> {
  if (m.init) {
    const init = m.init;
    centers = init.centers.map((c, i) => new Center(c, init.urls, 7919 * (i + 1)));
    // A few at a time: a hundred CONNECTs at once on two cores is a storm of its own.
    for (let i = 0; i < centers.length; i += 10) await Promise.all(centers.slice(i, i + 10).map((c) => c.connect()));
    process.send!({ ready: true });
  } else if (m.rate !== undefined) {
    const rate = m.rate === 'max' ? Infinity : m.rate;
    for (const c of centers) c.setRate(rate);
    process.send!({ rated: true });
  } else if (m.report) {
    const r: ReplayerReport = { centers: centers.map((c) => ({ ...c.sent, events: { ...c.sent.events } })), rows: centers.reduce((s, c) => s + c.sent.lastSeq, 0), failures: centers.reduce((s, c) => s + c.failures, 0) };
    process.send!({ report: r });
  } else if (m.stop) {
    await Promise.all(centers.map((c) => c.stop()));
    process.send!({ stopped: true }, () => process.exit(0));
  }
}

process.on('message', (m: Parameters<typeof handle>[0]) => {
  handle(m).catch((err: Error) => {
    process.send!({ error: err.message });
  });
});
// The benchmark gone (killed, failed): this process goes too.
process.on('disconnect', () => process.exit(0));
