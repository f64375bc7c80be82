// The built JavaScript (npm run build, scripts/build.ts) run as production runs it: plain
// node, no tsx, beside only the production packages (tests/helpers/built.ts). A build that
// breaks — a dev dependency imported at run time, a file the hub reads that was not copied,
// a main-check that starts the wrong program — fails here, not on a center's Pi.
import { describe, after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import mqtt, { type MqttClient } from 'mqtt';
import { topics } from '@shubbak/protocol';
import { DeviceLink } from '@shubbak/protocol/device-link';
import { buildIntoTemp, cleanEnv, runBuilt, type BuiltProcess, type BuiltTree } from '../helpers/built.ts';
import { Recorder } from '../helpers/hub.ts';
import { unitNodeFlags } from '../../scripts/bench/lib.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

let tree: BuiltTree;
before(async () => {
  tree = await buildIntoTemp();
});
after(() => tree?.remove());

const running: (BuiltProcess | MqttClient)[] = [];
async function stopAll(): Promise<void> {
  for (const p of running.splice(0).reverse()) {
    if ('stop' in p) await p.stop();
    else await p.endAsync(true).catch(() => {});
  }
}

type Hub = { proc: BuiltProcess; dataDir: string; httpUrl: string; mqttUrl: string };

async function startBuiltHub(env: Record<string, string>, extraFlags: string[] = []): Promise<Hub> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shubbak-built-data-'));
  const proc = runBuilt(path.join(tree.dist, 'hub', 'server.js'), cleanEnv({
    SHUBBAK_DATA_DIR: dataDir, SHUBBAK_HOST: '127.0.0.1', SHUBBAK_HTTP_PORT: '0', SHUBBAK_MQTT_PORT: '0', SHUBBAK_HTTPS_PORT: '0', SHUBBAK_MQTTS_PORT: '0',
    SHUBBAK_PASSWORD_COST: '12', SHUBBAK_LOG_LEVEL: 'warn', ...env,
  }), tree.dir, [...extraFlags, ...unitNodeFlags('hub/hub.service', ROOT)]); // the node flags it is installed with
  running.push(proc);
  // The plain loopback addresses (with TLS, production, they are on the "this machine only" line).
  const [, httpUrl] = await proc.waitFor(/(http:\/\/127\.0\.0\.1:\d+)/);
  const [, mqttUrl] = await proc.waitFor(/(mqtt:\/\/127\.0\.0\.1:\d+)/);
  return { proc, dataDir, httpUrl, mqttUrl };
}

/** A built device program on sim IO against the hub, with its secret from the hub's devices.json and its unit's node flags (as installed). */
function startBuiltDevice(hub: Hub, p: { id: string; file: string; unit: string; env: Record<string, string> }, extraFlags: string[] = []): BuiltProcess {
  const proc = runBuilt(path.join(tree.dist, p.file), cleanEnv({
    SHUBBAK_DEVICE_ID: p.id, SHUBBAK_DEVICES_FILE: path.join(hub.dataDir, 'devices.json'), SHUBBAK_IO: 'sim', ...p.env,
  }), tree.dir, [...extraFlags, ...unitNodeFlags(p.unit, ROOT)]);
  running.push(proc);
  return proc;
}

/** The hub's own MQTT identity (data/hub.secret): it may read every topic. */
async function hubClient(hub: Hub): Promise<{ client: MqttClient; rec: Recorder }> {
  const client = await mqtt.connectAsync(hub.mqttUrl, {
    clientId: `hub.test-${process.pid}`, username: 'hub', password: fs.readFileSync(path.join(hub.dataDir, 'hub.secret'), 'utf8').trim(),
    protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 5000,
  });
  running.push(client);
  return { client, rec: new Recorder(client) };
}

/** Reads /sim/events until a device view satisfies pred. */
async function waitForView(hub: Hub, pred: (v: Record<string, unknown>) => boolean, timeoutMs = 60_000): Promise<Record<string, unknown>> {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), timeoutMs);
  try {
    const res = await fetch(`${hub.httpUrl}/sim/events`, { signal: ac.signal });
    let buf = '';
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buf += Buffer.from(chunk).toString();
      let i;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const event = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const data = event.split('\n').find((l) => l.startsWith('data: '));
        if (!data) continue;
        const v = JSON.parse(data.slice(6)) as Record<string, unknown>;
        if (pred(v)) return v;
      }
    }
    throw new Error('the /sim/events stream ended');
  } catch (err) {
    if (ac.signal.aborted) throw new Error(`no matching simulated device view within ${timeoutMs} ms`);
    throw err;
  } finally {
    clearTimeout(timer);
    ac.abort();
  }
}

