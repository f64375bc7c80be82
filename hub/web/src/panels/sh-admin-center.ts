// Administrator: how the center is set up, on screens instead of raw API calls —
// windows (number, labels, the lines each serves, the keypad on its counter), lines
// (letter, names, whether priority tickets go first, the line's own opening hours),
// departments (add, rename, (de)activate) and official holidays (add, remove).
// Every form goes through the same role-checked API (PUT /api/windows/:n, PUT /api/lines/:L,
// PUT /api/devices/:id/binding, /api/departments, /api/holidays) and shows its Arabic refusal.
import { LitElement, css, html } from 'lit';
import { api } from '../api.ts';
import { LangController, currentLang, fmtDate } from '../i18n/index.ts';
import { shared } from '../components/shared-styles.ts';
import { showError, showInvalid, showOk } from '../components/sh-toast.ts';
import { LINE_PURPOSES, LINE_PURPOSE_WORDS, type LinePurpose } from '../../../domain/line-purposes.ts';
import type { Department } from './catalog-types.ts';
import type { DeviceInfo } from './sh-floor.ts';

type WindowView = { number: number; labelAr: string; labelEn: string; lines: string[] };
type LineView = { letter: string; nameAr: string; nameEn: string; open: boolean; priorityFirst: boolean; openFrom: string | null; openUntil: string | null; purpose: LinePurpose | null };
type Holiday = { day: string; nameAr: string };

const L = {
  ar: {
    windows: 'الشبابيك', lines: 'الخدمات (الطوابير)', departments: 'الإدارات', holidays: 'العطلات الرسمية', number: 'رقم الشباك', labelAr: 'الاسم بالعربية', labelEn: 'الاسم بالإنجليزية',
    serves: 'الخدمات التي يخدمها', keypad: 'لوحة المفاتيح', none: '— بدون —', save: 'حفظ', add: 'إضافة', newWindow: 'شباك جديد', newLine: 'خدمة جديدة', letter: 'الحرف',
    purpose: 'دور الخط', priority: 'الأولوية لكبار السن وذوي الهمم', hours: 'ساعات الاستقبال', from: 'من', until: 'إلى', centerHours: 'ساعات المركز', code: 'الرمز', active: 'تعمل', inactive: 'موقوفة',
    deactivate: 'إيقاف', activate: 'تفعيل', day: 'اليوم', name: 'المناسبة', remove: 'حذف', saved: 'حُفظ', pickLine: 'اختر خدمة واحدة على الأقل', yes: 'نعم', no: 'لا',
  },
  en: {
    windows: 'Windows', lines: 'Lines', departments: 'Departments', holidays: 'Official holidays', number: 'Window number', labelAr: 'Arabic name', labelEn: 'English name',
    serves: 'Lines served', keypad: 'Keypad', none: '— none —', save: 'Save', add: 'Add', newWindow: 'New window', newLine: 'New line', letter: 'Letter',
    purpose: 'Purpose', priority: 'Priority for the elderly and disabled', hours: 'Ticket hours', from: 'From', until: 'Until', centerHours: 'Center hours', code: 'Code', active: 'active', inactive: 'inactive',
    deactivate: 'Deactivate', activate: 'Activate', day: 'Day', name: 'Occasion', remove: 'Remove', saved: 'Saved', pickLine: 'Choose at least one line', yes: 'yes', no: 'no',
  },
};

export class ShAdminCenter extends LitElement {
  static override properties = { windows: { state: true }, lines: { state: true }, keypads: { state: true }, departments: { state: true }, holidays: { state: true } };
  declare windows: WindowView[];
  declare lines: LineView[];
  declare keypads: DeviceInfo[];
  declare departments: Department[];
  declare holidays: Holiday[];
  static override styles = [shared, css`
    form.line-row { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: end; padding: 0.5rem 0; border-block-end: 1px solid #e3e8ec; }
    fieldset { border: none; padding: 0; margin: 0; display: flex; gap: 0.6rem; flex-wrap: wrap; }
    input.short { width: 6rem; }
    input.letter { width: 3rem; text-transform: uppercase; }
  `];

