// DEMO DATA: a plausible catalog of Egyptian municipal services for a district council's
// center — departments, services with document checklists, fee items and legal periods,
// and official holidays. Rows carry demo = 1. The amounts and periods are illustrative,
// not legal advice: an installation replaces them with its own council's schedule
// (admin → catalog) before going live.
import type { HubContext } from '../context.ts';
import { actorKey, SYSTEM } from '../domain/actor.ts';

export type SeedFee =
  | { code: string; ar: string; en: string; kind: 'fixed'; amount: number }
  | { code: string; ar: string; en: string; kind: 'variable'; min: number; max: number };

export type SeedService = {
  code: string; department: string; ar: string; en: string; days: number; kind: 'calendar' | 'working';
  /** Paid at the revenue window with no case file. */
  withoutFile?: true;
  requirementsAr: string; requirementsEn: string;
  checklist: { ar: string; en: string; required?: boolean }[];
  fees: SeedFee[];
};

export const DEMO_DEPARTMENTS = [
  { code: 'ENG', ar: 'الإدارة الهندسية', en: 'Engineering Department' },
  { code: 'LIC', ar: 'إدارة الرخص', en: 'Licensing Department' },
  { code: 'PROP', ar: 'إدارة الأملاك', en: 'Property Department' },
  { code: 'LEGAL', ar: 'الشؤون القانونية', en: 'Legal Affairs' },
  { code: 'CLEAN', ar: 'إدارة النظافة والتجميل', en: 'Cleaning & Beautification' },
  { code: 'HOUSING', ar: 'إدارة الإسكان', en: 'Housing Department' },
];

const ID = { ar: 'صورة بطاقة الرقم القومي سارية', en: 'Copy of a valid national ID card' };
const EGP = (pounds: number) => pounds * 100;

