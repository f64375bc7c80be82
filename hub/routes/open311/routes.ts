// Open311 GeoReport v2 (JSON format) for complaints, so civic apps and city dashboards can
// file and follow them: service list (one service per department), request list, one
// request, and submission. Requests carry no personal data; the service_request_id is the
// complaint's inquiry number. Errors use GeoReport's shape: [{ code, description }].
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyError } from 'fastify';
import Type from 'typebox';
import { DomainError } from '../../domain/errors.ts';
import { ApiError, fromDomain } from '../../http/errors.ts';
import type { Complaint } from '../../services/complaints.ts';

/** Submissions per address per window: enough for a citizen, too few for a flood. */
export const OPEN311_SUBMISSIONS = { max: 5, timeWindow: '10 minutes' };

const GeoError = Type.Array(Type.Object({ code: Type.Integer(), description: Type.String(), description_ar: Type.String(), error_code: Type.String() }));
const ServiceDef = Type.Object({
  service_code: Type.String(), service_name: Type.String(), description: Type.String(), metadata: Type.Boolean(),
  type: Type.String(), keywords: Type.String(), group: Type.String(),
});
const Request = Type.Object({
  service_request_id: Type.String(), status: Type.String(), status_notes: Type.Union([Type.String(), Type.Null()]),
  service_name: Type.String(), service_code: Type.String(), description: Type.Union([Type.String(), Type.Null()]),
  agency_responsible: Type.String(), service_notice: Type.Union([Type.String(), Type.Null()]),
  requested_datetime: Type.String(), updated_datetime: Type.String(), expected_datetime: Type.String(),
  address: Type.Union([Type.String(), Type.Null()]), address_id: Type.Null(), zipcode: Type.Null(),
  lat: Type.Union([Type.Number(), Type.Null()]), long: Type.Union([Type.Number(), Type.Null()]), media_url: Type.Null(),
});
const Iso = Type.String({ format: 'date-time' });

