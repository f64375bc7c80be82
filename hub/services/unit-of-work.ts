// Every write runs in one SQLite transaction and records what it changed (windows, lines,
// the hall, devices, bindings, announcements). Only after the commit — once the change is
// durable — are those changes handed on, once, to the commit feed (services/commit-feed.ts),
// so no device or panel ever sees a state that a crash could still take back. The hand-over
// cannot fail the write: the feed isolates its listeners, and the result of a committed
// transaction is returned whatever happens after the commit. Before-commit hooks (beforeCommit)
// run inside the top-level transaction once its work is done, for writes that must commit
// with it or not at all (the SMS outbox, hub/sms/triggers.ts; the central outbox,
// hub/federation/outbox.ts).
import type { HallAnnounce, IssuedTicket } from '@shubbak/protocol';
import type { Db } from '../db/connection.ts';

export class ChangeSet {
  readonly windows = new Set<number>();
  readonly lines = new Set<string>();
  readonly devices = new Set<string>();
  /** Free-form topics for the panels' live feed (e.g. 'files', 'payments'). */
  readonly topics = new Set<string>();
  hall = false;
  /**
   * Which lines a window serves, or which lines exist, changed: every device's config may
   * have changed with it (a keypad's config lists its window's lines, a kiosk's its buttons).
   */
  bindings = false;
  readonly announces: HallAnnounce[] = [];
  /** Tickets a kiosk's touch screen issued, for that kiosk to print once committed (issue 14 item 2). */
  readonly prints: { deviceId: string; ticket: IssuedTicket }[] = [];

  merge(other: ChangeSet): void {
    for (const w of other.windows) this.windows.add(w);
    for (const l of other.lines) this.lines.add(l);
    for (const d of other.devices) this.devices.add(d);
    for (const t of other.topics) this.topics.add(t);
    this.hall ||= other.hall;
    this.bindings ||= other.bindings;
    this.announces.push(...other.announces);
    this.prints.push(...other.prints);
  }

  get empty(): boolean {
    return !this.windows.size && !this.lines.size && !this.devices.size && !this.topics.size && !this.hall && !this.bindings && !this.announces.length && !this.prints.length;
  }
}

/**
 * Runs inside the top-level transaction, after its work and before the commit, with all it
 * changed (even nothing of the public state): what it writes commits or rolls back with the
 * change; throwing rolls the whole transaction back.
 */
export type BeforeCommit = (changes: ChangeSet) => void;

export class UnitOfWork {
  private readonly stack: ChangeSet[] = [];
  private readonly beforeCommitHooks: BeforeCommit[] = [];
  private readonly bumpWindow;
  private readonly bumpLine;
  private readonly bumpHall;
  /**
   * One transaction function for every run (better-sqlite3 picks BEGIN or a savepoint by
   * db.inTransaction at each call): building a new one per run cost ~11 µs, three times per
   * device command (issue 16 item 3, measured with --cpu-prof).
   */
  private readonly tx: (fn: () => unknown, top: boolean, changes: ChangeSet) => unknown;

  constructor(
    private readonly db: Db,
    private readonly onCommit: (changes: ChangeSet) => void,
  ) {
    this.bumpWindow = db.prepare('UPDATE windows SET seq = seq + 1 WHERE number = ?');
    this.bumpLine = db.prepare('UPDATE lines SET seq = seq + 1 WHERE letter = ?');
    this.bumpHall = db.prepare("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'hall_seq'");
    this.tx = db.transaction((fn: () => unknown, top: boolean, changes: ChangeSet) => {
      const r = fn();
      // Writes that follow from what this transaction changed, committed with it (the SMS outbox, the central outbox).
      if (top) for (const h of this.beforeCommitHooks) h(changes);
      return r;
    });
  }

  /**
   * Run fn in a transaction (a savepoint when nested). Its changes reach the parent on
   * success and are dropped with the rollback on failure.
   */
  run<T>(fn: () => T): T {
    const changes = new ChangeSet();
    const top = this.stack.length === 0;
    this.stack.push(changes);
    let result: T;
    try {
      result = this.tx(fn, top, changes) as T;
    } finally {
      this.stack.pop();
    }
    const parent = this.stack.at(-1);
    if (parent) parent.merge(changes);
    else if (!changes.empty) {
      try {
        this.onCommit(changes);
      } catch (err) {
        // The feed never throws; should it, the transaction still committed and its result stands.
        console.error('commit hand-over failed', err);
      }
    }
    return result;
  }

  /** Add a hook run before each top-level commit (several may be added, run in order). Returns its removal. */
  beforeCommit(hook: BeforeCommit): () => void {
    this.beforeCommitHooks.push(hook);
    return () => {
      const i = this.beforeCommitHooks.indexOf(hook);
      if (i >= 0) this.beforeCommitHooks.splice(i, 1);
    };
  }

  get inside(): boolean {
    return this.stack.length > 0;
  }

  private get current(): ChangeSet {
    const c = this.stack.at(-1);
    if (!c) throw new Error('a write outside a unit of work');
    return c;
  }

  private seen(pick: (c: ChangeSet) => boolean): boolean {
    return this.stack.some(pick);
  }

  /** The window's public state changed: its seq grows by one per transaction. */
  window(n: number): void {
    if (!this.seen((c) => c.windows.has(n))) this.bumpWindow.run(n);
    this.current.windows.add(n);
  }

  line(letter: string): void {
    if (!this.seen((c) => c.lines.has(letter))) this.bumpLine.run(letter);
    this.current.lines.add(letter);
  }

  hall(): void {
    if (!this.seen((c) => c.hall)) this.bumpHall.run();
    this.current.hall = true;
  }

  announce(a: HallAnnounce): void {
    this.current.announces.push(a);
  }

  /** The kiosk is to print this ticket once the transaction commits (hub/broker/publisher.ts sends it). */
  print(deviceId: string, ticket: IssuedTicket): void {
    this.current.prints.push({ deviceId, ticket });
  }

  /** Window ↔ line bindings or the set of lines changed (device configs follow). */
  bindings(): void {
    this.current.bindings = true;
  }

  device(id: string): void {
    this.current.devices.add(id);
  }

  topic(name: string): void {
    this.current.topics.add(name);
  }
}
