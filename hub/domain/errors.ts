// A rule of the domain said no. The code is one of the contract's error codes, so the
// same refusal reads the same over MQTT (error reply) and HTTP (status + body).
import { ERROR_MESSAGES, type ErrorCode } from '@shubbak/protocol';

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string = ERROR_MESSAGES[code].ar,
  ) {
    super(message);
  }
}
