// Words of the report screens, Arabic first. Kept beside the screens (not in the shared
// dictionary) so the reports can grow without touching every other panel's words.
import { count, currentLang } from '../i18n/index.ts';

const ar = {
  reports: 'التقارير', queue: 'الطوابير', execution: 'التنفيذ والاختناقات', money: 'التحصيل', complaints: 'الشكاوى', devices: 'الأجهزة والتنبيهات',
  backup: 'النسخ الاحتياطي', weekly: 'التقرير الأسبوعي', from: 'من', to: 'إلى', department: 'الإدارة', allDepartments: 'كل الإدارات', show: 'عرض',
  csv: 'تصدير CSV', print: 'طباعة', loading: 'جارٍ التحميل…', noData: 'لا توجد بيانات في هذه الفترة', notYet: 'هذا التقرير غير متاح بعد على هذا الخادم',
  tickets: 'التذاكر', served: 'تمت خدمتهم', medianWait: 'نصف المواطنين انتظروا أقل من', p90Wait: '٩٠٪ من المواطنين انتظروا أقل من', noShowRate: 'نسبة عدم الحضور', bookings: 'الحجوزات (حضر / لم يحضر)',
  medianService: 'نصف الخدمات انتهت في أقل من', medianWalk: 'نصف المواطنين وصلوا للشباك في أقل من', min: 'بالدقائق', days: 'بالأيام', dailyWait: 'نصف المواطنين انتظروا أقل من (بالدقائق)', perHour: 'التذاكر حسب ساعة اليوم', daily: 'التذاكر يومياً وزمن انتظار نصف المواطنين',
  byLine: 'حسب الخدمة', byWindow: 'حسب الشباك', byClerk: 'حسب الموظف', busiest: 'أكثر الساعات ازدحاماً', line: 'الخدمة', window: 'الشباك', clerk: 'الموظف',
  wait: 'الانتظار', service: 'الخدمة', walk: 'الوصول للشباك', median: 'النصف أقل من', p90: '٩٠٪ أقل من', avgService: 'متوسط الخدمة', serving: 'وقت الخدمة', idle: 'وقت الفراغ',
  paused: 'وقت الإيقاف', hour: 'الساعة', perDay: 'في اليوم', received: 'الوارد', decided: 'تم البت', delivered: 'تم التسليم', inTime: 'في المدة القانونية',
  overdueNow: 'متأخر الآن', stage: 'المرحلة', stageTimes: 'الوقت في كل مرحلة (أيام)', overdueFiles: 'الملفات المتأخرة الآن', holder: 'لدى', dueDay: 'تاريخ الاستحقاق',
  daysLate: 'أيام التأخير', inquiry: 'رقم الاستعلام', trend: 'الاتجاه الأسبوعي', week: 'الأسبوع', collections: 'التحصيل اليومي', feeItems: 'حسب بند الرسوم',
  voids: 'الإيصالات الملغاة', amount: 'المبلغ', reason: 'السبب', registered: 'المسجلة', answered: 'تم الرد', answeredInTime: 'في المدة', open: 'مفتوحة',
  overdue: 'متأخرة', channel: 'طريقة التقديم', medianAnswer: 'نصف الشكاوى رُدّ عليها في أقل من', online: 'متصل', offline: 'غير متصل', lastSeen: 'آخر ظهور', printer: 'الطابعة',
  firmware: 'البرنامج', alerts: 'التنبيهات', ack: 'تم الاطلاع', acked: 'اطلع عليه', device: 'الجهاز', since: 'منذ', lastBackup: 'آخر نسخة', nextBackup: 'النسخة القادمة',
  backupNow: 'نسخ الآن', size: 'الحجم', integrity: 'سلامة البيانات', history: 'السجل', ok: 'سليمة', failed: 'فشل', weeklyTitle: 'التقرير الأسبوعي للإدارة',
  center: 'المركز', preparedAt: 'تاريخ الإعداد', signature: 'توقيع مشرف النظام', managerSignature: 'توقيع مدير المركز', weekOf: 'الأسبوع من {from} إلى {to}',
  window_channel: 'الشباك', open311_channel: 'البوابة الإلكترونية', kinds: 'النوع', rows: 'العدد', stays: 'مرات المرور', none: 'لا يوجد',
};
export type ReportKey = keyof typeof ar;
const en: Record<ReportKey, string> = {
  reports: 'Reports', queue: 'Queues', execution: 'Execution & bottlenecks', money: 'Collections', complaints: 'Complaints', devices: 'Devices & alerts',
  backup: 'Backup', weekly: 'Weekly report', from: 'From', to: 'To', department: 'Department', allDepartments: 'All departments', show: 'Show',
  csv: 'Export CSV', print: 'Print', loading: 'Loading…', noData: 'No data in this period', notYet: 'This report is not available on this hub yet',
  tickets: 'Tickets', served: 'Served', medianWait: 'Half of citizens waited less than', p90Wait: '90% of citizens waited less than', noShowRate: 'No-show rate', bookings: 'Bookings (came / no-show)',
  medianService: 'Half of services took less than', medianWalk: 'Half reached the window in less than', min: 'minutes', days: 'days', dailyWait: 'Half of citizens waited less than (minutes)', perHour: 'Tickets by hour of day', daily: 'Tickets per day and median wait',
  byLine: 'By line', byWindow: 'By window', byClerk: 'By clerk', busiest: 'Busiest hours', line: 'Line', window: 'Window', clerk: 'Clerk',
  wait: 'Wait', service: 'Service', walk: 'Walk to window', median: 'Half under', p90: '90% under', avgService: 'Avg. service', serving: 'Serving', idle: 'Idle',
  paused: 'Paused', hour: 'Hour', perDay: 'Per day', received: 'Received', decided: 'Decided', delivered: 'Delivered', inTime: 'Within legal period',
  overdueNow: 'Overdue now', stage: 'Stage', stageTimes: 'Time in each stage (days)', overdueFiles: 'Files overdue now', holder: 'Held by', dueDay: 'Due',
  daysLate: 'Days late', inquiry: 'Inquiry no.', trend: 'Weekly trend', week: 'Week', collections: 'Daily collections', feeItems: 'By fee item',
  voids: 'Voided receipts', amount: 'Amount', reason: 'Reason', registered: 'Registered', answered: 'Answered', answeredInTime: 'In time', open: 'Open',
  overdue: 'Overdue', channel: 'Channel', medianAnswer: 'Half of complaints answered in less than', online: 'Online', offline: 'Offline', lastSeen: 'Last seen', printer: 'Printer',
  firmware: 'Firmware', alerts: 'Alerts', ack: 'Acknowledge', acked: 'Acknowledged', device: 'Device', since: 'Since', lastBackup: 'Last backup', nextBackup: 'Next backup',
  backupNow: 'Back up now', size: 'Size', integrity: 'Integrity', history: 'History', ok: 'OK', failed: 'Failed', weeklyTitle: 'Weekly department report',
  center: 'Center', preparedAt: 'Prepared', signature: 'System supervisor', managerSignature: 'Center manager', weekOf: 'Week {from} to {to}',
  window_channel: 'Window', open311_channel: 'Online portal', kinds: 'Kind', rows: 'Count', stays: 'Stays', none: 'None',
};

export function r(key: ReportKey, params: Record<string, string | number> = {}): string {
  return (currentLang() === 'en' ? en : ar)[key].replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? ''));
}

/** A measured duration with its unit in agreement ("دقيقتان", "5 أيام"), '—' for no value. */
export function measure(v: number | null | undefined, noun: 'minute' | 'day'): string {
  return v === null || v === undefined ? '—' : count(v, noun);
}

/** A number for a table cell: '—' for no value (not 0, which would read as a measurement). */
export function num(v: number | null | undefined, suffix = ''): string {
  return v === null || v === undefined ? '—' : `${v}${suffix}`;
}
