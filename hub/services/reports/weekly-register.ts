// The printable register of the files registered in a week (A4, Arabic, right to left),
// saved beside each weekly backup (hub/services/backup.ts): the paper copy of the center's rules.
import type { Db } from '../../db/connection.ts';
import { addDays } from '../../domain/deadlines.ts';
import { STATUS_WORDS, type FileStatus } from '../../domain/file-workflow.ts';
import { displayInquiry } from '../../domain/inquiry-number.ts';
import { startOfLocalDay } from '../../domain/time.ts';

function escapeHtml(v: unknown): string {
  return String(v ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The printable register of the files registered in a week (A4, Arabic, right to left),
 * saved beside each weekly backup: the paper copy of the center's rules. Null while the
 * database has no files table.
 */
export function weeklyRegisterHtml(db: Db, opts: { from: string; to: string; timeZone: string; centerName: string }): string | null {
  const has = db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'files'").pluck().get() as number;
  if (!has) return null;
  const start = startOfLocalDay(opts.from, opts.timeZone);
  const end = startOfLocalDay(addDays(opts.to, 1), opts.timeZone);
  const rows = db.prepare(
    `SELECT f.inquiry, f.status, f.due_day, f.registered_at, s.name_ar AS service, d.name_ar AS department, c.name AS citizen
     FROM files f JOIN services s ON s.id = f.service_id JOIN departments d ON d.id = f.department_id JOIN citizens c ON c.id = f.citizen_id
     WHERE f.registered_at >= ? AND f.registered_at < ? ORDER BY f.registered_at, f.id`,
  ).all(start, end) as { inquiry: string; status: FileStatus; due_day: string | null; registered_at: number; service: string; department: string; citizen: string }[];
  const time = new Intl.DateTimeFormat('ar-EG-u-nu-latn', { timeZone: opts.timeZone, dateStyle: 'short', timeStyle: 'short' });
  const body = rows.map((f, i) => `<tr><td>${i + 1}</td><td dir="ltr">${escapeHtml(displayInquiry(f.inquiry))}</td><td>${escapeHtml(time.format(f.registered_at))}</td>
<td>${escapeHtml(f.citizen)}</td><td>${escapeHtml(f.service)}</td><td>${escapeHtml(f.department)}</td><td>${escapeHtml(STATUS_WORDS[f.status]?.ar ?? f.status)}</td><td>${escapeHtml(f.due_day ?? '—')}</td></tr>`).join('\n');
  return `<!doctype html>
<html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>سجل الملفات الأسبوعي ${escapeHtml(opts.from)} — ${escapeHtml(opts.to)}</title>
<style>
@page { size: A4; margin: 12mm; }
body { font-family: 'Cairo', 'Noto Naskh Arabic', 'Amiri', sans-serif; font-size: 9.5pt; color: #000; }
h1 { font-size: 14pt; margin: 0; } header { display: flex; justify-content: space-between; border-bottom: 2px solid #000; margin-bottom: 4mm; padding-bottom: 2mm; }
table { width: 100%; border-collapse: collapse; } th, td { border: 1px solid #777; padding: 1mm 1.5mm; text-align: right; vertical-align: top; }
th { background: #eee; } thead { display: table-header-group; } tr { break-inside: avoid; }
footer { margin-top: 8mm; display: grid; grid-template-columns: 1fr 1fr; gap: 20mm; } footer div { border-top: 1px solid #000; text-align: center; padding-top: 2mm; }
</style></head><body>
<header><div><h1>سجل الملفات المقدمة خلال الأسبوع</h1><div>من ${escapeHtml(opts.from)} إلى ${escapeHtml(opts.to)} — عدد الملفات: ${rows.length}</div></div>
<div>${escapeHtml(opts.centerName)}</div></header>
<table><thead><tr><th>م</th><th>رقم الاستعلام</th><th>تاريخ التقديم</th><th>المواطن</th><th>الخدمة</th><th>الإدارة</th><th>المرحلة</th><th>تاريخ الاستحقاق</th></tr></thead>
<tbody>
${body || '<tr><td colspan="8">لا توجد ملفات في هذا الأسبوع</td></tr>'}
</tbody></table>
<footer><div>مشرف النظام</div><div>مدير المركز التكنولوجي</div></footer>
</body></html>
`;
}
