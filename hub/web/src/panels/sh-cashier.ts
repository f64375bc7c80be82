// Cashier (موظف الخزينة): open payment orders (live on the 'payments' topic), collect one
// → a numbered receipt printed on 80 mm with a QR code to the public status page; today's
// receipts of this cashier (from the hub, so none vanishes on reload) to reprint one or
// ask to void it (the manager confirms); the day's totals and the daily close, confirmed
// against those totals. Each button is disabled while its request runs, and a collect
// carries one idempotency key per order version, so a double click or a retry shows the
// first receipt, never a STALE_UPDATE (issue 11 items 6–8).
import { LitElement, css, html } from 'lit';
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
    valid: 'ساري', void_requested: 'طلب إلغاء لدى مدير المركز', voided: 'ملغى',
    todays: 'إيصالات اليوم', noReceipts: 'لم تصدر إيصالات اليوم', time: 'الوقت', status: 'الحالة', open: 'عرض وإعادة طباعة',
    confirmClose: 'تأكيد إقفال يومية اليوم', confirmText: 'بعد الإقفال لا تحصيل اليوم. راجع الإجماليات:', confirmGo: 'تأكيد الإقفال', cancel: 'تراجع' },
  en: { orders: 'Open payment orders', none: 'No open orders', n: 'Order no.', payer: 'Payer', total: 'Amount', collect: 'Collect and issue receipt',
    receipt: 'Receipt', receiptNo: 'Receipt no.', inquiry: 'Inquiry number', scan: 'Scan to follow your application', print: 'Print receipt', voidAsk: 'Ask to void', reason: 'Reason',
    day: 'Cash day', count: 'Receipts', voidedCount: 'Voided', close: 'Close the day', closed: 'Day closed', from: 'from {a} to {b}', voidSent: 'Void request sent to the manager', cashier: 'Treasury',
    valid: 'Valid', void_requested: 'Void requested', voided: 'Voided',
    todays: "Today's receipts", noReceipts: 'No receipts yet today', time: 'Time', status: 'Status', open: 'Show and reprint',
    confirmClose: "Confirm today's close", confirmText: 'No collection after the close. Check the totals:', confirmGo: 'Close the day', cancel: 'Back' },
};

type Collected = { receipt: Receipt; order: PaymentOrder };

export class ShCashier extends LitElement {
  static override properties = {
    window: { type: Number }, orders: { state: true }, receipt: { state: true }, day: { state: true }, receipts: { state: true },
    busy: { state: true }, confirming: { state: true },
  };
  declare window: number;
  declare orders: PaymentOrder[];
  declare receipt: Collected | null;
  declare day: DayReport | null;
  /** Today's receipts of this cashier, newest first. */
  declare receipts: Collected[];
  /** What is being sent now ('collect:12', 'void', 'close'): its button is disabled until the answer. */
  declare busy: string | null;
  /** The daily close waits for the cashier to confirm the totals shown. */
  declare confirming: boolean;
  static override styles = [shared, css`tr.selected td { background: #eef6f2; }`];

  constructor() {
    super();
    this.window = 0;
    this.orders = [];
    this.receipt = null;
    this.day = null;
    this.receipts = [];
    this.busy = null;
    this.confirming = false;
    new LangController(this);
    new LiveStaffController(this, ['payments'], () => void this.load());
  }

  private async load(): Promise<void> {
    try {
      [this.orders, this.day, this.receipts] = await Promise.all([
        api<PaymentOrder[]>('GET', '/api/payments/orders?status=open'),
        api<DayReport>('GET', '/api/payments/day'),
        api<Collected[]>('GET', '/api/payments/day/receipts'),
      ]);
      // The receipt on screen follows its status (a void asked, confirmed by the manager).
      const shown = this.receipt && this.receipts.find((x) => x.receipt.id === this.receipt!.receipt.id);
      if (shown) this.receipt = shown;
    } catch (err) {
      showError(err);
    }
  }

  /** Run one request with its button disabled; a second press while it runs does nothing. */
  private async run(what: string, fn: () => Promise<void>): Promise<void> {
    if (this.busy) return;
    this.busy = what;
    try {
      await fn();
    } catch (err) {
      showError(err);
    } finally {
      this.busy = null;
    }
  }

  private collect(o: PaymentOrder): Promise<void> {
    return this.run(`collect:${o.id}`, async () => {
      // One key per intended action — this order at this version — reused by any repeat,
      // so the hub answers a repeat with the first receipt (hub/services/idempotency.ts).
      this.receipt = await api<Collected>('POST', `/api/payments/orders/${o.id}/collect`, { version: o.version, ...(this.window ? { window: this.window } : {}) },
        { key: `collect-o${o.id}-v${o.version}` });
      await this.load();
    });
  }

