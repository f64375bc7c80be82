// The treasury: the revenue clerk issues payment orders (إذن دفع) — for a file's fees, or for
// revenues with no file (housing, inspection fees) — and the cashier collects them with a
// receipt (إيصال) numbered per year. The number comes from a counter row updated in the
// receipt's own transaction, so numbers never skip or repeat. A wrong receipt is voided
// in two steps by two people (cashier asks, manager confirms), never deleted. At the end of
// the day each cashier closes with totals per fee item.
import type { StaffUser } from '../auth/roles.ts';
import type { Db } from '../db/connection.ts';
import { canDecideVoid, canRequestVoid, receiptLabel, summarizeDay, type CloseSummary, type ReceiptStatus } from '../domain/money.ts';
import { displayInquiry } from '../domain/inquiry-number.ts';
import { localDay, localParts, type Clock } from '../domain/time.ts';
import { DomainError } from '../domain/errors.ts';
import { deskActionOpen } from '../domain/file-actions.ts';
import type { AuditLog } from './audit.ts';
import type { CatalogService } from './catalog.ts';
import type { CitizenService } from './citizens.ts';
import type { FeeLine, FileService } from './files.ts';
import type { UnitOfWork } from './unit-of-work.ts';
import { staffKey } from '../domain/actor.ts';

export type OrderStatus = 'open' | 'paid' | 'cancelled';
export type PaymentOrder = {
  /** fileInquiry as printed (F-2026-000123-45): payment orders and receipts are read by people. */
  id: number; fileId: number | null; fileInquiry: string | null; serviceId: number; serviceNameAr: string; payerName: string; payerNationalId: string | null;
  reference: string | null; status: OrderStatus; totalPiasters: number; lines: FeeLine[]; issuedAt: number; issuedBy: string; version: number;
  receipt: Receipt | null;
};
export type Receipt = {
  id: number; year: number; number: number; label: string; orderId: number; day: string; totalPiasters: number; cashier: string; window: number | null;
  collectedAt: number; status: ReceiptStatus; voidReason: string | null; voidRequestedBy: string | null; voidRequestedAt: number | null;
  voidedBy: string | null; voidedAt: number | null;
};
export type DailyClose = { id: number; cashier: string; day: string; closedAt: number; summary: CloseSummary };

type OrderRow = {
  id: number; file_id: number | null; file_inquiry: string | null; service_id: number; service_name_ar: string; payer_name: string; payer_national_id: string | null;
  reference: string | null; status: OrderStatus; total_piasters: number; issued_at: number; issued_by: string; version: number;
};
type ReceiptRow = {
  id: number; year: number; number: number; order_id: number; day: string; total_piasters: number; cashier: string; window: number | null; collected_at: number;
  status: ReceiptStatus; void_reason: string | null; void_requested_by: string | null; void_requested_at: number | null; voided_by: string | null; voided_at: number | null;
};

const ORDER_SELECT = `SELECT o.*, f.inquiry AS file_inquiry, s.name_ar AS service_name_ar FROM payment_orders o
  JOIN services s ON s.id = o.service_id LEFT JOIN files f ON f.id = o.file_id`;

const toReceipt = (r: ReceiptRow): Receipt => ({
  id: r.id, year: r.year, number: r.number, label: receiptLabel(r.year, r.number), orderId: r.order_id, day: r.day, totalPiasters: r.total_piasters,
  cashier: r.cashier, window: r.window, collectedAt: r.collected_at, status: r.status, voidReason: r.void_reason,
  voidRequestedBy: r.void_requested_by, voidRequestedAt: r.void_requested_at, voidedBy: r.voided_by, voidedAt: r.voided_at,
});


export class PaymentService {
  private readonly q;

