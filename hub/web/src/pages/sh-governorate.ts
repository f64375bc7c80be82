// The governorate's live board (/governorate, issue 13 item 4): every center fed into the
// central tier, as the governorate's hub last stored it (GET /api/central/board,
// hub/central/routes.ts) — waiting per line, windows open and serving, devices down, open
// alerts, the time of the center's last event and any sequence numbers still missing (a
// gap the central store reports, never fills by guess). Read every few seconds; signs in
// through the panels (/) like any staff screen. Arabic first, RTL; English on the staff's choice.
import { LitElement, css, html } from 'lit';
import { api, ApiFailure } from '../api.ts';
import { LangController, count, currentLang, fmtTime } from '../i18n/index.ts';
import { shared } from '../components/shared-styles.ts';

type Line = { line: string; name: string; open: boolean; waiting: number; estimatedWaitMin: number };
type Window = { window: number; label: string; status: 'idle' | 'serving' | 'paused' | 'closed'; ticket: string | null };
type Alert = { id: number; device: string; kind: string; raisedAt: number; acknowledged: boolean };
export type CenterView = {
  center: string; waitingTotal: number; linesOpen: number; windowsOpen: number; windowsServing: number; devicesDown: string[]; openAlerts: number;
  lastSeq: number; lastAt: number | null; missingCount: number; refused: number; lines: Line[]; windows: Window[]; alerts: Alert[];
};

/** A center silent this long is shown as such (its link may be down; its outbox waits). */
const QUIET_MS = 5 * 60_000;
const REFRESH_MS = 3000;

const W = {
  ar: {
    title: 'لوحة المحافظة — مراكز خدمة المواطنين', center: 'المركز', waiting: 'المنتظرون', windowsOpen: 'الشبابيك المفتوحة', serving: 'تخدم الآن',
    devicesDown: 'أجهزة متوقفة', alerts: 'تنبيهات مفتوحة', last: 'آخر حدث', missing: 'أحداث لم تصل', quiet: 'لا أحداث منذ', none: 'لا توجد مراكز بعد',
    signIn: 'سجّل الدخول من لوحات الموظفين أولاً', forbidden: 'ليس لديك صلاحية لعرض لوحة المحافظة', line: 'الخط', closed: 'مغلق', at: 'تحديث', total: 'الإجمالي',
  },
  en: {
    title: 'Governorate board — citizen service centers', center: 'Center', waiting: 'Waiting', windowsOpen: 'Windows open', serving: 'Serving',
    devicesDown: 'Devices down', alerts: 'Open alerts', last: 'Last event', missing: 'Events missing', quiet: 'Silent since', none: 'No centers yet',
    signIn: 'Sign in on the staff panels first', forbidden: 'You may not view the governorate board', line: 'Line', closed: 'closed', at: 'Updated', total: 'Total',
  },
};

export class ShGovernorate extends LitElement {
  static override properties = { centers: { state: true }, at: { state: true }, problem: { state: true } };
  declare centers: CenterView[];
  declare at: number | null;
  declare problem: 'signIn' | 'forbidden' | null;
  private timer = 0;

  static override styles = [shared, css`
    :host { display: block; padding: 1rem 2rem; }
    table { width: 100%; border-collapse: collapse; }
    th, td { text-align: start; padding: 0.3rem 0.6rem; border-block-end: 1px solid #d5dde3; }
    td.n { font-variant-numeric: tabular-nums; font-weight: 700; }
    .centers { display: grid; grid-template-columns: repeat(auto-fill, minmax(22rem, 1fr)); gap: 1rem; }
    tfoot td { font-weight: 800; }
  `];

  constructor() {
    super();
    this.centers = [];
    this.at = null;
    this.problem = null;
    new LangController(this);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
    this.timer = window.setInterval(() => void this.load(), REFRESH_MS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.timer);
  }

  private async load(): Promise<void> {
    try {
      const r = await api<{ at: number; centers: CenterView[] }>('GET', '/api/central/board');
      this.centers = r.centers;
      this.at = r.at;
      this.problem = null;
    } catch (err) {
      if (err instanceof ApiFailure && err.status === 401) this.problem = 'signIn';
      else if (err instanceof ApiFailure && err.status === 403) this.problem = 'forbidden';
      // Anything else (the hub restarting): the last board stays, the next read tries again.
    }
  }

  override render() {
    const w = W[currentLang()];
    if (this.problem) return html`<h1>${w.title}</h1><p class="card" role="alert">${w[this.problem]} ${this.problem === 'signIn' ? html`<a href="/">/</a>` : null}</p>`;
    const sum = (f: (c: CenterView) => number) => this.centers.reduce((s, c) => s + f(c), 0);
    return html`
      <h1>${w.title}</h1>
      <p class="muted">${w.at} ${this.at ? fmtTime(this.at) : '—'}</p>
      <section class="card">
        ${this.centers.length ? html`
        <table data-testid="governorate-centers">
          <thead><tr><th>${w.center}</th><th>${w.waiting}</th><th>${w.windowsOpen}</th><th>${w.serving}</th><th>${w.devicesDown}</th><th>${w.alerts}</th><th>${w.last}</th></tr></thead>
          <tbody>${this.centers.map((c) => html`
            <tr data-center=${c.center}>
              <td class="ltr">${c.center}</td>
              <td class="n" data-testid="center-waiting">${count(c.waitingTotal, 'ticket')}</td>
              <td class="n">${c.windowsOpen}</td>
              <td class="n">${c.windowsServing}</td>
              <td>${c.devicesDown.length ? html`<span class="pill bad">${c.devicesDown.length}</span> <span class="ltr muted">${c.devicesDown.join(', ')}</span>` : '0'}</td>
              <td>${c.openAlerts ? html`<span class="pill warn">${c.openAlerts}</span>` : '0'}</td>
              <td>${c.lastAt ? fmtTime(c.lastAt) : '—'}
                ${c.lastAt && this.at && this.at - c.lastAt > QUIET_MS ? html`<span class="pill warn">${w.quiet} ${fmtTime(c.lastAt)}</span>` : null}
                ${c.missingCount ? html`<span class="pill bad" data-testid="center-missing">${w.missing}: ${c.missingCount}</span>` : null}</td>
            </tr>`)}
          </tbody>
          <tfoot><tr><td>${w.total}</td><td class="n">${count(sum((c) => c.waitingTotal), 'ticket')}</td><td class="n">${sum((c) => c.windowsOpen)}</td>
            <td class="n">${sum((c) => c.windowsServing)}</td><td class="n">${sum((c) => c.devicesDown.length)}</td><td class="n">${sum((c) => c.openAlerts)}</td><td></td></tr></tfoot>
        </table>` : html`<p class="muted">${w.none}</p>`}
      </section>
      <div class="centers">${this.centers.map((c) => html`
        <section class="card" data-center-card=${c.center}>
          <h2 class="ltr">${c.center}</h2>
          <table>
            <thead><tr><th>${w.line}</th><th>${w.waiting}</th></tr></thead>
            <tbody>${c.lines.map((l) => html`
              <tr data-line=${l.line}><td>${l.line} · ${l.name} ${l.open ? null : html`<span class="pill bad">${w.closed}</span>`}</td>
                <td class="n" data-testid="line-waiting">${l.waiting}</td></tr>`)}
            </tbody>
          </table>
        </section>`)}
      </div>`;
  }
}
customElements.define('sh-governorate', ShGovernorate);
