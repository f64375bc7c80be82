// The back-office desk every file role works at: a worklist (by stage, overdue first,
// refreshed live on the 'files' topic), a search by inquiry number, the file of the
// ticket at the clerk's window, and the actions the hub says this role may take now
// (FileDetail.actions), each with the form it needs — the stage moves and the desk's
// other actions (payment order, delivery ticket, approval sheet, registration slip,
// attaching a document) alike. The panel keeps no role rule of its own: it shows
// exactly the actions the hub lists (hub/domain/file-actions.ts).
// Laid out for a 1366×768 office screen: the worklist keeps each cell on one line (the
// stage as a short pill, dates and numbers unbroken), and the stage's main action comes
// first — the return and refuse forms after it, set apart, so the usual click is the first.
import { LitElement, css, html } from 'lit';
import { api } from '../api.ts';
import { LiveStaffController } from '../controllers/live-staff.ts';
import { LiveQueueController } from '../controllers/live-queue.ts';
import { LangController, currentLang, fmtDate, fmtMoney } from '../i18n/index.ts';
import { shared } from '../components/shared-styles.ts';
import { showError, showInvalid, showOk } from '../components/sh-toast.ts';
import '../components/sh-file-card.ts';
import './sh-payment-order.ts';
import '../components/sh-citizen-slips.ts';
import type { DeliveryTicket } from '../components/sh-citizen-slips.ts';
import type { Role } from '../session.ts';
import type { Service } from './catalog-types.ts';
import { STATUS_WORDS, type CaseFile, type FileAction, type FileDetail, type FileStatus, type FileViewAction, type PaymentOrder } from './file-types.ts';

const L = {
  ar: {
    worklist: 'قائمة العمل', search: 'بحث برقم الاستعلام', find: 'بحث', atWindow: 'ملف التذكرة الحالية', none: 'لا توجد ملفات', open: 'فتح',
    forward: 'إحالة لمندوب الإدارة', resubmit: 'إعادة للمراجعة الفنية', return: 'إعادة لاستيفاء المستندات', refuse: 'رفض الطلب', review: 'اعتماد المراجعة الفنية والرسوم',
    approve: 'اعتماد (توقيع وختم)', dispatch: 'إرسال للإدارة المختصة', decide: 'تسجيل قرار الإدارة', mark_ready: 'جاهز للتسليم', deliver: 'تسليم للمواطن',
    reason: 'السبب', publicNote: 'ملاحظة للمواطن', signature: 'التوقيع', stamp: 'الخاتم', decision: 'القرار', accepted: 'قبول', refused: 'رفض',
    toName: 'اسم المستلم', toNid: 'الرقم القومي للمستلم', idDoc: 'مستند الهوية', fixed: 'ثابت', amount: 'المبلغ (جنيه)', printSheet: 'طباعة نموذج الاعتماد',
    order: 'إصدار إذن دفع', deliveryTicket: 'تذكرة تسليم', done: 'تم', inquiry: 'رقم الاستعلام', service: 'الخدمة', citizen: 'المواطن', stage: 'المرحلة', due: 'الاستحقاق', overdue: 'متأخر',
    attach: 'مستند مرفق (PDF أو صورة)', attachLabel: 'وصف المستند', upload: 'إرفاق',
    otherwise: 'إذا تعذّر ذلك: إعادة أو رفض', printSlip: 'طباعة إيصال التسجيل للمواطن', print: 'طباعة', ticketIssued: 'تذكرة التسليم {t} — توجّه لصالة الانتظار', defaultStamp: 'خاتم المركز التكنولوجي', defaultId: 'بطاقة رقم قومي',
  },
  en: {
    worklist: 'Worklist', search: 'Find by inquiry number', find: 'Find', atWindow: 'File of the current ticket', none: 'No files', open: 'Open',
    forward: 'Forward to the representative', resubmit: 'Back to technical review', return: 'Return for documents', refuse: 'Refuse', review: 'Sign the review and fees',
    approve: 'Approve (sign and stamp)', dispatch: 'Send to the department', decide: 'Record the decision', mark_ready: 'Ready for delivery', deliver: 'Hand over',
    reason: 'Reason', publicNote: 'Note for the citizen', signature: 'Signature', stamp: 'Stamp', decision: 'Decision', accepted: 'Accepted', refused: 'Refused',
    toName: 'Received by', toNid: 'Their national ID', idDoc: 'ID document', fixed: 'fixed', amount: 'Amount (EGP)', printSheet: 'Print approval sheet',
    order: 'Issue payment order', deliveryTicket: 'Delivery ticket', done: 'Done', inquiry: 'Inquiry number', service: 'Service', citizen: 'Citizen', stage: 'Stage', due: 'Due', overdue: 'overdue',
    attach: 'Document (PDF or image)', attachLabel: 'Description', upload: 'Attach',
    otherwise: 'If not: return or refuse', printSlip: 'Print the registration slip', print: 'Print', ticketIssued: 'Delivery ticket {t} — please wait in the hall', defaultStamp: 'Center stamp', defaultId: 'National ID card',
  },
};
type Strings = typeof L.ar;

