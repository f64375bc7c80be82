// The public booking page (/book, issue 14 item 3) in Chromium on a 390×844 phone: Arabic,
// RTL, the lines and a day's free slots from the API, a booking shows its code (the same
// the hub stored and queued by SMS), a second booking the same day shows the hub's Arabic
// refusal, and no CSP violation or page error.
import { describe, test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startTestHub } from '../helpers/hub.ts';
import { FakeClock } from '../helpers/clock.ts';
import { launchChromium, screenshot, watchPageErrors } from './chromium.ts';

let browser: Browser;
before(async () => { browser = await launchChromium(); });
after(async () => { await browser?.close(); });

const SUNDAY = '2026-12-06';

describe('the public booking page', () => {
  test('a citizen books a slot on the phone and sees the code; booking again that day is refused in Arabic', async (t) => {
    const clock = new FakeClock(Date.parse(`${SUNDAY}T08:30:00+02:00`));
    const hub = await startTestHub(t, { clock: clock.now });
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    t.after(() => page.close());
    const errors = watchPageErrors(page);
    const csp: string[] = [];
    page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) csp.push(m.text()); });
    await page.goto(`${hub.httpUrl}/book`);
    assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
    await page.locator('#line option').first().waitFor({ state: 'attached' });
    await page.selectOption('#line', 'A');
    await page.fill('#day', SUNDAY);
    await page.dispatchEvent('#day', 'change');
    await page.locator('#time option[value="09:00"]').waitFor({ state: 'attached' });
    await page.selectOption('#time', '09:00');
    await page.fill('input[name="nationalId"]', '29001010112345');
    await page.fill('input[name="mobile"]', '01012345678');
    await page.click('#book .go');
    await page.getByTestId('booking-code').filter({ hasText: /\d{8}/ }).waitFor();
    const code = (await page.getByTestId('booking-code').innerText()).trim();
    const row = hub.ctx.db.prepare('SELECT line, slot_hm, national_id, mobile FROM appointments WHERE code = ?').get(code);
    assert.deepEqual({ ...(row as object) }, { line: 'A', slot_hm: '09:00', national_id: '29001010112345', mobile: '201012345678' });
    assert.match(await page.locator('#book-msg').innerText(), /تم الحجز/);
    await screenshot(page, 'appointment-booked-390x844');
    // The same person again that day: the hub's refusal, in Arabic, on the page.
    await page.locator('#time option[value="09:15"]').waitFor({ state: 'attached' });
    await page.selectOption('#time', '09:15');
    await page.click('#book .go');
    await page.locator('#book-msg', { hasText: 'لديك حجز' }).waitFor();
    assert.equal((hub.ctx.db.prepare('SELECT count(*) AS n FROM appointments').get() as { n: number }).n, 1);
    assert.deepEqual(errors, []);
    assert.deepEqual(csp, []);
  });
});
