// The kiosk's touch screen (/kiosk-screen; issue 14 item 2): the citizen taps a service,
// may type a mobile number on the on-screen digit pad for SMS (number, "N ahead", called),
// and gets the ticket on the screen and on paper from the kiosk's own printer (the hub sends
// it there after the commit; it refuses with KIOSK_OFFLINE / PRINTER_UNAVAILABLE, shown in
// Arabic, when the kiosk cannot print: no print, no ticket). Arabic, right to left, targets
// of at least 88 px for a finger. The hub's rules are the only rules: a bad number is shown
// with the hub's own Arabic message (INVALID_MOBILE) and nothing is issued; a closed line
// cannot be tapped.
// A screen that is not paired (401 KIOSK_SCREEN_UNPAIRED) shows the technician's pairing
// form (the kiosk's device id and secret; access model in hub/services/kiosk-screens.ts).
import { LitElement, css, html } from 'lit';
import type { IssuedTicket } from '@shubbak/protocol';
import { aheadIn } from '../../../../protocol/arabic-plural.ts';
import { api, ApiFailure, newKey } from '../api.ts';

type Line = { line: string; name: string; open: boolean; waiting: number; estimatedWaitMin: number };
type View = { deviceId: string; center: string; lines: Line[] };
type Step = 'loading' | 'pair' | 'services' | 'mobile' | 'ticket';

/** How long the ticket stays on the screen before the next citizen's turn. */
const TICKET_SHOWN_MS = 20_000;
const DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'];

export class ShKioskScreen extends LitElement {
  static override properties = {
    step: { state: true }, view: { state: true }, chosen: { state: true }, mobile: { state: true },
    error: { state: true }, ticket: { state: true }, busy: { state: true },
  };
  declare step: Step;
  declare view: View | null;
  declare chosen: Line | null;
  declare mobile: string;
  declare error: string | null;
  declare ticket: (IssuedTicket & { sms: boolean }) | null;
  declare busy: boolean;
  private issueKey = '';
  private back: ReturnType<typeof setTimeout> | null = null;

  static override styles = css`
    :host { display: block; min-height: 100vh; background: #f3f6f8; color: #1d2a33; font-family: inherit; padding: 1.5rem; box-sizing: border-box; }
    h1 { font-size: 2rem; margin: 0 0 0.25rem; text-align: center; }
    h2 { font-size: 1.6rem; margin: 0.5rem 0 1.25rem; text-align: center; font-weight: 600; }
    button { font: inherit; min-height: 88px; border-radius: 14px; border: 2px solid #0b5d7a; background: #fff; color: #0b5d7a; cursor: pointer; touch-action: manipulation; }
    button.primary { background: #0b5d7a; color: #fff; }
    button:disabled { opacity: 0.45; cursor: not-allowed; }
    .services { display: grid; grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr)); gap: 1rem; }
    .service { font-size: 1.7rem; font-weight: 700; padding: 1rem; display: grid; gap: 0.3rem; }
    .service small { font-size: 1.1rem; font-weight: 400; }
    .number { direction: ltr; font-size: 2.6rem; letter-spacing: 0.15em; text-align: center; background: #fff; border: 2px solid #9fb3c0; border-radius: 12px;
      min-height: 4rem; line-height: 4rem; margin: 0 auto 1rem; max-width: 28rem; font-variant-numeric: tabular-nums; }
    .pad { display: grid; grid-template-columns: repeat(3, 1fr); gap: 0.75rem; max-width: 28rem; margin: 0 auto; direction: ltr; }
    .pad button { font-size: 2.2rem; font-weight: 700; }
    .actions { display: flex; gap: 1rem; justify-content: center; margin-top: 1.25rem; flex-wrap: wrap; }
    .actions button { font-size: 1.5rem; padding: 0 2rem; min-width: 14rem; }
    .error { color: #8e2a1f; background: #fdecea; border-radius: 10px; padding: 0.75rem 1rem; font-size: 1.3rem; font-weight: 700; max-width: 40rem; margin: 0 auto 1rem; text-align: center; }
    .ticket { text-align: center; background: #fff; border-radius: 16px; padding: 2rem; max-width: 34rem; margin: 0 auto; border: 2px solid #d5dde3; }
    .ticket .label { font-size: 6rem; font-weight: 800; direction: ltr; margin: 0.5rem 0; }
    .ticket p { font-size: 1.5rem; margin: 0.5rem 0; }
    .ticket .take { font-size: 2rem; font-weight: 800; color: #0b5d3b; }
    form { display: grid; gap: 1rem; max-width: 28rem; margin: 0 auto; }
    input { font: inherit; font-size: 1.4rem; padding: 0.6rem; min-height: 3.5rem; }
    label { font-size: 1.2rem; display: grid; gap: 0.3rem; }
  `;

