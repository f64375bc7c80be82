// Administrator: services and their fees — names, department, legal period, requirements
// text, the document checklist (one item a line; "?" in front = optional) and each fee's
// amount in pounds (stored as integer piasters). Saves the whole definition with the
// version read, so two admins never overwrite each other silently.
import { LitElement, html } from 'lit';
import { api } from '../api.ts';
import { LangController, currentLang } from '../i18n/index.ts';
import { shared } from '../components/shared-styles.ts';
import { showError, showInvalid, showOk } from '../components/sh-toast.ts';
import { poundsToPiasters } from './sh-file-desk.ts';
import type { Department, Fee, Service } from './catalog-types.ts';

const L = {
  ar: { title: 'الخدمات والرسوم', pick: 'الخدمة', add: 'خدمة جديدة', code: 'الكود', dept: 'الإدارة', nameAr: 'الاسم بالعربية', nameEn: 'الاسم بالإنجليزية', days: 'المدة القانونية (يوم)',
    kind: 'نوع المدة', calendar: 'أيام تقويمية', working: 'أيام عمل', req: 'الاشتراطات', checklist: 'المستندات (سطر لكل مستند، ? في أوله = اختياري)', fees: 'الرسوم (جنيه)',
    fixed: 'ثابت', min: 'من', max: 'إلى', active: 'مفعّلة', withoutFile: 'تُحصَّل بدون ملف (إيراد بشباك الإيرادات)', save: 'حفظ', saved: 'حُفظت الخدمة', bad: 'مبلغ غير صحيح' },
  en: { title: 'Services and fees', pick: 'Service', add: 'New service', code: 'Code', dept: 'Department', nameAr: 'Arabic name', nameEn: 'English name', days: 'Legal period (days)',
    kind: 'Period kind', calendar: 'Calendar days', working: 'Working days', req: 'Requirements', checklist: 'Documents (one a line; leading ? = optional)', fees: 'Fees (EGP)',
    fixed: 'fixed', min: 'min', max: 'max', active: 'Active', withoutFile: 'Paid without a file (revenue window)', save: 'Save', saved: 'Service saved', bad: 'Invalid amount' },
};

const pounds = (p: number | null) => (p === null ? '' : `${Math.trunc(p / 100)}.${String(p % 100).padStart(2, '0')}`);

export class ShAdminServices extends LitElement {
  static override properties = { services: { state: true }, departments: { state: true }, selected: { state: true } };
  declare services: Service[];
  declare departments: Department[];
  /** A service id, or 0 for a new one. */
  declare selected: number;
  static override styles = shared;

