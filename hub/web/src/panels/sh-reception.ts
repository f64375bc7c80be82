// Reception (الاستقبال والاستعلام): issue a ticket on a citizen's behalf — printable from
// the browser on 80 mm paper when the kiosk is down — with each line's live waiting count;
// and check a booked citizen in by their booking code (typed, or scanned: a scanner types it
// and Enter), which gives the booked ticket (issue 14 item 3, POST /api/appointments/check-in).
import { LitElement, css, html } from 'lit';
import type { IssuedTicket } from '@shubbak/protocol';
import { api } from '../api.ts';
import { LiveQueueController } from '../controllers/live-queue.ts';
import { LangController, ahead, centerName, count, currentLang, fmtTime, t } from '../i18n/index.ts';
import { shared } from '../components/shared-styles.ts';
import { showError } from '../components/sh-toast.ts';
import '../components/sh-qr.ts';

export class ShReception extends LitElement {
  static override properties = { issued: { state: true }, priority: { state: true }, busy: { state: true }, late: { state: true } };
  declare late: boolean;
  declare issued: IssuedTicket | null;
  declare priority: boolean;
  declare busy: boolean;
  private readonly live = new LiveQueueController(this);

  static override styles = [shared, css`
    .line-btn { display: flex; flex-direction: column; align-items: stretch; gap: 0.3rem; padding: 1rem; font-size: 1.1rem; }
    .line-btn b { font-size: 1.6rem; }
    .ticket { width: 72mm; border: 1px dashed #8aa0ad; padding: 4mm; text-align: center; background: #fff; page: receipt; }
    .ticket .num { font-size: 2.6rem; font-weight: 800; margin: 2mm 0; }
    @media print {
      .ticket { border: none; width: 72mm; }
      :host > :not(.print-area) { display: none !important; }
    }
  `];

  constructor() {
    super();
    this.issued = null;
    this.priority = false;
    this.busy = false;
    this.late = false;
    new LangController(this);
  }

  private async issue(line: string): Promise<void> {
    this.busy = true;
    try {
      const r = await api<{ ticket: IssuedTicket }>('POST', '/api/tickets', { line, priority: this.priority });
      this.issued = r.ticket;
      this.late = false;
      this.priority = false;
    } catch (err) {
      showError(err);
    } finally {
      this.busy = false;
    }
  }

  private async checkIn(e: Event): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const input = form.querySelector('input')!;
    this.busy = true;
    try {
      const r = await api<{ ticket: IssuedTicket; late: boolean }>('POST', '/api/appointments/check-in', { code: input.value.trim() });
      this.issued = r.ticket;
      this.late = r.late;
      input.value = '';
    } catch (err) {
      showError(err);
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const en = currentLang() === 'en';
    const i = this.issued;
    return html`
      <section class="card no-print">
        <h2>${t('issueTicket')}</h2>
        <label class="inline"><input type="checkbox" .checked=${this.priority} @change=${(e: Event) => (this.priority = (e.target as HTMLInputElement).checked)}> ${t('priority')}</label>
        <div class="grid" style="margin-block-start: 0.75rem">
          ${[...this.live.lines.values()].map((l) => html`
            <button class="line-btn ${l.open ? 'primary' : ''}" data-line=${l.line} ?disabled=${this.busy || !l.open} @click=${() => this.issue(l.line)}>
              <span>${l.line} · ${en ? l.nameEn ?? l.name : l.name}</span>
              <span>${l.open ? html`${t('waiting')} <b>${l.waiting}</b> · ${count(l.estimatedWaitMin, 'minute')}` : t('lineClosed')}</span>
            </button>`)}
        </div>
      </section>
      <section class="card no-print">
        <h2>${t('bookingCheckIn')}</h2>
        <form @submit=${(e: Event) => this.checkIn(e)}>
          <label>${t('bookingCode')} <input name="code" data-testid="booking-code" inputmode="numeric" autocomplete="off" maxlength="20" required></label>
          <button class="primary" ?disabled=${this.busy}>${t('checkIn')}</button>
        </form>
      </section>
      ${i ? html`
        <section class="card print-area">
          <div class="ticket" data-testid="issued-ticket">
            <div>${centerName}</div>
            <div>${i.lineName}</div>
            <div class="num">${i.number}</div>
            ${i.bookedSlot ? html`<div data-testid="booked-slot"><b>${t('bookedSlot')} ${i.bookedSlot}</b></div>` : this.late ? html`<div class="muted">${t('lateBooking')}</div>` : null}
            <div>${ahead(i.ahead)} · ${t('estWait')} ${count(i.estimatedWaitMin, 'minute')}</div>
            <div class="muted">${fmtTime(i.issuedAt)}</div>
            ${i.link ? html`<div data-testid="ticket-qr"><sh-qr .text=${i.link}></sh-qr><div class="muted">${t('scanTicket')}</div></div>` : null}
            <div class="muted">${t('keepTicket')}</div>
          </div>
          <p class="no-print"><button @click=${() => window.print()}>${t('printTicket')}</button></p>
        </section>` : null}
    `;
  }
}
customElements.define('sh-reception', ShReception);
