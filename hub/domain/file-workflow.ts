// A case file's path through the center (DESIGN.md §2), as a role-gated state machine.
// Pure: no I/O; the service applies a transition inside a transaction and records it.
//
//   registered ─forward→ technical_review ─review (fees > 0)→ awaiting_payment ─pay→ paid ─┐
//                          │  │  └────────review (no fee)→ reviewed ──────────────────────────┤
//                          │  └─return→ returned ─resubmit→ technical_review                 │
//                          └─refuse→ refused (final)                                           │
//   approved ←approve──────────────────────────────────────────────────────────────────────────┘
//   approved ─dispatch→ with_department ─decide→ decided ─mark_ready→ ready ─deliver→ delivered
//   paid ─reopen_payment→ awaiting_payment (only when the receipt is voided)
import type { Role } from '../auth/roles.ts';

export const FILE_STATUSES = [
  'registered', 'technical_review', 'returned', 'refused', 'awaiting_payment', 'paid', 'reviewed',
  'approved', 'with_department', 'decided', 'ready', 'delivered',
] as const;
export type FileStatus = (typeof FILE_STATUSES)[number];

export const FILE_ACTIONS = [
  'forward', 'return', 'resubmit', 'refuse', 'review', 'pay', 'reopen_payment', 'approve', 'dispatch', 'decide', 'mark_ready', 'deliver',
] as const;
export type FileAction = (typeof FILE_ACTIONS)[number];

/** 'system' acts for the hub itself (a receipt marks the file paid; a void reopens it). */
export type StageRole = Role | 'system';

type Rule = { from: readonly FileStatus[]; to: FileStatus | ((ctx: TransitionContext) => FileStatus); roles: readonly StageRole[] };

/** What some transitions depend on. */
export type TransitionContext = { feesPiasters?: number };

const RULES: Record<FileAction, Rule> = {
  // The intake window sends the registered file to the department representative.
  forward: { from: ['registered'], to: 'technical_review', roles: ['intake', 'manager'] },
  // Technical review: back for missing documents, refused with a reason, or signed with the fees by law.
  return: { from: ['technical_review'], to: 'returned', roles: ['representative', 'manager'] },
  resubmit: { from: ['returned'], to: 'technical_review', roles: ['intake', 'manager'] },
  refuse: { from: ['technical_review'], to: 'refused', roles: ['representative', 'manager'] },
  // Services without fees skip the treasury: they wait for the manager as 'reviewed'.
  review: { from: ['technical_review'], to: (c) => ((c.feesPiasters ?? 0) > 0 ? 'awaiting_payment' : 'reviewed'), roles: ['representative'] },
  pay: { from: ['awaiting_payment'], to: 'paid', roles: ['cashier', 'system'] },
  reopen_payment: { from: ['paid'], to: 'awaiting_payment', roles: ['manager', 'system'] },
  approve: { from: ['paid', 'reviewed'], to: 'approved', roles: ['manager'] },
  dispatch: { from: ['approved'], to: 'with_department', roles: ['representative', 'manager'] },
  // The representative records the competent department's decision.
  decide: { from: ['with_department'], to: 'decided', roles: ['representative', 'manager'] },
  mark_ready: { from: ['decided'], to: 'ready', roles: ['representative', 'manager'] },
  deliver: { from: ['ready'], to: 'delivered', roles: ['delivery', 'manager'] },
};

export type TransitionResult =
  | { ok: true; to: FileStatus }
  | { ok: false; reason: 'FORBIDDEN' | 'INVALID_TRANSITION'; ar: string; en: string };

/** The status after `action`, or why it is not allowed (wrong role before wrong state). */
export function transition(current: FileStatus, action: FileAction, actor: StageRole, ctx: TransitionContext = {}): TransitionResult {
  const rule = RULES[action];
  if (!rule.roles.includes(actor)) {
    return { ok: false, reason: 'FORBIDDEN', ar: `هذا الإجراء (${ACTION_WORDS[action].ar}) ليس من صلاحيات دورك`, en: `Your role may not ${action}` };
  }
  if (!rule.from.includes(current)) {
    return {
      ok: false, reason: 'INVALID_TRANSITION',
      ar: `لا يمكن ${ACTION_WORDS[action].ar} والملف في مرحلة: ${STATUS_WORDS[current].ar}`,
      en: `Cannot ${action} a file that is ${current}`,
    };
  }
  return { ok: true, to: typeof rule.to === 'function' ? rule.to(ctx) : rule.to };
}

