// Retained state is a cache of the database: rebuilt in full at start, then republished
// for whatever each committed transaction changed, from the commit's projection (the
// states read once per commit for every listener, services/commit-feed.ts). Also the print
// requests of tickets issued at a kiosk's touch screen (devices/{id}/print), the hub's clock beacon, and each
// device's open alerts on `alerts/{deviceId}` (retained while open, cleared when none is left).
import { topics } from '@shubbak/protocol';
import type { HubContext } from '../context.ts';
import type { CommitProjection } from '../services/commit-feed.ts';
import type { HubBroker, Logger } from './broker.ts';

export const CLOCK_INTERVAL_MS = 10_000;
/**
 * A line's waiting count changes with every ticket; under a rush, publishing each change
 * to every subscribed device costs more than the tickets themselves. The first change is
 * published at once, later ones at most once per this interval (the newest state wins).
 * Window states, hall calls and announcements are never delayed.
 */
export const LINE_STATE_MIN_INTERVAL_MS = 100;

export class StatePublisher {
  private clockTimer: NodeJS.Timeout | null = null;
  private readonly lineLastSent = new Map<string, number>();
  private readonly lineTimers = new Map<string, NodeJS.Timeout>();
  /** The newest commit that changed each line: a delayed publish sends its state. */
  private readonly lineLatest = new Map<string, CommitProjection>();
  private offCommits: (() => void) | null = null;
  private offAlerts: (() => void) | null = null;

  constructor(
    private readonly ctx: HubContext,
    private readonly broker: HubBroker,
    private readonly log: Logger,
  ) {}

  /** Publish every retained topic from the database, then follow commits. */
  async start(): Promise<void> {
    const { queue, devices } = this.ctx;
    const all: Promise<void>[] = [];
    for (const n of queue.windowNumbers()) all.push(this.retain(topics.windowState(n), queue.windowState(n)));
    for (const l of queue.lines()) all.push(this.retain(topics.lineState(l.letter), queue.lineState(l.letter)));
    all.push(this.retain(topics.hallCalls(), queue.hallCalls()));
    for (const id of devices.ids()) all.push(this.publishConfig(id));
    for (const id of new Set(this.ctx.alerts.open().map((a) => a.deviceId))) all.push(this.publishAlerts(id));
    await Promise.all(all);
    this.offCommits = this.ctx.commits.subscribe((p) => this.publishChanges(p), (err) => this.log.error({ err }, 'state publish failed'));
    this.offAlerts = this.ctx.alerts.onChange((c) => {
      this.publishAlerts(c.alert.deviceId).catch((err) => this.log.error({ err }, 'alert publish failed'));
    });
    this.broker.aedes.on('subscribe', (subs) => {
      if (subs.some((s) => s.topic === topics.clock())) this.publishClock();
    });
    this.clockTimer = setInterval(() => this.publishClock(), CLOCK_INTERVAL_MS);
    this.clockTimer.unref();
  }

  stop(): void {
    this.offCommits?.();
    this.offAlerts?.();
    if (this.clockTimer) clearInterval(this.clockTimer);
    for (const t of this.lineTimers.values()) clearTimeout(t);
    this.lineTimers.clear();
    this.lineLatest.clear();
  }

  private publishLine(letter: string, p: CommitProjection): void {
    this.lineLatest.set(letter, p);
    if (this.lineTimers.has(letter)) return; // a trailing publish is already due
    const wait = (this.lineLastSent.get(letter) ?? -Infinity) + LINE_STATE_MIN_INTERVAL_MS - performance.now();
    const send = () => {
      this.lineTimers.delete(letter);
      this.lineLastSent.set(letter, performance.now());
      const latest = this.lineLatest.get(letter);
      this.lineLatest.delete(letter);
      if (!latest) return;
      try {
        this.retain(topics.lineState(letter), latest.line(letter)).catch((err) => this.log.error({ err }, 'line publish failed'));
      } catch (err) {
        this.log.error({ err }, 'line state read failed');
      }
    };
    if (wait <= 0) send();
    else this.lineTimers.set(letter, setTimeout(send, wait));
  }

  publishClock(): void {
    this.broker.publish(topics.clock(), JSON.stringify({ at: this.ctx.clock() }), { qos: 0, retain: false }).catch(() => {});
  }

  private retain(topic: string, payload: unknown): Promise<void> {
    return this.broker.publish(topic, JSON.stringify(payload), { qos: 1, retain: true });
  }

  /** The device's open alerts, retained; an empty retained payload clears the topic when none is left. */
  private publishAlerts(deviceId: string): Promise<void> {
    const open = this.ctx.alerts.openFor(deviceId);
    // center: the center's stable id, carried in what goes outward (issue 13).
    const payload = open.length ? JSON.stringify({ deviceId, center: this.ctx.config.centerId, alerts: open, at: this.ctx.clock() }) : '';
    return this.broker.publish(topics.deviceAlerts(deviceId), payload, { qos: 1, retain: true });
  }

  private publishConfig(id: string, config = this.ctx.devices.configOf(id)): Promise<void> {
    // An empty retained payload clears the old config: the device shows "waiting for provisioning".
    return this.broker.publish(topics.deviceConfig(id), config ? JSON.stringify(config) : '', { qos: 1, retain: true });
  }

  /** One commit: its window and hall states and announcements at once, its lines at most every 100 ms. */
  private publishChanges(p: CommitProjection): void {
    const jobs: Promise<void>[] = [];
    for (const w of p.windows()) jobs.push(this.retain(topics.windowState(w.window), w));
    for (const l of p.changes.lines) this.publishLine(l, p);
    const hall = p.hall();
    if (hall) jobs.push(this.retain(topics.hallCalls(), hall));
    for (const a of p.announces) jobs.push(this.broker.publish(topics.hallAnnounce(), JSON.stringify(a), { qos: 1, retain: false }));
    // A ticket the kiosk's touch screen issued goes to that kiosk's printer, after the commit
    // (issue 14 item 2; protocol/README.md "Printing a ticket issued at the touch screen").
    for (const { deviceId, ticket } of p.prints) {
      jobs.push(this.broker.publish(topics.devicePrint(deviceId), JSON.stringify({ ticket, at: p.at }), { qos: 1, retain: false }));
    }
    for (const { id, config } of p.deviceConfigs()) jobs.push(this.publishConfig(id, config));
    Promise.all(jobs).catch((err) => this.log.error({ err }, 'state publish failed'));
  }
}
