// Cashier (موظف الخزينة): open payment orders (live on the 'payments' topic), collect one
// → a numbered receipt printed on 80 mm with a QR code to the public status page; ask to
// void a wrong receipt (the manager confirms); the day's totals and the daily close.
import { LitElement, html } from 'lit';
import { api } from '../api.ts';
import { LiveStaffController } from '../controllers/live-staff.ts';
import { LangController, centerName, currentLang, fmtDate, fmtMoney, fmtTime } from '../i18n/index.ts';
import { shared } from '../components/shared-styles.ts';
import { showError, showOk } from '../components/sh-toast.ts';
import { statusUrl } from '../components/sh-qr.ts';
import '../components/sh-qr.ts';
import type { PaymentOrder, Receipt } from './file-types.ts';

type DayReport = {
  cashier: string; day: string; closed: { closedAt: number } | null;
  summary: { receipts: number; totalPiasters: number; voided: number; voidedPiasters: number; firstNumber: number | null; lastNumber: number | null;
    byFeeItem: { code: string; labelAr: string; count: number; totalPiasters: number }[] };
};

const L = {
  ar: { orders: 'أذونات الدفع المفتوحة', none: 'لا توجد أذونات مفتوحة', n: 'رقم الإذن', payer: 'الدافع', total: 'المبلغ', collect: 'تحصيل وإصدار إيصال',
    receipt: 'إيصال سداد', receiptNo: 'رقم الإيصال', inquiry: 'رقم الاستعلام', scan: 'امسح الرمز لمتابعة طلبك', print: 'طباعة الإيصال', voidAsk: 'طلب إلغاء الإيصال', reason: 'سبب الإلغاء',
    day: 'يومية الخزينة', count: 'عدد الإيصالات', voidedCount: 'الملغاة', close: 'إقفال اليومية', closed: 'أُقفلت اليومية', from: 'من رقم {a} إلى {b}', voidSent: 'أُرسل طلب الإلغاء لمدير المركز', cashier: 'الخزينة',
    valid: 'ساري', void_requested: 'طلب إلغاء لدى مدير المركز', voided: 'ملغى' },
  en: { orders: 'Open payment orders', none: 'No open orders', n: 'Order no.', payer: 'Payer', total: 'Amount', collect: 'Collect and issue receipt',
    receipt: 'Receipt', receiptNo: 'Receipt no.', inquiry: 'Inquiry number', scan: 'Scan to follow your application', print: 'Print receipt', voidAsk: 'Ask to void', reason: 'Reason',
    day: 'Cash day', count: 'Receipts', voidedCount: 'Voided', close: 'Close the day', closed: 'Day closed', from: 'from {a} to {b}', voidSent: 'Void request sent to the manager', cashier: 'Treasury',
    valid: 'Valid', void_requested: 'Void requested', voided: 'Voided' },
};

export class ShCashier extends LitElement {
  static override properties = { window: { type: Number }, orders: { state: true }, selected: { state: true }, receipt: { state: true }, day: { state: true } };
  declare window: number;
  declare orders: PaymentOrder[];
  declare selected: PaymentOrder | null;
  declare receipt: { receipt: Receipt; order: PaymentOrder } | null;
  declare day: DayReport | null;
  static override styles = shared;

  constructor() {
    super();
    this.window = 0;
    this.orders = [];
    this.selected = null;
    this.receipt = null;
    this.day = null;
    new LangController(this);
    new LiveStaffController(this, ['payments'], () => void this.load());
  }

  private async load(): Promise<void> {
    try {
      [this.orders, this.day] = await Promise.all([
        api<PaymentOrder[]>('GET', '/api/payments/orders?status=open'),
        api<DayReport>('GET', '/api/payments/day'),
      ]);
    } catch (err) {
      showError(err);
    }
  }

  private async collect(o: PaymentOrder): Promise<void> {
    try {
      this.receipt = await api<{ receipt: Receipt; order: PaymentOrder }>('POST', `/api/payments/orders/${o.id}/collect`, { version: o.version, ...(this.window ? { window: this.window } : {}) });
      this.selected = null;
      await this.load();
    } catch (err) {
      showError(err);
    }
  }

