// The weekly report per department for top management (the supervisors' duty in the
// center's rules): the week's execution, where files wait, what is overdue and with whom,
// and the complaints — one A4 sheet, Arabic, right to left, signed on paper.
import { LitElement, css, html, nothing } from 'lit';
import { api } from '../api.ts';
import { LangController, centerName, currentLang, fmtDate, timezone } from '../i18n/index.ts';
import { shared } from '../components/shared-styles.ts';
import { showError } from '../components/sh-toast.ts';
import type { Me } from '../session.ts';
import type { ComplaintsReport, ExecutionReport } from '../../../services/reports/index.ts';
import { displayInquiry } from '../../../domain/inquiry-number.ts';
import { num, r } from './i18n.ts';
import './sh-chart.ts';

type Department = { id: number; nameAr: string; nameEn: string };

/** The Sunday that starts the week before the current one (the week just finished). */
function lastWeekStart(): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: timezone }).format(Date.now());
  const d = new Date(`${today}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() - d.getUTCDay() - 7);
  return d.toISOString().slice(0, 10);
}
/**
 * The Sunday that starts the week of any day: the week input accepts every day (a step of 7
 * counts from a Thursday, 1970-01-01, and the browser then refused every Sunday — issue 11
 * item 2), and the report covers the week the chosen day is in.
 */
export function weekStartOf(day: string): string {
  const d = new Date(`${day}T12:00:00Z`);
  if (Number.isNaN(d.getTime())) return day;
  d.setUTCDate(d.getUTCDate() - d.getUTCDay());
  return d.toISOString().slice(0, 10);
}
function plusDays(day: string, n: number): string {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export class ShWeeklyReport extends LitElement {
  static override properties = {
    me: { attribute: false }, departments: { attribute: false }, department: { state: true }, week: { state: true },
    execution: { state: true }, complaints: { state: true },
  };
  declare me: Me | null;
  declare departments: Department[];
  declare department: number | null;
  declare week: string;
  declare execution: ExecutionReport | null;
  declare complaints: ComplaintsReport | null;

  static override styles = [shared, css`
    .sheet-a4 { margin-inline: auto; padding: 10mm; border: 1px solid #d5dde3; }
    header.sheet { display: flex; justify-content: space-between; align-items: flex-start; border-block-end: 2px solid #1d2a33; margin-block-end: 4mm; }
    header.sheet h2 { margin: 0; }
    table { font-size: 10pt; margin-block-end: 4mm; }
    td.num, th.num { text-align: end; font-variant-numeric: tabular-nums; }
    .kpis { display: grid; grid-template-columns: repeat(5, 1fr); gap: 2mm; margin-block-end: 4mm; }
    .kpi { border: 1px solid #d5dde3; border-radius: 4px; padding: 2mm; text-align: center; font-size: 9pt; }
    .kpi b { display: block; font-size: 15pt; }
    .signatures { display: grid; grid-template-columns: 1fr 1fr; gap: 10mm; margin-block-start: 8mm; }
    .signatures div { border-block-start: 1px solid #1d2a33; padding-block-start: 2mm; text-align: center; }
    tr.late td { background: #fff4f2; }
    @media print {
      .sheet-a4 { border: none; padding: 0; max-width: none; }
      @page { size: A4; margin: 12mm; }
    }
  `];

  constructor() {
    super();
    this.me = null;
    this.departments = [];
    this.department = null;
    this.week = lastWeekStart();
    this.execution = null;
    this.complaints = null;
    new LangController(this);
  }

  private get choices(): Department[] {
    const mine = this.me?.departmentIds;
    return this.departments.filter((d) => !mine || mine.includes(d.id));
  }

  override willUpdate(): void {
    if (this.department === null && this.choices.length) {
      this.department = this.choices[0].id;
      void this.load();
    }
  }

  async load(): Promise<void> {
    if (this.department === null) return;
    const q = `from=${this.week}&to=${plusDays(this.week, 6)}&department=${this.department}`;
    try {
      [this.execution, this.complaints] = await Promise.all([
        api<ExecutionReport>('GET', `/api/reports/execution?${q}`),
        api<ComplaintsReport>('GET', `/api/reports/complaints?${q}`),
      ]);
    } catch (err) {
      showError(err);
    }
  }

  override render() {
    const en = currentLang() === 'en';
    const dept = this.departments.find((d) => d.id === this.department);
    const x = this.execution;
    const c = this.complaints;
    const deptRow = x?.departments.find((d) => d.departmentId === this.department);
    const cRow = c?.departments.find((d) => d.departmentId === this.department);
    return html`
      <section class="card no-print">
        <form class="row" @submit=${(e: Event) => { e.preventDefault(); void this.load(); }}>
          <label class="inline">${r('department')}
            <select @change=${(e: Event) => (this.department = Number((e.target as HTMLSelectElement).value))}>
              ${this.choices.map((d) => html`<option value=${d.id} ?selected=${d.id === this.department}>${en ? d.nameEn : d.nameAr}</option>`)}
            </select></label>
          <label class="inline">${r('week')} <input type="date" data-testid="week-input" .value=${this.week} required
            @change=${(e: Event) => {
              const input = e.target as HTMLInputElement;
              if (input.value) input.value = this.week = weekStartOf(input.value);
            }}></label>
          <button class="primary" type="submit">${r('show')}</button>
          <button type="button" @click=${() => window.print()}>${r('print')}</button>
        </form>
      </section>
      ${!x || !c || !dept ? html`<p class="muted">${r('loading')}</p>` : html`
      <article class="sheet-a4" data-testid="weekly-report">
        <header class="sheet">
          <div><h2>${r('weeklyTitle')}</h2><div><b>${en ? dept.nameEn : dept.nameAr}</b></div>
            <div>${r('weekOf', { from: fmtDate(x.period.from), to: fmtDate(x.period.to) })}</div></div>
          <div class="muted">${centerName}<br>${r('preparedAt')}: ${fmtDate(Date.now())}</div>
        </header>
        <div class="kpis">
          <div class="kpi">${r('received')}<b>${deptRow?.received ?? 0}</b></div>
          <div class="kpi">${r('decided')}<b>${deptRow?.decided ?? 0}</b></div>
          <div class="kpi">${r('delivered')}<b>${deptRow?.delivered ?? 0}</b></div>
          <div class="kpi">${r('inTime')}<b>${num(deptRow?.decidedInTimeRate, '%')}</b></div>
          <div class="kpi">${r('overdueNow')}<b>${deptRow?.overdueNow ?? 0}</b></div>
        </div>
        <h3>${r('stageTimes')}</h3>
        <sh-chart kind="bar" horizontal unit=${r('days')} .labels=${x.stages.map((s) => (en ? s.stageEn : s.stageAr))}
          .series=${[{ label: r('median'), data: x.stages.map((s) => s.medianDays) }, { label: r('p90'), data: x.stages.map((s) => s.p90Days), color: '#c07a00' }]}></sh-chart>
        <table><thead><tr><th>${r('service')}</th><th class="num">${r('received')}</th><th class="num">${r('decided')}</th><th class="num">${r('inTime')}</th><th class="num">${r('overdueNow')}</th></tr></thead>
          <tbody>${x.services.map((s) => html`<tr><td>${s.service}</td><td class="num">${s.received}</td><td class="num">${s.decided}</td>
            <td class="num">${num(s.decidedInTimeRate, '%')}</td><td class="num">${s.overdueNow}</td></tr>`)}</tbody></table>
        <h3>${r('overdueFiles')}</h3>
        <table><thead><tr><th>${r('inquiry')}</th><th>${r('service')}</th><th>${r('holder')}</th><th>${r('dueDay')}</th><th class="num">${r('daysLate')}</th></tr></thead>
          <tbody>${x.overdue.length ? x.overdue.slice(0, 25).map((o) => html`<tr class="late"><td class="ltr">${displayInquiry(o.inquiryNumber)}</td><td>${o.service}</td><td>${o.holder}</td>
            <td>${o.dueDay}</td><td class="num">${o.daysLate}</td></tr>`) : html`<tr><td colspan="5" class="muted">${r('none')}</td></tr>`}
          ${x.overdue.length > 25 ? html`<tr><td colspan="5" class="muted">… +${x.overdue.length - 25}</td></tr>` : nothing}</tbody></table>
        <h3>${r('complaints')}</h3>
        <table><thead><tr><th class="num">${r('registered')}</th><th class="num">${r('answered')}</th><th class="num">${r('answeredInTime')}</th>
          <th class="num">${r('medianAnswer')}</th><th class="num">${r('open')}</th><th class="num">${r('overdue')}</th></tr></thead>
          <tbody><tr><td class="num">${cRow?.registered ?? 0}</td><td class="num">${cRow?.answered ?? 0}</td><td class="num">${num(cRow?.answeredInTimeRate, '%')}</td>
            <td class="num">${num(cRow?.medianAnswerDays)}</td><td class="num">${cRow?.open ?? 0}</td><td class="num">${cRow?.overdue ?? 0}</td></tr></tbody></table>
        <div class="signatures"><div>${r('signature')}</div><div>${r('managerSignature')}</div></div>
      </article>`}`;
  }
}
customElements.define('sh-weekly-report', ShWeeklyReport);
