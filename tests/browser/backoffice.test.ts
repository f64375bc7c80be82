// Back-office panels in a real Chromium: the reception's catalog and printable
// requirements sheet, the administrator's users, the public meeting registration and
// its printable list, and the citizen's status page.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startTestHub } from '../helpers/hub.ts';
import { formatPiasters } from '../../hub/domain/money.ts';
import { launchChromium, screenshot, signInPage, watchPageErrors } from './chromium.ts';

let browser: Browser;
before(async () => { browser = await launchChromium(); });
after(async () => { await browser?.close(); });

describe('back-office panels: catalog and printable forms (Chromium)', () => {
  test('reception shows a service\'s requirements and fees and prints the sheet alone', async (t) => {
    const hub = await startTestHub(t);
    const page = await signInPage(browser, hub, 'reception');
    t.after(() => page.context().close());
    const errors = watchPageErrors(page);
    await page.getByRole('tab', { name: 'دليل الخدمات' }).click();
    const sheet = page.getByTestId('requirements-sheet');
    await sheet.waitFor();
    const svc = hub.ctx.catalog.services({ activeOnly: true }).find((s) => s.code === 'BLD-PERMIT')!;
    await page.getByTestId('service-select').selectOption(String(svc.id));
    const text = await sheet.innerText();
    assert.match(text, /ترخيص بناء/);
    assert.match(text, new RegExp(svc.checklist[0].labelAr));
    const fixed = svc.fees.find((f) => f.kind === 'fixed')!;
    const pounds = formatPiasters(fixed.amountPiasters!, 'ar');
    assert.ok(text.includes(pounds), `fee ${pounds} shown`);
    await screenshot(page, 'panel-reception-catalog');
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.getByTestId('service-select').isVisible(), false);
    assert.equal(await sheet.isVisible(), true);
    assert.equal(await page.getByRole('tab', { name: 'دليل الخدمات' }).isVisible(), false);
    await page.pdf({ path: 'artifacts/screenshots/requirements-sheet-a4.pdf', format: 'A4' });
    assert.deepEqual(errors, []);
  });

  test('the administrator creates a user and hands over the one-time password', async (t) => {
    const hub = await startTestHub(t);
    const page = await signInPage(browser, hub, 'sysadmin');
    t.after(() => page.context().close());
    await page.getByLabel('اسم الدخول').fill('intake3');
    await page.getByLabel('الاسم', { exact: true }).fill('رانيا فتحي');
    await page.getByLabel('الدور').selectOption('intake');
    await page.getByRole('button', { name: 'إنشاء' }).click();
    const otp = page.getByTestId('one-time-password');
    await otp.waitFor();
    assert.match(await otp.innerText(), /intake3/);
    await page.locator('tr[data-user="intake3"]').waitFor();
    assert.equal(hub.ctx.staff.findByUsername('intake3')?.role, 'intake');
    await screenshot(page, 'panel-admin-users');
  });

  test('the citizen service window registers a citizen for the public meeting and prints the list', async (t) => {
    const hub = await startTestHub(t);
    const page = await signInPage(browser, hub, 'citizen_service');
    t.after(() => page.context().close());
    const errors = watchPageErrors(page);
    await page.getByRole('tab', { name: 'لقاء الجماهير' }).click();
    await page.getByText('يوم لقاء جديد').click();
    await page.getByLabel('التاريخ').fill('2030-01-15');
    await page.getByLabel('العنوان').fill('لقاء السيد رئيس الحي');
    await page.getByRole('button', { name: 'إضافة' }).click();
    await page.getByLabel('الرقم القومي').waitFor();
    await page.getByLabel('الرقم القومي').fill('29001011234567');
    await page.getByLabel('الاسم').fill('محمود عبد الرحمن');
    await page.getByLabel('الموضوع').fill('رصف الشارع أمام المدرسة');
    await page.getByRole('button', { name: 'تسجيل', exact: true }).click();
    const list = page.getByTestId('meeting-list');
    await list.getByText('محمود عبد الرحمن').waitFor();
    assert.match(await list.innerText(), /4567/);
    assert.doesNotMatch(await list.innerText(), /29001011234567/, 'the printed list shows only the last four digits');
    await screenshot(page, 'panel-citizen-service-meeting');
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.getByLabel('الموضوع').isVisible(), false);
    await page.pdf({ path: 'artifacts/screenshots/meeting-list-a4.pdf', format: 'A4' });
    assert.deepEqual(errors, []);
  });

  test('the public status page refuses an unknown number with an Arabic message', async (t) => {
    const hub = await startTestHub(t);
    const page = await browser.newPage({ viewport: { width: 420, height: 800 } });
    t.after(() => page.close());
    await page.goto(`${hub.httpUrl}/status`);
    assert.equal(await page.evaluate(() => getComputedStyle(document.documentElement).direction), 'rtl');
    await page.getByLabel('رقم الاستعلام').fill('123456789');
    await page.getByLabel('آخر أربعة أرقام من الرقم القومي').fill('4567');
    await page.getByRole('button', { name: 'استعلام' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), /لا توجد معاملة بهذا الرقم/);
    await screenshot(page, 'status-page');
  });

  test('a complaint: registered at the window, forwarded, answered by the department, closed; the citizen sees it', async (t) => {
    const hub = await startTestHub(t);
    const eng = hub.ctx.catalog.departments().find((d) => d.code === 'ENG')!;
    const window = await signInPage(browser, hub, 'citizen_service');
    t.after(() => window.context().close());
    const errors = watchPageErrors(window);
    await window.getByRole('tab', { name: 'الشكاوى' }).click();
    await window.getByLabel('الرقم القومي').fill('29001011234567');
    await window.getByLabel('الاسم').fill('سعاد كامل');
    await window.getByLabel('الإدارة المختصة').selectOption(String(eng.id));
    await window.getByLabel('الموضوع').fill('كسر في ماسورة المياه');
    await window.getByLabel('نص الشكوى').fill('كسر في ماسورة المياه بشارع النيل منذ ثلاثة أيام');
    await window.getByRole('button', { name: 'تسجيل الشكوى' }).click();
    const inquiry = (await window.getByTestId('complaint-inquiry').innerText()).trim();
    assert.ok(inquiry.length > 4, 'an inquiry number is handed over');
    await screenshot(window, 'panel-citizen-service-complaint');
    await window.locator(`tr[data-inquiry="${inquiry}"]`).click();
    await window.getByRole('button', { name: 'إحالة للإدارة' }).click();
    await window.getByTestId('complaint-detail').getByText('لدى الإدارة').first().waitFor();

    const rep = await signInPage(browser, hub, 'representative');
    t.after(() => rep.context().close());
    await rep.getByRole('tab', { name: 'الشكاوى' }).click();
    await rep.locator(`tr[data-inquiry="${inquiry}"]`).click();
    await rep.getByLabel('الرد', { exact: true }).fill('تم إصلاح الكسر وإعادة الرصف');
    await rep.getByLabel('ملاحظة تظهر للمواطن').fill('تم الإصلاح');
    await rep.getByRole('button', { name: 'حفظ الرد' }).click();
    await rep.getByTestId('complaint-detail').getByText('تم الرد').first().waitFor();
    await screenshot(rep, 'panel-representative-complaint');

    // The window's list follows the answer live (staff stream, topic 'complaints').
    await window.getByTestId('complaint-detail').getByRole('button', { name: 'إغلاق الشكوى' }).click();
    await window.getByTestId('complaint-detail').getByText('مغلقة').first().waitFor();
    assert.deepEqual(errors, []);

    const status = await browser.newPage();
    t.after(() => status.close());
    await status.goto(`${hub.httpUrl}/status?inquiry=${encodeURIComponent(inquiry)}`);
    await status.getByLabel('آخر أربعة أرقام من الرقم القومي').fill('4567');
    await status.getByRole('button', { name: 'استعلام' }).click();
    await status.getByTestId('status-result').waitFor();
    assert.match(await status.getByTestId('status-stage').innerText(), /\S/);
    await screenshot(status, 'status-page-complaint');

    // The manager opens it for a surprise inspection: the record and its whole history.
    const manager = await signInPage(browser, hub, 'manager');
    t.after(() => manager.context().close());
    await manager.getByRole('tab', { name: 'تفتيش مفاجئ' }).click();
    await manager.getByLabel('النوع').selectOption('complaint');
    await manager.getByLabel('رقم الاستعلام أو الرقم').fill(inquiry);
    await manager.getByRole('button', { name: 'فتح' }).click();
    const result = manager.getByTestId('inspection-result');
    await result.waitFor();
    assert.match(await result.innerText(), /كسر في ماسورة المياه/);
    await screenshot(manager, 'panel-manager-inspection');
  });

  test('the administrator changes a service\'s fee and legal period; a wrong amount is refused', async (t) => {
    const hub = await startTestHub(t);
    const svc = hub.ctx.catalog.services({ activeOnly: true }).find((s) => s.code === 'CERT-DATA')!;
    const page = await signInPage(browser, hub, 'sysadmin');
    t.after(() => page.context().close());
    await page.getByRole('tab', { name: 'الخدمات والرسوم' }).click();
    await page.getByTestId('admin-service').selectOption(String(svc.id));
    await page.getByLabel('المدة القانونية (يوم)').fill('10');
    const fee = page.getByLabel(svc.fees[0].labelAr);
    await fee.fill('abc');
    await page.getByRole('button', { name: 'حفظ' }).click();
    await page.getByRole('alert').getByText(/مبلغ غير صحيح/).waitFor();
    await fee.fill('75.25');
    await page.getByRole('button', { name: 'حفظ' }).click();
    await page.getByRole('status').getByText('حُفظت الخدمة').waitFor();
    const after = hub.ctx.catalog.service(svc.id);
    assert.equal(after.legalPeriodDays, 10);
    assert.equal(after.fees[0].amountPiasters, 7525);
    assert.equal(after.checklist.length, svc.checklist.length);
    await screenshot(page, 'panel-admin-services');
  });
});
