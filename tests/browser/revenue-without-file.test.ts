// Issue 11 item 9: revenues without a file are limited to the catalog items marked so.
// The revenue window offers only those (housing rent in the demo catalog, not a building
// permit), the hub refuses any other with FILE_REQUIRED and writes nothing, and the
// administrator's mark on another item brings it into the list.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startTestHub } from '../helpers/hub.ts';
import { signIn } from '../helpers/staff.ts';
import { launchChromium, signInPage, watchPageErrors } from './chromium.ts';

let browser: Browser;
before(async () => { browser = await launchChromium(); });
after(async () => { await browser?.close(); });

describe('revenues without a file (Chromium)', () => {
  test('the revenue window offers only items paid without a file; the hub enforces it', async (t) => {
    const hub = await startTestHub(t);
    const catalog = hub.ctx.catalog;
    const permit = catalog.serviceByCode('BLD-PERMIT')!;
    const rent = catalog.serviceByCode('HOUSING-RENT')!;
    assert.equal(rent.withoutFile, true);
    assert.equal(permit.withoutFile, false);

    const page = await signInPage(browser, hub, 'revenue');
    t.after(() => page.context().close());
    const errors = watchPageErrors(page);
    await page.getByRole('tab', { name: 'إيرادات أخرى' }).click();
    const item = page.getByLabel('البند');
    await item.locator('option').first().waitFor({ state: 'attached' });
    const offered = await item.locator('option').evaluateAll((os) => os.map((o) => Number((o as HTMLOptionElement).value)));
    const marked = catalog.services({ activeOnly: true }).filter((s) => s.withoutFile && s.fees.length).map((s) => s.id);
    assert.deepEqual(offered.sort(), marked.sort());
    assert.ok(!offered.includes(permit.id), 'no building-permit fees without a file');

    // The API refuses the building permit, and nothing is written.
    const revenue = await signIn(hub, 'revenue');
    const before = (hub.ctx.db.prepare('SELECT count(*) AS n FROM payment_orders').get() as { n: number }).n;
    const res = await revenue.inject({ method: 'POST', url: '/api/revenue/orders', payload: {
      serviceId: permit.id, fees: [{ code: 'PERMIT', amountPiasters: 100_000 }], payerName: 'مقاول بدون ملف' } });
    assert.equal(res.statusCode, 409, res.body);
    assert.equal(res.json().error.code, 'FILE_REQUIRED');
    assert.match(res.json().error.message, /[\u0600-\u06FF]/);
    assert.equal((hub.ctx.db.prepare('SELECT count(*) AS n FROM payment_orders').get() as { n: number }).n, before);

    // The administrator marks the data certificate as paid without a file: it is offered.
    const cert = catalog.serviceByCode('CERT-DATA')!;
    const admin = await signIn(hub, 'admin');
    const { id, demo: _d, version, checklist, fees, ...rest } = cert;
    const put = await admin.inject({ method: 'PUT', url: `/api/services/${id}`, payload: {
      ...rest, version, withoutFile: true,
      checklist: checklist.map((c) => ({ labelAr: c.labelAr, labelEn: c.labelEn, required: c.required })),
      fees: fees.map((f) => (f.kind === 'fixed'
        ? { code: f.code, labelAr: f.labelAr, labelEn: f.labelEn, kind: f.kind, amountPiasters: f.amountPiasters }
        : { code: f.code, labelAr: f.labelAr, labelEn: f.labelEn, kind: f.kind, minPiasters: f.minPiasters, maxPiasters: f.maxPiasters })),
    } });
    assert.equal(put.statusCode, 200, put.body);
    assert.equal(put.json().withoutFile, true);
    await page.reload();
    await page.getByRole('tab', { name: 'إيرادات أخرى' }).click();
    await page.getByLabel('البند').locator(`option[value="${cert.id}"]`).waitFor({ state: 'attached' });
    assert.deepEqual(errors, []);
  });
});
