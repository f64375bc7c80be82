// Shared by the files, attachments, payments, receipts and journey tests: a citizen, a
// multipart body built by hand (so tests control every byte, names included), tiny real
// documents, and a file walked to a given stage through the HTTP API.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import type { Static } from 'typebox';
import type { LineState, WindowState } from '@shubbak/protocol';
import type * as Files from '../../hub/routes/files/schemas.ts';
import type * as Queue from '../../hub/routes/queue/schemas.ts';
import type * as Complaints from '../../hub/routes/complaints/routes.ts';
import type { InspectionReply } from '../../hub/routes/inspections/routes.ts';
import type { PublicStatus } from '../../hub/routes/public/routes.ts';
import type { OutboxItem, SettingsView } from '../../hub/sms/routes.ts';
import { signIn, type SignedIn } from '../helpers/staff.ts';
import type { TestHub } from '../helpers/hub.ts';

export const CITIZEN = { nationalId: '29001011234567', name: 'محمود عبد الرحمن علي', mobile: '01012345678' };

/** A minimal but well-formed PDF and PNG, and a JPEG header: enough for the content check. */
export const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
export const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000' + '1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');
export const JPEG = Buffer.concat([Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex'), Buffer.alloc(64, 0), Buffer.from('ffd9', 'hex')]);

export function multipart(file: { field?: string; filename: string; contentType: string; bytes: Buffer }, fields: Record<string, string> = {}): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----shubbak${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.field ?? 'file'}"; filename="${file.filename}"\r\nContent-Type: ${file.contentType}\r\n\r\n`));
  parts.push(file.bytes, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

export function expectError(res: LightMyRequestResponse, status: number, code?: string): { code: string; message: string; details?: { path: string; message: string }[] } {
  assert.equal(res.statusCode, status, `expected ${status}, got ${res.statusCode}: ${res.body}`);
  const e = res.json().error;
  assert.ok(e && typeof e.message === 'string' && e.message.length > 0, 'an Arabic message');
  if (code) assert.equal(e.code, code, res.body);
  return e;
}

/**
 * The body of a successful reply, typed as the route's reply (`expectOk<FileReply>(…)`, the
 * aliases below come from the routes' own response schemas); without a type argument it is
 * `unknown`, so a test cannot read a field the route does not declare.
 */
export function expectOk<T = unknown>(res: LightMyRequestResponse, status = 200): T {
  assert.equal(res.statusCode, status, `expected ${status}, got ${res.statusCode}: ${res.body}`);
  return res.json() as T;
}

// The routes' replies, from their own response schemas: what `expectOk<…>` reads.
export type FileReply = Static<typeof Files.FileDetailSchema>;
export type FileListReply = Static<typeof Files.CaseFileSchema>[];
export type AtWindowReply = Static<typeof Files.AtWindowSchema>;
export type AttachmentReply = Static<typeof Files.AttachmentSchema>;
export type DeliveryTicketReply = Static<typeof Files.DeliveryTicketSchema>;
export type OrderReply = Static<typeof Files.PaymentOrderSchema>;
export type CollectReply = Static<typeof Files.CollectSchema>;
export type ReceiptReply = Static<typeof Files.ReceiptSchema>;
export type DayReportReply = Static<typeof Files.DayReportSchema>;
export type DailyCloseReply = Static<typeof Files.DailyCloseSchema>;
export type TicketReply = Static<typeof Queue.IssueTicketReply>;
export type NextReply = Static<typeof Queue.NextReply>;
export type LineListReply = Static<typeof Queue.LineView>[];
export type WindowReply = WindowState;
export type LineReply = LineState;
export type ComplaintReply = Static<typeof Complaints.Complaint>;
export type ComplaintDetailReply = Static<typeof Complaints.Detail>;
export type InspectionReplyBody = Static<typeof InspectionReply>;
export type PublicStatusReply = Static<typeof PublicStatus>;
export type SmsSettingsReply = Static<typeof SettingsView>;
export type SmsOutboxReply = Static<typeof OutboxItem>[];

export function service(hub: TestHub, code: string) {
  const s = hub.ctx.catalog.serviceByCode(code);
  if (!s) throw new Error(`no demo service ${code}`);
  return s;
}

/** Every checklist item received. */
export function fullChecklist(hub: TestHub, code: string) {
  return service(hub, code).checklist.map((c) => ({ position: c.position, present: true }));
}

/** Register a file (no ticket) and walk it to technical review. */
export async function fileInReview(hub: TestHub, intake: SignedIn, code = 'BLD-PERMIT', citizen = CITIZEN): Promise<FileReply> {
  const f = expectOk<FileReply>(await intake.inject({ method: 'POST', url: '/api/files', payload: { serviceId: service(hub, code).id, citizen, checklist: fullChecklist(hub, code), window: null } }), 201);
  return expectOk<FileReply>(await intake.inject({ method: 'POST', url: `/api/files/${f.id}/forward`, payload: { version: f.version } }));
}

/** A fee-free service's file walked through the API to its department (with_department). */
export async function fileAtDepartment(hub: TestHub): Promise<FileReply> {
  const eng = hub.ctx.catalog.departmentByCode('ENG')!;
  const svc = hub.ctx.catalog.createService({
    code: 'SITE-VISIT', departmentId: eng.id, nameAr: 'طلب معاينة موقع', nameEn: 'Site visit request', legalPeriodDays: 7, periodKind: 'working',
    checklist: [{ labelAr: 'طلب المعاينة' }], fees: [],
  }, 'system');
  const intake = await signIn(hub, 'intake');
  const rep = await signIn(hub, 'representative');
  const manager = await signIn(hub, 'manager');
  let f = expectOk<FileReply>(await intake.inject({ method: 'POST', url: '/api/files', payload: { serviceId: svc.id, citizen: CITIZEN, checklist: [{ position: svc.checklist[0].position, present: true }], window: null } }), 201);
  f = expectOk<FileReply>(await intake.inject({ method: 'POST', url: `/api/files/${f.id}/forward`, payload: {} }));
  f = expectOk<FileReply>(await rep.inject({ method: 'POST', url: `/api/files/${f.id}/review`, payload: { fees: [], signature: 'م. خالد فؤاد' } }));
  f = expectOk<FileReply>(await manager.inject({ method: 'POST', url: `/api/files/${f.id}/approve`, payload: { signature: 'م. هشام', stamp: 'ختم المركز' } }));
  return expectOk<FileReply>(await rep.inject({ method: 'POST', url: `/api/files/${f.id}/dispatch`, payload: {} }));
}

/** The same file decided (accepted) and ready for delivery. */
export async function readyFile(hub: TestHub): Promise<FileReply> {
  const rep = await signIn(hub, 'representative');
  const f = expectOk<FileReply>(await rep.inject({ method: 'POST', url: `/api/files/${(await fileAtDepartment(hub)).id}/decide`, payload: { decision: 'accepted' } }));
  return expectOk<FileReply>(await rep.inject({ method: 'POST', url: `/api/files/${f.id}/ready`, payload: {} }));
}