/** "125.5" → 12550 piasters, exactly (no floating point). */
export function poundsToPiasters(text: string): number | null {
  const m = /^\s*(\d{1,9})(?:[.,](\d{1,2}))?\s*$/.exec(text);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '0').padEnd(2, '0'));
}

/** The way out of a stage when its main action cannot be taken: shown after the main action, set apart. */
const SIDE_ACTIONS: FileViewAction[] = ['return', 'refuse'];

/** A stage's name short enough for one line of the worklist (the full name is the pill's title). */
function stageShort(status: FileStatus, en: boolean): string {
  const short: Partial<Record<FileStatus, [string, string]>> = {
    technical_review: ['مراجعة فنية', 'Review'], awaiting_payment: ['انتظار السداد', 'Awaiting payment'], paid: ['مسدد', 'Paid'], reviewed: ['روجع', 'Reviewed'],
    approved: ['معتمد', 'Approved'], with_department: ['لدى الإدارة', 'With department'], decided: ['صدر القرار', 'Decided'], ready: ['جاهز', 'Ready'], returned: ['مُعاد', 'Returned'],
  };
  const w = short[status];
  return w ? w[en ? 1 : 0] : STATUS_WORDS[status][en ? 'en' : 'ar'];
}

const PATH: Partial<Record<FileAction, string>> = {
  forward: 'forward', resubmit: 'resubmit', return: 'return', refuse: 'refuse', review: 'review', approve: 'approve',
  dispatch: 'dispatch', decide: 'decide', mark_ready: 'ready', deliver: 'deliver',
};

export class ShFileDesk extends LitElement {
  static override properties = {
    role: { type: String }, userName: { type: String }, statuses: { attribute: false }, window: { type: Number },
    list: { state: true }, file: { state: true }, service: { state: true }, order: { state: true }, printing: { state: true }, delivery: { state: true },
  };
  declare role: Role;
  declare userName: string;
  /** Stages this desk lists; empty = search and window only. */
  declare statuses: FileStatus[];
  /** The clerk's window: its current ticket's file opens by itself. */
  declare window: number;
  declare list: CaseFile[];
  declare file: FileDetail | null;
  declare service: Service | null;
  declare order: PaymentOrder | null;
  declare printing: 'sheet' | 'order' | 'slip' | 'delivery' | null;
  /** The delivery ticket reception just issued, shown to print for the citizen. */
  declare delivery: DeliveryTicket | null;
  private readonly live = new LiveQueueController(this);
  private lastTicket: string | null | undefined = undefined;

  static override styles = [shared, css`
    .layout { display: grid; grid-template-columns: minmax(34rem, 1fr) minmax(0, 1fr); gap: 1rem; align-items: start; }
    @media (max-width: 1100px) { .layout { grid-template-columns: 1fr; } }
    tr.sel td { background: #fff8e1; }
    table[data-testid='worklist'] th, table[data-testid='worklist'] td { padding-inline: 0.4rem; }
    td.ltr, td.nowrap, th { white-space: nowrap; }
    td.svc { min-width: 9rem; }
    td.svc .muted { font-size: 0.85rem; }
    td .stage { font-size: 0.8rem; white-space: nowrap; }
    .side { margin-block-start: 0.8rem; border-block-start: 2px dashed #e3c6c2; }
    .side h4 { margin: 0.6rem 0 0; color: #8e2a1f; font-size: 0.95rem; }
    form.action { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: end; padding: 0.5rem 0; border-block-start: 1px solid #e3e8ec; }
    @media print { .layout { display: block; } }
  `];