  constructor() {
    super();
    this.services = [];
    this.departments = [];
    this.selected = -1;
    new LangController(this);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      [this.services, this.departments] = await Promise.all([api<Service[]>('GET', '/api/services?all=true'), api<Department[]>('GET', '/api/departments')]);
      if (this.selected === -1) this.selected = this.services[0]?.id ?? 0;
    } catch (err) {
      showError(err);
    }
  }

  private async save(e: Event, svc: Service | undefined): Promise<void> {
    e.preventDefault();
    const d = new FormData(e.target as HTMLFormElement);
    const s = L[currentLang()];
    const fees: unknown[] = [];
    for (const f of svc?.fees ?? []) {
      const base = { code: f.code, labelAr: f.labelAr, labelEn: f.labelEn || undefined, kind: f.kind };
      if (f.kind === 'fixed') {
        const amount = poundsToPiasters(String(d.get(`amount:${f.code}`)));
        if (amount === null) return showInvalid(`${s.bad}: ${f.labelAr}`);
        fees.push({ ...base, amountPiasters: amount });
      } else {
        const min = poundsToPiasters(String(d.get(`min:${f.code}`)));
        const max = poundsToPiasters(String(d.get(`max:${f.code}`)));
        if (min === null || max === null) return showInvalid(`${s.bad}: ${f.labelAr}`);
        fees.push({ ...base, minPiasters: min, maxPiasters: max });
      }
    }
    const body = {
      code: String(d.get('code')).trim(), departmentId: Number(d.get('dept')), nameAr: String(d.get('nameAr')).trim(), nameEn: String(d.get('nameEn')).trim(),
      legalPeriodDays: Number(d.get('days')), periodKind: String(d.get('kind')), requirementsAr: String(d.get('req')),
      requirementsEn: svc?.requirementsEn ?? '', active: d.get('active') === 'on', withoutFile: d.get('withoutFile') === 'on',
      checklist: String(d.get('checklist')).split('\n').map((l) => l.trim()).filter(Boolean).map((l) => {
        const optional = l.startsWith('?');
        const labelAr = optional ? l.slice(1).trim() : l;
        const old = svc?.checklist.find((c) => c.labelAr === labelAr);
        return { labelAr, labelEn: old?.labelEn || undefined, required: !optional };
      }),
      fees,
    };
    try {
      const saved = svc
        ? await api<Service>('PUT', `/api/services/${svc.id}`, { ...body, version: svc.version })
        : await api<Service>('POST', '/api/services', body);
      this.selected = saved.id;
      showOk(s.saved);
      await this.load();
    } catch (err) {
      showError(err);
    }
  }

  private feeRow(f: Fee) {
    const s = L[currentLang()];
    return f.kind === 'fixed'
      ? html`<tr><td>${f.labelAr}</td><td>${s.fixed}</td><td colspan="2"><input name="amount:${f.code}" .value=${pounds(f.amountPiasters)} class="ltr" inputmode="decimal" aria-label=${f.labelAr}></td></tr>`
      : html`<tr><td>${f.labelAr}</td><td>${s.min} / ${s.max}</td>
          <td><input name="min:${f.code}" .value=${pounds(f.minPiasters)} class="ltr" inputmode="decimal" aria-label="${f.labelAr} ${s.min}"></td>
          <td><input name="max:${f.code}" .value=${pounds(f.maxPiasters)} class="ltr" inputmode="decimal" aria-label="${f.labelAr} ${s.max}"></td></tr>`;
  }

  override render() {
    const s = L[currentLang()];
    const en = currentLang() === 'en';
    const svc = this.services.find((x) => x.id === this.selected);
    return html`
      <section class="card">
        <h2>${s.title}</h2>
        <div class="row">
          <label>${s.pick}<select data-testid="admin-service" @change=${(e: Event) => (this.selected = Number((e.target as HTMLSelectElement).value))}>
            ${this.services.map((x) => html`<option value=${x.id} ?selected=${x.id === this.selected}>${en ? x.nameEn : x.nameAr}${x.active ? '' : ' ✕'}</option>`)}
            <option value="0" ?selected=${this.selected === 0}>+ ${s.add}</option>
          </select></label>
        </div>
      </section>
      ${this.selected === -1 ? null : html`
        <section class="card">
          <form @submit=${(e: Event) => this.save(e, svc)}>
            <div class="row">
              <label>${s.code}<input name="code" required pattern="[A-Z][A-Z0-9-]{1,23}" class="ltr" .value=${svc?.code ?? ''} ?readonly=${!!svc}></label>
              <label>${s.dept}<select name="dept">${this.departments.map((d) => html`<option value=${d.id} ?selected=${d.id === svc?.departmentId}>${en ? d.nameEn : d.nameAr}</option>`)}</select></label>
              <label>${s.nameAr}<input name="nameAr" required minlength="2" .value=${svc?.nameAr ?? ''}></label>
              <label>${s.nameEn}<input name="nameEn" required minlength="2" class="ltr" .value=${svc?.nameEn ?? ''}></label>
              <label>${s.days}<input name="days" type="number" min="0" max="3650" required .value=${String(svc?.legalPeriodDays ?? 30)} style="width: 6rem"></label>
              <label>${s.kind}<select name="kind"><option value="calendar" ?selected=${svc?.periodKind !== 'working'}>${s.calendar}</option><option value="working" ?selected=${svc?.periodKind === 'working'}>${s.working}</option></select></label>
              <label class="inline"><input type="checkbox" name="active" .checked=${svc?.active ?? true}> ${s.active}</label>
              <label class="inline"><input type="checkbox" name="withoutFile" .checked=${svc?.withoutFile ?? false}> ${s.withoutFile}</label>
            </div>
            <label>${s.req}<textarea name="req" rows="3" maxlength="4000" .value=${svc?.requirementsAr ?? ''}></textarea></label>
            <label>${s.checklist}<textarea name="checklist" rows="6" .value=${(svc?.checklist ?? []).map((c) => `${c.required ? '' : '? '}${c.labelAr}`).join('\n')}></textarea></label>
            ${svc?.fees.length ? html`<h3>${s.fees}</h3><table><tbody>${svc.fees.map((f) => this.feeRow(f))}</tbody></table>` : null}
            <p><button class="primary">${s.save}</button></p>
          </form>
        </section>`}`;
  }
}
customElements.define('sh-admin-services', ShAdminServices);
