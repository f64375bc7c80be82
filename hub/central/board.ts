// The governorate's live board (issue 13, item 4), as a pure reducer: the events every
// center's hub forwards to the CENTER_EVENTS stream (hub/federation/forwarder.ts:
// CentralEvent = { center, seq, kind, topic, at, payload }, one outbox row each,
// hub/federation/outbox.ts) → one board per center: waiting per line, windows open and
// serving, the devices down and the open device alerts, the last seq applied and its time.
// No I/O here; the central store (store.ts) keeps the boards and the applied events in
// SQLite, the consumer (consumer.ts) feeds it from JetStream.
//
// The stream delivers at least once, so the reducer must stand:
// - duplicates: a (center, seq) already applied changes nothing (counted, not applied);
// - gaps: a seq past lastSeq + 1 is applied (state rows are whole values, not deltas) and
//   the seqs skipped are reported as missing ranges — never guessed; a missing seq that
//   arrives later fills its range and is applied;
// - order: every state entry (a line, a window, the hall, the alerts) remembers the seq that
//   set it and only a higher seq replaces it, so a late row never takes a board back;
// - centers are independent: interleaving across centers does not matter;
// - a hub that restarts goes on with its own sequence (outbox.seq is AUTOINCREMENT and kept
//   in its database), and may send again the row in flight when it stopped: a duplicate.
// - bad input (issue 13, "Bad input and faults"): a malformed event, a center id that is not
//   the subject's, a state that does not fit the device contract's schema, a closed day's
//   report facts not in the center's shape (reports.ts) — refused with a stable code,
//   counted on its center, and never changes a board or a report.
import { CENTER_ID, validate, type HallCall } from '@shubbak/protocol';
import type { CentralEvent } from '../federation/forwarder.ts';
import { checkCenterDay, checkQueueDay } from './reports.ts';

const KINDS = new Set(['state', 'event', 'alerts', 'report']);
/** A domain event's type as the outbox writes it: `ticket.<event>` or an audited action. */
const EVENT_TYPE = /^[a-z][a-z_]{0,30}(\.[a-z][a-z_]{0,30}){1,2}$/;

export type LineEntry = { line: string; name: string; open: boolean; waiting: number; estimatedWaitMin: number; seq: number };
export type WindowEntry = { window: number; label: string; status: 'idle' | 'serving' | 'paused' | 'closed'; ticket: string | null; line: string | null; seq: number };
export type AlertEntry = { id: number; device: string; kind: string; raisedAt: number; acknowledged: boolean };

export type CenterBoard = {
  center: string;
  /** Per line letter, as of the highest seq that set it. */
  lines: Record<string, LineEntry>;
  /** Per window number. */
  windows: Record<string, WindowEntry>;
  /** The device alerts still open (the hub sends the whole list after each change). */
  alerts: AlertEntry[];
  alertsSeq: number;
  /** The hall's last calls (newest first, as the hub keeps them). */
  calls: HallCall[];
  callsSeq: number;
  /** The highest seq applied, and the hub's time (`at`) of that row. */
  lastSeq: number;
  lastAt: number | null;
  /** Seqs never received, as inclusive ranges [from, to], ascending. */
  missing: [number, number][];
  /** Domain events applied, by type (ticket.issued, file.approve…): each (center, seq) once. */
  events: Record<string, number>;
  applied: number;
  duplicates: number;
  refused: number;
};

export type Refusal = { code: 'BAD_EVENT' | 'WRONG_CENTER' | 'BAD_STATE' | 'BAD_REPORT'; reason: string };
export type Outcome = { result: 'applied' } | { result: 'duplicate' } | ({ result: 'refused' } & Refusal);

export function emptyBoard(center: string): CenterBoard {
  return {
    center, lines: {}, windows: {}, alerts: [], alertsSeq: 0, calls: [], callsSeq: 0,
    lastSeq: 0, lastAt: null, missing: [], events: {}, applied: 0, duplicates: 0, refused: 0,
  };
}

const isInt = (v: unknown, min: number): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= min;

/**
 * A message from the stream → a well-formed CentralEvent, or why not. `subject` is where the
 * stream stored it (centers.<center>.<kind>): NATS permissions let a center publish only on
 * its own subjects, so the subject is the authority and a payload naming another center (or
 * another kind) is refused.
 */
