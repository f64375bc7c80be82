// The counter keypad's behaviour as a pure state machine: keys, link and hub events in;
// window commands, lamps and what the small display shows out. Transfer is two-step: the
// Transfer key picks the target line (each press moves to the next of config.transferTo),
// Next confirms it, any other key cancels. A press while offline shows an error at once;
// nothing is queued to be sent later.
//
// The Pause key also finishes (issue 11 item 5, protocol/README.md "Keypad keys"): with a
// citizen at the window a short press only shows "FIn HoLd" (pausing never ends a service
// behind the clerk's back), and holding the key sends window.finish. Next is not sent on
// a paused window (the hub would refuse it with WINDOW_PAUSED).
import type { CommandType, KeypadConfig, WindowState } from '@shubbak/protocol';
import type { LampState } from '@shubbak/hardware/types.ts';

/** Key numbers of the keypad's buttons (wiring order, see config.ts for pins). */
export const KEYS = { next: 0, recall: 1, noShow: 2, transfer: 3, pause: 4 } as const;
export const KEY_COUNT = 5;

/** Width of the keypad's MAX7219 digits: ticket left, waiting count right. */
export const KEYPAD_DIGITS = 8;

export type KeypadCommand = { type: Exclude<CommandType, 'ticket.issue' | 'ticket.cancel' | 'booking.checkIn'>; toLine?: string };

export type KeypadState = {
  online: boolean;
  config: KeypadConfig | null;
  window: WindowState | null;
  /** Line letter → how many wait, for the lines this window serves. */
  waiting: Readonly<Record<string, number>>;
  /** A command is out; further presses wait for its reply. */
  busy: boolean;
  /** Index into config.transferTo while choosing a transfer target. */
  choosing: number | null;
  /** A short message over the normal display until flashDone. */
  flash: string | null;
  shown: string;
  lamps: Readonly<Record<number, LampState>>;
};

export type KeypadEvent =
  | { type: 'online' }
  | { type: 'offline' }
  | { type: 'config'; config: KeypadConfig | null }
  | { type: 'windowState'; state: WindowState }
  | { type: 'lineState'; line: string; waiting: number }
  | { type: 'press'; key: number }
  /** The key stayed down for the panel's hold time (once per press, after its 'press'). */
  | { type: 'hold'; key: number }
  | { type: 'done'; state: WindowState }
  | { type: 'failed'; code: string; message: string }
  | { type: 'flashDone' };

export type KeypadEffect =
  | { type: 'command'; command: KeypadCommand }
  | { type: 'show'; text: string }
  | { type: 'flash'; text: string; message: string } // the driver sends flashDone a little later
  | { type: 'lamps'; lamps: { key: number; state: LampState }[] };

export const initialKeypadState: KeypadState = {
  online: false, config: null, window: null, waiting: {}, busy: false, choosing: null, flash: null, shown: '', lamps: {},
};

/** 7-segment friendly short texts for errors (the full Arabic message goes to the log and the simulator). */
const SHORT_ERRORS: Record<string, string> = {
  OFFLINE: 'OFF', NO_CLOCK: 'OFF', TIMEOUT: 'Err tOut', QUEUE_EMPTY: 'nonE', NO_CURRENT_TICKET: 'Err -', RECALL_LIMIT: 'Err Lint',
  STALE: 'Err StAL', FORBIDDEN: 'Err FbdN', NOT_PROVISIONED: 'Err CFG', LINE_CLOSED: 'Err CLSd', CONFLICT: 'Err',
  WINDOW_PAUSED: 'PAUS', TICKET_AT_WINDOW: 'FIn HoLd',
};
export const shortError = (code: string): string => SHORT_ERRORS[code] ?? 'Err';

function pad(left: string, right: string, width = KEYPAD_DIGITS): string {
  const room = Math.max(0, width - left.length - right.length);
  return (left + ' '.repeat(room) + right).slice(0, width);
}

/** What the display shows when no message is flashing. */
export function displayText(s: KeypadState): string {
  if (!s.online) return pad('OFF', '');
  if (!s.config) return pad('CFG', '--');
  if (s.choosing !== null) return pad('t', s.config.transferTo[s.choosing] ?? '');
  const lines = s.config.lines ?? [];
  const waiting = lines.reduce((n, l) => n + (s.waiting[l] ?? 0), 0);
  const w = s.window;
  const left = !w ? '----' : w.status === 'paused' ? 'PAUS' : w.status === 'closed' ? 'CLSd' : (w.ticket ?? '----');
  return pad(left, String(Math.min(waiting, 9999)));
}

