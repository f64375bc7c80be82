// The language in force (Arabic by default), its direction, and formatting in the
// center's time zone. Components re-render through LangController when it changes.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { ar, type Dict } from './ar.ts';
import { en } from './en.ts';
import { formatPiasters } from '../../../domain/money.ts';
import { aheadIn, countIn, type NounName } from '@shubbak/protocol/arabic-plural';

export type Lang = 'ar' | 'en';
const DICTS: Record<Lang, Dict> = { ar, en };
const DIR: Record<Lang, 'rtl' | 'ltr'> = { ar: 'rtl', en: 'ltr' };
const listeners = new Set<() => void>();

let lang: Lang = localStorage.getItem('shubbak.lang') === 'en' ? 'en' : 'ar';

export function currentLang(): Lang {
  return lang;
}

export function applyLang(): void {
  document.documentElement.lang = lang;
  document.documentElement.dir = DIR[lang];
}

/** Switch language; `remember` keeps the choice for this browser (the staff toggle). */
export function setLang(next: Lang, remember = true): void {
  lang = next;
  if (remember) localStorage.setItem('shubbak.lang', next);
  applyLang();
  for (const l of listeners) l();
}

export type Key = keyof Dict;
export function t(key: Key, params: Record<string, string | number> = {}): string {
  return DICTS[lang][key].replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? ''));
}

/** An API error's message in the current language. */
export function errorText(e: { message: string; messageEn?: string }): string {
  return lang === 'en' && e.messageEn ? e.messageEn : e.message;
}

export const timezone = document.querySelector<HTMLMetaElement>('meta[name="shubbak-timezone"]')?.content || 'Africa/Cairo';
export const centerName = document.querySelector<HTMLMetaElement>('meta[name="shubbak-center"]')?.content || '';

export function fmtTime(ms: number): string {
  return new Intl.DateTimeFormat(lang === 'ar' ? 'ar-EG-u-nu-latn' : 'en-GB', { timeZone: timezone, hour: '2-digit', minute: '2-digit' }).format(ms);
}

export function fmtDate(ms: number | string): string {
  return new Intl.DateTimeFormat(lang === 'ar' ? 'ar-EG-u-nu-latn' : 'en-GB', { timeZone: timezone, dateStyle: 'medium' }).format(new Date(ms));
}

/** A text with ISO days in it ("موعد البت المتوقع: 2026-12-15") with each day in the page's date format. */
export function datesIn(text: string): string {
  return text.replace(/\b(\d{4}-\d{2}-\d{2})\b/g, (d) => fmtDate(d));
}

const ARABIC_INDIC = '٠١٢٣٤٥٦٧٨٩';
/** Western digits → Arabic-Indic (the TV's option), leaving letters alone. */
export function arabicDigits(s: string): string {
  return s.replace(/[0-9]/g, (d) => ARABIC_INDIC[Number(d)]);
}

/** Integer piasters → pounds text in the current language (the treasury's own formatting). */
export function fmtMoney(piasters: number): string {
  return formatPiasters(piasters, lang);
}

/** A count with its noun in agreement in the current language (protocol/arabic-plural.ts): "دقيقتان", "5 أيام". */
export function count(n: number, noun: NounName, digits?: (s: string) => string): string {
  return countIn(lang, n, noun, digits);
}

/** People ahead of a ticket: "لا أحد أمامك", "أمامك شخصان", never "أمامك 0". */
export function ahead(n: number): string {
  return aheadIn(lang, n);
}

/** Re-renders its host when the language changes. */
export class LangController implements ReactiveController {
  private readonly update = () => this.host.requestUpdate();
  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }
  hostConnected(): void {
    listeners.add(this.update);
  }
  hostDisconnected(): void {
    listeners.delete(this.update);
  }
}
