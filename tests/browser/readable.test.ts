// Issue 11, "readable for the people who use it" and the live floor, in Debian's Chromium
// against a real hub: histories by name and in Arabic words (10), the representative's
// reason reaching the intake clerk and the citizen (11), one printed inquiry number and
// copy-paste accepted (12), the status page on a phone (13), Arabic number agreement and
// reports a manager reads (14), Back between tabs (15), the clerk and the device alerts
// on the live floor (16). Screenshots go to artifacts/screenshots/ for a person to look at.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startTestHub, type TestHub } from '../helpers/hub.ts';
import { FakeClock } from '../helpers/clock.ts';
import { signIn } from '../helpers/staff.ts';
import { CITIZEN, expectOk, fileAtDepartment, fileInReview, service, type ComplaintReply, type FileReply, type OrderReply } from '../integration/files-support.ts';
import { launchChromium, screenshot, signInPage, watchPageErrors } from './chromium.ts';

let browser: Browser;
before(async () => { browser = await launchChromium(); });
after(async () => { await browser?.close(); });

const nameOf = (hub: TestHub, username: string) => hub.ctx.staff.findByUsername(username)!.name;

/** A file returned by the representative for a missing document, through the API. */
async function returnedFile(hub: TestHub, reason: string) {
  const intake = await signIn(hub, 'intake');
  const rep = await signIn(hub, 'representative');
  const f = await fileInReview(hub, intake);
  return expectOk<FileReply>(await rep.inject({ method: 'POST', url: `/api/files/${f.id}/return`, payload: { version: f.version, reason } }));
}

/** A file of a fee-free service walked to the department and refused there. */
async function refusedByDepartment(hub: TestHub, reason: string) {
  const rep = await signIn(hub, 'representative');
  const f = await fileAtDepartment(hub);
  return expectOk<FileReply>(await rep.inject({ method: 'POST', url: `/api/files/${f.id}/decide`, payload: { decision: 'refused', reason } }));
}

async function lookUp(page: Page, inquiry: string, nid4: string): Promise<void> {
  await page.getByLabel('رقم الاستعلام').fill(inquiry);
  await page.getByLabel('آخر أربعة أرقام من الرقم القومي').fill(nid4);
  await page.getByRole('button', { name: 'استعلام' }).click();
}

