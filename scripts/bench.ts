// npm run bench — figures, not pass/fail. The hub runs in its own process as production
// runs it: `npm run build` first, then `node dist/hub/server.js` (--tsx: the sources under
// tsx, as `npm start` runs them; --no-build: the dist/ already there). Devices are separate
// processes speaking real MQTT over TCP. The spine's latencies are compared with Debian's
// mosquitto (a C broker, started here on a free port): a bare QoS 1 request/reply through it
// with the same client library, measured in the same run and interleaved in blocks with the
// hub's figures (issue 16, item 3); the same round trip through the hub's own broker is the
// second line, and the ratio the device sections print against.
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DeviceLink } from '@shubbak/protocol/device-link';
import { loadConfig } from '../hub/config.ts';
import { createContext } from '../hub/context.ts';
import { seedDemoCenter, readDevicesFile } from '../hub/db/seed.ts';
import { commitFloor, floorSamples } from './bench/commit-floor.ts';
import { startMosquitto } from './bench/mosquitto.ts';
import { benchTarget, cpuMs, diskWriteBytes, fmt, freePort, runQueueMs, goal, rssMb, startHubProcess, summary, unitMallocEnv, unitNodeFlags, waitForPort, type Row, type Target } from './bench/lib.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WORKER = path.join(ROOT, 'scripts/bench/device-worker.ts');
const nowMs = () => Number(process.hrtime.bigint()) / 1e6;
const args = new Map(process.argv.slice(2).map((a) => { const [k, ...v] = a.replace(/^--/, '').split('='); return [k, v.join('=')] as [string, string]; }));
const ROUNDS = Number(args.get('rounds') ?? 2000);
const LOAD_CLIENTS = Number(args.get('clients') ?? 200);
const LOAD_SECONDS = Number(args.get('seconds') ?? 8);
// e.g. --only=spine; --only=latency (the spine's (a)–(c) and (f), without (d)/(e));
// --only=memory or --only=throughput (the spine's (d)/(e) alone, on a fresh hub); --only=devices
const ONLY = args.get('only');
// The built JavaScript is measured (npm run build first); --tsx measures the sources under tsx,
// --no-build measures the dist/ that is there.
const TSX = args.has('tsx');
const NO_BUILD = args.has('no-build');
// Issue 16: the tail under a background of this many commands/s from the LOAD_CLIENTS devices.
const BACKGROUND_RATE = Number(args.get('background') ?? 1000);
const SETTLE_SECONDS = Number(args.get('settle') ?? 5);
// Node flags for the built programs, e.g. --node-flags=--max-semi-space-size=1 (as a unit's ExecStart would give them).
const NODE_FLAGS = (args.get('node-flags') ?? '').split(/[\s,]+/).filter(Boolean);
// --load-over=tls: the 200 load devices of (d)/(e) connect over mqtts:// (see throughputAndMemory).
const LOAD_OVER = args.get('load-over') ?? 'plain';
if (LOAD_OVER !== 'plain' && LOAD_OVER !== 'tls') throw new Error(`--load-over must be plain or tls, got ${LOAD_OVER}`);
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

/** A device worker that answers { block: n } with n samples (see device-worker.ts). */
type BlockWorker = { block(n: number): Promise<number[]>; stop(): Promise<void> };

async function blockWorker(job: unknown): Promise<BlockWorker> {
  const child = fork(WORKER, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`worker exited ${code}`))));
  exited.catch(() => {});
  const next = () => Promise.race([
    new Promise<{ ready?: boolean; samples?: number[]; error?: string; result?: unknown }>((resolve) => child.once('message', resolve)),
    exited,
  ]).then((m) => {
    if (m.error) throw new Error(m.error);
    return m;
  });
  child.send(job as object);
  await next(); // ready
  return {
    async block(n) {
      child.send({ block: n });
      return (await next()).samples!;
    },
    async stop() {
      child.send({ stop: true });
      await next();
    },
  };
}

