// Open311 GeoReport v2 rules that do not depend on HTTP (issue 14 item 4): which attributes
// each service (a department, by its code) declares, how a submission's attribute[…] values
// are checked against them, the language of the answer, and the limits per api_key.
// Spec: GeoReport v2, "GET Service Definition" (attributes: variable, code, datatype,
// required, datatype_description, order, description, values{key,name}) and "POST Service
// Request" (attribute[code]=value; attribute[code][]=v1&attribute[code][]=v2 for a
// multivaluelist). Pure: the routes (hub/routes/open311) render and parse; this decides.
import { DomainError, type ErrorDetail } from './errors.ts';

export type Lang = 'ar' | 'en';
export type Datatype = 'string' | 'number' | 'datetime' | 'text' | 'singlevaluelist' | 'multivaluelist';
export type Text = { ar: string; en: string };

export type AttributeDef = {
  code: string;
  datatype: Datatype;
  required: boolean;
  order: number;
  description: Text;
  datatypeDescription: Text | null;
  values?: { key: string; name: Text }[];
};

/** Every service: a national ID, when given, links the complaint to the citizen (status page, SMS). */
const NATIONAL_ID: AttributeDef = {
  code: 'national_id', datatype: 'string', required: false, order: 1,
  description: { ar: 'الرقم القومي لمقدم الشكوى (اختياري، ليتابعها على صفحة الاستعلام)', en: "The complainant's national ID (optional: to follow the complaint on the status page)" },
  datatypeDescription: { ar: '14 رقماً', en: '14 digits' },
};

/**
 * The declared attributes by department code, beyond the national ID. A department not
 * listed declares only the national ID. The engineering department must know at once
 * whether people are in danger; cleaning routes its crews by the kind of waste.
 */
const BY_SERVICE: Record<string, AttributeDef[]> = {
  ENG: [{
    code: 'hazard', datatype: 'singlevaluelist', required: true, order: 2,
    description: { ar: 'هل يوجد خطر على الناس؟', en: 'Is anyone in danger?' },
    datatypeDescription: null,
    values: [
      { key: 'imminent', name: { ar: 'نعم، خطر داهم الآن (انهيار أو سقوط أجزاء)', en: 'Yes, imminent danger (collapse or falling parts)' } },
      { key: 'cracks', name: { ar: 'شروخ أو تصدعات بلا خطر داهم', en: 'Cracks without imminent danger' } },
      { key: 'violation', name: { ar: 'مخالفة بناء', en: 'Building violation' } },
    ],
  }],
  CLEAN: [{
    code: 'waste', datatype: 'multivaluelist', required: false, order: 2,
    description: { ar: 'نوع المخلفات', en: 'Kind of waste' },
    datatypeDescription: null,
    values: [
      { key: 'household', name: { ar: 'مخلفات منزلية', en: 'Household waste' } },
      { key: 'construction', name: { ar: 'مخلفات بناء', en: 'Construction debris' } },
      { key: 'burning', name: { ar: 'حرق مخلفات', en: 'Waste being burnt' } },
    ],
  }],
};

export function serviceAttributes(serviceCode: string): AttributeDef[] {
  return [NATIONAL_ID, ...(BY_SERVICE[serviceCode] ?? [])].sort((a, b) => a.order - b.order);
}

export type AttributeValues = Record<string, string | string[]>;

const LIMIT: Record<Datatype, number> = { string: 200, text: 4000, number: 40, datetime: 40, singlevaluelist: 100, multivaluelist: 100 };

/**
 * The declared attributes' values, checked; `ignored` lists the codes this service does not
 * declare. Those are accepted and dropped, not refused: the specification defines no error
 * for them, and generic clients (one form for every service, or a newer definition than the
 * one cached) send them — refusing would lose the citizen's complaint over a field nobody
 * here reads. A required attribute missing, a value outside its list, a non-number for a
 * number: refused with the attribute named (attribute[code]).
 */
export function checkAttributes(defs: AttributeDef[], raw: AttributeValues): { values: AttributeValues; ignored: string[] } {
  const details: ErrorDetail[] = [];
  const values: AttributeValues = {};
  const declared = new Set(defs.map((d) => d.code));
  const bad = (d: AttributeDef, ar: string, en: string) => details.push({ path: `/attribute[${d.code}]`, message: `${ar} — ${en}` });
  for (const d of defs) {
    const v = raw[d.code];
    const list = v === undefined ? [] : (Array.isArray(v) ? v : [v]).map((x) => String(x).trim()).filter((x) => x !== '');
    if (!list.length) {
      if (d.required) bad(d, `مطلوب: ${d.description.ar}`, `required: ${d.description.en}`);
      continue;
    }
    if (list.some((x) => x.length > LIMIT[d.datatype])) { bad(d, 'القيمة أطول من المسموح', 'value too long'); continue; }
    if (d.datatype !== 'multivaluelist' && list.length > 1) { bad(d, 'قيمة واحدة فقط', 'one value only'); continue; }
    switch (d.datatype) {
      case 'number':
        if (!Number.isFinite(Number(list[0]))) { bad(d, 'يجب أن تكون رقماً', 'must be a number'); continue; }
        break;
      case 'datetime':
        if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/.test(list[0]) || Number.isNaN(Date.parse(list[0]))) {
          bad(d, 'تاريخ ووقت بصيغة ISO 8601 مع المنطقة الزمنية', 'an ISO 8601 date-time with its offset'); continue;
        }
        break;
      case 'singlevaluelist':
      case 'multivaluelist': {
        const keys = new Set(d.values!.map((x) => x.key));
        const wrong = list.filter((x) => !keys.has(x));
        if (wrong.length) { bad(d, `قيمة غير معروفة: ${wrong.join(', ')}`, `unknown value ${wrong.join(', ')}; one of ${[...keys].join(', ')}`); continue; }
        break;
      }
      default:
        break;
    }
    values[d.code] = d.datatype === 'multivaluelist' ? [...new Set(list)] : list[0];
  }
  if (details.length) {
    throw new DomainError('VALIDATION', 'بيانات الخدمة الإضافية غير صحيحة', { en: `Invalid attribute: ${details.map((x) => x.path.slice(1)).join(', ')}`, details });
  }
  return { values, ignored: Object.keys(raw).filter((k) => !declared.has(k)) };
}

/**
 * The answer's language: English when the client prefers it (Accept-Language), Arabic
 * otherwise — the center's own language comes first. GeoReport v2 has no language field;
 * HTTP's negotiation is what stock clients send.
 */
export function pickLang(acceptLanguage: string | undefined): Lang {
  if (!acceptLanguage) return 'ar';
  const ranked = acceptLanguage.split(',').map((part, i) => {
    const [tag, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => /^\s*q=([\d.]+)/.exec(p)?.[1]).find(Boolean);
    return { tag: tag.trim(), q: q === undefined ? 1 : Number(q), i };
  }).filter((x) => x.tag && x.q > 0).sort((a, b) => b.q - a.q || a.i - b.i);
  for (const r of ranked) {
    if (r.tag === 'ar' || r.tag.startsWith('ar-')) return 'ar';
    if (r.tag === 'en' || r.tag.startsWith('en-')) return 'en';
  }
  return 'ar';
}

/** Submissions per api_key per window: a city app's peak hour, not a flood (GeoReport v2 leaves the limit to the server). */
export const OPEN311_KEY_RATE = { max: 30, windowMs: 10 * 60_000 };
