// Open311 GeoReport v2 for complaints (issue 14 item 4), so stock civic clients can file and
// follow them. Registered under /open311:
//   GET  /open311/discovery.{xml,json}           service discovery (spec: "Service Discovery")
//   GET  /open311/v2/services.{xml,json}         one service per department
//   GET  /open311/v2/services/<code>.{xml,json}  its definition: the declared attributes
//   GET  /open311/v2/requests.{xml,json}         complaints; service_request_id, service_code
//                                                and status comma-separated, start/end_date
//   GET  /open311/v2/requests/<id>.{xml,json}    one complaint
//   POST /open311/v2/requests.{xml,json}         file one: api_key required, form or JSON body
// Every answer in XML or JSON by the extension (format.ts); every 4xx — unknown routes too —
// in GeoReport's error shape (<errors><error><code/><description/></error></errors>, or the
// JSON array [{code, description}]), with the hub's stable error_code and an Arabic
// description_ar beside them. CORS is open: reads need nothing, a POST needs its api_key
// (access 'open311_key', checked by the guard; no cookie is ever read here, so any origin
// may call). Requests carry no personal data;
// the service_request_id is the complaint's inquiry number. Names and descriptions are
// Arabic, or English when the client's Accept-Language prefers it.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { DomainError } from '../../domain/errors.ts';
import { ApiError, fromDomain } from '../../http/errors.ts';
import type { Complaint } from '../../services/complaints.ts';
import type { ComplaintStatus } from '../../domain/complaints.ts';
import { checkAttributes, OPEN311_KEY_RATE, pickLang, serviceAttributes, type Lang } from '../../domain/open311.ts';
import { WindowCounter } from '../public/rate-limit.ts';
import { attributesOf, CONTENT_TYPE, formatOfUrl, parseForm, ROOT, splitExtension, toXml, type Format } from './format.ts';

/** GET reads per address per minute: a dashboard's polling, not a scrape. */
export const OPEN311_READS = { max: 60, timeWindow: '1 minute' };
/** When this API last changed (discovery's changeset). */
export const OPEN311_CHANGESET = '2026-11-30T00:00:00Z';
export const GEOREPORT_V2 = 'http://wiki.open311.org/GeoReport_v2';

/** GeoReport's two statuses over the complaint's four. */
const STATUS_GROUPS: Record<'open' | 'closed', ComplaintStatus[]> = { open: ['registered', 'with_department'], closed: ['answered', 'closed'] };
const Iso = Type.String({ format: 'date-time' });

