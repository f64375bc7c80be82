// `npm start`'s simulated center: the hub forks one process running every demo device's
// real program on sim IO, and /sim drives them from a real Chromium.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startTestHub } from '../helpers/hub.ts';
import { launchChromium, watchPageErrors } from '../browser/chromium.ts';
import { startSimulator } from '../../hub/sim/simulator.ts';

describe('the simulated center of npm start', () => {
  test('the simulator runs the demo devices and /sim drives the whole center', async (t) => {
    const hub = await startTestHub(t, { config: { simulate: true } });
    const stopSim = await startSimulator(hub);
    const browser = await launchChromium();
    try {
      assert.ok(hub.app.sim?.running);
      // Bad input: a clear error, nothing pressed.
      const bad = await hub.app.inject({ method: 'POST', url: '/sim/press', payload: { device: 'kiosk-1', key: 'A' } });
      assert.equal(bad.statusCode, 400);
      assert.ok(bad.json().error.message);
      const unknown = await hub.app.inject({ method: 'POST', url: '/sim/press', payload: { device: 'kiosk-9', key: 0 } });
      assert.equal(unknown.statusCode, 404);
      assert.match(unknown.json().error.message, /لا يوجد جهاز تجريبي/);
      const notKiosk = await hub.app.inject({ method: 'POST', url: '/sim/paper', payload: { device: 'led-1', state: 'paper-out' } });
      assert.equal(notKiosk.statusCode, 400);

      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, locale: 'ar-EG' });
      const errors = watchPageErrors(page);
      await page.goto(`${hub.httpUrl}/sim`);
      assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
      const buttonA = page.locator('.kbtn[data-key="0"]');
      await buttonA.waitFor();
      await page.waitForFunction(() => document.querySelector('.kbtn[data-key="0"]')?.classList.contains('lamp-on'), null, { timeout: 15_000 });
      await buttonA.click();
      await page.locator('#ticket img').waitFor({ timeout: 15_000 });
      await buttonA.click();
      await page.waitForFunction(() => document.querySelector('[data-id="keypad-1"] .led')?.textContent?.includes('2'), null, { timeout: 15_000 });
      await page.locator('[data-id="keypad-1"] .key[data-key="0"]').click(); // Next
      await page.waitForFunction(() => document.querySelector('[data-id="led-1"] .led')?.textContent?.trim() === 'A001', null, { timeout: 15_000 });
      await page.waitForFunction(() => document.querySelector('#hall-rows')?.textContent?.includes('A001'), null, { timeout: 15_000 });
      await page.waitForFunction(() => document.querySelector('#hall-call')?.textContent?.includes('التذكرة رقم'), null, { timeout: 15_000 });
      assert.equal(hub.ctx.queue.windowState(1).ticket, 'A001');
      fs.mkdirSync('artifacts', { recursive: true });
      await page.screenshot({ path: path.join('artifacts', 'sim.png'), fullPage: true });
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
      await stopSim();
    }
    assert.equal(hub.app.sim?.running, false, 'the devices process is gone');
  });
});
