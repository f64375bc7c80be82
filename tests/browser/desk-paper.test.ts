// Issue 11, items 18 and 19, in Debian's Chromium against a real hub: the paper the
// citizen takes home (the registration slip at intake, the printed delivery ticket from
// reception) and the file desk on a 1366×768 office screen (one line per worklist cell,
// the stage's main action before the return and refuse forms).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startTestHub } from '../helpers/hub.ts';
import { signIn } from '../helpers/staff.ts';
import { CITIZEN, expectOk, fileInReview, readyFile, service, type FileReply } from '../integration/files-support.ts';
import { launchChromium, screenshot, signInPage, watchPageErrors } from './chromium.ts';

let browser: Browser;
before(async () => { browser = await launchChromium(); });
after(async () => { await browser?.close(); });

async function findFile(page: Page, inquiry: string): Promise<void> {
  await page.getByLabel('بحث برقم الاستعلام').fill(inquiry);
  await page.getByRole('button', { name: 'بحث', exact: true }).click();
  await page.getByTestId('file-inquiry').getByText(inquiry).waitFor();
}

describe('the paper the desks print (Chromium)', () => {
  test('18: intake hands over a registration slip (number, service, what is missing, legal date, QR); reception prints the delivery ticket', async (t) => {
    const hub = await startTestHub(t);
    const svc = service(hub, 'SHOP-LIC'); // its site data certificate may come later
    const missing = svc.checklist.find((c) => !c.required)!;
    const intakeApi = await signIn(hub, 'intake');
    const f = expectOk<FileReply>(await intakeApi.inject({ method: 'POST', url: '/api/files', payload: {
      serviceId: svc.id, citizen: CITIZEN, window: null,
      checklist: svc.checklist.map((c) => ({ position: c.position, present: c.position !== missing.position })),
    } }), 201);
    const due = hub.ctx.catalog.dueFor(svc.id, f.registeredAt).day;

    const intake = await signInPage(browser, hub, 'intake');
    t.after(() => intake.context().close());
    const errors = watchPageErrors(intake);
    await findFile(intake, f.inquiryDisplay);
    await intake.getByRole('button', { name: 'طباعة إيصال التسجيل للمواطن' }).click();
    const slip = intake.getByTestId('registration-slip');
    await slip.waitFor();
    assert.equal((await slip.getByTestId('slip-inquiry').innerText()).trim(), f.inquiryDisplay);
    const text = await slip.innerText();
    assert.ok(text.includes('ترخيص محل'), 'the service');
    assert.ok((await slip.getByTestId('slip-missing').innerText()).includes(missing.labelAr), 'what is missing');
    const [y, m, d] = due.split('-').map(Number);
    await slip.getByTestId('slip-due').getByText(new RegExp(`${d}.*${m}.*${y}|${y}.*${m}.*${d}`)).waitFor();
    assert.match(await slip.getByTestId('slip-due').innerText(), /30 يومًا/, 'the legal period in agreement');
    const qr = slip.locator('[data-qr]');
    await qr.waitFor();
    assert.ok((await qr.getAttribute('data-qr'))!.endsWith(`/status?inquiry=${encodeURIComponent(f.inquiryDisplay)}`));
    await screenshot(intake, 'intake-registration-slip');
    await intake.emulateMedia({ media: 'print' });
    assert.equal(await slip.isVisible(), true);
    assert.equal(await intake.getByTestId('intake-service').isVisible(), false, 'the registration form stays off the paper');
    assert.equal(await intake.getByTestId('file-card').isVisible(), false, 'the file card stays off the paper');
    await intake.pdf({ path: 'artifacts/screenshots/registration-slip-80mm.pdf', width: '80mm', height: '200mm' });
    assert.deepEqual(errors, []);

    const ready = await readyFile(hub);
    const reception = await signInPage(browser, hub, 'reception');
    t.after(() => reception.context().close());
    await reception.getByRole('tab', { name: 'الملفات' }).click();
    await findFile(reception, ready.inquiryDisplay);
    await reception.getByRole('button', { name: 'تذكرة تسليم' }).click();
    const ticket = reception.getByTestId('delivery-ticket');
    await ticket.waitFor();
    assert.equal((await ticket.getByTestId('delivery-ticket-number').innerText()).trim(), 'C001');
    assert.ok((await ticket.innerText()).includes(ready.inquiryDisplay));
    await reception.emulateMedia({ media: 'print' });
    assert.equal(await ticket.isVisible(), true);
    assert.equal(await reception.getByTestId('file-card').isVisible(), false);
    await screenshot(reception, 'reception-delivery-ticket');
  });

  test('issue 12 item 3: the desk shows exactly the actions the hub lists, so the manager issues a delivery ticket', async (t) => {
    const hub = await startTestHub(t);
    const ready = await readyFile(hub);
    const managerApi = await signIn(hub, 'manager');
    const listed: string[] = expectOk<FileReply>(await managerApi.inject({ method: 'GET', url: `/api/files/${ready.id}` })).actions;
    // The manager may deliver, issue the delivery ticket (FILE_ROLES.deliveryTicket) and attach documents to a ready file.
    assert.deepEqual(listed, ['deliver', 'delivery_ticket', 'upload']);

    const page = await signInPage(browser, hub, 'manager');
    t.after(() => page.context().close());
    const errors = watchPageErrors(page);
    await page.getByRole('tab', { name: 'ملفات الإدارات' }).click();
    await findFile(page, ready.inquiryDisplay);
    assert.equal(await page.getByRole('button', { name: 'تذكرة تسليم' }).count(), 1, 'the manager\'s delivery ticket button (hidden before issue 12)');
    const shown = await page.evaluate(() => {
      const desk = document.querySelector('sh-app')!.shadowRoot!.querySelector('sh-file-desk')!.shadowRoot!;
      return [...desk.querySelectorAll('[data-action], [data-desk]')].map((e) => e.getAttribute('data-action') ?? e.getAttribute('data-desk'));
    });
    assert.deepEqual([...shown].sort(), [...listed].sort(), 'the desk shows the hub\'s actions, no more and no fewer');
    await page.getByRole('button', { name: 'تذكرة تسليم' }).click();
    const ticket = page.getByTestId('delivery-ticket');
    await ticket.waitFor();
    assert.equal((await ticket.getByTestId('delivery-ticket-number').innerText()).trim(), 'C001');
    assert.deepEqual(errors, []);
  });

  test('19: the representative\'s worklist reads on a 1366×768 screen and the main action comes before return and refuse', async (t) => {
    const hub = await startTestHub(t);
    const intake = await signIn(hub, 'intake');
    const people = [
      { nationalId: '29001011234567', name: 'محمود عبد الرحمن علي إبراهيم' },
      { nationalId: '28507150101234', name: 'فاطمة الزهراء حسن عبد العزيز' },
      { nationalId: '29512250201235', name: 'عبد الله محمد السيد' },
    ];
    const files = [];
    for (const p of people) files.push(await fileInReview(hub, intake, 'BLD-PERMIT', { ...p, mobile: '01012345678' }));
    const page = await signInPage(browser, hub, 'representative', { width: 1366, height: 768 });
    t.after(() => page.context().close());
    const errors = watchPageErrors(page);
    const list = page.getByTestId('worklist');
    await list.locator('tr[data-inquiry]').nth(2).waitFor();
    await screenshot(page, 'file-desk-worklist-1366x768');

    // Each cell holds one line per block it has (the service and, under it, the citizen): no word per line.
    const cells = await page.evaluate(() => {
      const desk = document.querySelector('sh-app')!.shadowRoot!.querySelector('sh-file-desk')!.shadowRoot!;
      // (No named helper inside evaluate: tsx would wrap it in a __name() the page does not have.)
      const out: { text: string; lines: number; blocks: number }[] = [];
      for (const td of desk.querySelectorAll('table[data-testid="worklist"] tbody td')) {
        const r = document.createRange();
        r.selectNodeContents(td);
        const tops = [...r.getClientRects()].filter((x) => x.width > 0).map((x) => x.top).sort((a, b) => a - b);
        let lines = 0;
        let last = -Infinity;
        for (const top of tops) if (top - last > 10) { lines++; last = top; }
        out.push({ text: (td as HTMLElement).innerText, lines, blocks: 1 + td.querySelectorAll('div').length });
      }
      return out;
    });
    assert.ok(cells.length >= 9);
    for (const c of cells) assert.ok(c.lines <= c.blocks, `"${c.text}" takes ${c.lines} lines for ${c.blocks} block(s)`);
    const overflow = await page.evaluate(() => {
      const desk = document.querySelector('sh-app')!.shadowRoot!.querySelector('sh-file-desk')!.shadowRoot!;
      const table = desk.querySelector('table[data-testid="worklist"]') as HTMLElement;
      return table.scrollWidth - (table.parentElement as HTMLElement).clientWidth;
    });
    assert.ok(overflow <= 0, `the worklist fits its column (${overflow}px over)`);

    // The stage's main action first; return and refuse after it.
    await list.locator(`tr[data-inquiry="${files[0].inquiry}"]`).click();
    await page.getByTestId('file-card').waitFor();
    const order = await page.evaluate(() => {
      const desk = document.querySelector('sh-app')!.shadowRoot!.querySelector('sh-file-desk')!.shadowRoot!;
      return [...desk.querySelectorAll('form[data-action]')].map((f) => f.getAttribute('data-action'));
    });
    assert.deepEqual(order, ['review', 'return', 'refuse']);
    await screenshot(page, 'file-desk-1366x768');
    assert.deepEqual(errors, []);
  });
});
