// Live queue state for components: one EventSource per page on /api/live/queue (SSE),
// shared by every component that shows the queue (browsers allow only six connections
// per host), keeping the windows, lines and hall calls the hub pushes. A reconnect brings
// a fresh snapshot.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { HallAnnounce, HallCalls, LineState, WindowState } from '@shubbak/protocol';

export type LiveWindow = WindowState & { lines?: string[]; labelEn?: string };
export type LiveLine = LineState & { nameEn?: string };
type Snapshot = { windows: LiveWindow[]; lines: LiveLine[]; hall: HallCalls; at: number };
type Change = { windows: WindowState[]; lines: LineState[]; hall: HallCalls | null; announces: HallAnnounce[]; at: number };
type Listener = { changed(): void; announce(a: HallAnnounce): void };

/** The page's one queue feed; opened by the first subscriber, closed with the last. */
class QueueFeed {
  windows = new Map<number, LiveWindow>();
  lines = new Map<string, LiveLine>();
  hall: HallCalls = { calls: [], seq: 0 };
  connected = false;
  private source: EventSource | null = null;
  private readonly listeners = new Set<Listener>();

  subscribe(l: Listener): void {
    this.listeners.add(l);
    if (!this.source) this.open();
  }

  unsubscribe(l: Listener): void {
    this.listeners.delete(l);
    if (!this.listeners.size) {
      this.source?.close();
      this.source = null;
      this.connected = false;
    }
  }

  private open(): void {
    const es = new EventSource('/api/live/queue');
    this.source = es;
    es.addEventListener('snapshot', (e) => {
      const s = JSON.parse((e as MessageEvent<string>).data) as Snapshot;
      this.windows = new Map(s.windows.map((w) => [w.window, w]));
      this.lines = new Map(s.lines.map((l) => [l.line, l]));
      this.hall = s.hall;
      this.connected = true;
      this.notify();
    });
    es.addEventListener('change', (e) => {
      const c = JSON.parse((e as MessageEvent<string>).data) as Change;
      // seq guards against an older state overtaking a newer one.
      for (const w of c.windows) {
        const old = this.windows.get(w.window);
        if (!old || old.seq <= w.seq) this.windows.set(w.window, { ...old, ...w });
      }
      for (const l of c.lines) {
        const old = this.lines.get(l.line);
        if (!old || old.seq <= l.seq) this.lines.set(l.line, { ...old, ...l });
      }
      if (c.hall && c.hall.seq >= this.hall.seq) this.hall = c.hall;
      this.notify();
      for (const a of c.announces) for (const l of this.listeners) l.announce(a);
    });
    es.addEventListener('error', () => {
      this.connected = false;
      // Closed for good (not a transient drop, which EventSource retries by itself): reopen later.
      if (es.readyState === EventSource.CLOSED && this.source === es) {
        this.source = null;
        setTimeout(() => { if (!this.source && this.listeners.size) this.open(); }, 2000);
      }
      this.notify();
    });
  }

  private notify(): void {
    for (const l of this.listeners) l.changed();
  }
}

const feed = new QueueFeed();

export class LiveQueueController implements ReactiveController {
  /** Called for each announcement (not for snapshots: an old call is not re-announced). */
  onAnnounce: ((a: HallAnnounce) => void) | null = null;
  private readonly listener: Listener = {
    changed: () => this.host.requestUpdate(),
    announce: (a) => this.onAnnounce?.(a),
  };

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  get windows(): Map<number, LiveWindow> {
    return feed.windows;
  }

  get lines(): Map<string, LiveLine> {
    return feed.lines;
  }

  get hall(): HallCalls {
    return feed.hall;
  }

  get connected(): boolean {
    return feed.connected;
  }

  hostConnected(): void {
    feed.subscribe(this.listener);
  }

  hostDisconnected(): void {
    feed.unsubscribe(this.listener);
  }

  window(n: number): LiveWindow | undefined {
    return feed.windows.get(n);
  }
}