  constructor() {
    super();
    this.role = 'intake';
    this.userName = '';
    this.statuses = [];
    this.window = 0;
    this.list = [];
    this.file = null;
    this.service = null;
    this.order = null;
    this.printing = null;
    this.delivery = null;
    new LangController(this);
    new LiveStaffController(this, ['files', 'payments'], () => void this.refresh());
  }

  private get s(): Strings {
    return L[currentLang()];
  }

  override updated(): void {
    // The clerk called another ticket: open its file (or clear the desk).
    const ticket = this.window ? this.live.window(this.window)?.ticket : undefined;
    if (this.window && ticket !== undefined && ticket !== this.lastTicket) {
      this.lastTicket = ticket;
      void this.loadAtWindow();
    }
  }

  private async refresh(): Promise<void> {
    try {
      if (this.statuses.length) {
        const lists = await Promise.all(this.statuses.map((st) => api<CaseFile[]>('GET', `/api/files?status=${st}`)));
        this.list = lists.flat().sort((a, b) => Number(b.overdue) - Number(a.overdue) || (a.dueDay ?? '9').localeCompare(b.dueDay ?? '9') || a.registeredAt - b.registeredAt);
      }
      if (this.file) await this.open(this.file.id, true);
    } catch (err) {
      showError(err);
    }
  }

  private async loadAtWindow(): Promise<void> {
    try {
      const r = await api<{ ticket: { label: string } | null; file: FileDetail | null }>('GET', `/api/files/at-window/${this.window}`);
      if (r.file) await this.show(r.file);
    } catch (err) {
      showError(err);
    }
  }

  async open(id: number, quiet = false): Promise<void> {
    try {
      await this.show(await api<FileDetail>('GET', `/api/files/${id}`));
    } catch (err) {
      if (!quiet) showError(err);
    }
  }

  private async show(f: FileDetail): Promise<void> {
    if (f.id !== this.file?.id) {
      this.order = null;
      this.printing = null;
      this.delivery = null;
    }
    this.file = f;
    if (f.actions.includes('review') && this.service?.id !== f.serviceId) this.service = await api<Service>('GET', `/api/services/${f.serviceId}`);
  }

  private async search(e: Event): Promise<void> {
    e.preventDefault();
    const q = String(new FormData(e.target as HTMLFormElement).get('q')).trim();
    if (!q) return;
    try {
      await this.show(await api<FileDetail>('GET', `/api/files/by-inquiry/${encodeURIComponent(q)}`));
    } catch (err) {
      showError(err);
    }
  }

  private async act(action: FileAction, body: Record<string, unknown> = {}): Promise<void> {
    const f = this.file;
    if (!f) return;
    try {
      await this.show(await api<FileDetail>('POST', `/api/files/${f.id}/${PATH[action]}`, { version: f.version, ...body }));
      showOk(this.s.done);
      if (this.statuses.length) void this.refresh();
    } catch (err) {
      showError(err);
    }
  }

  private async issueOrder(): Promise<void> {
    if (!this.file) return;
    try {
      this.order = await api<PaymentOrder>('POST', `/api/files/${this.file.id}/payment-order`);
    } catch (err) {
      showError(err);
    }
  }

  private async deliveryTicket(): Promise<void> {
    if (!this.file) return;
    try {
      const r = await api<{ ticket: { label: string; line: string; link: string | null } }>('POST', `/api/files/${this.file.id}/delivery-ticket`);
      showOk(this.s.ticketIssued.replace('{t}', r.ticket.label));
      // The ticket on paper for the citizen (80 mm), not only a message on the clerk's screen.
      this.delivery = { label: r.ticket.label, line: r.ticket.line, inquiry: this.file.inquiryDisplay, at: Date.now(), link: r.ticket.link };
      this.printNow('delivery');
    } catch (err) {
      showError(err);
    }
  }

  /** Show the sheet as it will print (a preview the clerk can close), then open the print dialog. */
  private async upload(e: Event): Promise<void> {
    e.preventDefault();
    if (!this.file) return;
    const form = e.target as HTMLFormElement;
    try {
      await api('POST', `/api/files/${this.file.id}/attachments`, new FormData(form));
      form.reset();
      await this.open(this.file.id);
    } catch (err) {
      showError(err);
    }
  }