  private askVoid(e: Event): Promise<void> {
    e.preventDefault();
    const shown = this.receipt;
    if (!shown) return Promise.resolve();
    const reason = String(new FormData(e.target as HTMLFormElement).get('reason'));
    return this.run('void', async () => {
      const r = await api<Receipt>('POST', `/api/payments/receipts/${shown.receipt.id}/void-request`, { reason });
      this.receipt = { ...shown, receipt: r };
      showOk(L[currentLang()].voidSent);
      await this.load();
    });
  }

  /** First step of the close: fresh totals on screen, to be confirmed. */
  private askClose(): Promise<void> {
    return this.run('close', async () => {
      await this.load();
      this.confirming = true;
    });
  }

  private closeDay(): Promise<void> {
    return this.run('close', async () => {
      await api('POST', '/api/payments/day/close');
      this.confirming = false;
      await this.load();
    });
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
            <td><button class="primary" ?disabled=${this.busy !== null} aria-busy=${this.busy === `collect:${o.id}` ? 'true' : 'false'}
              @click=${() => this.collect(o)}>${s.collect}</button></td></tr>`)}</tbody></table>` : html`<p class="muted">${s.none}</p>`}
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
            ${r.receipt.status === 'valid' ? html`<form class="row" @submit=${this.askVoid}><input name="reason" required placeholder=${s.reason} aria-label=${s.reason}><button class="danger" ?disabled=${this.busy !== null}>${s.voidAsk}</button></form>` : null}
          </div>
        </section>` : null}
      <section class="card no-print" data-testid="todays-receipts">
        <h2>${s.todays}</h2>
        ${this.receipts.length ? html`<table>
          <thead><tr><th>${s.receiptNo}</th><th>${s.time}</th><th>${s.payer}</th><th>${s.total}</th><th>${s.status}</th><th></th></tr></thead>
          <tbody>${this.receipts.map((x) => html`<tr data-receipt=${x.receipt.label} class=${this.receipt?.receipt.id === x.receipt.id ? 'selected' : ''}>
            <td class="ltr">${x.receipt.label}</td><td>${fmtTime(x.receipt.collectedAt)}</td>
            <td>${x.order.payerName}<div class="muted">${x.order.serviceNameAr}</div></td><td><b>${fmtMoney(x.receipt.totalPiasters)}</b></td>
            <td><span class="pill ${x.receipt.status === 'valid' ? 'ok' : x.receipt.status === 'voided' ? 'bad' : 'warn'}">${s[x.receipt.status]}</span></td>
            <td><button @click=${() => { this.receipt = x; }}>${s.open}</button></td></tr>`)}</tbody></table>`
          : html`<p class="muted">${s.noReceipts}</p>`}
      </section>
      ${d ? html`
        <section class="card no-print" data-testid="cash-day">
          <h2>${s.day} — ${fmtDate(d.day)}</h2>
          <p>${s.count}: <b>${d.summary.receipts}</b> · ${s.total}: <b>${fmtMoney(d.summary.totalPiasters)}</b>
            ${d.summary.firstNumber !== null ? html` · ${s.from.replace('{a}', String(d.summary.firstNumber)).replace('{b}', String(d.summary.lastNumber))}` : null}
            · ${s.voidedCount}: ${d.summary.voided} (${fmtMoney(d.summary.voidedPiasters)})</p>
          <table><tbody>${d.summary.byFeeItem.map((x) => html`<tr><td>${x.labelAr}</td><td>${x.count}</td><td>${fmtMoney(x.totalPiasters)}</td></tr>`)}</tbody></table>
          ${d.closed ? html`<p class="pill ok">${s.closed} ${fmtTime(d.closed.closedAt)}</p>`
            : this.confirming ? html`<div role="alertdialog" aria-label=${s.confirmClose} data-testid="close-confirm" class="card">
                <h3>${s.confirmClose}</h3>
                <p>${s.confirmText}</p>
                <p>${s.count}: <b data-testid="confirm-count">${d.summary.receipts}</b> · ${s.total}: <b data-testid="confirm-total">${fmtMoney(d.summary.totalPiasters)}</b>
                  · ${s.voidedCount}: ${d.summary.voided} (${fmtMoney(d.summary.voidedPiasters)})</p>
                <div class="row"><button class="primary" ?disabled=${this.busy !== null} @click=${() => this.closeDay()}>${s.confirmGo}</button>
                  <button ?disabled=${this.busy !== null} @click=${() => { this.confirming = false; }}>${s.cancel}</button></div>
              </div>`
            : html`<p><button ?disabled=${this.busy !== null} @click=${() => this.askClose()}>${s.close}</button></p>`}
        </section>` : null}`;
  }
}
customElements.define('sh-cashier', ShCashier);
