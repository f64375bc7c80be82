// The governorate's central store (issue 13, item 4): one SQLite file (the hub's durable
// settings: WAL, synchronous=FULL; hub/db/connection.ts) holding every event applied from
// the CENTER_EVENTS stream — (center, seq) unique — and each center's board (board.ts) as
// of those events, written together in one transaction per batch. So a restart of the
// central service starts from the boards as they were at its last commit (nothing rebuilt
// from the stream), and an event the stream delivers again after a restart or a lost ack is
// found already applied and never counted twice. The consumer (consumer.ts) acknowledges a
// batch to JetStream only after applyBatch() returned (committed).
//
// Refusals (a malformed message, a center id not its subject's, a state outside the
// contract, a seq reused with other content — issue 13, "Bad input and faults") are logged
// in central_refused and counted on the center's board; they never change a board otherwise.
//
// The applied events are kept as they came, with the hub's `at`. A center's closed days for
// the governorate's reports ('report' rows) are kept besides, the newest row per (center,
// day) — a day sent again replaces it, an older seq arriving late does not — and its newest
// overdue snapshot; reports.ts adds them up. A refused row is never kept.
import type { Db } from '../db/connection.ts';
import { openPrivateDatabase } from '../db/connection.ts';
import type { CentralEvent } from '../federation/forwarder.ts';
import { applyEvent, checkEvent, countRefused, summarize, type CenterBoard, type CenterSummary } from './board.ts';
import type { CenterDay, CenterQueueDay, CenterRows } from './reports.ts';
import type { ExecutionNames, OverdueFile } from '../services/reports/execution.ts';

/** The store's schema; user_version says which is applied (a later slice adds 2, 3…). */
const SCHEMA: string[] = [
  `CREATE TABLE central_events (
    center TEXT NOT NULL,
    seq INTEGER NOT NULL,
    kind TEXT NOT NULL,
    topic TEXT NOT NULL,
    at INTEGER NOT NULL,          -- the hub's clock when it wrote the outbox row
    payload TEXT NOT NULL,        -- JSON as the hub sent it
    stream_seq INTEGER,           -- where CENTER_EVENTS held it
    received_at INTEGER NOT NULL,
    PRIMARY KEY (center, seq)
  ) WITHOUT ROWID;
  CREATE INDEX central_events_topic ON central_events (topic, at);
  CREATE TABLE central_boards (
    center TEXT PRIMARY KEY,
    board TEXT NOT NULL,          -- board.ts CenterBoard, JSON
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE central_refused (
    id INTEGER PRIMARY KEY,
    center TEXT,                  -- the subject's center (null when the subject names none)
    stream_seq INTEGER,
    code TEXT NOT NULL,           -- BAD_EVENT, WRONG_CENTER, BAD_STATE, SEQ_REUSED
    reason TEXT NOT NULL,
    at INTEGER NOT NULL
  );`,
  // The governorate's reports (reports.ts): each center's closed days, the newest row per
  // day (a center sends a day again when a late change made it remake it), and its newest
  // snapshot of files overdue.
  `CREATE TABLE central_report_days (
    center TEXT NOT NULL,
    kind TEXT NOT NULL,           -- 'execution' (report.day) or 'queue' (report.queue)
    day TEXT NOT NULL,
    seq INTEGER NOT NULL,         -- the center's outbox seq of the row kept: only a higher one replaces it
    payload TEXT NOT NULL,        -- reports.ts CenterDay or CenterQueueDay, JSON
    PRIMARY KEY (center, kind, day)
  ) WITHOUT ROWID;
  CREATE TABLE central_overdue (
    center TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,
    at INTEGER NOT NULL,          -- when the center read its overdue files
    files TEXT NOT NULL,          -- OverdueFile[], JSON
    names TEXT NOT NULL           -- ExecutionNames, JSON
  );`,
];

/** One message as the stream delivered it: its subject, its bytes, its stream sequence. */
export type StreamMessage = { subject: string; data: Uint8Array | string; streamSeq?: number };
export type BatchResult = { applied: number; duplicates: number; refused: number };
export type Refused = { id: number; center: string | null; streamSeq: number | null; code: string; reason: string; at: number };

