// Complaints: the citizen service window registers one and hands over the inquiry number
// (printable 80 mm slip); the back office forwards it to the department, the department
// answers, the window closes it. Overdue first; refreshed live on the 'complaints' topic.
import { LitElement, html } from 'lit';
import { api } from '../api.ts';
import { LiveStaffController } from '../controllers/live-staff.ts';
import { LangController, centerName, currentLang, fmtDate, fmtTime } from '../i18n/index.ts';
import { actorName, loadDirectory } from '../i18n/history-words.ts';
import { shared } from '../components/shared-styles.ts';
import { showError } from '../components/sh-toast.ts';
import type { Department } from './catalog-types.ts';
import type { Role } from '../session.ts';

type Complaint = {
  id: number; inquiry: string; inquiryDisplay: string; citizenName: string | null; departmentId: number; subject: string; body: string; status: string;
  dueDay: string; overdue: boolean; response: string | null; publicNote: string | null; registeredAt: number; version: number;
};
type Detail = Complaint & { events: { id: number; at: number; actor: string; event: string; toStatus: string; note: string | null }[] };

const L = {
  ar: {
    title: 'الشكاوى', register: 'تسجيل شكوى', nid: 'الرقم القومي', name: 'الاسم', mobile: 'الموبايل', dept: 'الإدارة المختصة', subject: 'الموضوع', body: 'نص الشكوى',
    save: 'تسجيل الشكوى', inquiry: 'رقم الاستعلام', due: 'موعد الرد', status: 'الحالة', overdue: 'متأخرة', forward: 'إحالة للإدارة', answer: 'الرد',
    answerSave: 'حفظ الرد', publicNote: 'ملاحظة تظهر للمواطن', close: 'إغلاق الشكوى', history: 'السجل', print: 'طباعة الإيصال', slip: 'إيصال تسجيل شكوى',
    keep: 'استعلم عن شكواك برقم الاستعلام وآخر أربعة أرقام من رقمك القومي',
    registered: 'مسجلة', with_department: 'لدى الإدارة', answered: 'تم الرد', closed: 'مغلقة',
  },
  en: {
    title: 'Complaints', register: 'Register a complaint', nid: 'National ID', name: 'Name', mobile: 'Mobile', dept: 'Department', subject: 'Subject', body: 'Complaint',
    save: 'Register complaint', inquiry: 'Inquiry number', due: 'Answer due', status: 'Status', overdue: 'overdue', forward: 'Forward to department', answer: 'Answer',
    answerSave: 'Save answer', publicNote: 'Note shown to the citizen', close: 'Close complaint', history: 'History', print: 'Print slip', slip: 'Complaint registration slip',
    keep: 'Look your complaint up with the inquiry number and the last four digits of your national ID',
    registered: 'Registered', with_department: 'With department', answered: 'Answered', closed: 'Closed',
  },
};
type Key = keyof typeof L.ar;

export class ShComplaints extends LitElement {
  static override properties = { role: { type: String }, list: { state: true }, departments: { state: true }, open: { state: true }, slip: { state: true } };
  declare role: Role;
  declare list: Complaint[];
  declare departments: Department[];
  declare open: Detail | null;
  declare slip: Complaint | null;
  static override styles = shared;

  constructor() {
    super();
    this.role = 'citizen_service';
    this.list = [];
    this.departments = [];
    this.open = null;
    this.slip = null;
    new LangController(this);
    new LiveStaffController(this, ['complaints'], () => void this.load());
  }

  private get s() {
    return L[currentLang()];
  }

  private async load(): Promise<void> {
    try {
      const [list, departments] = await Promise.all([api<Complaint[]>('GET', '/api/complaints'), api<Department[]>('GET', '/api/departments')]);
      // Overdue first, then the nearest due day.
      this.list = list.sort((a, b) => Number(b.overdue) - Number(a.overdue) || a.dueDay.localeCompare(b.dueDay));
      this.departments = departments;
      if (this.open) this.open = await api<Detail>('GET', `/api/complaints/${this.open.id}`);
    } catch (err) {
      showError(err);
    }
  }