  constructor(
    private readonly db: Db,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    private readonly catalog: CatalogService,
    private readonly citizens: CitizenService,
    private readonly files: FileService,
    private readonly timeZone: string,
  ) {
    this.q = {
      order: db.prepare<[number], OrderRow>(`${ORDER_SELECT} WHERE o.id = ?`),
      lines: db.prepare<[number], { code: string; label_ar: string; label_en: string; amount_piasters: number }>('SELECT * FROM payment_order_lines WHERE order_id = ? ORDER BY position'),
      insertLine: db.prepare('INSERT INTO payment_order_lines (order_id, code, position, label_ar, label_en, amount_piasters) VALUES (?, ?, ?, ?, ?, ?)'),
      receiptOfOrder: db.prepare<[number], ReceiptRow>("SELECT * FROM receipts WHERE order_id = ? ORDER BY id DESC LIMIT 1"),
      receipt: db.prepare<[number], ReceiptRow>('SELECT * FROM receipts WHERE id = ?'),
      bumpCounter: db.prepare('INSERT INTO receipt_counters (year, last) VALUES (?, 1) ON CONFLICT (year) DO UPDATE SET last = last + 1 RETURNING last'),
      insertReceipt: db.prepare(`INSERT INTO receipts (year, number, order_id, day, total_piasters, cashier, window, collected_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
      closed: db.prepare<[string, string], { id: number }>('SELECT id FROM cash_closes WHERE cashier = ? AND day = ?'),
    };
  }

  // ---- reading ----

  private toOrder(r: OrderRow): PaymentOrder {
    const receipt = this.q.receiptOfOrder.get(r.id);
    return {
      id: r.id, fileId: r.file_id, fileInquiry: r.file_inquiry ? displayInquiry(r.file_inquiry) : null, serviceId: r.service_id, serviceNameAr: r.service_name_ar, payerName: r.payer_name,
      payerNationalId: r.payer_national_id, reference: r.reference, status: r.status, totalPiasters: r.total_piasters,
      lines: this.q.lines.all(r.id).map((l) => ({ code: l.code, labelAr: l.label_ar, labelEn: l.label_en, amountPiasters: l.amount_piasters })),
      issuedAt: r.issued_at, issuedBy: r.issued_by, version: r.version, receipt: receipt ? toReceipt(receipt) : null,
    };
  }

  order(id: number): PaymentOrder {
    const r = this.q.order.get(id);
    if (!r) throw new DomainError('ORDER_NOT_FOUND', 'إذن الدفع غير موجود', { en: 'No such payment order' });
    return this.toOrder(r);
  }

  orders(filter: { status?: OrderStatus; fileId?: number; limit?: number } = {}): PaymentOrder[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (filter.status) { where.push('o.status = ?'); args.push(filter.status); }
    if (filter.fileId) { where.push('o.file_id = ?'); args.push(filter.fileId); }
    const sql = `${ORDER_SELECT}${where.length ? ' WHERE ' + where.join(' AND ') : ''} ORDER BY o.id DESC LIMIT ?`;
    return this.db.prepare(sql).all(...args, filter.limit ?? 200).map((r) => this.toOrder(r as OrderRow));
  }

  receipt(id: number): Receipt {
    const r = this.q.receipt.get(id);
    if (!r) throw new DomainError('RECEIPT_NOT_FOUND', 'الإيصال غير موجود', { en: 'No such receipt' });
    return toReceipt(r);
  }

  receipts(filter: { day?: string; cashier?: string; year?: number; status?: ReceiptStatus; limit?: number } = {}): Receipt[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (filter.day) { where.push('day = ?'); args.push(filter.day); }
    if (filter.cashier) { where.push('cashier = ?'); args.push(filter.cashier); }
    if (filter.year) { where.push('year = ?'); args.push(filter.year); }
    if (filter.status) { where.push('status = ?'); args.push(filter.status); }
    const sql = `SELECT * FROM receipts${where.length ? ' WHERE ' + where.join(' AND ') : ''} ORDER BY year, number LIMIT ?`;
    return this.db.prepare(sql).all(...args, filter.limit ?? 5000).map((r) => toReceipt(r as ReceiptRow));
  }

  /**
   * A cashier's receipts of one day, newest first, each with its order (payer, lines, file)
   * — the list the cashier reprints from and asks voids from (issue 11 item 6).
   */
  dayReceipts(cashier: string, day: string = localDay(this.clock(), this.timeZone)): { receipt: Receipt; order: PaymentOrder }[] {
    return this.db.prepare<[string, string], ReceiptRow>('SELECT * FROM receipts WHERE cashier = ? AND day = ? ORDER BY number DESC')
      .all(cashier, day).map((r) => ({ receipt: toReceipt(r), order: this.order(r.order_id) }));
  }

  // ---- payment orders ----

  private insertOrder(o: { fileId: number | null; serviceId: number; payerName: string; payerNationalId: string | null; reference: string | null; lines: FeeLine[] }, actor: string): PaymentOrder {
    const lines = o.lines.filter((l) => l.amountPiasters > 0);
    const total = lines.reduce((a, l) => a + l.amountPiasters, 0);
    if (total <= 0) throw new DomainError('NOTHING_TO_PAY', 'لا توجد مبالغ مستحقة في إذن الدفع', { details: [{ path: '/fees', message: 'لا توجد مبالغ مستحقة' }] });
    const now = this.clock();
    const id = Number(this.db.prepare(`INSERT INTO payment_orders (file_id, service_id, payer_name, payer_national_id, reference, status, total_piasters, issued_at, issued_by)
      VALUES (?, ?, ?, ?, ?, 'open', ?, ?, ?)`).run(o.fileId, o.serviceId, o.payerName, o.payerNationalId, o.reference, total, now, actor).lastInsertRowid);
    lines.forEach((l, i) => this.q.insertLine.run(id, l.code, i, l.labelAr, l.labelEn, l.amountPiasters));
    const after = this.order(id);
    this.audit.append({ actor, action: 'payment_order.issue', entity: 'payment_order', entityId: id, after });
    this.uow.topic('payments');
    return after;
  }

  /** The fees the representative fixed, for a file awaiting payment. An open order is returned as is. */
  issueForFile(fileId: number, user: StaffUser): { order: PaymentOrder; created: boolean } {
    return this.uow.run(() => {
      const f = this.files.scoped(fileId, user);
      const open = this.db.prepare<[number], { id: number }>("SELECT id FROM payment_orders WHERE file_id = ? AND status = 'open'").get(fileId);
      if (open) return { order: this.order(open.id), created: false };
      if (!deskActionOpen('payment_order', f.status)) {
        throw new DomainError('INVALID_TRANSITION', `الملف ليس في انتظار السداد (${f.statusAr})`, { en: 'The file is not awaiting payment' });
      }
      const order = this.insertOrder({
        fileId, serviceId: f.serviceId, payerName: f.citizenName, payerNationalId: f.citizenNationalId, reference: f.inquiry, lines: this.files.fees(fileId),
      }, staffKey(user));
      return { order, created: true };
    });
  }

  /** Housing revenues, inspection fees (electricity, water …): by the service's fee schedule, no file. */
  issueRevenue(input: { serviceId: number; fees: { code: string; amountPiasters: number }[]; payerName: string; payerNationalId?: string; reference?: string }, user: StaffUser): PaymentOrder {
    const service = this.catalog.service(input.serviceId);
    if (!service.active) throw new DomainError('SERVICE_INACTIVE', 'هذه الخدمة متوقفة حالياً', { details: [{ path: '/serviceId', message: 'هذه الخدمة متوقفة حالياً' }] });
    // Only the catalog items marked as paid without a file (issue 11 item 9): a building
    // permit's fees are fixed on its file by the technical review, never charged alone.
    if (!service.withoutFile) {
      const m = `رسوم «${service.nameAr}» تُحصَّل على ملف الطلب بعد المراجعة الفنية، لا كإيراد بدون ملف`;
      throw new DomainError('FILE_REQUIRED', m, { en: 'This item is paid on its case file, not as a revenue without a file', details: [{ path: '/serviceId', message: m }] });
    }
    const payerName = input.payerName.trim().replace(/\s+/g, ' ');
    if (payerName.length < 3) throw new DomainError('VALIDATION', 'اكتب اسم الدافع كاملاً', { details: [{ path: '/payerName', message: 'اكتب اسم الدافع كاملاً' }] });
    const nid = input.payerNationalId ? this.citizens.parseId(input.payerNationalId, '/payerNationalId').nationalId : null;
    const charged = this.catalog.chargeFees(service.id, input.fees);
    return this.uow.run(() => this.insertOrder({
      fileId: null, serviceId: service.id, payerName, payerNationalId: nid, reference: input.reference?.trim() || null, lines: charged.lines,
    }, staffKey(user)));
  }

  cancelOrder(id: number, reason: string, user: StaffUser): PaymentOrder {
    return this.uow.run(() => {
      const before = this.order(id);
      if (before.status !== 'open') throw new DomainError('INVALID_TRANSITION', 'لا يلغى إلا إذن دفع لم يسدد', { en: 'Only an open order can be cancelled' });
      this.db.prepare("UPDATE payment_orders SET status = 'cancelled', version = version + 1 WHERE id = ?").run(id);
      const after = this.order(id);
      this.audit.append({ actor: staffKey(user), action: 'payment_order.cancel', entity: 'payment_order', entityId: id, before, after: { ...after, reason } });
      this.uow.topic('payments');
      return after;
    });
  }

  // ---- collection and receipts ----

  private dayClosed(cashier: string, day: string): boolean {
    return this.q.closed.get(cashier, day) !== undefined;
  }

  /**
   * The cashier collects an open order: the year's counter, the receipt, the order and
   * (for a file) its stage change, all in one transaction.
   */
  collect(orderId: number, o: { version?: number; window?: number | null }, user: StaffUser): { receipt: Receipt; order: PaymentOrder } {
    const actor = staffKey(user);
    return this.uow.run(() => {
      const before = this.order(orderId);
      if (o.version !== undefined && o.version !== before.version) {
        throw new DomainError('STALE_UPDATE', 'تغير إذن الدفع منذ فتحه، أعد تحميل البيانات', { en: 'Stale payment order' });
      }
      if (before.status !== 'open') {
        throw new DomainError(before.status === 'paid' ? 'ALREADY_PAID' : 'INVALID_TRANSITION',
          before.status === 'paid' ? 'إذن الدفع مسدد بالفعل' : 'إذن الدفع ملغى', { en: `Order is ${before.status}` });
      }
      const now = this.clock();
      const day = localDay(now, this.timeZone);
      if (this.dayClosed(actor, day)) throw new DomainError('DAY_CLOSED', 'أُقفلت يوميتك لهذا اليوم؛ لا تحصيل بعد الإقفال', { en: 'Your cash day is closed' });
      const year = localParts(now, this.timeZone).year;
      const { last } = this.q.bumpCounter.get(year) as { last: number };
      const id = Number(this.q.insertReceipt.run(year, last, orderId, day, before.totalPiasters, actor, o.window ?? user.window, now).lastInsertRowid);
      this.db.prepare("UPDATE payment_orders SET status = 'paid', version = version + 1 WHERE id = ?").run(orderId);
      const receipt = this.receipt(id);
      if (before.fileId !== null) this.files.markPaid(before.fileId, user, receipt.label);
      const after = this.order(orderId);
      this.audit.append({ actor, action: 'receipt.issue', entity: 'receipt', entityId: id, after: receipt });
      this.audit.append({ actor, action: 'payment_order.collect', entity: 'payment_order', entityId: orderId, before, after });
      this.uow.topic('payments');
      return { receipt, order: after };
    });
  }

  /** Step 1 of a void: the cashier who holds the money asks, with a reason. */
  requestVoid(receiptId: number, reason: string, user: StaffUser): Receipt {
    const actor = staffKey(user);
    return this.uow.run(() => {
      const before = this.receipt(receiptId);
      const v = canRequestVoid({ status: before.status, cashier: before.cashier, voidRequestedBy: before.voidRequestedBy }, reason, this.dayClosed(before.cashier, before.day));
      if (!v.ok) {
        if (v.code === 'REASON_REQUIRED') throw new DomainError('VALIDATION', v.ar, { en: v.en, details: [{ path: '/reason', message: v.ar }] });
        throw new DomainError(v.code, v.ar, { en: v.en });
      }
      const order = this.order(before.orderId);
      if (order.fileId !== null) {
        const f = this.files.scoped(order.fileId, null);
        if (f.status !== 'paid') {
          throw new DomainError('FILE_ADVANCED', `لا يلغى إيصال ملف تجاوز مرحلة السداد (${f.statusAr})`, { en: 'The file has moved past payment' });
        }
      }
      this.db.prepare("UPDATE receipts SET status = 'void_requested', void_reason = ?, void_requested_by = ?, void_requested_at = ? WHERE id = ?")
        .run(reason.trim(), actor, this.clock(), receiptId);
      const after = this.receipt(receiptId);
      this.audit.append({ actor, action: 'receipt.void_request', entity: 'receipt', entityId: receiptId, before, after });
      this.uow.topic('payments');
      return after;
    });
  }

  /** Step 2: the manager confirms (the receipt is voided, the order cancelled, the file reopened for payment) or declines. */
  decideVoid(receiptId: number, o: { confirm: boolean; note?: string }, user: StaffUser): Receipt {
    const actor = staffKey(user);
    return this.uow.run(() => {
      const before = this.receipt(receiptId);
      const v = canDecideVoid({ status: before.status, cashier: before.cashier, voidRequestedBy: before.voidRequestedBy }, actor);
      if (!v.ok) throw new DomainError(v.code, v.ar, { en: v.en });
      const now = this.clock();
      if (o.confirm) {
        this.db.prepare("UPDATE receipts SET status = 'voided', voided_by = ?, voided_at = ? WHERE id = ?").run(actor, now, receiptId);
        this.db.prepare("UPDATE payment_orders SET status = 'cancelled', version = version + 1 WHERE id = ?").run(before.orderId);
        const order = this.order(before.orderId);
        if (order.fileId !== null) this.files.reopenPayment(order.fileId, before.label);
      } else {
        this.db.prepare("UPDATE receipts SET status = 'valid', void_reason = NULL, void_requested_by = NULL, void_requested_at = NULL WHERE id = ?").run(receiptId);
      }
      const after = this.receipt(receiptId);
      this.audit.append({ actor, action: o.confirm ? 'receipt.void' : 'receipt.void_decline', entity: 'receipt', entityId: receiptId, before, after: { ...after, note: o.note ?? null } });
      this.uow.topic('payments');
      return after;
    });
  }

  // ---- the daily close ----

  private summaryOf(cashier: string, day: string): CloseSummary {
    const rows = this.db.prepare<[string, string], ReceiptRow>('SELECT * FROM receipts WHERE cashier = ? AND day = ? ORDER BY number').all(cashier, day);
    const linesOf = this.db.prepare<[number], { code: string; label_ar: string; amount_piasters: number }>('SELECT code, label_ar, amount_piasters FROM payment_order_lines WHERE order_id = ?');
    return summarizeDay(rows.map((r) => ({
      number: r.number, totalPiasters: r.total_piasters, status: r.status,
      lines: linesOf.all(r.order_id).map((l) => ({ code: l.code, labelAr: l.label_ar, amountPiasters: l.amount_piasters })),
    })));
  }

  /** The running totals of a cashier's day (before or after the close). */
  dayReport(cashier: string, day: string = localDay(this.clock(), this.timeZone)): { cashier: string; day: string; closed: DailyClose | null; summary: CloseSummary } {
    const c = this.db.prepare<[string, string], { id: number; cashier: string; day: string; closed_at: number; summary_json: string }>(
      'SELECT * FROM cash_closes WHERE cashier = ? AND day = ?').get(cashier, day);
    return {
      cashier, day, summary: this.summaryOf(cashier, day),
      closed: c ? { id: c.id, cashier: c.cashier, day: c.day, closedAt: c.closed_at, summary: JSON.parse(c.summary_json) as CloseSummary } : null,
    };
  }

  /** Close today's cash for this cashier: the totals are frozen; no more collections today. */
  closeDay(user: StaffUser): DailyClose {
    const actor = staffKey(user);
    return this.uow.run(() => {
      const now = this.clock();
      const day = localDay(now, this.timeZone);
      if (this.dayClosed(actor, day)) throw new DomainError('DAY_CLOSED', 'أُقفلت يوميتك لهذا اليوم بالفعل', { en: 'Already closed' });
      const summary = this.summaryOf(actor, day);
      const id = Number(this.db.prepare('INSERT INTO cash_closes (cashier, day, closed_at, receipts, total_piasters, summary_json) VALUES (?, ?, ?, ?, ?, ?)')
        .run(actor, day, now, summary.receipts, summary.totalPiasters, JSON.stringify(summary)).lastInsertRowid);
      const close: DailyClose = { id, cashier: actor, day, closedAt: now, summary };
      this.audit.append({ actor, action: 'cash.close', entity: 'cash_close', entityId: id, after: close });
      this.uow.topic('payments');
      return close;
    });
  }
}
