// The SMS texts the citizen receives (pure): Arabic, numbers in agreement through the
// project's one plural helper (protocol/arabic-plural.ts), Latin digits (operators' SMS
// apps show them everywhere; the ticket label is printed that way too). A text takes the
// ticket's public status link when there is one (`link`); without it the line is left out.
import { aheadIn } from '@shubbak/protocol/arabic-plural';
import { STATUS_WORDS, type FileStatus } from '../domain/file-workflow.ts';

export type SmsKind = 'issued' | 'ahead' | 'called' | 'file_stage' | 'booking';

const linkLine = (link: string | null | undefined) => (link ? `\nتابع دورك: ${link}` : '');

/** At issue: the number, the people ahead, the status link. */
export function issuedText(a: { center: string; label: string; lineName: string; ahead: number; link?: string | null }): string {
  return `${a.center}\nتذكرتك رقم ${a.label} (${a.lineName}). ${aheadIn('ar', a.ahead)}.${linkLine(a.link)}`;
}

/** When few are left ahead (the center's N): come back to the hall. */
export function aheadText(a: { label: string; ahead: number; link?: string | null }): string {
  const who = a.ahead === 0 ? 'أنت التالي' : aheadIn('ar', a.ahead);
  return `التذكرة ${a.label}: ${who}. اقترب دورك، نرجو الحضور إلى قاعة الانتظار.${linkLine(a.link)}`;
}

/** Called to a window. */
export function calledText(a: { label: string; window: number }): string {
  return `حان دورك: التذكرة ${a.label}، توجه إلى الشباك رقم ${a.window}.`;
}

/** The stages a citizen is told about by SMS; the others happen while they stand at a window. */
export const SMS_FILE_STAGES: readonly FileStatus[] = ['registered', 'returned', 'refused', 'awaiting_payment', 'with_department', 'decided', 'ready'];

/** A file's new stage; ready for delivery above all says what to bring. */
export function fileStageText(a: { inquiry: string; status: FileStatus }): string {
  if (a.status === 'ready') return `ملفك رقم ${a.inquiry} جاهز للتسليم. توجه إلى شباك تسليم المعاملات بالمركز ومعك بطاقة الرقم القومي.`;
  return `ملفك رقم ${a.inquiry}: ${STATUS_WORDS[a.status].ar}.`;
}

/** A booking made on the public site (issue 14 item 3): the code to type at the kiosk or show at reception. */
export function bookingText(a: { center: string; code: string; lineName: string; day: string; hm: string; fromHm: string }): string {
  return `${a.center}\nتم حجز موعدك: ${a.lineName} يوم ${a.day} الساعة ${a.hm}.\nرقم الحجز ${a.code}: اضغط «لدي حجز» في جهاز التذاكر واكتبه، أو اعرضه على الاستقبال، من الساعة ${a.fromHm}.`;
}
