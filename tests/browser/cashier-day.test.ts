// Issue 11 items 6–8 (and 7 at the intake window) in Chromium: the cashier's receipts of
// today (number, time, payer, amount, status) survive a reload and are where a receipt is
// reprinted and a void is asked; a double click on collect issues one receipt and shows
// it, with no red STALE_UPDATE; a double click on "register" makes one file, with no
// TICKET_HAS_FILE; the daily close asks for confirmation showing the day's totals.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startTestHub } from '../helpers/hub.ts';
import { signIn } from '../helpers/staff.ts';
import { launchChromium, screenshot, signInPage, watchPageErrors } from './chromium.ts';
import { SYSTEM } from '../../hub/domain/actor.ts';

let browser: Browser;
before(async () => { browser = await launchChromium(); });
after(async () => { await browser?.close(); });

describe("the cashier's day: receipts, close and voids (Chromium)", () => {
  test('cashier: double-click collect, today\'s receipts after a reload, reprint, void request, confirmed close', async (t) => {
    const hub = await startTestHub(t);
    const rent = hub.ctx.catalog.services({ activeOnly: true }).find((s) => s.code === 'HOUSING-RENT')!;
    const revenue = await signIn(hub, 'revenue');
    const order = async (payerName: string, pounds: number) => {
      const res = await revenue.inject({ method: 'POST', url: '/api/revenue/orders', payload: {
        serviceId: rent.id, fees: [{ code: rent.fees[0].code, amountPiasters: pounds * 100 }], payerName, reference: 'عمارة 3' } });
      assert.equal(res.statusCode, 201, res.body);
      return res.json() as { id: number };
    };
    const o1 = await order('فاطمة الزهراء علي', 350);
    const o2 = await order('محمود سامي حسن', 1200);

    const page = await signInPage(browser, hub, 'cashier');
    t.after(() => page.context().close());
    const errors = watchPageErrors(page);
    const collect = (id: number) => page.locator(`tr[data-order="${id}"]`).getByRole('button', { name: 'تحصيل وإصدار إيصال' });
    await collect(o1.id).dblclick();
    await page.getByTestId('receipt-number').waitFor();
    await collect(o2.id).click();
    await page.locator('[data-testid="receipt"]').getByText('محمود سامي حسن').waitFor();
    await page.waitForTimeout(300);
    assert.equal(await page.getByRole('alert').count(), 0, 'no red error after a double click');
    const receipts = hub.ctx.db.prepare('SELECT number, order_id FROM receipts ORDER BY number').all() as { number: number; order_id: number }[];
    assert.deepEqual(receipts.map((r) => r.order_id), [o1.id, o2.id], 'one receipt per order');

    // A reload: the receipts are still there, newest first, with what a cashier needs.
    await page.reload();
    const list = page.getByTestId('todays-receipts');
    await list.locator('tr[data-receipt]').nth(1).waitFor();
    const rows = await list.locator('tr[data-receipt]').allInnerTexts();
    assert.equal(rows.length, 2);
    assert.match(rows[0], /محمود سامي حسن/);
    assert.match(rows[0], /1,200\.00/);
    assert.match(rows[0], /ساري/);
    assert.match(rows[0], /\d{1,2}:\d{2}/, 'the time');
    assert.match(rows[1], /فاطمة الزهراء علي/);
    const label1 = await list.locator('tr[data-receipt]').nth(1).getAttribute('data-receipt');
    assert.ok(label1 && rows[1].includes(label1), 'the receipt number');

    // Reprint the first one and ask to void it, from the list.
    await list.locator(`tr[data-receipt="${label1}"]`).getByRole('button', { name: 'عرض وإعادة طباعة' }).click();
    assert.equal((await page.getByTestId('receipt-number').innerText()).trim(), label1);
    await page.getByRole('button', { name: 'طباعة الإيصال' }).waitFor();
    await page.getByLabel('سبب الإلغاء').fill('خطأ في اسم الدافع');
    await page.getByRole('button', { name: 'طلب إلغاء الإيصال' }).click();
    await list.locator(`tr[data-receipt="${label1}"]`).getByText('طلب إلغاء لدى مدير المركز').waitFor();
    await screenshot(page, 'cashier-receipts');

    // The close asks first, with the day's totals; nothing is closed until confirmed.
    const day = page.getByTestId('cash-day');
    await day.getByRole('button', { name: 'إقفال اليومية' }).click();
    const confirm = page.getByTestId('close-confirm');
    await confirm.waitFor();
    assert.equal((await confirm.getByTestId('confirm-count').innerText()).trim(), '2');
    assert.match(await confirm.getByTestId('confirm-total').innerText(), /1,550\.00/);
    assert.equal((hub.ctx.db.prepare('SELECT count(*) AS n FROM cash_closes').get() as { n: number }).n, 0, 'not closed before the confirmation');
    await confirm.getByRole('button', { name: 'تراجع' }).click();
    await day.getByRole('button', { name: 'إقفال اليومية' }).click();
    await page.getByTestId('close-confirm').getByRole('button', { name: 'تأكيد الإقفال' }).click();
    await day.getByText('أُقفلت اليومية').waitFor();
    assert.equal((hub.ctx.db.prepare('SELECT count(*) AS n FROM cash_closes').get() as { n: number }).n, 1);
    assert.deepEqual(errors, []);
  });

  test('intake: a double click on "register" makes one file and shows it, no TICKET_HAS_FILE', async (t) => {
    const hub = await startTestHub(t);
    hub.ctx.queue.issue({ line: 'A', by: SYSTEM });
    const svc = hub.ctx.catalog.serviceByCode('CERT-DATA')!;
    const page = await signInPage(browser, hub, 'intake');
    t.after(() => page.context().close());
    const errors = watchPageErrors(page);
    await page.getByTestId('current-ticket').first().waitFor();
    await page.keyboard.press('KeyN');
    await page.getByTestId('current-ticket').first().getByText('A001').waitFor();
    await page.getByTestId('intake-service').selectOption(String(svc.id));
    for (const box of await page.getByTestId('intake-checklist').locator('input[type=checkbox]').all()) await box.check();
    await page.getByLabel('الرقم القومي', { exact: true }).fill('29001011234567');
    await page.getByLabel('اسم المواطن').fill('كريم عبد الفتاح');
    await page.getByRole('button', { name: 'تسجيل الملف' }).dblclick();
    await page.getByTestId('file-inquiry').first().waitFor();
    await page.waitForTimeout(500);
    assert.equal(await page.getByRole('alert').count(), 0, 'no red TICKET_HAS_FILE');
    assert.equal((hub.ctx.db.prepare('SELECT count(*) AS n FROM files').get() as { n: number }).n, 1);
    assert.deepEqual(errors, []);
  });
});