export function keypadLamps(s: KeypadState): Record<number, LampState> {
  const out: Record<number, LampState> = {};
  const live = s.online && s.config !== null;
  for (let k = 0; k < KEY_COUNT; k++) out[k] = live && !s.busy ? 'on' : 'off';
  if (live && s.choosing !== null) {
    for (let k = 0; k < KEY_COUNT; k++) out[k] = 'off';
    out[KEYS.transfer] = 'blink';
    out[KEYS.next] = 'on';
  } else if (live && s.window?.status === 'paused') out[KEYS.pause] = 'blink';
  return out;
}

const ERR_OFFLINE = { code: 'OFFLINE', message: 'لا يوجد اتصال بالخادم' };

/** A citizen is at the window (called or being served). */
const citizenAtWindow = (s: KeypadState): boolean => !!s.window?.ticket && s.window.status === 'serving';

export function keypadStep(prev: KeypadState, ev: KeypadEvent): { state: KeypadState; effects: KeypadEffect[] } {
  const s: KeypadState = { ...prev };
  const effects: KeypadEffect[] = [];
  const flash = (code: string, message: string) => {
    s.flash = shortError(code);
    effects.push({ type: 'flash', text: s.flash, message });
  };
  const send = (command: KeypadCommand) => {
    s.busy = true;
    effects.push({ type: 'command', command });
  };

  switch (ev.type) {
    case 'online':
      s.online = true;
      break;
    case 'offline':
      s.online = false;
      s.choosing = null;
      s.waiting = {};
      break;
    case 'config':
      s.config = ev.config;
      s.choosing = null;
      break;
    case 'windowState':
      if (s.config && ev.state.window === s.config.window) s.window = ev.state;
      break;
    case 'lineState':
      s.waiting = { ...s.waiting, [ev.line]: ev.waiting };
      break;
    case 'done':
      s.busy = false;
      if (!s.window || ev.state.seq >= s.window.seq) s.window = ev.state;
      break;
    case 'failed':
      s.busy = false;
      flash(ev.code, ev.message);
      break;
    case 'flashDone':
      s.flash = null;
      break;
    case 'hold':
      // Only the Pause key has a long press: Finish for the citizen at the window.
      if (ev.key !== KEYS.pause || !s.online || !s.config || s.busy || s.choosing !== null) break;
      if (citizenAtWindow(s)) {
        s.flash = null;
        send({ type: 'window.finish' });
      }
      break;
    case 'press': {
      if (!s.online) {
        flash(ERR_OFFLINE.code, ERR_OFFLINE.message);
        break;
      }
      if (!s.config) {
        flash('NOT_PROVISIONED', 'الجهاز لم يُجهَّز بعد من الإدارة');
        break;
      }
      if (s.busy) break; // one command at a time; a double press is not a second action
      const targets = s.config.transferTo;
      if (s.choosing !== null) {
        if (ev.key === KEYS.transfer) s.choosing = (s.choosing + 1) % targets.length;
        else if (ev.key === KEYS.next) {
          const toLine = targets[s.choosing];
          s.choosing = null;
          send({ type: 'window.transfer', toLine });
        } else s.choosing = null;
        break;
      }
      switch (ev.key) {
        case KEYS.next:
          if (s.window?.status === 'paused') flash('WINDOW_PAUSED', 'الشباك متوقف مؤقتاً؛ اضغط إيقاف/استئناف للعودة للعمل');
          else send({ type: 'window.next' });
          break;
        case KEYS.recall: send({ type: 'window.recall' }); break;
        case KEYS.noShow: send({ type: 'window.noShow' }); break;
        case KEYS.pause:
          if (s.window?.status === 'paused') send({ type: 'window.resume' });
          else if (citizenAtWindow(s)) flash('TICKET_AT_WINDOW', 'يوجد مواطن على الشباك: اضغط مطولاً لإنهاء خدمته، ثم أوقف الشباك');
          else send({ type: 'window.pause' });
          break;
        case KEYS.transfer:
          if (!targets.length) flash('FORBIDDEN', 'لا توجد خدمات للتحويل إليها من هذا الشباك');
          else if (!s.window?.ticket || s.window.status !== 'serving') flash('NO_CURRENT_TICKET', 'لا توجد تذكرة حالية على هذا الشباك');
          else s.choosing = 0;
          break;
      }
      break;
    }
  }

  const text = s.flash ?? displayText(s);
  if (text !== s.shown) {
    s.shown = text;
    if (!s.flash) effects.push({ type: 'show', text });
  }
  const want = keypadLamps(s);
  const changed = Object.entries(want).filter(([k, v]) => s.lamps[Number(k)] !== v).map(([k, v]) => ({ key: Number(k), state: v }));
  if (changed.length) {
    s.lamps = want;
    effects.push({ type: 'lamps', lamps: changed });
  }
  return { state: s, effects };
}
