// Commands a device sends on devices/{id}/commands, the replies it gets back on
// devices/{id}/replies, and the error codes with their Arabic messages.
import Type from 'typebox';
import { WindowState } from './messages.ts';

export const COMMAND_ID = '^[A-Za-z0-9_-]{8,64}$';
/** Default time-to-live of a command, by the hub's clock. */
export const DEFAULT_COMMAND_TTL_MS = 10_000;

const Envelope = {
  id: Type.String({ pattern: COMMAND_ID }),
  at: Type.Integer({ minimum: 0 }),
};
const Line = Type.String({ pattern: '^[A-Z]$' });

export const TicketIssue = Type.Object({
  ...Envelope,
  type: Type.Literal('ticket.issue'),
  line: Line,
  priority: Type.Optional(Type.Boolean()),
  /** The citizen's mobile for SMS (issue 14 item 2), typed at a kiosk with a screen; a bad one → INVALID_MOBILE, no ticket. */
  mobile: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })),
});
export const TicketCancel = Type.Object({
  ...Envelope,
  type: Type.Literal('ticket.cancel'),
  number: Type.String({ pattern: '^[A-Z][0-9]{3,4}$' }),
  reason: Type.Literal('print-failed'),
});
/** A booked citizen types their booking code on the kiosk ("لدي حجز", issue 14 item 3): a ticket for the booked line. */
export const BookingCheckIn = Type.Object({
  ...Envelope,
  type: Type.Literal('booking.checkIn'),
  code: Type.String({ pattern: '^[0-9]{8}$' }),
});
const windowCommand = <T extends string>(type: T) => Type.Object({ ...Envelope, type: Type.Literal(type) });
export const WindowNext = windowCommand('window.next');
export const WindowRecall = windowCommand('window.recall');
export const WindowNoShow = windowCommand('window.noShow');
export const WindowPause = windowCommand('window.pause');
export const WindowResume = windowCommand('window.resume');
/** The citizen at the window is served and gone; the window is idle (PROTOCOL.md). */
export const WindowFinish = windowCommand('window.finish');
export const WindowTransfer = Type.Object({
  ...Envelope,
  type: Type.Literal('window.transfer'),
  toLine: Line,
});

/** One map: command type → its schema. */
export const CommandSchemas = {
  'ticket.issue': TicketIssue,
  'ticket.cancel': TicketCancel,
  'booking.checkIn': BookingCheckIn,
  'window.next': WindowNext,
  'window.recall': WindowRecall,
  'window.noShow': WindowNoShow,
  'window.transfer': WindowTransfer,
  'window.pause': WindowPause,
  'window.resume': WindowResume,
  'window.finish': WindowFinish,
} as const;

export type CommandType = keyof typeof CommandSchemas;
export type Command = { [K in CommandType]: Type.Static<(typeof CommandSchemas)[K]> }[CommandType];
export type CommandOf<K extends CommandType> = Type.Static<(typeof CommandSchemas)[K]>;
export const COMMAND_TYPES = Object.keys(CommandSchemas) as CommandType[];

/** Which kind of device may send which command. */
export const COMMANDS_BY_KIND: Record<string, readonly CommandType[]> = {
  kiosk: ['ticket.issue', 'ticket.cancel', 'booking.checkIn'],
  keypad: ['window.next', 'window.recall', 'window.noShow', 'window.transfer', 'window.pause', 'window.resume', 'window.finish'],
  display: [],
  hall: [],
};

export const IssuedTicket = Type.Object({
  number: Type.String(),
  line: Line,
  lineName: Type.String(),
  ahead: Type.Integer({ minimum: 0 }),
  estimatedWaitMin: Type.Integer({ minimum: 0 }),
  issuedAt: Type.Integer(),
  priority: Type.Optional(Type.Boolean()),
  /** The ticket's live page on the phone (/t/<token>, issue 14 item 1): printed as a QR code. */
  link: Type.Optional(Type.String({ maxLength: 300 })),
  /** A booked ticket: its slot, 'HH:MM' Cairo time (printed; called at that time ahead of walk-ins). */
  bookedSlot: Type.Optional(Type.String({ pattern: '^[0-2][0-9]:[0-5][0-9]$' })),
});
export type IssuedTicket = Type.Static<typeof IssuedTicket>;

/**
 * Hub → kiosk on devices/{id}/print (not retained, QoS 1; issue 14 item 2): print this ticket,
 * which the hub issued under the kiosk's own actor from the kiosk's touch screen. Sent only
 * after the issuing transaction committed. The kiosk prints it exactly as the ticket of its
 * own ticket.issue and, if the print fails, cancels it with ticket.cancel ("no print, no
 * ticket"). `at`: hub time of the request.
 */
export const PrintRequest = Type.Object({ ticket: IssuedTicket, at: Type.Integer({ minimum: 0 }) });
export type PrintRequest = Type.Static<typeof PrintRequest>;

export const TicketIssueResult = Type.Object({ ticket: IssuedTicket });
export const TicketCancelResult = Type.Object({
  ticket: Type.Object({ number: Type.String(), status: Type.Literal('cancelled') }),
});
export type TicketIssueResult = Type.Static<typeof TicketIssueResult>;
export type TicketCancelResult = Type.Static<typeof TicketCancelResult>;
export type WindowCommandResult = Type.Static<typeof WindowState>;

