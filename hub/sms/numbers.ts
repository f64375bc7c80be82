// Egyptian mobile numbers for SMS: the form a clerk types (01012345678, +20 10…, 0020…,
// Arabic-Indic digits) → the international form an SMSC routes (201012345678, TON 1 /
// NPI 1 in submit_sm). Only the four mobile prefixes 010, 011, 012, 015 are mobiles
// (NTRA numbering plan); anything else is refused with the stable code INVALID_MOBILE and
// an Arabic message, before anything is written. The digit rules themselves live in
// hub/domain/national-id.ts (normalizeMobile), shared with the citizen register.
import { ERROR_MESSAGES } from '@shubbak/protocol';
import { DomainError } from '../domain/errors.ts';
import { normalizeMobile } from '../domain/national-id.ts';

/** The refusal's words, the same over HTTP and in a kiosk's MQTT reply (protocol/commands.ts). */
export const BAD_MOBILE_AR = ERROR_MESSAGES.INVALID_MOBILE.ar;

/** 201XXXXXXXXX, or null when the input is not an Egyptian mobile number. */
export function internationalMobile(input: string): string | null {
  const local = normalizeMobile(input);
  return local ? `20${local.slice(1)}` : null;
}

/** The international form, or a DomainError INVALID_MOBILE naming the field. */
export function parseSmsMobile(input: string, path = '/mobile'): string {
  const m = internationalMobile(input);
  if (!m) throw new DomainError('INVALID_MOBILE', BAD_MOBILE_AR, { en: ERROR_MESSAGES.INVALID_MOBILE.en, details: [{ path, message: BAD_MOBILE_AR }] });
  return m;
}
