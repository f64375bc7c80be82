import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestHub } from '../helpers/hub.ts';
import { signIn } from '../helpers/staff.ts';

describe('the service catalog', () => {
  test('the demo catalog is public to read: departments, services with checklist, fees and periods, holidays', async (t) => {
    const hub = await startTestHub(t);
    const services = (await hub.app.inject({ method: 'GET', url: '/api/services' })).json();
    const permit = services.find((s: { code: string }) => s.code === 'BLD-PERMIT');
    assert.equal(permit.nameAr, 'ترخيص بناء');
    assert.equal(permit.demo, true);
    assert.ok(permit.checklist.length >= 5);
    assert.ok(permit.fees.some((f: { kind: string }) => f.kind === 'variable'));
    for (const code of ['SHOP-LIC', 'UTIL-CONN', 'VIOL-RECON', 'CERT-DATA', 'CERT-FIT']) assert.ok(services.some((s: { code: string }) => s.code === code), code);
    const depts = (await hub.app.inject({ method: 'GET', url: '/api/departments' })).json();
    assert.ok(depts.some((d: { nameAr: string }) => d.nameAr === 'الإدارة الهندسية'));
    const holidays = (await hub.app.inject({ method: 'GET', url: '/api/holidays' })).json();
    assert.ok(holidays.length > 5);

    // Fees: fixed at their amount, variable within bounds, in piasters.
    const quote = await hub.app.inject({ method: 'POST', url: `/api/services/${permit.id}/fees/quote`, payload: { fees: [{ code: 'PERMIT', amountPiasters: 250_000 }] } });
    assert.equal(quote.statusCode, 200, quote.body);
    assert.equal(quote.json().totalPiasters, 50_000 + 250_000);
    const over = await hub.app.inject({ method: 'POST', url: `/api/services/${permit.id}/fees/quote`, payload: { fees: [{ code: 'PERMIT', amountPiasters: 999_999_999 }] } });
    assert.equal(over.statusCode, 400);
    assert.equal(over.json().error.details[0].path, '/fees/PERMIT');
    const missing = await hub.app.inject({ method: 'POST', url: `/api/services/${permit.id}/fees/quote`, payload: { fees: [] } });
    assert.equal(missing.statusCode, 400);
  });

  test('catalog writes are the administrator\'s, validated, versioned and audited', async (t) => {
    const hub = await startTestHub(t);
    const admin = await signIn(hub, 'admin');
    const body = {
      code: 'DEMOLITION', departmentId: 1, nameAr: 'ترخيص هدم', nameEn: 'Demolition permit', legalPeriodDays: 10, periodKind: 'working',
      requirementsAr: 'طلب وتقرير هندسي', checklist: [{ labelAr: 'طلب الهدم' }, { labelAr: 'تقرير هندسي', required: false }],
      fees: [{ code: 'FEE', labelAr: 'رسم الهدم', kind: 'fixed', amountPiasters: 20_000 }],
    };
    const intake = await signIn(hub, 'intake');
    assert.equal((await intake.inject({ method: 'POST', url: '/api/services', payload: body })).statusCode, 403);
    assert.equal((await hub.app.inject({ method: 'POST', url: '/api/services', payload: body })).statusCode, 401);
    const created = await admin.inject({ method: 'POST', url: '/api/services', payload: body });
    assert.equal(created.statusCode, 201, created.body);
    const s = created.json();
    assert.deepEqual(s.checklist.map((c: { required: boolean }) => c.required), [true, false]);
    assert.equal((await admin.inject({ method: 'POST', url: '/api/services', payload: body })).statusCode, 409);

    const badFees = await admin.inject({ method: 'POST', url: '/api/services', payload: { ...body, code: 'X-1', fees: [{ code: 'V', labelAr: 'متغير', kind: 'variable', minPiasters: 500, maxPiasters: 100 }] } });
    assert.equal(badFees.statusCode, 400);
    const negative = await admin.inject({ method: 'POST', url: '/api/services', payload: { ...body, code: 'X-2', fees: [{ code: 'F', labelAr: 'سالب', kind: 'fixed', amountPiasters: -5 }] } });
    assert.equal(negative.statusCode, 400);
    assert.ok(negative.json().error.details.length > 0);
    const badDept = await admin.inject({ method: 'POST', url: '/api/services', payload: { ...body, code: 'X-3', departmentId: 999 } });
    assert.equal(badDept.statusCode, 400);
    assert.equal(badDept.json().error.details[0].path, '/departmentId');

    const upd = await admin.inject({ method: 'PUT', url: `/api/services/${s.id}`, payload: { ...body, legalPeriodDays: 14, version: s.version } });
    assert.equal(upd.statusCode, 200, upd.body);
    assert.equal(upd.json().legalPeriodDays, 14);
    const stale = await admin.inject({ method: 'PUT', url: `/api/services/${s.id}`, payload: { ...body, version: s.version } });
    assert.equal(stale.statusCode, 409);

    // Holidays move working-day deadlines.
    const before = hub.ctx.catalog.dueFor(s.id, Date.parse('2027-06-06T08:00:00Z')).day;
    assert.equal((await admin.inject({ method: 'PUT', url: '/api/holidays/2027-06-07', payload: { nameAr: 'عطلة رسمية' } })).statusCode, 204);
    const after = hub.ctx.catalog.dueFor(s.id, Date.parse('2027-06-06T08:00:00Z')).day;
    assert.ok(after > before, `${after} > ${before}`);
    assert.equal((await admin.inject({ method: 'DELETE', url: '/api/holidays/2027-06-07' })).statusCode, 204);
    assert.equal((await admin.inject({ method: 'PUT', url: '/api/holidays/2027-13-01', payload: { nameAr: 'خطأ' } })).statusCode, 400);

    assert.deepEqual(hub.ctx.audit.history('service', s.id).map((e) => e.action), ['service.create', 'service.update']);
  });

  test('citizens: find-or-create by national ID, Arabic field errors, no duplicates', async (t) => {
    const hub = await startTestHub(t);
    const intake = await signIn(hub, 'intake');
    const a = await intake.inject({ method: 'POST', url: '/api/citizens', payload: { nationalId: '29001011234567', name: 'أحمد  محمد   علي', mobile: '+201012345678' } });
    assert.equal(a.statusCode, 200, a.body);
    assert.equal(a.json().created, true);
    assert.equal(a.json().citizen.name, 'أحمد محمد علي');
    assert.equal(a.json().citizen.mobile, '01012345678');
    assert.equal(a.json().citizen.birthDate, '1990-01-01');
    assert.equal(a.json().citizen.gender, 'female');
    const b = await intake.inject({ method: 'POST', url: '/api/citizens', payload: { nationalId: '٢٩٠٠١٠١١٢٣٤٥٦٧', name: 'أحمد محمد علي' } });
    assert.equal(b.json().created, false);
    assert.equal(b.json().citizen.id, a.json().citizen.id);
    for (const [payload, path] of [
      [{ nationalId: '29001011234', name: 'اسم كامل' }, '/nationalId'],
      [{ nationalId: '29002301234567', name: 'اسم كامل' }, '/nationalId'],
      [{ nationalId: '29001019934567', name: 'اسم كامل' }, '/nationalId'],
      [{ nationalId: '29001011234567', name: 'اسم كامل', mobile: '0123' }, '/mobile'],
    ] as const) {
      const r = await intake.inject({ method: 'POST', url: '/api/citizens', payload });
      assert.equal(r.statusCode, 400);
      assert.equal(r.json().error.details[0].path, path);
      assert.match(r.json().error.message, /[\u0600-\u06FF]/);
    }
    assert.equal((hub.ctx.db.prepare('SELECT count(*) AS n FROM citizens').get() as { n: number }).n, 1);
    const found = await intake.inject({ method: 'GET', url: '/api/citizens?nationalId=29001011234567' });
    assert.equal(found.statusCode, 200);
    assert.equal((await intake.inject({ method: 'GET', url: '/api/citizens?nationalId=28505152101234' })).statusCode, 404);
  });

  test('schema errors name each field in Arabic', async (t) => {
    const hub = await startTestHub(t);
    const admin = await signIn(hub, 'admin');
    const r = await admin.inject({ method: 'POST', url: '/api/departments', payload: { code: 'bad code', nameAr: 'x', extra: 1 } });
    assert.equal(r.statusCode, 400);
    const { error } = r.json();
    assert.equal(error.code, 'VALIDATION');
    const byPath = Object.fromEntries(error.details.map((d: { path: string; message: string }) => [d.path, d.message]));
    assert.equal(byPath['/code'], 'الصيغة غير صحيحة');
    assert.equal(byPath['/nameAr'], 'يجب ألا يقل عن 2 حروف');
    assert.equal(byPath['/nameEn'], 'هذا الحقل مطلوب');
    assert.ok(error.details.every((d: { message: string }) => /[\u0600-\u06FF]/.test(d.message)));
  });
});