  private async askVoid(e: Event): Promise<void> {
    e.preventDefault();
    if (!this.receipt) return;
    const reason = String(new FormData(e.target as HTMLFormElement).get('reason'));
    try {
      const r = await api<Receipt>('POST', `/api/payments/receipts/${this.receipt.receipt.id}/void-request`, { reason });
      this.receipt = { ...this.receipt, receipt: r };
      showOk(L[currentLang()].voidSent);
    } catch (err) {
      showError(err);
    }
  }

  private async closeDay(): Promise<void> {
    try {
      await api('POST', '/api/payments/day/close');
      await this.load();
    } catch (err) {
      showError(err);
    }
  }

  override render() {
    const s = L[currentLang()];
    const r = this.receipt;
    const d = this.day;
    return html`
      <section class="card no-print">
        <h2>${s.orders}</h2>
        ${this.orders.length ? html`<table data-testid="open-orders">
          <thead><tr><th>${s.n}</th><th>${s.inquiry}</th><th>${s.payer}</th><th>${s.total}</th><th></th></tr></thead>
          <tbody>${this.orders.map((o) => html`<tr data-order=${o.id}>
            <td class="ltr">${o.id}</td><td class="ltr">${o.fileInquiry ?? '—'}</td><td>${o.payerName}<div class="muted">${o.serviceNameAr}</div></td>
            <td><b>${fmtMoney(o.totalPiasters)}</b></td>
            <td><button class="primary" @click=${() => this.collect(o)}>${s.collect}</button></td></tr>`)}</tbody></table>` : html`<p class="muted">${s.none}</p>`}
      </section>
      ${r ? html`
        <section class="card">
          <div class="sheet-80mm" data-testid="receipt">
            <p class="muted" style="text-align: center">${centerName}</p>
            <h3>${s.receipt}</h3>
            <table><tbody>
              <tr><th>${s.receiptNo}</th><td class="ltr" data-testid="receipt-number">${r.receipt.label}</td></tr>
              ${r.order.fileInquiry ? html`<tr><th>${s.inquiry}</th><td class="ltr">${r.order.fileInquiry}</td></tr>` : null}
              <tr><th>${s.payer}</th><td>${r.order.payerName}</td></tr>
              ${r.order.lines.map((l) => html`<tr><td>${l.labelAr}</td><td>${fmtMoney(l.amountPiasters)}</td></tr>`)}
              <tr><th>${s.total}</th><th>${fmtMoney(r.receipt.totalPiasters)}</th></tr>
            </tbody></table>
            <p class="muted">${fmtDate(r.receipt.collectedAt)} ${fmtTime(r.receipt.collectedAt)} — ${s.cashier} ${r.receipt.window ?? ''}</p>
            ${r.order.fileInquiry ? html`<div style="text-align: center"><sh-qr .text=${statusUrl(r.order.fileInquiry)}></sh-qr><div class="muted">${s.scan}</div></div>` : null}
            ${r.receipt.status !== 'valid' ? html`<p class="pill bad" data-testid="receipt-status">${s[r.receipt.status]}</p>` : null}
          </div>
          <div class="no-print row">
            <button @click=${() => window.print()}>${s.print}</button>
            ${r.receipt.status === 'valid' ? html`<form class="row" @submit=${this.askVoid}><input name="reason" required placeholder=${s.reason} aria-label=${s.reason}><button class="danger">${s.voidAsk}</button></form>` : null}
          </div>
        </section>` : null}
      ${d ? html`
        <section class="card no-print" data-testid="cash-day">
          <h2>${s.day} — ${fmtDate(d.day)}</h2>
          <p>${s.count}: <b>${d.summary.receipts}</b> · ${s.total}: <b>${fmtMoney(d.summary.totalPiasters)}</b>
            ${d.summary.firstNumber !== null ? html` · ${s.from.replace('{a}', String(d.summary.firstNumber)).replace('{b}', String(d.summary.lastNumber))}` : null}
            · ${s.voidedCount}: ${d.summary.voided} (${fmtMoney(d.summary.voidedPiasters)})</p>
          <table><tbody>${d.summary.byFeeItem.map((x) => html`<tr><td>${x.labelAr}</td><td>${x.count}</td><td>${fmtMoney(x.totalPiasters)}</td></tr>`)}</tbody></table>
          ${d.closed ? html`<p class="pill ok">${s.closed} ${fmtTime(d.closed.closedAt)}</p>` : html`<p><button @click=${this.closeDay}>${s.close}</button></p>`}
        </section>` : null}`;
  }
}
customElements.define('sh-cashier', ShCashier);