/** Keypad Next → the board sees the new ticket on windows/{n}/state (a separate display process). */
async function nextToBoard(mqttUrl: string, prep: ReturnType<typeof prepare>) {
  let displayReady!: () => void;
  const ready = new Promise<void>((r) => (displayReady = r));
  const display = worker<{ arrivals: Record<string, number> }>(
    { mode: 'display', url: mqttUrl, device: { id: 'led-1', secret: prep.creds.get('led-1') }, window: 1 },
    (m) => m.ready && displayReady(),
  );
  await ready;
  const keypad = new DeviceLink({ url: mqttUrl, deviceId: 'keypad-1', secret: prep.creds.get('keypad-1')!, kind: 'keypad', replyTimeoutMs: 30_000 });
  keypad.on('error', (err: Error) => console.error(`  keypad-1: ${err.message}`));
  await new Promise((r) => keypad.once('clock', r));
  const sentAt = new Map<string, Record<string, number>>();
  return {
    /** n calls, one after another, counted under `phase` (none: a warm-up). */
    async block(n: number, phase?: string) {
      const into = phase ? (sentAt.get(phase) ?? sentAt.set(phase, {}).get(phase)!) : null;
      for (let i = 0; i < n; i++) {
        const t0 = nowMs();
        const r = await keypad.request('window.next', {});
        if (!r.ok) throw new Error(`window.next: ${JSON.stringify(r)}`);
        if (into) into[(r.result as { ticket: string }).ticket] = t0;
      }
    },
    /** Stop; per phase, the delays of the calls the board saw, and how many calls there were. */
    async stop(): Promise<Map<string, { samples: number[]; calls: number }>> {
      await new Promise((r) => setTimeout(r, 300));
      display.child.send({ stop: true });
      const { arrivals } = await display.result;
      await keypad.close();
      return new Map([...sentAt].map(([phase, sent]) => [phase, {
        samples: Object.entries(sent).filter(([t]) => arrivals[t] !== undefined).map(([t, t0]) => arrivals[t] - t0),
        calls: Object.keys(sent).length,
      }]));
    },
  };
}

/** The load workers: LOAD_CLIENTS kiosks in two processes (open loop at `rate`/s each, or closed loop). */
function loadWorkers(mqttUrl: string, prep: ReturnType<typeof prepare>, opts: { rate?: number; ca?: string }) {
  const half = Math.ceil(prep.loadKiosks.length / 2);
  const groups = [prep.loadKiosks.slice(0, half), prep.loadKiosks.slice(half)].filter((g) => g.length);
  let readyCount = 0;
  let loadedCount = 0;
  let allReady!: () => void;
  let allLoaded!: () => void;
  const ready = new Promise<void>((r) => (allReady = r));
  const loaded = new Promise<void>((r) => (allLoaded = r));
  const loads = groups.map((devices) => worker<{ done: number; failed: number; elapsed: number; latencies?: number[] }>(
    { mode: 'load', url: mqttUrl, ca: opts.ca, devices, seconds: LOAD_SECONDS, inflight: 4, lines: ['A', 'B', 'C', 'D'], rate: opts.rate },
    (m) => {
      if (m.ready && ++readyCount === groups.length) allReady();
      if (m.loaded && ++loadedCount === groups.length) allLoaded();
    },
  ));
  const all = Promise.all(loads.map((l) => l.result));
  return {
    ready: Promise.race([ready, all]).then(() => {}),
    loaded: Promise.race([loaded, all]).then(() => {}),
    go: () => loads.forEach((l) => l.child.send({ go: true })),
    async stop() {
      for (const l of loads) l.child.send({ stop: true });
      const results = await all;
      return {
        done: results.reduce((a, r) => a + r.done, 0),
        failed: results.reduce((a, r) => a + r.failed, 0),
        elapsed: Math.max(...results.map((r) => r.elapsed)),
        latencies: results.flatMap((r) => r.latencies ?? []),
      };
    },
  };
}

/** "2.1× mosquitto (target ≤ 2: met)" */
function versus(value: number, ref: number, limit: number): string {
  const r = value / ref;
  return `${fmt(r)}× mosquitto (target ≤ ${limit}: ${r <= limit ? 'met' : 'NOT met'})`;
}

