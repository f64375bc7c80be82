// The governorate's live board (/governorate, issue 13 item 4): every center fed into the
// central tier, as the governorate's hub last stored it (GET /api/central/board,
// hub/central/routes.ts) — waiting per line, windows open and serving, devices down, open
// alerts, the time of the center's last event and any sequence numbers still missing (a
// gap the central store reports, never fills by guess). Read every few seconds; signs in
// through the panels (/) like any staff screen. Arabic first, RTL; English on the staff's choice.
//
// Its second tab: the execution-rate and bottleneck reports across centers (GET
// /api/central/reports/execution and /queue, hub/central/reports.ts) — per center, per
// department across centers (by catalog code), the time in each stage, the files overdue,
// and each center's queue (tickets, served, waits, no-shows) — over
// the closed days each center sent (through yesterday), with the words and number
// agreement of the center's own report screens (reports/i18n.ts).
import { LitElement, css, html } from 'lit';
import { api, ApiFailure } from '../api.ts';
import { LangController, count, currentLang, fmtDate, fmtTime } from '../i18n/index.ts';
import { measure, num, r } from '../reports/i18n.ts';
import type { GovernorateExecution, GovernorateQueue } from '../../../central/reports.ts';
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
    board: 'اللوحة الحية', reports: 'التنفيذ والاختناقات', closedOnly: 'الأيام المنتهية فقط، حتى {day}: أرقام اليوم الجاري لدى كل مركز.',
    daysHeld: 'الأيام الواردة', through: 'حتى', bottleneck: 'أطول مرحلة انتظار', overdueAsOf: 'المتأخر كما في', byCenter: 'حسب المركز',
    byDepartment: 'حسب الإدارة في كل المراكز', allCenters: 'كل المراكز', noReports: 'لم يرسل أي مركز أياماً منتهية بعد',
    queues: 'الطوابير حسب المركز',
  },
  en: {
    title: 'Governorate board — citizen service centers', center: 'Center', waiting: 'Waiting', windowsOpen: 'Windows open', serving: 'Serving',
    devicesDown: 'Devices down', alerts: 'Open alerts', last: 'Last event', missing: 'Events missing', quiet: 'Silent since', none: 'No centers yet',
    signIn: 'Sign in on the staff panels first', forbidden: 'You may not view the governorate board', line: 'Line', closed: 'closed', at: 'Updated', total: 'Total',
    board: 'Live board', reports: 'Execution & bottlenecks', closedOnly: 'Closed days only, through {day}: today\'s figures are at each center.',
    daysHeld: 'Days received', through: 'Through', bottleneck: 'Longest stage', overdueAsOf: 'Overdue as of', byCenter: 'By center',
    byDepartment: 'By department, all centers', allCenters: 'All centers', noReports: 'No center has sent closed days yet',
    queues: 'Queues by center',
  },
};

type Tab = 'board' | 'reports';

/** The stage whose half of the files stayed longest (the report's bottleneck), or null. */
function bottleneck(stages: GovernorateExecution['all']['stages']): GovernorateExecution['all']['stages'][number] | null {
  return stages.filter((s) => s.medianDays !== null).sort((a, b) => b.medianDays! - a.medianDays!)[0] ?? null;
}

export class ShGovernorate extends LitElement {
  static override properties = {
    centers: { state: true }, at: { state: true }, problem: { state: true }, tab: { state: true }, execution: { state: true }, queue: { state: true }, from: { state: true }, to: { state: true },
  };
  declare centers: CenterView[];
  declare at: number | null;
  declare problem: 'signIn' | 'forbidden' | null;
  declare tab: Tab;
  declare execution: GovernorateExecution | null;
  declare queue: GovernorateQueue | null;
  declare from: string;
  declare to: string;
  private timer = 0;

  static override styles = [shared, css`
    :host { display: block; padding: 1rem 2rem; }
    table { width: 100%; border-collapse: collapse; }
    th, td { text-align: start; padding: 0.3rem 0.6rem; border-block-end: 1px solid #d5dde3; }
    td.n { font-variant-numeric: tabular-nums; font-weight: 700; }
    .centers { display: grid; grid-template-columns: repeat(auto-fill, minmax(22rem, 1fr)); gap: 1rem; }
    tfoot td { font-weight: 800; }
    .tabs { display: flex; gap: 0.5rem; margin-block-end: 1rem; }
    .tabs button[aria-selected='true'] { font-weight: 800; border-block-end: 3px solid currentColor; }
    .kpis { display: flex; flex-wrap: wrap; gap: 1rem; }
    .kpi { display: flex; flex-direction: column; min-width: 9rem; }
    .kpi b { font-size: 1.4rem; }
    .period { display: flex; gap: 1rem; align-items: end; margin-block-end: 0.5rem; }
    tr.late td { color: #a11; }
  `];

