// Intake window (شباك استلام الطلبات): the formal review against the service's checklist,
// then the file is registered — linked to the ticket at this window — and gets its
// inquiry number. The desk below attaches documents and forwards it (parking the ticket).
// The save button is disabled while the request runs, and one idempotency key stands for
// this registration until it succeeds, so a double click or a retry shows the first file,
// never TICKET_HAS_FILE (issue 11 item 7).
import { LitElement, html } from 'lit';
import { api, newKey } from '../api.ts';
import { LangController, currentLang, fmtMoney } from '../i18n/index.ts';
import { shared } from '../components/shared-styles.ts';
import { showError, showOk } from '../components/sh-toast.ts';
import { feeText } from './sh-catalog.ts';
import type { Service } from './catalog-types.ts';
import type { FileDetail } from './file-types.ts';

const L = {
  ar: { title: 'تسجيل طلب جديد', service: 'الخدمة', nid: 'الرقم القومي', name: 'اسم المواطن', mobile: 'الموبايل', note: 'ملاحظة', checklist: 'المراجعة الشكلية للمستندات',
    optional: '(اختياري)', save: 'تسجيل الملف', registered: 'سُجل الملف برقم الاستعلام {n}', fees: 'الرسوم المتوقعة', from: 'من {a} إلى {b}' },
  en: { title: 'Register an application', service: 'Service', nid: 'National ID', name: 'Citizen name', mobile: 'Mobile', note: 'Note', checklist: 'Formal review of the documents',
    optional: '(optional)', save: 'Register file', registered: 'File registered with inquiry number {n}', fees: 'Expected fees', from: '{a} to {b}' },
};

export class ShIntakeRegister extends LitElement {
  static override properties = { window: { type: Number }, services: { state: true }, serviceId: { state: true }, busy: { state: true } };
  declare window: number;
  declare services: Service[];
  declare serviceId: number;
  declare busy: boolean;
  /** The key of the registration being made; a new one once it has succeeded. */
  private key = newKey();
  static override styles = shared;

  constructor() {
    super();
    this.window = 0;
    this.services = [];
    this.serviceId = 0;
    this.busy = false;
    new LangController(this);
  }

  override async connectedCallback(): Promise<void> {
    super.connectedCallback();
    try {
      this.services = await api<Service[]>('GET', '/api/services');
      this.serviceId ||= this.services[0]?.id ?? 0;
    } catch (err) {
      showError(err);
    }
  }

  private async register(e: Event): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const f = new FormData(form);
    const svc = this.services.find((x) => x.id === this.serviceId);
    if (!svc || this.busy) return;
    this.busy = true;
    try {
      const file = await api<FileDetail>('POST', '/api/files', {
        serviceId: svc.id,
        citizen: { nationalId: String(f.get('nid')), name: String(f.get('name')), mobile: String(f.get('mobile') ?? '') || null },
        checklist: svc.checklist.map((c) => ({ position: c.position, present: f.get(`doc:${c.position}`) === 'on' })),
        window: this.window || null,
        note: String(f.get('note') ?? '') || undefined,
      }, { key: this.key });
      this.key = newKey();
      showOk(L[currentLang()].registered.replace('{n}', file.inquiryDisplay));
      form.reset();
      this.dispatchEvent(new CustomEvent('registered', { detail: file, bubbles: true, composed: true }));
    } catch (err) {
      showError(err);
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const s = L[currentLang()];
    const en = currentLang() === 'en';
    const svc = this.services.find((x) => x.id === this.serviceId);
    return html`
      <section class="card no-print">
        <h2>${s.title}</h2>
        <form @submit=${this.register}>
          <div class="row">
            <label>${s.service}
              <select data-testid="intake-service" @change=${(e: Event) => (this.serviceId = Number((e.target as HTMLSelectElement).value))}>
                ${this.services.map((x) => html`<option value=${x.id} ?selected=${x.id === this.serviceId}>${en ? x.nameEn : x.nameAr}</option>`)}
              </select></label>
            <label>${s.nid}<input name="nid" required inputmode="numeric" class="ltr" maxlength="20"></label>
            <label>${s.name}<input name="name" required></label>
            <label>${s.mobile}<input name="mobile" inputmode="tel" class="ltr"></label>
          </div>
          ${svc ? html`
            <h3>${s.checklist}</h3>
            <div data-testid="intake-checklist">${svc.checklist.map((c) => html`
              <label class="inline"><input type="checkbox" name="doc:${c.position}" ?required=${c.required}> ${en ? c.labelEn || c.labelAr : c.labelAr}
                ${c.required ? null : html`<span class="muted">${s.optional}</span>`}</label>`)}</div>
            <p class="muted">${s.fees}: ${svc.fees.map((x) => `${en ? x.labelEn || x.labelAr : x.labelAr} ${feeText(x, s.from)}`).join(' · ') || fmtMoney(0)}</p>` : null}
          <div class="row">
            <label style="flex: 1">${s.note}<input name="note" maxlength="1000"></label>
            <button class="primary" ?disabled=${this.busy}>${s.save}</button>
          </div>
        </form>
      </section>`;
  }
}
customElements.define('sh-intake-register', ShIntakeRegister);
