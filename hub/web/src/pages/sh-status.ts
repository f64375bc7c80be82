// The citizen's status page (/status): inquiry number + last four digits of the national
// ID → stage and due date, from GET /api/public/status. A receipt's QR code opens this
// page with ?inquiry= filled in.
// Built for a phone: the inquiry field is a text field (the citizen types the letter F or
// C), the digit fields take Arabic-Indic digits as well as Latin ones, and the form checks
// itself (novalidate) so every message is the page's own, in the page's language — never
// the browser's English validation bubble.
import { LitElement, css, html } from 'lit';
import { api } from '../api.ts';
import { LangController, centerName, currentLang, datesIn, errorText, fmtDate, setLang, t } from '../i18n/index.ts';
import { shared } from '../components/shared-styles.ts';
import { ApiFailure } from '../api.ts';
import { normalizeDigits } from '../../../domain/national-id.ts';
import { displayInquiry } from '../../../domain/inquiry-number.ts';

const MSG = {
  ar: { inquiry: 'اكتب رقم الاستعلام كما في الإيصال، مثل F-2026-000123-45', nid4: 'اكتب آخر أربعة أرقام من الرقم القومي' },
  en: { inquiry: 'Type the inquiry number as on your receipt, e.g. F-2026-000123-45', nid4: 'Type the last four digits of your national ID' },
};

/** GET /api/public/status (hub/routes/public). */
type PublicStatus = {
  kind: string; inquiry: string; stage: string; stageAr: string; stageEn: string; dueDate: string | null;
  publicNotes: { at: number; textAr: string }[];
};

export class ShStatus extends LitElement {
  static override properties = { result: { state: true }, error: { state: true }, fieldErrors: { state: true }, busy: { state: true }, embedded: { type: Boolean } };
  /** Inside the reception panel: no page header of its own. */
  declare embedded: boolean;
  declare result: PublicStatus | null;
  declare error: string | null;
  /** The page's own message under each field that is wrong (name → message). */
  declare fieldErrors: Record<string, string>;
  declare busy: boolean;
  private readonly inquiry = new URLSearchParams(location.search).get('inquiry') ?? '';

  static override styles = [shared, css`
    :host { max-width: 34rem; margin: 2rem auto; padding: 0 1rem; }
    :host([embedded]) { margin: 0; padding: 0; }
    form { display: grid; gap: 0.8rem; }
    .result dt { font-weight: 700; margin-block-start: 0.5rem; }
    .result dd { margin: 0; font-size: 1.2rem; }
    .error { color: #8e2a1f; font-weight: 700; }
    .result dd.note { font-size: 1rem; }
    input { font-size: 1.1rem; }
  `];

  constructor() {
    super();
    this.result = null;
    this.error = null;
    this.fieldErrors = {};
    this.busy = false;
    this.embedded = false;
    new LangController(this);
  }

  private async lookup(e: Event): Promise<void> {
    e.preventDefault();
    const form = new FormData(e.target as HTMLFormElement);
    const inquiry = String(form.get('inquiry') ?? '').trim();
    const nid4 = normalizeDigits(String(form.get('nid4') ?? ''));
    const m = MSG[currentLang()];
    const errors: Record<string, string> = {};
    // Only what is missing is checked here: whether a number exists (or its check digits
    // hold) is the hub's to say, with one answer for both, so lookups cannot probe numbers.
    if (!inquiry) errors.inquiry = m.inquiry;
    if (!/^\d{4}$/.test(nid4)) errors.nid4 = m.nid4;
    this.fieldErrors = errors;
    this.result = null;
    if (Object.keys(errors).length) {
      this.error = null;
      const first = (e.target as HTMLFormElement).querySelector<HTMLInputElement>(`[name=${Object.keys(errors)[0]}]`);
      first?.focus();
      return;
    }
    const q = new URLSearchParams({ inquiry, nid4 });
    this.busy = true;
    this.error = null;
    try {
      this.result = await api<PublicStatus>('GET', `/api/public/status?${q}`);
    } catch (err) {
      this.result = null;
      this.error = err instanceof ApiFailure ? errorText(err) : String(err);
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const r = this.result;
    return html`
      ${this.embedded ? null : html`<div class="row" style="justify-content: space-between">
        <span class="muted">${centerName}</span>
        <button @click=${() => setLang(currentLang() === 'ar' ? 'en' : 'ar')}>${t('language')}</button>
      </div>`}
      <section class="card">
        <h2>${t('statusTitle')}</h2>
        <form novalidate @submit=${this.lookup}>
          <label>${t('inquiryNumber')}<input name="inquiry" .value=${this.inquiry} type="text" inputmode="text" autocapitalize="characters" spellcheck="false"
            class="ltr" autocomplete="off" aria-invalid=${this.fieldErrors.inquiry ? 'true' : 'false'} placeholder="F-2026-000123-45"></label>
          ${this.fieldErrors.inquiry ? html`<span class="error" data-testid="error-inquiry">${this.fieldErrors.inquiry}</span>` : null}
          <label>${t('nidLast4')}<input name="nid4" type="text" inputmode="numeric" maxlength="8" class="ltr" autocomplete="off" aria-invalid=${this.fieldErrors.nid4 ? 'true' : 'false'}></label>
          ${this.fieldErrors.nid4 ? html`<span class="error" data-testid="error-nid4">${this.fieldErrors.nid4}</span>` : null}
          <button class="primary" ?disabled=${this.busy}>${t('search')}</button>
        </form>
      </section>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : null}
      ${r ? html`<section class="card result" data-testid="status-result"><dl>
        <dt>${t('inquiryNumber')}</dt><dd class="ltr" data-testid="status-inquiry">${displayInquiry(r.inquiry)}</dd>
        <dt>${t('stage')}</dt><dd data-testid="status-stage">${currentLang() === 'en' ? r.stageEn : r.stageAr}</dd>
        <dt>${t('dueDate')}</dt><dd>${r.dueDate ? fmtDate(r.dueDate) : '—'}</dd>
        ${r.publicNotes.length ? html`<dt>${currentLang() === 'en' ? 'Notes' : 'ملاحظات'}</dt>` : null}
        ${r.publicNotes.map((n) => html`<dd class="note" data-testid="status-note">${fmtDate(n.at)} — ${datesIn(n.textAr)}</dd>`)}
      </dl></section>` : null}`;
  }
}
customElements.define('sh-status', ShStatus);
