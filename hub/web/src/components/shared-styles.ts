// Styles every panel shares (inside shadow roots). Logical properties (inline-start/end)
// so the same rules lay out right-to-left in Arabic and left-to-right in English.
import { css } from 'lit';

export const shared = css`
  :host { display: block; font-family: inherit; color: #1d2a33; }
  h2 { font-size: 1.25rem; margin: 0 0 0.75rem; }
  h3 { font-size: 1.05rem; margin: 0.5rem 0; }
  .card { background: #fff; border: 1px solid #d5dde3; border-radius: 10px; padding: 1rem; margin-block-end: 1rem; }
  .row { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; }
  .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); gap: 0.75rem; }
  button { font: inherit; padding: 0.55rem 1rem; border-radius: 8px; border: 1px solid #8aa0ad; background: #f4f7f9; cursor: pointer; }
  button.primary { background: #0b6e4f; border-color: #0b6e4f; color: #fff; font-weight: 700; }
  button.danger { background: #fff4f2; border-color: #c0392b; color: #8e2a1f; }
  button:disabled { opacity: 0.5; cursor: not-allowed; }
  button:focus-visible, input:focus-visible, select:focus-visible { outline: 3px solid #f0b429; outline-offset: 1px; }
  input, select, textarea { font: inherit; padding: 0.45rem 0.6rem; border: 1px solid #8aa0ad; border-radius: 6px; background: #fff; }
  label { display: flex; flex-direction: column; gap: 0.2rem; font-size: 0.95rem; }
  label.inline { flex-direction: row; align-items: center; gap: 0.4rem; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: start; padding: 0.4rem 0.6rem; border-block-end: 1px solid #e3e8ec; }
  th { background: #eef3f6; font-weight: 700; }
  .muted { color: #5b6b75; font-size: 0.9rem; }
  .pill { display: inline-block; padding: 0.1rem 0.55rem; border-radius: 999px; font-size: 0.85rem; background: #e3e8ec; }
  .pill.ok { background: #d8f3e6; color: #0b6e4f; }
  .pill.bad { background: #fde2de; color: #8e2a1f; }
  .pill.warn { background: #fff1c9; color: #7a5700; }
  /* Numbers and codes read left to right, but stay aligned with the Arabic text around them. */
  .ltr { direction: ltr; unicode-bidi: isolate; }
  :host(:dir(rtl)) .ltr { text-align: right; }
  /* Printed sheets: A4 documents, and 80 mm slips for the receipt printer (the page named
     "receipt" in styles/page.css). Everything marked no-print disappears on paper. */
  .sheet-a4 { max-width: 180mm; background: #fff; }
  .sheet-80mm { width: 72mm; background: #fff; font-size: 10pt; page: receipt; }
  .sheet-80mm h3, .sheet-a4 h3 { text-align: center; }
  .stamp { border: 2px dashed #8aa0ad; height: 35mm; width: 35mm; display: inline-flex; align-items: center; justify-content: center; text-align: center; padding: 3mm; box-sizing: border-box; overflow: hidden; font-size: 0.85rem; color: #5b6b75; }
  @media print {
    .no-print { display: none !important; }
    .card { border: none; padding: 0; margin: 0; }
    .sheet-a4, .sheet-80mm { color: #000; }
  }
`;