async function press(hub: Hub, device: string, key: number): Promise<void> {
  const res = await fetch(`${hub.httpUrl}/sim/press`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ device, key }) });
  assert.equal(res.status, 202, await res.text());
}

describe('the built JavaScript runs as production runs it', () => {
  // Issue 10 (memory): what only some centers or some rare requests need is imported when
  // needed (a dynamic import, its own chunk), not loaded by every hub at start. Caught here:
  // typebox loaded whole from node_modules (683 modules, ~6 MB of heap) through the Fastify
  // type provider's runtime re-export, and the SMPP client on a center with no SMSC.
  test('the built hub loads at start none of the packages that only a configured SMSC, the central tier, the API docs or a rare answer needs', () => {
    const atStart = tree.atStart['hub/server'];
    assert.ok(atStart.includes('fastify') && atStart.includes('aedes') && atStart.includes('better-sqlite3'), atStart.join(', '));
    for (const rare of ['@fastify/type-provider-typebox', 'typebox', 'smpp', 'nats', 'xmlbuilder2', '@fastify/swagger', '@fastify/swagger-ui', 'yaml', 'qrcode', '@napi-rs/canvas']) {
      assert.ok(!atStart.includes(rare), `the hub loads ${rare} at start (${atStart.join(', ')})`);
    }
  });

  // Issue 10 (memory): the device programs carry no typebox (~330 KB of code, ~3 MB resident
  // each): their schemas are written out and their checkers precompiled at build time, the
  // error reporter is a file beside each, loaded on the first bad message
  // (scripts/build-schemas.ts; tests/unit/schema-check.test.ts: the same decisions).
  test('the built keypad, boards and kiosk bundle no typebox but typebox/guard, and its error reporter lies beside them', () => {
    for (const p of ['counter-keypad/main', 'display/main', 'kiosk/main']) {
      const typebox = tree.bundled[p].filter((f) => f.startsWith('node_modules/typebox/'));
      assert.deepEqual(typebox.filter((f) => !f.startsWith('node_modules/typebox/build/guard/')), [], p);
      assert.ok(fs.existsSync(path.join(tree.dist, path.dirname(p), 'schema-errors.cjs')), p);
    }
    assert.ok(tree.bundled['hub/server'].some((f) => f.startsWith('node_modules/typebox/build/compile/')), 'the hub still bundles typebox');
  });

  // Issue 10 (memory): mqtt.js carries browser copies of what node has — readable-stream (node's
  // streams copied out, with the process/string_decoder/safe-buffer/inherits shims) and
  // worker-timers (with broker-factory and @babel/runtime) for a browser's main thread. The
  // device bundles switch readable-stream to node:stream at build time (its READABLE_STREAM
  // switch) and leave worker-timers out (scripts/build.ts). Fails before: worker-timers and 21
  // @babel/runtime helpers bundled, and the switch read from the environment at run time.
  test('the built device programs take node\'s own streams and timers, not the browser copies mqtt.js carries', () => {
    for (const p of ['counter-keypad/main', 'display/main', 'kiosk/main']) {
      const browserOnly = tree.bundled[p].filter((f) => /^node_modules\/(worker-timers|worker-timers-broker|broker-factory|@babel\/runtime)\//.test(f));
      assert.deepEqual(browserOnly, [], p);
      const dir = path.join(tree.dist, path.dirname(p));
      for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.js'))) {
        assert.ok(!fs.readFileSync(path.join(dir, f), 'utf8').includes('READABLE_STREAM'), `${p}: ${f} reads READABLE_STREAM at run time`);
      }
    }
  });

  // Issue 10, on the Node 24 the packages carry: the ESM face of a built-in reads every export
  // when linked, and node:http's lazy WebSocket/CloseEvent/MessageEvent then load undici (+13 MB
  // resident), node:fs's and node:util's getters 2-3 MB more. The build turns every import of a
  // built-in into require() (scripts/build.ts, builtinsByRequire); only the banner's
  // createRequire comes from node:module as an ES module. Fails before: dist/hub/server.js
  // `import http from"node:http"`, dist/display/main.js `import{promisify}from"node:util"`, …
  test('no built program imports a Node built-in as an ES module', () => {
    const names = builtinModules.map((m) => m.replace(/[/]/g, '\\/')).join('|');
    const esmImport = new RegExp(`(from\\s*|import\\s*\\(\\s*|import\\s*)["'](node:)?(${names})["']`);
    const banner = "import { createRequire as __shubbakCreateRequire } from 'node:module';";
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const f = path.join(dir, e.name);
        if (e.isDirectory()) walk(f);
        else if (f.endsWith('.js') && esmImport.test(fs.readFileSync(f, 'utf8').replace(banner, ''))) offenders.push(path.relative(tree.dist, f));
      }
    };
    walk(tree.dist);
    assert.deepEqual(offenders, []);
  });

  test('the built hub serves the prebuilt panels, and its built devices: a kiosk ticket and a keypad Next reach the retained state', async (t) => {
    t.after(stopAll);
    const hub = await startBuiltHub({});
    await hub.proc.waitFor(/simulated devices:/);

    const page = await fetch(`${hub.httpUrl}/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /\/assets\/app\.js/);
    const app = await fetch(`${hub.httpUrl}/assets/app.js`);
    assert.equal(app.status, 200);
    assert.deepEqual(Buffer.from(await app.arrayBuffer()), fs.readFileSync(path.join(tree.dist, 'web', 'app.js')), 'the prebuilt bundle from dist/web');
    const css = await fetch(`${hub.httpUrl}/assets/styles.css`);
    assert.equal(css.status, 200);
    const font = (await css.text()).match(/fonts\/[^)"']+\.woff2/)?.[0];
    assert.ok(font, 'the stylesheet names its fonts');
    assert.equal((await fetch(`${hub.httpUrl}/assets/${font}`)).status, 200);

    const { client, rec } = await hubClient(hub);
    await client.subscribeAsync(topics.windowState(1), { qos: 1 });

    // The kiosk (its ticket rendered by @napi-rs/canvas with the Cairo fonts from node_modules).
    await waitForView(hub, (v) => v.id === 'kiosk-1' && (v.buttons as { lamp: string }[] | undefined)?.[0]?.lamp === 'on');
    await waitForView(hub, (v) => v.id === 'keypad-1' && v.window === 1);
    await press(hub, 'kiosk-1', 0);
    const kiosk = await waitForView(hub, (v) => v.id === 'kiosk-1' && v.lastTicket !== null);
    assert.match((kiosk.lastTicket as { png: string }).png, /^data:image\/png;base64,/);

    // Next on the window 1 keypad → the hub calls A001 → the retained window state says so.
    await press(hub, 'keypad-1', 0);
    const state = await rec.waitFor<{ ticket: string | null; status: string }>(topics.windowState(1), (s) => s.ticket === 'A001', 30_000);
    assert.equal(state.status, 'serving');
    await waitForView(hub, (v) => v.id === 'led-1' && v.digits === 'A001');

    assert.equal(await hub.proc.stop(), 0, hub.proc.output());
    assert.doesNotMatch(hub.proc.output(), /ERR_MODULE_NOT_FOUND|Cannot find (module|package)/);
  });

  test('the built keypad, window board and kiosk programs run on their own against the built hub', async (t) => {
    t.after(stopAll);
    const hub = await startBuiltHub({ SHUBBAK_SIMULATE: 'false' });
    const { client, rec } = await hubClient(hub);
    await client.subscribeAsync(topics.allDeviceStatus(), { qos: 1 });

    // Each with the node flags of its unit (--max-semi-space-size, --lite-mode …), as installed.
    const programs: { id: string; kind: string; file: string; unit: string; env: Record<string, string> }[] = [
      { id: 'keypad-1', kind: 'keypad', file: 'counter-keypad/main.js', unit: 'counter-keypad/counter-keypad.service', env: {} },
      { id: 'led-1', kind: 'display', file: 'display/main.js', unit: 'display/display.service', env: { SHUBBAK_DISPLAY_KIND: 'display' } },
      { id: 'kiosk-1', kind: 'kiosk', file: 'kiosk/main.js', unit: 'kiosk/kiosk.service', env: {} },
    ];
    // Each also says at exit which of Node's built-ins it loaded (tests/fixtures/builtins-probe.mjs).
    const probe = pathToFileURL(path.join(ROOT, 'tests/fixtures/builtins-probe.mjs')).href;
    const procs = programs.map((p) => startBuiltDevice(hub, p, ['--import', probe]));
    for (const p of programs) {
      const s = await rec.waitFor<{ online: boolean; kind?: string }>(topics.deviceStatus(p.id), (m) => m.online, 30_000);
      assert.equal(s.kind, p.kind, `${p.id} says what it is`);
    }
    // The window board started as a window board, not as the hall's clip maker it carries.
    await procs[1].waitFor(/\[led-1\] display board started/);
    assert.doesNotMatch(procs[1].output(), /hall voice clips/);

    // SIGTERM: each says goodbye (retained offline) and exits cleanly.
    for (const [i, p] of programs.entries()) {
      assert.equal(await procs[i].stop(), 0, procs[i].output());
      await rec.waitFor<{ online: boolean }>(topics.deviceStatus(p.id), (m) => !m.online, 10_000);
    }
    // Issue 10, Node 24: no program loads node:zlib or node:assert (~1.2 MB resident there),
    // which none of them uses. Fails before: the printer code's QR constant imported qrcode's
    // main, whose PNG renderer (pngjs) requires both at the top, into every program.
    for (const [i, p] of programs.entries()) {
      const line = /builtins-loaded: (.*)/.exec(procs[i].output());
      assert.ok(line, `${p.id}: the probe did not report:\n${procs[i].output()}`);
      const loaded = line[1].split(',');
      for (const never of ['zlib', 'assert']) assert.ok(!loaded.includes(never), `${p.id} loaded node:${never} (${line[1]})`);
    }
    assert.equal(await hub.proc.stop(), 0, hub.proc.output());
  });

  // The field path as installed: TLS on the hub, each device given its hub's CA. A device may
  // reach the hub over MQTT on TLS (mqtts://, port 8883) or over a secure WebSocket on the
  // HTTPS port (wss://…/mqtt, where only that port is open), as SHUBBAK_HUB_URL allows. Fails
  // before over wss://: the device bundles carried a stand-in for mqtt.js's WebSocket transport
  // that threw "./ws is not in this program" at connect.
  test('the built keypad over wss:// and the built window board over mqtts:// reach a built hub with TLS on', async (t) => {
    t.after(stopAll);
    const hub = await startBuiltHub({ SHUBBAK_SIMULATE: 'false', SHUBBAK_TLS: 'true', SHUBBAK_TLS_NAMES: 'localhost' });
    const [, mqttsPort, httpsPort] = await hub.proc.waitFor(/mqtts:\/\/\S+:(\d+)\s+\(WebSocket: wss:\/\/…:(\d+)\/mqtt\)/);
    const { client, rec } = await hubClient(hub);
    await client.subscribeAsync(topics.allDeviceStatus(), { qos: 1 });
    const caFile = path.join(hub.dataDir, 'tls', 'ca.pem');
    assert.ok(fs.existsSync(caFile), 'the hub made its CA');
    const programs: { id: string; file: string; unit: string; url: string; env: Record<string, string> }[] = [
      { id: 'keypad-1', file: 'counter-keypad/main.js', unit: 'counter-keypad/counter-keypad.service', url: `wss://localhost:${httpsPort}/mqtt`, env: {} },
      { id: 'led-1', file: 'display/main.js', unit: 'display/display.service', url: `mqtts://localhost:${mqttsPort}`, env: { SHUBBAK_DISPLAY_KIND: 'display' } },
    ];
    const procs = programs.map((p) => startBuiltDevice(hub, { ...p, env: { ...p.env, SHUBBAK_HUB_URL: p.url, SHUBBAK_CA_FILE: caFile } }));
    for (const [i, p] of programs.entries()) {
      await rec.waitFor<{ online: boolean }>(topics.deviceStatus(p.id), (m) => m.online, 30_000)
        .catch((err: Error) => { throw new Error(`${p.id} over ${p.url}: ${err.message}\n${procs[i].output()}`); });
    }
    for (const [i, p] of programs.entries()) assert.equal(await procs[i].stop(), 0, `${p.id}: ${procs[i].output()}`);
    assert.equal(await hub.proc.stop(), 0, hub.proc.output());
  });

  // Issue 10: ICU's locale and zone data costs ~8 MB resident once touched (the first
  // Intl.DateTimeFormat with a time zone maps 6.5 MB of node's file pages). The hub tells
  // Cairo's time from the system's tzdata (hub/tzdata.ts): its start, a ticket, a call and a
  // finish use no ICU. Fails before: Intl.DateTimeFormat at config's timezone(), localDay and
  // localParts (hub/domain/time.ts).
  test('the built hub at work never touches ICU: start, a ticket, a call, a finish', async (t) => {
    t.after(stopAll);
    const probe = pathToFileURL(path.join(ROOT, 'tests/fixtures/icu-probe.mjs')).href;
    const hub = await startBuiltHub({ SHUBBAK_SIMULATE: 'false' }, ['--import', probe]);
    const { devices } = JSON.parse(fs.readFileSync(path.join(hub.dataDir, 'devices.json'), 'utf8')) as { devices: { id: string; secret: string }[] };
    const link = async (id: string, kind: 'kiosk' | 'keypad') => {
      const secret = devices.find((d) => d.id === id)!.secret;
      const l = new DeviceLink({ url: hub.mqttUrl, deviceId: id, secret, kind, replyTimeoutMs: 15_000 });
      t.after(() => l.close());
      await new Promise<void>((resolve) => l.once('clock', () => resolve()));
      return l;
    };
    const kiosk = await link('kiosk-1', 'kiosk');
    const keypad = await link('keypad-1', 'keypad');
    const issued = await kiosk.request('ticket.issue', { line: 'A' });
    assert.equal(issued.ok, true, JSON.stringify(issued));
    const called = await keypad.request('window.next', {});
    assert.equal(called.ok, true, JSON.stringify(called));
    assert.equal((await keypad.request('window.finish', {})).ok, true);
    await new Promise((r) => setTimeout(r, 1500)); // presence, the commit feed, the day's jobs
    assert.equal(await hub.proc.stop(), 0, hub.proc.output());
    assert.match(hub.proc.output(), /icu-probe: watching/, 'the probe ran inside the hub');
    assert.deepEqual(hub.proc.output().split('\n').filter((l) => l.startsWith('icu-use:')), []);
    // Node 22+: node:http's lazy WebSocket getters load undici when http is imported as ESM.
    assert.doesNotMatch(hub.proc.output(), /undici-loaded/, 'node loaded undici (fetch, WebSocket) into the hub');
  });

  test('the built hub in production mode: no /sim, no demo data, no secret in its output', async (t) => {
    t.after(stopAll);
    const hub = await startBuiltHub({ SHUBBAK_MODE: 'production', SHUBBAK_CENTER_ID: 'test-center', SHUBBAK_LOG_LEVEL: 'info' });
    assert.equal((await fetch(`${hub.httpUrl}/`)).status, 200);
    assert.equal((await fetch(`${hub.httpUrl}/assets/app.js`)).status, 200);
    assert.equal((await fetch(`${hub.httpUrl}/sim`)).status, 404);
    assert.equal((await fetch(`${hub.httpUrl}/sim/press`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"device":"keypad-1","key":0}' })).status, 404);
    for (const f of ['devices.json', 'staff.json']) assert.equal(fs.existsSync(path.join(hub.dataDir, f)), false, `no ${f}`);

    const file = path.join(hub.dataDir, 'first-admin-password');
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    const password = fs.readFileSync(file, 'utf8').match(/^password=(.+)$/m)?.[1];
    assert.ok(password);
    const login = await fetch(`${hub.httpUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }) });
    assert.equal(login.status, 200);
    assert.equal((await login.json() as { mustChangePassword: boolean }).mustChangePassword, true);

    // The broker answers: the hub's identity connects, a stranger is refused.
    await hubClient(hub);
    await assert.rejects(mqtt.connectAsync(hub.mqttUrl, { clientId: 'keypad-1', username: 'keypad-1', password: 'guess', protocolVersion: 4, reconnectPeriod: 0 }), /Not authorized/i);

    assert.equal(await hub.proc.stop(), 0);
    const out = hub.proc.output();
    assert.ok(!out.includes(password), 'the one-time password is not in the output (the journal)');
    assert.ok(!out.includes(fs.readFileSync(path.join(hub.dataDir, 'hub.secret'), 'utf8').trim()), 'nor the hub secret');
    assert.match(out, /mode:\s+production/);
    assert.doesNotMatch(out, /demo|simulated devices/i);
  });
});
