// How a history reads to a person: who (the staff member's name and role, never
// 'user:5'), what (an Arabic phrase, never 'file.approve'), when (a Cairo date and time,
// never an epoch number) and what changed (labelled fields with readable values, never
// JSON). Used by the inspection view, the file card's history and the complaint history.
// Names come from GET /api/staff/directory, fetched once per page and shared.
import { api } from '../api.ts';
import { currentLang, fmtDate, fmtMoney, fmtTime } from './index.ts';
import { actorDisplay, parseActorKey } from '../../../domain/actor.ts';
import { displayInquiry } from '../../../domain/inquiry-number.ts';
import { STATUS_WORDS as FILE_STATUS } from '../panels/file-types.ts';
import { STATUS_WORDS as COMPLAINT_STATUS_WORDS } from '../../../domain/complaints.ts';

type Person = { actor: string; name: string; roleAr: string; roleEn: string };
let directory: Map<string, Person> | null = null;
let loading: Promise<Map<string, Person>> | null = null;

/** Load the staff names once (later calls share the same request); resolves to the map. */
export function loadDirectory(): Promise<Map<string, Person>> {
  if (directory) return Promise.resolve(directory);
  loading ??= api<Person[]>('GET', '/api/staff/directory')
    .then((list) => (directory = new Map(list.map((p) => [p.actor, p]))))
    .catch(() => (directory = new Map()))
    .finally(() => (loading = null));
  return loading;
}

/** 'user:5' → "سارة أحمد — مدير المركز التكنولوجي"; devices, the system and the online portal in words. */
export function actorName(actor: string | null | undefined): string {
  const en = currentLang() === 'en';
  if (!actor) return '—';
  const p = directory?.get(actor);
  if (p) return `${p.name} — ${en ? p.roleEn : p.roleAr}`;
  // Not in the directory: a device, the system, a channel, or a staff account that is gone.
  const a = parseActorKey(actor);
  if (!a) return actor;
  const d = actorDisplay(a);
  return en ? d.nameEn : d.name;
}

