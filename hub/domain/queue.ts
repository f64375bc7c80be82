// Queue rules, pure: numbering, call order, no-show and recall limits, the wait estimate.
// No I/O and no clock of its own: callers pass the time and the facts.
import { DomainError } from './errors.ts';

/** 'A' + 12 → 'A012'; past 999 the number simply grows ('A1000'). */
export function ticketLabel(letter: string, number: number): string {
  return letter + String(number).padStart(3, '0');
}

export type WaitingVisit = { id: number; priority: boolean; queuedAt: number };

/** Call order: priority (elderly, disabled) first, then who has waited longest, then issue order. */
export function compareCallOrder(a: WaitingVisit, b: WaitingVisit): number {
  if (a.priority !== b.priority) return a.priority ? -1 : 1;
  if (a.queuedAt !== b.queuedAt) return a.queuedAt - b.queuedAt;
  return a.id - b.id;
}

export function chooseNext<T extends WaitingVisit>(waiting: readonly T[]): T | null {
  let best: T | null = null;
  for (const v of waiting) if (best === null || compareCallOrder(v, best) < 0) best = v;
  return best;
}

/** Mean of the recent service times, or the default while a line has no history. */
export function averageServiceMs(recentDurationsMs: readonly number[], defaultMs: number): number {
  const usable = recentDurationsMs.filter((d) => d > 0 && Number.isFinite(d));
  if (!usable.length) return defaultMs;
  return usable.reduce((a, b) => a + b, 0) / usable.length;
}

/** Estimated wait = people ahead × recent average service time ÷ open windows on that line. */
export function estimateWaitMin(ahead: number, avgServiceMs: number, openWindows: number): number {
  if (ahead <= 0) return 0;
  return Math.ceil((ahead * avgServiceMs) / Math.max(1, openWindows) / 60_000);
}

/** A no-show goes to the back of its line until it has missed `requeueLimit` calls, then it is dropped. */
export function noShowOutcome(noShowsSoFar: number, requeueLimit: number): 'requeue' | 'drop' {
  return noShowsSoFar < requeueLimit ? 'requeue' : 'drop';
}

/**
 * A requeued no-show goes behind everyone waiting at that moment, priority or not
 * (issue 11 item 4): it re-enters the line as an ordinary visit queued now. Only the visit
 * loses its priority; the ticket keeps it (a later transfer starts a priority visit again).
 */
export function requeuedPlace(now: number): { priority: false; queuedAt: number } {
  return { priority: false, queuedAt: now };
}

/** A paused window calls nobody: Next is refused until the clerk resumes (issue 11 item 3). */
export function assertCanCallNext(windowStatus: 'idle' | 'serving' | 'paused' | 'closed'): void {
  if (windowStatus === 'paused') throw new DomainError('WINDOW_PAUSED');
}

/**
 * Pausing never ends the service of the citizen at the window behind the clerk's back: with
 * a citizen there, pause is refused until Finish (PROTOCOL.md, window.pause).
 */
export function assertCanPause(citizenAtWindow: boolean): void {
  if (citizenAtWindow) throw new DomainError('TICKET_AT_WINDOW');
}

export function assertCanRecall(recallsSoFar: number, recallLimit: number): void {
  if (recallsSoFar >= recallLimit) throw new DomainError('RECALL_LIMIT');
}

export type VisitStatus = 'waiting' | 'called' | 'serving' | 'done' | 'no_show' | 'transferred' | 'parked' | 'cancelled';

/** A window acts on its current ticket only while that ticket is called or being served. */
export function isAtWindow(status: VisitStatus): boolean {
  return status === 'called' || status === 'serving';
}
