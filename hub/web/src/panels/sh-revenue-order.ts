// Revenue window's other work: housing revenues and inspection fees (electricity, water …)
// that belong to no file — a payment order under a service's fee schedule, printed for
// the cashier. Only the catalog items marked "without a file" are offered (the hub refuses
// the others: issue 11 item 9).
import { LitElement, html } from 'lit';
import { api } from '../api.ts';
import { LangController, currentLang, fmtMoney } from '../i18n/index.ts';
import { shared } from '../components/shared-styles.ts';
import { showError, showInvalid } from '../components/sh-toast.ts';
import { poundsToPiasters } from './sh-file-desk.ts';
import './sh-payment-order.ts';
import type { Service } from './catalog-types.ts';
import type { PaymentOrder } from './file-types.ts';

const L = {
  ar: { title: 'إيرادات أخرى (إسكان، رسوم تفتيش)', service: 'البند', payer: 'اسم الدافع', nid: 'الرقم القومي', ref: 'رقم الوحدة أو العداد أو الحساب', issue: 'إصدار إذن دفع', fixed: 'ثابت' },
  en: { title: 'Other revenue (housing, inspection fees)', service: 'Item', payer: 'Payer name', nid: 'National ID', ref: 'Unit, meter or account number', issue: 'Issue payment order', fixed: 'fixed' },
};

export class ShRevenueOrder extends LitElement {
  static override properties = { services: { state: true }, serviceId: { state: true }, order: { state: true } };
  declare services: Service[];
  declare serviceId: number;
  declare order: PaymentOrder | null;
  static override styles = shared;

  constructor() {
    super();
    this.services = [];
    this.serviceId = 0;
    this.order = null;
    new LangController(this);
  }

  override async connectedCallback(): Promise<void> {
    super.connectedCallback();
    try {
      this.services = (await api<Service[]>('GET', '/api/services')).filter((s) => s.withoutFile && s.fees.length > 0);
      this.serviceId ||= this.services[0]?.id ?? 0;
    } catch (err) {
      showError(err);
    }
  }

  private async issue(e: Event): Promise<void> {
    e.preventDefault();
    // Taken now: a shadow-DOM event loses its target once dispatch ends (after the await below).
    const form = e.target as HTMLFormElement;
    const d = new FormData(form);
    const svc = this.services.find((x) => x.id === this.serviceId);
    if (!svc) return;
    const fees: { code: string; amountPiasters: number }[] = [];
    for (const x of svc.fees.filter((f) => f.kind === 'variable')) {
      const p = poundsToPiasters(String(d.get(`fee:${x.code}`)));
      if (p === null) return showInvalid(x.labelAr);
      fees.push({ code: x.code, amountPiasters: p });
    }
    try {
      this.order = await api<PaymentOrder>('POST', '/api/revenue/orders', {
        serviceId: svc.id, fees, payerName: String(d.get('payer')),
        payerNationalId: String(d.get('nid')) || undefined, reference: String(d.get('ref')) || undefined,
      });
      form.reset();
    } catch (err) {
      showError(err);
    }
  }

  override render() {
    const s = L[currentLang()];
    const en = currentLang() === 'en';
    const svc = this.services.find((x) => x.id === this.serviceId);
    return html`
      <section class="card no-print">
        <h2>${s.title}</h2>
        <form class="row" @submit=${this.issue}>
          <label>${s.service}<select @change=${(e: Event) => (this.serviceId = Number((e.target as HTMLSelectElement).value))}>
            ${this.services.map((x) => html`<option value=${x.id} ?selected=${x.id === this.serviceId}>${en ? x.nameEn : x.nameAr}</option>`)}</select></label>
          ${svc?.fees.map((x) => x.kind === 'fixed'
            ? html`<span class="pill">${x.labelAr}: ${fmtMoney(x.amountPiasters ?? 0)} (${s.fixed})</span>`
            : html`<label>${x.labelAr}<input name="fee:${x.code}" required inputmode="decimal" class="ltr" style="width: 8rem"></label>`)}
          <label>${s.payer}<input name="payer" required></label>
          <label>${s.nid}<input name="nid" class="ltr" inputmode="numeric"></label>
          <label>${s.ref}<input name="ref" class="ltr"></label>
          <button class="primary">${s.issue}</button>
        </form>
      </section>
      ${this.order ? html`<section class="card"><sh-payment-order .order=${this.order} @print=${() => window.print()}></sh-payment-order></section>` : null}`;
  }
}
customElements.define('sh-revenue-order', ShRevenueOrder);