/** "2.8× mosquitto: a target of ≤ 2× is below the floor on this machine" */
function reachable(ratio: number, limit: number): string {
  return `${fmt(ratio)}× mosquitto: a target of ≤ ${limit}× is ${ratio <= limit ? 'above the floor (reachable)' : 'below the floor on this machine (NOT reachable by any hub)'}`;
}

/** Where the bench's hub listens for devices: its loopback port in clear, and MQTT over TLS with the CA its certificate chains to. */
type HubLink = { mqttUrl: string; mqttsUrl: string; caFile: string };

async function spine(hubUrl: string, link: HubLink, hubPid: number, prep: ReturnType<typeof prepare>, target: Target, dataDir: string, withThroughput = true) {
  const { mqttUrl } = link;
  console.log('\nThe spine (hub + embedded broker + SQLite with synchronous=FULL), against Debian\'s mosquitto');
  // The reference: mosquitto (C) on a free port with set_tcp_nodelay, the same client
  // library (mqtt.js), the same kind of device process. Interleaved in blocks with the
  // hub's figures, so the machine's noise hits both alike.
  const mosq = await startMosquitto();
  const BLOCK = Math.max(10, Math.min(200, Math.floor(ROUNDS / 10)));
  const blocks = Math.max(1, Math.round(ROUNDS / BLOCK));
  const hubCreds = { id: 'hub', secret: prep.hubSecret };
  const refBare = await blockWorker({ mode: 'bare', url: mosq.url, requester: null, echo: null });
  const hubBare = await blockWorker({ mode: 'bare', url: mqttUrl, requester: hubCreds, echo: hubCreds });
  const issue = await blockWorker({ mode: 'issue', url: mqttUrl, device: { id: 'kiosk-1', secret: prep.creds.get('kiosk-1') }, line: 'A' });
  const next = await nextToBoard(mqttUrl, prep);
  // The floor (scripts/bench/commit-floor.ts): one commit with the hub's settings on its disk,
  // taken right after each mosquitto block, so sample i of each adds up to one floor sample.
  const floor = commitFloor(dataDir);
  const step = (what: string) => process.stderr.write(`  … ${what}\n`);
  step('warming up');
  // Warm up every path (JIT, prepared statements, TCP); Next calls the tickets issued just before.
  await refBare.block(200);
  floor.block(200);
  await hubBare.block(200);
  await issue.block(200);
  await next.block(200);
  step(`${blocks} blocks of ${BLOCK}: mosquitto, the hub's broker, ticket.issue, Next → board`);
  const ref: number[] = [];
  const own: number[] = [];
  const issued: number[] = [];
  const commits: number[] = [];
  for (let i = 0; i < blocks; i++) {
    ref.push(...(await refBare.block(BLOCK)));
    commits.push(...floor.block(BLOCK));
    own.push(...(await hubBare.block(BLOCK)));
    issued.push(...(await issue.block(BLOCK)));
    await next.block(BLOCK, 'quiet');
  }
  // The same under background load: LOAD_CLIENTS kiosks sending BACKGROUND_RATE commands/s in all.
  const background = loadWorkers(mqttUrl, prep, { rate: BACKGROUND_RATE / Math.max(1, LOAD_CLIENTS) });
  await background.ready;
  step(`the same under ${BACKGROUND_RATE} commands/s from ${LOAD_CLIENTS} devices`);
  const bgCpu0 = cpuMs(hubPid);
  const bgWait0 = runQueueMs(hubPid);
  const bgDisk0 = diskWriteBytes(hubPid);
  background.go();
  await new Promise((r) => setTimeout(r, 500)); // the load settles in
  const loadedRef: number[] = [];
  const loadedIssued: number[] = [];
  const LBLOCK = Math.max(10, Math.floor(BLOCK / 2));
  // A hub that falls behind the background answers STALE (or not at all): reported, not fatal.
  let loadedError: string | null = null;
  try {
    for (let i = 0; i < blocks; i++) {
      loadedRef.push(...(await refBare.block(LBLOCK)));
      loadedIssued.push(...(await issue.block(LBLOCK)));
      await next.block(LBLOCK, 'loaded');
    }
  } catch (err) {
    loadedError = (err as Error).message.split('\n')[0];
  }
  const bg = await background.stop();
  const bgCpu = cpuMs(hubPid) - bgCpu0;
  const bgWait = runQueueMs(hubPid) - bgWait0;
  const bgDisk = diskWriteBytes(hubPid) - bgDisk0;
  const nexts = await next.stop();
  const nextQuiet = nexts.get('quiet')!;
  const nextUnderLoad = nexts.get('loaded') ?? { samples: [], calls: 0 };
  await Promise.allSettled([refBare.stop(), hubBare.stop(), issue.stop()]);
  await mosq.stop();
  floor.close();

  const base = summary(ref);
  const mine = summary(own);
  const b = summary(issued);
  const c = summary(nextQuiet.samples);
  report('(a) bare MQTT request/reply through mosquitto, QoS 1, p50', base.p50, 'ms', '(the reference)');
  report('(a) bare MQTT request/reply through mosquitto, QoS 1, p99', base.p99, 'ms', '(the reference)');
  report("(a') bare MQTT request/reply through the hub's broker, p50", mine.p50, 'ms', `${fmt(mine.p50 / base.p50)}× mosquitto`);
  report("(a') bare MQTT request/reply through the hub's broker, p99", mine.p99, 'ms', `${fmt(mine.p99 / base.p99)}× mosquitto`);
  report('(b) ticket.issue round trip from a device process, p50', b.p50, 'ms', versus(b.p50, base.p50, 2));
  report('(b) ticket.issue round trip from a device process, p99', b.p99, 'ms', versus(b.p99, base.p99, 3));
  report('(c) keypad Next → board sees the new ticket, p50', c.p50, 'ms', versus(c.p50, base.p50, 2));
  report('(c) keypad Next → board sees the new ticket, p99', c.p99, 'ms', versus(c.p99, base.p99, 3));
  if (c.n < nextQuiet.calls) console.log(`      note: the board saw ${c.n} of ${nextQuiet.calls} calls`);
  // Issue 16 names the floor of (b) and (c): one broker round trip plus one fsync'd commit. If
  // the floor's own ratio is above a target, no hub reaches that target on this machine.
  const commit = summary(commits);
  const least = summary(floorSamples(ref, commits));
  report("(g) the floor: one SQLite commit, the hub's settings (WAL, synchronous=FULL) on its disk, p50", commit.p50, 'ms', `p99 ${fmt(commit.p99)} ms`);
  report('(g) the floor of (b) and (c): a mosquitto request/reply + that commit, p50', least.p50, 'ms', reachable(least.p50 / base.p50, 2));
  report('(g) the floor of (b) and (c): a mosquitto request/reply + that commit, p99', least.p99, 'ms', reachable(least.p99 / base.p99, 3));
  // The same with the broker the design fixes (aedes, inside the hub): its bare round trip (a') + the commit.
  const ownLeast = summary(floorSamples(own, commits));
  report("(g) the floor with the hub's own broker: (a') + that commit, p50", ownLeast.p50, 'ms', reachable(ownLeast.p50 / base.p50, 2));
  report("(g) the floor with the hub's own broker: (a') + that commit, p99", ownLeast.p99, 'ms', reachable(ownLeast.p99 / base.p99, 3));
  const lb = summary(loadedIssued);
  const lc = summary(nextUnderLoad.samples);
  const lr = summary(loadedRef);
  const bgRate = (bg.done + bg.failed) / bg.elapsed;
  report(`(f) background load from ${LOAD_CLIENTS} devices (asked ${BACKGROUND_RATE}/s)`, bgRate, 'cmd/s', `(${bg.failed} failed)`);
  // The hub's CPU per command while it is not saturated: the background's commands and the measured ones.
  const fCommands = bg.done + bg.failed + loadedIssued.length + nextUnderLoad.calls;
  report('(f) the hub\'s CPU per command during it (user + system)', (bgCpu * 1000) / Math.max(1, fCommands), 'µs', `(${fmt(bgCpu / 1000 / bg.elapsed)} cores busy)`);
  // What the commits wrote (WAL frames and checkpoints): ~17 pages for a one-command commit, fewer per command in a larger batch.
  report('(f) the hub\'s disk writes per command during it', bgDisk / 1024 / Math.max(1, fCommands), 'KiB', `(${fmt(bgDisk / 1048576 / bg.elapsed, 1)} MB/s)`);
  // Time the hub's event loop was runnable but had no core (the shared machine): a share of every figure below.
  report('(f) the hub\'s main thread waiting for a CPU during it', bgWait / bg.elapsed, 'ms/s', '(run queue, /proc/<pid>/schedstat; the rest of the machine\'s load)');
  report('(f) under it: mosquitto request/reply p99', lr.p99, 'ms', `(${fmt(lr.p99 / base.p99)}× the quiet reference)`);
  report('(f) under it: ticket.issue round trip p99', lb.p99, 'ms', versus(lb.p99, base.p99, 5));
  report('(f) under it: keypad Next → board p99', lc.p99, 'ms', versus(lc.p99, base.p99, 5));
  // The background's own commands (thousands of samples, from the start of the load, so its
  // first half-second is in them): the same tail with less noise than the blocks above.
  const bgOwn = summary(bg.latencies);
  report('(f) the background\'s own ticket.issue round trips, p50', bgOwn.p50, 'ms', `(${bgOwn.n} samples)`);
  report('(f) the background\'s own ticket.issue round trips, p99', bgOwn.p99, 'ms', versus(bgOwn.p99, base.p99, 5));
  if (loadedError) console.log(`      NOT met: under the background load the hub fell behind — ${loadedError}`);
  if (lc.n < nextUnderLoad.calls) console.log(`      note: the board saw ${lc.n} of ${nextUnderLoad.calls} calls under load`);

  if (!withThroughput) return { baseline: { p50: mine.p50, p99: mine.p99 }, hubUrl };
  const sustained = await throughputAndMemory(link, hubPid, prep, target);
  console.log(`\n  Peer reference (FQM on this kind of machine): a ticket in 4 ms, ~230 tickets/s, a call on its display 0–4 s later by polling.`);
  console.log(`  Shubbak here: a ticket in ${fmt(b.p50)} ms p50 (${fmt(4 / b.p50, 1)}× faster), ${fmt(sustained, 0)} tickets/s (${fmt(sustained / 230, 1)}×), a call on the board in ${fmt(c.p99)} ms p99.`);
  return { baseline: { p50: mine.p50, p99: mine.p99 }, hubUrl };
}

