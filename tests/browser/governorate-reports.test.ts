// The governorate's reports tab (/governorate#reports, issue 13 item 4) in a real Chromium:
// a center's closed days, made by the center's own report code (ReportService.closedDay),
// handed to the governorate's central store as the stream delivers them (applyBatch; the
// NATS path itself is tests/integration/governorate-reports.test.ts), shown in Arabic, RTL,
// with the count agreement of the report screens: "3 ملفات", "3 تذاكر", "59 يومًا", the
// closed-days note; the queues by center beside execution and bottlenecks.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startTestHub } from '../helpers/hub.ts';
import { FakeClock } from '../helpers/clock.ts';
import { launchChromium, screenshot, signInPage, watchPageErrors } from './chromium.ts';
import { DOKKI, NOW, at, files } from '../integration/governorate-reports-support.ts';
import { deviceActor } from '../../hub/domain/actor.ts';

let browser: Browser;
before(async () => { browser = await launchChromium(); });
after(async () => { await browser?.close(); });

test('the governorate\'s execution reports across centers: Arabic, RTL, closed days only', { timeout: 120_000 }, async (t) => {
  const clock = new FakeClock(NOW);
  const center = await startTestHub(t, { clock: clock.now, config: { centerId: 'giza-dokki' } });
  files(center.ctx.db, DOKKI);
  // Queue work on 28 Nov: three tickets, two served at window 1.
  clock.set(at('2026-11-28', 9));
  const line = center.ctx.queue.windowLines(1)[0];
  for (let i = 0; i < 3; i++) center.ctx.queue.issue({ line, by: deviceActor('kiosk-1') });
  for (let i = 0; i < 2; i++) {
    clock.advance(5 * 60_000);
    center.ctx.queue.next(1, deviceActor('keypad-1'));
    clock.advance(4 * 60_000);
    center.ctx.queue.finish(1, deviceActor('keypad-1'));
  }
  center.ctx.queue.close(1, deviceActor('keypad-1'));
  clock.set(NOW);
  center.ctx.reports.closeDays();
  const kept = center.ctx.reports.keptExecutionDays('2026-09-01');
  assert.ok(kept.length >= 59);
  const msgs = kept.map((k, i) => ({
    subject: 'centers.giza-dokki.report',
    data: JSON.stringify({ center: 'giza-dokki', seq: i + 1, kind: 'report', topic: 'report.day', at: NOW, payload: center.ctx.reports.closedDay(k.day, k.facts, i === kept.length - 1) }),
  }));
  const queueDays = center.ctx.reports.keptQueueDays('2026-09-01');
  msgs.push(...queueDays.map((k, i) => ({
    subject: 'centers.giza-dokki.report',
    data: JSON.stringify({ center: 'giza-dokki', seq: kept.length + i + 1, kind: 'report', topic: 'report.queue', at: NOW, payload: center.ctx.reports.closedQueueDay(k.day, k.facts) }),
  })));
  // The governorate's hub; its tier is not reachable here (its consumer keeps trying): the store is fed by hand.
  // On the real clock: the browser's session cookie expires by real time.
  const gov = await startTestHub(t, { config: { centerId: 'giza-governorate', governorateNats: ['nats://127.0.0.1:9'] } });
  assert.deepEqual(gov.governorate!.store.applyBatch(msgs), { applied: msgs.length, duplicates: 0, refused: 0 });

  const page = await signInPage(browser, gov, 'manager');
  t.after(() => page.context().close());
  const errors = watchPageErrors(page);
  await page.goto(`${gov.httpUrl}/governorate#reports`);
  await page.getByTestId('governorate-execution').waitFor();
  assert.equal(await page.evaluate(() => getComputedStyle(document.documentElement).direction), 'rtl');
  // The period of dokki's days: 1 Oct – 28 Nov.
  await page.locator('input[name="from"]').fill('2026-10-01');
  await page.locator('input[name="from"]').dispatchEvent('change');
  await page.locator('input[name="to"]').fill('2026-11-28');
  await page.locator('input[name="to"]').dispatchEvent('change');
  await page.getByRole('button', { name: 'عرض' }).click();
  const row = page.locator('table[data-table="centers"] tr[data-center="giza-dokki"]');
  await page.waitForFunction(() => document.querySelector('sh-governorate')?.shadowRoot?.querySelector('tr[data-center="giza-dokki"]')?.textContent?.includes('59'));
  // 59 closed days, 3 files received, 2 decided, half of them within the legal period; in agreement.
  assert.match(await row.innerText(), /59 يومًا/);
  assert.equal(await page.getByTestId('all-received').innerText(), '3 ملفات');
  assert.equal(await page.getByTestId('all-in-time').innerText(), '50%');
  assert.match(await page.getByTestId('closed-days').innerText(), /الأيام المنتهية فقط/);
  assert.equal(await page.getByTestId('all-tickets').innerText(), '3 تذاكر');
  assert.match(await page.locator('table[data-table="overdue"]').innerText(), /giza-dokki\s+D2/);
  assert.match(await page.locator('table[data-table="stages"]').innerText(), /يوم/);
  await screenshot(page, 'governorate-reports');
  // The live board is the other tab.
  await page.getByRole('tab', { name: 'اللوحة الحية' }).click();
  await page.getByText('لا توجد مراكز بعد').or(page.getByTestId('governorate-centers')).waitFor();
  assert.deepEqual(errors, []);
});
