// The supervision screens (manager, supervisors, information center): queues, execution
// and bottlenecks, collections, complaints, devices and alerts, the weekly backup, and
// the printable weekly department report. Every table has a CSV export (the same API
// with ?format=csv, which the browser downloads with the session cookie).
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { api, ApiFailure } from '../api.ts';
import { LangController, currentLang, fmtDate, fmtMoney, fmtTime, timezone } from '../i18n/index.ts';
import { shared } from '../components/shared-styles.ts';
import { showError } from '../components/sh-toast.ts';
import { LiveStaffController } from '../controllers/live-staff.ts';
import type { Me } from '../session.ts';
import type { ComplaintsReport, DeviceHealthReport, QueueStats } from '../../../services/reports/index.ts';
import type { ExecutionReport, MoneyReport } from '../../../services/reports/index.ts';
import type { Alert } from '../../../services/alerts.ts';
import type { BackupRecord } from '../../../services/backup.ts';
import { displayInquiry } from '../../../domain/inquiry-number.ts';
import { measure, num, r } from './i18n.ts';
import './sh-chart.ts';
import './sh-weekly-report.ts';

type View = 'queue' | 'execution' | 'money' | 'complaints' | 'devices' | 'backup' | 'weekly';
type BackupStatus = { last: BackupRecord | null; lastGood: BackupRecord | null; nextRunAt: number; history: BackupRecord[] };
type Department = { id: number; nameAr: string; nameEn: string };

