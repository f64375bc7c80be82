// The manager's half of a receipt void: the cashier asked with a reason; the manager
// confirms (the receipt is voided, never deleted, and its file reopens for payment) or declines.
import { LitElement, html } from 'lit';
import { api } from '../api.ts';
import { LiveStaffController } from '../controllers/live-staff.ts';
import { LangController, currentLang, fmtDate, fmtMoney, fmtTime } from '../i18n/index.ts';
import { shared } from '../components/shared-styles.ts';
import { showError } from '../components/sh-toast.ts';
import type { Receipt } from './file-types.ts';

const L = {
  ar: { title: 'طلبات إلغاء إيصالات', none: 'لا توجد طلبات', n: 'رقم الإيصال', amount: 'المبلغ', reason: 'السبب', confirm: 'تأكيد الإلغاء', decline: 'رفض الطلب' },
  en: { title: 'Receipt void requests', none: 'No requests', n: 'Receipt no.', amount: 'Amount', reason: 'Reason', confirm: 'Confirm void', decline: 'Decline' },
};

export class ShVoidApprovals extends LitElement {
  static override properties = { receipts: { state: true } };
  declare receipts: Receipt[];
  static override styles = shared;

  constructor() {
    super();
    this.receipts = [];
    new LangController(this);
    new LiveStaffController(this, ['payments'], () => void this.load());
  }

  private async load(): Promise<void> {
    try {
      this.receipts = await api<Receipt[]>('GET', '/api/payments/receipts?status=void_requested');
    } catch (err) {
      showError(err);
    }
  }

  private async decide(r: Receipt, confirm: boolean): Promise<void> {
    try {
      await api('POST', `/api/payments/receipts/${r.id}/void-decision`, { confirm });
      await this.load();
    } catch (err) {
      showError(err);
    }
  }

  override render() {
    const s = L[currentLang()];
    return html`
      <section class="card no-print">
        <h2>${s.title}</h2>
        ${this.receipts.length ? html`<table data-testid="void-requests">
          <thead><tr><th>${s.n}</th><th>${s.amount}</th><th>${s.reason}</th><th></th></tr></thead>
          <tbody>${this.receipts.map((r) => html`<tr>
            <td class="ltr">${r.label}<div class="muted">${fmtDate(r.collectedAt)} ${fmtTime(r.collectedAt)}</div></td><td>${fmtMoney(r.totalPiasters)}</td><td>${r.voidReason}</td>
            <td class="row"><button class="danger" @click=${() => this.decide(r, true)}>${s.confirm}</button><button @click=${() => this.decide(r, false)}>${s.decline}</button></td>
          </tr>`)}</tbody></table>` : html`<p class="muted">${s.none}</p>`}
      </section>`;
  }
}
customElements.define('sh-void-approvals', ShVoidApprovals);