export function checkEvent(raw: unknown, subject?: string): { ok: true; event: CentralEvent } | ({ ok: false; center: string | null } & Refusal) {
  const sub = subject?.split('.');
  const subjectCenter = sub && sub.length === 3 && sub[0] === 'centers' && CENTER_ID.test(sub[1]) ? sub[1] : null;
  const bad = (reason: string, center: string | null = subjectCenter) => ({ ok: false as const, center, code: 'BAD_EVENT' as const, reason });
  if (subject !== undefined && !subjectCenter) return bad(`subject ${subject.slice(0, 80)} is not centers.<center>.<kind>`);
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return bad('not a JSON object');
  const e = raw as Record<string, unknown>;
  if (typeof e.center !== 'string' || !CENTER_ID.test(e.center)) return bad('center is not a center id');
  if (subjectCenter && e.center !== subjectCenter) {
    return { ok: false, center: subjectCenter, code: 'WRONG_CENTER', reason: `center ${e.center} sent on ${subject}` };
  }
  if (!isInt(e.seq, 1)) return bad('seq is not a positive integer', e.center);
  if (typeof e.kind !== 'string' || !KINDS.has(e.kind)) return bad('kind is not state, event, alerts or report', e.center);
  if (sub && sub[2] !== e.kind) return bad(`kind ${e.kind} sent on ${subject}`, e.center);
  if (typeof e.topic !== 'string' || !e.topic || e.topic.length > 200) return bad('topic is missing', e.center);
  // A domain event's type names a counter on the board: only the outbox's shape (ticket.called,
  // file.approve, payment_order.collect…), so a center cannot grow its board with made-up keys.
  if (e.kind === 'event' && !EVENT_TYPE.test(e.topic)) return bad(`event type ${e.topic.slice(0, 80)} is not a domain event's`, e.center);
  if (e.kind === 'alerts' && e.topic !== 'alerts') return bad('alerts are sent on the topic "alerts"', e.center);
  if (e.kind === 'report' && e.topic !== 'report.day' && e.topic !== 'report.queue') return bad('report facts are sent on the topics "report.day" and "report.queue"', e.center);
  if (!isInt(e.at, 0)) return bad('at is not a time', e.center);
  if (e.kind === 'alerts') {
    if (!Array.isArray(e.payload) || !e.payload.every(isAlert)) return bad('alerts is not a list of open alerts', e.center);
  } else if (!e.payload || typeof e.payload !== 'object') return bad('payload is not an object', e.center);
  return { ok: true, event: { center: e.center, seq: e.seq, kind: e.kind as CentralEvent['kind'], topic: e.topic, at: e.at, payload: e.payload } };
}

function isAlert(a: unknown): a is AlertEntry {
  if (!a || typeof a !== 'object') return false;
  const o = a as Record<string, unknown>;
  return isInt(o.id, 1) && typeof o.device === 'string' && typeof o.kind === 'string' && isInt(o.raisedAt, 0) && typeof o.acknowledged === 'boolean';
}

/** Where a seq falls: new (past lastSeq), a missing one arriving late, or one already applied. */
function place(b: CenterBoard, seq: number): 'new' | 'late' | 'seen' {
  if (seq > b.lastSeq) return 'new';
  return b.missing.some(([from, to]) => seq >= from && seq <= to) ? 'late' : 'seen';
}

/** The missing ranges without this seq. */
function fill(missing: [number, number][], seq: number): [number, number][] {
  const out: [number, number][] = [];
  for (const [from, to] of missing) {
    if (seq < from || seq > to) out.push([from, to]);
    else {
      if (from < seq) out.push([from, seq - 1]);
      if (seq < to) out.push([seq + 1, to]);
    }
  }
  return out;
}

/**
 * One event onto its center's board (undefined = the center's first): the new board (the
 * one given is not changed) and what became of the event. The event's center must be the
 * board's; give checkEvent's output, not raw input.
 */
