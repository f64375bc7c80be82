// The live ticket page on the phone (issue 14 item 1) in Debian's Chromium at 390×844: the
// page of a kiosk ticket goes from "5 ahead" to "your turn — window 3" as keypads call over
// the real MQTT command path, with a beep and a vibration, under the hub's CSP; Arabic and
// right-to-left by default, English by the switch. Also: an unknown token gets the 404 page,
// a ticket past its Cairo day the 410 page; another ticket's data never reaches the page or
// its stream; and the page weighs under 50 KB gzip, measured on the bytes the hub served.
import { describe, test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import type { Browser, Page, Response } from 'playwright-core';
import { startTestHub, type TestHub } from '../helpers/hub.ts';
import { FakeClock } from '../helpers/clock.ts';
import { launchChromium, screenshot, watchPageErrors } from './chromium.ts';

let browser: Browser;
before(async () => { browser = await launchChromium(); });
after(async () => { await browser?.close(); });

const PHONE = { width: 390, height: 844 };

/** One MQTT link per device and hub (a second link with the same id would take over the first). */
const links = new WeakMap<TestHub, Map<string, Promise<Awaited<ReturnType<TestHub['device']>>>>>();
function device(hub: TestHub, id: string): ReturnType<TestHub['device']> {
  let m = links.get(hub);
  if (!m) links.set(hub, (m = new Map()));
  let l = m.get(id);
  if (!l) m.set(id, (l = hub.device(id)));
  return l;
}

async function issue(hub: TestHub, line = 'A'): Promise<{ number: string; link: string; token: string }> {
  const kiosk = await device(hub, 'kiosk-1');
  // The typed client answers the command's result or throws a LinkError (protocol/device-link.ts).
  const t = (await kiosk.command('ticket.issue', { line })).ticket;
  assert.ok(t.link, 'the kiosk gets the ticket page link to print');
  const token = new URL(t.link).pathname.split('/').pop()!;
  assert.match(token, /^[A-Za-z0-9_-]{22}$/);
  return { number: t.number, link: t.link, token };
}

async function next(hub: TestHub, window: number): Promise<void> {
  const keypad = await device(hub, `keypad-${window}`);
  await keypad.command('window.next', {});
}

/** Records the page's beeps (Web Audio oscillators started) and vibrations. */
async function watchAlerts(page: Page): Promise<() => Promise<{ beeps: number; vibrations: unknown[]; csp: string[] }>> {
  await page.addInitScript(() => {
    const w = window as unknown as { __beeps: number; __vibrations: unknown[]; __csp: string[] };
    w.__beeps = 0;
    w.__vibrations = [];
    w.__csp = [];
    const start = OscillatorNode.prototype.start;
    OscillatorNode.prototype.start = function (...a: Parameters<typeof start>) {
      w.__beeps++;
      return start.apply(this, a);
    };
    (navigator as unknown as { vibrate: (p: unknown) => boolean }).vibrate = (p) => {
      w.__vibrations.push(p);
      return true;
    };
    document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return () => page.evaluate(() => {
    const w = window as unknown as { __beeps: number; __vibrations: unknown[]; __csp: string[] };
    return { beeps: w.__beeps, vibrations: w.__vibrations, csp: w.__csp };
  });
}

const text = (page: Page, id: string) => page.getByTestId(id).innerText();

describe('the live ticket page on the phone (Chromium)', () => {
  test('the phone page goes from 5 ahead to "your turn — window 3" as the keypads call, and weighs under 50 KB gzip', { timeout: 120_000 }, async (t) => {
    const hub = await startTestHub(t);
    const before = [];
    for (let i = 0; i < 5; i++) before.push(await issue(hub));
    const mine = await issue(hub);
    assert.equal(mine.number, 'A006');
    assert.ok(mine.link.startsWith(`${hub.httpUrl}/t/`), `${mine.link} is on the hub's own address`);

    const context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
    t.after(() => context.close());
    const page = await context.newPage();
    const errors = watchPageErrors(page);
    const alerts = await watchAlerts(page);
    // Every response of the page's load, as served (the live stream excepted: it never ends).
    const served: Response[] = [];
    const onResponse = (r: Response) => {
      if (!r.url().includes('/live')) served.push(r);
    };
    page.on('response', onResponse);
    const res = await page.goto(mine.link);
    assert.equal(res?.status(), 200);
    assert.equal(await text(page, 'ticket-number'), 'A006');
    assert.equal(await text(page, 'ticket-ahead'), 'أمامك ٥ أشخاص');
    assert.match(await text(page, 'ticket-wait'), /^الانتظار المتوقع: نحو [٠-٩]+ دقائق?$/);
    assert.equal(await page.evaluate(() => getComputedStyle(document.documentElement).direction), 'rtl');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'ar');
    await page.waitForLoadState('networkidle').catch(() => {});
    page.off('response', onResponse);
    await screenshot(page, 'phone-ticket-waiting-ar');

    // The page's weight: HTML, script (with its chunks) and style, gzipped as served.
    let gz = 0;
    const files: string[] = [];
    for (const s of served) {
      const body = await s.body();
      gz += gzipSync(body).length;
      files.push(`${new URL(s.url()).pathname} ${gzipSync(body).length}`);
    }
    assert.ok(files.some((f) => f.startsWith('/assets/ticket.js')) && files.some((f) => f.startsWith('/assets/ticket.css')), files.join(', '));
    assert.ok(gz < 50 * 1024, `the page is ${gz} bytes gzip: ${files.join(', ')}`);
    t.diagnostic(`phone ticket page: ${gz} bytes gzip (${files.join(', ')})`);

    // Sound and vibration are allowed after a tap (the button), as on a real phone.
    await page.getByTestId('sound-on').click();

    // Calls at windows 1 and 2 move the line: 5 → 4 → 3 → 2 → 1 ahead, pushed live.
    const expected = ['أمامك ٤ أشخاص', 'أمامك ٣ أشخاص', 'أمامك شخصان', 'أمامك شخص واحد'];
    const windows = [1, 2, 1, 2];
    for (let i = 0; i < windows.length; i++) {
      await next(hub, windows[i]);
      await page.getByTestId('ticket-ahead').filter({ hasText: expected[i] }).waitFor();
    }
    await next(hub, 1); // A005: nobody ahead now
    await page.getByTestId('ticket-ahead').filter({ hasText: 'لا أحد أمامك' }).waitFor();
    const beepsBefore = (await alerts()).beeps;

    // Window 3 (lines D and A) calls the next: this ticket.
    await next(hub, 3);
    await page.getByTestId('ticket-turn').waitFor();
    assert.equal(await text(page, 'ticket-turn'), 'دورك الآن — الشباك ٣');
    await page.waitForFunction((n) => (window as unknown as { __beeps: number }).__beeps > n, beepsBefore);
    const a = await alerts();
    assert.ok(a.vibrations.some((p) => Array.isArray(p) && p.length >= 3), `the phone vibrates on the call: ${JSON.stringify(a.vibrations)}`);
    assert.deepEqual(a.csp, [], 'no CSP violation');
    await screenshot(page, 'phone-ticket-called-ar');

    // A recall rings again.
    const keypad3 = await device(hub, 'keypad-3');
    const beepsAtCall = (await alerts()).beeps;
    await keypad3.command('window.recall', {});
    await page.waitForFunction((n) => (window as unknown as { __beeps: number }).__beeps > n, beepsAtCall);

    // English by the switch, left to right, and it stays on reload.
    await page.getByTestId('lang-switch').click();
    assert.equal(await text(page, 'ticket-turn'), "It's your turn — window 3");
    assert.equal(await page.evaluate(() => getComputedStyle(document.documentElement).direction), 'ltr');
    await page.reload();
    assert.equal(await text(page, 'ticket-turn'), "It's your turn — window 3");
    await screenshot(page, 'phone-ticket-called-en');
    assert.deepEqual(errors, []);
    assert.deepEqual((await alerts()).csp, []);
  });

  test("another ticket's number, token or data never reaches this ticket's page or stream", { timeout: 60_000 }, async (t) => {
    const hub = await startTestHub(t);
    const first = await issue(hub);
    const other = await issue(hub);
    // Listen to the first ticket's raw stream while the other one is called and recalled.
    const ac = new AbortController();
    t.after(() => ac.abort());
    const res = await fetch(`${hub.httpUrl}/api/public/tickets/${first.token}/live`, { signal: ac.signal });
    assert.equal(res.status, 200);
    let stream = '';
    const reading = (async () => {
      const dec = new TextDecoder();
      try {
        const reader = res.body!.getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          stream += dec.decode(value);
        }
      } catch { /* aborted */ }
    })();
    await next(hub, 1); // calls the first ticket (A001)
    await next(hub, 2); // calls the other (A002)
    const keypad2 = await device(hub, 'keypad-2');
    await keypad2.command('window.recall', {});
    const deadline = Date.now() + 5000;
    while (!/"state":"called"/.test(stream) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    ac.abort();
    await reading;
    assert.match(stream, /"number":"A001"/);
    assert.match(stream, /"state":"called"/);
    assert.doesNotMatch(stream, /A002/);
    assert.ok(!stream.includes(other.token));
    assert.doesNotMatch(stream, /"window":2\b/);
    // The view carries exactly these fields: no name, national ID, mobile, or anything else.
    const views = [...stream.matchAll(/^data: (\{.*\})$/gm)].map((m) => JSON.parse(m[1]) as Record<string, unknown>);
    assert.ok(views.length >= 2);
    for (const v of views) {
      assert.deepEqual(Object.keys(v).sort(), ['ahead', 'calledAt', 'expiresAt', 'line', 'lineAr', 'lineEn', 'number', 'state', 'waitMin', 'window', 'windowAr', 'windowEn']);
    }
    const html = await (await fetch(first.link)).text();
    assert.doesNotMatch(html, /A002/);
    assert.ok(!html.includes(other.token));
  });

  test('an unknown token gets the 404 page, a ticket past its Cairo day the 410 "expired" page, never a stack trace', { timeout: 60_000 }, async (t) => {
    const clock = new FakeClock(Date.now());
    const hub = await startTestHub(t, { clock: clock.now });
    const mine = await issue(hub);
    const context = await browser.newContext({ viewport: PHONE, isMobile: true });
    t.after(() => context.close());
    const page = await context.newPage();

    for (const bad of ['AAAAAAAAAAAAAAAAAAAAAA', 'x', `${mine.token}x`, '%3Cscript%3E', mine.token.slice(0, 21) + (mine.token[21] === 'A' ? 'B' : 'A')]) {
      const r = await page.goto(`${hub.httpUrl}/t/${bad}`);
      assert.equal(r?.status(), 404, bad);
      await page.getByTestId('ticket-unknown').waitFor();
      assert.match(await page.locator('h1').innerText(), /لم نجد هذه التذكرة/);
      assert.doesNotMatch(await page.content(), /at \w+ \(|Error:|stack/);
      const api = await fetch(`${hub.httpUrl}/api/public/tickets/${bad}/live`);
      assert.equal(api.status, 404);
      assert.equal((await api.json() as { error: { code: string } }).error.code, 'NOT_FOUND');
    }
    assert.equal((await page.goto(mine.link))?.status(), 200);

    // Past midnight in Cairo the same link says the ticket has expired.
    const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Africa/Cairo', year: 'numeric', month: '2-digit', day: '2-digit' }).format(clock.ms);
    const endOfDay = Date.parse(`${parts}T00:00:00Z`) + 86_400_000; // UTC midnight after the Cairo day: Cairo is ahead of UTC
    clock.set(endOfDay + 1000);
    const r = await page.goto(mine.link);
    assert.equal(r?.status(), 410);
    await page.getByTestId('ticket-expired').waitFor();
    assert.match(await page.locator('h1').innerText(), /انتهت صلاحية هذه التذكرة/);
    assert.match(await page.locator('main').innerText(), new RegExp(mine.number));
    assert.equal(await page.evaluate(() => getComputedStyle(document.documentElement).direction), 'rtl');
    await screenshot(page, 'phone-ticket-expired');
    const api = await fetch(`${hub.httpUrl}/api/public/tickets/${mine.token}/live`);
    assert.equal(api.status, 410);
    assert.equal((await api.json() as { error: { code: string } }).error.code, 'TICKET_EXPIRED');
  });
});
