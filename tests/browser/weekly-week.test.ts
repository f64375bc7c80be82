// Issue 11 item 2 in Chromium: the weekly report's week input accepts any day and shows
// the week (Sunday to Saturday) that day is in — it used to accept only Thursdays (a step
// of 7 days counted from 1970-01-01), so no other week could be chosen.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startTestHub } from '../helpers/hub.ts';
import { launchChromium, signInPage, watchPageErrors } from './chromium.ts';

let browser: Browser;
before(async () => { browser = await launchChromium(); });
after(async () => { await browser?.close(); });

describe("the weekly report's week (Chromium)", () => {
  test('the weekly report shows the week of any chosen day, Sunday first', async (t) => {
    const hub = await startTestHub(t);
    const page = await signInPage(browser, hub, 'supervisor');
    t.after(() => page.context().close());
    const errors = watchPageErrors(page);
    await page.getByRole('tab', { name: 'التقارير' }).click();
    await page.locator('button[data-view="weekly"]').click();
    await page.getByTestId('weekly-report').waitFor();
    const week = page.getByTestId('week-input');
    for (const [chosen, sunday, saturday] of [['2026-11-11', '2026-11-08', '2026-11-14'], ['2026-10-04', '2026-10-04', '2026-10-10'], ['2026-10-31', '2026-10-25', '2026-10-31']]) {
      await week.fill(chosen);
      const asked = page.waitForRequest((r) => r.url().includes('/api/reports/execution?') && r.url().includes(`from=${sunday}&to=${saturday}`), { timeout: 5000 });
      await page.getByRole('button', { name: 'عرض', exact: true }).click();
      await asked;
      assert.equal(await week.inputValue(), sunday, `${chosen} is in the week of ${sunday}`);
      assert.equal(await week.evaluate((el: HTMLInputElement) => el.validity.valid), true);
    }
    assert.deepEqual(errors, []);
  });
});
