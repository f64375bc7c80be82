// npm run bench — figures, not pass/fail. The hub runs in its own process as production
// runs it: `npm run build` first, then `node dist/hub/server.js` (--tsx: the sources under
// tsx, as `npm start` runs them; --no-build: the dist/ already there). Devices are separate processes speaking real MQTT over TCP. Every
// latency is also printed as a ratio to the bare MQTT request/reply round trip measured
// through the same embedded broker in the same run, so machines of different speed compare.
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import mqtt from 'mqtt';
import { DeviceLink } from '@shubbak/protocol/device-link';
import { loadConfig } from '../hub/config.ts';
import { createContext } from '../hub/context.ts';
import { seedDemoCenter, readDevicesFile } from '../hub/db/seed.ts';
import { benchTarget, fmt, goal, rssMb, startHubProcess, summary, type Row, type Target } from './bench/lib.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WORKER = path.join(ROOT, 'scripts/bench/device-worker.ts');
const nowMs = () => Number(process.hrtime.bigint()) / 1e6;
const args = new Map(process.argv.slice(2).map((a) => { const [k, ...v] = a.replace(/^--/, '').split('='); return [k, v.join('=')] as [string, string]; }));
const ROUNDS = Number(args.get('rounds') ?? 2000);
const LOAD_CLIENTS = Number(args.get('clients') ?? 200);
const LOAD_SECONDS = Number(args.get('seconds') ?? 8);
const ONLY = args.get('only'); // e.g. --only=spine
// The built JavaScript is measured (npm run build first); --tsx measures the sources under tsx,
// --no-build measures the dist/ that is there.
const TSX = args.has('tsx');
const NO_BUILD = args.has('no-build');
const SETTLE_SECONDS = Number(args.get('settle') ?? 5);
// Node flags for the built programs, e.g. --node-flags=--max-semi-space-size=1 (as a unit's ExecStart would give them).
const NODE_FLAGS = (args.get('node-flags') ?? '').split(/[\s,]+/).filter(Boolean);
// Issue 10's memory goals (MB resident) and the peer FQM's whole server at idle.
const HUB_IDLE_GOAL_MB = 80;
const HUB_PEAK_GOAL_MB = 115;
const FQM_IDLE_MB = 115;

const rows: Row[] = [];
function report(name: string, value: number, unit: string, note = ''): void {
  rows.push({ name, value, unit });
  console.log(`  ${name.padEnd(58)} ${fmt(value).padStart(10)} ${unit.padEnd(6)} ${note}`);
}

/** The hub's resident memory once it has been left alone: the mean of the last second of samples. */
async function settledRss(pid: number, seconds: number): Promise<number> {
  await new Promise((r) => setTimeout(r, Math.max(0, seconds - 1) * 1000));
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    samples.push(rssMb(pid));
    await new Promise((r) => setTimeout(r, 200));
  }
  return samples.reduce((a, b) => a + b, 0) / samples.length;
}