/**
 * (d) sustained throughput: LOAD_CLIENTS kiosks in two processes, 4 commands in flight each.
 * (e) the hub's memory: idle with every device connected, peak under the load, after it.
 * Part of the spine; alone with --only=memory (the hub fresh, no latency blocks before it).
 */
async function throughputAndMemory(link: HubLink, hubPid: number, prep: ReturnType<typeof prepare>, target: Target): Promise<number> {
  const step = (what: string) => process.stderr.write(`  … ${what}\n`);
  // --load-over=tls: the load devices connect over mqtts:// with the center's CA, as a center's
  // devices do, so the hub's memory holds their TLS sessions; the default is the loopback port
  // in clear, which the throughput target (issue 16, against a plain Mosquitto) is taken on.
  const overTls = LOAD_OVER === 'tls';
  const load = loadWorkers(overTls ? link.mqttsUrl : link.mqttUrl, prep, overTls ? { ca: fs.readFileSync(link.caFile, 'utf8') } : {});
  await load.ready;
  step('sustained throughput and memory');
  const idleRss = await settledRss(hubPid, SETTLE_SECONDS);
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMb(hubPid))), 100);
  const cpu0 = cpuMs(hubPid);
  load.go();
  await load.loaded;
  const hubCpu = cpuMs(hubPid) - cpu0;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, rssMb(hubPid));
  const afterRss = await settledRss(hubPid, SETTLE_SECONDS);
  const { done, failed, elapsed } = await load.stop();
  const over = overTls ? ' over mqtts://' : '';
  report(`(d) sustained ticket.issue with ${LOAD_CLIENTS} device clients${over}`, done / elapsed, 'cmd/s', `(target ≥ 10000: ${done / elapsed >= 10_000 && failed === 0 ? 'met' : 'NOT met'}; ${failed} failed)`);
  // The hub's own CPU (user + system) per command under that load: less noisy than the rate on a shared machine.
  report('(d) the hub\'s CPU per command under it (user + system)', (hubCpu * 1000) / Math.max(1, done + failed), 'µs', `(${fmt(hubCpu / 1000 / elapsed)} cores busy)`);
  const hub = target.built ? 'built hub' : 'hub (tsx)';
  report(`(e) ${hub} resident memory, idle with ${LOAD_CLIENTS} devices connected${over}`, idleRss, 'MB', goal(idleRss, HUB_IDLE_GOAL_MB));
  report(`(e) ${hub} resident memory, peak under the ${LOAD_CLIENTS}-device load${over}`, peakRss, 'MB', goal(peakRss, HUB_PEAK_GOAL_MB));
  report(`(e) ${hub} resident memory, after the load (${LOAD_CLIENTS} still connected)`, afterRss, 'MB', goal(afterRss, HUB_IDLE_GOAL_MB));
  report(`(e) ${hub} resident memory, idle / FQM's whole server idle (${FQM_IDLE_MB} MB)`, idleRss / FQM_IDLE_MB, 'x');
  const floor = await linkFloorRss(overTls, link, false);
  report(`(e) the runtime's floor: node (the hub's flags) holding ${LOAD_CLIENTS} connections${over}, no hub`, floor, 'MB',
    `the hub adds ${fmt(idleRss - floor, 1)} MB to it idle; the ≤ ${HUB_IDLE_GOAL_MB} MB goal leaves it ${fmt(HUB_IDLE_GOAL_MB - floor, 1)}`);
  const stack = await linkFloorRss(overTls, link, true);
  report(`(e) the design's floor: the same + an empty Fastify, aedes (handed the connections) and better-sqlite3`, stack, 'MB',
    `${goal(stack, HUB_IDLE_GOAL_MB)}; the hub's own code and data add ${fmt(idleRss - stack, 1)} MB to it`);
  return done / elapsed;
}