  constructor() {
    super();
    this.step = 'loading';
    this.view = null;
    this.chosen = null;
    this.mobile = '';
    this.error = null;
    this.ticket = null;
    this.busy = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.back) clearTimeout(this.back);
  }

  private async load(): Promise<void> {
    try {
      this.view = await api<View>('GET', '/api/kiosk-screen');
      this.step = 'services';
      this.error = null;
    } catch (e) {
      if (e instanceof ApiFailure && e.status === 401) this.step = 'pair';
      else this.error = e instanceof Error ? e.message : String(e);
    }
  }

  private async pair(e: Event): Promise<void> {
    e.preventDefault();
    const f = new FormData(e.target as HTMLFormElement);
    try {
      await api('POST', '/api/kiosk-screen/session', { deviceId: String(f.get('deviceId') ?? '').trim(), secret: String(f.get('secret') ?? '').trim() });
      this.error = null;
      await this.load();
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
    }
  }

  private choose(l: Line): void {
    this.chosen = l;
    this.mobile = '';
    this.error = null;
    this.issueKey = newKey();
    this.step = 'mobile';
  }

  private press(d: string): void {
    if (this.mobile.length < 11) this.mobile += d;
    this.error = null;
  }

  private async issue(withMobile: boolean): Promise<void> {
    if (!this.chosen || this.busy) return;
    this.busy = true;
    const mobile = withMobile && this.mobile ? this.mobile : undefined;
    try {
      // One key per citizen's attempt: a second tap or a retry after a lost answer gets the same ticket.
      const key = mobile ? `${this.issueKey}m${mobile}` : this.issueKey;
      const r = await api<{ ticket: IssuedTicket }>('POST', '/api/kiosk-screen/tickets', { line: this.chosen.line, mobile }, { key: key.slice(0, 64) });
      this.ticket = { ...r.ticket, sms: !!mobile };
      this.step = 'ticket';
      this.error = null;
      this.back = setTimeout(() => this.done(), TICKET_SHOWN_MS);
    } catch (e) {
      if (e instanceof ApiFailure && e.status === 401) this.step = 'pair';
      this.error = e instanceof Error ? e.message : String(e);
    } finally {
      this.busy = false;
    }
  }

  private done(): void {
    if (this.back) clearTimeout(this.back);
    this.back = null;
    this.step = 'loading';
    this.ticket = null;
    this.chosen = null;
    this.mobile = '';
    void this.load();
  }

  override render() {
    const err = this.error ? html`<p class="error" role="alert" data-testid="kiosk-error">${this.error}</p>` : null;
    switch (this.step) {
      case 'loading':
        return html`${err}`;
      case 'pair':
        return html`<h1>ربط شاشة الكشك</h1><h2>للفني: اكتب رقم الكشك ورمزه السري كما سجّلهما مدير النظام</h2>${err}
          <form @submit=${this.pair}>
            <label>رقم الكشك<input name="deviceId" autocomplete="off" dir="ltr" required></label>
            <label>الرمز السري<input name="secret" type="password" autocomplete="off" dir="ltr" required></label>
            <button class="primary" type="submit">ربط الشاشة</button>
          </form>`;
      case 'services':
        return html`<h1>${this.view?.center}</h1><h2>اختر الخدمة</h2>${err}
          <div class="services">${this.view?.lines.map((l) => html`
            <button class="service" ?disabled=${!l.open} data-line=${l.line} @click=${() => this.choose(l)}>
              <span>${l.name}</span>
              <small>${l.open ? `في الانتظار: ${l.waiting}` : 'مغلقة الآن'}</small>
            </button>`)}</div>`;
      case 'mobile':
        return html`<h1>${this.chosen?.name}</h1>
          <h2>رقم المحمول لتصلك رسالة بالدور (اختياري)</h2>${err}
          <div class="number" data-testid="kiosk-mobile" aria-live="polite">${this.mobile || '01xxxxxxxxx'}</div>
          <div class="pad">
            ${DIGITS.slice(0, 9).map((d) => html`<button type="button" @click=${() => this.press(d)}>${d}</button>`)}
            <button type="button" aria-label="مسح رقم" @click=${() => { this.mobile = this.mobile.slice(0, -1); }}>⌫</button>
            <button type="button" @click=${() => this.press('0')}>0</button>
            <button type="button" aria-label="مسح الكل" @click=${() => { this.mobile = ''; }}>مسح</button>
          </div>
          <div class="actions">
            <button class="primary" ?disabled=${this.busy || this.mobile.length === 0} @click=${() => this.issue(true)}>إصدار التذكرة مع رسالة</button>
            <button ?disabled=${this.busy} @click=${() => this.issue(false)}>بدون رسائل</button>
            <button ?disabled=${this.busy} @click=${() => this.done()}>رجوع</button>
          </div>`;
      case 'ticket': {
        const t = this.ticket;
        if (!t) return null;
        return html`<div class="ticket" data-testid="kiosk-ticket">
            <p>رقم تذكرتك</p>
            <p class="label" data-testid="kiosk-ticket-number">${t.number}</p>
            <p class="take" data-testid="kiosk-ticket-take">خذ تذكرتك من الطابعة</p>
            <p>${t.lineName}</p>
            <p data-testid="kiosk-ticket-ahead">${aheadIn('ar', t.ahead)}</p>
            ${t.sms ? html`<p data-testid="kiosk-ticket-sms">ستصلك رسالة برقم التذكرة وعند اقتراب دورك</p>` : null}
            <div class="actions"><button class="primary" @click=${() => this.done()}>تم</button></div>
          </div>`;
      }
    }
  }
}

customElements.define('sh-kiosk-screen', ShKioskScreen);
