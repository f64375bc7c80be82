// The waiting-hall TV (/tv): no login, read-only, readable from across the hall. Every
// window's current ticket, the last calls (the newest highlighted while announced), and
// each line's waiting count and estimated wait. ?digits=arabic shows Arabic-Indic digits.
import { LitElement, css, html } from 'lit';
import { LiveQueueController } from '../controllers/live-queue.ts';
import { arabicDigits, centerName, count, fmtTime, t } from '../i18n/index.ts';
import { Announcer } from './announcer.ts';
import type { HallAnnounce } from '@shubbak/protocol';

export class ShTv extends LitElement {
  static override properties = { announcing: { state: true }, now: { state: true } };
  declare announcing: HallAnnounce | null;
  declare now: number;
  private readonly live = new LiveQueueController(this);
  private readonly announcer = new Announcer();
  private readonly useArabicDigits = new URLSearchParams(location.search).get('digits') === 'arabic';
  private clockTimer = 0;

  static override styles = css`
    :host { display: grid; grid-template-rows: auto 1fr; height: 100vh; background: #0d1b24; color: #f4f7f9; font-size: 2.2vh; overflow: hidden; }
    header { display: flex; justify-content: space-between; align-items: center; padding: 1.5vh 3vw; background: #0b6e4f; }
    header h1 { margin: 0; font-size: 3.6vh; }
    .clock { font-size: 4vh; font-weight: 700; }
    main { display: grid; grid-template-columns: 3fr 2fr; gap: 2vw; padding: 2vh 3vw; min-height: 0; }
    h2 { margin: 0 0 1vh; font-size: 3vh; color: #f0b429; }
    table { width: 100%; border-collapse: collapse; }
    th { font-size: 2.6vh; color: #9fb4c2; text-align: start; padding: 0.6vh 1vw; }
    /* Rows shrink with the number of windows so every window fits on the screen. */
    td { font-size: min(7vh, calc(60vh / var(--rows, 6))); font-weight: 800; line-height: 1.25; padding: 0.4vh 1vw; border-block-end: 1px solid #24394a; }
    td.ticket { color: #ffd95e; letter-spacing: 0.05em; }
    tr.flash td { background: #f0b429; color: #0d1b24; animation: pulse 0.8s ease-in-out infinite alternate; }
    @keyframes pulse { from { opacity: 1; } to { opacity: 0.75; } }
    .calls li { display: flex; justify-content: space-between; font-size: 4vh; padding: 0.6vh 1vw; border-block-end: 1px solid #24394a; }
    .calls li:first-child { font-size: 5vh; color: #ffd95e; }
    ul { list-style: none; margin: 0; padding: 0; }
    .side { display: flex; flex-direction: column; gap: 3vh; min-height: 0; }
    .lines td { font-size: 3vh; font-weight: 700; }
    .lines td b { color: #ffd95e; font-size: 3.6vh; white-space: nowrap; }
    .banner { position: fixed; inset-inline: 0; inset-block-end: 0; text-align: center; font-size: 10vh; font-weight: 900; background: #f0b429e6; color: #0d1b24; padding: 2vh 0; }
    .offline { color: #ff8a7a; font-size: 2.4vh; }
    .sound { position: fixed; inset-block-end: 1vh; inset-inline-end: 1vw; font: inherit; font-size: 1.8vh; opacity: 0.6; }
  `;

  constructor() {
    super();
    this.announcing = null;
    this.now = Date.now();
    this.live.onAnnounce = (a) => this.announcer.enqueue(a);
    this.announcer.onState = (a) => (this.announcing = a);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.announcer.unlock();
    this.clockTimer = window.setInterval(() => (this.now = Date.now()), 10_000);
  }

  override disconnectedCallback(): void {
    clearInterval(this.clockTimer);
    super.disconnectedCallback();
  }

  private readonly digits = (s: string): string => this.d(s);
  private d(s: string | number): string {
    return this.useArabicDigits ? arabicDigits(String(s)) : String(s);
  }

  override render() {
    const windows = [...this.live.windows.values()].sort((a, b) => a.window - b.window);
    const a = this.announcing;
    return html`
      <header>
        <h1>${centerName || t('centerSystem')}</h1>
        ${this.live.connected ? null : html`<span class="offline" role="status">${t('offline')}</span>`}
        <span class="clock">${this.d(fmtTime(this.now))}</span>
      </header>
      <main>
        <section aria-label=${t('windows')}>
          <table style="--rows: ${Math.max(windows.length, 1)}">
            <thead><tr><th>${t('window')}</th><th>${t('ticket')}</th></tr></thead>
            <tbody>${windows.map((w) => html`
              <tr class=${a && a.window === w.window ? 'flash' : ''} data-window=${w.window}>
                <td>${this.d(w.window)}</td>
                <td class="ticket" data-testid="tv-window-${w.window}">${w.ticket ? this.d(w.ticket) : '—'}</td>
              </tr>`)}
            </tbody>
          </table>
        </section>
        <div class="side">
        <section class="calls" aria-label=${t('lastCalls')}>
          <h2>${t('lastCalls')}</h2>
          <ul>${this.live.hall.calls.slice(0, 4).map((c) => html`
            <li><span>${this.d(c.ticket)}</span><span>${t('window')} ${this.d(c.window)}</span></li>`)}
          </ul>
        </section>
        <section class="lines" aria-label=${t('lines')}>
          <table>
            <thead><tr><th>${t('line')}</th><th>${t('waiting')}</th><th>${t('estWait')}</th></tr></thead>
            <tbody>${[...this.live.lines.values()].filter((l) => l.open).map((l) => html`
              <tr data-line=${l.line}><td>${l.name}</td><td><b>${this.d(l.waiting)}</b></td><td><b>${count(l.estimatedWaitMin, 'minute', this.digits)}</b></td></tr>`)}
            </tbody>
          </table>
        </section>
        </div>
      </main>
      ${a ? html`<div class="banner" role="alert" data-testid="tv-banner">${this.d(a.ticket)} ← ${t('window')} ${this.d(a.window)}</div>` : null}
      ${this.announcer.soundBlocked ? html`<button class="sound" @click=${() => { this.announcer.unlock(); this.requestUpdate(); }}>🔊</button>` : null}
    `;
  }
}
customElements.define('sh-tv', ShTv);
