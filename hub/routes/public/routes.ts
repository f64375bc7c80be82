// The citizen's status lookup: inquiry number + the last four digits of their national ID
// → stage, due date and public notes; nothing else. Rate-limited per address, for all
// addresses together and per inquiry number, and the same "not found" whether the number
// or the digits are wrong.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { normalizeDigits } from '../../domain/national-id.ts';
import { displayInquiry, parseInquiry } from '../../domain/inquiry-number.ts';
import { ApiError } from '../../http/errors.ts';
import { tooManyLookups } from './rate-limit.ts';

/** Lookups per address per minute: plenty for a citizen, too few to sweep numbers. */
export const STATUS_LOOKUPS_PER_MINUTE = 10;

export const PublicStatus = Type.Object({
  kind: Type.String(), inquiry: Type.String(), stage: Type.String(), stageAr: Type.String(), stageEn: Type.String(),
  dueDate: Type.Union([Type.String(), Type.Null()]),
  publicNotes: Type.Array(Type.Object({ at: Type.Integer(), textAr: Type.String() })),
});

/** The canonical inquiry number as typed (spaces, hyphens, Arabic digits), or null when its check digits fail. */
export function canonicalInquiry(raw: string): string | null {
  return parseInquiry(raw)?.canonical ?? null;
}

export const publicRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { publicStatus } = app.hub;
  // Beside the per-address limit: all addresses together, and each inquiry number (rate-limit.ts).
  const limits = app.statusLimits;

  app.get('/public/status', {
    config: { access: 'public', rateLimit: { max: STATUS_LOOKUPS_PER_MINUTE, timeWindow: '1 minute' } },
    schema: {
      tags: ['public'], summary: 'Status of a file or complaint by inquiry number and the last four digits of the national ID',
      querystring: Type.Object({
        inquiry: Type.String({ minLength: 1, maxLength: 40 }),
        nid4: Type.String({ minLength: 4, maxLength: 8, description: 'last four digits of the national ID' }),
      }),
      response: { 200: PublicStatus },
    },
  }, async (req) => {
    const nid4 = normalizeDigits(req.query.nid4);
    if (!/^\d{4}$/.test(nid4)) throw new ApiError(400, 'VALIDATION', 'اكتب آخر أربعة أرقام من الرقم القومي', [{ path: '/nid4', message: 'اكتب آخر أربعة أرقام من الرقم القومي' }]);
    const inquiry = canonicalInquiry(req.query.inquiry);
    if (!limits.global.take('all')) throw tooManyLookups();
    if (inquiry && !limits.perInquiry.take(inquiry)) throw tooManyLookups();
    // A number whose check digits fail gets the same answer as an unknown one.
    const found = inquiry ? publicStatus.find(inquiry, nid4) : null;
    if (!found) throw new ApiError(404, 'NOT_FOUND', 'لا توجد معاملة بهذا الرقم وهذه الأرقام، تأكد منهما', undefined, 'No case with this number and these digits');
    // The number as printed on every form (F-2026-000123-45), whatever was typed.
    return { ...found, inquiry: displayInquiry(found.inquiry) };
  });
};
