// The counter keypad program: its state machine (logic.ts) and its effects (digits, lamps,
// window commands), run by the devices' shared runner (hardware/device-runner.ts).
// startKeypad() runs one keypad and returns a handle; run directly (counter-keypad.service)
// it reads the environment.
import { EventEmitter } from 'node:events';
import type { DeviceLink, DeviceLinkOptions } from '@shubbak/protocol/device-link';
import type { ButtonPanel, DigitsDisplay } from '@shubbak/hardware/types.ts';
import { createKeypadHardware, type KeypadHardwareConfig, type SimControl } from '@shubbak/hardware/devices.ts';
import type { BoardStatus } from '@shubbak/hardware/board.ts';
import { runDevice, serveDevice } from '@shubbak/hardware/device-runner.ts';
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
  /** Aborted = stop while still starting (the program's SIGTERM): the start rejects with DeviceStopped. */
  signal?: AbortSignal;
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
  const link = openKeypadLink(cfg.env, opts.link);
  const events: KeypadHandle['events'] = new EventEmitter();
  let message: string | null = null;
  const device = await runDevice<KeypadIo, KeypadState, KeypadEvent, KeypadEffect>({
    link, log, initial: initialKeypadState, step: keypadStep, signal: opts.signal,
    wire: wireKeypadLink,
    openIo: (onBoard) => (opts.io ? Promise.resolve(opts.io) : defaultIo(cfg, onBoard, opts.hardware)),
    effects: ({ io, dispatch }) => {
      let flashTimer: NodeJS.Timeout | null = null;
      const show = (text: string) => {
        io.digits.show(text);
        events.emit('shown', text);
      };
      const onPress = (key: number) => dispatch({ type: 'press', key });
      const onHold = (key: number) => dispatch({ type: 'hold', key });
      return {
        run(e) {
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
        },
        start() {
          io.buttons.on('press', onPress);
          io.buttons.on('hold', onHold);
          dispatch({ type: 'offline' }); // shows OFF until the hub answers
        },
        stop() {
          if (flashTimer) clearTimeout(flashTimer);
          io.buttons.off('press', onPress);
          io.buttons.off('hold', onHold);
          io.buttons.setAllLamps('off');
          io.digits.clear();
        },
      };
    },
  });
  device.events.on('state', (st) => events.emit('state', st));
  return { link, io: device.io, state: device.state, message: () => message, events, stop: device.stop };
}

if (isProgramEntry(import.meta.url, 'counter-keypad/main')) {
  serveDevice((signal) => startKeypad({ signal }));
}