/** An instant as ISO 8601 with the Cairo offset, as GeoReport asks (w3c format). */
function iso(ms: number, timeZone: string): string {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-CA', {
    timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZoneName: 'longOffset',
  }).formatToParts(ms).map((p) => [p.type, p.value]));
  const offset = parts.timeZoneName === 'GMT' ? '+00:00' : String(parts.timeZoneName).replace('GMT', '');
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${offset}`;
}

export const open311Routes: FastifyPluginAsyncTypebox = async (app) => {
  const { complaints, catalog, config } = app.hub;
  const tz = config.timezone;

  // GeoReport clients post HTML-form bodies; fields may repeat as attribute[x].
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16 * 1024 }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
  app.setErrorHandler((e: FastifyError | ApiError | DomainError, _req, reply) => {
    // A service's refusal (DomainError) takes its HTTP status from the one table in hub/http.
    const err = e instanceof DomainError ? fromDomain(e) : e;
    const status = err instanceof ApiError ? err.statusCode : err.validation ? 400 : err.statusCode && err.statusCode < 500 ? err.statusCode : 500;
    const code = err instanceof ApiError ? err.code : err.validation ? 'VALIDATION' : status === 429 ? 'RATE_LIMITED' : status >= 500 ? 'INTERNAL' : 'ERROR';
    const en = err instanceof ApiError ? (err.messageEn ?? err.message) : status >= 500 ? 'Internal error' : err.message;
    const ar = err instanceof ApiError ? err.message : err.validation ? 'البيانات المرسلة غير صحيحة' : status >= 500 ? 'خطأ داخلي' : 'طلب غير صالح';
    if (status >= 500) app.log.error({ err }, 'open311 request failed');
    const details = err instanceof ApiError && err.details?.length ? `: ${err.details.map((d) => `${d.path} ${d.message}`).join('; ')}` : '';
    void reply.status(status).send([{ code: status, description: en + details, description_ar: ar + details, error_code: code }]);
  });

  const departments = () => new Map(catalog.departments().map((d) => [d.id, d]));
  const view = (c: Complaint, depts = departments()) => {
    const d = depts.get(c.departmentId)!;
    return {
      service_request_id: c.inquiryDisplay,
      status: c.status === 'closed' || c.status === 'answered' ? 'closed' : 'open',
      status_notes: c.publicNote,
      service_name: d.nameAr,
      service_code: d.code,
      // A complaint at the window may be personal: only what was published through Open311 is shown.
      description: c.channel === 'open311' ? c.body : null,
      agency_responsible: d.nameAr,
      service_notice: null,
      requested_datetime: iso(c.registeredAt, tz),
      updated_datetime: iso(c.updatedAt, tz),
      expected_datetime: iso(catalog.endOfDay(c.dueDay), tz),
      address: c.channel === 'open311' ? c.address : null,
      address_id: null, zipcode: null,
      lat: c.channel === 'open311' ? c.lat : null,
      long: c.channel === 'open311' ? c.long : null,
      media_url: null,
    };
  };

  app.get('/open311/v2/services.json', {
    config: { access: 'public' },
    schema: { tags: ['open311'], summary: 'GeoReport v2: complaint services (one per department)', response: { 200: Type.Array(ServiceDef) } },
  }, async () => catalog.departments().filter((d) => d.active).map((d) => ({
    service_code: d.code, service_name: d.nameAr, description: `شكوى إلى ${d.nameAr} — complaint to the ${d.nameEn}`,
    metadata: false, type: 'realtime', keywords: 'شكوى,complaint', group: 'الشكاوى',
  })));

  app.get('/open311/v2/requests.json', {
    config: { access: 'public', rateLimit: { max: 60, timeWindow: '1 minute' } },
    schema: { tags: ['open311'], summary: 'GeoReport v2: complaints, newest first (at most 1000, 90 days by default)',
      querystring: Type.Object({
        service_request_id: Type.Optional(Type.String({ maxLength: 400 })),
        service_code: Type.Optional(Type.String({ maxLength: 24 })),
        start_date: Type.Optional(Iso), end_date: Type.Optional(Iso),
        status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('closed'), Type.Literal('open,closed'), Type.Literal('closed,open')])),
      }),
      response: { 200: Type.Array(Request), 400: GeoError } },
  }, async (req) => {
    const q = req.query;
    const depts = departments();
    if (q.service_request_id) {
      return q.service_request_id.split(',').slice(0, 50).map((id) => complaints.byInquiry(id))
        .filter((c): c is Complaint => c !== null).map((c) => view(c, depts));
    }
    const end = q.end_date ? Date.parse(q.end_date) : app.hub.clock();
    const start = q.start_date ? Date.parse(q.start_date) : end - 90 * 86_400_000;
    const code = q.service_code ? catalog.departmentByCode(q.service_code) : null;
    if (q.service_code && !code) return [];
    return complaints.list(null, { departmentId: code?.id, limit: 1000 })
      .filter((c) => c.registeredAt >= start && c.registeredAt <= end)
      .map((c) => view(c, depts))
      .filter((r) => !q.status || q.status.includes(r.status));
  });

  app.get('/open311/v2/requests/:id.json', {
    config: { access: 'public', rateLimit: { max: 60, timeWindow: '1 minute' } },
    schema: { tags: ['open311'], summary: 'GeoReport v2: one complaint', params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 40 }) }),
      response: { 200: Type.Array(Request), 404: GeoError } },
  }, async (req) => {
    const c = complaints.byInquiry(req.params.id);
    if (!c) throw new ApiError(404, 'NOT_FOUND', 'لا توجد شكوى بهذا الرقم', undefined, 'No such service request');
    return [view(c)];
  });

  app.post('/open311/v2/requests.json', {
    config: { access: 'public', rateLimit: OPEN311_SUBMISSIONS },
    schema: { tags: ['open311'], summary: 'GeoReport v2: submit a complaint (JSON or form-encoded)',
      body: Type.Object({
        service_code: Type.String({ minLength: 1, maxLength: 24 }),
        description: Type.String({ minLength: 10, maxLength: 4000 }),
        lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
        long: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
        address_string: Type.Optional(Type.String({ maxLength: 300 })),
        first_name: Type.Optional(Type.String({ maxLength: 60 })),
        last_name: Type.Optional(Type.String({ maxLength: 60 })),
        phone: Type.Optional(Type.String({ maxLength: 20 })),
        email: Type.Optional(Type.String({ maxLength: 120 })),
        api_key: Type.Optional(Type.String({ maxLength: 200 })),
        jurisdiction_id: Type.Optional(Type.String({ maxLength: 100 })),
        device_id: Type.Optional(Type.String({ maxLength: 200 })),
        account_id: Type.Optional(Type.String({ maxLength: 200 })),
        media_url: Type.Optional(Type.String({ maxLength: 500 })),
        'attribute[national_id]': Type.Optional(Type.String({ maxLength: 32 })),
      }, { additionalProperties: false }),
      response: { 201: Type.Array(Type.Object({ service_request_id: Type.String(), service_notice: Type.String(), account_id: Type.Null() })), 400: GeoError } },
  }, async (req, reply) => {
    const b = req.body;
    const dept = catalog.departmentByCode(b.service_code);
    if (!dept || !dept.active) throw new ApiError(400, 'UNKNOWN_SERVICE', 'رمز الخدمة غير معروف', [{ path: '/service_code', message: 'رمز الخدمة غير معروف' }], 'Unknown service_code');
    if ((b.lat === undefined) !== (b.long === undefined)) throw new ApiError(400, 'VALIDATION', 'أرسل خط العرض وخط الطول معاً', [{ path: '/long', message: 'lat and long go together' }], 'lat and long go together');
    if (b.lat === undefined && !b.address_string) {
      throw new ApiError(400, 'VALIDATION', 'حدد الموقع: العنوان أو الإحداثيات', [{ path: '/address_string', message: 'lat/long or address_string is required' }], 'A location is required: lat & long or address_string');
    }
    const name = [b.first_name, b.last_name].filter(Boolean).join(' ').trim() || null;
    const c = complaints.registerOpen311({
      departmentId: dept.id, description: b.description, address: b.address_string ?? null, lat: b.lat ?? null, long: b.long ?? null,
      name, phone: b.phone ?? null, nationalId: b['attribute[national_id]'] || null,
    });
    return reply.status(201).send([{
      service_request_id: c.inquiryDisplay,
      service_notice: `تم تسجيل الشكوى برقم ${c.inquiryDisplay}، والرد متوقع حتى ${c.dueDay}`,
      account_id: null,
    }]);
  });
};
