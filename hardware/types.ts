// The driver interfaces the device programs are written against. Real and simulated IO
// implement the same ones; nothing here knows MQTT or the queue.
import type { EventEmitter } from 'node:events';

export type LampState = 'on' | 'off' | 'blink';

/** Illuminated push buttons, one lamp each (kiosk service buttons, keypad keys). */
export interface ButtonPanel extends EventEmitter<{ press: [key: number]; hold: [key: number] }> {
  readonly keys: readonly number[];
  setLamp(key: number, state: LampState): void;
  setAllLamps(state: LampState): void;
  close(): void;
}

/** A key-entry keypad (the kiosk's booking code): 'key' once per press, with the key's label ('0'–'9', '*', '#'). */
export interface KeyEntryPad extends EventEmitter<{ key: [key: string]; error: [Error] }> {
  close(): void;
}

/** The kiosk's booking keys: the "لدي حجز" push button (key 0, no lamp) and the code keypad. */
export type BookingKeys = { button: ButtonPanel; keypad: KeyEntryPad };

/** A MAX7219 7-segment board: shows short text ('A012', ' 12', '----'), padded to its width. */
export interface DigitsDisplay {
  readonly width: number;
  show(text: string, opts?: { blink?: boolean }): void;
  clear(): void;
  setBrightness(level: number): void; // 0..15
  close(): void;
}

/** The waiting-hall board: rows of "ticket → window", newest first. */
export interface HallBoard {
  readonly rows: number;
  show(rows: readonly { ticket: string; window: number }[]): void;
  clear(): void;
  close(): void;
}

/** 1 bit per pixel, rows packed MSB first and padded to whole bytes; 1 = black (printed). */
export type MonoImage = { width: number; height: number; data: Uint8Array };

export type PrinterStatus = 'ok' | 'paper-low' | 'paper-out' | 'offline';

/**
 * One piece of a printed ticket, top to bottom. Raster: what must be drawn (Arabic, which
 * printer code pages cannot shape; rules; badges) at the layout's width, blank rows
 * included. Text: a line in the printer's own resident font (12 × 24 dots, printable ASCII
 * only), scaled by whole factors and centered — the big ticket number, where the printer's
 * font is faithful and costs a few bytes instead of a few kilobytes of raster.
 */
export type PrintBlock =
  | { kind: 'raster'; image: MonoImage }
  | { kind: 'text'; text: string; scale: number }
  /** A QR code the printer draws itself (GS ( k), `moduleDots` dots a module, with its quiet zone: ~100 bytes instead of ~6 KB of raster. */
  | { kind: 'qr'; data: string; moduleDots: number };

/** A ticket as the printer gets it: the layout width in dots (384 or 576) and its blocks. */
export type PrintDoc = { width: number; blocks: PrintBlock[] };

/** An ESC/POS thermal printer. print() resolves once the bytes are written and drained. */
export interface TicketPrinter extends EventEmitter<{ status: [PrinterStatus] }> {
  readonly status: PrinterStatus;
  /** A whole ticket; a bare image is printed as a one-block document. */
  print(job: MonoImage | PrintDoc): Promise<void>;
  checkStatus(): Promise<PrinterStatus>;
  close(): Promise<void>;
}

export type PaperWidth = '58mm' | '80mm';

export type TicketContent = {
  center: string;
  lineName: string;
  number: string; // 'A012'
  ahead: number;
  estimatedWaitMin: number;
  issuedAt: number; // epoch ms
  footer: string;
  priority?: boolean;
  timeZone?: string; // default Africa/Cairo
  /** The ticket's live page on the phone (/t/<token>): printed as a QR code when given. */
  link?: string;
};

/** Audio out for the hall announcements: plays one file and resolves when it ends. */
export interface AudioPlayer {
  play(file: string): Promise<void>;
  close(): void;
}
