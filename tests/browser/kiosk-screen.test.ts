// The kiosk's touch screen (/kiosk-screen, issue 14 item 2) in Debian's Chromium at a
// 1080×1920 portrait kiosk display: the technician pairs it with the kiosk's id and secret,
// a citizen taps a service, types a wrong mobile on the on-screen pad and is told in Arabic
// (no ticket), corrects it and gets the ticket shown on the screen while the SMS reaches the
// in-test SMSC; another citizen takes a ticket without a number. Each ticket also comes out
// of the kiosk's own printer (the kiosk program on sim IO; devices/{id}/print) and the screen
// says so; with the printer out of paper the screen shows the hub's Arabic refusal and
// issues nothing. Under the hub's CSP, RTL.
import { describe, test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, screenshot, watchPageErrors } from './chromium.ts';
import { hubWithSmsc, outbox, startSmsc, waitFor } from '../integration/sms-support.ts';
import { simOf, startSimDevice } from '../../hub/sim/sim-io.ts';
import type { KioskHandle } from '../../kiosk/main.ts';

let browser: Browser;
before(async () => { browser = await launchChromium(); });
after(async () => { await browser?.close(); });

async function typeDigits(page: Page, digits: string): Promise<void> {
  for (const d of digits) await page.locator('sh-kiosk-screen .pad button', { hasText: new RegExp(`^${d}$`) }).click();
}

describe('the kiosk touch screen', () => {
  test('paired with its kiosk, a citizen picks a service, a bad mobile is refused in Arabic, a good one gets the ticket and the SMS', async (t) => {
    const smsc = await startSmsc(t);
    const hub = await hubWithSmsc(t, smsc);
    // The kiosk's program, whose printer cuts the screen's tickets.
    const kiosk = (await startSimDevice('kiosk-1', { hubUrl: hub.mqttUrl, secret: hub.secretOf('kiosk-1'), link: { minReconnectMs: 100, maxReconnectMs: 300 } })) as KioskHandle;
    t.after(() => kiosk.stop());
    const printed: string[] = [];
    kiosk.events.on('printed', (n) => printed.push(n));
    await waitFor('the hub sees the kiosk\'s printer', () => hub.ctx.devices.info('kiosk-1')?.online === true && hub.ctx.devices.info('kiosk-1')?.health?.printer === 'ok');
    const context = await browser.newContext({ viewport: { width: 1080, height: 1920 }, hasTouch: true });
    t.after(() => context.close());
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    const errors = watchPageErrors(page);
    const pageErrors = () => errors.filter((e) => !/http 4\d\d/.test(e));

    await page.goto(`${hub.httpUrl}/kiosk-screen`);
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    // Not paired yet: the technician's form.
    await page.getByLabel('رقم الكشك').fill('kiosk-1');
    await page.getByLabel('الرمز السري').fill('wrong-secret');
    await page.getByRole('button', { name: 'ربط الشاشة' }).click();
    await page.getByTestId('kiosk-error').getByText('الرمز السري غير صحيح').waitFor();
    await page.getByLabel('الرمز السري').fill(hub.secretOf('kiosk-1'));
    await page.getByRole('button', { name: 'ربط الشاشة' }).click();

    // The services of the kiosk's buttons, big enough for a finger.
    const service = page.locator('sh-kiosk-screen button.service[data-line="A"]');
    await service.waitFor();
    const box = (await service.boundingBox())!;
    assert.ok(box.height >= 88, `button height ${box.height}`);
    await screenshot(page, 'kiosk-screen-services');
    await service.click();

    const tickets = () => (hub.ctx.db.prepare('SELECT count(*) AS n FROM tickets').get() as { n: number }).n;
    const before = tickets();
    await typeDigits(page, '0131234567');
    assert.equal(await page.getByTestId('kiosk-mobile').textContent(), '0131234567');
    await page.getByRole('button', { name: 'إصدار التذكرة مع رسالة' }).click();
    await page.getByTestId('kiosk-error').getByText('رقم المحمول غير صحيح').waitFor();
    assert.equal(tickets(), before, 'no ticket for a bad number');

    // Correct it: clear, type a good one.
    await page.getByRole('button', { name: 'مسح الكل' }).click();
    await typeDigits(page, '01012345678');
    await page.getByRole('button', { name: 'إصدار التذكرة مع رسالة' }).click();
    await page.getByTestId('kiosk-ticket').waitFor();
    const number = (await page.getByTestId('kiosk-ticket-number').textContent())!.trim();
    assert.match(number, /^A\d{3}$/);
    assert.equal(await page.getByTestId('kiosk-ticket-ahead').textContent(), 'لا أحد أمامك');
    await page.getByTestId('kiosk-ticket-sms').waitFor();
    assert.equal(await page.getByTestId('kiosk-ticket-take').textContent(), 'خذ تذكرتك من الطابعة');
    await waitFor('the ticket cut on the kiosk\'s printer', () => printed.includes(number));
    await screenshot(page, 'kiosk-screen-ticket');
    await waitFor('the SMS at the SMSC', () => smsc.messages().some((m) => m.dest === '201012345678'));
    assert.match(smsc.messages()[0].text, new RegExp(`تذكرتك رقم ${number}`));

    // The next citizen, no number: back to the services, then a ticket without SMS.
    await page.getByRole('button', { name: 'تم' }).click();
    await page.locator('sh-kiosk-screen button.service[data-line="A"]').click();
    await page.getByRole('button', { name: 'بدون رسائل' }).click();
    await page.getByTestId('kiosk-ticket').waitFor();
    assert.equal(await page.getByTestId('kiosk-ticket-ahead').textContent(), 'أمامك شخص واحد');
    assert.equal(await page.getByTestId('kiosk-ticket-sms').count(), 0);
    assert.equal(tickets(), before + 2);
    assert.equal(outbox(hub).length, 1);
    await waitFor('both tickets cut', () => printed.length === 2);
    assert.equal(simOf(kiosk.io)!.printed().length, 2);

    // The kiosk's printer runs out of paper: the screen is refused in Arabic, nothing issued.
    await page.getByRole('button', { name: 'تم' }).click();
    simOf(kiosk.io)!.setPaper('paper-out');
    await waitFor('the hub sees paper out', () => hub.ctx.devices.info('kiosk-1')?.health?.printer === 'paper-out');
    await page.locator('sh-kiosk-screen button.service[data-line="A"]').click();
    await page.getByRole('button', { name: 'بدون رسائل' }).click();
    await page.getByTestId('kiosk-error').getByText('طابعة الكشك غير جاهزة').waitFor();
    assert.equal(tickets(), before + 2);
    assert.deepEqual(pageErrors(), []);
  });
});
