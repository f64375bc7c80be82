// What the simulator page shows of each simulated device, and what it may ask of them.
// The devices process sends views; the hub relays them to the page (SSE) and relays the
// page's presses back. Plain JSON both ways (it crosses the IPC channel).
import type { LampState, PrinterStatus } from '@shubbak/hardware/types.ts';

export type KioskView = {
  id: string; kind: 'kiosk'; online: boolean; phase: string; printer: PrinterStatus; notice: string | null;
  buttons: { key: number; line: string; name: string; lamp: LampState }[];
  /** The last ticket that came out of the (mock) printer, decoded from its ESC/POS bytes. */
  lastTicket: { png: string; width: number; height: number; at: number } | null;
};
export type KeypadView = {
  id: string; kind: 'keypad'; online: boolean; window: number | null; digits: string; message: string | null;
  keys: { key: number; label: string; lamp: LampState }[];
};
export type WindowBoardView = { id: string; kind: 'display'; online: boolean; window: number | null; digits: string; blink: boolean };
export type HallView = {
  id: string; kind: 'hall'; online: boolean; rows: { ticket: string; window: number }[];
  /** The last call spoken, as its Arabic words (the clips the player was given). */
  lastCall: { ticket: string; window: number; words: string } | null;
  announced: number;
};
export type DeviceView = KioskView | KeypadView | WindowBoardView | HallView;

export type SimRequest =
  | { type: 'press'; device: string; key: number; hold?: boolean }
  | { type: 'paper'; device: string; state: 'ok' | 'paper-low' | 'paper-out' };

/** Child → hub over IPC. */
export type SimMessage = { type: 'view'; view: DeviceView } | { type: 'ready'; devices: string[] } | { type: 'error'; message: string };
