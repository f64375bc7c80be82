// Everything a staff member may do with a case file, in one list: the workflow's stage
// moves (hub/domain/file-workflow.ts) and the desk's other actions — attach a document,
// issue the payment order, issue a delivery ticket, print the approval sheet or the
// citizen's registration slip. Each action is declared once here with the roles that may
// take it and the stages it applies to; the routes take their `config.access` from these
// declarations, the services refuse a stage that does not fit with the same rule, and the
// file view's `actions` is computed from them, so the panel shows exactly what the hub
// would accept (issue 12 item 3: the panel hid the manager's delivery ticket). Pure.
import type { Role } from '../auth/roles.ts';
import { actionsFor, FILE_STATUSES, FINAL_STATUSES, type FileAction, type FileStatus } from './file-workflow.ts';

/** In the order the desk shows them, after the stage's main move. */
export const DESK_ACTIONS = ['print_sheet', 'payment_order', 'delivery_ticket', 'print_slip', 'upload'] as const;
export type DeskAction = (typeof DESK_ACTIONS)[number];
/** An entry of the file view's `actions`. */
export type FileViewAction = FileAction | DeskAction;

type DeskRule = { roles: readonly Role[]; at: readonly FileStatus[] };

const DESK_RULES: Record<DeskAction, DeskRule> = {
  // Documents join a file until it is closed (refused or delivered).
  upload: { roles: ['intake', 'representative', 'manager'], at: FILE_STATUSES.filter((s) => !FINAL_STATUSES.includes(s)) },
  // The revenue clerk turns the fees the representative fixed into a payment order (إذن دفع).
  payment_order: { roles: ['revenue', 'manager'], at: ['awaiting_payment'] },
  // The returning citizen of a ready file gets a delivery-line ticket linked to it.
  delivery_ticket: { roles: ['reception', 'delivery', 'manager'], at: ['ready'] },
  // The manager's approval sheet (signature and stamp), before and after approving.
  print_sheet: { roles: ['manager'], at: ['paid', 'reviewed', 'approved'] },
  // The intake window hands the citizen a registration slip while the file is at intake or review.
  print_slip: { roles: ['intake', 'manager'], at: ['registered', 'technical_review', 'returned'] },
};

/** The roles that may take a desk action (a route's access list). */
export function deskRoles(action: DeskAction): Role[] {
  return [...DESK_RULES[action].roles];
}

/** Whether a desk action applies to a file at this stage (the service's check). */
export function deskActionOpen(action: DeskAction, status: FileStatus): boolean {
  return DESK_RULES[action].at.includes(status);
}

/** Every action open to a role on a file at this stage: the stage moves first, then the desk's. */
export function fileActions(status: FileStatus, role: Role): FileViewAction[] {
  return [...actionsFor(status, role), ...DESK_ACTIONS.filter((a) => DESK_RULES[a].roles.includes(role) && DESK_RULES[a].at.includes(status))];
}
