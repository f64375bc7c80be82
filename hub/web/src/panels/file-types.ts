// Shapes of the case-file and treasury API (hub/routes/files, payments) as panels read them.
export type FileStatus =
  | 'registered' | 'technical_review' | 'returned' | 'refused' | 'awaiting_payment' | 'paid' | 'reviewed'
  | 'approved' | 'with_department' | 'decided' | 'ready' | 'delivered';
export type FileAction =
  | 'forward' | 'return' | 'resubmit' | 'refuse' | 'review' | 'pay' | 'reopen_payment' | 'approve' | 'dispatch' | 'decide' | 'mark_ready' | 'deliver';

export type FeeLine = { code: string; labelAr: string; labelEn: string; amountPiasters: number };
export type CaseFile = {
  id: number; inquiry: string; inquiryDisplay: string; serviceId: number; serviceNameAr: string; departmentId: number;
  citizenId: number; citizenName: string; citizenNationalId: string; ticketId: number | null; ticketLabel: string | null;
  status: FileStatus; statusAr: string; feesPiasters: number | null; dueDay: string | null; overdue: boolean;
  decision: 'accepted' | 'refused' | null; decisionReason: string | null; publicNote: string | null;
  approvedBy: string | null; approvedAt: number | null; signature: string | null; stamp: string | null;
  deliveredToName: string | null; deliveredAt: number | null; registeredAt: number; version: number;
};
export type FileDetail = CaseFile & {
  checklist: { position: number; labelAr: string; required: boolean; present: boolean; note: string | null }[];
  fees: FeeLine[];
  events: { id: number; at: number; actor: string; actorRole: string; action: string; fromStatus: FileStatus | null; toStatus: FileStatus; note: string | null; public: boolean }[];
  stages: { status: FileStatus; from: number; until: number | null; ms: number; enteredBy: string }[];
  attachments: { id: number; size: number; mime: string; name: string; label: string | null; uploadedAt: number }[];
  actions: FileAction[];
};
export type Receipt = {
  id: number; year: number; number: number; label: string; orderId: number; day: string; totalPiasters: number; cashier: string;
  window: number | null; collectedAt: number; status: 'valid' | 'void_requested' | 'voided'; voidReason: string | null;
};
export type PaymentOrder = {
  id: number; fileId: number | null; fileInquiry: string | null; serviceId: number; serviceNameAr: string; payerName: string;
  payerNationalId: string | null; reference: string | null; status: 'open' | 'paid' | 'cancelled'; totalPiasters: number;
  lines: FeeLine[]; issuedAt: number; issuedBy: string; version: number; receipt: Receipt | null;
};

/** How the panels name each stage (the hub sends statusAr too; English lives here). */
export const STATUS_EN: Record<FileStatus, string> = {
  registered: 'Registered', technical_review: 'Technical review', returned: 'Returned for documents', refused: 'Refused',
  awaiting_payment: 'Awaiting payment', paid: 'Paid, awaiting approval', reviewed: 'Reviewed, awaiting approval', approved: 'Approved',
  with_department: 'With the department', decided: 'Decided', ready: 'Ready for delivery', delivered: 'Delivered',
};