  constructor() {
    super();
    this.windows = [];
    this.lines = [];
    this.keypads = [];
    this.departments = [];
    this.holidays = [];
    new LangController(this);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private get s() {
    return L[currentLang()];
  }

  private async load(): Promise<void> {
    try {
      const [windows, lines, devices, departments, holidays] = await Promise.all([
        api<WindowView[]>('GET', '/api/windows'), api<LineView[]>('GET', '/api/lines'), api<DeviceInfo[]>('GET', '/api/devices'),
        api<Department[]>('GET', '/api/departments'), api<Holiday[]>('GET', '/api/holidays'),
      ]);
      this.windows = windows;
      this.lines = lines;
      this.keypads = devices.filter((d) => d.kind === 'keypad');
      this.departments = departments;
      this.holidays = holidays;
    } catch (err) {
      showError(err);
    }
  }

  /** Run a change, say so, and reload what the screens show. */
  private async change(run: () => Promise<unknown>): Promise<boolean> {
    try {
      await run();
      showOk(this.s.saved);
      await this.load();
      return true;
    } catch (err) {
      showError(err);
      return false;
    }
  }

  private keypadOf(n: number): DeviceInfo | undefined {
    return this.keypads.find((d) => d.binding?.window === n);
  }

  private async saveWindow(e: Event, existing: WindowView | null): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const d = new FormData(form);
    const n = existing?.number ?? Number(d.get('number'));
    const lines = d.getAll('line').map(String);
    if (!lines.length) {
      showInvalid(this.s.pickLine);
      return;
    }
    const keypad = String(d.get('keypad') ?? '');
    const ok = await this.change(async () => {
      await api('PUT', `/api/windows/${n}`, { labelAr: String(d.get('labelAr')), labelEn: String(d.get('labelEn')), lines });
      const before = this.keypadOf(n);
      if (before && before.id !== keypad) await api('PUT', `/api/devices/${before.id}/binding`, { ...before.binding, window: null });
      const next = this.keypads.find((k) => k.id === keypad);
      if (next && next.binding?.window !== n) await api('PUT', `/api/devices/${next.id}/binding`, { ...next.binding, window: n });
    });
    if (ok && !existing) form.reset();
  }

