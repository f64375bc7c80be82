// The Content-Security-Policy (issue 15) in a real Chromium: every panel of every role,
// the hall TV, the public status page, the API docs and the simulator page load and work
// with no CSP violation (reported by the page's securitypolicyviolation events and the
// console), and the hub's pages refuse to be framed.
import { describe, test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startTestHub } from '../helpers/hub.ts';
import { readStaffFile } from '../../hub/db/seed-staff.ts';
import { launchChromium, signInPage } from './chromium.ts';

let browser: Browser;
before(async () => {
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
});

/** Collect CSP violations from the page (all frames) and its console. */
async function watchCsp(page: Page): Promise<() => Promise<string[]>> {
  const seen: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to (load|apply|execute|frame|connect)/i.test(m.text())) seen.push(`console: ${m.text()}`);
  });
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
  });
  return async () => [...seen, ...(await page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? []))];
}

describe('every panel runs under the Content-Security-Policy (Chromium)', () => {
  test('every panel of every role runs under the CSP without a violation', { timeout: 300_000 }, async (t) => {
    const hub = await startTestHub(t);
    const kiosk = await hub.device('kiosk-1');
    await kiosk.request('ticket.issue', { line: 'A' });
    const problems: string[] = [];
    for (const u of readStaffFile(hub.dataDir)!.users) {
      // Signed in through the form (its own context), then watched from a reload on.
      const p = await signInPage(browser, hub, u.username);
      const v = await watchCsp(p);
      await p.reload();
      await p.getByTestId('user-name').waitFor();
      const tabs = p.getByRole('tab');
      const n = await tabs.count();
      for (let i = 0; i < n; i++) {
        await tabs.nth(i).click();
        await p.waitForTimeout(250);
      }
      for (const x of await v()) problems.push(`${u.username}: ${x}`);
      await p.context().close();
    }
    assert.deepEqual(problems, []);
  });

  test('the TV, the status page, the API docs and the simulator page: no CSP violation', { timeout: 120_000 }, async (t) => {
    const hub = await startTestHub(t, { config: { simulate: true } });
    const problems: string[] = [];
    for (const [url, ready] of [['/tv', 'body'], ['/status', 'body'], ['/docs/static/index.html', '.swagger-ui .info'], ['/sim', 'body']] as const) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const v = await watchCsp(page);
      const res = await page.goto(`${hub.httpUrl}${url}`);
      assert.equal(res?.status(), 200, url);
      assert.match(res!.headers()['content-security-policy'] ?? '', /frame-ancestors 'none'/, url);
      await page.locator(ready).first().waitFor();
      await page.waitForTimeout(500);
      for (const x of await v()) problems.push(`${url}: ${x}`);
      await context.close();
    }
    assert.deepEqual(problems, []);
  });

  test('another site cannot frame the hub\'s pages', async (t) => {
    const hub = await startTestHub(t);
    const context = await browser.newContext();
    const page = await context.newPage();
    const blocked: string[] = [];
    page.on('console', (m) => /frame-ancestors|Refused to (display|frame)/i.test(m.text()) && blocked.push(m.text()));
    await page.setContent(`<iframe src="${hub.httpUrl}/status"></iframe>`);
    await page.waitForTimeout(1000);
    const framed = page.frames().find((f) => f.url().includes('/status'));
    const inside = framed ? await framed.evaluate(() => document.body?.dataset.page ?? null).catch(() => null) : null;
    assert.equal(inside, null, 'the status page must not render inside a frame');
    assert.ok(blocked.length > 0, 'Chromium reports the refusal');
    await context.close();
  });
});
