// The manager's surprise inspection (التفتيش المفاجئ): open any file or complaint by its
// number and read its record and full history; the hub records the inspection itself.
// Everything reads as words (i18n/history-words.ts): who by name and role, the action in
// Arabic, Cairo dates and times, and each change as a labelled field, before → after.
import { LitElement, css, html } from 'lit';
import { api } from '../api.ts';
import { LangController, currentLang, fmtDate, fmtTime } from '../i18n/index.ts';
import { actionWords, actorName, changedFields, loadDirectory, recordFields } from '../i18n/history-words.ts';
import { shared } from '../components/shared-styles.ts';
import { showError } from '../components/sh-toast.ts';
import '../components/sh-file-card.ts';
import type { FileDetail } from './file-types.ts';

type Inspection = {
  inspectionId: number; entity: string; entityId: string; record: Record<string, unknown>;
  history: { id: number; at: number; actor: string; action: string; before: unknown; after: unknown; hash: string }[];
};

const L = {
  ar: { title: 'تفتيش مفاجئ', kind: 'النوع', file: 'ملف', complaint: 'شكوى', number: 'رقم الاستعلام أو الرقم', note: 'ملاحظة', open: 'فتح', record: 'البيانات', history: 'السجل الكامل', when: 'الوقت', who: 'بواسطة', what: 'الإجراء', change: 'التغيير', recorded: 'سُجل هذا التفتيش برقم {n}' },
  en: { title: 'Surprise inspection', kind: 'Kind', file: 'File', complaint: 'Complaint', number: 'Inquiry number or id', note: 'Note', open: 'Open', record: 'Record', history: 'Full history', when: 'When', who: 'By', what: 'Action', change: 'Change', recorded: 'This inspection was recorded as number {n}' },
};

export class ShInspection extends LitElement {
  static override properties = { result: { state: true } };
  declare result: Inspection | null;
  static override styles = [shared, css`
    td { overflow-wrap: anywhere; }
    td.change { font-size: 0.9rem; }
    td.change dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.1rem 0.6rem; margin: 0; }
    td.change dt { font-weight: 700; }
    td.change dd { margin: 0; }
    td.change .before { text-decoration: line-through; color: #7a8790; }
    td.when { white-space: nowrap; }
  `];

  constructor() {
    super();
    this.result = null;
    new LangController(this);
  }

  private async inspect(e: Event): Promise<void> {
    e.preventDefault();
    const f = new FormData(e.target as HTMLFormElement);
    const raw = String(f.get('id')).trim();
    try {
      await loadDirectory();
      this.result = await api<Inspection>('POST', '/api/inspections', {
        entity: String(f.get('entity')), entityId: /^\d+$/.test(raw) ? Number(raw) : raw, note: String(f.get('note') ?? '') || undefined,
      });
    } catch (err) {
      showError(err);
    }
  }

  override render() {
    const s = L[currentLang()];
    const r = this.result;
    return html`
      <section class="card">
        <h2>${s.title}</h2>
        <form class="row" @submit=${this.inspect}>
          <label>${s.kind}<select name="entity"><option value="file">${s.file}</option><option value="complaint">${s.complaint}</option></select></label>
          <label>${s.number}<input name="id" required class="ltr"></label>
          <label style="flex: 1">${s.note}<input name="note" maxlength="1000"></label>
          <button class="primary">${s.open}</button>
        </form>
      </section>
      ${r ? html`
        <section class="card" data-testid="inspection-result">
          <p class="muted">${s.recorded.replace('{n}', String(r.inspectionId))}</p>
          <h3>${s.record}</h3>
          ${r.entity === 'file' && 'stages' in r.record
            ? html`<sh-file-card .file=${r.record as unknown as FileDetail}></sh-file-card>`
            : html`<table data-testid="inspection-record"><tbody>${recordFields(r.record, r.entity).map((x) => html`<tr><th>${x.label}</th><td>${x.value}</td></tr>`)}</tbody></table>`}
          <h3>${s.history}</h3>
          <table data-testid="inspection-history">
            <thead><tr><th>${s.when}</th><th>${s.who}</th><th>${s.what}</th><th>${s.change}</th></tr></thead>
            <tbody>${r.history.map((h) => html`<tr>
              <td class="when">${fmtDate(h.at)} ${fmtTime(h.at)}</td><td>${actorName(h.actor)}</td><td>${actionWords(h.action)}</td>
              <td class="change"><dl>${changedFields(h.before, h.after, r.entity).map((c) => html`<dt>${c.label}</dt>
                <dd>${c.before !== null ? html`<span class="before">${c.before}</span> ← ` : null}${c.after}</dd>`)}</dl></td></tr>`)}</tbody>
          </table>
        </section>` : null}`;
  }
}
customElements.define('sh-inspection', ShInspection);