export const DEMO_SERVICES: SeedService[] = [
  {
    code: 'BLD-PERMIT', department: 'ENG', ar: 'ترخيص بناء', en: 'Building permit', days: 30, kind: 'calendar',
    requirementsAr: 'طلب الترخيص على النموذج المعتمد، سند الملكية، الرسومات الهندسية معتمدة من مهندس نقابي، بيان صلاحية الموقع للبناء، وثيقة تأمين المسؤولية المدنية، صورة البطاقة. تسدد الرسوم بعد المراجعة الفنية.',
    requirementsEn: 'Application form, title deed, engineering drawings signed by a syndicate engineer, site-suitability statement, civil-liability insurance policy, ID copy. Fees are paid after the technical review.',
    checklist: [
      { ar: 'طلب الترخيص على النموذج المعتمد', en: 'Permit application form' },
      { ar: 'سند الملكية أو ما يفيد الحيازة', en: 'Title deed or proof of possession' },
      { ar: 'الرسومات الهندسية (معماري وإنشائي) معتمدة من مهندس نقابي', en: 'Architectural and structural drawings signed by a syndicate engineer' },
      { ar: 'بيان صلاحية الموقع للبناء', en: 'Site-suitability statement' },
      { ar: 'وثيقة تأمين المسؤولية المدنية', en: 'Civil-liability insurance policy' },
      ID,
    ],
    fees: [
      { code: 'REVIEW', ar: 'رسم فحص الرسومات', en: 'Drawings review fee', kind: 'fixed', amount: EGP(500) },
      { code: 'PERMIT', ar: 'رسم الترخيص (حسب المساحة)', en: 'Permit fee (by floor area)', kind: 'variable', min: EGP(100), max: EGP(100_000) },
    ],
  },
  {
    code: 'SHOP-LIC', department: 'LIC', ar: 'ترخيص محل', en: 'Shop license', days: 30, kind: 'calendar',
    requirementsAr: 'عقد الإيجار أو سند الحيازة، صورة البطاقة، صحيفة الحالة الجنائية، رسم كروكي للمحل، شهادة بيانات الموقع.',
    requirementsEn: 'Lease or proof of possession, ID copy, criminal record certificate, sketch of the shop, site data certificate.',
    checklist: [
      { ar: 'عقد الإيجار أو سند الحيازة', en: 'Lease or proof of possession' },
      ID,
      { ar: 'صحيفة الحالة الجنائية', en: 'Criminal record certificate' },
      { ar: 'رسم كروكي للمحل', en: 'Sketch of the shop' },
      { ar: 'شهادة بيانات الموقع', en: 'Site data certificate', required: false },
    ],
    fees: [
      { code: 'INSPECT', ar: 'رسم المعاينة', en: 'Inspection fee', kind: 'fixed', amount: EGP(100) },
      { code: 'LICENSE', ar: 'رسم الترخيص (حسب النشاط والمساحة)', en: 'License fee (by activity and area)', kind: 'variable', min: EGP(200), max: EGP(10_000) },
    ],
  },
  {
    code: 'UTIL-CONN', department: 'ENG', ar: 'موافقة توصيل مرافق', en: 'Utility connection approval', days: 15, kind: 'working',
    requirementsAr: 'طلب موافقة توصيل (كهرباء أو مياه أو غاز)، صورة ترخيص البناء أو ما يفيد التصالح، صورة البطاقة.',
    requirementsEn: 'Connection request (electricity, water or gas), copy of the building permit or reconciliation, ID copy.',
    checklist: [
      { ar: 'طلب موافقة التوصيل محدداً به المرفق', en: 'Connection request naming the utility' },
      { ar: 'صورة ترخيص البناء أو قرار التصالح', en: 'Building permit or reconciliation decision' },
      ID,
    ],
    fees: [{ code: 'APPROVAL', ar: 'رسم الموافقة', en: 'Approval fee', kind: 'fixed', amount: EGP(150) }],
  },
  {
    code: 'VIOL-RECON', department: 'ENG', ar: 'التصالح في مخالفات البناء', en: 'Building-violation reconciliation', days: 120, kind: 'calendar',
    requirementsAr: 'طلب التصالح، تقرير هندسي بالسلامة الإنشائية من مهندس نقابي، صور فوتوغرافية للمبنى، سند الملكية، صورة البطاقة، سداد رسم الفحص ومقابل جدية التصالح.',
    requirementsEn: 'Reconciliation request, structural-safety report by a syndicate engineer, photographs of the building, title deed, ID copy, inspection fee and good-faith deposit.',
    checklist: [
      { ar: 'طلب التصالح على النموذج المعتمد', en: 'Reconciliation request form' },
      { ar: 'تقرير هندسي بالسلامة الإنشائية', en: 'Structural-safety report' },
      { ar: 'صور فوتوغرافية حديثة للمبنى', en: 'Recent photographs of the building' },
      { ar: 'سند الملكية', en: 'Title deed' },
      ID,
    ],
    fees: [
      { code: 'INSPECT', ar: 'رسم فحص الطلب', en: 'Request inspection fee', kind: 'variable', min: EGP(500), max: EGP(5_000) },
      { code: 'DEPOSIT', ar: 'مقابل جدية التصالح', en: 'Good-faith deposit', kind: 'variable', min: EGP(1_000), max: EGP(1_000_000) },
    ],
  },
  {
    code: 'CERT-DATA', department: 'PROP', ar: 'شهادة بيانات', en: 'Property data certificate', days: 7, kind: 'working',
    requirementsAr: 'طلب الشهادة موضحاً به العقار، صورة البطاقة، صورة سند الملكية إن وجد.',
    requirementsEn: 'Certificate request naming the property, ID copy, title deed copy if any.',
    checklist: [
      { ar: 'طلب الشهادة موضحاً به العقار', en: 'Request naming the property' },
      ID,
      { ar: 'صورة سند الملكية', en: 'Copy of the title deed', required: false },
    ],
    fees: [{ code: 'CERT', ar: 'رسم الشهادة', en: 'Certificate fee', kind: 'fixed', amount: EGP(50) }],
  },
  {
    code: 'CERT-FIT', department: 'ENG', ar: 'شهادة صلاحية', en: 'Fitness certificate (building)', days: 15, kind: 'working',
    requirementsAr: 'طلب الشهادة، تقرير هندسي من مهندس نقابي، صورة ترخيص البناء، صورة البطاقة.',
    requirementsEn: 'Request, engineer\'s report, building permit copy, ID copy.',
    checklist: [
      { ar: 'طلب شهادة الصلاحية', en: 'Certificate request' },
      { ar: 'تقرير هندسي من مهندس نقابي', en: 'Syndicate engineer\'s report' },
      { ar: 'صورة ترخيص البناء', en: 'Building permit copy' },
      ID,
    ],
    fees: [{ code: 'CERT', ar: 'رسم الشهادة', en: 'Certificate fee', kind: 'fixed', amount: EGP(300) }],
  },
  {
    code: 'HOUSING-RENT', department: 'HOUSING', ar: 'سداد إيجار وحدة سكنية', en: 'Housing unit rent payment', days: 0, kind: 'calendar', withoutFile: true,
    requirementsAr: 'رقم الوحدة أو آخر إيصال سداد، صورة البطاقة.',
    requirementsEn: 'Unit number or the last receipt, ID copy.',
    checklist: [{ ar: 'آخر إيصال سداد أو رقم الوحدة', en: 'Last receipt or unit number' }, ID],
    fees: [{ code: 'RENT', ar: 'قيمة الإيجار المستحق', en: 'Rent due', kind: 'variable', min: EGP(1), max: EGP(50_000) }],
  },
  {
    code: 'GRIEVANCE', department: 'LEGAL', ar: 'تظلم من قرار إداري', en: 'Administrative grievance', days: 60, kind: 'calendar',
    requirementsAr: 'مذكرة التظلم موضحاً بها القرار وتاريخه، صورة القرار إن وجدت، صورة البطاقة. بدون رسوم.',
    requirementsEn: 'Grievance memo naming the decision and its date, copy of the decision if any, ID copy. No fee.',
    checklist: [
      { ar: 'مذكرة التظلم', en: 'Grievance memo' },
      { ar: 'صورة القرار المتظلم منه', en: 'Copy of the decision', required: false },
      ID,
    ],
    fees: [],
  },
];

