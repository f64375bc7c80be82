// Paper the citizen takes home (80 mm, the receipt printer):
// - the registration slip handed over at the intake window: the inquiry number as printed
//   everywhere, the service, the documents still missing, the day the law gives the center
//   (GET /api/services/:id/due from the registration), and a QR code to the status page;
// - the delivery ticket reception prints when a result is ready: the number to wait for in
//   the delivery line, with the file's inquiry number.
// Both are plain sheets; the desk shows them, and prints them with everything else no-print.
import { LitElement, html } from 'lit';
import { api } from '../api.ts';
import { LangController, centerName, count, currentLang, fmtDate, fmtTime } from '../i18n/index.ts';
import { shared } from './shared-styles.ts';
import { statusUrl } from './sh-qr.ts';
import './sh-qr.ts';
import type { FileDetail } from '../panels/file-types.ts';

const L = {
  ar: {
    slip: 'إيصال تسجيل طلب', inquiry: 'رقم الاستعلام', service: 'الخدمة', citizen: 'مقدم الطلب', at: 'تاريخ التسجيل', missing: 'مستندات مطلوب استيفاؤها',
    nothingMissing: 'المستندات المطلوبة مكتملة', due: 'الموعد القانوني للبت', days: 'المدة القانونية', scan: 'امسح الرمز أو ادخل على صفحة الاستعلام برقم الاستعلام وآخر أربعة أرقام من الرقم القومي',
    keep: 'احتفظ بهذا الإيصال', delivery: 'تذكرة تسليم المعاملة', number: 'رقمك', line: 'الخدمة', wait: 'توجّه إلى صالة الانتظار حتى يُنادى رقمك على شباك التسليم',
    working: '(أيام عمل)', follow: 'امسح الرمز لمتابعة دورك على هاتفك',
  },
  en: {
    slip: 'Application registration slip', inquiry: 'Inquiry number', service: 'Service', citizen: 'Applicant', at: 'Registered', missing: 'Documents still to bring',
    nothingMissing: 'All required documents received', due: 'Legal decision date', days: 'Legal period', scan: 'Scan the code, or look up the inquiry number with the last four digits of your national ID',
    keep: 'Keep this slip', delivery: 'Delivery ticket', number: 'Your number', line: 'Service', wait: 'Please wait in the hall until your number is called at the delivery window',
    working: '(working days)', follow: 'Scan the code to follow your turn on your phone',
  },
};

export class ShRegistrationSlip extends LitElement {
  static override properties = { file: { attribute: false }, due: { state: true } };
  declare file: FileDetail | null;
  declare due: { day: string; legalPeriodDays: number; periodKind: string } | null;
  static override styles = shared;
  private dueFor = 0;

  constructor() {
    super();
    this.file = null;
    this.due = null;
    new LangController(this);
  }

  override willUpdate(): void {
    const f = this.file;
    if (f && this.dueFor !== f.id) {
      this.dueFor = f.id;
      this.due = null;
      void api<{ day: string; legalPeriodDays: number; periodKind: string }>('GET', `/api/services/${f.serviceId}/due?from=${f.registeredAt}`)
        .then((d) => { if (this.file?.id === f.id) this.due = d; })
        .catch(() => undefined);
    }
  }

  override render() {
    const f = this.file;
    if (!f) return null;
    const s = L[currentLang()];
    const missing = f.checklist.filter((c) => !c.present);
    return html`
      <div class="sheet-80mm" data-testid="registration-slip">
        <p style="text-align: center">${centerName}</p>
        <h3>${s.slip}</h3>
        <p>${s.inquiry}:<br><b class="ltr" style="font-size: 1.3em" data-testid="slip-inquiry">${f.inquiryDisplay}</b></p>
        <p>${s.service}: ${f.serviceNameAr}<br>${s.citizen}: ${f.citizenName}<br>${s.at}: ${fmtDate(f.registeredAt)} ${fmtTime(f.registeredAt)}</p>
        ${missing.length
          ? html`<p><b>${s.missing}:</b></p><ul data-testid="slip-missing">${missing.map((c) => html`<li>${c.labelAr}</li>`)}</ul>`
          : html`<p>${s.nothingMissing}</p>`}
        <p data-testid="slip-due">${s.due}: <b>${this.due ? fmtDate(this.due.day) : '…'}</b>
          ${this.due ? html`<br><span class="muted">${s.days}: ${count(this.due.legalPeriodDays, 'day')}${this.due.periodKind === 'working' ? ` ${s.working}` : ''}</span>` : null}</p>
        <div style="text-align: center"><sh-qr .text=${statusUrl(f.inquiryDisplay)}></sh-qr><div class="muted">${s.scan}</div></div>
        <p style="text-align: center"><b>${s.keep}</b></p>
      </div>`;
  }
}
customElements.define('sh-registration-slip', ShRegistrationSlip);

export type DeliveryTicket = { label: string; line: string; inquiry: string; at: number; link?: string | null };

export class ShDeliveryTicket extends LitElement {
  static override properties = { ticket: { attribute: false } };
  declare ticket: DeliveryTicket | null;
  static override styles = shared;

  constructor() {
    super();
    this.ticket = null;
    new LangController(this);
  }

  override render() {
    const t = this.ticket;
    if (!t) return null;
    const s = L[currentLang()];
    return html`
      <div class="sheet-80mm" data-testid="delivery-ticket" style="text-align: center">
        <p>${centerName}</p>
        <h3>${s.delivery}</h3>
        <p>${s.number}</p>
        <p class="ltr" style="font-size: 3em; font-weight: 800; margin: 0; text-align: center" data-testid="delivery-ticket-number">${t.label}</p>
        <p>${s.inquiry}: <span class="ltr">${t.inquiry}</span></p>
        <p>${s.wait}</p>
        ${t.link ? html`<div data-testid="delivery-ticket-qr"><sh-qr .text=${t.link}></sh-qr><div class="muted">${s.follow}</div></div>` : null}
        <p class="muted">${fmtDate(t.at)} ${fmtTime(t.at)}</p>
      </div>`;
  }
}
customElements.define('sh-delivery-ticket', ShDeliveryTicket);
