// The kiosk's behaviour as a pure state machine: button, printer, link and hub events in;
// the next state and the effects to carry out (lamps, commands, a print, health) out.
// No I/O and no clock here, so every rule is unit-tested without MQTT or a printer.
//
// Tickets come to the printer two ways: the kiosk's own ticket.issue (a button, a booking
// code) and the hub's print request for a ticket issued from the kiosk's touch screen under
// this kiosk's actor (issue 14 item 2; devices/{id}/print). Both print the same content and
// share the "no print, no ticket" rule: a failed print cancels the number. A print request
// that arrives while the kiosk is busy (a request, a print, a code being typed) waits in a
// small FIFO and prints as soon as the kiosk is ready again.
import { canPrint, type IssuedTicket, type KioskConfig, type PrinterState } from '@shubbak/protocol';
import type { LampState, TicketContent } from '@shubbak/hardware/types.ts';

// 'entering': the citizen pressed "لدي حجز" and types their booking code on the keypad (issue 14 item 3).
export type KioskPhase = 'provisioning' | 'ready' | 'entering' | 'requesting' | 'printing';

/** A booking code: 8 digits, the last a check digit the hub verifies (hub/domain/appointments.ts). */
export const BOOKING_CODE_LENGTH = 8;

export type Notice = { ar: string; en: string };

export type KioskState = {
  phase: KioskPhase;
  online: boolean;
  config: KioskConfig | null;
  /** Line letter → open, from lines/+/state. A line not heard of yet counts as closed. */
  openLines: Readonly<Record<string, boolean>>;
  printer: PrinterState;
  /** The line of the ticket being requested or printed. */
  busyLine: string | null;
  /** The ticket being printed (its number is cancelled if the print fails). */
  printing: IssuedTicket | null;
  /** The last lamp states sent, so only changes go out. */
  lamps: Readonly<Record<number, LampState>>;
  notice: Notice | null;
  /** The booking code typed so far (phase 'entering'). */
  code: string;
  /** Tickets the hub asked to print (touch screen) while the kiosk was busy, oldest first. */
  queued: readonly IssuedTicket[];
};

/** Print requests kept while busy; beyond this the newest is cancelled, not printed late (no print, no ticket). */
export const MAX_QUEUED_PRINTS = 10;

export type KioskEvent =
  | { type: 'online' }
  | { type: 'offline' }
  | { type: 'config'; config: KioskConfig | null }
  | { type: 'lineState'; line: string; open: boolean }
  | { type: 'printer'; status: PrinterState }
  | { type: 'press'; key: number }
  /** The "لدي حجز" button, then the keypad: a digit, erase the last, confirm, or leave (or the adapter's idle timeout). */
  | { type: 'booking' }
  | { type: 'digit'; digit: number }
  | { type: 'erase' }
  | { type: 'confirm' }
  | { type: 'leave' }
  | { type: 'issued'; ticket: IssuedTicket }
  /** The hub asks to print a ticket it issued from this kiosk's touch screen (devices/{id}/print). */
  | { type: 'printRequest'; ticket: IssuedTicket }
  | { type: 'issueFailed'; code: string; message: string }
  | { type: 'printed' }
  | { type: 'printFailed'; reason: string };

export type KioskEffect =
  | { type: 'lamps'; lamps: { key: number; state: LampState }[] }
  | { type: 'issue'; line: string }
  | { type: 'checkIn'; code: string }
  | { type: 'print'; content: TicketContent }
  | { type: 'cancel'; number: string }
  | { type: 'health'; printer: PrinterState }
  | { type: 'notice'; notice: Notice };

export const initialKioskState: KioskState = {
  phase: 'provisioning',
  online: false,
  config: null,
  openLines: {},
  printer: 'ok',
  busyLine: null,
  printing: null,
  lamps: {},
  notice: null,
  code: '',
  queued: [],
};

/** Paper low still prints; only out of paper or a silent printer stops the kiosk (the rule lives in the protocol). */
export { canPrint };

