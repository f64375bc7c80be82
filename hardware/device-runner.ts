// The skeleton every device program shares (issue 12 item 8): link → hardware → state
// machine → effects. A program (kiosk/, counter-keypad/, display/) gives its link, how hub
// events become its machine's events, how to open its hardware, its pure step function
// and how to carry out each effect; runDevice does the rest, once for all of them:
//  - the link is opened first, so while the board is not answering the health topic says why
//    (each board status goes to the log and to the device's health);
//  - hub events that come while the board is still opening wait, and are replayed in order;
//  - if the hardware cannot be opened the link is closed and the error thrown;
//  - every event runs the step function, then the effects, then emits 'state';
//  - stop() is idempotent: no event is handled after it, the program's own teardown runs,
//    then the link (saying "offline") and the hardware close;
//  - a stop asked for while the hardware is still opening (spec.signal aborted: a SIGTERM
//    while the Arduino is unplugged, or the simulator's modules still loading) closes the
//    link at once and rejects with DeviceStopped; hardware that opens later is closed.
// serveDevice() runs a program as a service: SIGTERM/SIGINT are handled from the first
// moment, not only once the program has started (before, a SIGTERM while the link was
// already connecting but the hardware not yet open killed the process by the signal's
// default action: no "offline" said, and tests/tls/device-refuses.test.ts hung on it).
import { EventEmitter } from 'node:events';
import type { DeviceLink } from '@shubbak/protocol/device-link';
import { boardHealth, boardLogLine, type BoardStatus } from './board.ts';

export type Step<S, E, F> = (state: S, event: E) => { state: S; effects: readonly F[] };

/** What a program does with its hardware once it is open. */
export type DeviceEffects<F> = {
  /** Carries out one effect of the machine. */
  run(effect: F): void;
  /** Before the machine goes live: attach hardware listeners, first events (e.g. 'offline'). */
  start?(): void;
  /** After the events that came early are replayed (may wait, e.g. a printer's first status). */
  started?(): void | Promise<void>;
  /** Teardown before the link and the hardware close: listeners off, lamps and digits dark. */
  stop?(): void;
};

export type DeviceSpec<Io extends { close(): Promise<void> }, S, E, F> = {
  link: DeviceLink;
  log: (msg: string) => void;
  /** Hub events → machine events; returns the unsubscribe. */
  wire(link: DeviceLink, dispatch: (e: E) => void): () => void;
  /** Opens the hardware; onBoard gets every board status (also before the first open succeeds). */
  openIo(onBoard: (s: BoardStatus) => void): Promise<Io>;
  initial: S;
  step: Step<S, E, F>;
  effects(ctx: { io: Io; link: DeviceLink; dispatch: (e: E) => void; state: () => S; stopped: () => boolean }): DeviceEffects<F>;
  /** Aborted = stop while starting: runDevice closes the link and rejects with DeviceStopped. */
  signal?: AbortSignal;
};

/** runDevice's rejection when it was stopped (its signal aborted) before the hardware opened. */
export class DeviceStopped extends Error {
  override name = 'DeviceStopped';
  constructor() {
    super('stopped before the hardware was open');
  }
}

export type RunningDevice<Io, S, E> = {
  io: Io;
  state(): S;
  dispatch(e: E): void;
  /** 'state' after every event. */
  events: EventEmitter<{ state: [S] }>;
  stop(): Promise<void>;
};

export async function runDevice<Io extends { close(): Promise<void> }, S, E, F>(spec: DeviceSpec<Io, S, E, F>): Promise<RunningDevice<Io, S, E>> {
  const { link, log } = spec;
  link.on('error', (err) => log(`link: ${err.message}`));
  const early: E[] = [];
  let live: ((e: E) => void) | null = null;
  const unwire = spec.wire(link, (e) => (live ? live(e) : void early.push(e)));
  const onBoard = (s: BoardStatus) => {
    log(boardLogLine(s));
    link.updateHealth({ board: boardHealth(s) });
  };
  let io: Io;
  const opening = spec.openIo(onBoard);
  let onAbort: (() => void) | null = null;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new DeviceStopped());
    if (spec.signal?.aborted) onAbort();
    else spec.signal?.addEventListener('abort', onAbort, { once: true });
  });
  aborted.catch(() => {});
  try {
    io = await Promise.race([opening, aborted]);
  } catch (err) {
    unwire();
    // Hardware that opens after the stop is closed, not left running.
    if (err instanceof DeviceStopped) opening.then((late) => late.close(), () => {}).catch(() => {});
    await link.close().catch(() => {});
    throw err;
  } finally {
    if (onAbort) spec.signal?.removeEventListener('abort', onAbort);
  }
  const events = new EventEmitter<{ state: [S] }>();
  let state = spec.initial;
  let stopped = false;
  const dispatch = (ev: E): void => {
    if (stopped) return;
    const r = spec.step(state, ev);
    state = r.state;
    for (const f of r.effects) effects.run(f);
    events.emit('state', state);
  };
  const effects = spec.effects({ io, link, dispatch, state: () => state, stopped: () => stopped });
  effects.start?.();
  live = dispatch;
  for (const e of early.splice(0)) dispatch(e);
  await effects.started?.();
  return {
    io, events, dispatch, state: () => state,
    async stop() {
      if (stopped) return;
      stopped = true;
      unwire();
      effects.stop?.();
      await link.close().catch(() => {});
      await io.close();
    },
  };
}

/**
 * Runs a device program as a service (its `main` when started directly): SIGTERM and SIGINT
 * are handled from the first moment. Stopped while starting, the start is aborted (the link
 * says offline and closes); stopped once running, the program's stop() runs; either way the
 * process exits 0. A start that fails otherwise is logged and exits 1.
 */
export function serveDevice(start: (signal: AbortSignal) => Promise<{ stop(): Promise<void> }>, log: (msg: string) => void = console.error): void {
  const abort = new AbortController();
  const started = start(abort.signal);
  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    abort.abort();
    void started.then((d) => d.stop(), () => {}).then(() => process.exit(0));
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
  started.catch((err: unknown) => {
    if (stopping) return; // the stop above exits
    log(`could not start: ${(err as Error)?.stack ?? err}`);
    process.exit(1);
  });
}
