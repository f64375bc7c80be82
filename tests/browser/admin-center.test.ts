// Issue 11, item 17, in Debian's Chromium against a real hub: the administrator sets up
// windows (labels, lines served, keypad), lines (names, priority rule, own hours),
// departments and holidays on screens, and the hub applies them (a line's hours and its
// priority rule take effect at the next ticket). The new line API refuses other roles and
// bad hours with Arabic messages.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startTestHub } from '../helpers/hub.ts';
import { FakeClock } from '../helpers/clock.ts';
import { signIn } from '../helpers/staff.ts';
import { expectError, expectOk, type LineListReply } from '../integration/files-support.ts';
import { launchChromium, screenshot, signInPage, watchPageErrors } from './chromium.ts';
import { SYSTEM } from '../../hub/domain/actor.ts';

let browser: Browser;
before(async () => { browser = await launchChromium(); });
after(async () => { await browser?.close(); });

/** A coming Sunday at 10:30 Cairo (ahead of the real clock, so the browser keeps the session cookie). */
function comingSunday(): number {
  const day = new Date(Date.now() + 86_400_000);
  while (day.getUTCDay() !== 0) day.setUTCDate(day.getUTCDate() + 1);
  return Date.parse(`${day.toISOString().slice(0, 10)}T10:30:00+02:00`);
}

describe('the administrator sets up a center (Chromium)', () => {
  test('17: windows, lines, departments and holidays are set up on screens, and the hub applies them', async (t) => {
    const clock = new FakeClock(comingSunday());
    const hub = await startTestHub(t, { clock: clock.now });
    const page = await signInPage(browser, hub, 'sysadmin');
    t.after(() => page.context().close());
    const errors = watchPageErrors(page);
    await page.getByRole('tab', { name: 'إعداد المركز' }).click();

    // A new line E: no priority, tickets only 11:00–14:00.
    const newLine = page.locator('form[data-line-form="new"]');
    await newLine.getByLabel('الحرف').fill('e');
    await newLine.getByLabel('الاسم بالعربية').fill('الشؤون الاجتماعية');
    await newLine.getByLabel('الاسم بالإنجليزية').fill('Social affairs');
    await newLine.getByLabel('الأولوية لكبار السن وذوي الهمم').uncheck();
    await newLine.getByLabel('ساعات الاستقبال: من').fill('11:00');
    await newLine.getByLabel('إلى').fill('14:00');
    await newLine.getByRole('button', { name: 'إضافة' }).click();
    await page.locator('form[data-line-form="E"]').waitFor();
    const e = hub.ctx.queue.lines().find((l) => l.letter === 'E')!;
    assert.deepEqual([e.nameAr, e.priorityFirst, e.openFrom, e.openUntil], ['الشؤون الاجتماعية', false, '11:00', '14:00']);
    // 10:30: before its hours, the kiosk is refused; at 11:00 a "priority" ticket is issued in plain order.
    assert.throws(() => hub.ctx.queue.issue({ line: 'E', by: SYSTEM }), (err: { code?: string }) => err.code === 'LINE_CLOSED');
    clock.set(clock.ms + 30 * 60_000);
    assert.equal(hub.ctx.queue.issue({ line: 'E', priority: true, by: SYSTEM }).priority, undefined);

    // A new window 7 serving E with keypad-6, taken from window 6.
    const newWindow = page.locator('form[data-window-form="new"]');
    await newWindow.getByLabel('رقم الشباك').fill('7');
    await newWindow.getByLabel('الاسم بالعربية').fill('شباك 7');
    await newWindow.getByLabel('الاسم بالإنجليزية').fill('Window 7');
    await newWindow.getByLabel('E · الشؤون الاجتماعية').check();
    await newWindow.getByLabel('لوحة المفاتيح').selectOption('keypad-6');
    await newWindow.getByRole('button', { name: 'إضافة' }).click();
    await page.locator('form[data-window-form="7"]').waitFor();
    assert.deepEqual(hub.ctx.queue.windowInfo(7).lines, ['E']);
    assert.equal(hub.ctx.devices.list().find((d) => d.id === 'keypad-6')!.binding.window, 7);
    // Window 3 stops serving D.
    const w3 = page.locator('form[data-window-form="3"]');
    await w3.getByLabel('D · خدمة المواطنين').uncheck();
    await w3.getByRole('button', { name: 'حفظ' }).click();
    await page.getByRole('status').getByText('حُفظ').first().waitFor();
    await page.waitForFunction(() => true);
    for (let i = 0; i < 50 && hub.ctx.queue.windowInfo(3).lines.includes('D'); i++) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(hub.ctx.queue.windowInfo(3).lines, ['A']);

    // A department added, then deactivated.
    const dept = page.getByTestId('add-department');
    await dept.getByLabel('الرمز').fill('PARKS');
    await dept.getByLabel('الاسم بالعربية').fill('إدارة الحدائق');
    await dept.getByLabel('الاسم بالإنجليزية').fill('Parks Department');
    await dept.getByRole('button', { name: 'إضافة' }).click();
    const row = page.locator('tr[data-department="PARKS"]');
    await row.waitFor();
    await row.getByRole('button', { name: 'إيقاف' }).click();
    await row.getByText('موقوفة').waitFor();
    assert.equal(hub.ctx.catalog.departmentByCode('PARKS')!.active, false);

    // A holiday added, then removed.
    const hol = page.getByTestId('add-holiday');
    await hol.getByLabel('اليوم').fill('2030-10-06');
    await hol.getByLabel('المناسبة').fill('عيد القوات المسلحة');
    await hol.getByRole('button', { name: 'إضافة' }).click();
    await page.locator('tr[data-holiday="2030-10-06"]').waitFor();
    assert.ok(hub.ctx.catalog.holidays().some((h) => h.day === '2030-10-06'));
    await screenshot(page, 'admin-center-setup');
    await page.locator('tr[data-holiday="2030-10-06"]').getByRole('button', { name: 'حذف' }).click();
    await page.locator('tr[data-holiday="2030-10-06"]').waitFor({ state: 'detached' });
    assert.ok(!hub.ctx.catalog.holidays().some((h) => h.day === '2030-10-06'));
    assert.deepEqual(errors, []);
  });

  test('17: the line API is the administrator\'s, and bad hours are refused in Arabic', async (t) => {
    const hub = await startTestHub(t);
    const admin = await signIn(hub, 'sysadmin');
    const manager = await signIn(hub, 'manager');
    const body = { nameAr: 'الشؤون الاجتماعية', nameEn: 'Social affairs', priorityFirst: true, openFrom: null, openUntil: null };
    expectError(await manager.inject({ method: 'PUT', url: '/api/lines/E', payload: body }), 403, 'FORBIDDEN');
    expectError(await admin.inject({ method: 'PUT', url: '/api/lines/E', payload: { ...body, openFrom: '25:00' } }), 400);
    const e = expectError(await admin.inject({ method: 'PUT', url: '/api/lines/E', payload: { ...body, openFrom: '14:00', openUntil: '09:00' } }), 400);
    assert.match(e.message, /وقت البدء/);
    assert.equal(hub.ctx.queue.lines().some((l) => l.letter === 'E'), false, 'nothing changed');
    expectOk(await admin.inject({ method: 'PUT', url: '/api/lines/E', payload: body }));
    const lines = expectOk<LineListReply>(await admin.inject({ method: 'GET', url: '/api/lines' }));
    assert.ok(lines.some((l: { letter: string; priorityFirst: boolean }) => l.letter === 'E' && l.priorityFirst));
  });
});