/** How the bench's hub runs (main() sets it): the node flags and allocator settings of its unit, for the floor beside it. */
let hubRun: { flags: string[]; malloc: Record<string, string> } = { flags: [], malloc: {} };

/**
 * The runtime's floor under the hub's idle goal (scripts/bench/link-floor-server.mjs): the same
 * node, flags and allocator settings as the hub, holding as many device connections as the
 * load has (TLS with the hub's certificate when the load is over mqtts://), nothing else; with
 * withStack, also the design's framework, broker and database, empty.
 */
async function linkFloorRss(overTls: boolean, link: HubLink, withStack: boolean): Promise<number> {
  const dir = path.dirname(link.caFile);
  const args = [...(overTls ? ['tls', path.join(dir, 'server.key'), path.join(dir, 'server.pem')] : ['plain']), ...(withStack ? ['stack'] : [])];
  const child = fork(path.join(ROOT, 'scripts/bench/link-floor-server.mjs'), args, { execArgv: hubRun.flags, env: { ...process.env, ...hubRun.malloc }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const sockets: { destroy(): void }[] = [];
  try {
    const port = await new Promise<number>((resolve, reject) => {
      child.once('message', (m: { port: number }) => resolve(m.port));
      child.once('exit', (code) => reject(new Error(`the floor's server exited (${code})`)));
    });
    const ca = overTls ? fs.readFileSync(link.caFile) : undefined;
    const { connect } = await import('node:tls');
    const net = await import('node:net');
    for (let i = 0; i < LOAD_CLIENTS; i++) {
      sockets.push(await new Promise<{ destroy(): void }>((resolve, reject) => {
        const s = overTls ? connect({ host: 'localhost', port, servername: 'localhost', ca }, () => resolve(s)) : net.connect(port, '127.0.0.1', () => resolve(s));
        s.once('error', reject);
      }));
    }
    return await settledRss(child.pid!, SETTLE_SECONDS);
  } finally {
    for (const s of sockets) s.destroy();
    child.kill();
  }
}

/** Sections contributed by each area: scripts/bench/<name>.ts exporting run(env). */
async function sections(env: { httpUrl: string; mqttUrl: string; mqttsUrl: string; caFile: string; devicesFile: string; baselineRttMs: { p50: number; p99: number }; target: Target }) {
  for (const name of ['hardware', 'devices', 'panels', 'reports', 'tls', 'governorate']) {
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
  // The built hub runs as its unit runs it (hub/hub.service): the ExecStart's node flags (unless
  // --node-flags gives others) and the allocator settings of its Environment= lines.
  const hubUnit = 'hub/hub.service';
  const hubFlags = target.built && !NODE_FLAGS.length ? unitNodeFlags(hubUnit, ROOT) : [];
  const hubMalloc = target.built ? unitMallocEnv(hubUnit, ROOT) : {};
  hubRun = { flags: target.built ? (NODE_FLAGS.length ? NODE_FLAGS : hubFlags) : [], malloc: hubMalloc };
  if (target.built) console.log(`the hub: node ${[...hubRun.flags, 'dist/hub/server.js'].join(' ')} with ${Object.entries(hubMalloc).map(([k, v]) => `${k}=${v}`).join(' ') || 'glibc malloc defaults'} (${hubUnit})`);
  // TLS on, as production runs the hub (SHUBBAK_MODE=production refuses it off): the devices
  // section measures each device program over mqtts:// as installed; the spine's clients use
  // the hub's loopback port in clear, as the hub's own tools do.
  const mqttsPort = await freePort();
  const hub = await startHubProcess(ROOT, dataDir, {
    SHUBBAK_DEVICE_COMMANDS_PER_SEC: '0', SHUBBAK_TLS: 'true', SHUBBAK_MQTTS_PORT: String(mqttsPort), SHUBBAK_HTTPS_PORT: String(await freePort()),
    SHUBBAK_TLS_NAMES: 'localhost,127.0.0.1', ...hubMalloc,
  }, target, hubFlags);
  await waitForPort(mqttsPort);
  const tls = { mqttsUrl: `mqtts://localhost:${mqttsPort}`, caFile: path.join(dataDir, 'tls', 'ca.pem') };
  process.once('exit', () => hub.child.kill('SIGKILL')); // never left running by a failed bench
  try {
    let baseline = { p50: NaN, p99: NaN };
    if (!ONLY || ONLY === 'spine' || ONLY === 'latency') baseline = (await spine(hub.httpUrl, { mqttUrl: hub.mqttUrl, ...tls }, hub.child.pid!, prep, target, dataDir, ONLY !== 'latency')).baseline;
    else if (ONLY === 'memory' || ONLY === 'throughput') {
      console.log(`\nThe hub's memory (the spine's (d) and (e) alone, on a fresh hub; started at ${fmt(rssMb(hub.child.pid!))} MB)`);
      await throughputAndMemory({ mqttUrl: hub.mqttUrl, ...tls }, hub.child.pid!, prep, target);
    } else {
      const bare = await blockWorker({ mode: 'bare', url: hub.mqttUrl, requester: { id: 'hub', secret: prep.hubSecret }, echo: { id: 'hub', secret: prep.hubSecret } });
      baseline = summary(await bare.block(500));
      await bare.stop();
    }
    await sections({ httpUrl: hub.httpUrl, mqttUrl: hub.mqttUrl, ...tls, devicesFile: path.join(dataDir, 'devices.json'), baselineRttMs: baseline, target });
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
