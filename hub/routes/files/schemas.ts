// Response shapes of the case-file and treasury API, for /docs and for serialization. The
// assignments at the end fail the typecheck if a service type and its schema drift apart.
import Type, { type Static } from 'typebox';
import { DESK_ACTIONS } from '../../domain/file-actions.ts';
import { FILE_ACTIONS, FILE_STATUSES } from '../../domain/file-workflow.ts';
import type { AttachmentInfo, CaseFile, FileDetail } from '../../services/files.ts';
import type { DailyClose, PaymentOrder, Receipt } from '../../services/payments.ts';
import type { CloseSummary } from '../../domain/money.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Status = Type.Enum([...FILE_STATUSES]);
const Action = Type.Enum([...FILE_ACTIONS, ...DESK_ACTIONS]);

export const FeeLineSchema = Type.Object({ code: Type.String(), labelAr: Type.String(), labelEn: Type.String(), amountPiasters: Type.Integer() });

export const CaseFileSchema = Type.Object({
  id: Type.Integer(), inquiry: Type.String(), inquiryDisplay: Type.String(), serviceId: Type.Integer(), serviceNameAr: Type.String(),
  departmentId: Type.Integer(), citizenId: Type.Integer(), citizenName: Type.String(), citizenNationalId: Type.String(),
  ticketId: Nullable(Type.Integer()), ticketLabel: Nullable(Type.String()), status: Status, statusAr: Type.String(),
  feesPiasters: Nullable(Type.Integer()), dueDay: Nullable(Type.String()), overdue: Type.Boolean(),
  decision: Nullable(Type.Union([Type.Literal('accepted'), Type.Literal('refused')])), decisionReason: Nullable(Type.String()), publicNote: Nullable(Type.String()),
  approvedBy: Nullable(Type.String()), approvedAt: Nullable(Type.Integer()), signature: Nullable(Type.String()), stamp: Nullable(Type.String()),
  deliveredToName: Nullable(Type.String()), deliveredToNationalId: Nullable(Type.String()), deliveredIdDocument: Nullable(Type.String()),
  deliveredAt: Nullable(Type.Integer()), deliveredBy: Nullable(Type.String()),
  registeredAt: Type.Integer(), registeredBy: Type.String(), updatedAt: Type.Integer(), version: Type.Integer(),
});

export const AttachmentSchema = Type.Object({
  id: Type.Integer(), sha256: Type.String(), size: Type.Integer(), mime: Type.String(), name: Type.String(), label: Nullable(Type.String()),
  uploadedAt: Type.Integer(), uploadedBy: Type.String(),
});

export const FileDetailSchema = Type.Intersect([CaseFileSchema, Type.Object({
  checklist: Type.Array(Type.Object({ position: Type.Integer(), labelAr: Type.String(), required: Type.Boolean(), present: Type.Boolean(), note: Nullable(Type.String()) })),
  fees: Type.Array(FeeLineSchema),
  events: Type.Array(Type.Object({
    id: Type.Integer(), at: Type.Integer(), actor: Type.String(), actorRole: Type.String(), action: Type.String(),
    fromStatus: Nullable(Status), toStatus: Status, note: Nullable(Type.String()), public: Type.Boolean(),
    publicNote: Nullable(Type.String({ description: 'what the citizen reads about this change' })),
  })),
  stages: Type.Array(Type.Object({ status: Status, from: Type.Integer(), until: Nullable(Type.Integer()), ms: Type.Integer(), enteredBy: Type.String() })),
  timeByStatus: Type.Record(Type.String(), Type.Integer(), { description: 'milliseconds spent in each stage' }),
  attachments: Type.Array(AttachmentSchema),
  actions: Type.Array(Action, { description: 'everything the caller may do with the file now: the stage moves, then upload, payment_order, delivery_ticket, print_sheet, print_slip (hub/domain/file-actions.ts)' }),
})]);

export const AtWindowSchema = Type.Object({
  ticket: Nullable(Type.Object({ id: Type.Integer(), label: Type.String(), line: Type.String() })),
  file: Nullable(FileDetailSchema),
});

export const DeliveryTicketSchema = Type.Object({
  file: CaseFileSchema, ticket: Type.Object({
    id: Type.Integer(), label: Type.String(), line: Type.String(),
    link: Type.Union([Type.String(), Type.Null()], { description: "the ticket's live page on the phone (/t/<token>), printed as a QR code" }),
  }),
});

export const ReceiptSchema = Type.Object({
  id: Type.Integer(), year: Type.Integer(), number: Type.Integer(), label: Type.String(), orderId: Type.Integer(), day: Type.String(),
  totalPiasters: Type.Integer(), cashier: Type.String(), window: Nullable(Type.Integer()), collectedAt: Type.Integer(),
  status: Type.Union([Type.Literal('valid'), Type.Literal('void_requested'), Type.Literal('voided')]), voidReason: Nullable(Type.String()),
  voidRequestedBy: Nullable(Type.String()), voidRequestedAt: Nullable(Type.Integer()), voidedBy: Nullable(Type.String()), voidedAt: Nullable(Type.Integer()),
});

export const PaymentOrderSchema = Type.Object({
  id: Type.Integer(), fileId: Nullable(Type.Integer()), fileInquiry: Nullable(Type.String()), serviceId: Type.Integer(), serviceNameAr: Type.String(),
  payerName: Type.String(), payerNationalId: Nullable(Type.String()), reference: Nullable(Type.String()),
  status: Type.Union([Type.Literal('open'), Type.Literal('paid'), Type.Literal('cancelled')]), totalPiasters: Type.Integer(),
  lines: Type.Array(FeeLineSchema), issuedAt: Type.Integer(), issuedBy: Type.String(), version: Type.Integer(), receipt: Nullable(ReceiptSchema),
});

export const CollectSchema = Type.Object({ receipt: ReceiptSchema, order: PaymentOrderSchema });

export const CloseSummarySchema = Type.Object({
  receipts: Type.Integer(), totalPiasters: Type.Integer(),
  byFeeItem: Type.Array(Type.Object({ code: Type.String(), labelAr: Type.String(), count: Type.Integer(), totalPiasters: Type.Integer() })),
  voided: Type.Integer(), voidedPiasters: Type.Integer(), firstNumber: Nullable(Type.Integer()), lastNumber: Nullable(Type.Integer()),
});

export const DailyCloseSchema = Type.Object({ id: Type.Integer(), cashier: Type.String(), day: Type.String(), closedAt: Type.Integer(), summary: CloseSummarySchema });

export const DayReportSchema = Type.Object({ cashier: Type.String(), day: Type.String(), closed: Nullable(DailyCloseSchema), summary: CloseSummarySchema });

// Drift guards: compile-time only.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameFile: Same<Static<typeof CaseFileSchema>, CaseFile> = true;
const sameAttachment: Same<Static<typeof AttachmentSchema>, AttachmentInfo> = true;
const detailFits: Static<typeof FileDetailSchema> = null as unknown as FileDetail;
const sameReceipt: Same<Static<typeof ReceiptSchema>, Receipt> = true;
const sameOrder: Same<Static<typeof PaymentOrderSchema>, PaymentOrder> = true;
const sameSummary: Same<Static<typeof CloseSummarySchema>, CloseSummary> = true;
const sameClose: Same<Static<typeof DailyCloseSchema>, DailyClose> = true;
void [sameFile, sameAttachment, detailFits, sameReceipt, sameOrder, sameSummary, sameClose];
