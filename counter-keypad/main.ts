// The counter keypad program: config + hardware + link + logic. startKeypad() runs one
// keypad and returns a handle; run directly (counter-keypad.service) it reads the environment.
import { EventEmitter } from 'node:events';
import type { DeviceLink, DeviceLinkOptions } from '@shubbak/protocol/device-link';
import type { ButtonPanel, DigitsDisplay } from '@shubbak/hardware/types.ts';
import { createKeypadHardware, type KeypadHardwareConfig, type SimControl } from '@shubbak/hardware/devices.ts';
import { boardHealth, boardLogLine, type BoardStatus } from '@shubbak/hardware/board.ts';
import { firmataTiming } from '@shubbak/protocol/device-env';
import { loadKeypadConfig, type KeypadProgramConfig } from './config.ts';
import { openKeypadLink, sendWindowCommand, wireKeypadLink } from './link.ts';
import { initialKeypadState, keypadStep, type KeypadEffect, type KeypadEvent, type KeypadState } from './logic.ts';
import { isProgramEntry } from '@shubbak/protocol/entry';

export type KeypadIo = { buttons: ButtonPanel; digits: DigitsDisplay; close(): Promise<void>; sim?: SimControl | null };

export type KeypadHandle = {
  link: DeviceLink;
  io: KeypadIo;
  state(): KeypadState;
  /** The last message flashed (Arabic), for the simulator page. */
  message(): string | null;
  events: EventEmitter<{ state: [KeypadState]; shown: [string] }>;
  stop(): Promise<void>;
};

export type StartKeypadOptions = {
  config?: KeypadProgramConfig; io?: KeypadIo; link?: Partial<DeviceLinkOptions>; log?: (m: string) => void;
  /** Overrides of the hardware made from the config (tests: the emulated Uno's serial binding). */
  hardware?: Partial<KeypadHardwareConfig>;
};


async function defaultIo(cfg: KeypadProgramConfig, onStatus: (s: BoardStatus) => void, over: Partial<KeypadHardwareConfig> = {}): Promise<KeypadIo> {
  return createKeypadHardware({
    io: cfg.env.io, keyPins: cfg.keyPins, lampPins: cfg.lampPins, digitsPins: cfg.digitsPins, digitsWidth: cfg.digitsWidth, firmataPort: cfg.firmataPort,
    ...over, board: { ...firmataTiming(cfg.env), ...over.board, onStatus },
  });
}

export async function startKeypad(opts: StartKeypadOptions = {}): Promise<KeypadHandle> {
  const cfg = opts.config ?? loadKeypadConfig();
  const log = opts.log ?? ((m: string) => console.log(`[${cfg.env.deviceId}] ${m}`));
  // The link first: while the board is not answering, the health topic says why.
  const link = openKeypadLink(cfg.env, opts.link);
  link.on('error', (err) => log(`link: ${err.message}`));
  // Hub events that come while the board is still opening wait for it, in order.
  const early: KeypadEvent[] = [];
  let live: ((e: KeypadEvent) => void) | null = null;
  const unwire = wireKeypadLink(link, (e: KeypadEvent) => (live ? live(e) : void early.push(e)));
  const onBoard = (s: BoardStatus) => {
    log(boardLogLine(s));
    link.updateHealth({ board: boardHealth(s) });
  };
  const io = opts.io ?? (await defaultIo(cfg, onBoard, opts.hardware).catch(async (err: unknown) => {
    await link.close().catch(() => {});
    throw err;
  }));
  const events = new EventEmitter<{ state: [KeypadState]; shown: [string] }>();
  let state: KeypadState = initialKeypadState;
  let message: string | null = null;
  let flashTimer: NodeJS.Timeout | null = null;
  let stopped = false;

  function dispatch(ev: KeypadEvent): void {
    if (stopped) return;
    const r = keypadStep(state, ev);
    state = r.state;
    for (const e of r.effects) run(e);
    events.emit('state', state);
  }

  function show(text: string): void {
    io.digits.show(text);
    events.emit('shown', text);
  }

  function run(e: KeypadEffect): void {
    switch (e.type) {
      case 'show':
        message = null;
        show(e.text);
        return;
      case 'flash':
        message = e.message;
        log(`${e.text}: ${e.message}`);
        show(e.text);
        if (flashTimer) clearTimeout(flashTimer);
        flashTimer = setTimeout(() => dispatch({ type: 'flashDone' }), cfg.flashMs);
        return;
      case 'lamps':
        for (const l of e.lamps) io.buttons.setLamp(l.key, l.state);
        return;
      case 'command':
        void sendWindowCommand(link, e.command).then(dispatch, (err: Error) => dispatch({ type: 'failed', code: 'INTERNAL', message: err.message }));
        return;
    }
  }

  const onPress = (key: number) => dispatch({ type: 'press', key });
  const onHold = (key: number) => dispatch({ type: 'hold', key });
  io.buttons.on('press', onPress);
  io.buttons.on('hold', onHold);
  dispatch({ type: 'offline' }); // shows OFF until the hub answers
  live = dispatch;
  for (const e of early.splice(0)) dispatch(e);

  async function stop(): Promise<void> {
    if (stopped) return;
    stopped = true;
    if (flashTimer) clearTimeout(flashTimer);
    unwire();
    io.buttons.off('press', onPress);
    io.buttons.off('hold', onHold);
    io.buttons.setAllLamps('off');
    io.digits.clear();
    await link.close().catch(() => {});
    await io.close();
  }
  return { link, io, state: () => state, message: () => message, events, stop };
}

if (isProgramEntry(import.meta.url, 'counter-keypad/main')) {
  const keypad = await startKeypad();
  const shutdown = () => void keypad.stop().then(() => process.exit(0));
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}
