// One message area for the whole page: a refused action shows the API's Arabic message
// (or English, with the toggle) and its stable code, until dismissed or replaced.
import { LitElement, css, html } from 'lit';
import { ApiFailure } from '../api.ts';
import { LangController, errorText, t } from '../i18n/index.ts';

type Note = { kind: 'error' | 'ok'; text: string; code?: string };

export class ShToast extends LitElement {
  static override properties = { note: { state: true } };
  declare note: Note | null;
  private timer = 0;

  static override styles = css`
    :host { position: fixed; inset-block-end: 1rem; inset-inline-start: 50%; transform: translateX(-50%); z-index: 50; max-width: min(92vw, 40rem); }
    :host(:dir(rtl)) { transform: translateX(50%); }
    .note { display: flex; gap: 1rem; align-items: center; padding: 0.8rem 1.1rem; border-radius: 10px; box-shadow: 0 4px 18px #0003; font-size: 1.05rem; }
    .error { background: #8e2a1f; color: #fff; }
    .ok { background: #0b6e4f; color: #fff; }
    code { opacity: 0.75; font-size: 0.8rem; }
    button { font: inherit; background: transparent; color: inherit; border: 1px solid #fff8; border-radius: 6px; cursor: pointer; }
    @media print { :host { display: none; } }
  `;

  constructor() {
    super();
    this.note = null;
    new LangController(this);
  }

  show(note: Note): void {
    this.note = note;
    clearTimeout(this.timer);
    this.timer = window.setTimeout(() => (this.note = null), note.kind === 'error' ? 12_000 : 4_000);
  }

  override render() {
    if (!this.note) return null;
    return html`<div class="note ${this.note.kind}" role=${this.note.kind === 'error' ? 'alert' : 'status'} data-code=${this.note.code ?? ''}>
      <span class="text">${this.note.text}</span>${this.note.code ? html`<code>${this.note.code}</code>` : null}
      <button @click=${() => (this.note = null)}>${t('close')}</button>
    </div>`;
  }
}
customElements.define('sh-toast', ShToast);

function toast(): ShToast {
  let el = document.querySelector('sh-toast');
  if (!el) el = document.body.appendChild(document.createElement('sh-toast'));
  return el;
}

/** Show why an action was refused. Anything but the hub's answer is a bug: it also goes to the console. */
export function showError(err: unknown): void {
  if (err instanceof ApiFailure) {
    toast().show({ kind: 'error', text: errorText(err), code: err.code });
    return;
  }
  console.error(err);
  toast().show({ kind: 'error', text: `${t('refused')}: ${String((err as Error)?.message ?? err)}` });
}

/** A form's own check failed (before anything was sent): say what to fix. */
export function showInvalid(text: string): void {
  toast().show({ kind: 'error', text, code: 'INVALID_INPUT' });
}

export function showOk(text: string): void {
  toast().show({ kind: 'ok', text });
}

declare global {
  interface HTMLElementTagNameMap {
    'sh-toast': ShToast;
  }
}