  private async saveLine(e: Event, existing: LineView | null): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const d = new FormData(form);
    const letter = existing?.letter ?? String(d.get('letter')).trim().toUpperCase();
    const hm = (k: string) => String(d.get(k) ?? '').trim() || null;
    const ok = await this.change(() => api('PUT', `/api/lines/${encodeURIComponent(letter)}`, {
      nameAr: String(d.get('nameAr')), nameEn: String(d.get('nameEn')), priorityFirst: d.get('priorityFirst') === 'on', openFrom: hm('openFrom'), openUntil: hm('openUntil'),
      // The purpose moves to this line (the hub takes it from the line that had it).
      purpose: (String(d.get('purpose') ?? '') || null) as LinePurpose | null,
    }));
    if (ok && !existing) form.reset();
  }

  private windowForm(w: WindowView | null) {
    const s = this.s;
    const keypad = w ? this.keypadOf(w.number) : undefined;
    return html`<form class="line-row" data-window-form=${w ? String(w.number) : 'new'} @submit=${(e: Event) => this.saveWindow(e, w)}>
      ${w ? html`<b>${s.number} ${w.number}</b>` : html`<label>${s.number}<input name="number" type="number" min="1" max="999" required class="short ltr"></label>`}
      <label>${s.labelAr}<input name="labelAr" required maxlength="40" .value=${w?.labelAr ?? ''}></label>
      <label>${s.labelEn}<input name="labelEn" required maxlength="40" class="ltr" .value=${w?.labelEn ?? ''}></label>
      <fieldset><legend>${s.serves}</legend>${this.lines.map((l) => html`
        <label class="inline"><input type="checkbox" name="line" value=${l.letter} .checked=${w?.lines.includes(l.letter) ?? false}> ${l.letter} · ${l.nameAr}</label>`)}</fieldset>
      <label>${s.keypad}<select name="keypad">
        <option value="">${s.none}</option>
        ${this.keypads.map((k) => html`<option value=${k.id} ?selected=${k.id === keypad?.id}>${k.label} (${k.id})</option>`)}
      </select></label>
      <button class="primary">${w ? s.save : s.add}</button>
    </form>`;
  }

  private lineForm(l: LineView | null) {
    const s = this.s;
    return html`<form class="line-row" data-line-form=${l?.letter ?? 'new'} @submit=${(e: Event) => this.saveLine(e, l)}>
      ${l ? html`<b class="ltr">${l.letter}</b>` : html`<label>${s.letter}<input name="letter" required pattern="[A-Za-z]" maxlength="1" class="letter ltr"></label>`}
      <label>${s.labelAr}<input name="nameAr" required maxlength="60" .value=${l?.nameAr ?? ''}></label>
      <label>${s.labelEn}<input name="nameEn" required maxlength="60" class="ltr" .value=${l?.nameEn ?? ''}></label>
      <label>${s.purpose}<select name="purpose">
        <option value="" ?selected=${!l?.purpose}>${s.none}</option>
        ${LINE_PURPOSES.map((p) => html`<option value=${p} ?selected=${l?.purpose === p}>${LINE_PURPOSE_WORDS[p][currentLang() === 'en' ? 'en' : 'ar']}</option>`)}
      </select></label>
      <label class="inline"><input type="checkbox" name="priorityFirst" .checked=${l?.priorityFirst ?? true}> ${s.priority}</label>
      <label>${s.hours}: ${s.from}<input name="openFrom" type="time" class="ltr" .value=${l?.openFrom ?? ''}></label>
      <label>${s.until}<input name="openUntil" type="time" class="ltr" .value=${l?.openUntil ?? ''}></label>
      <button class="primary">${l ? s.save : s.add}</button>
    </form>`;
  }

  override render() {
    const s = this.s;
    const en = currentLang() === 'en';
    return html`
      <section class="card" data-testid="admin-windows">
        <h2>${s.windows}</h2>
        ${this.windows.map((w) => this.windowForm(w))}
        <h3>${s.newWindow}</h3>
        ${this.windowForm(null)}
      </section>
      <section class="card" data-testid="admin-lines">
        <h2>${s.lines}</h2>
        <p class="muted">${s.hours}: ${s.centerHours} — ${en ? 'leave empty' : 'اتركها فارغة'}</p>
        ${this.lines.map((l) => this.lineForm(l))}
        <h3>${s.newLine}</h3>
        ${this.lineForm(null)}
      </section>
      <section class="card" data-testid="admin-departments">
        <h2>${s.departments}</h2>
        <table><thead><tr><th>${s.code}</th><th>${s.labelAr}</th><th>${s.labelEn}</th><th></th></tr></thead>
          <tbody>${this.departments.map((d) => html`<tr data-department=${d.code}>
            <td class="ltr">${d.code}</td>
            <td><input aria-label=${`${s.labelAr} ${d.code}`} .value=${d.nameAr} @change=${(e: Event) => this.change(() => api('PATCH', `/api/departments/${d.id}`, { nameAr: (e.target as HTMLInputElement).value }))}></td>
            <td><input class="ltr" aria-label=${`${s.labelEn} ${d.code}`} .value=${d.nameEn} @change=${(e: Event) => this.change(() => api('PATCH', `/api/departments/${d.id}`, { nameEn: (e.target as HTMLInputElement).value }))}></td>
            <td><span class="pill ${d.active ? 'ok' : 'bad'}">${d.active ? s.active : s.inactive}</span>
              <button @click=${() => this.change(() => api('PATCH', `/api/departments/${d.id}`, { active: !d.active }))}>${d.active ? s.deactivate : s.activate}</button></td>
          </tr>`)}</tbody></table>
        <form class="line-row" data-testid="add-department" @submit=${(e: Event) => {
          e.preventDefault();
          const form = e.target as HTMLFormElement;
          const d = new FormData(form);
          void this.change(() => api('POST', '/api/departments', { code: String(d.get('code')).trim().toUpperCase(), nameAr: String(d.get('nameAr')), nameEn: String(d.get('nameEn')) }))
            .then((ok) => ok && form.reset());
        }}>
          <label>${s.code}<input name="code" required class="ltr short" pattern="[A-Za-z][A-Za-z0-9\\-]{1,23}"></label>
          <label>${s.labelAr}<input name="nameAr" required minlength="2"></label>
          <label>${s.labelEn}<input name="nameEn" required minlength="2" class="ltr"></label>
          <button class="primary">${s.add}</button>
        </form>
      </section>
      <section class="card" data-testid="admin-holidays">
        <h2>${s.holidays}</h2>
        <table><thead><tr><th>${s.day}</th><th>${s.name}</th><th></th></tr></thead>
          <tbody>${this.holidays.map((h) => html`<tr data-holiday=${h.day}><td>${fmtDate(h.day)}</td><td>${h.nameAr}</td>
            <td><button class="danger" @click=${() => this.change(() => api('DELETE', `/api/holidays/${h.day}`))}>${s.remove}</button></td></tr>`)}</tbody></table>
        <form class="line-row" data-testid="add-holiday" @submit=${(e: Event) => {
          e.preventDefault();
          const form = e.target as HTMLFormElement;
          const d = new FormData(form);
          void this.change(() => api('PUT', `/api/holidays/${String(d.get('day'))}`, { nameAr: String(d.get('nameAr')) })).then((ok) => ok && form.reset());
        }}>
          <label>${s.day}<input name="day" type="date" required class="ltr"></label>
          <label>${s.name}<input name="nameAr" required minlength="2"></label>
          <button class="primary">${s.add}</button>
        </form>
      </section>`;
  }
}
customElements.define('sh-admin-center', ShAdminCenter);
