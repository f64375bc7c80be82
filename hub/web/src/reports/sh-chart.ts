// A bar or line chart (Chart.js) for the report screens. Chart.js draws on a canvas and
// handles right-to-left legends and tooltips itself when told (rtl: true); the x axis is
// reversed in Arabic so hours and weeks read from the right, like the tables beside them.
import { LitElement, css, html, type PropertyValues } from 'lit';
import { BarController, BarElement, CategoryScale, Chart, Legend, LineController, LineElement, LinearScale, PointElement, Tooltip } from 'chart.js';
import { currentLang } from '../i18n/index.ts';

Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Legend, Tooltip);

export type Series = { label: string; data: (number | null)[]; color?: string };
const PALETTE = ['#0b6e4f', '#2f6f9f', '#c07a00', '#8e2a1f', '#6b4fa0', '#3d8f8f'];

export class ShChart extends LitElement {
  static override properties = {
    kind: {}, labels: { attribute: false }, series: { attribute: false }, stacked: { type: Boolean }, horizontal: { type: Boolean }, unit: {},
  };
  declare kind: 'bar' | 'line';
  declare labels: string[];
  declare series: Series[];
  declare stacked: boolean;
  declare horizontal: boolean;
  declare unit: string;
  private chart: Chart | null = null;

  static override styles = css`
    :host { display: block; position: relative; height: 260px; }
    canvas { width: 100% !important; height: 100% !important; }
    @media print { :host { height: 200px; break-inside: avoid; } }
  `;

  constructor() {
    super();
    this.kind = 'bar';
    this.labels = [];
    this.series = [];
    this.stacked = false;
    this.horizontal = false;
    this.unit = '';
  }

  override render() {
    return html`<canvas role="img" aria-label=${this.series.map((s) => s.label).join('، ')}></canvas>`;
  }

  protected override updated(_: PropertyValues): void {
    const canvas = this.renderRoot.querySelector('canvas')!;
    const rtl = currentLang() === 'ar';
    this.chart?.destroy();
    this.chart = new Chart(canvas, {
      type: this.kind,
      data: {
        labels: this.labels,
        datasets: this.series.map((s, i) => ({
          label: s.label, data: s.data, backgroundColor: s.color ?? PALETTE[i % PALETTE.length], borderColor: s.color ?? PALETTE[i % PALETTE.length],
          borderWidth: this.kind === 'line' ? 2 : 0, pointRadius: this.kind === 'line' ? 2 : 0,
        })),
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: this.horizontal ? 'y' : 'x',
        plugins: {
          legend: { rtl, position: 'bottom', labels: { font: { family: 'inherit' } } },
          tooltip: { rtl, callbacks: { label: (c) => `${c.dataset.label}: ${c.formattedValue}${this.unit ? ` ${this.unit}` : ''}` } },
        },
        // In Arabic the value axis starts at the right: bars grow leftwards, labels sit on the right.
        scales: {
          x: { stacked: this.stacked, reverse: rtl },
          y: { stacked: this.stacked, beginAtZero: true, position: rtl ? 'right' : 'left' },
        },
      },
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.chart?.destroy();
    this.chart = null;
  }
}
customElements.define('sh-chart', ShChart);