export function applyEvent(board: CenterBoard | undefined, ev: CentralEvent): { board: CenterBoard; outcome: Outcome } {
  const b0 = board ?? emptyBoard(ev.center);
  if (b0.center !== ev.center) throw new Error(`event of ${ev.center} applied to the board of ${b0.center}`);
  const where = place(b0, ev.seq);
  if (where === 'seen') return { board: { ...b0, duplicates: b0.duplicates + 1 }, outcome: { result: 'duplicate' } };

  const b: CenterBoard = { ...b0 };
  const refuse = (code: Refusal['code'], reason: string) => ({ board: { ...b0, refused: b0.refused + 1 }, outcome: { result: 'refused' as const, code, reason } });
  if (ev.kind === 'state') {
    const v = validate(ev.topic, JSON.stringify(ev.payload));
    if (!v.ok) return refuse('BAD_STATE', v.error.message);
    const m = v.message;
    if (m.kind === 'lineState') {
      const cur = b.lines[m.line];
      if (m.payload.line !== m.line) return refuse('BAD_STATE', `line ${m.payload.line} sent on ${ev.topic}`);
      if (!cur || cur.seq < ev.seq) {
        const p = m.payload;
        b.lines = { ...b.lines, [m.line]: { line: p.line, name: p.name, open: p.open, waiting: p.waiting, estimatedWaitMin: p.estimatedWaitMin, seq: ev.seq } };
      }
    } else if (m.kind === 'windowState') {
      const cur = b.windows[m.window];
      if (m.payload.window !== m.window) return refuse('BAD_STATE', `window ${m.payload.window} sent on ${ev.topic}`);
      if (!cur || cur.seq < ev.seq) {
        const p = m.payload;
        b.windows = { ...b.windows, [m.window]: { window: p.window, label: p.label, status: p.status, ticket: p.ticket, line: p.line, seq: ev.seq } };
      }
    } else if (m.kind === 'hallCalls') {
      if (b.callsSeq < ev.seq) {
        b.calls = m.payload.calls;
        b.callsSeq = ev.seq;
      }
    } else {
      return refuse('BAD_STATE', `${ev.topic} is not a state the outbox sends`);
    }
  } else if (ev.kind === 'report') {
    // A closed day's report facts (reports.ts): kept by the store, newest per day; on the
    // board only its place in the center's sequence. One that is not a center's day is refused.
    const bad = ev.topic === 'report.queue' ? checkQueueDay(ev.payload) : checkCenterDay(ev.payload);
    if (bad) return refuse('BAD_REPORT', `${ev.topic}: ${bad}`);
  } else if (ev.kind === 'alerts') {
    if (b.alertsSeq < ev.seq) {
      b.alerts = (ev.payload as AlertEntry[]).map((a) => ({ id: a.id, device: a.device, kind: a.kind, raisedAt: a.raisedAt, acknowledged: a.acknowledged }));
      b.alertsSeq = ev.seq;
    }
  } else {
    // A domain event: counted once per (center, seq), whatever the order.
    b.events = { ...b.events, [ev.topic]: (b.events[ev.topic] ?? 0) + 1 };
  }

  if (where === 'new') {
    if (ev.seq > b.lastSeq + 1) b.missing = [...b.missing, [b.lastSeq + 1, ev.seq - 1]];
    b.lastSeq = ev.seq;
    b.lastAt = ev.at;
  } else {
    b.missing = fill(b.missing, ev.seq);
  }
  b.applied++;
  return { board: b, outcome: { result: 'applied' } };
}

/** Events (in any order across centers) onto the boards: the new boards and each event's outcome. */
export function reduce(events: readonly CentralEvent[], boards: Readonly<Record<string, CenterBoard>> = {}): { boards: Record<string, CenterBoard>; outcomes: Outcome[] } {
  const out: Record<string, CenterBoard> = { ...boards };
  const outcomes: Outcome[] = [];
  for (const ev of events) {
    const r = applyEvent(out[ev.center], ev);
    out[ev.center] = r.board;
    outcomes.push(r.outcome);
  }
  return { boards: out, outcomes };
}

/** A refused message counted on its center's board (the board changes in nothing else). */
export function countRefused(board: CenterBoard | undefined, center: string): CenterBoard {
  const b = board ?? emptyBoard(center);
  return { ...b, refused: b.refused + 1 };
}

export type CenterSummary = {
  center: string;
  /** Tickets waiting, per line letter (lines as last reported), and in all. */
  waiting: Record<string, number>;
  waitingTotal: number;
  linesOpen: number;
  /** Windows not closed (idle, serving or paused), and those serving a ticket now. */
  windowsOpen: number;
  windowsServing: number;
  /** Devices with an open 'offline' alert. */
  devicesDown: string[];
  openAlerts: number;
  lastSeq: number;
  lastAt: number | null;
  missing: [number, number][];
  missingCount: number;
  duplicates: number;
  refused: number;
};

export function summarize(b: CenterBoard): CenterSummary {
  const lines = Object.values(b.lines).sort((x, y) => x.line.localeCompare(y.line));
  const windows = Object.values(b.windows);
  return {
    center: b.center,
    waiting: Object.fromEntries(lines.map((l) => [l.line, l.waiting])),
    waitingTotal: lines.reduce((s, l) => s + l.waiting, 0),
    linesOpen: lines.filter((l) => l.open).length,
    windowsOpen: windows.filter((w) => w.status !== 'closed').length,
    windowsServing: windows.filter((w) => w.status === 'serving').length,
    devicesDown: [...new Set(b.alerts.filter((a) => a.kind === 'offline').map((a) => a.device))].sort(),
    openAlerts: b.alerts.length,
    lastSeq: b.lastSeq,
    lastAt: b.lastAt,
    missing: b.missing,
    missingCount: b.missing.reduce((s, [f, t]) => s + t - f + 1, 0),
    duplicates: b.duplicates,
    refused: b.refused,
  };
}