describe('panels readable for the people who use them, and the live floor (Chromium)', () => {
  test('10: the inspection view and the file history name people and actions in Arabic, with Cairo dates and labelled changes', async (t) => {
    const hub = await startTestHub(t);
    const f = await returnedFile(hub, 'صورة عقد الملكية غير واضحة');
    const page = await signInPage(browser, hub, 'manager');
    t.after(() => page.context().close());
    const errors = watchPageErrors(page);
    await page.getByRole('tab', { name: 'تفتيش مفاجئ' }).click();
    await page.getByLabel('رقم الاستعلام أو الرقم').fill(f.inquiryDisplay);
    await page.getByRole('button', { name: 'فتح' }).click();
    const history = page.getByTestId('inspection-history');
    await history.waitFor();
    const text = await history.innerText();
    // Who: the clerk's name and role, never 'user:5'.
    assert.ok(text.includes(nameOf(hub, 'intake')), `the intake clerk by name in:\n${text}`);
    assert.ok(text.includes('شباك استلام الطلبات'), 'with the role');
    assert.ok(text.includes(nameOf(hub, 'representative')), 'the representative by name');
    assert.doesNotMatch(text, /user:\d/);
    // What: Arabic words, never 'file.approve'.
    assert.ok(text.includes('تسجيل الملف') && text.includes('إعادة لاستيفاء المستندات'), text);
    assert.doesNotMatch(text, /\b(file|complaint|auth)\.[a-z_]+/);
    // When and what changed: no epoch numbers, no JSON, labelled fields with stages in words.
    assert.doesNotMatch(text, /(?<!\d)1\d{12}(?!\d)/, 'no epoch milliseconds');
    assert.doesNotMatch(text, /[{}"]|\w+: *\[/);
    assert.ok(text.includes('المرحلة'), 'the changed field is labelled');
    assert.ok(text.includes('المراجعة الفنية لدى مندوب الإدارة'), 'the stage in words');
    // The file card's own history (stages) names people too.
    const card = await page.getByTestId('file-card').innerText();
    assert.doesNotMatch(card, /user:\d/);
    assert.ok(card.includes(nameOf(hub, 'intake')));
    await screenshot(page, 'inspection-view');
    assert.deepEqual(errors, []);
  });

  test('11: the representative\'s reason reaches the intake clerk\'s desk and the citizen\'s status page', async (t) => {
    const hub = await startTestHub(t);
    const reason = 'صورة عقد الملكية غير واضحة';
    const f = await returnedFile(hub, reason);
    const intake = await signInPage(browser, hub, 'intake');
    t.after(() => intake.context().close());
    await intake.locator(`tr[data-inquiry="${f.inquiry}"]`).click();
    const why = intake.getByTestId('file-reason');
    await why.waitFor();
    assert.ok((await why.innerText()).includes(reason), 'the clerk reads why it came back');
    assert.ok((await why.innerText()).includes(nameOf(hub, 'representative')), 'and who returned it');

    const refusal = 'الموقع خارج الحيز العمراني';
    const g = await refusedByDepartment(hub, refusal);
    const status = await browser.newPage({ viewport: { width: 390, height: 844 } });
    t.after(() => status.close());
    for (const [inq, text] of [[f.inquiryDisplay, reason], [g.inquiryDisplay, refusal]] as const) {
      await status.goto(`${hub.httpUrl}/status`);
      await lookUp(status, inq, '4567');
      await status.getByTestId('status-result').waitFor();
      const notes = await status.getByTestId('status-result').innerText();
      assert.ok(notes.includes(text), `the citizen reads "${text}" in:\n${notes}`);
    }
  });

  test('12: one printed inquiry number everywhere, and any pasted form of it is found', async (t) => {
    const hub = await startTestHub(t);
    const f = await returnedFile(hub, 'ينقص المستند');
    assert.match(f.inquiryDisplay, /^F-\d{4}-\d{6}-\d{2}$/);
    // The payment order and receipt carry the printed form (and so does the receipt's QR code).
    const g = await fileInReview(hub, await signIn(hub, 'intake'));
    const rep = await signIn(hub, 'representative');
    const permit = service(hub, 'BLD-PERMIT').fees.find((x) => x.kind === 'variable')!;
    const reviewed = expectOk<FileReply>(await rep.inject({ method: 'POST', url: `/api/files/${g.id}/review`, payload: { version: g.version, fees: [{ code: permit.code, amountPiasters: 12_500 }], signature: 'م. خالد' } }));
    const order = expectOk<OrderReply>(await (await signIn(hub, 'revenue')).inject({ method: 'POST', url: `/api/files/${reviewed.id}/payment-order` }), 201);
    assert.equal(order.fileInquiry, reviewed.inquiryDisplay);

    // The status page shows the printed form whatever was typed.
    const status = await browser.newPage();
    t.after(() => status.close());
    await status.goto(`${hub.httpUrl}/status`);
    await lookUp(status, f.inquiry.toLowerCase(), '4567');
    assert.equal((await status.getByTestId('status-inquiry').innerText()).trim(), f.inquiryDisplay);

    // Copied from a printed Arabic form: direction marks, en dashes, no-break spaces, Arabic-Indic digits, lower case.
    const toArabic = (s: string) => s.replace(/\d/g, (d) => '٠١٢٣٤٥٦٧٨٩'[Number(d)]);
    const pasted = `\u200f${toArabic(f.inquiryDisplay).toLowerCase().replace(/-/g, '\u00a0\u2013\u00a0')}\u200e `;
    const intake = await signInPage(browser, hub, 'intake');
    t.after(() => intake.context().close());
    const errors = watchPageErrors(intake);
    await intake.getByLabel('بحث برقم الاستعلام').fill(pasted);
    await intake.getByRole('button', { name: 'بحث', exact: true }).click();
    await intake.getByTestId('file-inquiry').getByText(f.inquiryDisplay).waitFor();
    assert.deepEqual(errors, []);

    // A complaint's slip and list use the printed form too.
    const cs = await signIn(hub, 'citizen_service');
    const eng = hub.ctx.catalog.departmentByCode('ENG')!;
    const c = expectOk<ComplaintReply>(await cs.inject({ method: 'POST', url: '/api/complaints', payload: { citizen: CITIZEN, departmentId: eng.id, subject: 'إنارة الشارع', body: 'أعمدة الإنارة مطفأة منذ أسبوع' } }), 201);
    const window = await signInPage(browser, hub, 'citizen_service');
    t.after(() => window.context().close());
    await window.getByRole('tab', { name: 'الشكاوى' }).click();
    await window.locator(`tr[data-inquiry="${c.inquiryDisplay}"]`).getByText(c.inquiryDisplay).waitFor();
  });

  test('13: the status page on a phone takes Arabic-Indic digits and the letter, and speaks Arabic when something is missing', async (t) => {
    const hub = await startTestHub(t);
    const f = await returnedFile(hub, 'ينقص رسم هندسي معتمد');
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    t.after(() => page.close());
    const errors = watchPageErrors(page);
    await page.goto(`${hub.httpUrl}/status`);
    const inquiry = page.getByLabel('رقم الاستعلام');
    assert.notEqual(await inquiry.getAttribute('inputmode'), 'numeric', 'a phone keyboard with letters for the F');
    // Nothing typed: the page's own Arabic messages, not a browser bubble in English.
    await page.getByRole('button', { name: 'استعلام' }).click();
    await page.getByTestId('error-inquiry').waitFor();
    assert.match(await page.getByTestId('error-inquiry').innerText(), /رقم الاستعلام/);
    assert.match(await page.getByTestId('error-nid4').innerText(), /آخر أربعة أرقام/);
    assert.equal(await page.evaluate(() => document.querySelector('sh-status')!.shadowRoot!.querySelector('form')!.noValidate), true);
    await screenshot(page, 'status-page-phone-errors');
    // Arabic-Indic digits in both fields, the letter typed in lower case.
    await lookUp(page, f.inquiry.toLowerCase().replace(/\d/g, (d: string) => '٠١٢٣٤٥٦٧٨٩'[Number(d)]), '٤٥٦٧');
    await page.getByTestId('status-result').waitFor();
    assert.match(await page.getByTestId('status-stage').innerText(), /إعادة|استيفاء/);
    assert.equal(await page.getByTestId('error-inquiry').count(), 0);
    // Nothing sticks out of a phone's width.
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390), 'no sideways scrolling');
    await screenshot(page, 'status-page-phone');
    assert.deepEqual(errors, []);
  });

  test('14: counts agree in Arabic on the reception\'s ticket, the TV and the reports; the reports speak plainly', async (t) => {
    const hub = await startTestHub(t);
    const reception = await signInPage(browser, hub, 'reception');
    t.after(() => reception.context().close());
    await reception.locator('button[data-line="A"]').click();
    const ticket = reception.getByTestId('issued-ticket');
    await ticket.getByText('A001').waitFor();
    const text = await ticket.innerText();
    assert.ok(text.includes('لا أحد أمامك'), `the first ticket says nobody is ahead:\n${text}`);
    assert.doesNotMatch(text, /أمامك 0|0 دقيقة/);
    await reception.locator('button[data-line="A"]').click();
    await ticket.getByText('A002').waitFor();
    assert.ok((await ticket.innerText()).includes('أمامك شخص واحد'));

    const tv = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    t.after(() => tv.close());
    await tv.goto(`${hub.httpUrl}/tv`);
    const lineA = tv.locator('tr[data-line="A"]');
    await lineA.waitFor();
    const tvText = await lineA.innerText();
    // "0 دقيقة", "1 دقيقة", "5 دقيقة" are wrong Arabic: أقل من دقيقة، دقيقة واحدة، 5 دقائق.
    assert.doesNotMatch(tvText, /(?<![\d٠-٩])([0-9]|10|[٠-٩]|١٠) دقيقة/, tvText);
    assert.match(tvText, /دقائق|دقيقتان|أقل من دقيقة|دقيقة واحدة/, tvText);

    const manager = await signInPage(browser, hub, 'manager');
    t.after(() => manager.context().close());
    await manager.getByRole('tab', { name: 'التقارير' }).click();
    const queue = manager.getByTestId('report-queue');
    await queue.waitFor();
    const report = await queue.innerText();
    assert.ok(report.includes('٩٠٪ من المواطنين انتظروا أقل من'), 'the 90th percentile in words a manager reads');
    assert.doesNotMatch(report, /المئين|وسيط/);
  });

  test('15: Back moves between tabs and never out of the application; a reload keeps the tab', async (t) => {
    const hub = await startTestHub(t);
    const page = await signInPage(browser, hub, 'manager');
    t.after(() => page.context().close());
    const selected = () => page.locator('[role=tab][aria-selected=true]').innerText();
    const first = (await selected()).trim();
    await page.getByRole('tab', { name: 'تفتيش مفاجئ' }).click();
    await page.getByRole('tab', { name: 'الشكاوى' }).click();
    assert.match(page.url(), /tab=complaints/);
    await page.goBack();
    await page.getByLabel('رقم الاستعلام أو الرقم').waitFor();
    assert.equal((await selected()).trim(), 'تفتيش مفاجئ');
    assert.match(page.url(), /tab=inspection/);
    await page.goBack();
    assert.equal((await selected()).trim(), first);
    assert.ok(page.url().startsWith(hub.httpUrl), 'still in the application');
    await page.goForward();
    assert.equal((await selected()).trim(), 'تفتيش مفاجئ');
    await page.reload();
    await page.getByTestId('user-name').waitFor();
    assert.equal((await selected()).trim(), 'تفتيش مفاجئ');
  });

  test('16: the live floor shows the clerk at each window and a printer out of paper as a critical alert', async (t) => {
    // A coming Friday, 10:00 Cairo: the center is closed, so the unplugged demo devices raise no
    // offline alerts; ahead of the real clock, so the browser keeps the session cookie.
    const day = new Date(Date.now() + 86_400_000);
    while (day.getUTCDay() !== 5) day.setUTCDate(day.getUTCDate() + 1);
    const clock = new FakeClock(Date.parse(`${day.toISOString().slice(0, 10)}T10:00:00+02:00`));
    const hub = await startTestHub(t, { clock: clock.now });
    const page = await signInPage(browser, hub, 'manager');
    t.after(() => page.context().close());
    const errors = watchPageErrors(page);
    const clerk = page.locator('tr[data-window="1"]').getByTestId('floor-clerk');
    await clerk.waitFor();
    assert.doesNotMatch(await clerk.innerText(), new RegExp(nameOf(hub, 'intake')));
    // The intake clerk signs in and calls at window 1.
    const intake = await signIn(hub, 'intake');
    expectOk(await (await signIn(hub, 'reception')).inject({ method: 'POST', url: '/api/tickets', payload: { line: 'A' } }));
    expectOk(await intake.inject({ method: 'POST', url: '/api/windows/1/next' }));
    await clerk.getByText(nameOf(hub, 'intake')).waitFor();
    // The kiosk's printer runs out of paper.
    const kiosk = await hub.device('kiosk-1');
    kiosk.publishHealth({ printer: 'paper-out' });
    const alert = page.getByTestId('floor-alerts').locator('li[data-alert="paper_out"]');
    await alert.waitFor();
    assert.match(await alert.innerText(), /نفد ورق الطابعة/);
    assert.match(await alert.innerText(), /حرج/);
    await screenshot(page, 'live-floor-alert');
    assert.deepEqual(errors, []);
  });
});