/** Audit actions and file/complaint/queue event names, as a person says them. */
const ACTIONS: Record<string, { ar: string; en: string }> = {
  'auth.login': { ar: 'تسجيل دخول', en: 'Signed in' },
  'auth.logout': { ar: 'تسجيل خروج', en: 'Signed out' },
  'auth.locked': { ar: 'إيقاف الدخول بعد محاولات خاطئة', en: 'Locked after wrong passwords' },
  'file.register': { ar: 'تسجيل الملف', en: 'File registered' },
  'file.attach': { ar: 'إرفاق مستند', en: 'Document attached' },
  'file.forward': { ar: 'إحالة لمندوب الإدارة', en: 'Forwarded to the representative' },
  'file.resubmit': { ar: 'إعادة للمراجعة الفنية', en: 'Resubmitted for review' },
  'file.return': { ar: 'إعادة لاستيفاء المستندات', en: 'Returned for documents' },
  'file.refuse': { ar: 'رفض الطلب', en: 'Refused' },
  'file.review': { ar: 'اعتماد المراجعة الفنية وتحديد الرسوم', en: 'Review signed, fees fixed' },
  'file.pay': { ar: 'سداد الرسوم', en: 'Fees paid' },
  'file.reopen_payment': { ar: 'إعادة فتح السداد بعد إلغاء الإيصال', en: 'Payment reopened (receipt voided)' },
  'file.approve': { ar: 'اعتماد الملف (توقيع وختم)', en: 'Approved (signature and stamp)' },
  'file.dispatch': { ar: 'إرسال للإدارة المختصة', en: 'Sent to the department' },
  'file.decide': { ar: 'تسجيل قرار الإدارة', en: 'Decision recorded' },
  'file.mark_ready': { ar: 'جاهز للتسليم', en: 'Ready for delivery' },
  'file.deliver': { ar: 'تسليم للمواطن', en: 'Handed over' },
  'file.delivery_ticket': { ar: 'إصدار تذكرة تسليم', en: 'Delivery ticket issued' },
  'complaint.register': { ar: 'تسجيل الشكوى', en: 'Complaint registered' },
  'complaint.forward': { ar: 'إحالة الشكوى للإدارة', en: 'Complaint forwarded' },
  'complaint.answer': { ar: 'الرد على الشكوى', en: 'Complaint answered' },
  'complaint.close': { ar: 'إغلاق الشكوى', en: 'Complaint closed' },
  'complaint.reopen': { ar: 'إعادة فتح الشكوى', en: 'Complaint reopened' },
  'payment_order.issue': { ar: 'إصدار إذن دفع', en: 'Payment order issued' },
  'payment_order.collect': { ar: 'تحصيل إذن الدفع', en: 'Payment order collected' },
  'payment_order.cancel': { ar: 'إلغاء إذن الدفع', en: 'Payment order cancelled' },
  'receipt.issue': { ar: 'إصدار إيصال', en: 'Receipt issued' },
  'receipt.void_request': { ar: 'طلب إلغاء إيصال', en: 'Receipt void requested' },
  'receipt.void': { ar: 'إلغاء إيصال', en: 'Receipt voided' },
  'cash.close': { ar: 'إقفال اليومية', en: 'Day closed' },
  'citizen.create': { ar: 'تسجيل مواطن', en: 'Citizen recorded' },
  'citizen.update': { ar: 'تعديل بيانات مواطن', en: 'Citizen updated' },
  'inspection': { ar: 'تفتيش مفاجئ', en: 'Surprise inspection' },
  'meeting.create': { ar: 'إضافة يوم لقاء جماهيري', en: 'Meeting day added' },
  'meeting.register': { ar: 'تسجيل في لقاء الجماهير', en: 'Registered for the meeting' },
  'meeting.update': { ar: 'تعديل يوم اللقاء', en: 'Meeting updated' },
  'meeting.outcome': { ar: 'تسجيل نتيجة اللقاء', en: 'Meeting outcome recorded' },
  'service.create': { ar: 'إضافة خدمة', en: 'Service added' },
  'service.update': { ar: 'تعديل خدمة', en: 'Service changed' },
  'department.create': { ar: 'إضافة إدارة', en: 'Department added' },
  'department.update': { ar: 'تعديل إدارة', en: 'Department changed' },
  'holiday.set': { ar: 'إضافة عطلة رسمية', en: 'Holiday set' },
  'holiday.remove': { ar: 'حذف عطلة رسمية', en: 'Holiday removed' },
  'user.create': { ar: 'إنشاء مستخدم', en: 'User created' },
  'user.update': { ar: 'تعديل مستخدم', en: 'User changed' },
  'user.deactivate': { ar: 'إيقاف مستخدم', en: 'User deactivated' },
  'user.password_change': { ar: 'تغيير كلمة المرور', en: 'Password changed' },
  'user.password_reset': { ar: 'إعادة تعيين كلمة المرور', en: 'Password reset' },
};

/** 'file.approve' → "اعتماد الملف (توقيع وختم)". An unknown action keeps a readable fallback. */
export function actionWords(action: string): string {
  const en = currentLang() === 'en';
  const w = ACTIONS[action] ?? ACTIONS[`file.${action}`] ?? ACTIONS[`complaint.${action}`];
  if (w) return en ? w.en : w.ar;
  return action.replace(/[._]/g, ' ');
}

