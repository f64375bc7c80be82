// One case file as every desk shows it: who and what, the stage and due date, the
// intake checklist, the fees, the documents, and the full stage history with the time
// spent at each stage and who moved it there (by name and role). A returned or refused
// file shows the representative's reason first, as the intake clerk needs it at the window.
// With `sheet` it is the printable approval sheet (A4, stamp area).
import { LitElement, css, html } from 'lit';
import { LangController, centerName, currentLang, datesIn, fmtDate, fmtMoney, fmtTime } from '../i18n/index.ts';
import { actorName, loadDirectory } from '../i18n/history-words.ts';
import { STATUS_WORDS, type FileDetail } from '../panels/file-types.ts';
import { shared } from './shared-styles.ts';

const L = {
  ar: { inquiry: 'رقم الاستعلام', service: 'الخدمة', citizen: 'المواطن', status: 'المرحلة', due: 'تاريخ الاستحقاق', overdue: 'متأخر', ticket: 'التذكرة',
    checklist: 'المستندات (المراجعة الشكلية)', fees: 'الرسوم', total: 'الإجمالي', docs: 'المرفقات', history: 'السجل', took: 'المدة',
    sheet: 'نموذج اعتماد ملف', signature: 'توقيع مدير المركز', stamp: 'خاتم المركز', decision: 'القرار', accepted: 'قبول', refused: 'رفض', reviewSig: 'توقيع المراجعة الفنية', deliveredTo: 'سُلّم إلى',
    returnedWhy: 'سبب الإعادة (المطلوب من المواطن)', refusedWhy: 'سبب الرفض', citizenNote: 'ما يراه المواطن', by: 'بواسطة' },
  en: { inquiry: 'Inquiry number', service: 'Service', citizen: 'Citizen', status: 'Stage', due: 'Due date', overdue: 'overdue', ticket: 'Ticket',
    checklist: 'Documents (formal review)', fees: 'Fees', total: 'Total', docs: 'Attachments', history: 'History', took: 'Time',
    sheet: 'File approval sheet', signature: 'Center manager\'s signature', stamp: 'Center stamp', decision: 'Decision', accepted: 'Accepted', refused: 'Refused', reviewSig: 'Technical review signature', deliveredTo: 'Handed over to',
    returnedWhy: 'Why it was returned (what the citizen must bring)', refusedWhy: 'Why it was refused', citizenNote: 'What the citizen sees', by: 'By' },
};

function duration(ms: number): string {
  const min = Math.round(ms / 60_000);
  if (min < 60) return `${min}′`;
  const h = Math.floor(min / 60);
  return h < 48 ? `${h}h ${min % 60}′` : `${Math.floor(h / 24)}d ${h % 24}h`;
}

export class ShFileCard extends LitElement {
  static override properties = { file: { attribute: false }, sheet: { type: Boolean } };
  declare file: FileDetail | null;
  declare sheet: boolean;
  static override styles = [shared, css`
    .reason { background: #fdecea; border-inline-start: 4px solid #8e2a1f; padding: 0.6rem 0.8rem; border-radius: 6px; margin-block-end: 0.8rem; }
  `];

  constructor() {
    super();
    this.file = null;
    this.sheet = false;
    new LangController(this);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Staff names for the history (shared, fetched once per page).
    void loadDirectory().then(() => this.requestUpdate());
  }

  /** The representative's (or the department's) reason, when the file came back or was refused. */
  private reason(f: FileDetail) {
    if (f.status !== 'returned' && f.status !== 'refused') return null;
    const s = L[currentLang()];
    const ev = [...f.events].reverse().find((e) => (e.action === 'return' || e.action === 'refuse' || e.action === 'decide') && !e.public && e.note);
    // What the citizen reads: the note carried on the event (file_events.public_note), or an older separate public note.
    const citizenNote = [...f.events].reverse().map((e) => e.publicNote ?? (e.public ? e.note : null)).find((n) => n);
    if (!ev && !f.decisionReason) return null;
    return html`<div class="reason" role="note" data-testid="file-reason">
      <b>${f.status === 'returned' ? s.returnedWhy : s.refusedWhy}:</b> <span>${ev?.note ?? f.decisionReason}</span>
      ${ev ? html`<div class="muted">${s.by}: ${actorName(ev.actor)} — ${fmtDate(ev.at)} ${fmtTime(ev.at)}</div>` : null}
      ${citizenNote ? html`<div class="muted">${s.citizenNote}: ${datesIn(citizenNote)}</div>` : null}
    </div>`;
  }