export const NOTICES = {
  provisioning: { ar: 'الجهاز في انتظار التجهيز من الإدارة', en: 'Waiting for provisioning' },
  offline: { ar: 'لا يوجد اتصال بالخادم، حاول بعد قليل', en: 'The hub is unreachable' },
  noPaper: { ar: 'الطابعة غير جاهزة، برجاء التوجه إلى الاستقبال', en: 'The printer is not ready' },
  closed: { ar: 'هذه الخدمة مغلقة الآن', en: 'This line is closed' },
  busy: { ar: 'جاري طباعة تذكرة، انتظر لحظة', en: 'A ticket is being printed' },
  printFailed: { ar: 'تعذرت طباعة التذكرة وأُلغي رقمها، برجاء المحاولة مرة أخرى', en: 'Printing failed; the number was cancelled' },
  take: { ar: 'تفضل بأخذ التذكرة', en: 'Please take your ticket' },
  typeCode: { ar: 'اكتب رقم الحجز المرسل إليك في الرسالة (8 أرقام) ثم اضغط تأكيد', en: 'Type your 8-digit booking code, then confirm' },
  shortCode: { ar: 'رقم الحجز 8 أرقام، أكمل كتابته', en: 'A booking code has 8 digits' },
} satisfies Record<string, Notice>;

/** What every lamp should show in this state. */
export function lampsFor(s: KioskState): Record<number, LampState> {
  const out: Record<number, LampState> = {};
  for (const b of s.config?.buttons ?? []) {
    const usable = s.online && canPrint(s.printer) && s.openLines[b.line] === true;
    if (s.phase === 'entering') out[b.key] = 'off'; // the line buttons wait while a code is typed
    else if (s.phase === 'requesting' || s.phase === 'printing') out[b.key] = b.line === s.busyLine && usable ? 'blink' : 'off';
    else out[b.key] = s.phase === 'ready' && usable ? 'on' : 'off';
  }
  return out;
}

export type Step = { state: KioskState; effects: KioskEffect[] };

/** What a ticket's paper says: the same for a button's, a booking's and the touch screen's ticket. */
export function ticketContent(config: KioskConfig, t: IssuedTicket): TicketContent {
  return {
    center: config.center,
    lineName: t.lineName,
    number: t.number,
    ahead: t.ahead,
    estimatedWaitMin: t.estimatedWaitMin,
    issuedAt: t.issuedAt,
    // A booked ticket says its slot (it is called then, ahead of walk-ins).
    footer: t.bookedSlot ? `حجز الساعة ${t.bookedSlot}${config.footer ? ` — ${config.footer}` : ''}` : config.footer,
    ...(t.priority ? { priority: true } : {}),
    ...(t.link ? { link: t.link } : {}),
  };
}

