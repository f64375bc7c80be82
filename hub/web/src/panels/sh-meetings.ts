// Citizen service window: the public meeting day (لقاء الجماهير) — set a day, register a
// citizen with their subject, and print the list in speaking order (A4).
import { LitElement, html } from 'lit';
import { api } from '../api.ts';
import { LangController, centerName, currentLang, fmtDate } from '../i18n/index.ts';
import { shared } from '../components/shared-styles.ts';
import { showError, showOk } from '../components/sh-toast.ts';

type Meeting = { id: number; day: string; titleAr: string; capacity: number; status: string; registered: number };
type Registration = { id: number; position: number; citizenName: string; nationalIdLast4: string; mobile: string | null; subject: string; outcome: string | null };

const L = {
  ar: { title: 'لقاء الجماهير', newDay: 'يوم لقاء جديد', day: 'التاريخ', topic: 'العنوان', capacity: 'العدد الأقصى', add: 'إضافة', meeting: 'اللقاء', register: 'تسجيل مواطن', nid: 'الرقم القومي', name: 'الاسم', mobile: 'الموبايل', subject: 'الموضوع', save: 'تسجيل', list: 'كشف اللقاء', print: 'طباعة الكشف', n: 'م', registered: 'تم تسجيل {name} برقم {n}', seats: '{r} من {c}' },
  en: { title: 'Public meeting day', newDay: 'New meeting day', day: 'Date', topic: 'Title', capacity: 'Capacity', add: 'Add', meeting: 'Meeting', register: 'Register a citizen', nid: 'National ID', name: 'Name', mobile: 'Mobile', subject: 'Subject', save: 'Register', list: 'Meeting list', print: 'Print list', n: '#', registered: '{name} registered as number {n}', seats: '{r} of {c}' },
};

export class ShMeetings extends LitElement {
  static override properties = { meetings: { state: true }, selected: { state: true }, list: { state: true } };
  declare meetings: Meeting[];
  declare selected: number;
  declare list: Registration[];
  static override styles = shared;

  constructor() {
    super();
    this.meetings = [];
    this.selected = 0;
    this.list = [];
    new LangController(this);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.meetings = await api<Meeting[]>('GET', '/api/meetings');
      if (!this.meetings.some((m) => m.id === this.selected)) this.selected = this.meetings[0]?.id ?? 0;
      this.list = this.selected ? (await api<{ registrations: Registration[] }>('GET', `/api/meetings/${this.selected}/list`)).registrations : [];
    } catch (err) {
      showError(err);
    }
  }

  private async addMeeting(e: Event): Promise<void> {
    e.preventDefault();
    const f = new FormData(e.target as HTMLFormElement);
    try {
      const m = await api<Meeting>('POST', '/api/meetings', { day: String(f.get('day')), titleAr: String(f.get('title')), capacity: Number(f.get('capacity')) });
      this.selected = m.id;
      await this.load();
    } catch (err) {
      showError(err);
    }
  }

  private async registerCitizen(e: Event): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const f = new FormData(form);
    try {
      const r = await api<Registration>('POST', `/api/meetings/${this.selected}/registrations`, {
        citizen: { nationalId: String(f.get('nid')), name: String(f.get('name')), mobile: String(f.get('mobile') ?? '') || null },
        subject: String(f.get('subject')),
      });
      showOk(L[currentLang()].registered.replace('{name}', r.citizenName).replace('{n}', String(r.position)));
      form.reset();
      await this.load();
    } catch (err) {
      showError(err);
    }
  }

  override render() {
    const s = L[currentLang()];
    const m = this.meetings.find((x) => x.id === this.selected);
    return html`
      <section class="card no-print">
        <h2>${s.title}</h2>
        <div class="row">
          <label>${s.meeting}
            <select data-testid="meeting-select" @change=${(e: Event) => { this.selected = Number((e.target as HTMLSelectElement).value); void this.load(); }}>
              ${this.meetings.map((x) => html`<option value=${x.id} ?selected=${x.id === this.selected}>${fmtDate(x.day)} — ${x.titleAr} (${s.seats.replace('{r}', String(x.registered)).replace('{c}', String(x.capacity))})</option>`)}
            </select>
          </label>
        </div>
        <details><summary>${s.newDay}</summary>
          <form class="row" @submit=${this.addMeeting}>
            <label>${s.day}<input name="day" type="date" required></label>
            <label>${s.topic}<input name="title" required minlength="2"></label>
            <label>${s.capacity}<input name="capacity" type="number" min="1" max="1000" value="30" required></label>
            <button>${s.add}</button>
          </form>
        </details>
      </section>
      ${m ? html`
        <section class="card no-print">
          <h3>${s.register}</h3>
          <form class="row" @submit=${this.registerCitizen}>
            <label>${s.nid}<input name="nid" required inputmode="numeric" class="ltr" maxlength="14"></label>
            <label>${s.name}<input name="name" required></label>
            <label>${s.mobile}<input name="mobile" inputmode="tel" class="ltr"></label>
            <label style="flex: 1">${s.subject}<input name="subject" required minlength="3"></label>
            <button class="primary">${s.save}</button>
          </form>
        </section>
        <section class="card sheet-a4" data-testid="meeting-list">
          <p class="muted">${centerName}</p>
          <h3>${s.list}: ${m.titleAr} — ${fmtDate(m.day)}</h3>
          <table>
            <thead><tr><th>${s.n}</th><th>${s.name}</th><th>${s.nid}</th><th>${s.mobile}</th><th>${s.subject}</th></tr></thead>
            <tbody>${this.list.map((r) => html`<tr><td>${r.position}</td><td>${r.citizenName}</td><td class="ltr">…${r.nationalIdLast4}</td><td class="ltr">${r.mobile ?? ''}</td><td>${r.subject}</td></tr>`)}</tbody>
          </table>
          <p class="no-print"><button @click=${() => window.print()}>${s.print}</button></p>
        </section>` : null}`;
  }
}
customElements.define('sh-meetings', ShMeetings);
