// The kiosk program: its state machine (logic.ts) and its effects (lamps, issuing, the
// ticket's render and print, cancelling a ticket that never came out; with the optional
// booking keypad, "لدي حجز" + the code → booking.checkIn, printed as any ticket), run by the devices'
// shared runner (hardware/device-runner.ts). startKiosk() runs one kiosk and returns a
// handle (tests, the simulator and the bench start it in-process); run directly (systemd:
// kiosk.service) it reads its settings from the environment.
import { EventEmitter } from 'node:events';
import type { DeviceLinkOptions, DeviceLink } from '@shubbak/protocol/device-link';
import type { BookingKeys, ButtonPanel, MonoImage, PaperWidth, PrintDoc, TicketContent, TicketPrinter } from '@shubbak/hardware/types.ts';
import { createKioskHardware, type KioskHardwareConfig, type SimControl } from '@shubbak/hardware/devices.ts';
import type { BoardStatus } from '@shubbak/hardware/board.ts';
import { runDevice, serveDevice } from '@shubbak/hardware/device-runner.ts';
import { firmataTiming } from '@shubbak/protocol/device-env';
import { ticketDoc } from '@shubbak/hardware/ticket/render.ts';
import { loadKioskConfig, type KioskProgramConfig } from './config.ts';
import { cancelTicket, checkInBooking, issueTicket, openKioskLink, wireKioskLink } from './link.ts';
import { initialKioskState, kioskStep, type KioskEffect, type KioskEvent, type KioskState } from './logic.ts';
import { isProgramEntry } from '@shubbak/protocol/entry';

/** What the kiosk needs from its hardware (hardware/devices.ts makes it for real, Firmata or sim IO). */
export type KioskIo = {
  buttons: ButtonPanel;
  printer: TicketPrinter;
  render(content: TicketContent, paper: PaperWidth): MonoImage | PrintDoc | Promise<MonoImage | PrintDoc>;
  close(): Promise<void>;
  /** The "لدي حجز" button and the code keypad, when the kiosk has them (SHUBBAK_BOOKING_KEYPAD). */
  booking?: BookingKeys | null;
  /** Present on sim IO: the control handle of the simulated hardware. */
  sim?: SimControl | null;
};

/** Times of the last ticket, for the bench (performance.now() ms). */
export type KioskTimings = { press: number; issued: number; rendered: number; printed: number };

export type KioskHandle = {
  link: DeviceLink;
  io: KioskIo;
  state(): KioskState;
  /** Emits 'state' after every event, 'printed'/'cancelled' with the ticket number. */
  events: EventEmitter<{ state: [KioskState]; printed: [string]; cancelled: [string]; error: [Error] }>;
  lastTimings: KioskTimings | null;
  /** What the last ticket that came out whole said. */
  lastPrinted: TicketContent | null;
  stop(): Promise<void>;
};

export type StartKioskOptions = {
  config?: KioskProgramConfig;
  /** Injected hardware; by default made from the config by @shubbak/hardware. */
  io?: KioskIo;
  link?: Partial<DeviceLinkOptions>;
  log?: (msg: string) => void;
  /** Overrides of the hardware made from the config (tests: the emulated Uno's serial binding, a mock printer). */
  hardware?: Partial<KioskHardwareConfig>;
  /** How long a started booking entry waits for a key before it is dropped (default BOOKING_IDLE_MS). */
  bookingIdleMs?: number;
  /** Aborted = stop while still starting (the program's SIGTERM): the start rejects with DeviceStopped. */
  signal?: AbortSignal;
};


async function defaultIo(cfg: KioskProgramConfig, onStatus: (s: BoardStatus) => void, over: Partial<KioskHardwareConfig> = {}): Promise<KioskIo> {
  const hw = await createKioskHardware({
    io: cfg.env.io, buttonPins: cfg.buttonPins, lampPins: cfg.lampPins, printerPort: cfg.printerPort,
    printerBaud: cfg.printerBaud, firmataPort: cfg.firmataPort, booking: cfg.booking, ...over,
    board: { ...firmataTiming(cfg.env), ...over.board, onStatus },
  });
  return Object.assign(hw, { render: ticketDoc });
}

/** A citizen who walks away mid-code: the entry is dropped after this long without a key. */
export const BOOKING_IDLE_MS = 60_000;
const ENTRY_KEYS = new Set<KioskEvent['type']>(['booking', 'digit', 'erase', 'confirm']);

/** The code keypad's keys (hardware/matrix-keypad.ts labels) as logic events: a digit, * erases, # confirms. */
export function bookingKeyEvent(key: string): KioskEvent | null {
  if (/^[0-9]$/.test(key)) return { type: 'digit', digit: Number(key) };
  if (key === '*') return { type: 'erase' };
  if (key === '#') return { type: 'confirm' };
  return null;
}

