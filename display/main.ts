// The display program: a window board (its window's ticket) or the waiting-hall board
// with its spoken calls, by SHUBBAK_DISPLAY_KIND. startWindowBoard()/startHallBoard()
// return handles; run directly (display.service / hall.service) it reads the environment.
import { EventEmitter } from 'node:events';
import { execFile } from 'node:child_process';
import path from 'node:path';
import type { DeviceLink, DeviceLinkOptions } from '@shubbak/protocol/device-link';
import type { HallAnnounce } from '@shubbak/protocol';
import type { AudioPlayer, DigitsDisplay, HallBoard } from '@shubbak/hardware/types.ts';
import { createHallHardware, createWindowBoardHardware, type HallHardwareConfig, type SimControl, type WindowBoardHardwareConfig } from '@shubbak/hardware/devices.ts';
import { boardHealth, boardLogLine, type BoardStatus } from '@shubbak/hardware/board.ts';
import { firmataTiming } from '@shubbak/protocol/device-env';
import { loadDisplayConfig, type DisplayProgramConfig } from './config.ts';
import { openBoardLink, wireHallLink, wireWindowBoardLink } from './link.ts';
import { BLINK_MS, hallBoardStep, initialHallBoard, initialWindowBoard, windowBoardStep, type BoardEvent, type HallBoardState, type HallEvent, type WindowBoardState } from './logic.ts';
import { Announcer, ensureClips } from './audio.ts';
import { announcementClips } from './speech.ts';
import { isProgramEntry } from '@shubbak/protocol/entry';

export type WindowBoardIo = { digits: DigitsDisplay; close(): Promise<void>; sim?: SimControl | null };
export type HallIo = { board: HallBoard; player: AudioPlayer; close(): Promise<void>; sim?: SimControl | null };

type Common = { config?: DisplayProgramConfig; link?: Partial<DeviceLinkOptions>; log?: (m: string) => void };

/** The board's state goes to the log and to the health topic (the link exists before the board answers). */
function boardReporter(link: DeviceLink, log: (m: string) => void): (s: BoardStatus) => void {
  return (s) => {
    log(boardLogLine(s));
    link.updateHealth({ board: boardHealth(s) });
  };
}

async function orClose<T>(link: DeviceLink, p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (err) {
    await link.close().catch(() => {});
    throw err;
  }
}

export type WindowBoardHandle = {
  link: DeviceLink; io: WindowBoardIo; state(): WindowBoardState;
  events: EventEmitter<{ shown: [{ text: string; blink: boolean }] }>;
  stop(): Promise<void>;
};

export async function startWindowBoard(opts: Common & { io?: WindowBoardIo; hardware?: Partial<WindowBoardHardwareConfig> } = {}): Promise<WindowBoardHandle> {
  const cfg = opts.config ?? loadDisplayConfig();
  const log = opts.log ?? ((m: string) => console.log(`[${cfg.env.deviceId}] ${m}`));
  const link = openBoardLink(cfg.env, 'display', opts.link);
  link.on('error', (err) => log(`link: ${err.message}`));
  // Hub events that come while the board is still opening wait for it, in order.
  const early: BoardEvent[] = [];
  let live: ((e: BoardEvent) => void) | null = null;
  const unwire = wireWindowBoardLink(link, (e: BoardEvent) => (live ? live(e) : void early.push(e)));
  const over = opts.hardware ?? {};
  const io = opts.io ?? (await orClose(link, createWindowBoardHardware({
    io: cfg.env.io, digitsPins: cfg.digitsPins, digitsWidth: cfg.digitsWidth, firmataPort: cfg.firmataPort, ...over,
    board: { ...firmataTiming(cfg.env), ...over.board, onStatus: boardReporter(link, log) },
  })));
  const events = new EventEmitter<{ shown: [{ text: string; blink: boolean }] }>();
  let state = initialWindowBoard;
  let blinkTimer: NodeJS.Timeout | null = null;
  let stopped = false;
  const dispatch = (ev: BoardEvent) => {
    if (stopped) return;
    const r = windowBoardStep(state, ev);
    state = r.state;
    for (const e of r.effects) {
      if (blinkTimer) clearTimeout(blinkTimer);
      if (e.text) io.digits.show(e.text, { blink: e.blink });
      else io.digits.clear();
      if (e.blink) blinkTimer = setTimeout(() => dispatch({ type: 'blinkDone' }), BLINK_MS);
      events.emit('shown', e);
    }
  };
  dispatch({ type: 'offline' });
  live = dispatch;
  for (const e of early.splice(0)) dispatch(e);
  return {
    link, io, events, state: () => state,
    async stop() {
      if (stopped) return;
      stopped = true;
      if (blinkTimer) clearTimeout(blinkTimer);
      unwire();
      io.digits.clear();
      await link.close().catch(() => {});
      await io.close();
    },
  };
}

