// The administrator's side of device enrollment in a real Chromium (issue 10 item 5): the
// devices panel issues a one-time code, shows it with the command to type and a QR code of
// that command, and the code shown is one the hub accepts, once.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startTestHub } from '../helpers/hub.ts';
import { launchChromium, screenshot, signInPage, watchPageErrors } from './chromium.ts';

let browser: Browser;
before(async () => { browser = await launchChromium(); });
after(async () => { await browser?.close(); });

describe("device enrollment from the administrator's panel (Chromium)", () => {
  test('the devices panel shows a one-time enrollment code, its command and a QR code; the hub takes it once', async (t) => {
    const hub = await startTestHub(t);
    const page = await signInPage(browser, hub, 'sysadmin');
    t.after(() => page.context().close());
    const errors = watchPageErrors(page);
    await page.getByRole('tab', { name: 'الأجهزة' }).click();
    await page.locator('tr[data-device="keypad-4"]').getByRole('button', { name: 'رمز تسجيل' }).click();
    const code = (await page.getByTestId('enrollment-code').innerText()).trim();
    assert.match(code, /^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    const command = (await page.getByTestId('enrollment-command').innerText()).trim();
    assert.equal(command, `shubbak-device enroll ${hub.httpUrl} ${code}`);
    await page.locator(`[data-qr="${command}"] svg`).waitFor();
    await screenshot(page, 'panel-admin-enrollment');

    const redeem = () => fetch(`${hub.httpUrl}/api/enroll`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
    const first = await redeem();
    assert.equal(first.status, 200);
    assert.equal(((await first.json()) as { deviceId: string }).deviceId, 'keypad-4');
    const second = await redeem();
    assert.equal(((await second.json()) as { error: { code: string } }).error.code, 'ENROLL_CODE_USED');
    assert.deepEqual(errors, []);
  });

  test('an observer registered on the devices panel gets its secret once, no enrollment code, and can read the state (issue 13)', async (t) => {
    const hub = await startTestHub(t);
    const page = await signInPage(browser, hub, 'sysadmin');
    t.after(() => page.context().close());
    const errors = watchPageErrors(page);
    await page.getByRole('tab', { name: 'الأجهزة' }).click();
    await page.getByLabel('المعرّف').fill('dashboard');
    await page.getByLabel('النوع').selectOption('observer');
    await page.getByRole('button', { name: 'تسجيل جهاز' }).click();
    const shown = (await page.getByTestId('device-secret').innerText()).trim();
    const secret = shown.split(/\s+/).pop()!;
    assert.match(secret, /^[A-Za-z0-9_-]{43}$/);
    await page.locator('tr[data-device="dashboard"]').waitFor();
    assert.equal(await page.getByTestId('enrollment').count(), 0, 'no enrollment code for an observer');
    assert.equal(await page.locator('tr[data-device="dashboard"]').getByRole('button', { name: 'رمز تسجيل' }).count(), 0);
    assert.equal(hub.ctx.devices.kindOf('dashboard'), 'observer');
    const obs = await hub.rawClient({ clientId: 'dashboard.t', username: 'dashboard', password: secret });
    assert.equal((await obs.subscribeAsync('shubbak/v1/hub/status', { qos: 1 }))[0].qos, 1);
    assert.deepEqual(errors, []);
  });
});