function worker<T>(job: unknown, onMessage?: (m: { ready?: boolean; loaded?: boolean }, child: ChildProcess) => void): { child: ChildProcess; result: Promise<T> } {
  const child = fork(WORKER, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const result = new Promise<T>((resolve, reject) => {
    child.on('message', (m: { result?: T; error?: string; ready?: boolean; loaded?: boolean }) => {
      if (m.error) reject(new Error(m.error));
      else if (m.result !== undefined) resolve(m.result);
      else onMessage?.(m, child);
    });
    child.once('exit', (code) => code && reject(new Error(`worker exited ${code}`)));
  });
  child.send(job as object);
  return { child, result };
}

/** Prepare a data dir: the demo center plus LOAD_CLIENTS extra kiosks for the load test. */
function prepare(dataDir: string): { hubSecret: string; creds: Map<string, string>; loadKiosks: { id: string; secret: string }[] } {
  const config = loadConfig({}, { dataDir, simulate: false, logLevel: 'silent' });
  const ctx = createContext(config, Date.now);
  seedDemoCenter(ctx, { mqttUrl: 'mqtt://127.0.0.1', websocketUrl: 'ws://127.0.0.1/mqtt' });
  const hubSecret = ctx.devices.ensureHubSecret()!;
  const loadKiosks: { id: string; secret: string }[] = [];
  ctx.uow.run(() => {
    for (let i = 0; i < LOAD_CLIENTS; i++) {
      const id = `bench-kiosk-${i}`;
      const { secret } = ctx.devices.register({ id, kind: 'kiosk', binding: { buttons: ['A', 'B', 'C', 'D'].map((line, key) => ({ key, line })) } });
      loadKiosks.push({ id, secret });
    }
  });
  ctx.db.close();
  const creds = new Map(readDevicesFile(dataDir)!.devices.map((d) => [d.id, d.secret]));
  return { hubSecret, creds, loadKiosks };
}

async function mqttClient(url: string, id: string, secret: string): Promise<mqtt.MqttClient> {
  const c = mqtt.connect(url, { clientId: id, username: id.split('.')[0], password: secret, protocolVersion: 4 });
  await new Promise<void>((resolve, reject) => {
    c.once('connect', () => resolve());
    c.once('error', reject);
  });
  (c.stream as unknown as { setNoDelay?: (b: boolean) => void }).setNoDelay?.(true);
  return c;
}

/** (a) bare request/reply through the embedded broker: requester → broker → echo → broker → requester, QoS 1. */
async function bareRoundTrip(url: string, hubSecret: string, rounds: number): Promise<number[]> {
  const req = await mqttClient(url, 'hub.bench-req', hubSecret);
  const echo = await mqttClient(url, 'hub.bench-echo', hubSecret);
  await echo.subscribeAsync('bench/ping', { qos: 1 });
  echo.on('message', (_t, p) => echo.publish('bench/pong', p, { qos: 1 }));
  await req.subscribeAsync('bench/pong', { qos: 1 });
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const body = JSON.stringify({ id: `ping-${i}`, at: Date.now() });
    const t0 = nowMs();
    await new Promise<void>((resolve) => {
      const on = (_t: string, p: Buffer) => {
        if (p.toString() !== body) return;
        req.off('message', on);
        resolve();
      };
      req.on('message', on);
      req.publish('bench/ping', body, { qos: 1 });
    });
    samples.push(nowMs() - t0);
  }
  await req.endAsync();
  await echo.endAsync();
  return samples;
}

