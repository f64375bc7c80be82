// Issue 11 items 3 and 5 in Chromium, at the window clerk's console: P, N, P on a paused
// window calls nobody and closes nobody; Pause with a citizen at the window is refused
// (finish first); Finish (button and F key) ends the service and leaves the window idle.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startTestHub, type TestHub } from '../helpers/hub.ts';
import { launchChromium, signInPage, watchPageErrors } from './chromium.ts';
import { SYSTEM } from '../../hub/domain/actor.ts';

let browser: Browser;
before(async () => { browser = await launchChromium(); });
after(async () => { await browser?.close(); });

const visits = (hub: TestHub) =>
  hub.ctx.db.prepare('SELECT t.label, v.status FROM visits v JOIN tickets t ON t.id = v.ticket_id ORDER BY v.id').all().map((r) => ({ ...(r as object) }));

describe("the window clerk's console through a day (Chromium)", () => {
  test('P, N, P on the console: the paused window calls nobody and loses nobody', async (t) => {
    const hub = await startTestHub(t);
    hub.ctx.queue.issue({ line: 'A', by: SYSTEM });
    const page = await signInPage(browser, hub, 'citizen_service'); // window 3 serves D and A
    t.after(() => page.context().close());
    const errors = watchPageErrors(page);
    await page.getByTestId('current-ticket').waitFor();
    await page.keyboard.press('KeyP');
    await page.locator('[data-status="paused"]').waitFor();
    await page.keyboard.press('KeyN');
    await page.getByRole('alert').getByText('الشباك متوقف مؤقتاً').waitFor();
    await page.keyboard.press('KeyP');
    await page.locator('[data-status="idle"]').waitFor();
    // Give any stray request time to land before looking at the database.
    await page.waitForTimeout(300);
    assert.deepEqual(visits(hub), [{ label: 'A001', status: 'waiting' }], 'A001 was neither called nor closed');
    assert.equal(hub.ctx.queue.hallCalls().calls.length, 0);
    assert.deepEqual(errors, []);
  });

  test('Pause with a citizen at the window is refused; Finish (button, then F) ends the service', async (t) => {
    const hub = await startTestHub(t);
    hub.ctx.queue.issue({ line: 'A', by: SYSTEM });
    hub.ctx.queue.issue({ line: 'A', by: SYSTEM });
    const page = await signInPage(browser, hub, 'citizen_service');
    t.after(() => page.context().close());
    const errors = watchPageErrors(page);
    await page.getByTestId('current-ticket').waitFor();
    await page.keyboard.press('KeyN');
    await page.getByTestId('current-ticket').getByText('A001').waitFor();
    assert.equal(await page.getByRole('button', { name: /إيقاف مؤقت/ }).isDisabled(), true, 'Pause waits for Finish');
    await page.keyboard.press('KeyP');
    await page.getByRole('alert').getByText('أنهِ خدمته أولاً').waitFor();
    await page.waitForTimeout(300);
    assert.deepEqual(visits(hub)[0], { label: 'A001', status: 'called' }, 'the citizen is still being served');
    await page.getByRole('button', { name: /إنهاء الخدمة/ }).click();
    await page.locator('[data-status="idle"]').waitFor();
    await page.getByTestId('current-ticket').getByText('لا يوجد رقم').waitFor();
    assert.deepEqual(visits(hub)[0], { label: 'A001', status: 'done' });
    await page.keyboard.press('KeyN');
    await page.getByTestId('current-ticket').getByText('A002').waitFor();
    await page.keyboard.press('KeyF');
    await page.locator('[data-status="idle"]').waitFor();
    assert.deepEqual(visits(hub), [{ label: 'A001', status: 'done' }, { label: 'A002', status: 'done' }]);
    await page.keyboard.press('KeyP');
    await page.locator('[data-status="paused"]').waitFor();
    assert.deepEqual(errors, []);
  });
});