/** One map: command type → the schema of its reply's result (PROTOCOL.md); DeviceLink.command() returns it typed. */
export const CommandResults = {
  'ticket.issue': TicketIssueResult,
  'ticket.cancel': TicketCancelResult,
  'booking.checkIn': TicketIssueResult,
  'window.next': WindowState,
  'window.recall': WindowState,
  'window.noShow': WindowState,
  'window.transfer': WindowState,
  'window.pause': WindowState,
  'window.resume': WindowState,
  'window.finish': WindowState,
} as const satisfies Record<CommandType, unknown>;
export type ResultOf<K extends CommandType> = Type.Static<(typeof CommandResults)[K]>;

export const ERROR_CODES = [
  'BAD_REQUEST',
  'UNKNOWN_COMMAND',
  'STALE',
  'NOT_PROVISIONED',
  'FORBIDDEN',
  'LINE_CLOSED',
  'QUEUE_EMPTY',
  'WINDOW_PAUSED',
  'INTERNAL',
  // Additions to PROTOCOL.md (documented in protocol/README.md):
  'NO_CURRENT_TICKET',
  'RECALL_LIMIT',
  'NOT_FOUND',
  'CONFLICT',
  'TICKET_AT_WINDOW',
  'INVALID_MOBILE',
  // A booked citizen checking in at the kiosk (issue 14 item 3, booking.checkIn):
  'BOOKING_NOT_FOUND',
  'BOOKING_TOO_EARLY',
  'BOOKING_EXPIRED',
  'BOOKING_CANCELLED',
  'ALREADY_CHECKED_IN',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The human-readable message for each code: Arabic first, English for logs and the toggle. */
export const ERROR_MESSAGES: Record<ErrorCode, { ar: string; en: string }> = {
  BAD_REQUEST: { ar: 'الطلب غير صالح', en: 'The request does not fit the schema' },
  UNKNOWN_COMMAND: { ar: 'أمر غير معروف', en: 'Unknown command' },
  STALE: { ar: 'انتهت صلاحية الطلب، أعد المحاولة', en: 'The command is older than its time-to-live' },
  NOT_PROVISIONED: { ar: 'الجهاز لم يُجهَّز بعد من الإدارة', en: 'The device has no configuration yet' },
  FORBIDDEN: { ar: 'غير مسموح لهذا الجهاز', en: 'Not allowed for this device' },
  LINE_CLOSED: { ar: 'هذه الخدمة مغلقة الآن', en: 'This line is closed' },
  QUEUE_EMPTY: { ar: 'لا يوجد مواطنون في الانتظار', en: 'Nobody is waiting' },
  WINDOW_PAUSED: { ar: 'الشباك متوقف مؤقتاً؛ استأنف العمل أولاً ثم نادِ التالي', en: 'The window is paused: resume it before calling the next citizen' },
  INTERNAL: { ar: 'خطأ داخلي، أبلغ الدعم الفني', en: 'Internal error' },
  NO_CURRENT_TICKET: { ar: 'لا توجد تذكرة حالية على هذا الشباك', en: 'This window is not serving a ticket' },
  RECALL_LIMIT: { ar: 'تم تجاوز عدد مرات إعادة النداء', en: 'Recall limit reached' },
  NOT_FOUND: { ar: 'غير موجود', en: 'Not found' },
  CONFLICT: { ar: 'لا يمكن تنفيذ هذا الإجراء في الحالة الحالية', en: 'Not possible in the current state' },
  TICKET_AT_WINDOW: { ar: 'يوجد مواطن على الشباك؛ أنهِ خدمته أولاً ثم أوقف الشباك', en: 'A citizen is at the window: finish first, then pause' },
  INVALID_MOBILE: { ar: 'رقم المحمول غير صحيح: اكتب رقمًا مصريًا من 11 رقمًا يبدأ بـ 010 أو 011 أو 012 أو 015', en: 'Not an Egyptian mobile number: 01[0125] + 8 digits' },
  BOOKING_NOT_FOUND: { ar: 'لا يوجد حجز بهذا الرقم، تأكد من الرقم', en: 'No booking with this code' },
  BOOKING_TOO_EARLY: { ar: 'لم يحن موعد حجزك بعد', en: 'Too early for this booking' },
  BOOKING_EXPIRED: { ar: 'انتهى موعد هذا الحجز', en: 'This booking\'s day is over' },
  BOOKING_CANCELLED: { ar: 'هذا الحجز ملغى', en: 'This booking was cancelled' },
  ALREADY_CHECKED_IN: { ar: 'تم استخدام هذا الحجز من قبل', en: 'This booking was already checked in' },
};

export const ReplyError = Type.Object({
  code: Type.String(),
  message: Type.String(),
  details: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }))),
});
export type ReplyError = Type.Static<typeof ReplyError>;

export const Reply = Type.Union([
  Type.Object({ id: Type.String(), ok: Type.Literal(true), result: Type.Record(Type.String(), Type.Unknown()), at: Type.Integer() }),
  // id is null only when the command was so malformed that no id could be read from it.
  Type.Object({ id: Type.Union([Type.String(), Type.Null()]), ok: Type.Literal(false), error: ReplyError, at: Type.Integer() }),
]);
export type Reply = Type.Static<typeof Reply>;

export function errorReply(id: string | null, code: ErrorCode, at: number, details?: ReplyError['details'], message?: string): Reply {
  const error: ReplyError = { code, message: message ?? ERROR_MESSAGES[code].ar };
  if (details && details.length) error.details = details;
  return { id, ok: false, error, at };
}

export function okReply(id: string, result: Record<string, unknown>, at: number): Reply {
  return { id, ok: true, result, at };
}
