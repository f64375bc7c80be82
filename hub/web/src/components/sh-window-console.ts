// The hot path of every window clerk: the ticket now at the window and the queue actions
// (call next, recall, no-show, start, finish, pause/resume, transfer). One key calls the next
// citizen (N, by physical key so it works on an Arabic keyboard too). A paused window sends
// no Next, and a window with a citizen at it sends no Pause: Finish (F) comes first, so
// the panel never ends a service the clerk did not end (issue 11 items 3 and 5).
import { LitElement, css, html } from 'lit';
import { api } from '../api.ts';
import { LiveQueueController } from '../controllers/live-queue.ts';
import { LangController, currentLang, fmtTime, t } from '../i18n/index.ts';
import { shared } from './shared-styles.ts';
import { showError, showInvalid, showOk } from './sh-toast.ts';

type Action = 'next' | 'recall' | 'no-show' | 'start' | 'finish' | 'pause' | 'resume';
const KEYS: Record<string, Action | 'pause-toggle'> = { KeyN: 'next', KeyR: 'recall', KeyX: 'no-show', KeyS: 'start', KeyF: 'finish', KeyP: 'pause-toggle' };

export class ShWindowConsole extends LitElement {
  static override properties = { window: { type: Number }, busy: { state: true }, transferTo: { state: true } };
  declare window: number;
  declare busy: boolean;
  declare transferTo: string;
  private readonly live = new LiveQueueController(this);

  static override styles = [shared, css`
    .now { font-size: 4rem; font-weight: 800; letter-spacing: 0.05em; color: #0b6e4f; line-height: 1.1; }
    .now.none { color: #8aa0ad; font-size: 2rem; }
    .actions button { min-width: 8.5rem; font-size: 1.05rem; }
    kbd { font-family: monospace; border: 1px solid #8aa0ad; border-radius: 4px; padding: 0 0.3rem; font-size: 0.8rem; margin-inline-start: 0.3rem; }
  `];

  constructor() {
    super();
    this.window = 0;
    this.busy = false;
    this.transferTo = '';
    new LangController(this);
  }

  private readonly onKey = (e: KeyboardEvent) => {
    if (e.ctrlKey || e.altKey || e.metaKey || e.repeat) return;
    const target = e.composedPath()[0] as HTMLElement | undefined;
    if (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
    const action = KEYS[e.code];
    if (!action) return;
    e.preventDefault();
    if (action === 'pause-toggle') void this.act(this.live.window(this.window)?.status === 'paused' ? 'resume' : 'pause');
    else void this.act(action);
  };

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('keydown', this.onKey);
  }

  override disconnectedCallback(): void {
    document.removeEventListener('keydown', this.onKey);
    super.disconnectedCallback();
  }

  async act(action: Action): Promise<void> {
    if (this.busy || !this.window) return;
    const w = this.live.window(this.window);
    if (action === 'next' && w?.status === 'paused') return showInvalid(t('resumeFirst'));
    if (action === 'pause' && w?.ticket) return showInvalid(t('finishFirst'));
    this.busy = true;
    try {
      const r = await api<{ queueEmpty?: boolean }>('POST', `/api/windows/${this.window}/${action}`);
      if (action === 'next' && r.queueEmpty) showOk(t('queueEmpty'));
    } catch (err) {
      showError(err);
    } finally {
      this.busy = false;
    }
  }

  private async transfer(): Promise<void> {
    if (!this.transferTo || this.busy) return;
    this.busy = true;
    try {
      await api('POST', `/api/windows/${this.window}/transfer`, { toLine: this.transferTo });
    } catch (err) {
      showError(err);
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const w = this.live.window(this.window);
    if (!w) return html`<div class="card">${t('loading')}</div>`;
    const served = (w.lines ?? []).map((l) => this.live.lines.get(l)).filter((l) => l !== undefined);
    const others = [...this.live.lines.values()].filter((l) => l.line !== w.line);
    const en = currentLang() === 'en';
    return html`
      <section class="card" aria-label=${t('windowN', { n: this.window })}>
        <div class="row" style="justify-content: space-between">
          <h2>${t('windowN', { n: this.window })} <span class="pill ${w.status === 'serving' ? 'ok' : w.status === 'paused' ? 'warn' : ''}" data-status=${w.status}>${t(`status_${w.status}`)}</span></h2>
          <span class="muted">${served.map((l) => html`<span class="pill">${l.line} · ${en ? l.nameEn ?? l.name : l.name}: ${t('waiting')} <b data-waiting=${l.line}>${l.waiting}</b></span> `)}</span>
        </div>
        <div class="row" style="gap: 2rem; align-items: baseline">
          <div>
            <div class="muted">${t('current')}</div>
            <div class="now ${w.ticket ? '' : 'none'}" data-testid="current-ticket">${w.ticket ?? t('noTicket')}</div>
            ${w.calledAt ? html`<div class="muted">${fmtTime(w.calledAt)}</div>` : null}
          </div>
        </div>
        <div class="row actions" style="margin-block-start: 1rem">
          <button class="primary" ?disabled=${this.busy || w.status === 'paused'} @click=${() => this.act('next')}>${t('callNext')}<kbd>N</kbd></button>
          <button ?disabled=${this.busy} @click=${() => this.act('recall')}>${t('recall')}<kbd>R</kbd></button>
          <button ?disabled=${this.busy || !w.ticket} @click=${() => this.act('start')}>${t('start')}<kbd>S</kbd></button>
          <button ?disabled=${this.busy || !w.ticket} @click=${() => this.act('finish')}>${t('finish')}<kbd>F</kbd></button>
          <button class="danger" ?disabled=${this.busy} @click=${() => this.act('no-show')}>${t('noShow')}<kbd>X</kbd></button>
          ${w.status === 'paused'
            ? html`<button ?disabled=${this.busy} @click=${() => this.act('resume')}>${t('resume')}<kbd>P</kbd></button>`
            : html`<button ?disabled=${this.busy || !!w.ticket} title=${w.ticket ? t('finishFirst') : ''} @click=${() => this.act('pause')}>${t('pause')}<kbd>P</kbd></button>`}
        </div>
        <div class="row" style="margin-block-start: 0.75rem">
          <label class="inline">${t('transfer')}
            <select .value=${this.transferTo} @change=${(e: Event) => (this.transferTo = (e.target as HTMLSelectElement).value)}>
              <option value="">—</option>
              ${others.map((l) => html`<option value=${l.line}>${l.line} · ${en ? l.nameEn ?? l.name : l.name}</option>`)}
            </select>
          </label>
          <button ?disabled=${this.busy || !this.transferTo || !w.ticket} @click=${() => this.transfer()}>${t('transferGo')}</button>
        </div>
        <p class="muted">${t('shortcuts')}</p>
      </section>`;
  }
}
customElements.define('sh-window-console', ShWindowConsole);
