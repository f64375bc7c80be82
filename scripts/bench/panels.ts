// Panels bench, run by scripts/bench.ts (`npm run bench -- --only=panels` for this part alone):
// - a call made on a keypad over MQTT → the ticket's text changed on the TV page in
//   Debian's Chromium (p50/p99, and the ratio to the bare MQTT round trip);
// - first render of the TV page and of a signed-in window panel (navigation → content);
// - bundle size, raw and gzip.
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { DeviceLink } from '@shubbak/protocol/device-link';
import type { DeviceKind } from '@shubbak/protocol';
import { buildWeb } from '../../hub/web/build.ts';
import { readStaffFile } from '../../hub/db/seed-staff.ts';
import { launchChromium } from '../../tests/browser/chromium.ts';
import { summary, type Row } from './lib.ts';

type Env = { httpUrl: string; mqttUrl: string; devicesFile: string; baselineRttMs: { p50: number; p99: number } };

const ROUNDS = 60;
const KEYPAD = 'keypad-2';
const WINDOW = 2;
const nowMs = () => performance.timeOrigin + performance.now();

/** The files a page loads: app.js, its static imports, the page's own chunk and its static imports. */
function pageFiles(bundle: Map<string, { body: Uint8Array }>, pageChunk: RegExp): Set<string> {
  const seen = new Set<string>();
  const text = (name: string) => Buffer.from(bundle.get(name)!.body).toString('utf8');
  const visit = (name: string) => {
    if (seen.has(name) || !bundle.has(name)) return;
    seen.add(name);
    const dir = path.posix.dirname(name);
    // Static imports only (`import"./x.js"`, `from"./x.js"`), not `import("./x.js")`.
    for (const m of text(name).matchAll(/(?:from|import)\s*["'](\.\/[^"']+)["']/g)) visit(path.posix.normalize(path.posix.join(dir, m[1])));
  };
  visit('app.js');
  const own = [...bundle.keys()].find((k) => pageChunk.test(k));
  if (own) visit(own);
  return seen;
}

export async function bundleSizes(): Promise<Row[]> {
  const bundle = await buildWeb();
  const gz = (names: Iterable<string>) => [...names].reduce((a, n) => a + gzipSync(bundle.get(n)!.body).length, 0) / 1024;
  const js = [...bundle.keys()].filter((n) => n.endsWith('.js'));
  const fonts = [...bundle.entries()].filter(([n]) => n.endsWith('.woff2')).reduce((a, [, v]) => a + v.body.length, 0) / 1024;
  return [
    { name: 'bundle: all JavaScript, gzip', value: gz(js), unit: 'KiB' },
    { name: 'bundle: TV page JavaScript, gzip', value: gz(pageFiles(bundle, /^chunks\/sh-tv-/)), unit: 'KiB' },
    { name: 'bundle: staff shell JavaScript (without reports), gzip', value: gz(pageFiles(bundle, /^chunks\/sh-app-/)), unit: 'KiB' },
    { name: 'bundle: styles.css gzip', value: gz(['styles.css']), unit: 'KiB' },
    { name: 'bundle: fonts woff2 (all subsets; a page loads only what it uses)', value: fonts, unit: 'KiB' },
  ];
}

async function connect(env: Env, id: string): Promise<DeviceLink> {
  const file = JSON.parse(fs.readFileSync(env.devicesFile, 'utf8')) as { devices: { id: string; kind: string; secret: string }[] };
  const d = file.devices.find((x) => x.id === id);
  if (!d) throw new Error(`no credentials for ${id}`);
  const link = new DeviceLink({ url: env.mqttUrl, deviceId: id, secret: d.secret, kind: d.kind as DeviceKind });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${id} did not connect`)), 10_000);
    link.once('clock', () => { clearTimeout(timer); resolve(); });
  });
  return link;
}

export async function run(env: Env): Promise<Row[]> {
  const rows: Row[] = [];
  const browser = await launchChromium();
  const kiosk = await connect(env, 'kiosk-1');
  const keypad = await connect(env, KEYPAD);
  try {
    // (1) keypad call → TV text. A MutationObserver in the page reports each change of the
    // window's cell through a binding; the time is taken in this process when it arrives.
    const tv = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    const seen: { text: string; at: number }[] = [];
    await tv.exposeBinding('tvChanged', (_src, text: string) => { seen.push({ text, at: nowMs() }); });
    const t0 = nowMs();
    await tv.goto(`${env.httpUrl}/tv`);
    await tv.waitForFunction((w) => !!document.querySelector('sh-tv')?.shadowRoot?.querySelector(`[data-testid="tv-window-${w}"]`), WINDOW);
    rows.push({ name: 'TV page first render (navigation → windows shown)', value: nowMs() - t0, unit: 'ms' });
    // A string, not a function: tsx's transform would wrap inner functions in a helper the page lacks.
    await tv.evaluate(`(() => {
      const root = document.querySelector('sh-tv').shadowRoot;
      const report = () => window.tvChanged(root.querySelector('[data-testid="tv-window-${WINDOW}"]').textContent.trim());
      new MutationObserver(report).observe(root, { subtree: true, childList: true, characterData: true });
    })()`);

    const samples: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const issued = await kiosk.request('ticket.issue', { line: 'A' });
      if (!issued.ok) throw new Error(`issue failed: ${JSON.stringify(issued)}`);
      const start = nowMs();
      const r = await keypad.request('window.next', {});
      if (!r.ok || !r.result.ticket) throw new Error(`next failed: ${JSON.stringify(r)}`);
      const label = r.result.ticket;
      const deadline = Date.now() + 5000;
      let hit: { at: number } | undefined;
      while (!(hit = seen.find((s) => s.text === label && s.at >= start)) && Date.now() < deadline) await new Promise((res) => setTimeout(res, 2));
      if (!hit) throw new Error(`the TV never showed ${label}`);
      samples.push(hit.at - start);
      seen.length = 0;
    }
    const s = summary(samples);
    rows.push({ name: `keypad call (MQTT) → TV text changed, p50 (${s.n} calls)`, value: s.p50, unit: 'ms' });
    rows.push({ name: 'keypad call (MQTT) → TV text changed, p99', value: s.p99, unit: 'ms' });
    rows.push({ name: 'keypad call → TV p50 ÷ bare MQTT round trip p50', value: s.p50 / env.baselineRttMs.p50, unit: '×' });
    await tv.close();

    // (2) first render of a signed-in window panel.
    const staff = readStaffFile(path.dirname(env.devicesFile))?.users.find((u) => u.username === 'intake2');
    if (staff) {
      const context = await browser.newContext({ viewport: { width: 1366, height: 850 } });
      const page = await context.newPage();
      const res = await context.request.post(`${env.httpUrl}/api/auth/login`, { data: { username: staff.username, password: staff.password } });
      if (!res.ok()) throw new Error(`sign-in failed: ${res.status()}`);
      const p0 = nowMs();
      await page.goto(`${env.httpUrl}/`);
      await page.getByTestId('current-ticket').waitFor();
      rows.push({ name: 'window panel first render (navigation → current ticket shown)', value: nowMs() - p0, unit: 'ms' });
      await context.close();
    }
  } finally {
    await kiosk.close();
    await keypad.close();
    await browser.close();
  }
  rows.push(...(await bundleSizes()));
  return rows;
}
