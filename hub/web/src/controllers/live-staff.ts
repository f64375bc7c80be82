// Back-office change notices for panels: one EventSource per page on /api/live/staff
// (SSE), shared by every panel, naming the topics a transaction touched ('files',
// 'payments' …) and devices whose presence changed; a panel refetches what it shows when
// one of its topics comes by, and on every (re)connect (changes are not replayed).
import type { ReactiveController, ReactiveControllerHost } from 'lit';

type StaffChange = { topics: string[]; devices: string[]; at: number };
type Listener = { hello(c: StaffChange): void; change(c: StaffChange): void };

class StaffFeed {
  private source: EventSource | null = null;
  private readonly listeners = new Set<Listener>();
  private last: StaffChange | null = null;

  subscribe(l: Listener): void {
    this.listeners.add(l);
    if (!this.source) this.open();
    else if (this.last) l.hello(this.last); // already connected: load now
  }

  unsubscribe(l: Listener): void {
    this.listeners.delete(l);
    if (!this.listeners.size) {
      this.source?.close();
      this.source = null;
      this.last = null;
    }
  }

  private open(): void {
    const es = new EventSource('/api/live/staff');
    this.source = es;
    es.addEventListener('hello', (e) => {
      this.last = JSON.parse((e as MessageEvent<string>).data) as StaffChange;
      for (const l of this.listeners) l.hello(this.last);
    });
    es.addEventListener('change', (e) => {
      const c = JSON.parse((e as MessageEvent<string>).data) as StaffChange;
      for (const l of this.listeners) l.change(c);
    });
    // A refused stream (e.g. 401 after the session ended) is closed for good: the next subscriber opens a new one.
    es.addEventListener('error', () => {
      if (es.readyState === EventSource.CLOSED && this.source === es) this.source = null;
    });
  }
}

const feed = new StaffFeed();

export class LiveStaffController implements ReactiveController {
  private readonly listener: Listener;

  constructor(host: ReactiveControllerHost, topics: string[], onChange: (change: StaffChange) => void) {
    this.listener = {
      hello: onChange,
      change: (c) => {
        if (c.topics.some((t) => topics.includes(t)) || (topics.includes('devices') && c.devices.length > 0)) onChange(c);
      },
    };
    host.addController(this);
  }

  hostConnected(): void {
    feed.subscribe(this.listener);
  }

  hostDisconnected(): void {
    feed.unsubscribe(this.listener);
  }
}
