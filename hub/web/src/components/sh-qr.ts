// A QR code (SVG, drawn by the `qrcode` library) — on receipts it links to the public
// status page with the inquiry number filled in.
import { LitElement, css, html } from 'lit';
import { unsafeSVG } from 'lit/directives/unsafe-svg.js';
import QRCode from 'qrcode';
import { displayInquiry } from '../../../domain/inquiry-number.ts';

export class ShQr extends LitElement {
  static override properties = { text: { type: String }, svg: { state: true } };
  declare text: string;
  declare svg: string;
  static override styles = css`:host { display: inline-block; width: 28mm; height: 28mm; } svg { width: 100%; height: 100%; }`;

  constructor() {
    super();
    this.text = '';
    this.svg = '';
  }

  override async willUpdate(changed: Map<string, unknown>): Promise<void> {
    if (changed.has('text') && this.text) {
      this.svg = await QRCode.toString(this.text, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
    }
  }

  override render() {
    return this.svg ? html`<span role="img" aria-label=${this.text} data-qr=${this.text}>${unsafeSVG(this.svg)}</span>` : null;
  }
}
customElements.define('sh-qr', ShQr);

/** The public status page for an inquiry number, as a receipt's QR code encodes it. */
export function statusUrl(inquiry: string): string {
  // The printed form (F-2026-000123-45), the one the citizen sees on every paper.
  return `${location.origin}/status?inquiry=${encodeURIComponent(displayInquiry(inquiry))}`;
}
