// The live floor (manager, supervisors, information center): every window with its clerk
// and ticket, every line's waiting count and estimate, and each device online or not.
// Queue state comes from the public stream; device presence, the clerk signed in at each
// window and the open device alerts (GET /api/floor) follow the staff stream. A critical
// alert (a printer out of paper, a device offline) is a red banner at the top.
import { LitElement, css, html } from 'lit';
import { api } from '../api.ts';
import { LiveQueueController } from '../controllers/live-queue.ts';
import { LiveStaffController } from '../controllers/live-staff.ts';
import { LangController, count, currentLang, fmtTime, t } from '../i18n/index.ts';
import { shared } from '../components/shared-styles.ts';
import { showError } from '../components/sh-toast.ts';

export type DeviceInfo = {
  id: string; kind: string; label: string; binding: Record<string, unknown>; online: boolean; fw: string | null;
  lastSeen: number | null; health: Record<string, unknown> | null; healthAt: number | null; createdAt: number; secretSetAt: number;
};

type FloorClerk = { actor: string; name: string; roleAr: string; roleEn: string };
type FloorAlert = { id: number; deviceId: string; deviceLabel: string; kind: string; severity: 'critical' | 'warning'; messageAr: string; messageEn: string; raisedAt: number };
type Floor = { windows: { number: number; clerk: FloorClerk | null }[]; alerts: FloorAlert[] };

const W = {
  ar: { alerts: 'تنبيهات الأجهزة', noAlerts: 'لا توجد تنبيهات مفتوحة', critical: 'حرج', warning: 'تنبيه', since: 'منذ', nobody: 'لا أحد' },
  en: { alerts: 'Device alerts', noAlerts: 'No open alerts', critical: 'Critical', warning: 'Warning', since: 'since', nobody: 'Nobody' },
};

/** A printer's reported state in words ('paper-out' → "نفد الورق"). */
function printerWords(state: string, en: boolean): string {
  const words: Record<string, [string, string]> = {
    'paper-out': ['نفد الورق', 'Out of paper'], 'paper-low': ['الورق أوشك على النفاد', 'Paper low'], offline: ['الطابعة غير متصلة', 'Printer offline'],
  };
  const w = words[state];
  return w ? w[en ? 1 : 0] : state;
}

export class ShFloor extends LitElement {
  static override properties = { devices: { state: true }, floor: { state: true }, canManage: { type: Boolean } };
  declare devices: DeviceInfo[];
  declare floor: Floor;
  /** Manager and administrator: may open and close lines at the kiosk. */
  declare canManage: boolean;
  private readonly live = new LiveQueueController(this);
  static override styles = [shared, css`
    .alerts { border: 2px solid #8e2a1f; background: #fdecea; }
    .alerts.calm { border-color: #d5dde3; background: #fff; }
    .alerts li { margin-block: 0.3rem; }
    .alerts .critical { color: #8e2a1f; font-weight: 700; }
  `];

  constructor() {
    super();
    this.devices = [];
    this.floor = { windows: [], alerts: [] };
    this.canManage = false;
    new LangController(this);
    new LiveStaffController(this, ['devices'], () => void this.loadDevices());
    new LiveStaffController(this, ['devices', 'alerts', 'staff'], () => void this.loadFloor());
  }

  private async loadFloor(): Promise<void> {
    try {
      this.floor = await api<Floor>('GET', '/api/floor');
    } catch (err) {
      showError(err);
    }
  }

  private lastStatuses = '';
  override updated(): void {
    // A clerk acting at a window (the first call after signing in) changes who is there.
    const statuses = [...this.live.windows.values()].map((w) => `${w.window}:${w.status}`).join(',');
    if (statuses !== this.lastStatuses) {
      this.lastStatuses = statuses;
      void this.loadFloor();
    }
  }

  private clerkAt(n: number): FloorClerk | null {
    return this.floor.windows.find((w) => w.number === n)?.clerk ?? null;
  }

  private async loadDevices(): Promise<void> {
    try {
      this.devices = await api<DeviceInfo[]>('GET', '/api/devices');
    } catch (err) {
      showError(err);
    }
  }

  private async setOpen(line: string, open: boolean): Promise<void> {
    try {
      await api('PATCH', `/api/lines/${line}`, { open });
    } catch (err) {
      showError(err);
    }
  }

