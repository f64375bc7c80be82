// The manager's surprise inspection (التفتيش المفاجئ): open any file or complaint by its
// number and read its record and full history; the hub records the inspection itself.
import { LitElement, css, html } from 'lit';
import { api } from '../api.ts';
import { LangController, currentLang, fmtDate, fmtTime } from '../i18n/index.ts';
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

function brief(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 160 ? `${s.slice(0, 160)}…` : s;
}

/** What an audit event changed: the fields whose value differs, else a short view of the new state. */
function changes(before: unknown, after: unknown): string {
  if (before && after && typeof before === 'object' && typeof after === 'object') {
    const b = before as Record<string, unknown>;
    const a = after as Record<string, unknown>;
    const diff = Object.keys(a)
      .filter((k) => k !== 'updatedAt' && k !== 'version' && JSON.stringify(a[k]) !== JSON.stringify(b[k]))
      .map((k) => `${k}: ${brief(b[k]) || '—'} → ${brief(a[k])}`);
    if (diff.length) return brief(diff.join(' · '));
  }
  return brief(after);
}

export class ShInspection extends LitElement {
  static override properties = { result: { state: true } };
  declare result: Inspection | null;
  static override styles = [shared, css`td { overflow-wrap: anywhere; } td.change { max-width: 40ch; font-size: 0.85rem; }`];

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
            : html`<table><tbody>${Object.entries(r.record).map(([k, v]) => html`<tr><th class="ltr">${k}</th><td>${brief(v)}</td></tr>`)}</tbody></table>`}
          <h3>${s.history}</h3>
          <table>
            <thead><tr><th>${s.when}</th><th>${s.who}</th><th>${s.what}</th><th>${s.change}</th></tr></thead>
            <tbody>${r.history.map((h) => html`<tr><td>${fmtDate(h.at)} ${fmtTime(h.at)}</td><td class="ltr">${h.actor}</td><td class="ltr">${h.action}</td><td class="muted change">${changes(h.before, h.after)}</td></tr>`)}</tbody>
          </table>
        </section>` : null}`;
  }
}
customElements.define('sh-inspection', ShInspection);