/** An instant as ISO 8601 with the Cairo offset, as GeoReport asks (w3c format). */
function iso(ms: number, timeZone: string): string {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-CA', {
    timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZoneName: 'longOffset',
  }).formatToParts(ms).map((p) => [p.type, p.value]));
  const offset = parts.timeZoneName === 'GMT' ? '+00:00' : String(parts.timeZoneName).replace('GMT', '');
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${offset}`;
}

const geoError = (status: number, code: string, ar: string, en: string) => new ApiError(status, code, ar, undefined, en);
const notFound = () => geoError(404, 'NOT_FOUND', 'لا يوجد مورد Open311 بهذا العنوان', 'No such GeoReport v2 resource');

/** Send `value` in the request's format; lists go under their XML root element. */
function answer(reply: FastifyReply, format: Format, root: string, value: Parameters<typeof toXml>[1], status = 200): FastifyReply {
  reply.status(status).header('content-type', CONTENT_TYPE[format]);
  return reply.send(format === 'xml' ? toXml(root, value) : JSON.stringify(value));
}

export const open311Routes: FastifyPluginAsyncTypebox = async (app) => {
  const { complaints, catalog, config, clock } = app.hub;
  const tz = config.timezone;
  const perKey = new WindowCounter(OPEN311_KEY_RATE.max, OPEN311_KEY_RATE.windowMs, clock);
  const lang = (req: FastifyRequest): Lang => pickLang(req.headers['accept-language']);

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16 * 1024 }, (_req, body, done) => {
    done(null, parseForm(body as string));
  });

  // CORS (Fetch standard) for browser clients on any origin, on every answer here, errors included.
  app.addHook('onSend', async (req, reply) => {
    reply.header('access-control-allow-origin', '*');
    reply.header('access-control-expose-headers', 'retry-after, content-language');
    // Helmet's same-origin resource policy is for the panels; this API is meant to be read cross-origin.
    reply.header('cross-origin-resource-policy', 'cross-origin');
    reply.header('vary', 'accept-language');
    if (reply.statusCode < 400) reply.header('content-language', lang(req));
  });
  // The preflight of a browser's POST with a JSON body (or any non-simple request).
  app.options('/*', { config: { access: 'public' }, schema: { hide: true } }, async (_req, reply) => {
    reply.header('access-control-allow-methods', 'GET, POST, OPTIONS');
    reply.header('access-control-allow-headers', 'content-type, accept-language');
    reply.header('access-control-max-age', '86400');
    return reply.status(204).send();
  });

  /** An error in GeoReport's shape, in the format the URL asks for. */
  const sendError = (req: FastifyRequest, reply: FastifyReply, status: number, code: string, en: string, ar: string) =>
    answer(reply, formatOfUrl(req.url), ROOT.errors, [{ code: status, description: en, description_ar: ar, error_code: code }], status);

  app.setNotFoundHandler((req, reply) => {
    const e = notFound();
    void sendError(req, reply, 404, e.code, `${e.messageEn}: ${req.method} ${req.url.split('?')[0]}`, e.message);
  });

  app.setErrorHandler((e: FastifyError | ApiError | DomainError, req, reply) => {
    // A service's refusal (DomainError) takes its HTTP status from the one table in hub/http.
    const err = e instanceof DomainError ? fromDomain(e) : e;
    const status = err instanceof ApiError ? err.statusCode : err.validation ? 400 : err.statusCode && err.statusCode < 500 ? err.statusCode : 500;
    const code = err instanceof ApiError ? err.code : err.validation ? 'VALIDATION' : status === 429 ? 'RATE_LIMITED' : status === 404 ? 'NOT_FOUND' : status >= 500 ? 'INTERNAL' : 'ERROR';
    const en = err instanceof ApiError ? (err.messageEn ?? err.message) : status >= 500 ? 'Internal error' : err.message;
    const ar = err instanceof ApiError ? err.message : err.validation ? 'البيانات المرسلة غير صحيحة' : status >= 500 ? 'خطأ داخلي' : 'طلب غير صالح';
    if (status >= 500) app.log.error({ err }, 'open311 request failed');
    const details = err instanceof ApiError && err.details?.length ? `: ${err.details.map((d) => `${d.path} ${d.message}`).join('; ')}` : '';
    void sendError(req, reply, status, code, en + details, ar + details);
  });

  /** A route registered once per extension (.xml and .json). */
  const both = (fn: (format: Format) => void) => {
    for (const f of ['xml', 'json'] as const) fn(f);
  };
  const departments = () => new Map(catalog.departments().map((d) => [d.id, d]));

  const view = (c: Complaint, l: Lang, depts = departments()) => {
    const d = depts.get(c.departmentId)!;
    const own = c.channel === 'open311';
    return {
      service_request_id: c.inquiryDisplay,
      status: STATUS_GROUPS.closed.includes(c.status) ? 'closed' : 'open',
      status_notes: c.publicNote,
      service_name: l === 'en' ? d.nameEn : d.nameAr,
      service_code: d.code,
      // A complaint at the window may be personal: only what was published through Open311 is shown.
      description: own ? c.body : null,
      agency_responsible: l === 'en' ? d.nameEn : d.nameAr,
      service_notice: null,
      requested_datetime: iso(c.registeredAt, tz),
      updated_datetime: iso(c.updatedAt, tz),
      expected_datetime: iso(catalog.endOfDay(c.dueDay), tz),
      address: own ? c.address : null,
      address_id: own ? c.addressId : null,
      zipcode: null,
      lat: own ? c.lat : null,
      long: own ? c.long : null,
      media_url: null,
    };
  };

  // ---- discovery ----
  both((f) => app.get(`/discovery.${f}`, {
    config: { access: 'public', rateLimit: OPEN311_READS },
    schema: { tags: ['open311'], summary: `Open311 service discovery (${f.toUpperCase()})` },
  }, async (req, reply) => {
    const l = lang(req);
    return answer(reply, f, 'discovery', {
      changeset: OPEN311_CHANGESET,
      contact: l === 'en' ? `${config.centerName}: the center's administrator` : `${config.centerName}: مدير النظام بالمركز`,
      key_service: l === 'en'
        ? "An api_key to file complaints is issued by the center's administrator (Shubbak → Open311 keys)."
        : 'مفتاح api_key لتقديم الشكاوى يصدره مدير النظام بالمركز (شبّاك ← مفاتيح Open311).',
      endpoints: [{
        specification: GEOREPORT_V2,
        url: `${req.protocol}://${req.host}/open311/v2`,
        changeset: OPEN311_CHANGESET,
        type: 'production',
        formats: [CONTENT_TYPE.xml.split(';')[0], CONTENT_TYPE.json.split(';')[0]],
      }],
    });
  }));

  // ---- services ----
  both((f) => app.get(`/v2/services.${f}`, {
    config: { access: 'public', rateLimit: OPEN311_READS },
    schema: { tags: ['open311'], summary: `GeoReport v2: complaint services, one per department (${f.toUpperCase()})`,
      querystring: Type.Object({ jurisdiction_id: Type.Optional(Type.String({ maxLength: 100 })) }) },
  }, async (req, reply) => {
    const l = lang(req);
    return answer(reply, f, ROOT.services, catalog.departments().filter((d) => d.active).map((d) => ({
      service_code: d.code,
      service_name: l === 'en' ? d.nameEn : d.nameAr,
      description: l === 'en' ? `A complaint to the ${d.nameEn}` : `شكوى إلى ${d.nameAr}`,
      metadata: serviceAttributes(d.code).length > 0,
      type: 'realtime',
      keywords: l === 'en' ? 'complaint' : 'شكوى',
      group: l === 'en' ? 'Complaints' : 'الشكاوى',
    })));
  }));

  app.get('/v2/services/:file', {
    config: { access: 'public', rateLimit: OPEN311_READS },
    schema: { tags: ['open311'], summary: 'GeoReport v2: a service definition (its attributes), <code>.xml or <code>.json',
      params: Type.Object({ file: Type.String({ minLength: 1, maxLength: 40 }) }),
      querystring: Type.Object({ jurisdiction_id: Type.Optional(Type.String({ maxLength: 100 })) }) },
  }, async (req, reply) => {
    const name = splitExtension(req.params.file);
    const d = name ? catalog.departmentByCode(name.base) : null;
    if (!name || !d || !d.active) throw geoError(404, 'UNKNOWN_SERVICE', 'رمز الخدمة غير معروف', 'No such service_code');
    const l = lang(req);
    return answer(reply, name.format, 'service_definition', {
      service_code: d.code,
      attributes: serviceAttributes(d.code).map((a) => ({
        variable: true,
        code: a.code,
        datatype: a.datatype,
        required: a.required,
        datatype_description: a.datatypeDescription ? a.datatypeDescription[l] : null,
        order: a.order,
        description: a.description[l],
        values: (a.values ?? []).map((v) => ({ key: v.key, name: v.name[l] })),
      })),
    });
  });

  // ---- requests ----
  both((f) => app.get(`/v2/requests.${f}`, {
    config: { access: 'public', rateLimit: OPEN311_READS },
    schema: { tags: ['open311'], summary: `GeoReport v2: complaints, newest first (at most 1000, 90 days by default) (${f.toUpperCase()})`,
      querystring: Type.Object({
        service_request_id: Type.Optional(Type.String({ maxLength: 1000 })),
        service_code: Type.Optional(Type.String({ maxLength: 400 })),
        start_date: Type.Optional(Iso), end_date: Type.Optional(Iso),
        status: Type.Optional(Type.String({ maxLength: 40 })),
        jurisdiction_id: Type.Optional(Type.String({ maxLength: 100 })),
        api_key: Type.Optional(Type.String({ maxLength: 200 })),
      }) },
  }, async (req, reply) => {
    const q = req.query;
    const l = lang(req);
    const depts = departments();
    const list = (s: string) => [...new Set(s.split(',').map((x) => x.trim()).filter(Boolean))];
    // Spec: with service_request_id given, the other parameters are ignored.
    if (q.service_request_id) {
      const found = list(q.service_request_id).slice(0, 100).map((id) => complaints.byInquiry(id)).filter((c): c is Complaint => c !== null);
      return answer(reply, f, ROOT.requests, found.map((c) => view(c, l, depts)));
    }
    let statuses: ComplaintStatus[] | undefined;
    if (q.status) {
      const asked = list(q.status);
      const wrong = asked.filter((s) => s !== 'open' && s !== 'closed');
      if (wrong.length) throw new ApiError(400, 'VALIDATION', 'الحالة: open أو closed', [{ path: '/status', message: `unknown status ${wrong.join(', ')}` }], 'status is open, closed or both (comma-separated)');
      statuses = asked.flatMap((s) => STATUS_GROUPS[s as 'open' | 'closed']);
    }
    let departmentIds: number[] | undefined;
    if (q.service_code) {
      departmentIds = list(q.service_code).map((code) => catalog.departmentByCode(code)?.id).filter((x): x is number => x !== undefined);
    }
    const end = q.end_date ? Date.parse(q.end_date) : clock();
    const start = q.start_date ? Date.parse(q.start_date) : end - 90 * 86_400_000;
    if (start > end) throw new ApiError(400, 'VALIDATION', 'تاريخ البداية بعد تاريخ النهاية', [{ path: '/start_date', message: 'after end_date' }], 'start_date is after end_date');
    const found = complaints.list(null, { departmentIds, statuses, from: start, to: end, limit: 1000 });
    return answer(reply, f, ROOT.requests, found.map((c) => view(c, l, depts)));
  }));

  app.get('/v2/requests/:file', {
    config: { access: 'public', rateLimit: OPEN311_READS },
    schema: { tags: ['open311'], summary: 'GeoReport v2: one complaint, <id>.xml or <id>.json',
      params: Type.Object({ file: Type.String({ minLength: 1, maxLength: 60 }) }),
      querystring: Type.Object({ jurisdiction_id: Type.Optional(Type.String({ maxLength: 100 })) }) },
  }, async (req, reply) => {
    const name = splitExtension(req.params.file);
    if (!name) throw notFound();
    const c = complaints.byInquiry(name.base);
    if (!c) throw geoError(404, 'NOT_FOUND', 'لا توجد شكوى بهذا الرقم', 'No such service request');
    return answer(reply, name.format, ROOT.requests, [view(c, lang(req))]);
  });

  both((f) => app.post(`/v2/requests.${f}`, {
    config: { access: 'open311_key' },
    schema: { tags: ['open311'], summary: `GeoReport v2: file a complaint (api_key required; form-encoded or JSON) (${f.toUpperCase()})`,
      // Fields beyond these (attribute[…], a client's own extras) are read by name or ignored.
      body: Type.Object({
        api_key: Type.Optional(Type.String({ maxLength: 200 })),
        service_code: Type.String({ minLength: 1, maxLength: 24 }),
        description: Type.String({ minLength: 10, maxLength: 4000 }),
        lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
        long: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
        address_string: Type.Optional(Type.String({ maxLength: 300 })),
        address_id: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
        first_name: Type.Optional(Type.String({ maxLength: 60 })),
        last_name: Type.Optional(Type.String({ maxLength: 60 })),
        phone: Type.Optional(Type.String({ maxLength: 20 })),
        email: Type.Optional(Type.String({ maxLength: 120 })),
        jurisdiction_id: Type.Optional(Type.String({ maxLength: 100 })),
        device_id: Type.Optional(Type.String({ maxLength: 200 })),
        account_id: Type.Optional(Type.String({ maxLength: 200 })),
        media_url: Type.Optional(Type.String({ maxLength: 500 })),
      }, { additionalProperties: true }),
      querystring: Type.Object({ api_key: Type.Optional(Type.String({ maxLength: 200 })), jurisdiction_id: Type.Optional(Type.String({ maxLength: 100 })) }) },
    // The guard has checked the key (access 'open311_key', hub/auth/guard.ts); its use is counted here.
    preValidation: async (req, reply) => {
      const key = req.open311Key!;
      if (!perKey.take(String(key.id))) {
        const windowMs = OPEN311_KEY_RATE.windowMs;
        reply.header('retry-after', String(Math.ceil((windowMs - (clock() % windowMs)) / 1000)));
        throw geoError(429, 'RATE_LIMITED', `طلبات كثيرة بهذا المفتاح، الحد ${OPEN311_KEY_RATE.max} كل ${OPEN311_KEY_RATE.windowMs / 60_000} دقائق`,
          `Too many requests with this api_key: at most ${OPEN311_KEY_RATE.max} per ${OPEN311_KEY_RATE.windowMs / 60_000} minutes`);
      }
    },
  }, async (req, reply) => {
    const b = req.body;
    const l = lang(req);
    const dept = catalog.departmentByCode(b.service_code);
    if (!dept || !dept.active) throw new ApiError(400, 'UNKNOWN_SERVICE', 'رمز الخدمة غير معروف', [{ path: '/service_code', message: 'رمز الخدمة غير معروف' }], 'Unknown service_code');
    if ((b.lat === undefined) !== (b.long === undefined)) throw new ApiError(400, 'VALIDATION', 'أرسل خط العرض وخط الطول معاً', [{ path: '/long', message: 'lat and long go together' }], 'lat and long go together');
    // Spec: a location is lat & long, address_string or address_id.
    if (b.lat === undefined && !b.address_string && !b.address_id) {
      throw new ApiError(400, 'VALIDATION', 'حدد الموقع: العنوان أو الإحداثيات أو رقم العنوان', [{ path: '/address_string', message: 'lat/long, address_string or address_id is required' }],
        'A location is required: lat & long, address_string or address_id');
    }
    const { values } = checkAttributes(serviceAttributes(dept.code), attributesOf(b as Record<string, unknown>));
    const { national_id: nationalId, ...attributes } = values;
    const name = [b.first_name, b.last_name].filter(Boolean).join(' ').trim() || null;
    const c = complaints.registerOpen311({
      departmentId: dept.id, description: b.description, address: b.address_string ?? null, lat: b.lat ?? null, long: b.long ?? null,
      name, phone: b.phone ?? null, nationalId: typeof nationalId === 'string' ? nationalId : null,
      addressId: b.address_id ?? null, attributes, keyId: req.open311Key!.id,
    });
    return answer(reply, f, ROOT.requests, [{
      service_request_id: c.inquiryDisplay,
      service_notice: l === 'en'
        ? `Complaint ${c.inquiryDisplay} registered; an answer is due by ${c.dueDay}`
        : `تم تسجيل الشكوى برقم ${c.inquiryDisplay}، والرد متوقع حتى ${c.dueDay}`,
      account_id: null,
    }], 201);
  }));
};
