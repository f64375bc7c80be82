// Reception: the service catalog — what each service needs, what it costs, how long the
// department has — and the printable requirements sheet handed to the citizen (A4).
import { LitElement, html } from 'lit';
import { api } from '../api.ts';
import { LangController, centerName, currentLang, fmtMoney } from '../i18n/index.ts';
import { shared } from '../components/shared-styles.ts';
import { showError } from '../components/sh-toast.ts';
import type { Department, Fee, Service } from './catalog-types.ts';

const L = {
  ar: { title: 'دليل الخدمات', pick: 'اختر الخدمة', req: 'الاشتراطات', docs: 'المستندات المطلوبة', optional: '(اختياري)', fees: 'الرسوم', period: 'المدة القانونية', days: '{n} يوم', working: 'يوم عمل', print: 'طباعة الاشتراطات', from: 'من {a} إلى {b}', dept: 'الإدارة المختصة' },
  en: { title: 'Service catalog', pick: 'Choose a service', req: 'Requirements', docs: 'Documents required', optional: '(optional)', fees: 'Fees', period: 'Legal period', days: '{n} days', working: 'working days', print: 'Print requirements', from: '{a} to {b}', dept: 'Department' },
};

export function feeText(f: Fee, from: string): string {
  if (f.kind === 'fixed') return fmtMoney(f.amountPiasters ?? 0);
  return from.replace('{a}', fmtMoney(f.minPiasters ?? 0)).replace('{b}', fmtMoney(f.maxPiasters ?? 0));
}

export class ShCatalog extends LitElement {
  static override properties = { services: { state: true }, departments: { state: true }, selected: { state: true } };
  declare services: Service[];
  declare departments: Department[];
  declare selected: number;
  static override styles = shared;

  constructor() {
    super();
    this.services = [];
    this.departments = [];
    this.selected = 0;
    new LangController(this);
  }

  override async connectedCallback(): Promise<void> {
    super.connectedCallback();
    try {
      [this.services, this.departments] = await Promise.all([api<Service[]>('GET', '/api/services'), api<Department[]>('GET', '/api/departments')]);
      this.selected ||= this.services[0]?.id ?? 0;
    } catch (err) {
      showError(err);
    }
  }

  override render() {
    const lang = currentLang();
    const s = L[lang];
    const en = lang === 'en';
    const svc = this.services.find((x) => x.id === this.selected);
    const dept = svc && this.departments.find((d) => d.id === svc.departmentId);
    return html`
      <section class="card no-print">
        <h2>${s.title}</h2>
        <label>${s.pick}
          <select data-testid="service-select" @change=${(e: Event) => (this.selected = Number((e.target as HTMLSelectElement).value))}>
            ${this.services.map((x) => html`<option value=${x.id} ?selected=${x.id === this.selected}>${en ? x.nameEn : x.nameAr}</option>`)}
          </select>
        </label>
      </section>
      ${svc ? html`
        <section class="card sheet-a4" data-testid="requirements-sheet">
          <p class="muted">${centerName}</p>
          <h3>${en ? svc.nameEn : svc.nameAr} <span class="muted ltr">${svc.code}</span></h3>
          ${dept ? html`<p><b>${s.dept}:</b> ${en ? dept.nameEn : dept.nameAr}</p>` : null}
          <h3>${s.req}</h3>
          <p style="white-space: pre-line">${en ? svc.requirementsEn || svc.requirementsAr : svc.requirementsAr}</p>
          <h3>${s.docs}</h3>
          <ol>${svc.checklist.map((c) => html`<li>☐ ${en ? c.labelEn || c.labelAr : c.labelAr} ${c.required ? null : html`<span class="muted">${s.optional}</span>`}</li>`)}</ol>
          <h3>${s.fees}</h3>
          <table><tbody>${svc.fees.map((f) => html`<tr><td>${en ? f.labelEn || f.labelAr : f.labelAr}</td><td>${feeText(f, s.from)}</td></tr>`)}</tbody></table>
          <p><b>${s.period}:</b> ${s.days.replace('{n}', String(svc.legalPeriodDays))} ${svc.periodKind === 'working' ? html`(${s.working})` : null}</p>
          <p class="no-print"><button @click=${() => window.print()}>${s.print}</button></p>
        </section>` : null}`;
  }
}
customElements.define('sh-catalog', ShCatalog);