  private async register(e: Event): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const f = new FormData(form);
    try {
      this.slip = await api<Complaint>('POST', '/api/complaints', {
        citizen: { nationalId: String(f.get('nid')), name: String(f.get('name')), mobile: String(f.get('mobile') ?? '') || null },
        departmentId: Number(f.get('dept')), subject: String(f.get('subject')), body: String(f.get('body')),
      });
      form.reset();
      await this.load();
    } catch (err) {
      showError(err);
    }
  }

  private async act(path: 'forward' | 'answer' | 'close', body: Record<string, unknown>): Promise<void> {
    if (!this.open) return;
    try {
      this.open = await api<Detail>('POST', `/api/complaints/${this.open.id}/${path}`, { ...body, version: this.open.version });
      await this.load();
    } catch (err) {
      showError(err);
    }
  }

  private async show(id: number): Promise<void> {
    try {
      await loadDirectory();
      this.open = await api<Detail>('GET', `/api/complaints/${id}`);
    } catch (err) {
      showError(err);
    }
  }

  private dept(id: number): string {
    const d = this.departments.find((x) => x.id === id);
    return d ? (currentLang() === 'en' ? d.nameEn : d.nameAr) : String(id);
  }

  private renderDetail(c: Detail) {
    const s = this.s;
    const can = (roles: Role[]) => roles.includes(this.role);
    return html`
      <section class="card no-print" data-testid="complaint-detail">
        <h3><span class="ltr">${c.inquiryDisplay}</span> — ${c.subject} <span class="pill">${s[c.status as Key] ?? c.status}</span></h3>
        <p>${c.body}</p>
        <p class="muted">${s.dept}: ${this.dept(c.departmentId)} · ${s.due}: ${fmtDate(c.dueDay)}</p>
        ${c.response ? html`<p><b>${s.answer}:</b> ${c.response}</p>` : null}
        <div class="row">
          ${c.status === 'registered' && can(['citizen_service', 'manager', 'supervisor']) ? html`<button class="primary" @click=${() => this.act('forward', {})}>${s.forward}</button>` : null}
          ${c.status === 'answered' && can(['citizen_service', 'manager']) ? html`<button @click=${() => this.act('close', {})}>${s.close}</button>` : null}
        </div>
        ${c.status === 'with_department' && can(['representative', 'manager']) ? html`
          <form class="row" @submit=${(e: Event) => {
            e.preventDefault();
            const f = new FormData(e.target as HTMLFormElement);
            void this.act('answer', { response: String(f.get('response')), publicNote: String(f.get('publicNote') ?? '') || undefined });
          }}>
            <label style="flex: 2">${s.answer}<textarea name="response" required minlength="3" rows="2"></textarea></label>
            <label style="flex: 1">${s.publicNote}<input name="publicNote"></label>
            <button class="primary">${s.answerSave}</button>
          </form>` : null}
        <h3>${s.history}</h3>
        <ol>${c.events.map((e) => html`<li>${fmtDate(e.at)} ${fmtTime(e.at)} — ${s[e.toStatus as Key] ?? e.toStatus}${e.note ? ` — ${e.note}` : ''} <span class="muted">${actorName(e.actor)}</span></li>`)}</ol>
      </section>`;
  }

  override render() {
    const s = this.s;
    const canRegister = this.role === 'citizen_service' || this.role === 'manager';
    return html`
      ${canRegister ? html`
        <section class="card no-print">
          <h2>${s.register}</h2>
          <form class="row" @submit=${this.register}>
            <label>${s.nid}<input name="nid" required inputmode="numeric" class="ltr" maxlength="14"></label>
            <label>${s.name}<input name="name" required></label>
            <label>${s.mobile}<input name="mobile" inputmode="tel" class="ltr"></label>
            <label>${s.dept}<select name="dept" required>${this.departments.map((d) => html`<option value=${d.id}>${currentLang() === 'en' ? d.nameEn : d.nameAr}</option>`)}</select></label>
            <label style="flex: 1">${s.subject}<input name="subject" required minlength="3"></label>
            <label style="flex-basis: 100%">${s.body}<textarea name="body" required minlength="3" rows="3"></textarea></label>
            <button class="primary">${s.save}</button>
          </form>
        </section>` : null}
      ${this.slip ? html`
        <section class="card sheet-80mm" data-testid="complaint-slip">
          <h3>${s.slip}</h3>
          <p>${centerName}</p>
          <p>${s.inquiry}: <b class="ltr" data-testid="complaint-inquiry">${this.slip.inquiryDisplay}</b></p>
          <p>${this.slip.subject}</p>
          <p>${s.due}: ${fmtDate(this.slip.dueDay)}</p>
          <p class="muted">${s.keep}</p>
          <p class="no-print"><button @click=${() => window.print()}>${s.print}</button></p>
        </section>` : null}
      ${this.open ? this.renderDetail(this.open) : null}
      <section class="card no-print">
        <h2>${s.title}</h2>
        <table>
          <thead><tr><th>${s.inquiry}</th><th>${s.subject}</th><th>${s.dept}</th><th>${s.status}</th><th>${s.due}</th></tr></thead>
          <tbody>${this.list.map((c) => html`
            <tr data-inquiry=${c.inquiryDisplay} @click=${() => this.show(c.id)} style="cursor: pointer">
              <td class="ltr"><a href="#" @click=${(e: Event) => e.preventDefault()}>${c.inquiryDisplay}</a></td><td>${c.subject}</td><td>${this.dept(c.departmentId)}</td>
              <td>${s[c.status as Key] ?? c.status}</td>
              <td>${fmtDate(c.dueDay)} ${c.overdue ? html`<span class="pill bad">${s.overdue}</span>` : null}</td>
            </tr>`)}
          </tbody>
        </table>
      </section>`;
  }
}
customElements.define('sh-complaints', ShComplaints);
