// The waiting-hall TV page in a real Chromium: a call made on a hardware keypad over MQTT
// shows on the screen, right-to-left, with the hall's last calls and waiting counts.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startTestHub } from '../helpers/hub.ts';
import { launchChromium, screenshot, watchPageErrors } from './chromium.ts';

let browser: Browser;
before(async () => { browser = await launchChromium(); });
after(async () => { await browser?.close(); });

describe('the waiting-hall TV page (Chromium)', () => {
  test('a keypad call over MQTT appears on the TV page at once, with the banner and the last calls', async (t) => {
    const hub = await startTestHub(t);
    const kiosk = await hub.device('kiosk-1');
    for (let i = 0; i < 3; i++) assert.equal((await kiosk.request('ticket.issue', { line: 'A' })).ok, true);
    assert.equal((await kiosk.request('ticket.issue', { line: 'B' })).ok, true);

    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    t.after(() => page.close());
    const errors = watchPageErrors(page);
    await page.goto(`${hub.httpUrl}/tv`);
    const w1 = page.getByTestId('tv-window-1');
    await w1.waitFor();
    assert.equal((await w1.textContent())?.trim(), '—');
    assert.match(await page.locator('[data-line="A"]').innerText(), /3/);

    const keypad = await hub.device('keypad-1');
    assert.equal((await keypad.request('window.next', {})).ok, true);
    await page.waitForFunction(() => document.querySelector('sh-tv')?.shadowRoot?.querySelector('[data-testid="tv-window-1"]')?.textContent?.trim() === 'A001');
    await page.getByTestId('tv-banner').waitFor();
    assert.match(await page.getByTestId('tv-banner').innerText(), /A001/);
    assert.match(await page.locator('[data-line="A"]').innerText(), /2/);
    assert.match(await page.locator('.calls li').first().innerText(), /A001/);

    // A second call while the first is still announced waits its turn (no overlap): the
    // banner keeps the first until it finishes, then shows the second.
    const keypad4 = await hub.device('keypad-4');
    assert.equal((await keypad4.request('window.next', {})).ok, true);
    await page.waitForFunction(() => document.querySelector('sh-tv')?.shadowRoot?.querySelector('[data-testid="tv-window-4"]')?.textContent?.trim() === 'B001');
    assert.match(await page.getByTestId('tv-banner').innerText(), /A001/);
    await page.waitForFunction(() => /B001/.test(document.querySelector('sh-tv')?.shadowRoot?.querySelector('[data-testid="tv-banner"]')?.textContent ?? ''), null, { timeout: 10_000 });

    // Right-to-left: computed direction, and window numbers sit on the right of their tickets.
    assert.equal(await page.evaluate(() => getComputedStyle(document.documentElement).direction), 'rtl');
    const numBox = await page.locator('tr[data-window="1"] td').first().boundingBox();
    const ticketBox = await w1.boundingBox();
    assert.ok(numBox && ticketBox && numBox.x > ticketBox.x, 'the first column is on the right');
    // The bundled Cairo font is the one in use (no system font assumed).
    assert.equal(await page.evaluate(async () => { await document.fonts.ready; return document.fonts.check('16px Cairo', 'شباك'); }), true);
    await screenshot(page, 'tv');
    assert.deepEqual(errors, []);
  });

  test('the TV page can show Arabic-Indic digits', async (t) => {
    const hub = await startTestHub(t);
    const kiosk = await hub.device('kiosk-1');
    assert.equal((await kiosk.request('ticket.issue', { line: 'A' })).ok, true);
    const keypad = await hub.device('keypad-2');
    assert.equal((await keypad.request('window.next', {})).ok, true);
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    t.after(() => page.close());
    await page.goto(`${hub.httpUrl}/tv?digits=arabic`);
    await page.waitForFunction(() => document.querySelector('sh-tv')?.shadowRoot?.querySelector('[data-testid="tv-window-2"]')?.textContent?.trim() === 'A٠٠١');
    await screenshot(page, 'tv-arabic-digits');
  });
});