export function kioskStep(prev: KioskState, ev: KioskEvent): Step {
  const effects: KioskEffect[] = [];
  let s: KioskState = { ...prev };
  const notice = (n: Notice) => {
    s.notice = n;
    effects.push({ type: 'notice', notice: n });
  };

  switch (ev.type) {
    case 'online':
      s.online = true;
      // Health is retained on the hub's broker; say it again on every connect (the hub may have restarted).
      effects.push({ type: 'health', printer: s.printer });
      break;
    case 'offline':
      s.online = false;
      s.openLines = {}; // the retained line states come again on reconnect
      break;
    case 'config':
      s.config = ev.config;
      if (!ev.config) {
        s.phase = 'provisioning';
        notice(NOTICES.provisioning);
      } else if (s.phase === 'provisioning') s.phase = 'ready';
      break;
    case 'lineState':
      s.openLines = { ...s.openLines, [ev.line]: ev.open };
      break;
    case 'printer':
      if (ev.status !== s.printer) {
        s.printer = ev.status;
        effects.push({ type: 'health', printer: ev.status });
      }
      break;
    case 'press': {
      const button = s.config?.buttons.find((b) => b.key === ev.key);
      if (s.phase === 'provisioning' || !button) {
        if (s.phase === 'provisioning') notice(NOTICES.provisioning);
        break;
      }
      if (s.phase !== 'ready') notice(NOTICES.busy);
      else if (!s.online) notice(NOTICES.offline); // never queued: the press is simply refused
      else if (!canPrint(s.printer)) notice(NOTICES.noPaper);
      else if (s.openLines[button.line] !== true) notice(NOTICES.closed);
      else {
        s.phase = 'requesting';
        s.busyLine = button.line;
        s.notice = null;
        effects.push({ type: 'issue', line: button.line });
      }
      break;
    }
    case 'booking':
      if (s.phase === 'provisioning') notice(NOTICES.provisioning);
      else if (s.phase !== 'ready') notice(NOTICES.busy);
      else if (!s.online) notice(NOTICES.offline);
      else if (!canPrint(s.printer)) notice(NOTICES.noPaper);
      else {
        s.phase = 'entering';
        s.code = '';
        notice(NOTICES.typeCode);
      }
      break;
    case 'digit':
      if (s.phase === 'entering' && Number.isInteger(ev.digit) && ev.digit >= 0 && ev.digit <= 9 && s.code.length < BOOKING_CODE_LENGTH) {
        s.code += String(ev.digit);
      }
      break;
    case 'erase':
      if (s.phase === 'entering') s.code = s.code.slice(0, -1);
      break;
    case 'leave':
      if (s.phase === 'entering') {
        s.phase = 'ready';
        s.code = '';
        s.notice = null;
      }
      break;
    case 'confirm':
      if (s.phase !== 'entering') break;
      if (s.code.length !== BOOKING_CODE_LENGTH) notice(NOTICES.shortCode);
      else if (!s.online) notice(NOTICES.offline);
      else if (!canPrint(s.printer)) notice(NOTICES.noPaper);
      else {
        s.phase = 'requesting';
        s.busyLine = null;
        s.notice = null;
        effects.push({ type: 'checkIn', code: s.code });
        s.code = '';
      }
      break;
    case 'issued': {
      if (s.phase !== 'requesting' || !s.config) break;
      s.phase = 'printing';
      s.printing = ev.ticket;
      effects.push({ type: 'print', content: ticketContent(s.config, ev.ticket) });
      break;
    }
    case 'printRequest': {
      const n = ev.ticket.number;
      // A request heard twice (QoS 1 may deliver again) prints once.
      if (s.printing?.number === n || s.queued.some((t) => t.number === n)) break;
      if (s.queued.length >= MAX_QUEUED_PRINTS) effects.push({ type: 'cancel', number: n });
      else s.queued = [...s.queued, ev.ticket]; // printed below as soon as the kiosk is ready
      break;
    }
    case 'issueFailed':
      if (s.phase !== 'requesting') break;
      s.phase = 'ready';
      s.busyLine = null;
      notice({ ar: ev.message, en: ev.code });
      break;
    case 'printed':
      if (s.phase !== 'printing') break;
      s.phase = 'ready';
      s.busyLine = null;
      s.printing = null;
      notice(NOTICES.take);
      break;
    case 'printFailed':
      if (s.phase !== 'printing' || !s.printing) break;
      // No print, no ticket: the hub cancels the number so no window ever calls it.
      effects.push({ type: 'cancel', number: s.printing.number });
      s.phase = 'ready';
      s.busyLine = null;
      s.printing = null;
      notice(NOTICES.printFailed);
      break;
  }

  if (!s.config && s.phase !== 'provisioning') s.phase = 'provisioning';
  // Ready again (or already): the oldest waiting print request goes to the printer, exactly
  // like the kiosk's own issued ticket (printed / printFailed → cancel).
  if (s.phase === 'ready' && s.config && s.queued.length) {
    const [next, ...rest] = s.queued;
    s.queued = rest;
    s.phase = 'printing';
    s.printing = next;
    s.busyLine = next.line;
    effects.push({ type: 'print', content: ticketContent(s.config, next) });
  }
  const want = lampsFor(s);
  const changed = Object.entries(want)
    .filter(([k, v]) => s.lamps[Number(k)] !== v)
    .map(([k, v]) => ({ key: Number(k), state: v }));
  // Keys that lost their button (new config) go dark.
  for (const k of Object.keys(s.lamps)) if (!(k in want) && s.lamps[Number(k)] !== 'off') changed.push({ key: Number(k), state: 'off' });
  if (changed.length) {
    s.lamps = want;
    effects.unshift({ type: 'lamps', lamps: changed });
  }
  return { state: s, effects };
}
