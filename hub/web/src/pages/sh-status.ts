// The citizen's status page (/status): inquiry number + last four digits of the national
// ID → stage and due date, from GET /api/public/status. A receipt's QR code opens this
// page with ?inquiry= filled in.
import { LitElement, css, html } from 'lit';
import { api } from '../api.ts';
import { LangController, centerName, currentLang, errorText, fmtDate, setLang, t } from '../i18n/index.ts';
import { shared } from '../components/shared-styles.ts';
import { ApiFailure } from '../api.ts';

/** GET /api/public/status (hub/routes/public). */
type PublicStatus = {
  kind: string; inquiry: string; stage: string; stageAr: string; stageEn: string; dueDate: string | null;
  publicNotes: { at: number; textAr: string }[];
};

export class ShStatus extends LitElement {
  static override properties = { result: { state: true }, error: { state: true }, busy: { state: true }, embedded: { type: Boolean } };
  /** Inside the reception panel: no page header of its own. */
  declare embedded: boolean;
  declare result: PublicStatus | null;
  declare error: string | null;
  declare busy: boolean;
  private readonly inquiry = new URLSearchParams(location.search).get('inquiry') ?? '';

  static override styles = [shared, css`
    :host { max-width: 34rem; margin: 2rem auto; padding: 0 1rem; }
    :host([embedded]) { margin: 0; padding: 0; }
    form { display: grid; gap: 0.8rem; }
    .result dt { font-weight: 700; margin-block-start: 0.5rem; }
    .result dd { margin: 0; font-size: 1.2rem; }
    .error { color: #8e2a1f; font-weight: 700; }
  `];

  constructor() {
    super();
    this.result = null;
    this.error = null;
    this.busy = false;
    this.embedded = false;
    new LangController(this);
  }

  private async lookup(e: Event): Promise<void> {
    e.preventDefault();
    const form = new FormData(e.target as HTMLFormElement);
    const q = new URLSearchParams({ inquiry: String(form.get('inquiry') ?? '').trim(), nid4: String(form.get('nid4') ?? '').trim() });
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
        <form @submit=${this.lookup}>
          <label>${t('inquiryNumber')}<input name="inquiry" required .value=${this.inquiry} inputmode="numeric" class="ltr" autocomplete="off"></label>
          <label>${t('nidLast4')}<input name="nid4" required pattern="[0-9]{4}" maxlength="4" inputmode="numeric" class="ltr" autocomplete="off"></label>
          <button class="primary" ?disabled=${this.busy}>${t('search')}</button>
        </form>
      </section>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : null}
      ${r ? html`<section class="card result" data-testid="status-result"><dl>
        <dt>${t('inquiryNumber')}</dt><dd class="ltr">${r.inquiry}</dd>
        <dt>${t('stage')}</dt><dd data-testid="status-stage">${currentLang() === 'en' ? r.stageEn : r.stageAr}</dd>
        <dt>${t('dueDate')}</dt><dd>${r.dueDate ? fmtDate(r.dueDate) : '—'}</dd>
        ${r.publicNotes.map((n) => html`<dd class="muted">${fmtDate(n.at)} — ${n.textAr}</dd>`)}
      </dl></section>` : null}`;
  }
}
customElements.define('sh-status', ShStatus);