  override render() {
    const en = currentLang() === 'en';
    const w2 = W[currentLang()];
    const alerts = this.floor.alerts;
    return html`
      <section class="card alerts ${alerts.length ? '' : 'calm'}" data-testid="floor-alerts" role=${alerts.some((a) => a.severity === 'critical') ? 'alert' : 'status'}>
        <h2>${w2.alerts} ${alerts.length ? html`<span class="pill bad">${alerts.length}</span>` : null}</h2>
        ${alerts.length ? html`<ul>${alerts.map((a) => html`<li data-alert=${a.kind} class=${a.severity}>
          <span class="pill ${a.severity === 'critical' ? 'bad' : 'warn'}">${a.severity === 'critical' ? w2.critical : w2.warning}</span>
          ${en ? a.messageEn : a.messageAr} — ${a.deviceLabel} <span class="muted">(${w2.since} ${fmtTime(a.raisedAt)})</span></li>`)}</ul>`
          : html`<p class="muted">${w2.noAlerts}</p>`}
      </section>
      <section class="card">
        <h2>${t('liveFloor')} ${this.live.connected ? html`<span class="pill ok">${t('live')}</span>` : html`<span class="pill bad">${t('offline')}</span>`}</h2>
        <h3>${t('windows')}</h3>
        <table data-testid="floor-windows">
          <thead><tr><th>${t('window')}</th><th>${t('clerk')}</th><th>${t('lines')}</th><th>${t('ticket')}</th></tr></thead>
          <tbody>${[...this.live.windows.values()].map((w) => html`
            <tr data-window=${w.window}>
              <td>${en ? w.labelEn ?? w.label : w.label} <span class="pill ${w.status === 'serving' ? 'ok' : w.status === 'paused' ? 'warn' : w.status === 'closed' ? 'bad' : ''}">${t(`status_${w.status}`)}</span></td>
              <td data-testid="floor-clerk">${((c) => (c ? html`${c.name} <span class="muted">${en ? c.roleEn : c.roleAr}</span>` : html`<span class="muted">${w2.nobody}</span>`))(this.clerkAt(w.window))}</td>
              <td>${(w.lines ?? []).join('، ')}</td>
              <td><b>${w.ticket ?? '—'}</b>${w.calledAt ? html` <span class="muted">${fmtTime(w.calledAt)}</span>` : null}</td>
            </tr>`)}
          </tbody>
        </table>
        <h3>${t('lines')}</h3>
        <table data-testid="floor-lines">
          <thead><tr><th>${t('line')}</th><th>${t('waiting')}</th><th>${t('estWait')}</th>${this.canManage ? html`<th></th>` : null}</tr></thead>
          <tbody>${[...this.live.lines.values()].map((l) => html`
            <tr data-line=${l.line}>
              <td>${l.line} · ${en ? l.nameEn ?? l.name : l.name} ${l.open ? null : html`<span class="pill bad">${t('lineClosed')}</span>`}</td>
              <td><b>${l.waiting}</b></td><td>${count(l.estimatedWaitMin, 'minute')}</td>
              ${this.canManage ? html`<td><button @click=${() => this.setOpen(l.line, !l.open)}>${l.open ? t('closeLine') : t('openLine')}</button></td>` : null}
            </tr>`)}
          </tbody>
        </table>
      </section>
      <section class="card">
        <h2>${t('devices')}</h2>
        <table data-testid="floor-devices">
          <thead><tr><th>${t('deviceId')}</th><th>${t('deviceName')}</th><th>${t('deviceState')}</th><th>${t('lastSeen')}</th></tr></thead>
          <tbody>${this.devices.map((d) => html`
            <tr data-device=${d.id}>
              <td class="ltr">${d.id}</td><td>${d.label}</td>
              <td><span class="pill ${d.online ? 'ok' : 'bad'}">${d.online ? t('online') : t('offlineDev')}</span>
                ${d.health?.printer && d.health.printer !== 'ok' ? html`<span class="pill ${d.health.printer === 'paper-low' ? 'warn' : 'bad'}">🖨 ${printerWords(String(d.health.printer), en)}</span>` : null}</td>
              <td class="muted">${d.lastSeen ? fmtTime(d.lastSeen) : '—'}</td>
            </tr>`)}
          </tbody>
        </table>
      </section>`;
  }
}
customElements.define('sh-floor', ShFloor);