  private printNow(what: 'sheet' | 'order' | 'slip' | 'delivery'): void {
    this.printing = what;
    void this.updateComplete.then(() => window.print());
  }

  private form(action: FileAction, fields: unknown, toBody: (f: FormData) => Record<string, unknown> | null, danger = false) {
    return html`<form class="action" data-action=${action} @submit=${(e: Event) => {
      e.preventDefault();
      const body = toBody(new FormData(e.target as HTMLFormElement));
      if (body) void this.act(action, body);
    }}>${fields}<button class=${danger ? 'danger' : 'primary'}>${this.s[action as keyof Strings]}</button></form>`;
  }

  /** One entry of FileDetail.actions: the hub computed it from the rules its routes enforce, so it is shown as is. */
  private renderAction(a: FileViewAction) {
    const s = this.s;
    const f = this.file!;
    switch (a) {
      case 'print_sheet':
        return html`<p data-desk=${a}>${this.printing ? html`<button @click=${() => (this.printing = null)}>✕</button>` : null}
          <button @click=${() => this.printNow('sheet')}>${s.printSheet}</button></p>`;
      case 'payment_order':
        return html`<p data-desk=${a}><button class="primary" @click=${this.issueOrder}>${s.order}</button></p>`;
      case 'delivery_ticket':
        return html`<p data-desk=${a}><button @click=${this.deliveryTicket}>${s.deliveryTicket}</button></p>`;
      case 'print_slip':
        return html`<p data-desk=${a}><button @click=${() => (this.printing = 'slip')}>${s.printSlip}</button></p>`;
      case 'upload':
        return html`<form class="action" data-desk=${a} @submit=${this.upload}>
          <label>${s.attach}<input type="file" name="file" required accept="application/pdf,image/jpeg,image/png"></label>
          <label>${s.attachLabel}<input name="label" maxlength="200"></label>
          <button>${s.upload}</button>
        </form>`;
      case 'forward': case 'resubmit': case 'dispatch': case 'mark_ready':
        return this.form(a, null, () => ({}));
      case 'return': case 'refuse':
        return this.form(a, html`<label>${s.reason}<input name="reason" required></label><label>${s.publicNote}<input name="publicNote"></label>`,
          (d) => ({ reason: String(d.get('reason')), publicNote: String(d.get('publicNote')) || undefined }), true);
      case 'review': {
        const variable = this.service?.fees.filter((x) => x.kind === 'variable') ?? [];
        const fixed = this.service?.fees.filter((x) => x.kind === 'fixed') ?? [];
        return this.form(a, html`
          ${fixed.map((x) => html`<span class="pill">${x.labelAr}: ${fmtMoney(x.amountPiasters ?? 0)} (${s.fixed})</span>`)}
          ${variable.map((x) => html`<label>${x.labelAr} <span class="muted">${fmtMoney(x.minPiasters ?? 0)} – ${fmtMoney(x.maxPiasters ?? 0)}</span>
            <input name="fee:${x.code}" required inputmode="decimal" class="ltr" style="width: 8rem" aria-label=${x.labelAr}></label>`)}
          <label>${s.signature}<input name="signature" required .value=${this.userName}></label>`, (d) => {
          const fees: { code: string; amountPiasters: number }[] = [];
          for (const x of variable) {
            const p = poundsToPiasters(String(d.get(`fee:${x.code}`)));
            if (p === null) {
              showInvalid(`${x.labelAr}: ${s.amount}`);
              return null;
            }
            fees.push({ code: x.code, amountPiasters: p });
          }
          return { fees, signature: String(d.get('signature')) };
        });
      }
      case 'approve':
        return html`${this.form(a, html`<label>${s.signature}<input name="signature" required .value=${this.userName}></label>
            <label>${s.stamp}<input name="stamp" required .value=${s.defaultStamp}></label>`,
          (d) => ({ signature: String(d.get('signature')), stamp: String(d.get('stamp')) }))}`;
      case 'decide':
        return this.form(a, html`<label>${s.decision}<select name="decision"><option value="accepted">${s.accepted}</option><option value="refused">${s.refused}</option></select></label>
          <label>${s.reason}<input name="reason"></label><label>${s.publicNote}<input name="publicNote"></label>`,
        (d) => ({ decision: String(d.get('decision')), reason: String(d.get('reason')) || undefined, publicNote: String(d.get('publicNote')) || undefined }));
      case 'deliver':
        return this.form(a, html`<label>${s.toName}<input name="toName" required .value=${f.citizenName}></label>
          <label>${s.toNid}<input name="toNid" class="ltr" inputmode="numeric" .value=${f.citizenNationalId}></label>
          <label>${s.idDoc}<input name="idDoc" required .value=${s.defaultId}></label>`,
        (d) => ({ toName: String(d.get('toName')), toNationalId: String(d.get('toNid')) || undefined, idDocument: String(d.get('idDoc')) }));
      default:
        return null;
    }
  }