/** The roles that may take an action (for route access lists). */
export function rolesFor(action: FileAction): Role[] {
  return RULES[action].roles.filter((r): r is Role => r !== 'system');
}

/** The actions open to a role in a status (for the panels' buttons). */
export function actionsFor(current: FileStatus, role: Role): FileAction[] {
  return FILE_ACTIONS.filter((a) => RULES[a].from.includes(current) && RULES[a].roles.includes(role));
}

export const FINAL_STATUSES: readonly FileStatus[] = ['refused', 'delivered'];

/** Files whose legal period is running: late ones are what the supervisors chase. */
export function isAtDepartment(status: FileStatus): boolean {
  return status === 'with_department';
}

export type StageEvent = { at: number; toStatus: FileStatus; actor: string };
export type StageSpan = { status: FileStatus; from: number; until: number | null; ms: number; enteredBy: string };

/**
 * Time spent in each stage, from the ordered history (the first event is the registration).
 * The current stage runs until `now`.
 */
export function stageSpans(events: readonly StageEvent[], now: number): StageSpan[] {
  return events.map((e, i) => {
    const next = events[i + 1];
    const until = next ? next.at : null;
    return { status: e.toStatus, from: e.at, until, ms: Math.max(0, (until ?? now) - e.at), enteredBy: e.actor };
  });
}

/** Total time per status (a file may pass a stage twice, e.g. returned and resubmitted). */
export function timeByStatus(spans: readonly StageSpan[]): Partial<Record<FileStatus, number>> {
  const out: Partial<Record<FileStatus, number>> = {};
  for (const s of spans) out[s.status] = (out[s.status] ?? 0) + s.ms;
  return out;
}

export const STATUS_WORDS: Record<FileStatus, { ar: string; en: string }> = {
  registered: { ar: 'تم تسجيل الطلب', en: 'Registered' },
  technical_review: { ar: 'المراجعة الفنية لدى مندوب الإدارة', en: 'Technical review' },
  returned: { ar: 'أعيد لاستيفاء المستندات', en: 'Returned for missing documents' },
  refused: { ar: 'رُفض الطلب', en: 'Refused' },
  awaiting_payment: { ar: 'في انتظار سداد الرسوم بالخزينة', en: 'Awaiting payment' },
  paid: { ar: 'تم سداد الرسوم، في انتظار اعتماد مدير المركز', en: 'Paid, awaiting approval' },
  reviewed: { ar: 'تمت المراجعة الفنية (بدون رسوم)، في انتظار اعتماد مدير المركز', en: 'Reviewed (no fees), awaiting approval' },
  approved: { ar: 'اعتمده مدير المركز', en: 'Approved by the center manager' },
  with_department: { ar: 'لدى الإدارة المختصة للبت فيه', en: 'With the competent department' },
  decided: { ar: 'صدر قرار الإدارة المختصة', en: 'Decided by the department' },
  ready: { ar: 'جاهز للتسليم، توجه إلى شباك تسليم المعاملات', en: 'Ready for delivery' },
  delivered: { ar: 'تم التسليم', en: 'Delivered' },
};

export const ACTION_WORDS: Record<FileAction, { ar: string; en: string }> = {
  forward: { ar: 'تحويل الملف لمندوب الإدارة', en: 'forward to the representative' },
  return: { ar: 'إعادة الملف لاستيفاء المستندات', en: 'return for missing documents' },
  resubmit: { ar: 'إعادة تقديم الملف بعد الاستيفاء', en: 'resubmit' },
  refuse: { ar: 'رفض الطلب', en: 'refuse' },
  review: { ar: 'اعتماد المراجعة الفنية وتحديد الرسوم', en: 'sign the technical review and set the fees' },
  pay: { ar: 'تسجيل السداد', en: 'record the payment' },
  reopen_payment: { ar: 'إعادة فتح السداد', en: 'reopen the payment' },
  approve: { ar: 'اعتماد الملف بالتوقيع والختم', en: 'approve (signature and stamp)' },
  dispatch: { ar: 'توجيه الملف للإدارة المختصة', en: 'send to the department' },
  decide: { ar: 'تسجيل قرار الإدارة', en: 'record the decision' },
  mark_ready: { ar: 'تجهيز الملف للتسليم', en: 'mark ready for delivery' },
  deliver: { ar: 'تسليم المعاملة', en: 'deliver' },
};
