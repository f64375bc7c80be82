// The live floor (manager, supervisors, information center): every window with its clerk
// and ticket, every line's waiting count and estimate, and each device online or not.
// Queue state comes from the public stream; device presence from the staff stream.
import { LitElement, html } from 'lit';
import { api } from '../api.ts';
import { LiveQueueController } from '../controllers/live-queue.ts';
import { LiveStaffController } from '../controllers/live-staff.ts';
import { LangController, currentLang, fmtTime, t } from '../i18n/index.ts';
import { shared } from '../components/shared-styles.ts';
import { showError } from '../components/sh-toast.ts';

export type DeviceInfo = {
  id: string; kind: string; label: string; binding: Record<string, unknown>; online: boolean; fw: string | null;
  lastSeen: number | null; health: Record<string, unknown> | null; healthAt: number | null; createdAt: number; secretSetAt: number;
};

export class ShFloor extends LitElement {
  static override properties = { devices: { state: true }, canManage: { type: Boolean } };
  declare devices: DeviceInfo[];
  /** Manager and administrator: may open and close lines at the kiosk. */
  declare canManage: boolean;
  private readonly live = new LiveQueueController(this);
  static override styles = shared;

  constructor() {
    super();
    this.devices = [];
    this.canManage = false;
    new LangController(this);
    new LiveStaffController(this, ['devices'], () => void this.loadDevices());
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
    return html`
      <section class="card">
        <h2>${t('liveFloor')} ${this.live.connected ? html`<span class="pill ok">${t('live')}</span>` : html`<span class="pill bad">${t('offline')}</span>`}</h2>
        <h3>${t('windows')}</h3>
        <table data-testid="floor-windows">
          <thead><tr><th>${t('window')}</th><th>${t('lines')}</th><th>${t('ticket')}</th></tr></thead>
          <tbody>${[...this.live.windows.values()].map((w) => html`
            <tr data-window=${w.window}>
              <td>${en ? w.labelEn ?? w.label : w.label} <span class="pill ${w.status === 'serving' ? 'ok' : w.status === 'paused' ? 'warn' : w.status === 'closed' ? 'bad' : ''}">${t(`status_${w.status}`)}</span></td>
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
              <td><b>${l.waiting}</b></td><td>${t('minutes', { n: l.estimatedWaitMin })}</td>
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
                ${d.health?.printer && d.health.printer !== 'ok' ? html`<span class="pill warn">🖨 ${String(d.health.printer)}</span>` : null}</td>
              <td class="muted">${d.lastSeen ? fmtTime(d.lastSeen) : '—'}</td>
            </tr>`)}
          </tbody>
        </table>
      </section>`;
  }
}
customElements.define('sh-floor', ShFloor);
