// The boards' behaviour as pure state machines. The window board shows its window's
// ticket and blinks on a new call (or a recall); the hall board lists the last calls.
// Offline, a window board shows OFF and the hall board goes blank, so nobody reads a
// stale number as current; the retained state brings them back on reconnect.
import type { DisplayConfig, HallCalls, HallConfig, WindowState } from '@shubbak/protocol';

/** How long a new call blinks before it shows steady (the driver times it). */
export const BLINK_MS = 6000;

export type WindowBoardState = {
  online: boolean;
  config: DisplayConfig | null;
  window: WindowState | null;
  /** ticket@calledAt of the last call that blinked, so a reconnect does not blink again. */
  lastCall: string | null;
  blinking: boolean;
  shown: string;
};

export type BoardEvent =
  | { type: 'online' }
  | { type: 'offline' }
  | { type: 'config'; config: DisplayConfig | null }
  | { type: 'windowState'; state: WindowState }
  | { type: 'blinkDone' };

export type WindowBoardEffect = { type: 'show'; text: string; blink: boolean };

export const initialWindowBoard: WindowBoardState = { online: false, config: null, window: null, lastCall: null, blinking: false, shown: '\0' };

export function windowBoardText(s: WindowBoardState): string {
  if (!s.online) return 'OFF';
  if (!s.config) return 'CFG';
  const w = s.window;
  if (!w || w.status === 'idle' || w.status === 'closed') return '';
  if (w.status === 'paused') return '----';
  return w.ticket ?? '';
}

export function windowBoardStep(prev: WindowBoardState, ev: BoardEvent): { state: WindowBoardState; effects: WindowBoardEffect[] } {
  const s: WindowBoardState = { ...prev };
  let forceShow = false;
  switch (ev.type) {
    case 'online':
      s.online = true;
      break;
    case 'offline':
      s.online = false;
      s.blinking = false;
      break;
    case 'config':
      s.config = ev.config;
      if (ev.config && s.window && s.window.window !== ev.config.window) s.window = null;
      break;
    case 'windowState': {
      if (!s.config || ev.state.window !== s.config.window) break;
      s.window = ev.state;
      const w = ev.state;
      if (w.status === 'serving' && w.ticket && w.calledAt !== null) {
        const call = `${w.ticket}@${w.calledAt}`;
        if (call !== s.lastCall) {
          // The first state after starting is the current one, not a new call: no blink.
          if (s.lastCall !== null || (prev.window !== null)) {
            s.blinking = true;
            forceShow = true;
          }
          s.lastCall = call;
        }
      }
      break;
    }
    case 'blinkDone':
      if (!s.blinking) return { state: s, effects: [] };
      s.blinking = false;
      forceShow = true;
      break;
  }
  const text = windowBoardText(s);
  if (text !== s.shown || forceShow) {
    s.shown = text;
    if (text === '' || text === 'OFF') s.blinking = false;
    return { state: s, effects: [{ type: 'show', text, blink: s.blinking }] };
  }
  return { state: s, effects: [] };
}

export type HallBoardState = {
  online: boolean;
  config: HallConfig | null;
  calls: HallCalls['calls'];
  shown: string;
};

export type HallEvent =
  | { type: 'online' }
  | { type: 'offline' }
  | { type: 'config'; config: HallConfig | null }
  | { type: 'hallCalls'; calls: HallCalls['calls'] };

export type HallRow = { ticket: string; window: number };
export type HallBoardEffect = { type: 'show'; rows: HallRow[] } | { type: 'clear' };

export const initialHallBoard: HallBoardState = { online: false, config: null, calls: [], shown: '\0' };

export function hallRows(s: HallBoardState): HallRow[] | null {
  if (!s.online || !s.config) return null;
  return s.calls.slice(0, s.config.rows).map((c) => ({ ticket: c.ticket, window: c.window }));
}

export function hallBoardStep(prev: HallBoardState, ev: HallEvent): { state: HallBoardState; effects: HallBoardEffect[] } {
  const s: HallBoardState = { ...prev };
  switch (ev.type) {
    case 'online': s.online = true; break;
    case 'offline': s.online = false; break;
    case 'config': s.config = ev.config; break;
    case 'hallCalls': s.calls = ev.calls; break;
  }
  const rows = hallRows(s);
  const key = JSON.stringify(rows);
  if (key === s.shown) return { state: s, effects: [] };
  s.shown = key;
  return { state: s, effects: [rows ? { type: 'show', rows } : { type: 'clear' }] };
}
