// Report tables as CSV for Excel: UTF-8 with a byte-order mark (without it Excel opens
// the file as Windows-1256/1252 and the Arabic turns to noise), CRLF line ends, RFC 4180
// quoting, nested objects flattened to "wait.medianMin" columns with Arabic headings.

const BOM = '\uFEFF';

/** Arabic headings for the columns the reports use; a column without one keeps its key. */
const HEADINGS: Record<string, string> = {
  line: 'الخدمة', nameAr: 'الاسم', nameEn: 'Name', tickets: 'التذاكر', visits: 'الزيارات', served: 'تمت خدمتهم',
  noShows: 'لم يحضر', noShowRate: 'نسبة عدم الحضور %', 'wait.n': 'عدد الانتظار', 'wait.medianMin': 'وسيط الانتظار (دقيقة)',
  'wait.p90Min': 'الانتظار - المئين 90 (دقيقة)', 'wait.meanMin': 'متوسط الانتظار (دقيقة)', 'service.n': 'عدد الخدمات',
  'service.medianMin': 'وسيط مدة الخدمة (دقيقة)', 'service.p90Min': 'مدة الخدمة - المئين 90 (دقيقة)', 'service.meanMin': 'متوسط مدة الخدمة (دقيقة)',
  'walk.n': 'عدد الوصول', 'walk.medianMin': 'وسيط الوصول للشباك (دقيقة)', 'walk.p90Min': 'الوصول للشباك - المئين 90 (دقيقة)', 'walk.meanMin': 'متوسط الوصول للشباك (دقيقة)',
  hour: 'الساعة', perDay: 'في اليوم', window: 'الشباك', avgServiceMin: 'متوسط الخدمة (دقيقة)', servingMin: 'وقت الخدمة (دقيقة)',
  idleMin: 'وقت الفراغ (دقيقة)', pausedMin: 'وقت الإيقاف (دقيقة)', clerk: 'الموظف', name: 'الاسم', day: 'اليوم',
  medianWaitMin: 'وسيط الانتظار (دقيقة)', id: 'الرقم', kind: 'النوع', label: 'الوصف', online: 'متصل', lastSeen: 'آخر ظهور',
  fw: 'البرنامج', printer: 'الطابعة', alerts: 'التنبيهات', deviceId: 'الجهاز', severity: 'الخطورة', messageAr: 'التنبيه',
  raisedAt: 'وقت التنبيه', resolvedAt: 'وقت الانتهاء', department: 'الإدارة', departmentId: 'رقم الإدارة', service: 'الخدمة',
  serviceId: 'رقم الخدمة', received: 'الوارد', decided: 'تم البت', delivered: 'تم التسليم', decidedInTime: 'في المدة القانونية',
  decidedInTimeRate: 'نسبة البت في المدة %', overdueNow: 'متأخر الآن', inquiryNumber: 'رقم الاستعلام', holder: 'لدى', dueDay: 'تاريخ الاستحقاق',
  daysLate: 'أيام التأخير', stage: 'المرحلة', medianDays: 'الوسيط (يوم)', p90Days: 'المئين 90 (يوم)', meanDays: 'المتوسط (يوم)', n: 'العدد',
  week: 'الأسبوع', amountPiasters: 'المبلغ (قرش)', amountEgp: 'المبلغ (جنيه)', receipts: 'الإيصالات', feeCode: 'بند الرسوم', reason: 'السبب',
  voids: 'الملغاة', category: 'التصنيف', registered: 'المسجلة', answered: 'تم الرد', answeredInTime: 'تم الرد في المدة', open: 'مفتوحة', overdue: 'متأخرة',
};

function flatten(row: Record<string, unknown>, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  for (const [k, v] of Object.entries(row)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) flatten(v as Record<string, unknown>, key, out);
    else out[key] = Array.isArray(v) ? v.join(' ') : v;
  }
  return out;
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'boolean' ? (v ? 'نعم' : 'لا') : String(v);
  // Quote when needed; a leading = + - @ is prefixed so Excel does not run it as a formula.
  const safe = /^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function toCsv(rows: readonly object[]): string {
  const flat = rows.map((r) => flatten(r as Record<string, unknown>));
  const columns: string[] = [];
  for (const r of flat) for (const k of Object.keys(r)) if (!columns.includes(k)) columns.push(k);
  const lines = [columns.map((c) => cell(HEADINGS[c] ?? c)).join(',')];
  for (const r of flat) lines.push(columns.map((c) => cell(r[c])).join(','));
  return BOM + lines.join('\r\n') + '\r\n';
}
