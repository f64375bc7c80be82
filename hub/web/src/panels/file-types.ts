// The case-file and treasury API's shapes are the hub's own types (type-only imports:
// nothing of the server reaches the bundle), plus the workflow's stage names.
export type { FileAction, FileStatus } from '../../../domain/file-workflow.ts';
export type { FileViewAction } from '../../../domain/file-actions.ts';
export type { CaseFile, FileDetail, FeeLine } from '../../../services/files.ts';
export type { PaymentOrder, Receipt } from '../../../services/payments.ts';
/** Each stage's name in both languages, from the workflow's own table. */
export { STATUS_WORDS } from '../../../domain/file-workflow.ts';
