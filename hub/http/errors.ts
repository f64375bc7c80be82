// One error shape for the whole HTTP API: a stable code for machines, an Arabic message
// for people, field-level details for forms.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_MESSAGES, type ErrorCode } from '@shubbak/protocol';
import { arabicValidationMessage } from './validation-messages.ts';

export type ApiErrorBody = {
  error: { code: string; message: string; messageEn?: string; details?: { path: string; message: string }[] };
};

/** Thrown by services and routes; the error handler turns it into the reply. */
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

/** HTTP status for each device-contract error code, so REST and MQTT share the domain's errors. */
const STATUS_BY_CODE: Record<ErrorCode, number> = {
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
};

/** A domain error carrying a protocol error code (see hub/domain/errors.ts). */
export function fromDomainCode(code: ErrorCode, message?: string): ApiError {
  return new ApiError(STATUS_BY_CODE[code], code, message ?? ERROR_MESSAGES[code].ar, undefined, ERROR_MESSAGES[code].en);
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

export function errorHandler(err: FastifyError | ApiError | Error, request: FastifyRequest, reply: FastifyReply): void {
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
