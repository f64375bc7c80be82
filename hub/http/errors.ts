// One error shape for the whole HTTP API: a stable code for machines, an Arabic message
// for people, field-level details for forms. The services throw DomainError (hub/domain/
// errors.ts); this adapter alone decides the HTTP status of each of its codes.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, type DomainCode } from '../domain/errors.ts';
import { arabicValidationMessage } from './validation-messages.ts';

export type ApiErrorBody = {
  error: { code: string; message: string; messageEn?: string; details?: { path: string; message: string }[] };
};

/** Thrown by the HTTP layer itself (sign-in, CSRF, rate limits, uploads); services throw DomainError. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: { path: string; message: string }[],
    readonly messageEn?: string,
  ) {
    super(message);
  }
}

/** HTTP status for each domain code: the device contract's and the hub's own. */
export const STATUS_BY_CODE: Record<DomainCode, number> = {
  BAD_REQUEST: 400,
  UNKNOWN_COMMAND: 400,
  STALE: 409,
  NOT_PROVISIONED: 409,
  FORBIDDEN: 403,
  LINE_CLOSED: 409,
  QUEUE_EMPTY: 409,
  WINDOW_PAUSED: 409,
  INTERNAL: 500,
  NO_CURRENT_TICKET: 409,
  RECALL_LIMIT: 409,
  NOT_FOUND: 404,
  CONFLICT: 409,
  TICKET_AT_WINDOW: 409,
  VALIDATION: 400,
  CHECKLIST_INCOMPLETE: 400,
  EMPTY_FILE: 400,
  INVALID_INQUIRY: 400,
  INVALID_MOBILE: 400,
  INVALID_NATIONAL_ID: 400,
  NOTHING_TO_PAY: 400,
  REASON_REQUIRED: 400,
  SERVICE_INACTIVE: 400,
  TOO_LARGE: 413,
  UNSUPPORTED_TYPE: 415,
  INVALID_CREDENTIALS: 401,
  OUT_OF_SCOPE: 403,
  NOT_YOUR_WINDOW: 403,
  SAME_PERSON: 403,
  ATTACHMENT_NOT_FOUND: 404,
  CITIZEN_NOT_FOUND: 404,
  COMPLAINT_NOT_FOUND: 404,
  DEPARTMENT_NOT_FOUND: 404,
  FILE_NOT_FOUND: 404,
  MEETING_NOT_FOUND: 404,
  ORDER_NOT_FOUND: 404,
  RECEIPT_NOT_FOUND: 404,
  SERVICE_NOT_FOUND: 404,
  USER_NOT_FOUND: 404,
  NO_LINE_FOR_PURPOSE: 409,
  ALREADY_PAID: 409,
  ALREADY_REGISTERED: 409,
  CODE_TAKEN: 409,
  DAY_CLOSED: 409,
  FILE_ADVANCED: 409,
  FILE_REQUIRED: 409,
  INVALID_TRANSITION: 409,
  LAST_ADMIN: 409,
  MEETING_CLOSED: 409,
  MEETING_EXISTS: 409,
  MEETING_FULL: 409,
  STALE_UPDATE: 409,
  TICKET_HAS_FILE: 409,
  TOO_MANY_ATTACHMENTS: 409,
  SLOT_FULL: 409,
  SLOT_PAST: 409,
  SLOT_CLOSED: 409,
  ALREADY_BOOKED: 409,
  BOOKING_NOT_FOUND: 404,
  BOOKING_TOO_EARLY: 409,
  BOOKING_EXPIRED: 409,
  BOOKING_CANCELLED: 409,
  ALREADY_CHECKED_IN: 409,
  USERNAME_TAKEN: 409,
  // The IETF draft "The Idempotency-Key HTTP Header Field" §2.7 asks for 422 on a reused key.
  IDEMPOTENCY_KEY_REUSED: 422,
  // The kiosk's own program or printer cannot print: the screen cannot issue now. A refusal
  // by the state of the center (409), not a fault of the hub (5xx is counted as one).
  KIOSK_OFFLINE: 409,
  PRINTER_UNAVAILABLE: 409,
  LOGIN_THROTTLED: 429,
};

/** The HTTP form of a domain refusal: its code's status, its messages and details. */
export function fromDomain(err: DomainError): ApiError {
  return new ApiError(STATUS_BY_CODE[err.code], err.code, err.message, err.details, err.messageEn);
}

const HTTP_MESSAGES: Record<number, { code: string; ar: string }> = {
  400: { code: 'VALIDATION', ar: 'البيانات المرسلة غير صحيحة' },
  401: { code: 'UNAUTHENTICATED', ar: 'يجب تسجيل الدخول أولاً' },
  403: { code: 'FORBIDDEN', ar: 'ليس لديك صلاحية لهذا الإجراء' },
  404: { code: 'NOT_FOUND', ar: 'غير موجود' },
  409: { code: 'CONFLICT', ar: 'لا يمكن تنفيذ هذا الإجراء في الحالة الحالية' },
  413: { code: 'TOO_LARGE', ar: 'حجم البيانات أكبر من المسموح' },
  415: { code: 'UNSUPPORTED_MEDIA', ar: 'نوع المحتوى غير مدعوم' },
  429: { code: 'RATE_LIMITED', ar: 'طلبات كثيرة، حاول بعد قليل' },
};

export function errorHandler(err: FastifyError | ApiError | DomainError | Error, request: FastifyRequest, reply: FastifyReply): void {
  if (err instanceof DomainError) err = fromDomain(err);
  if (err instanceof ApiError) {
    const body: ApiErrorBody = { error: { code: err.code, message: err.message } };
    if (err.messageEn) body.error.messageEn = err.messageEn;
    if (err.details?.length) body.error.details = err.details;
    void reply.status(err.statusCode).send(body);
    return;
  }
  const fe = err as FastifyError;
  if (fe.validation) {
    const details = fe.validation.map((v) => ({
      path: (v.instancePath || '/' + ((v.params as { missingProperty?: string })?.missingProperty ?? '')) || '/',
      message: arabicValidationMessage(v as { keyword: string; params?: Record<string, unknown> }),
    }));
    void reply.status(400).send({ error: { code: 'VALIDATION', message: HTTP_MESSAGES[400].ar, messageEn: fe.message, details } });
    return;
  }
  const status = fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 600 ? fe.statusCode : 500;
  if (status >= 500) request.log.error({ err }, 'request failed');
  const known = HTTP_MESSAGES[status];
  void reply.status(status).send({
    error: { code: known?.code ?? (status >= 500 ? 'INTERNAL' : 'ERROR'), message: known?.ar ?? 'خطأ داخلي، أبلغ الدعم الفني', messageEn: status >= 500 ? 'Internal error' : fe.message },
  });
}