async function spine(hubUrl: string, mqttUrl: string, hubPid: number, prep: ReturnType<typeof prepare>, target: Target) {
  console.log('\nThe spine (hub + embedded broker + SQLite with synchronous=FULL)');
  // Warm up every path once (JIT, prepared statements, TCP).
  await bareRoundTrip(mqttUrl, prep.hubSecret, 200);
  const base = summary(await bareRoundTrip(mqttUrl, prep.hubSecret, ROUNDS));
  report('(a) bare MQTT request/reply, QoS 1, p50', base.p50, 'ms');
  report('(a) bare MQTT request/reply, QoS 1, p99', base.p99, 'ms');

  const issue = worker<{ samples: number[] }>({ mode: 'issue', url: mqttUrl, device: { id: 'kiosk-1', secret: prep.creds.get('kiosk-1') }, count: ROUNDS, line: 'A' });
  const b = summary((await issue.result).samples);
  report('(b) ticket.issue round trip from a device process, p50', b.p50, 'ms', `ratio to (a) ${fmt(b.p50 / base.p50)}`);
  report('(b) ticket.issue round trip from a device process, p99', b.p99, 'ms', `ratio to (a) ${fmt(b.p99 / base.p99)}  (target ≤ 2)`);

  // (c) keypad Next → the new ticket on windows/1/state, seen by a separate display process.
  let displayReady!: () => void;
  const ready = new Promise<void>((r) => (displayReady = r));
  const display = worker<{ arrivals: Record<string, number> }>(
    { mode: 'display', url: mqttUrl, device: { id: 'led-1', secret: prep.creds.get('led-1') }, window: 1 },
    (m) => m.ready && displayReady(),
  );
  await ready;
  const keypad = new DeviceLink({ url: mqttUrl, deviceId: 'keypad-1', secret: prep.creds.get('keypad-1')!, kind: 'keypad' });
  await new Promise((r) => keypad.once('clock', r));
  const sentAt: Record<string, number> = {};
  const calls = Math.min(ROUNDS, 1000);
  for (let i = 0; i < calls; i++) {
    const t0 = nowMs();
    const r = await keypad.command('window.next', {});
    if (!r.ok) throw new Error(`window.next: ${JSON.stringify(r)}`);
    sentAt[(r.result as { ticket: string }).ticket] = t0;
  }
  await new Promise((r) => setTimeout(r, 300));
  display.child.send({ stop: true });
  const { arrivals } = await display.result;
  const c = summary(Object.entries(sentAt).filter(([t]) => arrivals[t] !== undefined).map(([t, t0]) => arrivals[t] - t0));
  await keypad.close();
  report('(c) keypad Next → board sees the new ticket, p50', c.p50, 'ms', `ratio to (a) ${fmt(c.p50 / base.p50)}`);
  report('(c) keypad Next → board sees the new ticket, p99', c.p99, 'ms', `ratio to (a) ${fmt(c.p99 / base.p99)}  (target ≤ 2)`);
  if (c.n < calls) console.log(`      note: the board saw ${c.n} of ${calls} calls`);

  // (d) sustained throughput: LOAD_CLIENTS kiosks in two processes, 4 commands in flight each.
  // (e) the hub's memory: idle with every device connected, peak under the load, after it.
  const half = Math.ceil(prep.loadKiosks.length / 2);
  const groups = [prep.loadKiosks.slice(0, half), prep.loadKiosks.slice(half)].filter((g) => g.length);
  let readyCount = 0;
  let loadedCount = 0;
  let allReady!: () => void;
  let allLoaded!: () => void;
  const ready2 = new Promise<void>((r) => (allReady = r));
  const loaded = new Promise<void>((r) => (allLoaded = r));
  const loads = groups.map((devices) => worker<{ done: number; failed: number; elapsed: number }>(
    { mode: 'load', url: mqttUrl, devices, seconds: LOAD_SECONDS, inflight: 4, lines: ['A', 'B', 'C', 'D'] },
    (m) => {
      if (m.ready && ++readyCount === groups.length) allReady();
      if (m.loaded && ++loadedCount === groups.length) allLoaded();
    },
  ));
  await Promise.race([ready2, Promise.all(loads.map((l) => l.result))]);
  const idleRss = await settledRss(hubPid, SETTLE_SECONDS);
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMb(hubPid))), 100);
  for (const l of loads) l.child.send({ go: true });
  await Promise.race([loaded, Promise.all(loads.map((l) => l.result))]);
  clearInterval(sampler);
  peakRss = Math.max(peakRss, rssMb(hubPid));
  const afterRss = await settledRss(hubPid, SETTLE_SECONDS);
  for (const l of loads) l.child.send({ stop: true });
  const results = await Promise.all(loads.map((l) => l.result));
  const done = results.reduce((a, r) => a + r.done, 0);
  const failed = results.reduce((a, r) => a + r.failed, 0);
  const elapsed = Math.max(...results.map((r) => r.elapsed));
  report(`(d) sustained ticket.issue with ${LOAD_CLIENTS} device clients`, done / elapsed, 'cmd/s', `(target ≥ 5000; ${failed} failed)`);
  const hub = target.built ? 'built hub' : 'hub (tsx)';
  report(`(e) ${hub} resident memory, idle with ${LOAD_CLIENTS} devices connected`, idleRss, 'MB', goal(idleRss, HUB_IDLE_GOAL_MB));
  report(`(e) ${hub} resident memory, peak under the ${LOAD_CLIENTS}-device load`, peakRss, 'MB', goal(peakRss, HUB_PEAK_GOAL_MB));
  report(`(e) ${hub} resident memory, after the load (${LOAD_CLIENTS} still connected)`, afterRss, 'MB', goal(afterRss, HUB_IDLE_GOAL_MB));
  report(`(e) ${hub} resident memory, idle / FQM's whole server idle (${FQM_IDLE_MB} MB)`, idleRss / FQM_IDLE_MB, 'x');
  console.log(`\n  Peer reference (FQM on this kind of machine): a ticket in 4 ms, ~230 tickets/s, a call on its display 0–4 s later by polling.`);
  console.log(`  Shubbak here: a ticket in ${fmt(b.p50)} ms p50 (${fmt(4 / b.p50, 1)}× faster), ${fmt(done / elapsed, 0)} tickets/s (${fmt(done / elapsed / 230, 1)}×), a call on the board in ${fmt(c.p99)} ms p99.`);
  return { baseline: { p50: base.p50, p99: base.p99 }, hubUrl };
}