// Official holidays (2026; the lunar ones as expected, confirmed yearly by decree).
export const DEMO_HOLIDAYS: { day: string; ar: string }[] = [
  { day: '2026-01-07', ar: 'عيد الميلاد المجيد' },
  { day: '2026-01-25', ar: 'عيد الشرطة وثورة 25 يناير' },
  { day: '2026-03-19', ar: 'عيد الفطر' },
  { day: '2026-03-20', ar: 'عيد الفطر' },
  { day: '2026-03-21', ar: 'عيد الفطر' },
  { day: '2026-04-13', ar: 'شم النسيم' },
  { day: '2026-04-25', ar: 'عيد تحرير سيناء' },
  { day: '2026-05-01', ar: 'عيد العمال' },
  { day: '2026-05-26', ar: 'وقفة عرفات' },
  { day: '2026-05-27', ar: 'عيد الأضحى' },
  { day: '2026-05-28', ar: 'عيد الأضحى' },
  { day: '2026-05-29', ar: 'عيد الأضحى' },
  { day: '2026-06-16', ar: 'رأس السنة الهجرية' },
  { day: '2026-06-30', ar: 'ذكرى ثورة 30 يونيو' },
  { day: '2026-07-23', ar: 'عيد ثورة 23 يوليو' },
  { day: '2026-08-25', ar: 'المولد النبوي الشريف' },
  { day: '2026-10-06', ar: 'عيد القوات المسلحة' },
  { day: '2027-01-07', ar: 'عيد الميلاد المجيد' },
  { day: '2027-01-25', ar: 'عيد الشرطة وثورة 25 يناير' },
];

/** Seed the demo catalog when there are no departments yet. Returns whether it seeded. */
export function seedDemoCatalog(ctx: HubContext): boolean {
  const { db } = ctx;
  if ((db.prepare('SELECT count(*) AS n FROM departments').get() as { n: number }).n > 0) return false;
  ctx.uow.run(() => {
    const dept = db.prepare('INSERT INTO departments (code, name_ar, name_en, demo) VALUES (?, ?, ?, 1)');
    const deptId = new Map<string, number>();
    for (const d of DEMO_DEPARTMENTS) deptId.set(d.code, Number(dept.run(d.code, d.ar, d.en).lastInsertRowid));
    for (const s of DEMO_SERVICES) {
      ctx.catalog.createService({
        code: s.code, departmentId: deptId.get(s.department)!, nameAr: s.ar, nameEn: s.en,
        legalPeriodDays: s.days, periodKind: s.kind, requirementsAr: s.requirementsAr, requirementsEn: s.requirementsEn, withoutFile: s.withoutFile,
        checklist: s.checklist.map((c) => ({ labelAr: c.ar, labelEn: c.en, required: c.required ?? true })),
        fees: s.fees.map((f) => f.kind === 'fixed'
          ? { code: f.code, labelAr: f.ar, labelEn: f.en, kind: 'fixed' as const, amountPiasters: f.amount }
          : { code: f.code, labelAr: f.ar, labelEn: f.en, kind: 'variable' as const, minPiasters: f.min, maxPiasters: f.max }),
      }, actorKey(SYSTEM), { demo: true });
    }
    const hol = db.prepare('INSERT OR IGNORE INTO holidays (day, name_ar) VALUES (?, ?)');
    for (const h of DEMO_HOLIDAYS) hol.run(h.day, h.ar);
    ctx.audit.append({ actor: actorKey(SYSTEM), action: 'catalog.seed_demo', entity: 'catalog', entityId: 'demo', after: { departments: DEMO_DEPARTMENTS.length, services: DEMO_SERVICES.length } });
  });
  return true;
}