const decoder = new TextDecoder();

export class CentralStore {
  readonly db: Db;
  private readonly q;
  /** The boards as committed: read by the API without touching SQLite. */
  private boardsNow = new Map<string, CenterBoard>();

  constructor(file: string, private readonly clock: () => number = Date.now) {
    this.db = openPrivateDatabase(file);
    const version = this.db.pragma('user_version', { simple: true }) as number;
    for (let v = version; v < SCHEMA.length; v++) {
      this.db.transaction(() => {
        this.db.exec(SCHEMA[v]);
        this.db.pragma(`user_version = ${v + 1}`);
      })();
    }
    this.q = {
      insert: this.db.prepare('INSERT INTO central_events (center, seq, kind, topic, at, payload, stream_seq, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
      stored: this.db.prepare<[string, number], { kind: string; topic: string; payload: string }>('SELECT kind, topic, payload FROM central_events WHERE center = ? AND seq = ?'),
      saveBoard: this.db.prepare('INSERT INTO central_boards (center, board, updated_at) VALUES (?, ?, ?) ON CONFLICT (center) DO UPDATE SET board = excluded.board, updated_at = excluded.updated_at'),
      boards: this.db.prepare<[], { board: string }>('SELECT board FROM central_boards ORDER BY center'),
      refuse: this.db.prepare('INSERT INTO central_refused (center, stream_seq, code, reason, at) VALUES (?, ?, ?, ?, ?)'),
      refusals: this.db.prepare<[number], { id: number; center: string | null; stream_seq: number | null; code: string; reason: string; at: number }>(
        'SELECT id, center, stream_seq, code, reason, at FROM central_refused ORDER BY id DESC LIMIT ?'),
      events: this.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM central_events'),
      keepDay: this.db.prepare(`INSERT INTO central_report_days (center, kind, day, seq, payload) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (center, kind, day) DO UPDATE SET seq = excluded.seq, payload = excluded.payload WHERE excluded.seq > central_report_days.seq`),
      keepOverdue: this.db.prepare(`INSERT INTO central_overdue (center, seq, at, files, names) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (center) DO UPDATE SET seq = excluded.seq, at = excluded.at, files = excluded.files, names = excluded.names WHERE excluded.seq > central_overdue.seq`),
      daysOf: this.db.prepare<[string, string], { center: string; kind: string; payload: string }>(
        'SELECT center, kind, payload FROM central_report_days WHERE day BETWEEN ? AND ? ORDER BY center, kind, day'),
      overdue: this.db.prepare<[], { center: string; at: number; files: string; names: string }>('SELECT center, at, files, names FROM central_overdue'),
      reportCenters: this.db.prepare<[], string>('SELECT DISTINCT center FROM central_report_days UNION SELECT center FROM central_overdue').pluck(),
    };
    for (const r of this.q.boards.all()) {
      const b = JSON.parse(r.board) as CenterBoard;
      this.boardsNow.set(b.center, b);
    }
  }

  /**
   * A batch from the stream, in the stream's order, in one transaction: each message checked,
   * applied to its center's board (or found a duplicate, or refused), the new events and the
   * changed boards written. Returns once committed; throws (nothing written) if SQLite fails.
   */
  applyBatch(msgs: readonly StreamMessage[]): BatchResult {
    const now = this.clock();
    const boards = new Map<string, CenterBoard>();
    const board = (c: string) => boards.get(c) ?? this.boardsNow.get(c);
    const result: BatchResult = { applied: 0, duplicates: 0, refused: 0 };
    const refuse = (center: string | null, m: StreamMessage, code: string, reason: string) => {
      this.q.refuse.run(center, m.streamSeq ?? null, code, reason.slice(0, 300), now);
      if (center) boards.set(center, countRefused(board(center), center));
      result.refused++;
    };
    this.db.transaction(() => {
      for (const m of msgs) {
        let raw: unknown;
        try {
          raw = JSON.parse(typeof m.data === 'string' ? m.data : decoder.decode(m.data));
        } catch {
          raw = undefined;
        }
        const c = checkEvent(raw, m.subject);
        if (!c.ok) {
          refuse(c.center, m, c.code, raw === undefined ? 'not JSON' : c.reason);
          continue;
        }
        const ev: CentralEvent = c.event;
        const before = board(ev.center);
        const r = applyEvent(before, ev);
        const payload = JSON.stringify(ev.payload);
        if (r.outcome.result === 'duplicate') {
          // The same seq again: a resend is the same row; other content is a seq reused
          // (a forged event, a hub restored from an old backup) — refused and logged.
          const had = this.q.stored.get(ev.center, ev.seq);
          if (had && (had.kind !== ev.kind || had.topic !== ev.topic || had.payload !== payload)) {
            refuse(ev.center, m, 'SEQ_REUSED', `seq ${ev.seq} again with other content (${ev.topic})`);
            continue;
          }
          boards.set(ev.center, r.board);
          result.duplicates++;
        } else if (r.outcome.result === 'refused') {
          this.q.refuse.run(ev.center, m.streamSeq ?? null, r.outcome.code, r.outcome.reason.slice(0, 300), now);
          boards.set(ev.center, r.board);
          result.refused++;
        } else {
          this.q.insert.run(ev.center, ev.seq, ev.kind, ev.topic, ev.at, payload, m.streamSeq ?? null, now);
          if (ev.kind === 'report' && ev.topic === 'report.queue') {
            this.q.keepDay.run(ev.center, 'queue', (ev.payload as CenterQueueDay).day, ev.seq, payload);
          } else if (ev.kind === 'report') {
            const d = ev.payload as CenterDay;
            this.q.keepDay.run(ev.center, 'execution', d.day, ev.seq, payload);
            if (d.overdue) this.q.keepOverdue.run(ev.center, ev.seq, d.at, JSON.stringify(d.overdue), JSON.stringify(d.names));
          }
          boards.set(ev.center, r.board);
          result.applied++;
        }
      }
      for (const [center, b] of boards) this.q.saveBoard.run(center, JSON.stringify(b), now);
    })();
    // Committed: the API sees the new boards.
    for (const [center, b] of boards) this.boardsNow.set(center, b);
    return result;
  }

  board(center: string): CenterBoard | undefined {
    return this.boardsNow.get(center);
  }

  boards(): CenterBoard[] {
    return [...this.boardsNow.values()].sort((a, b) => a.center.localeCompare(b.center));
  }

  summaries(): CenterSummary[] {
    return this.boards().map(summarize);
  }

  refusals(limit = 100): Refused[] {
    return this.q.refusals.all(limit).map((r) => ({ id: r.id, center: r.center, streamSeq: r.stream_seq, code: r.code, reason: r.reason, at: r.at }));
  }

  /**
   * Each center's closed days from `from` to `to` held (execution and queue), and its newest
   * overdue snapshot: what governorateExecution and governorateQueue (reports.ts) add up. Every center with report rows is listed.
   */
  reportRows(from: string, to: string): CenterRows[] {
    const out = new Map<string, CenterRows>();
    const of = (c: string) => {
      let r = out.get(c);
      if (!r) out.set(c, (r = { center: c, days: [], queueDays: [], overdue: null }));
      return r;
    };
    for (const c of this.q.reportCenters.all()) of(c);
    for (const r of this.q.daysOf.iterate(from, to)) {
      if (r.kind === 'queue') of(r.center).queueDays.push(JSON.parse(r.payload) as CenterQueueDay);
      else of(r.center).days.push(JSON.parse(r.payload) as CenterDay);
    }
    for (const o of this.q.overdue.all()) {
      of(o.center).overdue = { at: o.at, files: JSON.parse(o.files) as OverdueFile[], names: JSON.parse(o.names) as ExecutionNames };
    }
    return [...out.values()].sort((a, b) => a.center.localeCompare(b.center));
  }

  eventCount(): number {
    return this.q.events.get()!.n;
  }

  close(): void {
    this.db.close();
  }
}
