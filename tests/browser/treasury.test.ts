// The treasury beyond the journey, in Chromium: a housing-rent order with no file from the
// revenue window, collected by the cashier; a wrong receipt voided by two people (the
// cashier asks with a reason, the manager confirms); the cashier's day and its close.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startTestHub } from '../helpers/hub.ts';
import { launchChromium, screenshot, signInPage, watchPageErrors } from './chromium.ts';

let browser: Browser;
before(async () => { browser = await launchChromium(); });
after(async () => { await browser?.close(); });

describe('the treasury beyond the journey (Chromium)', () => {
  test('housing rent: order, collection, two-person void, daily close', async (t) => {
    const hub = await startTestHub(t);
    const rent = hub.ctx.catalog.services({ activeOnly: true }).find((s) => s.code === 'HOUSING-RENT')!;
    const revenue = await signInPage(browser, hub, 'revenue');
    const cashier = await signInPage(browser, hub, 'cashier');
    const manager = await signInPage(browser, hub, 'manager');
    t.after(async () => { for (const p of [revenue, cashier, manager]) await p.context().close(); });
    const errors = [revenue, cashier, manager].map(watchPageErrors);

    await revenue.getByRole('tab', { name: 'إيرادات أخرى' }).click();
    await revenue.getByLabel('البند').selectOption(String(rent.id));
    for (const fee of rent.fees.filter((f) => f.kind === 'variable')) await revenue.getByLabel(fee.labelAr).fill('350');
    await revenue.getByLabel('اسم الدافع').fill('فاطمة الزهراء علي');
    await revenue.getByLabel('رقم الوحدة أو العداد أو الحساب').fill('عمارة 12 شقة 4');
    await revenue.getByRole('button', { name: 'إصدار إذن دفع' }).click();
    const orderNo = (await revenue.getByTestId('order-number').innerText()).trim();
    assert.equal(await revenue.getByLabel('اسم الدافع').inputValue(), '', 'the form is cleared for the next payer');
    assert.equal(await revenue.getByRole('alert').count(), 0);
    await screenshot(revenue, 'panel-revenue-other');

    // The cashier's list follows the new order live.
    const row = cashier.locator(`tr[data-order="${orderNo}"]`);
    await row.waitFor();
    await row.getByRole('button', { name: 'تحصيل وإصدار إيصال' }).click();
    await cashier.getByTestId('receipt-number').waitFor();
    await cashier.getByLabel('سبب الإلغاء').fill('خطأ في اسم الدافع');
    await cashier.getByRole('button', { name: 'طلب إلغاء الإيصال' }).click();
    await cashier.getByTestId('receipt-status').getByText('طلب إلغاء لدى مدير المركز').waitFor();

    await manager.getByRole('tab', { name: 'الاعتماد' }).click();
    const requests = manager.getByTestId('void-requests');
    await requests.getByText('خطأ في اسم الدافع').waitFor();
    await screenshot(manager, 'panel-manager-void-request');
    await requests.getByRole('button', { name: 'تأكيد الإلغاء' }).click();
    await manager.getByText('لا توجد طلبات').waitFor();
    const receipt = hub.ctx.db.prepare('SELECT status, void_reason FROM receipts').get() as { status: string; void_reason: string };
    assert.deepEqual(receipt, { status: 'voided', void_reason: 'خطأ في اسم الدافع' });

    const day = cashier.getByTestId('cash-day');
    await day.getByText(/الملغاة: 1/).waitFor();
    await day.getByRole('button', { name: 'إقفال اليومية' }).click();
    await day.getByTestId('close-confirm').getByRole('button', { name: 'تأكيد الإقفال' }).click();
    await day.getByText('أُقفلت اليومية').waitFor();
    await screenshot(cashier, 'panel-cashier-day-closed');
    for (const e of errors) assert.deepEqual(e, []);
  });
});
