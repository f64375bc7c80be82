// A rule of the domain said no. Services and domain code throw only this error, with a
// stable code for machines and a message for people (Arabic first, English for logs and
// the language toggle; field-level details for forms). The device contract's codes
// (protocol/commands.ts ERROR_CODES) read the same over MQTT (error reply) and HTTP; the
// hub's own codes below are for the staff API. The HTTP adapter alone (errors.ts in the
// http folder) maps each code to an HTTP status (issue 12 item 1: no service imports it).
import { ERROR_CODES, ERROR_MESSAGES, type ErrorCode } from '@shubbak/protocol';

/** The hub's codes beyond the device contract: each names one refusal the panels can tell apart. */
export const HUB_ERROR_CODES = [
  // the input itself
  'VALIDATION', 'CHECKLIST_INCOMPLETE', 'EMPTY_FILE', 'INVALID_INQUIRY', 'INVALID_NATIONAL_ID', 'NOTHING_TO_PAY', 'REASON_REQUIRED',
  'SERVICE_INACTIVE', 'TOO_LARGE', 'UNSUPPORTED_TYPE',
  // who asks
  'INVALID_CREDENTIALS', 'OUT_OF_SCOPE', 'NOT_YOUR_WINDOW', 'SAME_PERSON',
  // what does not exist
  'ATTACHMENT_NOT_FOUND', 'CITIZEN_NOT_FOUND', 'COMPLAINT_NOT_FOUND', 'DEPARTMENT_NOT_FOUND', 'FILE_NOT_FOUND', 'MEETING_NOT_FOUND',
  'ORDER_NOT_FOUND', 'RECEIPT_NOT_FOUND', 'SERVICE_NOT_FOUND', 'USER_NOT_FOUND', 'NO_LINE_FOR_PURPOSE',
  // the state does not allow it
  'ALREADY_PAID', 'ALREADY_REGISTERED', 'CODE_TAKEN', 'DAY_CLOSED', 'FILE_ADVANCED', 'FILE_REQUIRED', 'INVALID_TRANSITION', 'LAST_ADMIN',
  'MEETING_CLOSED', 'MEETING_EXISTS', 'MEETING_FULL', 'STALE_UPDATE', 'TICKET_HAS_FILE', 'TOO_MANY_ATTACHMENTS', 'USERNAME_TAKEN',
  'IDEMPOTENCY_KEY_REUSED',
  // a kiosk's touch screen whose kiosk cannot print the ticket (issue 14 item 2; hub/services/kiosk-screens.ts)
  'KIOSK_OFFLINE', 'PRINTER_UNAVAILABLE',
  // booked appointments (issue 14 item 3; hub/domain/appointments.ts)
  'SLOT_FULL', 'SLOT_PAST', 'SLOT_CLOSED', 'ALREADY_BOOKED',
  // too often
  'LOGIN_THROTTLED',
] as const;
export type HubErrorCode = (typeof HUB_ERROR_CODES)[number];
export type DomainCode = ErrorCode | HubErrorCode;

export type ErrorDetail = { path: string; message: string };

export class DomainError extends Error {
  /** English for logs and the panels' language toggle (the contract's own text by default). */
  readonly messageEn: string | undefined;
  /** Field-level problems, for a form to mark its fields. */
  readonly details: ErrorDetail[] | undefined;

  constructor(
    readonly code: DomainCode,
    message?: string,
    more: { en?: string; details?: ErrorDetail[] } = {},
  ) {
    const contract = isContractCode(code) ? ERROR_MESSAGES[code] : undefined;
    super(message ?? contract?.ar ?? 'لا يمكن تنفيذ هذا الإجراء');
    this.messageEn = more.en ?? contract?.en;
    this.details = more.details;
  }
}

/** A code of the device contract (may travel in an MQTT error reply). */
export function isContractCode(code: string): code is ErrorCode {
  return (ERROR_CODES as readonly string[]).includes(code);
}

/** A bad field: the message for the person, on the field's path for the form. */
export function invalid(path: string, message: string, code: HubErrorCode = 'VALIDATION', en?: string): DomainError {
  return new DomainError(code, message, { en, details: [{ path, message }] });
}