/** Field names of records and audit snapshots, as labelled on the forms. */
const FIELDS: Record<string, { ar: string; en: string }> = {
  status: { ar: 'المرحلة', en: 'Stage' }, inquiry: { ar: 'رقم الاستعلام', en: 'Inquiry number' }, inquiryDisplay: { ar: 'رقم الاستعلام', en: 'Inquiry number' },
  serviceNameAr: { ar: 'الخدمة', en: 'Service' }, serviceId: { ar: 'الخدمة (رقم)', en: 'Service (id)' }, departmentId: { ar: 'الإدارة (رقم)', en: 'Department (id)' },
  citizenName: { ar: 'المواطن', en: 'Citizen' }, citizenNationalId: { ar: 'الرقم القومي', en: 'National ID' }, citizenId: { ar: 'المواطن (رقم)', en: 'Citizen (id)' },
  contactName: { ar: 'اسم مقدم الشكوى', en: 'Contact name' }, contactPhone: { ar: 'هاتف التواصل', en: 'Contact phone' },
  ticketLabel: { ar: 'التذكرة', en: 'Ticket' }, ticketId: { ar: 'التذكرة (رقم)', en: 'Ticket (id)' }, feesPiasters: { ar: 'الرسوم', en: 'Fees' },
  dueDay: { ar: 'تاريخ الاستحقاق', en: 'Due date' }, overdue: { ar: 'متأخر', en: 'Overdue' }, decision: { ar: 'القرار', en: 'Decision' },
  decisionReason: { ar: 'سبب القرار', en: 'Reason' }, publicNote: { ar: 'ملاحظة للمواطن', en: 'Note for the citizen' },
  approvedBy: { ar: 'اعتمده', en: 'Approved by' }, approvedAt: { ar: 'وقت الاعتماد', en: 'Approved at' }, signature: { ar: 'التوقيع', en: 'Signature' }, stamp: { ar: 'الخاتم', en: 'Stamp' },
  deliveredToName: { ar: 'سُلّم إلى', en: 'Handed to' }, deliveredToNationalId: { ar: 'الرقم القومي للمستلم', en: 'Their national ID' }, deliveredIdDocument: { ar: 'مستند الهوية', en: 'ID document' },
  deliveredAt: { ar: 'وقت التسليم', en: 'Handed over at' }, deliveredBy: { ar: 'سلّمه', en: 'Handed over by' },
  registeredAt: { ar: 'وقت التسجيل', en: 'Registered at' }, registeredBy: { ar: 'سجّله', en: 'Registered by' },
  createdAt: { ar: 'وقت الإنشاء', en: 'Created at' }, createdBy: { ar: 'أنشأه', en: 'Created by' }, updatedAt: { ar: 'آخر تعديل', en: 'Last change' },
  subject: { ar: 'الموضوع', en: 'Subject' }, body: { ar: 'النص', en: 'Text' }, channel: { ar: 'طريقة التقديم', en: 'Channel' },
  answer: { ar: 'الرد', en: 'Answer' }, answeredAt: { ar: 'وقت الرد', en: 'Answered at' }, answeredBy: { ar: 'ردّ عليها', en: 'Answered by' },
  closedAt: { ar: 'وقت الإغلاق', en: 'Closed at' }, closedBy: { ar: 'أغلقها', en: 'Closed by' }, note: { ar: 'ملاحظة', en: 'Note' },
  inspectionId: { ar: 'رقم التفتيش', en: 'Inspection no.' }, checklist: { ar: 'المستندات', en: 'Documents' }, fees: { ar: 'الرسوم', en: 'Fees' },
  label: { ar: 'الوصف', en: 'Description' }, name: { ar: 'الاسم', en: 'Name' }, size: { ar: 'الحجم', en: 'Size' }, mime: { ar: 'النوع', en: 'Type' },
  reason: { ar: 'السبب', en: 'Reason' }, amountPiasters: { ar: 'المبلغ', en: 'Amount' }, totalPiasters: { ar: 'الإجمالي', en: 'Total' },
  payerName: { ar: 'الدافع', en: 'Payer' }, receipt: { ar: 'الإيصال', en: 'Receipt' }, window: { ar: 'الشباك', en: 'Window' },
  version: { ar: 'رقم النسخة', en: 'Version' }, id: { ar: 'الرقم', en: 'Id' },
};
/** Internal bookkeeping a person does not need to read. */
const HIDDEN = new Set(['version', 'updatedAt', 'sha256', 'prevHash', 'hash', 'actions', 'events', 'stages', 'timeByStatus', 'statusAr', 'inquiryDisplay', 'overdue']);

/** Row ids the record also gives in words (the service's name beside its id, ...). */
const INTERNAL_IDS = new Set(['id', 'serviceId', 'departmentId', 'citizenId', 'ticketId', 'fileId']);

