// Schemas of the queue routes (request and reply), shared with OpenAPI at /docs.
import Type from 'typebox';
import { IssuedTicket, LineState, WindowState, HallCalls } from '@shubbak/protocol';
import { LINE_PURPOSES } from '../../domain/line-purposes.ts';

export const LineLetter = Type.String({ pattern: '^[A-Z]$', description: 'line letter, e.g. A' });
export const WindowNumberParams = Type.Object({ n: Type.Integer({ minimum: 1, maximum: 999 }) });
export const LineParams = Type.Object({ letter: LineLetter });
export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{8,64}$', description: 'repeat-safe: the same key returns the first answer' })),
});

export const IssueTicketBody = Type.Object({
  line: LineLetter, priority: Type.Optional(Type.Boolean()),
  mobile: Type.Optional(Type.String({ maxLength: 20, description: 'the citizen\'s Egyptian mobile for SMS (number, N ahead, called); a bad one is refused with INVALID_MOBILE and no ticket' })),
}, { additionalProperties: false });
export const IssueTicketReply = Type.Object({ ticket: IssuedTicket });
export const CancelTicketParams = Type.Object({ label: Type.String({ pattern: '^[A-Z][0-9]{3,4}$' }) });
export const CancelTicketBody = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false });

export const TransferBody = Type.Object({ toLine: LineLetter }, { additionalProperties: false });
export const NextReply = Type.Object({ state: WindowState, queueEmpty: Type.Boolean() });
export const SaveWindowBody = Type.Object({
  labelAr: Type.String({ minLength: 1, maxLength: 40 }),
  labelEn: Type.String({ minLength: 1, maxLength: 40 }),
  lines: Type.Array(LineLetter, { minItems: 1, maxItems: 26 }),
}, { additionalProperties: false });
export const LineOpenBody = Type.Object({ open: Type.Boolean() }, { additionalProperties: false });

const Hm = Type.Union([Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', description: "'HH:MM' center time" }), Type.Null()]);
/** What a line is for (hub/domain/queue.ts LINE_PURPOSES); null for a line with none. */
const Purpose = Type.Union([Type.Enum([...LINE_PURPOSES]), Type.Null()], {
  description: 'what the line is for: the back office sends citizens to the treasury and delivery lines by purpose; one line per purpose',
});
export const LineView = Type.Object({
  letter: Type.String(), nameAr: Type.String(), nameEn: Type.String(), open: Type.Boolean(),
  priorityFirst: Type.Boolean(), openFrom: Hm, openUntil: Hm, purpose: Purpose, state: LineState,
});
export const SaveLineBody = Type.Object({
  nameAr: Type.String({ minLength: 1, maxLength: 60 }),
  nameEn: Type.String({ minLength: 1, maxLength: 60 }),
  priorityFirst: Type.Boolean({ description: 'priority tickets (elderly, disabled) are called first on this line' }),
  openFrom: Hm,
  openUntil: Hm,
  purpose: Type.Optional(Purpose),
}, { additionalProperties: false });
export const WindowView = Type.Object({
  number: Type.Integer(), labelAr: Type.String(), labelEn: Type.String(), lines: Type.Array(Type.String()),
  clerk: Type.Union([Type.String(), Type.Null()]), state: WindowState,
});
export { WindowState, LineState, HallCalls };
