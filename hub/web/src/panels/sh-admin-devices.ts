// Administrator: devices — register (the secret is shown once), issue a one-time
// enrollment code (typed or scanned on the Pi: `shubbak-device enroll …`, issue 10), rotate
// the secret, bind a keypad or board to a window, and see presence and health live.
// Observers (dashboards, Node-RED, Home Assistant) and bridges (a governorate's central
// broker) are registered here too: read-only identities for the outside, bound to nothing,
// given their secret at registration (no enrollment code; issue 13, protocol/README.md).
import { LitElement, html } from 'lit';
import { api } from '../api.ts';
import { LiveStaffController } from '../controllers/live-staff.ts';
import { LangController, currentLang, fmtTime } from '../i18n/index.ts';
import { shared } from '../components/shared-styles.ts';
import { showError } from '../components/sh-toast.ts';
import type { DeviceInfo } from './sh-floor.ts';
import '../components/sh-qr.ts';

/** Identities for the outside: no binding, no enrollment code. */
const OUTSIDE = new Set(['observer', 'bridge']);

type Enrollment = { deviceId: string; code: string; expiresAt: number; command: string };

const L = {
  ar: { title: 'الأجهزة', register: 'تسجيل جهاز', id: 'المعرّف', kind: 'النوع', label: 'الاسم', window: 'الشباك', rotate: 'سر جديد', bind: 'ربط', secret: 'السر (يظهر مرة واحدة فقط، انسخه الآن):', state: 'الحالة', online: 'متصل', offline: 'غير متصل', lines: 'أزرار الخدمات (حروف بالترتيب)', enroll: 'رمز تسجيل', enrollTitle: 'رمز تسجيل الجهاز', enrollHow: 'على الجهاز، اكتب الأمر التالي أو امسح الرمز بقارئ QR:', validUntil: 'صالح لمرة واحدة حتى', observer: 'مراقب للقراءة فقط (لوحات المتابعة)', bridge: 'جسر إلى المحافظة (قراءة فقط)' },
  en: { title: 'Devices', register: 'Register device', id: 'ID', kind: 'Kind', label: 'Name', window: 'Window', rotate: 'New secret', bind: 'Bind', secret: 'Secret (shown once, copy it now):', state: 'State', online: 'Online', offline: 'Offline', lines: 'Service buttons (letters in order)', enroll: 'Enrollment code', enrollTitle: 'Device enrollment code', enrollHow: 'On the device, type this command or scan the code with a QR reader:', validUntil: 'One use, valid until', observer: 'read-only observer (dashboards)', bridge: 'bridge to the governorate (read-only)' },
};

export class ShAdminDevices extends LitElement {
  static override properties = { devices: { state: true }, secret: { state: true }, enrollment: { state: true } };
  declare devices: DeviceInfo[];
  declare secret: { id: string; secret: string } | null;
  declare enrollment: Enrollment | null;
  static override styles = shared;

  constructor() {
    super();
    this.devices = [];
    this.secret = null;
    this.enrollment = null;
    new LangController(this);
    new LiveStaffController(this, ['devices'], () => void this.load());
  }

  private async load(): Promise<void> {
    try {
      this.devices = await api<DeviceInfo[]>('GET', '/api/devices');
    } catch (err) {
      showError(err);
    }
  }

  private async register(e: Event): Promise<void> {
    e.preventDefault();
    // Taken now: a shadow-DOM event loses its target once dispatch ends (after the await below).
    const form = e.target as HTMLFormElement;
    const f = new FormData(form);
    const kind = String(f.get('kind'));
    const win = Number(f.get('window'));
    const binding = (kind === 'keypad' || kind === 'display') && win ? { window: win } : undefined;
    try {
      const r = await api<{ device: DeviceInfo; secret: string }>('POST', '/api/devices', { id: String(f.get('id')).trim(), kind, label: String(f.get('label') ?? ''), binding });
      this.secret = { id: r.device.id, secret: r.secret };
      form.reset();
      await this.load();
      // The usual way onto a Pi: a one-time code rather than copying the secret by hand.
      if (!OUTSIDE.has(kind)) await this.enroll(r.device.id);
    } catch (err) {
      showError(err);
    }
  }

  /** A one-time enrollment code for the device (15 minutes, one use; replaces an earlier one). */
  private async enroll(id: string): Promise<void> {
    try {
      this.enrollment = await api<Enrollment>('POST', `/api/devices/${id}/enrollment-code`);
    } catch (err) {
      showError(err);
    }
  }

