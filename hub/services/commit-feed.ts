// One change fan-out per commit (issue 12, item 6). After each committed transaction the
// unit of work hands its change set here, once; this builds the commit's projection — the
// window, line and hall states, announcements and device configs it changed — and gives
// the same projection to every listener (the MQTT publisher, hub/broker/publisher.ts; the
// panels' live feed, hub/live/routes.ts). Each state is read from the database at most
// once per commit, and only if some listener asks for it.
//
// The commit is already durable when listeners run, and what was answered stays answered:
// each listener is isolated — its failure goes to its own error handler (a log line) and
// changes neither the other listeners nor the reply of the command or request that
// committed (a device told INTERNAL for an executed command would retry it).
//
// Binding changes (which lines a window serves, which lines exist) travel in the change set
// too (issue 12, item 9): on such a commit the device registry forgets its cached configs
// before anyone reads them, and every device's config is part of the projection.
import type { DeviceConfig, HallAnnounce, HallCalls, IssuedTicket, LineState, WindowState } from '@shubbak/protocol';
import type { Clock } from '../domain/time.ts';
import type { DeviceService } from './devices.ts';
import type { QueueService } from './queue.ts';
import type { ChangeSet } from './unit-of-work.ts';

/** What one commit changed, with each state read lazily and at most once. */
export class CommitProjection {
  private windowStates: Map<number, WindowState> | null = null;
  private readonly lineStates = new Map<string, LineState>();
  private hallState: HallCalls | null | undefined;
  private configs: { id: string; config: DeviceConfig | null }[] | null = null;
  private ids: string[] | null = null;

  constructor(
    readonly changes: ChangeSet,
    /** The hub's clock when the commit was handed on. */
    readonly at: number,
    private readonly queue: QueueService,
    private readonly devices: DeviceService,
  ) {}

  /** True when window, line or hall state changed, or something was announced (the public feed). */
  get touchesQueue(): boolean {
    const c = this.changes;
    return c.windows.size > 0 || c.lines.size > 0 || c.hall || c.announces.length > 0;
  }

  windows(): WindowState[] {
    this.windowStates ??= new Map([...this.changes.windows].map((n) => [n, this.queue.windowState(n)]));
    return [...this.windowStates.values()];
  }

  /** The line's state as of now (at or after this commit; later commits only make it newer). */
  line(letter: string): LineState {
    let s = this.lineStates.get(letter);
    if (!s) this.lineStates.set(letter, (s = this.queue.lineState(letter)));
    return s;
  }

  lines(): LineState[] {
    return [...this.changes.lines].map((l) => this.line(l));
  }

  /** The hall's last calls, or null when this commit did not change them. */
  hall(): HallCalls | null {
    if (this.hallState === undefined) this.hallState = this.changes.hall ? this.queue.hallCalls() : null;
    return this.hallState;
  }

  get announces(): readonly HallAnnounce[] {
    return this.changes.announces;
  }

  /** Tickets issued from a kiosk's touch screen, for that kiosk to print. */
  get prints(): readonly { deviceId: string; ticket: IssuedTicket }[] {
    return this.changes.prints;
  }

  /** Devices whose config or presence changed: all of them when bindings changed. */
  deviceIds(): string[] {
    this.ids ??= this.changes.bindings ? [...new Set([...this.devices.ids(), ...this.changes.devices])] : [...this.changes.devices];
    return this.ids;
  }

  /** The config each of those devices now has (null: removed, or not provisioned). */
  deviceConfigs(): { id: string; config: DeviceConfig | null }[] {
    this.configs ??= this.deviceIds().map((id) => ({ id, config: this.devices.configOf(id) }));
    return this.configs;
  }
}

export type CommitListener = (p: CommitProjection) => void;
type Subscriber = { listener: CommitListener; onError: (err: unknown) => void };

export class CommitFeed {
  private readonly subscribers = new Set<Subscriber>();

  constructor(
    private readonly queue: QueueService,
    private readonly devices: DeviceService,
    private readonly clock: Clock,
  ) {}

  /**
   * Follow commits. `onError` learns what the listener threw (log it there); nothing it
   * throws reaches the commit. Returns the unsubscribe function.
   */
  subscribe(listener: CommitListener, onError: (err: unknown) => void = (err) => console.error('commit listener failed', err)): () => void {
    const s = { listener, onError };
    this.subscribers.add(s);
    return () => this.subscribers.delete(s);
  }

  get size(): number {
    return this.subscribers.size;
  }

  /** Called by the unit of work after a top-level commit with changes. Never throws. */
  deliver(changes: ChangeSet): void {
    let projection: CommitProjection;
    try {
      if (changes.bindings) this.devices.invalidate();
      projection = new CommitProjection(changes, this.clock(), this.queue, this.devices);
    } catch (err) {
      for (const s of this.subscribers) report(s, err);
      return;
    }
    for (const s of this.subscribers) {
      try {
        s.listener(projection);
      } catch (err) {
        report(s, err);
      }
    }
  }
}

function report(s: Subscriber, err: unknown): void {
  try {
    s.onError(err);
  } catch {
    // An error handler that fails too has nowhere left to report; the commit stands.
  }
}