export type HallHandle = {
  link: DeviceLink; io: HallIo; announcer: Announcer; state(): HallBoardState;
  /** The calls handed to the player, newest last, with their words. */
  calls: { call: HallAnnounce; words: string }[];
  events: EventEmitter<{ shown: [HallBoardState]; announced: [HallAnnounce] }>;
  stop(): Promise<void>;
};

/** Plays a WAV through ALSA's aplay; one file at a time (the Announcer serializes). */
export function aplayPlayer(device?: string): AudioPlayer {
  return {
    play: (file) => new Promise((resolve, reject) => {
      execFile('aplay', ['-q', ...(device ? ['-D', device] : []), file], (err) => (err ? reject(err) : resolve()));
    }),
    close: () => {},
  };
}

export async function startHallBoard(opts: Common & { io?: HallIo; hardware?: Partial<HallHardwareConfig> } = {}): Promise<HallHandle> {
  const cfg = opts.config ?? loadDisplayConfig();
  const log = opts.log ?? ((m: string) => console.log(`[${cfg.env.deviceId}] ${m}`));
  // The voice must work with the hub down: clips are made locally (quick no-op when present).
  await ensureClips(cfg.clipDir).catch((err: Error) => log(`voice clips unavailable: ${err.message}`));
  const link = openBoardLink(cfg.env, 'hall', opts.link);
  link.on('error', (err) => log(`link: ${err.message}`));
  // Hub events that come while the board is still opening wait for it, in order.
  const early: HallEvent[] = [];
  // A call announced before the board is up is not spoken late.
  let liveAnnounce: ((a: HallAnnounce) => void) | null = null;
  let live: ((e: HallEvent) => void) | null = null;
  const unwire = wireHallLink(link, (e: HallEvent) => (live ? live(e) : void early.push(e)), (a: HallAnnounce) => liveAnnounce?.(a));
  const over = opts.hardware ?? {};
  const io = opts.io ?? (await orClose(link, (async () => {
    const hw = await createHallHardware({
      io: cfg.env.io, rows: cfg.hallRows, digitsPins: cfg.digitsPins, firmataPort: cfg.firmataPort, ...over,
      board: { ...firmataTiming(cfg.env), ...over.board, onStatus: boardReporter(link, log) },
    });
    return { ...hw, player: cfg.player === 'aplay' ? aplayPlayer(cfg.audioDevice) : hw.player };
  })()));
  const events = new EventEmitter<{ shown: [HallBoardState]; announced: [HallAnnounce] }>();
  const announcer = new Announcer(io.player, cfg.clipDir, (err) => log(`announce: ${(err as Error).message}`));
  const calls: HallHandle['calls'] = [];
  let state = initialHallBoard;
  let stopped = false;
  const dispatch = (ev: HallEvent) => {
    if (stopped) return;
    const r = hallBoardStep(state, ev);
    state = r.state;
    for (const e of r.effects) {
      if (e.type === 'show') io.board.show(e.rows);
      else io.board.clear();
      events.emit('shown', state);
    }
  };
  const announce = (a: HallAnnounce) => {
    if (stopped) return;
    try {
      calls.push({ call: a, words: announcementClips(a).map((c) => c.text).filter(Boolean).join(' ') });
      if (calls.length > 20) calls.shift();
    } catch {
      /* the Announcer reports a call it cannot say */
    }
    void announcer.announce(a);
    events.emit('announced', a);
  };
  dispatch({ type: 'offline' });
  live = dispatch;
  liveAnnounce = announce;
  for (const e of early.splice(0)) dispatch(e);
  return {
    link, io, announcer, calls, events, state: () => state,
    async stop() {
      if (stopped) return;
      stopped = true;
      unwire();
      announcer.close();
      io.board.clear();
      await link.close().catch(() => {});
      await io.close();
    },
  };
}

if (isProgramEntry(import.meta.url, 'display/main')) {
  const cfg = loadDisplayConfig();
  const board = cfg.kind === 'hall' ? await startHallBoard({ config: cfg }) : await startWindowBoard({ config: cfg });
  console.log(`[${cfg.env.deviceId}] ${cfg.kind} board started (${path.basename(cfg.clipDir)})`);
  const shutdown = () => void board.stop().then(() => process.exit(0));
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}