const COMPLAINT_STATUS: Record<string, { ar: string; en: string }> = COMPLAINT_STATUS_WORDS;

export function fieldLabel(key: string): string {
  const w = FIELDS[key];
  if (w) return currentLang() === 'en' ? w.en : w.ar;
  // camelCase → words, so even an unlisted field is not a code name.
  return key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/_/g, ' ');
}

/** A value as a person reads it: times as Cairo dates, money in pounds, stages in words, people by name. */
export function fieldValue(key: string, v: unknown, entity = 'file'): string {
  const en = currentLang() === 'en';
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'boolean') return v ? (en ? 'yes' : 'نعم') : (en ? 'no' : 'لا');
  if (typeof v === 'number' && /At$/.test(key) && v > 1e11) return `${fmtDate(v)} ${fmtTime(v)}`;
  if (typeof v === 'number' && /Piasters$/.test(key)) return fmtMoney(v);
  if (typeof v === 'string' && /By$/.test(key)) return actorName(v);
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return fmtDate(v);
  if (key === 'inquiry' && typeof v === 'string') return displayInquiry(v);
  if (key === 'status' && typeof v === 'string') {
    const w = entity === 'complaint' ? COMPLAINT_STATUS[v] : (FILE_STATUS as Record<string, { ar: string; en: string }>)[v];
    if (w) return en ? w.en : w.ar;
  }
  if (key === 'decision' && typeof v === 'string') return v === 'accepted' ? (en ? 'Accepted' : 'قبول') : v === 'refused' ? (en ? 'Refused' : 'رفض') : v;
  if (key === 'checklist' && Array.isArray(v)) {
    return v.map((c: { labelAr?: string; present?: boolean }) => `${c.present ? '☑' : '☐'} ${c.labelAr ?? ''}`).join('، ');
  }
  if (key === 'fees' && Array.isArray(v)) {
    return v.map((f: { labelAr?: string; amountPiasters?: number; code?: string }) => `${f.labelAr ?? f.code ?? ''}: ${fmtMoney(f.amountPiasters ?? 0)}`).join('، ');
  }
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'object' ? Object.values(x as object).join(' ') : String(x))).join('، ');
  if (typeof v === 'object') {
    return Object.entries(v as Record<string, unknown>).filter(([k]) => !HIDDEN.has(k)).map(([k, x]) => `${fieldLabel(k)}: ${fieldValue(k, x, entity)}`).join('، ');
  }
  const s = String(v);
  return s.length > 200 ? `${s.slice(0, 200)}…` : s;
}

export type FieldChange = { key: string; label: string; before: string | null; after: string };

/** What an audit entry changed, field by field: those whose value differs, or every field of a new record. */
export function changedFields(before: unknown, after: unknown, entity = 'file'): FieldChange[] {
  const a = after && typeof after === 'object' ? (after as Record<string, unknown>) : null;
  const b = before && typeof before === 'object' ? (before as Record<string, unknown>) : null;
  if (!a) return after === null || after === undefined ? [] : [{ key: 'value', label: '', before: null, after: String(after) }];
  return Object.keys(a)
    .filter((k) => !HIDDEN.has(k) && !INTERNAL_IDS.has(k))
    // A change: the fields that differ; a new record: the fields it was given.
    .filter((k) => (b ? JSON.stringify(a[k]) !== JSON.stringify(b[k]) : a[k] !== null && a[k] !== undefined && a[k] !== ''))
    .map((k) => ({ key: k, label: fieldLabel(k), before: b ? fieldValue(k, b[k], entity) : null, after: fieldValue(k, a[k], entity) }));
}

/** The record's own fields worth reading, in order, labelled. */
export function recordFields(record: Record<string, unknown>, entity: string): { label: string; value: string }[] {
  return Object.entries(record).filter(([k]) => !HIDDEN.has(k) && !INTERNAL_IDS.has(k))
    .map(([k, v]) => ({ label: fieldLabel(k), value: fieldValue(k, v, entity) }));
}
