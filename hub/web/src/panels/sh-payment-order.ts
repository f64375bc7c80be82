// A payment order (إذن دفع) as the revenue clerk prints it on the 80 mm printer: the
// file, the payer, each fee by law and the total, for the cashier to collect.
import { LitElement, html } from 'lit';
import { LangController, centerName, currentLang, fmtDate, fmtMoney, fmtTime } from '../i18n/index.ts';
import { shared } from '../components/shared-styles.ts';
import type { PaymentOrder } from './file-types.ts';

const L = {
  ar: { title: 'إذن دفع', n: 'رقم الإذن', file: 'رقم الاستعلام', payer: 'اسم الدافع', service: 'الخدمة', total: 'الإجمالي', print: 'طباعة إذن الدفع', status: 'الحالة', open: 'لم يُسدد', paid: 'مُسدد', cancelled: 'ملغى', go: 'يُسدد بشباك الخزينة' },
  en: { title: 'Payment order', n: 'Order no.', file: 'Inquiry number', payer: 'Payer', service: 'Service', total: 'Total', print: 'Print payment order', status: 'Status', open: 'Unpaid', paid: 'Paid', cancelled: 'Cancelled', go: 'Pay at the treasury window' },
};

export class ShPaymentOrder extends LitElement {
  static override properties = { order: { attribute: false } };
  declare order: PaymentOrder | null;
  static override styles = shared;

  constructor() {
    super();
    this.order = null;
    new LangController(this);
  }

  override render() {
    const o = this.order;
    if (!o) return null;
    const s = L[currentLang()];
    return html`
      <div class="sheet-80mm" data-testid="payment-order">
        <p class="muted" style="text-align: center">${centerName}</p>
        <h3>${s.title}</h3>
        <table><tbody>
          <tr><th>${s.n}</th><td class="ltr" data-testid="order-number">${o.id}</td></tr>
          ${o.fileInquiry ? html`<tr><th>${s.file}</th><td class="ltr">${o.fileInquiry}</td></tr>` : null}
          <tr><th>${s.service}</th><td>${o.serviceNameAr}</td></tr>
          <tr><th>${s.payer}</th><td>${o.payerName}</td></tr>
          ${o.lines.map((l) => html`<tr><td>${l.labelAr}</td><td>${fmtMoney(l.amountPiasters)}</td></tr>`)}
          <tr><th>${s.total}</th><th data-testid="order-total">${fmtMoney(o.totalPiasters)}</th></tr>
          <tr><th>${s.status}</th><td>${s[o.status]}</td></tr>
        </tbody></table>
        <p class="muted">${fmtDate(o.issuedAt)} ${fmtTime(o.issuedAt)} — ${s.go}</p>
        <p class="no-print"><button @click=${() => this.dispatchEvent(new Event('print'))}>${s.print}</button></p>
      </div>`;
  }
}
customElements.define('sh-payment-order', ShPaymentOrder);
