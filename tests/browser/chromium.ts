// Debian's Chromium driven by playwright-core for the browser tests and the panels bench.
// Never downloads a browser: /usr/bin/chromium (or SHUBBAK_CHROMIUM) must be installed.
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { readStaffFile } from '../../hub/db/seed-staff.ts';

export const CHROMIUM = process.env.SHUBBAK_CHROMIUM || '/usr/bin/chromium';
export const SCREENSHOTS = path.resolve('artifacts', 'screenshots');

export async function launchChromium(): Promise<Browser> {
  // launch() gives each run a fresh temporary profile of its own.
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required'],
  });
}

export function chromiumAvailable(): boolean {
  return fs.existsSync(CHROMIUM);
}

/** Save a full-page PNG under artifacts/screenshots/ for a person to look at. */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Fail the test on any script error or failed request the page logs. */
export function watchPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // HTTP failures are reported below with their URL; a refused action (4xx) is expected in some tests.
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) errors.push(`console: ${m.text()}`);
  });
  page.on('response', (r) => {
    if (r.status() === 404 || r.status() >= 500) errors.push(`http ${r.status()}: ${r.url()}`);
  });
  return errors;
}

/** A fresh browser context (its own cookies) signed in through the login form as a demo user (by username, else the first with that role). */
export async function signInPage(browser: Browser, hub: { httpUrl: string; dataDir: string }, who: string, viewport = { width: 1366, height: 850 }): Promise<Page> {
  const users = readStaffFile(hub.dataDir)?.users ?? [];
  const u = users.find((x) => x.username === who) ?? users.find((x) => x.role === who);
  if (!u) throw new Error(`no demo user ${who} in ${hub.dataDir}/staff.json`);
  const username = u.username;
  const context = await browser.newContext({ viewport });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  await page.goto(`${hub.httpUrl}/`);
  await page.getByLabel('اسم المستخدم').fill(username);
  await page.getByLabel('كلمة المرور').fill(u.password);
  await page.getByRole('button', { name: 'تسجيل الدخول' }).click();
  await page.getByTestId('user-name').waitFor();
  return page;
}