  constructor() {
    super();
    this.centers = [];
    this.at = null;
    this.problem = null;
    this.tab = location.hash === '#reports' ? 'reports' : 'board';
    this.execution = null;
    this.queue = null;
    this.from = '';
    this.to = '';
    new LangController(this);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
    if (this.tab === 'reports') void this.loadReports();
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

  private async loadReports(): Promise<void> {
    const q = new URLSearchParams();
    if (this.from) q.set('from', this.from);
    if (this.to) q.set('to', this.to);
    try {
      const query = q.size ? `?${q}` : '';
      const [execution, queue] = await Promise.all([
        api<GovernorateExecution>('GET', `/api/central/reports/execution${query}`), api<GovernorateQueue>('GET', `/api/central/reports/queue${query}`),
      ]);
      this.execution = execution;
      this.queue = queue;
      this.from = this.execution.period.from;
      this.to = this.execution.period.to;
      this.problem = null;
    } catch (err) {
      if (err instanceof ApiFailure && err.status === 401) this.problem = 'signIn';
      else if (err instanceof ApiFailure && err.status === 403) this.problem = 'forbidden';
    }
  }

  private show(tab: Tab): void {
    this.tab = tab;
    history.replaceState(null, '', tab === 'reports' ? '#reports' : '#');
    if (tab === 'reports' && !this.execution) void this.loadReports();
  }

  override render() {
    const w = W[currentLang()];
    if (this.problem) return html`<h1>${w.title}</h1><p class="card" role="alert">${w[this.problem]} ${this.problem === 'signIn' ? html`<a href="/">/</a>` : null}</p>`;
    return html`
      <h1>${w.title}</h1>
      <nav class="tabs" role="tablist">
        <button role="tab" aria-selected=${this.tab === 'board'} data-tab="board" @click=${() => this.show('board')}>${w.board}</button>
        <button role="tab" aria-selected=${this.tab === 'reports'} data-tab="reports" @click=${() => this.show('reports')}>${w.reports}</button>
      </nav>
      ${this.tab === 'reports' ? this.renderReports() : this.renderBoard()}`;
  }

  private renderReports() {
    const w = W[currentLang()];
    const en = currentLang() === 'en';
    const x = this.execution;
    const period = html`
      <form class="period" @submit=${(e: Event) => { e.preventDefault(); void this.loadReports(); }}>
        <label>${r('from')} <input type="date" name="from" .value=${this.from} @change=${(e: Event) => { this.from = (e.target as HTMLInputElement).value; }}></label>
        <label>${r('to')} <input type="date" name="to" .value=${this.to} @change=${(e: Event) => { this.to = (e.target as HTMLInputElement).value; }}></label>
        <button type="submit">${r('show')}</button>
      </form>`;
    if (!x) return html`${period}<p class="muted">${r('loading')}</p>`;
    const a = x.all;
    const bn = bottleneck(a.stages);
    return html`
      ${period}
      <p class="muted" data-testid="closed-days">${w.closedOnly.replace('{day}', fmtDate(x.through))}</p>
      <section class="card" data-testid="governorate-execution">
        <h2>${w.allCenters}</h2>
        <div class="kpis">
          <div class="kpi">${r('received')}<b data-testid="all-received">${count(a.totals.received, 'file')}</b></div>
          <div class="kpi">${r('decided')}<b>${count(a.totals.decided, 'file')}</b></div>
          <div class="kpi">${r('inTime')}<b data-testid="all-in-time">${num(a.totals.decidedInTimeRate, '%')}</b></div>
          <div class="kpi">${r('delivered')}<b>${count(a.totals.delivered, 'file')}</b></div>
          <div class="kpi">${r('overdueNow')}<b>${count(a.totals.overdueNow, 'file')}</b></div>
          <div class="kpi">${w.bottleneck}<b>${bn ? html`${en ? bn.stageEn : bn.stageAr} (${measure(bn.medianDays, 'day')})` : '—'}</b></div>
        </div>
      </section>
      <section class="card">
        <h2>${w.byCenter}</h2>
        ${x.centers.length ? html`
        <table data-table="centers"><thead><tr><th>${w.center}</th><th>${w.daysHeld}</th><th class="num">${r('received')}</th><th class="num">${r('decided')}</th>
          <th class="num">${r('inTime')}</th><th class="num">${r('delivered')}</th><th class="num">${r('overdueNow')}</th><th>${w.bottleneck}</th></tr></thead>
          <tbody>${x.centers.map((c) => {
            const b = bottleneck(c.report.stages);
            return html`<tr data-center=${c.center}><td class="ltr">${c.center}</td>
              <td>${count(c.days, 'day')}${c.lastDay ? html` <span class="muted">${w.through} ${fmtDate(c.lastDay)}</span>` : null}</td>
              <td class="num">${c.report.totals.received}</td><td class="num">${c.report.totals.decided}</td>
              <td class="num" data-testid="center-in-time">${num(c.report.totals.decidedInTimeRate, '%')}</td><td class="num">${c.report.totals.delivered}</td>
              <td class="num">${c.report.totals.overdueNow}${c.overdueAt ? html` <span class="muted">${w.overdueAsOf} ${fmtDate(c.overdueAt)}</span>` : null}</td>
              <td>${b ? html`${en ? b.stageEn : b.stageAr} (${measure(b.medianDays, 'day')})` : '—'}</td></tr>`;
          })}</tbody></table>` : html`<p class="muted">${w.noReports}</p>`}
      </section>
      ${this.queue ? html`
      <section class="card">
        <h2>${w.queues}</h2>
        <table data-table="queues"><thead><tr><th>${w.center}</th><th class="num">${r('tickets')}</th><th class="num">${r('served')}</th>
          <th class="num">${r('wait')}: ${r('median')}</th><th class="num">${r('wait')}: ${r('p90')}</th><th class="num">${r('noShowRate')}</th></tr></thead>
          <tbody>${this.queue.centers.map((c) => html`<tr data-center=${c.center}><td class="ltr">${c.center}</td>
            <td class="num">${count(c.report.totals.tickets, 'ticket')}</td><td class="num">${c.report.totals.served}</td>
            <td class="num">${measure(c.report.totals.wait.medianMin, 'minute')}</td><td class="num">${measure(c.report.totals.wait.p90Min, 'minute')}</td>
            <td class="num">${num(c.report.totals.noShowRate, '%')}</td></tr>`)}</tbody>
          <tfoot><tr data-center="all"><td>${w.total}</td><td class="num" data-testid="all-tickets">${count(this.queue.all.totals.tickets, 'ticket')}</td>
            <td class="num">${this.queue.all.totals.served}</td><td class="num">${measure(this.queue.all.totals.wait.medianMin, 'minute')}</td>
            <td class="num">${measure(this.queue.all.totals.wait.p90Min, 'minute')}</td><td class="num">${num(this.queue.all.totals.noShowRate, '%')}</td></tr></tfoot></table>
      </section>` : null}
      <section class="card">
        <h2>${w.byDepartment}</h2>
        <table data-table="departments"><thead><tr><th>${r('department')}</th><th class="num">${r('received')}</th><th class="num">${r('decided')}</th>
          <th class="num">${r('inTime')}</th><th class="num">${r('delivered')}</th><th class="num">${r('overdueNow')}</th></tr></thead>
          <tbody>${a.departments.map((d) => html`<tr><td>${d.department}</td><td class="num">${d.received}</td><td class="num">${d.decided}</td>
            <td class="num">${num(d.decidedInTimeRate, '%')}</td><td class="num">${d.delivered}</td><td class="num">${d.overdueNow}</td></tr>`)}</tbody></table>
      </section>
      <section class="card">
        <h2>${r('stageTimes')}</h2>
        <table data-table="stages"><thead><tr><th>${r('stage')}</th><th class="num">${r('stays')}</th><th class="num">${r('median')}</th><th class="num">${r('p90')}</th></tr></thead>
          <tbody>${a.stages.map((st) => html`<tr data-stage=${st.stage}><td>${en ? st.stageEn : st.stageAr}</td><td class="num">${st.n}</td>
            <td class="num">${measure(st.medianDays, 'day')}</td><td class="num">${measure(st.p90Days, 'day')}</td></tr>`)}</tbody></table>
      </section>
      <section class="card">
        <h2>${r('overdueFiles')}</h2>
        <table data-table="overdue"><thead><tr><th>${w.center}</th><th>${r('inquiry')}</th><th>${r('service')}</th><th>${r('holder')}</th><th>${r('dueDay')}</th><th class="num">${r('daysLate')}</th></tr></thead>
          <tbody>${a.overdue.length ? a.overdue.slice(0, 100).map((o) => html`<tr class="late"><td class="ltr">${o.center}</td><td class="ltr">${o.inquiryNumber}</td><td>${o.service}</td>
            <td>${o.holder}</td><td>${fmtDate(o.dueDay)}</td><td class="num">${count(o.daysLate, 'day')}</td></tr>`) : html`<tr><td colspan="6" class="muted">${r('none')}</td></tr>`}</tbody></table>
      </section>`;
  }

  private renderBoard() {
    const w = W[currentLang()];
    const sum = (f: (c: CenterView) => number) => this.centers.reduce((s, c) => s + f(c), 0);
    return html`
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