  override render() {
    const f = this.file;
    if (!f) return null;
    const s = L[currentLang()];
    const en = currentLang() === 'en';
    const total = f.fees.reduce((a, x) => a + x.amountPiasters, 0);
    return html`
      <div class=${this.sheet ? 'sheet-a4' : ''} data-testid="file-card" data-status=${f.status}>
        ${this.sheet ? html`<p class="muted">${centerName}</p><h3>${s.sheet}</h3>` : this.reason(f)}
        <table><tbody>
          <tr><th>${s.inquiry}</th><td><b class="ltr" data-testid="file-inquiry">${f.inquiryDisplay}</b></td></tr>
          <tr><th>${s.service}</th><td>${f.serviceNameAr}</td></tr>
          <tr><th>${s.citizen}</th><td>${f.citizenName} <span class="muted ltr">${f.citizenNationalId}</span></td></tr>
          <tr><th>${s.status}</th><td><span class="pill" data-testid="file-status">${en ? STATUS_WORDS[f.status].en : f.statusAr}</span>
            ${f.overdue ? html`<span class="pill bad">${s.overdue}</span>` : null}</td></tr>
          ${f.dueDay ? html`<tr><th>${s.due}</th><td>${fmtDate(f.dueDay)}</td></tr>` : null}
          ${f.ticketLabel ? html`<tr><th>${s.ticket}</th><td>${f.ticketLabel}</td></tr>` : null}
          ${f.deliveredToName ? html`<tr><th>${s.deliveredTo}</th><td data-testid="file-delivered-to">${f.deliveredToName}${f.deliveredAt ? html` <span class="muted">${fmtDate(f.deliveredAt)} ${fmtTime(f.deliveredAt)}</span>` : null}</td></tr>` : null}
          ${f.decision ? html`<tr><th>${s.decision}</th><td>${f.decision === 'accepted' ? s.accepted : s.refused}${f.decisionReason ? ` — ${f.decisionReason}` : ''}</td></tr>` : null}
        </tbody></table>
        <h3>${s.checklist}</h3>
        <ul>${f.checklist.map((c) => html`<li>${c.present ? '☑' : '☐'} ${c.labelAr}${c.note ? html` <span class="muted">— ${c.note}</span>` : null}</li>`)}</ul>
        ${f.fees.length ? html`
          <h3>${s.fees}</h3>
          <table><tbody>
            ${f.fees.map((x) => html`<tr><td>${en ? x.labelEn || x.labelAr : x.labelAr}</td><td>${fmtMoney(x.amountPiasters)}</td></tr>`)}
            <tr><th>${s.total}</th><th>${fmtMoney(total)}</th></tr>
          </tbody></table>` : null}
        ${this.sheet ? html`
          <div class="row" style="justify-content: space-between; margin-block-start: 12mm">
            <div>${s.signature}: ${f.signature ?? '........................'}</div>
            <div class="stamp">${f.stamp ?? s.stamp}</div>
          </div>` : html`
          ${f.attachments.length ? html`<h3>${s.docs}</h3>
            <ul>${f.attachments.map((a) => html`<li><a href="/api/files/${f.id}/attachments/${a.id}" target="_blank">${a.label ?? a.name}</a> <span class="muted">${Math.ceil(a.size / 1024)} KiB</span></li>`)}</ul>` : null}
          <h3>${s.history}</h3>
          <table>
            <thead><tr><th>${s.status}</th><th></th><th>${s.took}</th></tr></thead>
            <tbody>${f.stages.map((st) => html`<tr><td>${STATUS_WORDS[st.status][en ? 'en' : 'ar']}</td>
              <td class="muted">${fmtDate(st.from)} ${fmtTime(st.from)} — ${actorName(st.enteredBy)}</td><td>${duration(st.ms)}</td></tr>`)}
            </tbody>
          </table>`}
      </div>`;
  }
}
customElements.define('sh-file-card', ShFileCard);

