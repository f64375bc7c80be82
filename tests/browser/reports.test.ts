// The report screens in a real Chromium over generated data (scripts/generate-data.ts):
// the bottleneck view, queue statistics with charts, a CSV export that Excel reads as
// Arabic, and the printable weekly department report (A4, right to left).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { Browser } from 'playwright-core';
import { startTestHub, tempDataDir } from '../helpers/hub.ts';
import { launchChromium, screenshot, watchPageErrors } from './chromium.ts';
import type { Role } from '../../hub/auth/roles.ts';
import type { TestHub } from '../helpers/hub.ts';
import { generate } from '../../scripts/generate-data.ts';
import { localDay } from '../../hub/domain/time.ts';
import { addDays } from '../../hub/domain/deadlines.ts';

let browser: Browser;
before(async () => { browser = await launchChromium(); });
after(async () => { await browser?.close(); });

/**
 * A staff member made through the staff service (the generated center has its own clerks,
 * so the hub seeds no demo staff), signed in through the login form.
 */
async function signIn(hub: TestHub, username: string, role: Role, departmentCodes: string[], viewport: { width: number; height: number }) {
  const password = 'Reports-test-2026!';
  const ids = hub.ctx.catalog.departments().filter((d) => departmentCodes.includes(d.code)).map((d) => d.id);
  await hub.ctx.staff.create({ username, name: 'م. إيمان شاكر', role, departmentIds: ids }, 'system', { password, mustChange: false });
  const context = await browser.newContext({ viewport });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  await page.goto(`${hub.httpUrl}/`);
  await page.getByLabel('اسم المستخدم').fill(username);
  await page.getByLabel('كلمة المرور').fill(password);
  await page.getByRole('button', { name: 'تسجيل الدخول' }).click();
  await page.getByTestId('user-name').waitFor();
  return page;
}

/** Ten weeks of a small center up to yesterday, then the demo staff on top (the hub seeds them). */
async function hubWithHistory(t: Parameters<typeof startTestHub>[0]) {
  const dataDir = tempDataDir();
  const end = localDay(Date.now() - 86_400_000);
  await generate({ dataDir, scale: 0.1, days: 70, end, seed: 7 });
  return startTestHub(t, { dataDir });
}

describe('the report screens over generated data (Chromium)', () => {
  test('bottlenecks and queue statistics with charts; a table exported as CSV', async (t) => {
    const hub = await hubWithHistory(t);
    const page = await signIn(hub, 'info1', 'information', [], { width: 1280, height: 900 });
    t.after(() => page.context().close());
    const errors = watchPageErrors(page);
    await page.getByRole('tab', { name: 'التقارير' }).click();
    await page.getByTestId('report-queue').waitFor();
    assert.equal(await page.locator('sh-chart canvas').count() >= 2, true, 'charts drawn');
    assert.match(await page.locator('table[data-table="lines"]').innerText(), /استلام الطلبات/);
    await page.waitForTimeout(300);
    await screenshot(page, 'reports-queue');

    await page.locator('button[data-view="execution"]').click();
    const view = page.getByTestId('report-execution');
    await view.waitFor();
    const stages = await page.locator('table[data-table="stages"] tbody tr').allInnerTexts();
    assert.ok(stages.some((s) => /لدى الإدارة المختصة/.test(s)), stages.join('\n'));
    // The stage where files wait stands out: the department's has the longest median.
    const medians = await page.locator('table[data-table="stages"] tbody tr').evaluateAll((rows) =>
      rows.map((r) => [r.getAttribute('data-stage'), Number(r.children[2].textContent)] as [string, number]));
    assert.equal(medians.sort((a, b) => b[1] - a[1])[0][0], 'with_department');
    await page.waitForTimeout(300);
    await screenshot(page, 'reports-bottlenecks');

    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('a[data-csv="execution:overdue"]').click()]);
    const file = await download.path();
    const bytes = fs.readFileSync(file!);
    assert.equal(bytes.subarray(0, 3).toString('hex'), 'efbbbf', 'UTF-8 BOM for Excel');
    assert.match(bytes.toString('utf8'), /رقم الاستعلام/);
    assert.match(download.suggestedFilename(), /^shubbak-execution-overdue-.*\.csv$/);
    assert.deepEqual(errors, []);
  });

  test('the weekly department report prints on A4, right to left, for the supervisor\'s department', async (t) => {
    const hub = await hubWithHistory(t);
    const page = await signIn(hub, 'super1', 'supervisor', ['ENG', 'LIC'], { width: 1100, height: 1400 });
    t.after(() => page.context().close());
    const errors = watchPageErrors(page);
    await page.getByRole('tab', { name: 'التقارير' }).click();
    await page.locator('button[data-view="weekly"]').click();
    const sheet = page.getByTestId('weekly-report');
    await sheet.waitFor();
    const text = await sheet.innerText();
    assert.match(text, /التقرير الأسبوعي للإدارة/);
    assert.match(text, /الإدارة الهندسية/); // the supervisor's first department
    assert.match(text, /توقيع مدير المركز/);
    assert.equal(await page.evaluate(() => getComputedStyle(document.documentElement).direction), 'rtl');
    // Supervisors choose only among their departments (ENG and LIC here).
    const options = await page.locator('sh-weekly-report select option').allInnerTexts();
    assert.equal(options.length, 2, options.join(', '));
    await page.waitForTimeout(300);
    await screenshot(page, 'reports-weekly-department');
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.getByRole('tab', { name: 'التقارير' }).isVisible(), false, 'the shell is not printed');
    assert.equal(await sheet.isVisible(), true);
    await page.pdf({ path: 'artifacts/screenshots/reports-weekly-department-a4.pdf', format: 'A4', printBackground: true });
    await screenshot(page, 'reports-weekly-department-print');
    // The week shown is a week: Sunday to Saturday.
    const from = await page.locator('sh-weekly-report input[type="date"]').inputValue();
    assert.equal(new Date(`${from}T12:00:00Z`).getUTCDay(), 0);
    assert.ok(addDays(from, 6) < localDay(Date.now()));
    assert.deepEqual(errors, []);
  });
});