function today(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: timezone }).format(Date.now());
}
function shiftDay(day: string, n: number): string {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export class ShReports extends LitElement {
  static override properties = {
    me: { attribute: false }, view: { state: true }, from: { state: true }, to: { state: true }, department: { state: true },
    data: { state: true }, error: { state: true }, departments: { state: true }, busy: { state: true },
  };
  declare me: Me | null;
  declare view: View;
  declare from: string;
  declare to: string;
  declare department: number | null;
  declare data: unknown;
  declare error: string | null;
  declare departments: Department[];
  declare busy: boolean;

  static override styles = [shared, css`
    nav.tabs { display: flex; flex-wrap: wrap; gap: 0.35rem; margin-block-end: 0.75rem; }
    nav.tabs button[aria-selected='true'] { background: #0b6e4f; color: #fff; border-color: #0b6e4f; }
    .kpis { display: grid; grid-template-columns: repeat(auto-fill, minmax(160px, 1fr)); gap: 0.6rem; margin-block-end: 0.75rem; }
    .kpi { border: 1px solid #d5dde3; border-radius: 8px; padding: 0.6rem; background: #f8fafb; }
    .kpi b { display: block; font-size: 1.5rem; }
    .split { display: grid; grid-template-columns: repeat(auto-fit, minmax(380px, 1fr)); gap: 1rem; }
    .tablehead { display: flex; justify-content: space-between; align-items: baseline; gap: 0.5rem; }
    a.csv { font-size: 0.9rem; }
    td.num, th.num { text-align: end; font-variant-numeric: tabular-nums; }
    tr.late td { background: #fff4f2; }
  `];

  constructor() {
    super();
    this.me = null;
    this.view = 'queue';
    this.to = today();
    this.from = shiftDay(this.to, -29);
    this.department = null;
    this.data = null;
    this.error = null;
    this.departments = [];
    this.busy = false;
    new LangController(this);
    new LiveStaffController(this, ['alerts', 'devices', 'backups'], () => {
      if (this.view === 'devices' || this.view === 'backup') void this.load();
    });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
    void api<Department[]>('GET', '/api/departments').then((d) => (this.departments = d), () => (this.departments = []));
  }

  private get views(): View[] {
    const role = this.me?.role;
    const v: View[] = ['queue', 'execution', 'money', 'complaints', 'devices', 'weekly'];
    if (role === 'manager' || role === 'information') v.push('backup');
    return v;
  }

  private query(extra: Record<string, string> = {}): string {
    const p = new URLSearchParams({ from: this.from, to: this.to, ...extra });
    if (this.department !== null) p.set('department', String(this.department));
    return p.toString();
  }

  private url(view: View, extra: Record<string, string> = {}): string {
    switch (view) {
      case 'devices': return '/api/reports/devices';
      case 'backup': return '/api/reports/backups';
      default: return `/api/reports/${view}?${this.query(extra)}`;
    }
  }

  async load(): Promise<void> {
    if (this.view === 'weekly') return;
    this.busy = true;
    this.error = null;
    const view = this.view;
    try {
      const d = await api<unknown>('GET', this.url(view));
      if (view === this.view) this.data = d;
    } catch (err) {
      if (view !== this.view) return;
      this.data = null;
      if (err instanceof ApiFailure && (err.status === 404 || err.status === 503)) this.error = r('notYet');
      else showError(err);
    } finally {
      this.busy = false;
    }
  }

  private pick(v: View): void {
    this.view = v;
    this.data = null;
    void this.load();
  }

  private csvLink(view: View, table: string): TemplateResult {
    return html`<a class="csv no-print" href=${this.url(view, { format: 'csv', table })} download data-csv=${`${view}:${table}`}>⬇ ${r('csv')}</a>`;
  }

  private tableHead(title: string, view: View, table: string): TemplateResult {
    return html`<div class="tablehead"><h3>${title}</h3>${this.csvLink(view, table)}</div>`;
  }

  override render() {
    const en = currentLang() === 'en';
    return html`
      <section class="card ${this.view === 'weekly' ? 'no-print' : ''}">
        <h2>${r('reports')}</h2>
        <nav class="tabs no-print" role="tablist">
          ${this.views.map((v) => html`<button role="tab" aria-selected=${this.view === v} data-view=${v} @click=${() => this.pick(v)}>${r(v)}</button>`)}
        </nav>
        ${this.view !== 'devices' && this.view !== 'backup' && this.view !== 'weekly' ? html`
          <form class="row no-print" @submit=${(e: Event) => { e.preventDefault(); void this.load(); }}>
            <label class="inline">${r('from')} <input type="date" .value=${this.from} @change=${(e: Event) => (this.from = (e.target as HTMLInputElement).value)}></label>
            <label class="inline">${r('to')} <input type="date" .value=${this.to} @change=${(e: Event) => (this.to = (e.target as HTMLInputElement).value)}></label>
            ${this.view !== 'queue' && this.departments.length ? html`
              <label class="inline">${r('department')}
                <select @change=${(e: Event) => { const v = (e.target as HTMLSelectElement).value; this.department = v ? Number(v) : null; }}>
                  <option value="">${r('allDepartments')}</option>
                  ${this.departments.filter((d) => !this.me?.departmentIds || this.me.departmentIds.includes(d.id)).map((d) => html`
                    <option value=${d.id} ?selected=${this.department === d.id}>${en ? d.nameEn : d.nameAr}</option>`)}
                </select></label>` : nothing}
            <button class="primary" type="submit">${r('show')}</button>
          </form>` : nothing}
      </section>
      ${this.view === 'weekly' ? html`<sh-weekly-report .me=${this.me} .departments=${this.departments}></sh-weekly-report>`
        : this.error ? html`<section class="card"><p class="muted" data-testid="report-unavailable">${this.error}</p></section>`
        : !this.data ? html`<section class="card"><p class="muted">${r('loading')}</p></section>`
        : this.renderView()}`;
  }

  private renderView(): TemplateResult {
    switch (this.view) {
      case 'queue': return this.renderQueue(this.data as QueueStats);
      case 'execution': return this.renderExecution(this.data as ExecutionReport);
      case 'money': return this.renderMoney(this.data as MoneyReport);
      case 'complaints': return this.renderComplaints(this.data as ComplaintsReport);
      case 'devices': return this.renderDevices(this.data as DeviceHealthReport);
      case 'backup': return this.renderBackup(this.data as BackupStatus);
      default: return html``;
    }
  }

  private renderQueue(q: QueueStats): TemplateResult {
    const en = currentLang() === 'en';
    const hours = [...new Set(q.hourly.map((h) => h.hour))].sort((a, b) => a - b);
    const lines = q.lines.filter((l) => l.tickets > 0);
    return html`
      <section class="card" data-testid="report-queue">
        <div class="kpis">
          <div class="kpi">${r('tickets')}<b>${q.totals.tickets}</b></div>
          <div class="kpi">${r('medianWait')}<b>${measure(q.totals.wait.medianMin, 'minute')}</b></div>
          <div class="kpi">${r('p90Wait')}<b>${measure(q.totals.wait.p90Min, 'minute')}</b></div>
          <div class="kpi">${r('medianService')}<b>${measure(q.totals.service.medianMin, 'minute')}</b></div>
          <div class="kpi">${r('medianWalk')}<b>${measure(q.totals.walk.medianMin, 'minute')}</b></div>
          <div class="kpi">${r('noShowRate')}<b>${num(q.totals.noShowRate, '%')}</b></div>
          ${q.appointments?.booked ? html`<div class="kpi" data-testid="report-bookings">${r('bookings')}<b>${q.appointments.booked} (${q.appointments.checkedIn} / ${q.appointments.noShows})</b></div>` : null}
        </div>
        <div class="split">
          <div><h3>${r('perHour')}</h3>
            <sh-chart kind="bar" stacked .labels=${hours.map((h) => `${String(h).padStart(2, '0')}:00`)}
              .series=${lines.map((l) => ({ label: `${l.line} · ${en ? l.nameEn : l.nameAr}`, data: hours.map((h) => q.hourly.find((x) => x.line === l.line && x.hour === h)?.perDay ?? 0) }))}></sh-chart></div>
          <div><h3>${r('daily')}</h3>
            <sh-chart kind="line" .labels=${q.daily.map((d) => d.day.slice(5))}
              .series=${[{ label: r('tickets'), data: q.daily.map((d) => d.tickets) }, { label: r('dailyWait'), data: q.daily.map((d) => d.medianWaitMin) }]}></sh-chart></div>
        </div>
        ${this.tableHead(r('byLine'), 'queue', 'lines')}
        <table data-table="lines">
          <thead><tr><th>${r('line')}</th><th class="num">${r('tickets')}</th><th class="num">${r('served')}</th>
            <th class="num">${r('wait')}: ${r('median')} (${r('min')})</th><th class="num">${r('wait')}: ${r('p90')} (${r('min')})</th>
            <th class="num">${r('service')}: ${r('median')} (${r('min')})</th><th class="num">${r('walk')}: ${r('median')} (${r('min')})</th><th class="num">${r('noShowRate')}</th></tr></thead>
          <tbody>${q.lines.map((l) => html`<tr data-line=${l.line}>
            <td>${l.line} · ${en ? l.nameEn : l.nameAr}</td><td class="num">${l.tickets}</td><td class="num">${l.served}</td>
            <td class="num">${num(l.wait.medianMin)}</td><td class="num">${num(l.wait.p90Min)}</td><td class="num">${num(l.service.medianMin)}</td>
            <td class="num">${num(l.walk.medianMin)}</td><td class="num">${num(l.noShowRate, '%')}</td></tr>`)}</tbody>
        </table>
        <p class="muted">${r('busiest')}: ${q.busiestHours.map((h) => `${String(h.hour).padStart(2, '0')}:00 (${h.perDay} ${r('perDay')})`).join('، ') || '—'}</p>
        <div class="split">
          <div>${this.tableHead(r('byWindow'), 'queue', 'windows')}
            <table data-table="windows"><thead><tr><th>${r('window')}</th><th class="num">${r('served')}</th><th class="num">${r('avgService')}</th>
              <th class="num">${r('serving')}</th><th class="num">${r('idle')}</th><th class="num">${r('paused')}</th></tr></thead>
              <tbody>${q.windows.map((w) => html`<tr><td>${w.window}</td><td class="num">${w.served}</td><td class="num">${num(w.avgServiceMin)}</td>
                <td class="num">${w.servingMin}</td><td class="num">${w.idleMin}</td><td class="num">${w.pausedMin}</td></tr>`)}</tbody></table></div>
          <div>${this.tableHead(r('byClerk'), 'queue', 'clerks')}
            <table data-table="clerks"><thead><tr><th>${r('clerk')}</th><th class="num">${r('served')}</th><th class="num">${r('avgService')}</th>
              <th class="num">${r('idle')}</th><th class="num">${r('paused')}</th></tr></thead>
              <tbody>${q.clerks.map((c) => html`<tr><td>${c.name ?? c.clerk}</td><td class="num">${c.served}</td><td class="num">${num(c.avgServiceMin)}</td>
                <td class="num">${c.idleMin}</td><td class="num">${c.pausedMin}</td></tr>`)}</tbody></table></div>
        </div>
      </section>`;
  }

  private renderExecution(x: ExecutionReport): TemplateResult {
    const en = currentLang() === 'en';
    return html`
      <section class="card" data-testid="report-execution">
        <div class="kpis">
          <div class="kpi">${r('received')}<b>${x.totals.received}</b></div>
          <div class="kpi">${r('decided')}<b>${x.totals.decided}</b></div>
          <div class="kpi">${r('delivered')}<b>${x.totals.delivered}</b></div>
          <div class="kpi">${r('inTime')}<b>${num(x.totals.decidedInTimeRate, '%')}</b></div>
          <div class="kpi">${r('overdueNow')}<b>${x.totals.overdueNow}</b></div>
        </div>
        <div class="split">
          <div><h3>${r('stageTimes')}</h3>
            <sh-chart kind="bar" horizontal .labels=${x.stages.map((s) => (en ? s.stageEn : s.stageAr))} unit=${r('days')}
              .series=${[{ label: r('median'), data: x.stages.map((s) => s.medianDays) }, { label: r('p90'), data: x.stages.map((s) => s.p90Days), color: '#c07a00' }]}></sh-chart></div>
          <div><h3>${r('trend')}</h3>
            <sh-chart kind="line" .labels=${x.trend.map((w) => w.week.slice(5))}
              .series=${[{ label: r('received'), data: x.trend.map((w) => w.received) }, { label: r('decided'), data: x.trend.map((w) => w.decided) },
                { label: `${r('inTime')} %`, data: x.trend.map((w) => w.decidedInTimeRate) }]}></sh-chart></div>
        </div>
        ${this.tableHead(r('stageTimes'), 'execution', 'stages')}
        <table data-table="stages"><thead><tr><th>${r('stage')}</th><th class="num">${r('stays')}</th><th class="num">${r('median')} (${r('days')})</th><th class="num">${r('p90')} (${r('days')})</th></tr></thead>
          <tbody>${x.stages.map((s) => html`<tr data-stage=${s.stage}><td>${en ? s.stageEn : s.stageAr}</td><td class="num">${s.n}</td>
            <td class="num">${num(s.medianDays)}</td><td class="num">${num(s.p90Days)}</td></tr>`)}</tbody></table>
        ${this.tableHead(r('department'), 'execution', 'departments')}
        <table data-table="departments"><thead><tr><th>${r('department')}</th><th class="num">${r('received')}</th><th class="num">${r('decided')}</th>
          <th class="num">${r('delivered')}</th><th class="num">${r('inTime')}</th><th class="num">${r('overdueNow')}</th></tr></thead>
          <tbody>${x.departments.map((d) => html`<tr><td>${d.department}</td><td class="num">${d.received}</td><td class="num">${d.decided}</td>
            <td class="num">${d.delivered}</td><td class="num">${num(d.decidedInTimeRate, '%')}</td><td class="num">${d.overdueNow}</td></tr>`)}</tbody></table>
        ${this.tableHead(r('service'), 'execution', 'services')}
        <table data-table="services"><thead><tr><th>${r('service')}</th><th>${r('department')}</th><th class="num">${r('received')}</th><th class="num">${r('decided')}</th>
          <th class="num">${r('inTime')}</th><th class="num">${r('overdueNow')}</th></tr></thead>
          <tbody>${x.services.map((s) => html`<tr><td>${s.service}</td><td>${s.department}</td><td class="num">${s.received}</td><td class="num">${s.decided}</td>
            <td class="num">${num(s.decidedInTimeRate, '%')}</td><td class="num">${s.overdueNow}</td></tr>`)}</tbody></table>
        ${this.tableHead(r('overdueFiles'), 'execution', 'overdue')}
        <table data-table="overdue"><thead><tr><th>${r('inquiry')}</th><th>${r('service')}</th><th>${r('holder')}</th><th>${r('dueDay')}</th><th class="num">${r('daysLate')}</th></tr></thead>
          <tbody>${x.overdue.length ? x.overdue.slice(0, 100).map((o) => html`<tr class="late"><td class="ltr">${displayInquiry(o.inquiryNumber)}</td><td>${o.service}</td>
            <td>${o.holder}</td><td>${o.dueDay}</td><td class="num">${o.daysLate}</td></tr>`) : html`<tr><td colspan="5" class="muted">${r('none')}</td></tr>`}</tbody></table>
      </section>`;
  }

  private renderMoney(m: MoneyReport): TemplateResult {
    return html`
      <section class="card" data-testid="report-money">
        <div class="kpis">
          <div class="kpi">${r('collections')}<b>${fmtMoney(m.totals.amountPiasters)}</b></div>
          <div class="kpi">${r('rows')}<b>${m.totals.receipts}</b></div>
          <div class="kpi">${r('voids')}<b>${m.totals.voids}</b></div>
        </div>
        <sh-chart kind="bar" .labels=${m.daily.map((d) => d.day.slice(5))} .series=${[{ label: r('collections'), data: m.daily.map((d) => d.amountPiasters / 100) }]}></sh-chart>
        ${this.tableHead(r('collections'), 'money', 'daily')}
        <table data-table="daily"><thead><tr><th>${r('week')}</th><th class="num">${r('rows')}</th><th class="num">${r('amount')}</th></tr></thead>
          <tbody>${m.daily.map((d) => html`<tr><td>${d.day}</td><td class="num">${d.receipts}</td><td class="num">${fmtMoney(d.amountPiasters)}</td></tr>`)}</tbody></table>
        ${this.tableHead(r('feeItems'), 'money', 'feeItems')}
        <table data-table="feeItems"><thead><tr><th>${r('service')}</th><th class="num">${r('rows')}</th><th class="num">${r('amount')}</th></tr></thead>
          <tbody>${m.feeItems.map((f) => html`<tr><td>${f.label}</td><td class="num">${f.count}</td><td class="num">${fmtMoney(f.amountPiasters)}</td></tr>`)}</tbody></table>
        ${this.tableHead(r('voids'), 'money', 'voids')}
        <table data-table="voids"><thead><tr><th>${r('inquiry')}</th><th>${r('week')}</th><th class="num">${r('amount')}</th><th>${r('reason')}</th></tr></thead>
          <tbody>${m.voids.length ? m.voids.map((v) => html`<tr><td class="ltr">${v.number}</td><td>${v.day}</td><td class="num">${fmtMoney(v.amountPiasters)}</td><td>${v.reason}</td></tr>`)
            : html`<tr><td colspan="4" class="muted">${r('none')}</td></tr>`}</tbody></table>
      </section>`;
  }

  private renderComplaints(c: ComplaintsReport): TemplateResult {
    return html`
      <section class="card" data-testid="report-complaints">
        <div class="kpis">
          <div class="kpi">${r('registered')}<b>${c.totals.registered}</b></div>
          <div class="kpi">${r('answeredInTime')}<b>${num(c.totals.answeredInTimeRate, '%')}</b></div>
          <div class="kpi">${r('medianAnswer')}<b>${measure(c.totals.medianAnswerDays, 'day')}</b></div>
          <div class="kpi">${r('open')}<b>${c.totals.open}</b></div>
          <div class="kpi">${r('overdue')}<b>${c.totals.overdue}</b></div>
        </div>
        <sh-chart kind="bar" .labels=${c.departments.map((d) => d.department)}
          .series=${[{ label: r('answeredInTime'), data: c.departments.map((d) => d.answeredInTime) },
            { label: r('answered'), data: c.departments.map((d) => d.answered - d.answeredInTime), color: '#c07a00' },
            { label: r('overdue'), data: c.departments.map((d) => d.overdue), color: '#8e2a1f' }]} stacked></sh-chart>
        ${this.tableHead(r('department'), 'complaints', 'departments')}
        <table data-table="departments"><thead><tr><th>${r('department')}</th><th class="num">${r('registered')}</th><th class="num">${r('answered')}</th>
          <th class="num">${r('answeredInTime')}</th><th class="num">${r('medianAnswer')}</th><th class="num">${r('open')}</th><th class="num">${r('overdue')}</th></tr></thead>
          <tbody>${c.departments.map((d) => html`<tr><td>${d.department}</td><td class="num">${d.registered}</td><td class="num">${d.answered}</td>
            <td class="num">${num(d.answeredInTimeRate, '%')}</td><td class="num">${num(d.medianAnswerDays)}</td><td class="num">${d.open}</td><td class="num">${d.overdue}</td></tr>`)}</tbody></table>
        ${this.tableHead(r('channel'), 'complaints', 'channels')}
        <table data-table="channels"><thead><tr><th>${r('channel')}</th><th class="num">${r('registered')}</th><th class="num">${r('answered')}</th><th class="num">${r('answeredInTime')}</th></tr></thead>
          <tbody>${c.channels.map((ch) => html`<tr><td>${ch.category === 'window' || ch.category === 'open311' ? r(`${ch.category}_channel`) : ch.category}</td>
            <td class="num">${ch.registered}</td><td class="num">${ch.answered}</td><td class="num">${ch.answeredInTime}</td></tr>`)}</tbody></table>
        ${this.tableHead(r('overdue'), 'complaints', 'overdue')}
        <table data-table="overdue"><thead><tr><th>${r('inquiry')}</th><th>${r('department')}</th><th>${r('dueDay')}</th><th class="num">${r('daysLate')}</th></tr></thead>
          <tbody>${c.overdue.length ? c.overdue.slice(0, 100).map((o) => html`<tr class="late"><td class="ltr">${displayInquiry(o.inquiryNumber)}</td><td>${o.department}</td><td>${o.dueDay}</td><td class="num">${o.daysLate}</td></tr>`)
            : html`<tr><td colspan="4" class="muted">${r('none')}</td></tr>`}</tbody></table>
      </section>`;
  }

  private renderDevices(d: DeviceHealthReport): TemplateResult {
    return html`
      <section class="card" data-testid="report-devices">
        <div class="kpis">
          <div class="kpi">${r('online')}<b>${d.online}</b></div>
          <div class="kpi">${r('offline')}<b>${d.offline}</b></div>
          <div class="kpi">${r('alerts')}<b>${d.alerts.length}</b></div>
        </div>
        ${this.tableHead(r('alerts'), 'devices', 'alerts')}
        <table data-table="alerts"><thead><tr><th>${r('device')}</th><th>${r('alerts')}</th><th>${r('since')}</th><th></th></tr></thead>
          <tbody>${d.alerts.length ? d.alerts.map((a) => html`<tr class=${a.severity === 'critical' ? 'late' : ''} data-alert=${a.id}>
            <td class="ltr">${a.deviceId}</td><td>${currentLang() === 'en' ? a.messageEn : a.messageAr}</td><td>${fmtDate(a.raisedAt)} ${fmtTime(a.raisedAt)}</td>
            <td>${a.acknowledgedAt ? html`<span class="pill">${r('acked')}</span>` : html`<button class="no-print" @click=${() => this.ack(a)}>${r('ack')}</button>`}</td></tr>`)
            : html`<tr><td colspan="4" class="muted">${r('none')}</td></tr>`}</tbody></table>
        ${this.tableHead(r('devices'), 'devices', 'devices')}
        <table data-table="devices"><thead><tr><th>${r('device')}</th><th>${r('kinds')}</th><th></th><th>${r('lastSeen')}</th><th>${r('printer')}</th><th>${r('firmware')}</th></tr></thead>
          <tbody>${d.devices.map((x) => html`<tr data-device=${x.id}><td class="ltr">${x.id}</td><td>${x.label || x.kind}</td>
            <td><span class="pill ${x.online ? 'ok' : 'bad'}">${x.online ? r('online') : r('offline')}</span></td>
            <td>${x.lastSeen ? `${fmtDate(x.lastSeen)} ${fmtTime(x.lastSeen)}` : '—'}</td>
            <td>${x.printer ? html`<span class="pill ${x.printer === 'ok' ? 'ok' : 'warn'}">${x.printer}</span>` : '—'}</td><td class="ltr">${x.fw ?? '—'}</td></tr>`)}</tbody></table>
      </section>`;
  }

  private async ack(a: Alert): Promise<void> {
    try {
      await api('POST', `/api/reports/alerts/${a.id}/ack`);
      await this.load();
    } catch (err) {
      showError(err);
    }
  }

  private renderBackup(b: BackupStatus): TemplateResult {
    const cell = (x: BackupRecord) => html`<tr class=${x.error ? 'late' : ''}><td>${fmtDate(x.startedAt)} ${fmtTime(x.startedAt)}</td>
      <td class="num">${(x.bytes / 1e6).toFixed(1)} MB</td><td>${x.error ? html`<span class="pill bad">${r('failed')}</span> ${x.error}` : html`<span class="pill ok">${r('ok')}</span>`}</td>
      <td>${x.trigger}</td><td class="ltr muted">${x.file.split('/').pop()}</td></tr>`;
    return html`
      <section class="card" data-testid="report-backup">
        <div class="kpis">
          <div class="kpi">${r('lastBackup')}<b>${b.last ? `${fmtDate(b.last.startedAt)}` : '—'}</b>
            ${b.last ? html`<span class="pill ${b.last.error ? 'bad' : 'ok'}">${b.last.error ? r('failed') : r('ok')}</span>` : nothing}</div>
          <div class="kpi">${r('nextBackup')}<b>${fmtDate(b.nextRunAt)}</b>${fmtTime(b.nextRunAt)}</div>
        </div>
        ${this.me?.role === 'manager' ? html`<p class="no-print"><button class="primary" ?disabled=${this.busy} @click=${() => this.backupNow()}>${r('backupNow')}</button></p>` : nothing}
        <h3>${r('history')}</h3>
        <table><thead><tr><th>${r('lastBackup')}</th><th class="num">${r('size')}</th><th>${r('integrity')}</th><th></th><th></th></tr></thead>
          <tbody>${b.history.map(cell)}</tbody></table>
      </section>`;
  }

  private async backupNow(): Promise<void> {
    this.busy = true;
    try {
      await api('POST', '/api/reports/backups');
    } catch (err) {
      showError(err);
    }
    this.busy = false;
    await this.load();
  }
}
customElements.define('sh-reports', ShReports);