  override render() {
    const s = this.s;
    const en = currentLang() === 'en';
    const f = this.file;
    const printing = this.printing;
    return html`
      <div class="layout">
        <div class="no-print">
          <section class="card">
            <form class="row" @submit=${this.search}>
              <label style="flex: 1">${s.search}<input name="q" class="ltr" required autocomplete="off"></label>
              <button>${s.find}</button>
            </form>
          </section>
          ${this.statuses.length ? html`
            <section class="card">
              <h2>${s.worklist} <span class="pill">${this.list.length}</span></h2>
              ${this.list.length ? html`<table data-testid="worklist">
                <thead><tr><th>${s.inquiry}</th><th>${s.service}</th>${this.statuses.length > 1 ? html`<th>${s.stage}</th>` : null}<th>${s.due}</th></tr></thead>
                <tbody>${this.list.map((x) => html`
                  <tr class=${x.id === f?.id ? 'sel' : ''} data-inquiry=${x.inquiry} @click=${() => this.open(x.id)} style="cursor: pointer">
                    <td class="ltr">${x.inquiryDisplay}</td><td class="svc">${x.serviceNameAr}<div class="muted">${x.citizenName}</div></td>
                    ${this.statuses.length > 1 ? html`<td class="nowrap"><span class="pill stage" title=${en ? STATUS_WORDS[x.status].en : x.statusAr}>${stageShort(x.status, en)}</span></td>` : null}
                    <td class="nowrap">${x.dueDay ? fmtDate(x.dueDay) : '—'} ${x.overdue ? html`<span class="pill bad">${s.overdue}</span>` : null}</td>
                  </tr>`)}</tbody></table>` : html`<p class="muted">${s.none}</p>`}
            </section>` : null}
        </div>
        <div>
          ${f ? html`
            <section class=${printing === 'order' || printing === 'slip' || printing === 'delivery' ? 'card no-print' : 'card'}>
              <sh-file-card .file=${f} ?sheet=${printing === 'sheet'}></sh-file-card>
              <div class="no-print">
                ${f.actions.filter((a) => !SIDE_ACTIONS.includes(a)).map((a) => this.renderAction(a))}
                ${f.actions.some((a) => SIDE_ACTIONS.includes(a)) ? html`<div class="side" data-testid="side-actions">
                  <h4>${s.otherwise}</h4>
                  ${f.actions.filter((a) => SIDE_ACTIONS.includes(a)).map((a) => this.renderAction(a))}</div>` : null}
              </div>
            </section>
            ${printing === 'slip' ? html`<section class="card">
              <p class="no-print"><button @click=${() => (this.printing = null)}>✕</button> <button @click=${() => window.print()}>${s.print}</button></p>
              <sh-registration-slip .file=${f}></sh-registration-slip></section>` : null}
            ${this.delivery ? html`<section class=${printing && printing !== 'delivery' ? 'card no-print' : 'card'}>
              <p class="no-print"><button @click=${() => window.print()}>${s.print}</button></p>
              <sh-delivery-ticket .ticket=${this.delivery}></sh-delivery-ticket></section>` : null}
            ${this.order ? html`<section class=${printing && printing !== 'order' ? 'card no-print' : 'card'}>
              <sh-payment-order .order=${this.order} @print=${() => this.printNow('order')}></sh-payment-order></section>` : null}` : null}
        </div>
      </div>`;
  }
}
customElements.define('sh-file-desk', ShFileDesk);

declare global {
  interface HTMLElementTagNameMap {
    'sh-file-desk': ShFileDesk;
  }
}
