// A complaint's path: registered → with the department → answered → closed. Pure.

export const COMPLAINT_STATUSES = ['registered', 'with_department', 'answered', 'closed'] as const;
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number];
export type ComplaintAction = 'forward' | 'answer' | 'close';

/** Working days a department has to answer a complaint. */
export const COMPLAINT_PERIOD = { days: 15, kind: 'working' as const };

const NEXT: Record<ComplaintAction, { from: ComplaintStatus; to: ComplaintStatus }> = {
  forward: { from: 'registered', to: 'with_department' },
  answer: { from: 'with_department', to: 'answered' },
  close: { from: 'answered', to: 'closed' },
};

/** The status after the action, or null when the action does not apply in this status. */
export function nextStatus(current: ComplaintStatus, action: ComplaintAction): ComplaintStatus | null {
  return NEXT[action].from === current ? NEXT[action].to : null;
}

export const STATUS_WORDS: Record<ComplaintStatus, { ar: string; en: string }> = {
  registered: { ar: 'تم تسجيل الشكوى', en: 'Registered' },
  with_department: { ar: 'الشكوى لدى الإدارة المختصة', en: 'With the competent department' },
  answered: { ar: 'تم الرد على الشكوى', en: 'Answered' },
  closed: { ar: 'أُغلقت الشكوى', en: 'Closed' },
};
