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
import { runDevice, serveDevice } from '@shubbak/hardware/device-runner.ts';
import { firmataTiming } from '@shubbak/protocol/device-env';
import { loadDisplayConfig, type DisplayProgramConfig } from './config.ts';
import { openBoardLink, wireHallLink, wireWindowBoardLink } from './link.ts';
import { BLINK_MS, hallBoardStep, initialHallBoard, initialWindowBoard, windowBoardStep, type BoardEvent, type HallBoardEffect, type HallBoardState, type HallEvent, type WindowBoardEffect, type WindowBoardState } from './logic.ts';
import { Announcer, ensureClips } from './audio.ts';
import { announcementClips } from './speech.ts';
import { isProgramEntry } from '@shubbak/protocol/entry';

export type WindowBoardIo = { digits: DigitsDisplay; close(): Promise<void>; sim?: SimControl | null };
export type HallIo = { board: HallBoard; player: AudioPlayer; close(): Promise<void>; sim?: SimControl | null };

type Common = {
  config?: DisplayProgramConfig; link?: Partial<DeviceLinkOptions>; log?: (m: string) => void;
  /** Aborted = stop while still starting (the program's SIGTERM): the start rejects with DeviceStopped. */
  signal?: AbortSignal;
};

export type WindowBoardHandle = {
  link: DeviceLink; io: WindowBoardIo; state(): WindowBoardState;
  events: EventEmitter<{ shown: [{ text: string; blink: boolean }] }>;
  stop(): Promise<void>;
};

export async function startWindowBoard(opts: Common & { io?: WindowBoardIo; hardware?: Partial<WindowBoardHardwareConfig> } = {}): Promise<WindowBoardHandle> {
  const cfg = opts.config ?? loadDisplayConfig();
  const log = opts.log ?? ((m: string) => console.log(`[${cfg.env.deviceId}] ${m}`));
  const link = openBoardLink(cfg.env, 'display', opts.link);
  const events: WindowBoardHandle['events'] = new EventEmitter();
  const over = opts.hardware ?? {};
  const device = await runDevice<WindowBoardIo, WindowBoardState, BoardEvent, WindowBoardEffect>({
    link, log, initial: initialWindowBoard, step: windowBoardStep, signal: opts.signal,
    wire: wireWindowBoardLink,
    openIo: (onBoard) => (opts.io ? Promise.resolve(opts.io) : createWindowBoardHardware({
      io: cfg.env.io, digitsPins: cfg.digitsPins, digitsWidth: cfg.digitsWidth, firmataPort: cfg.firmataPort, ...over,
      board: { ...firmataTiming(cfg.env), ...over.board, onStatus: onBoard },
    })),
    effects: ({ io, dispatch }) => {
      let blinkTimer: NodeJS.Timeout | null = null;
      return {
        run(e) {
          if (blinkTimer) clearTimeout(blinkTimer);
          if (e.text) io.digits.show(e.text, { blink: e.blink });
          else io.digits.clear();
          if (e.blink) blinkTimer = setTimeout(() => dispatch({ type: 'blinkDone' }), BLINK_MS);
          events.emit('shown', e);
        },
        start: () => dispatch({ type: 'offline' }),
        stop() {
          if (blinkTimer) clearTimeout(blinkTimer);
          io.digits.clear();
        },
      };
    },
  });
  return { link, io: device.io, events, state: device.state, stop: device.stop };
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
  const events: HallHandle['events'] = new EventEmitter();
  const calls: HallHandle['calls'] = [];
  // A call announced before the board is up is not spoken late.
  let announce: ((a: HallAnnounce) => void) | null = null;
  let announcer: Announcer | null = null;
  const over = opts.hardware ?? {};
  const device = await runDevice<HallIo, HallBoardState, HallEvent, HallBoardEffect>({
    link, log, initial: initialHallBoard, step: hallBoardStep, signal: opts.signal,
    wire: (l, dispatch) => wireHallLink(l, dispatch, (a: HallAnnounce) => announce?.(a)),
    openIo: async (onBoard) => {
      if (opts.io) return opts.io;
      const hw = await createHallHardware({
        io: cfg.env.io, rows: cfg.hallRows, digitsPins: cfg.digitsPins, firmataPort: cfg.firmataPort, ...over,
        board: { ...firmataTiming(cfg.env), ...over.board, onStatus: onBoard },
      });
      return { ...hw, player: cfg.player === 'aplay' ? aplayPlayer(cfg.audioDevice) : hw.player };
    },
    effects: ({ io, dispatch, state, stopped }) => {
      const voice = new Announcer(io.player, cfg.clipDir, (err) => log(`announce: ${(err as Error).message}`));
      announcer = voice;
      return {
        run(e) {
          if (e.type === 'show') io.board.show(e.rows);
          else io.board.clear();
          events.emit('shown', state());
        },
        start() {
          dispatch({ type: 'offline' });
          announce = (a) => {
            if (stopped()) return;
            try {
              calls.push({ call: a, words: announcementClips(a).map((c) => c.text).filter(Boolean).join(' ') });
              if (calls.length > 20) calls.shift();
            } catch {
              /* the Announcer reports a call it cannot say */
            }
            void voice.announce(a);
            events.emit('announced', a);
          };
        },
        stop() {
          voice.close();
          io.board.clear();
        },
      };
    },
  });
  return { link, io: device.io, announcer: announcer!, calls, events, state: device.state, stop: device.stop };
}

if (isProgramEntry(import.meta.url, 'display/main')) {
  const cfg = loadDisplayConfig();
  serveDevice(async (signal) => {
    const board = cfg.kind === 'hall' ? await startHallBoard({ config: cfg, signal }) : await startWindowBoard({ config: cfg, signal });
    console.log(`[${cfg.env.deviceId}] ${cfg.kind} board started (${path.basename(cfg.clipDir)})`);
    return board;
  });
}