export async function startKiosk(opts: StartKioskOptions = {}): Promise<KioskHandle> {
  const cfg = opts.config ?? loadKioskConfig();
  const log = opts.log ?? ((m: string) => console.log(`[${cfg.env.deviceId}] ${m}`));
  const link = openKioskLink(cfg.env, opts.link);
  const events: KioskHandle['events'] = new EventEmitter();
  let timings: Partial<KioskTimings> = {};
  const handle = { lastTimings: null, lastPrinted: null } as Pick<KioskHandle, 'lastTimings' | 'lastPrinted'>;
  const fail = (err: unknown) => void events.emit('error', err instanceof Error ? err : new Error(String(err)));

  const device = await runDevice<KioskIo, KioskState, KioskEvent, KioskEffect>({
    link, log, initial: initialKioskState, step: kioskStep, signal: opts.signal,
    wire: wireKioskLink,
    openIo: (onBoard) => (opts.io ? Promise.resolve(opts.io) : defaultIo(cfg, onBoard, opts.hardware)),
    effects: ({ io, dispatch: step, state }) => {
      let idle: NodeJS.Timeout | null = null;
      const dispatch = (ev: KioskEvent) => {
        if (ev.type === 'press' || ev.type === 'confirm') timings = { press: performance.now() };
        step(ev);
        // The booking entry's idle timeout: restarted by each of the citizen's keys, gone once the entry ends.
        if (state().phase !== 'entering') {
          if (idle) clearTimeout(idle);
          idle = null;
        } else if (!idle || ENTRY_KEYS.has(ev.type)) {
          if (idle) clearTimeout(idle);
          idle = setTimeout(() => dispatch({ type: 'leave' }), opts.bookingIdleMs ?? BOOKING_IDLE_MS);
        }
      };
      async function print(content: TicketContent): Promise<void> {
        try {
          if (io.printer.status !== 'ok' && io.printer.status !== 'paper-low') throw new Error(`printer ${io.printer.status}`);
          const image = await io.render(content, cfg.paper);
          timings.rendered = performance.now();
          await io.printer.print(image);
          // A printer that ran out during the job reports it on its status; the ticket did not come out whole.
          const after = await io.printer.checkStatus();
          if (after === 'paper-out' || after === 'offline') throw new Error(`printer ${after}`);
          timings.printed = performance.now();
          if (timings.press !== undefined) handle.lastTimings = timings as KioskTimings;
          handle.lastPrinted = content;
          dispatch({ type: 'printed' });
          events.emit('printed', content.number);
        } catch (err) {
          log(`print of ${content.number} failed: ${(err as Error).message}`);
          dispatch({ type: 'printFailed', reason: (err as Error).message });
        }
      }
      const onPress = (key: number) => dispatch({ type: 'press', key });
      const onStatus = (status: KioskState['printer']) => dispatch({ type: 'printer', status });
      // "لدي حجز" starts the entry; pressed again while typing it leaves (the citizen changed their mind).
      const onBooking = () => dispatch(state().phase === 'entering' ? { type: 'leave' } : { type: 'booking' });
      const onKey = (key: string) => {
        const ev = bookingKeyEvent(key);
        if (ev) dispatch(ev);
      };
      const onKeypadError = (err: Error) => log(`booking keypad: ${err.message}`);
      return {
        run(e) {
          switch (e.type) {
            case 'lamps':
              for (const l of e.lamps) io.buttons.setLamp(l.key, l.state);
              return;
            case 'health':
              link.updateHealth({ printer: e.printer });
              return;
            case 'notice':
              log(e.notice.en);
              return;
            case 'issue':
              void issueTicket(link, e.line).then((ev) => {
                timings.issued = performance.now();
                dispatch(ev);
              }, fail);
              return;
            case 'checkIn':
              void checkInBooking(link, e.code).then((ev) => {
                timings.issued = performance.now();
                dispatch(ev);
              }, fail);
              return;
            case 'print':
              void print(e.content);
              return;
            case 'cancel':
              void cancelTicket(link, e.number).then((code) => {
                if (code) log(`could not cancel ${e.number}: ${code}`);
                else events.emit('cancelled', e.number);
              }, fail);
              return;
          }
        },
        start() {
          io.buttons.on('press', onPress);
          io.printer.on('status', onStatus);
          io.booking?.button.on('press', onBooking);
          io.booking?.keypad.on('key', onKey).on('error', onKeypadError);
          io.buttons.setAllLamps('off');
        },
        async started() {
          dispatch({ type: 'printer', status: await io.printer.checkStatus().catch(() => 'offline' as const) });
        },
        stop() {
          io.buttons.off('press', onPress);
          io.printer.off('status', onStatus);
          io.booking?.button.off('press', onBooking);
          io.booking?.keypad.off('key', onKey).off('error', onKeypadError);
          if (idle) clearTimeout(idle);
          idle = null;
          io.buttons.setAllLamps('off');
        },
      };
    },
  });
  device.events.on('state', (st) => events.emit('state', st));
  return Object.assign(handle, { link, io: device.io, state: device.state, events, stop: device.stop });
}

if (isProgramEntry(import.meta.url, 'kiosk/main')) {
  serveDevice((signal) => startKiosk({ signal }));
}
