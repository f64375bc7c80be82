// Issue 12 item 2, in Debian's Chromium: the window picker in the staff header offers the
// windows the hub has (GET /api/windows), not a fixed 1–12: a center that adds window 14
// sees it offered, and no window it does not have.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startTestHub } from '../helpers/hub.ts';
import { signIn } from '../helpers/staff.ts';
import { expectOk } from '../integration/files-support.ts';
import { launchChromium, signInPage, watchPageErrors } from './chromium.ts';

let browser: Browser;
before(async () => { browser = await launchChromium(); });
after(async () => { await browser?.close(); });

describe("the window picker reads the center's windows (Chromium)", () => {
  test('the window picker lists the center\'s own windows', async (t) => {
    const hub = await startTestHub(t);
    const admin = await signIn(hub, 'admin');
    expectOk(await admin.inject({ method: 'PUT', url: '/api/windows/14', payload: { labelAr: 'شباك الاستعلامات', labelEn: 'Inquiries', lines: ['D'] } }));
    const page = await signInPage(browser, hub, 'cashier');
    t.after(() => page.context().close());
    const errors = watchPageErrors(page);
    const select = page.getByTestId('window-select');
    await select.locator('option[value="14"]').waitFor({ state: 'attached' });
    const offered = await select.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    assert.deepEqual(offered, ['0', ...hub.ctx.queue.windowNumbers().map(String)]);
    assert.ok(offered.includes('14') && !offered.includes('12'));
    await select.selectOption('14');
    assert.equal(await page.evaluate(() => localStorage.getItem('shubbak.window')), '14');
    assert.deepEqual(errors, []);
  });
});
