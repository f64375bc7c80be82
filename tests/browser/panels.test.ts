// The staff panels in a real Chromium against a real hub: sign-in per role, the window
// clerk's hot path by keyboard, a call from a panel reaching the TV, a refused action's
// Arabic message, right-to-left layout and the English toggle, session expiry.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { ERROR_MESSAGES } from '@shubbak/protocol';
import { startTestHub, type TestHub } from '../helpers/hub.ts';
import { readStaffFile } from '../../hub/db/seed-staff.ts';
import { launchChromium, screenshot, signInPage as signInAs, watchPageErrors } from './chromium.ts';

let browser: Browser;
before(async () => { browser = await launchChromium(); });
after(async () => { await browser?.close(); });

const signInPage = (hub: TestHub, username: string, viewport?: { width: number; height: number }) => signInAs(browser, hub, username, viewport);

const tvTicket = (page: Page, n: number) =>
  page.evaluate((w) => document.querySelector('sh-tv')?.shadowRoot?.querySelector(`[data-testid="tv-window-${w}"]`)?.textContent?.trim(), n);

describe('the staff panels per role (Chromium)', () => {
  test('reception issues a ticket, the intake clerk calls it with one key, the TV shows it', async (t) => {
    const hub = await startTestHub(t);
    const tv = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    t.after(() => tv.close());
    await tv.goto(`${hub.httpUrl}/tv`);
    await tv.getByTestId('tv-window-1').waitFor();

    const reception = await signInPage(hub, 'reception');
    t.after(() => reception.context().close());
    const receptionErrors = watchPageErrors(reception);
    await reception.locator('button[data-line="A"]').click();
    const ticket = reception.getByTestId('issued-ticket');
    await ticket.waitFor();
    assert.match(await ticket.innerText(), /A001/);
    await screenshot(reception, 'panel-reception');
    // The printed ticket: only the ticket on the page in print media.
    await reception.emulateMedia({ media: 'print' });
    // Every screen-only card (issuing, the booking check-in) is hidden on paper.
    const screenOnly = await reception.locator('sh-reception .card.no-print').all();
    assert.ok(screenOnly.length >= 2, `${screenOnly.length} screen-only cards`);
    for (const card of screenOnly) assert.equal(await card.isVisible(), false);
    assert.equal(await ticket.isVisible(), true);
    await reception.emulateMedia({ media: 'screen' });

    const intake = await signInPage(hub, 'intake');
    t.after(() => intake.context().close());
    const errors = watchPageErrors(intake);
    const current = intake.getByTestId('current-ticket');
    await current.waitFor();
    assert.equal((await current.innerText()).trim(), 'لا يوجد رقم');
    await intake.keyboard.press('KeyN');
    await intake.waitForFunction(() => document.querySelector('sh-app')?.shadowRoot?.querySelector('sh-window-console')?.shadowRoot
      ?.querySelector('[data-testid="current-ticket"]')?.textContent?.trim() === 'A001');
    await tv.waitForFunction(() => document.querySelector('sh-tv')?.shadowRoot?.querySelector('[data-testid="tv-window-1"]')?.textContent?.trim() === 'A001');
    assert.equal(await tvTicket(tv, 1), 'A001');
    await screenshot(intake, 'panel-intake');
    assert.deepEqual(errors, []);
    assert.deepEqual(receptionErrors, []);
  });

  test('a refused action shows the hub\'s Arabic message and code', async (t) => {
    const hub = await startTestHub(t);
    const page = await signInPage(hub, 'delivery');
    t.after(() => page.context().close());
    await page.getByTestId('current-ticket').waitFor();
    await page.getByRole('button', { name: /إعادة النداء/ }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), new RegExp(ERROR_MESSAGES.NO_CURRENT_TICKET.ar));
    assert.equal(await alert.getAttribute('data-code'), 'NO_CURRENT_TICKET');
    await screenshot(page, 'refused-action');
  });

  test('right-to-left by default, mirrored layout, and the English toggle', async (t) => {
    const hub = await startTestHub(t);
    const page = await signInPage(hub, 'revenue');
    t.after(() => page.context().close());
    await page.getByTestId('current-ticket').waitFor();
    const dir = () => page.evaluate(() => getComputedStyle(document.documentElement).direction);
    assert.equal(await dir(), 'rtl');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'ar');
    const next = page.getByRole('button', { name: /نداء التالي/ });
    const noShow = page.getByRole('button', { name: /لم يحضر/ });
    const rtlNext = (await next.boundingBox())!;
    const rtlNoShow = (await noShow.boundingBox())!;
    assert.ok(rtlNext.x > rtlNoShow.x, 'the first action is at the right in Arabic');

    await page.getByRole('button', { name: 'English' }).click();
    assert.equal(await dir(), 'ltr');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    const ltrNext = (await page.getByRole('button', { name: /Call next/ }).boundingBox())!;
    const ltrNoShow = (await page.getByRole('button', { name: /No-show/ }).boundingBox())!;
    assert.ok(ltrNext.x < ltrNoShow.x, 'the first action is at the left in English');
    await screenshot(page, 'panel-revenue-english');
    // The choice sticks across a reload, and switches back.
    await page.reload();
    await page.getByRole('button', { name: /Call next/ }).waitFor();
    await page.getByRole('button', { name: 'العربية' }).click();
    assert.equal(await dir(), 'rtl');
  });

  test('an expired session brings back the sign-in with a message', async (t) => {
    const hub = await startTestHub(t);
    const page = await signInPage(hub, 'cashier');
    t.after(() => page.context().close());
    await page.getByTestId('current-ticket').waitFor();
    await page.context().clearCookies(); // as if the session ran out
    await page.keyboard.press('KeyN');
    await page.getByText('انتهت الجلسة، سجّل الدخول مرة أخرى').waitFor();
    assert.equal(await page.getByLabel('اسم المستخدم').isVisible(), true);
  });

  test('every role signs in and sees its panels (screenshots)', async (t) => {
    const hub = await startTestHub(t);
    const users = readStaffFile(hub.dataDir)!.users;
    const kiosk = await hub.device('kiosk-1');
    await kiosk.request('ticket.issue', { line: 'A' });
    await hub.device('led-1');
    for (const u of users) {
      const page = await signInPage(hub, u.username);
      const errors = watchPageErrors(page);
      await page.waitForTimeout(300); // let the live snapshot and first fetches render
      await screenshot(page, `panel-${u.username}`);
      assert.match(await page.getByTestId('user-name').innerText(), new RegExp(u.name.slice(0, 4)));
      assert.deepEqual(errors, [], u.username);
      await page.context().close();
    }
  });

  test('the administrator registers a device and sees its one-time secret', async (t) => {
    const hub = await startTestHub(t);
    const page = await signInPage(hub, 'sysadmin');
    t.after(() => page.context().close());
    await page.getByRole('tab', { name: 'الأجهزة' }).click();
    await page.getByLabel('المعرّف').fill('keypad-9');
    await page.getByLabel('الشباك').first().fill('2');
    await page.getByRole('button', { name: 'تسجيل جهاز' }).click();
    const secret = page.getByTestId('device-secret');
    await secret.waitFor();
    assert.match(await secret.innerText(), /keypad-9/);
    assert.equal(await page.getByLabel('المعرّف').inputValue(), '', 'the form is cleared for the next device');
    assert.equal(await page.getByRole('alert').count(), 0);
    const registered = hub.ctx.devices.info('keypad-9');
    assert.equal(registered?.binding.window, 2);
    // The entrance kiosk's buttons, rebound to three lines in a new order.
    const kioskLines = page.getByLabel('أزرار الخدمات (حروف بالترتيب) kiosk-1');
    await kioskLines.fill('D A B');
    await kioskLines.press('Tab');
    for (let i = 0; i < 50 && JSON.stringify(hub.ctx.devices.info('kiosk-1')?.binding.buttons) !== JSON.stringify([{ key: 0, line: 'D' }, { key: 1, line: 'A' }, { key: 2, line: 'B' }]); i++) await page.waitForTimeout(50);
    assert.deepEqual(hub.ctx.devices.info('kiosk-1')?.binding.buttons, [{ key: 0, line: 'D' }, { key: 1, line: 'A' }, { key: 2, line: 'B' }]);
    await screenshot(page, 'panel-admin-devices');
  });

  test('a call from the hardware keypad shows in the clerk\'s panel at once', async (t) => {
    const hub = await startTestHub(t);
    const page = await signInPage(hub, 'intake2'); // window 2
    t.after(() => page.context().close());
    await page.getByTestId('current-ticket').getByText('لا يوجد رقم').waitFor();
    const kiosk = await hub.device('kiosk-1');
    assert.equal((await kiosk.request('ticket.issue', { line: 'A' })).ok, true);
    await page.locator('[data-waiting="A"]').getByText('1').waitFor();
    const keypad = await hub.device('keypad-2');
    assert.equal((await keypad.request('window.next', {})).ok, true);
    await page.getByTestId('current-ticket').getByText('A001').waitFor();
    await page.locator('[data-status="serving"]').waitFor();
  });

  test('the clerk transfers the citizen to another line and pauses the window by keyboard', async (t) => {
    const hub = await startTestHub(t);
    const kiosk = await hub.device('kiosk-1');
    assert.equal((await kiosk.request('ticket.issue', { line: 'D' })).ok, true);
    const page = await signInPage(hub, 'citizen_service'); // window 3 serves D and A
    t.after(() => page.context().close());
    await page.getByTestId('current-ticket').waitFor();
    await page.keyboard.press('KeyN');
    await page.getByTestId('current-ticket').getByText('D001').waitFor();
    await page.getByLabel('تحويل إلى').selectOption('B');
    await page.getByRole('button', { name: 'تحويل', exact: true }).click();
    await page.getByTestId('current-ticket').getByText('لا يوجد رقم').waitFor();
    assert.equal(hub.ctx.queue.lineState('B').waiting, 1, 'the same ticket now waits at the treasury');
    await page.keyboard.press('KeyP');
    await page.locator('[data-status="paused"]').waitFor();
    assert.equal(hub.ctx.queue.windowState(3).status, 'paused');
    await page.keyboard.press('KeyP');
    await page.locator('[data-status="idle"]').waitFor();
  });
});