/** Sections contributed by each area: scripts/bench/<name>.ts exporting run(env). */
async function sections(env: { httpUrl: string; mqttUrl: string; devicesFile: string; baselineRttMs: { p50: number; p99: number }; target: Target }) {
  for (const name of ['hardware', 'devices', 'panels', 'reports', 'tls']) {
    if (ONLY && ONLY !== name) continue;
    const file = path.join(ROOT, 'scripts/bench', `${name}.ts`);
    if (!fs.existsSync(file)) continue;
    console.log(`\n${name}`);
    try {
      const mod = (await import(file)) as { run: (env: unknown) => Promise<Row[]> };
      for (const r of await mod.run(env)) report(r.name, r.value, r.unit, r.note);
    } catch (err) {
      console.log(`  ${name}: failed — ${(err as Error).message}`);
    }
  }
}

/** `npm run build` when the project has one, so the figures are those of the code as it is now. */
function build(): void {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  if (!pkg.scripts.build) return;
  const r = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`npm run build failed (${r.status ?? r.signal})`);
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shubbak-bench-'));
  console.log(`Shubbak benchmark — ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? ''}, Node ${process.version}`);
  console.log(`data: ${dataDir}; ${ROUNDS} rounds; ${LOAD_CLIENTS} load clients for ${LOAD_SECONDS} s`);
  if (!TSX && !NO_BUILD) build();
  const target = benchTarget(ROOT, !TSX, NODE_FLAGS);
  console.log(`measuring: ${target.label}`);
  const prep = prepare(dataDir);
  // The per-device command limit (100/s by default) is a policy for real devices; the
  // benchmark drives one kiosk as fast as round trips allow, so it is switched off here.
  const hub = await startHubProcess(ROOT, dataDir, { SHUBBAK_DEVICE_COMMANDS_PER_SEC: '0' }, target);
  try {
    let baseline = { p50: NaN, p99: NaN };
    if (!ONLY || ONLY === 'spine') baseline = (await spine(hub.httpUrl, hub.mqttUrl, hub.child.pid!, prep, target)).baseline;
    else baseline = summary(await bareRoundTrip(hub.mqttUrl, prep.hubSecret, 500));
    await sections({ httpUrl: hub.httpUrl, mqttUrl: hub.mqttUrl, devicesFile: path.join(dataDir, 'devices.json'), baselineRttMs: baseline, target });
  } finally {
    await hub.stop();
  }
  fs.writeFileSync(path.join(dataDir, 'bench.json'), JSON.stringify(rows, null, 2));
  console.log(`\nfigures also in ${path.join(dataDir, 'bench.json')}`);
  fs.rmSync(dataDir, { recursive: true, force: true, maxRetries: 3 });
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