  private async rotate(id: string): Promise<void> {
    try {
      const r = await api<{ secret: string }>('POST', `/api/devices/${id}/rotate-secret`);
      this.secret = { id, secret: r.secret };
    } catch (err) {
      showError(err);
    }
  }

  private async bind(d: DeviceInfo, windowText: string): Promise<void> {
    await this.putBinding(d, { ...d.binding, window: Number(windowText) || null });
  }

  /** A kiosk's buttons, typed as the line letters in key order, e.g. "A B C D". */
  private async bindLines(d: DeviceInfo, text: string): Promise<void> {
    const letters = text.toUpperCase().split(/[\s,،]+/).filter(Boolean);
    await this.putBinding(d, { ...d.binding, buttons: letters.map((line, key) => ({ key, line })) });
  }

  private async putBinding(d: DeviceInfo, binding: Record<string, unknown>): Promise<void> {
    try {
      await api('PUT', `/api/devices/${d.id}/binding`, binding);
      await this.load();
    } catch (err) {
      showError(err);
    }
  }

  override render() {
    const s = L[currentLang()];
    return html`
      <section class="card">
        <h2>${s.register}</h2>
        <form class="row" @submit=${this.register}>
          <label>${s.id}<input name="id" required pattern="[a-z0-9\\-]{1,40}" class="ltr"></label>
          <label>${s.kind}<select name="kind"><option>keypad</option><option>display</option><option>kiosk</option><option>hall</option><option value="observer">observer — ${s.observer}</option><option value="bridge">bridge — ${s.bridge}</option></select></label>
          <label>${s.label}<input name="label" maxlength="80"></label>
          <label>${s.window}<input name="window" type="number" min="1" max="999" style="width: 5rem"></label>
          <button class="primary">${s.register}</button>
        </form>
        ${this.secret ? html`<p role="status" data-testid="device-secret">${s.secret} <b class="ltr">${this.secret.id}</b> <code class="ltr">${this.secret.secret}</code></p>` : null}
      </section>
      ${this.enrollment ? html`
        <section class="card" data-testid="enrollment" aria-live="polite">
          <h2>${s.enrollTitle}: <span class="ltr">${this.enrollment.deviceId}</span></h2>
          <p><code class="ltr" data-testid="enrollment-code" style="font-size: 2rem; letter-spacing: 0.2em">${this.enrollment.code}</code></p>
          <p>${s.enrollHow}</p>
          <p><code class="ltr" data-testid="enrollment-command">${this.enrollment.command}</code></p>
          <sh-qr .text=${this.enrollment.command}></sh-qr>
          <p class="muted">${s.validUntil} ${fmtTime(this.enrollment.expiresAt)}</p>
        </section>` : null}
      <section class="card">
        <h2>${s.title}</h2>
        <table>
          <thead><tr><th>${s.id}</th><th>${s.kind}</th><th>${s.label}</th><th>${s.state}</th><th>${s.window} / ${s.lines}</th><th></th></tr></thead>
          <tbody>${this.devices.map((d) => html`
            <tr data-device=${d.id}>
              <td class="ltr">${d.id}</td><td>${d.kind}</td><td>${d.label}</td>
              <td><span class="pill ${d.online ? 'ok' : 'bad'}">${d.online ? s.online : s.offline}</span> <span class="muted">${d.lastSeen ? fmtTime(d.lastSeen) : ''}</span></td>
              <td>${d.kind === 'keypad' || d.kind === 'display'
                ? html`<input type="number" min="1" max="999" style="width: 4.5rem" .value=${String(d.binding.window ?? '')}
                    @change=${(e: Event) => this.bind(d, (e.target as HTMLInputElement).value)} aria-label="${s.bind} ${d.id}">`
                : d.kind === 'kiosk'
                  ? html`<input class="ltr" style="width: 7rem" .value=${((d.binding.buttons as { line: string }[] | null) ?? []).map((b) => b.line).join(' ')}
                      @change=${(e: Event) => this.bindLines(d, (e.target as HTMLInputElement).value)} aria-label="${s.lines} ${d.id}" title=${s.lines}>`
                  : '—'}</td>
              <td>${OUTSIDE.has(d.kind) ? null : html`<button @click=${() => this.enroll(d.id)}>${s.enroll}</button>`} <button @click=${() => this.rotate(d.id)}>${s.rotate}</button></td>
            </tr>`)}
          </tbody>
        </table>
      </section>`;
  }
}
customElements.define('sh-admin-devices', ShAdminDevices);
