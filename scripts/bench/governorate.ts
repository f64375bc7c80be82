// The governorate at scale, by simulation on this machine (issue 13, item 5):
// `npm run bench -- --only=governorate`, or alone: `tsx scripts/bench/governorate.ts [flags]`.
//
// The central tier is the real one: Debian's nats-server as three nodes with JetStream
// (scripts/nats-cluster.ts), a stream with three replicas, one NATS account per center.
// Into it: a few real hubs (hub processes as production runs them, each forwarding its
// outbox with its own account; kiosk and keypad are real MQTT devices) and lightweight
// replayers of generated centers (scripts/bench/governorate-replayer.ts: the forwarder's own
// encoding, one connection and account per center) — 100 centers in all by default. A hub
// in the governorate role consumes the stream into its central store (hub/central/).
//
// Printed:
// - freshness: a call at a real center's keypad → the row in the governorate's central
//   store (the consumer stamps received_at as it applies the batch it commits), p50/p99;
//   and the same for the generated centers' rows (published → applied);
// - events/s the central consumer sustained, at the busy rate and flat out; and its ceiling:
//   the governorate hub paused (SIGSTOP) while the centers publish flat out, then resumed
//   on the backlog;
// - the central tier's memory: each nats-server's RSS, the governorate hub's RSS;
// - one NATS node (the stream's leader) killed -9 and started again under load: freshness
//   meanwhile, and every center's board checked against what it sent (last seq, no gap,
//   each event type's count, each row stored once);
// - one real center's link cut (a proxy in front of its three URLs; the cluster does not
//   advertise other addresses) for --cut-seconds, then restored: the backlog, the catch-up
//   time, and its board then equal to the hub's own lines and windows;
// - a hub's ticket.issue round trip with the tier up, hung (its nodes SIGSTOPped), and with all three nodes stopped.
//
// A busy center's rate (the busy rate) is derived below from a center's day. Flags:
// --gov-centers=100 --gov-real=3 --gov-seconds=30 (steady and node-kill phases)
// --cut-seconds=60 --heavy-seconds=15 --probe-rate=2 (calls/s at each probing hub)
// --issue-rounds=300 --kill=consumer|link|stream (which node the kill takes: the board
// consumer's leader, the governorate hub's link, the stream's leader). Figures on a shared 2-core machine are noisy; compare within a run.
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { connect, type JetStreamManager, type NatsConnection } from 'nats';
import { DeviceLink } from '@shubbak/protocol/device-link';
import { loadConfig } from '../../hub/config.ts';
import { createContext } from '../../hub/context.ts';
import { readDevicesFile, seedDemoCenter } from '../../hub/db/seed.ts';
import { readStaffFile } from '../../hub/db/seed-staff.ts';
import { SESSION_COOKIE } from '../../hub/auth/guard.ts';
import { BOARD_CONSUMER } from '../../hub/central/consumer.ts';
import { CENTER_STREAM } from '../../hub/federation/central-stream.ts';
import { startNatsCluster, type NatsCluster } from '../nats-cluster.ts';
import { benchTarget, cpuMs, fmt, rssMb, startHubProcess, summary, unitMallocEnv, unitNodeFlags, type HubProcess, type Row, type Target } from './lib.ts';
import type { CenterSent, ReplayerInit, ReplayerReport } from './governorate-replayer.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const REPLAYER = path.join(ROOT, 'scripts/bench/governorate-replayer.ts');
const flags = new Map(process.argv.slice(2).map((a) => { const [k, ...v] = a.replace(/^--/, '').split('='); return [k, v.join('=')] as [string, string]; }));
const num = (k: string, d: number) => (flags.has(k) ? Number(flags.get(k)) : d);
const CENTERS = num('gov-centers', 100);
const REAL = Math.max(2, num('gov-real', 3));
const PHASE_S = num('gov-seconds', 30);
const CUT_S = num('cut-seconds', 60);
const HEAVY_S = num('heavy-seconds', 15);
const PROBE_RATE = num('probe-rate', 2);
const ISSUE_ROUNDS = num('issue-rounds', 300);

// A busy center's day (the figures the rate is derived from): 1,000 tickets in a 7-hour
// working day, the busiest hour at 3× the day's mean; each ticket written as the hub's
// outbox writes it — issued (event + line state), called (event + window + line + hall),
// finished (event + window) — 8 rows, plus a file event every third ticket.
const TICKETS_PER_DAY = 1000;
const OPEN_HOURS = 7;
const PEAK = 3;
const ROWS_PER_TICKET = 8 + 1 / 3;
const BUSY_TICKETS_PER_S = (TICKETS_PER_DAY / (OPEN_HOURS * 3600)) * PEAK;
const BUSY_ROWS_PER_S = BUSY_TICKETS_PER_S * ROWS_PER_TICKET;

const step = (what: string) => process.stderr.write(`  … ${what}\n`);

type Board = { center: string; lastSeq: number; missingCount: number; duplicates: number; refused: number; events: Record<string, number>; lines: { line: string; waiting: number; open: boolean }[]; windows: { window: number; status: string; ticket: string | null }[] };

/** A data dir with the demo center seeded: its devices' secrets and its staff (for the manager's sign-in). */
function prepareDataDir(dataDir: string): Map<string, string> {
  const config = loadConfig({}, { dataDir, simulate: false, logLevel: 'silent' });
  const ctx = createContext(config, Date.now);
  seedDemoCenter(ctx, { mqttUrl: 'mqtt://127.0.0.1', websocketUrl: 'ws://127.0.0.1/mqtt' });
  ctx.db.close();
  return new Map(readDevicesFile(dataDir)!.devices.map((d) => [d.id, d.secret]));
}

/** A TCP proxy in front of one NATS node: cut() drops every connection and refuses new ones until restore(). */
async function cuttableProxy(targetPort: () => number): Promise<{ port: number; cut(): void; restore(): void; close(): Promise<void> }> {
  let blocked = false;
  const open = new Set<net.Socket>();
  const server = net.createServer((down) => {
    if (blocked) return void down.destroy();
    const up = net.connect(targetPort(), '127.0.0.1');
    open.add(down).add(up);
    const end = () => {
      down.destroy();
      up.destroy();
      open.delete(down);
      open.delete(up);
    };
    down.on('error', end).on('close', end);
    up.on('error', end).on('close', end);
    down.pipe(up);
    up.pipe(down);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    port: (server.address() as net.AddressInfo).port,
    cut() {
      blocked = true;
      for (const s of open) s.destroy();
    },
    restore() {
      blocked = false;
    },
    close: () => new Promise<void>((r) => {
      for (const s of open) s.destroy();
      server.close(() => r());
    }),
  };
}

/** A real hub's devices: a kiosk and a keypad, driven in cycles (issue, call, finish); each call's send time kept. */
class RealCenter {
  kiosk!: DeviceLink;
  keypad!: DeviceLink;
  /** `${ticket}` → when the keypad sent its window.next (Date.now()). */
  readonly calls = new Map<string, number>();
  cycles = 0;
  failures = 0;
  private running: Promise<void> | null = null;
  private stopFlag = false;
  readonly db: Database.Database;

  constructor(readonly id: string, readonly hub: HubProcess, readonly dataDir: string, private readonly creds: Map<string, string>) {
    this.db = new Database(path.join(dataDir, 'shubbak.db'), { readonly: true, fileMustExist: true });
  }

  async connect(): Promise<void> {
    const link = async (id: string, kind: 'kiosk' | 'keypad') => {
      const l = new DeviceLink({ url: this.hub.mqttUrl, deviceId: id, secret: this.creds.get(id)!, kind, replyTimeoutMs: 30_000 });
      l.on('error', () => {});
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`${this.id} ${id}: no hub clock`)), 20_000);
        l.once('clock', () => {
          clearTimeout(t);
          resolve();
        });
      });
      return l;
    };
    this.kiosk = await link('kiosk-1', 'kiosk');
    this.keypad = await link('keypad-1', 'keypad');
  }

  /** Cycles at `perSecond` (open loop: a late cycle is not made up for more than one second). */
  drive(perSecond: number): void {
    this.stopFlag = false;
    this.running = (async () => {
      const period = 1000 / perSecond;
      let due = Date.now() + Math.random() * period;
      while (!this.stopFlag) {
        const wait = due - Date.now();
        if (wait > 0) await sleep(Math.min(wait, 200));
        if (this.stopFlag) break;
        if (Date.now() < due) continue;
        due = Math.max(due + period, Date.now() - 1000);
        try {
          const r = await this.kiosk.request('ticket.issue', { line: 'A' });
          if (!r.ok) throw new Error(JSON.stringify(r));
          const t0 = Date.now();
          const n = await this.keypad.request('window.next', {});
          if (!n.ok) throw new Error(JSON.stringify(n));
          this.calls.set((n.result as { ticket: string }).ticket, t0);
          const f = await this.keypad.request('window.finish', {});
          if (!f.ok) throw new Error(JSON.stringify(f));
          this.cycles++;
        } catch {
          this.failures++;
        }
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopFlag = true;
    await this.running;
    this.running = null;
  }

  /** What the hub's outbox holds: rows, the last seq, unsent rows, events per type. */
  outbox(): { last: number; n: number; unsent: number; events: Record<string, number> } {
    const o = this.db.prepare('SELECT count(*) AS n, coalesce(max(seq), 0) AS last, coalesce(sum(sent_at IS NULL), 0) AS unsent FROM outbox').get() as { n: number; last: number; unsent: number };
    const ev = this.db.prepare("SELECT topic, count(*) AS n FROM outbox WHERE kind = 'event' GROUP BY topic").all() as { topic: string; n: number }[];
    return { ...o, events: Object.fromEntries(ev.map((e) => [e.topic, e.n])) };
  }

  async close(): Promise<void> {
    await this.stop();
    await Promise.allSettled([this.kiosk?.close(), this.keypad?.close()]);
    this.db.close();
  }
}

/** A replayer process with its share of the generated centers. */
function replayer(init: ReplayerInit) {
  const child: ChildProcess = fork(REPLAYER, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiters: { key: string; resolve: (v: unknown) => void; reject: (e: Error) => void }[] = [];
  child.on('message', (m: Record<string, unknown>) => {
    if (m.error) {
      for (const w of waiters.splice(0)) w.reject(new Error(`replayer: ${m.error as string}`));
      return;
    }
    const i = waiters.findIndex((w) => w.key in m);
    if (i >= 0) {
      const w = waiters.splice(i, 1)[0];
      w.resolve(m[w.key]);
    }
  });
  child.once('exit', () => { for (const w of waiters.splice(0)) w.reject(new Error('replayer exited')); });
  const ask = <T>(msg: object, key: string, timeoutMs = 60_000) => new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`replayer: no ${key} in ${timeoutMs} ms`)), timeoutMs);
    waiters.push({ key, resolve: (v) => { clearTimeout(t); resolve(v as T); }, reject: (e) => { clearTimeout(t); reject(e); } });
    child.send(msg);
  });
  return {
    child,
    ready: () => ask<true>({ init }, 'ready'),
    rate: (r: number | 'max') => ask<true>({ rate: r }, 'rated'),
    report: () => ask<ReplayerReport>({ report: true }, 'report'),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      await ask({ stop: true }, 'stopped', 15_000).catch(() => child.kill('SIGKILL'));
    },
  };
}

export async function run(env: { target?: Target } = {}): Promise<Row[]> {
  const rows: Row[] = [];
  const out = (name: string, value: number, unit: string, note = '') => rows.push({ name, value, unit, note });
  const target = env.target ?? benchTarget(ROOT, false);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shubbak-bench-gov-'));
  const realIds = Array.from({ length: REAL }, (_, i) => `real-${i + 1}`);
  const simIds = Array.from({ length: Math.max(0, CENTERS - REAL) }, (_, i) => `sim-${String(i + 1).padStart(3, '0')}`);
  const allIds = [...realIds, ...simIds];
  console.log(`  ${CENTERS} centers: ${REAL} real hubs (${realIds.join(', ')}) + ${simIds.length} replayers of generated centers, into a 3-node NATS JetStream cluster (R3)`);
  console.log(`  busy rate: ${TICKETS_PER_DAY} tickets/day in ${OPEN_HOURS} h, busiest hour ${PEAK}× the mean = ${fmt(BUSY_TICKETS_PER_S, 3)} tickets/s; × ${fmt(ROWS_PER_TICKET)} rows/ticket`);
  console.log(`             (issued 2, called 4, finished 2, a file event per 3 tickets) = ${fmt(BUSY_ROWS_PER_S)} rows/s per center, ${fmt(BUSY_ROWS_PER_S * CENTERS, 0)} rows/s for ${CENTERS} centers`);

  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  const cluster: NatsCluster = await startNatsCluster({ dir: path.join(dir, 'nats'), centers: allIds, noAdvertise: true });
  const killAll = () => { for (let i = 0; i < 3; i++) { const p = cluster.pid(i); if (p) try { process.kill(p, 'SIGKILL'); } catch { /* gone */ } } };
  process.once('exit', killAll); // never left running by a failed bench
  cleanups.push(() => cluster.stop(), () => process.removeListener('exit', killAll));
  const hubs: HubProcess[] = [];
  const exitHubs = () => { for (const h of hubs) h.child.kill('SIGKILL'); };
  process.once('exit', exitHubs);
  cleanups.push(() => process.removeListener('exit', exitHubs));
  try {
    step('the NATS cluster');
    await cluster.ready();
    await cluster.centerStream();
    const admin: NatsConnection = await connect({ servers: cluster.natsUrls, ...cluster.admin, timeout: 5000, maxReconnectAttempts: -1, reconnectTimeWait: 500 });
    cleanups.unshift(() => admin.close());
    const jsm: JetStreamManager = await admin.jetstreamManager({ timeout: 5000 });

    // The hubs, as their unit runs them when built.
    const unit = 'hub/hub.service';
    const nodeFlags = target.built ? unitNodeFlags(unit, ROOT) : [];
    const malloc = target.built ? unitMallocEnv(unit, ROOT) : {};
    step(`the governorate hub and ${REAL} center hubs (${target.label})`);
    const govDir = path.join(dir, 'governorate');
    fs.mkdirSync(govDir, { mode: 0o700 });
    prepareDataDir(govDir);
    const gov = await startHubProcess(ROOT, govDir, {
      ...malloc, SHUBBAK_CENTER_ID: 'giza-governorate', SHUBBAK_GOVERNORATE_NATS: cluster.natsUrls.join(','),
      SHUBBAK_GOVERNORATE_NATS_USER: cluster.admin.user, SHUBBAK_GOVERNORATE_NATS_PASSWORD: cluster.admin.pass,
    }, target, nodeFlags);
    hubs.push(gov);
    cleanups.unshift(() => gov.stop());
    cleanups.unshift(() => gov.child.kill('SIGCONT')); // never left paused by a failed (4b)
    // The cut center (the last real hub) reaches the tier through proxies it can be cut off by.
    const proxies = await Promise.all(cluster.nodes.map((n) => cuttableProxy(() => n.client)));
    cleanups.push(...proxies.map((p) => () => p.close()));
    const reals: RealCenter[] = [];
    for (const [i, id] of realIds.entries()) {
      const d = path.join(dir, id);
      fs.mkdirSync(d, { mode: 0o700 });
      const creds = prepareDataDir(d);
      const cut = i === REAL - 1;
      const urls = cut ? proxies.map((p) => `nats://127.0.0.1:${p.port}`) : cluster.natsUrls;
      const h = await startHubProcess(ROOT, d, {
        ...malloc, SHUBBAK_CENTER_ID: id, SHUBBAK_DEVICE_COMMANDS_PER_SEC: '0', SHUBBAK_CENTRAL_NATS: urls.join(','),
        SHUBBAK_CENTRAL_NATS_USER: cluster.center(id).user, SHUBBAK_CENTRAL_NATS_PASSWORD: cluster.center(id).pass,
      }, target, nodeFlags);
      hubs.push(h);
      cleanups.unshift(() => h.stop());
      const rc = new RealCenter(id, h, d, creds);
      cleanups.unshift(() => rc.close());
      await rc.connect();
      reals.push(rc);
    }
    const probes = reals.slice(0, REAL - 1);
    const cutCenter = reals[REAL - 1];
    const central = new Database(path.join(govDir, 'central.db'), { readonly: true, fileMustExist: true });
    cleanups.unshift(() => central.close());

    step(`${simIds.length} generated centers in 2 replayer processes`);
    const half = Math.ceil(simIds.length / 2);
    const reps = [simIds.slice(0, half), simIds.slice(half)].filter((g) => g.length).map((g) => replayer({
      urls: cluster.natsUrls, centers: g.map((id) => ({ id, ...cluster.center(id) })),
    }));
    for (const r of reps) cleanups.unshift(() => r.stop());
    await Promise.all(reps.map((r) => r.ready()));
    const setRate = (r: number | 'max') => Promise.all(reps.map((x) => x.rate(r)));
    const sent = async (): Promise<CenterSent[]> => (await Promise.all(reps.map((r) => r.report()))).flatMap((r) => r.centers);

    // Central store reads.
    const boardSeqs = () => new Map((central.prepare("SELECT center, json_extract(board, '$.lastSeq') AS s FROM central_boards").all() as { center: string; s: number }[]).map((r) => [r.center, r.s]));
    /** Seqs the boards are still missing (a gap: a row delivered again only after the consumer's ack wait). */
    const boardGaps = () => (central.prepare("SELECT center, json_extract(board, '$.missing') AS m FROM central_boards WHERE json_array_length(board, '$.missing') > 0").all() as { center: string; m: string }[])
      .map((r) => ({ center: r.center, missing: (JSON.parse(r.m) as [number, number][]).reduce((a, [f, t]) => a + t - f + 1, 0) }));
    const appliedBetween = (t1: number, t2: number) => (central.prepare('SELECT count(*) AS n FROM central_events WHERE received_at >= ? AND received_at < ?').get(t1, t2) as { n: number }).n;
    const storedCount = () => (central.prepare('SELECT count(*) AS n FROM central_events').get() as { n: number }).n;
    const lag = async () => {
      const c = await jsm.consumers.info(CENTER_STREAM, BOARD_CONSUMER).catch(() => null);
      return c ? c.num_pending + c.num_ack_pending : NaN;
    };
    /**
     * Every center's board has every row it sent (none pending) and no gap, within timeoutMs.
     * Returns how long it took, how long until the last seqs were in, and the seqs missing
     * then (filled later by the stream's redelivery).
     */
    const caughtUp = async (timeoutMs: number): Promise<{ ms: number; lastMs: number; gaps: { center: string; missing: number }[] }> => {
      const t0 = Date.now();
      const want = new Map<string, number>([...(await sent()).map((s) => [s.id, s.lastSeq] as [string, number]), ...reals.map((r) => [r.id, r.outbox().last] as [string, number])]);
      let lastMs = NaN;
      let gapsAtLast: { center: string; missing: number }[] = [];
      for (;;) {
        const have = boardSeqs();
        if (Number.isNaN(lastMs) && [...want].every(([c, s]) => (have.get(c) ?? 0) >= s) && reals.every((r) => r.outbox().unsent === 0)) {
          lastMs = Date.now() - t0;
          gapsAtLast = boardGaps();
        }
        if (!Number.isNaN(lastMs) && !boardGaps().length) return { ms: Date.now() - t0, lastMs, gaps: gapsAtLast };
        if (Date.now() - t0 > timeoutMs) {
          if (!Number.isNaN(lastMs)) return { ms: NaN, lastMs, gaps: gapsAtLast }; // a gap that never filled: verify() says which
          throw new Error(`the board did not catch up in ${timeoutMs} ms: ${[...want].filter(([c, s]) => (have.get(c) ?? 0) < s).slice(0, 5).map(([c, s]) => `${c} ${have.get(c) ?? 0}/${s}`).join(', ')}`);
        }
        await sleep(200);
      }
    };
    const caughtNote = (c: { ms: number; lastMs: number; gaps: { center: string; missing: number }[] }) => c.gaps.length
      ? `(last seqs in after ${fmt(c.lastMs / 1000, 1)} s; then ${c.gaps.reduce((a, g) => a + g.missing, 0)} seq(s) missing at ${c.gaps.map((g) => g.center).join(', ')}, delivered again by the stream after its ack wait)`
      : '(every seq, no gap)';

    // The manager's view over HTTP.
    const manager = readStaffFile(govDir)!.users.find((u) => u.role === 'manager')!;
    const login = await fetch(`${gov.httpUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: manager.username, password: manager.password }) });
    if (!login.ok) throw new Error(`the manager's sign-in at the governorate hub failed: ${login.status}`);
    const session = login.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith(`${SESSION_COOKIE}=`))!;
    const board = async (): Promise<Map<string, Board>> => {
      const r = await fetch(`${gov.httpUrl}/api/central/board`, { headers: { cookie: session } });
      if (!r.ok) throw new Error(`GET /api/central/board: ${r.status}`);
      return new Map(((await r.json()) as { centers: Board[] }).centers.map((c) => [c.center, c]));
    };

    /** Every center's board against what it sent: last seq, no gap, no refusal, each event type's count, each row stored once. */
    const verify = async (label: string): Promise<void> => {
      const b = await board();
      const expected = new Map<string, { lastSeq: number; events: Record<string, number> }>([
        ...(await sent()).map((s) => [s.id, s] as [string, { lastSeq: number; events: Record<string, number> }]),
        ...reals.map((r) => { const o = r.outbox(); return [r.id, { lastSeq: o.last, events: o.events }] as [string, { lastSeq: number; events: Record<string, number> }]; }),
      ]);
      const stored = new Map((central.prepare('SELECT center, count(*) AS n FROM central_events GROUP BY center').all() as { center: string; n: number }[]).map((r) => [r.center, r.n]));
      const wrong: string[] = [];
      let rowsSent = 0;
      let duplicates = 0;
      for (const [id, e] of expected) {
        rowsSent += e.lastSeq;
        const c = b.get(id);
        if (!c) { wrong.push(`${id}: no board`); continue; }
        duplicates += c.duplicates;
        const types = new Set([...Object.keys(e.events), ...Object.keys(c.events)]);
        const bad = [
          c.lastSeq !== e.lastSeq && `last seq ${c.lastSeq} ≠ ${e.lastSeq}`,
          c.missingCount && `${c.missingCount} missing`,
          c.refused && `${c.refused} refused`,
          stored.get(id) !== e.lastSeq && `${stored.get(id)} rows stored for ${e.lastSeq}`,
          ...[...types].filter((t) => (c.events[t] ?? 0) !== (e.events[t] ?? 0)).map((t) => `${t} ${c.events[t] ?? 0} ≠ ${e.events[t] ?? 0}`),
        ].filter(Boolean);
        if (bad.length) wrong.push(`${id}: ${bad.join(', ')}`);
      }
      const ok = expected.size - wrong.length;
      out(`${label}: centers whose board = what they sent`, ok, 'ctrs', `of ${expected.size}, ${rowsSent} rows; ${duplicates} resends dropped as duplicates; ${wrong.length ? `NOT met: ${wrong.slice(0, 3).join('; ')}` : 'none lost, none counted twice: met'}`);
    };

    /** Freshness of the probing hubs' calls made since `since`: keypad's window.next → applied centrally. */
    const callFreshness = (since: number, until = Infinity): number[] => {
      const got = central.prepare("SELECT json_extract(payload, '$.ticket') AS ticket, received_at AS r FROM central_events WHERE center = ? AND kind = 'event' AND topic = 'ticket.called'");
      const samples: number[] = [];
      for (const p of probes) {
        const seen = new Map((got.all(p.id) as { ticket: string; r: number }[]).map((x) => [x.ticket, x.r]));
        for (const [ticket, t0] of p.calls) if (t0 >= since && t0 < until && seen.has(ticket)) samples.push(seen.get(ticket)! - t0);
      }
      return samples;
    };
    const rowFreshness = (t1: number, t2: number): number[] => (central.prepare("SELECT received_at - at AS d FROM central_events WHERE center LIKE 'sim-%' AND received_at >= ? AND received_at < ?").pluck().all(t1, t2) as number[]);
    const memory = () => ({ nats: [0, 1, 2].map((i) => { const p = cluster.pid(i); return p ? rssMb(p) : NaN; }), gov: rssMb(gov.child.pid!) });
    const freshRows = (label: string, calls: number[], simRows: number[]) => {
      const c = summary(calls);
      const s = summary(simRows);
      out(`${label}: call at a real center → central store, p50`, c.p50, 'ms', `(${c.n} calls at ${probes.length} hubs)`);
      out(`${label}: call at a real center → central store, p99`, c.p99, 'ms', `(max ${fmt(Math.max(...calls))} ms)`);
      out(`${label}: generated center's row → central store, p50`, s.p50, 'ms', `(${s.n} rows)`);
      out(`${label}: generated center's row → central store, p99`, s.p99, 'ms');
    };

    // Everything connected; the first rows (each center's present state) in.
    await caughtUp(60_000);

    // (1) Steady: every center at the busy rate; the probing hubs call at --probe-rate.
    step(`steady: ${PHASE_S} s at the busy rate, ${PROBE_RATE} calls/s at ${probes.length} probing hubs`);
    await setRate(BUSY_ROWS_PER_S);
    for (const p of probes) p.drive(PROBE_RATE);
    cutCenter.drive(BUSY_TICKETS_PER_S);
    await sleep(2000); // the rates settle in
    const s1 = Date.now();
    const rowsBefore = probes.map((p) => [p.outbox().last, p.cycles]);
    await sleep(PHASE_S * 1000);
    const s2 = Date.now();
    const perCycle = probes.map((p, i) => (p.outbox().last - rowsBefore[i][0]) / Math.max(1, p.cycles - rowsBefore[i][1]));
    const memSteady = memory();
    freshRows('(1) busy', callFreshness(s1, s2), rowFreshness(s1, s2));
    const busyIn = appliedBetween(s1, s2) / ((s2 - s1) / 1000);
    const asked = BUSY_ROWS_PER_S * simIds.length + BUSY_TICKETS_PER_S * ROWS_PER_TICKET + PROBE_RATE * probes.length * perCycle[0];
    out('(1) busy: events/s sustained by the central consumer', busyIn, 'ev/s', `(sent: ${fmt(asked, 0)} rows/s in all)`);
    out('(1) busy: outbox rows per ticket at a real hub (measured)', perCycle.reduce((a, b) => a + b, 0) / perCycle.length, 'rows', `(issue, call, finish; the replayers write ${fmt(ROWS_PER_TICKET)} with the file events)`);
    memSteady.nats.forEach((m, i) => out(`(1) busy: nats-server ${cluster.nodes[i].name} resident memory`, m, 'MB'));
    out('(1) busy: the three nats-servers together', memSteady.nats.reduce((a, b) => a + b, 0), 'MB');
    out('(1) busy: the governorate hub resident memory', memSteady.gov, 'MB', `(central.db: ${storedCount()} rows)`);

    // (2) One node killed -9 (the stream's leader) and started again, under the same load.
    // Which node (--kill=consumer, the default: the durable consumer's leader, where its pull
    // requests wait; --kill=link: the node the governorate hub's client is connected to;
    // --kill=stream: the stream's leader, where the centers' publishes are acknowledged).
    const info = await jsm.streams.info(CENTER_STREAM);
    const streamLeader = cluster.nodes.findIndex((n) => n.name === info.cluster?.leader);
    const cinfo = await jsm.consumers.info(CENTER_STREAM, BOARD_CONSUMER);
    const consumerLeader = cluster.nodes.findIndex((n) => n.name === cinfo.cluster?.leader);
    const linkNode = (await Promise.all(cluster.nodes.map(async (n) => {
      const r = await fetch(`http://127.0.0.1:${n.monitor}/connz?limit=1024`).then((x) => x.json() as Promise<{ connections?: { name?: string }[] }>).catch(() => ({ connections: [] }));
      return (r.connections ?? []).some((c) => c.name === BOARD_CONSUMER);
    }))).indexOf(true);
    const pick = { consumer: consumerLeader, link: linkNode, stream: streamLeader }[flags.get('kill') ?? 'consumer'] ?? consumerLeader;
    const leader = pick >= 0 ? pick : Math.max(0, streamLeader);
    const killedWhat = [consumerLeader === leader && 'the board consumer\'s leader', linkNode === leader && 'the governorate hub\'s link', streamLeader === leader && 'the stream\'s leader'].filter(Boolean).join(', ') || 'a node';
    step(`node kill: ${cluster.nodes[leader].name} (${killedWhat}) killed -9 after 5 s, started again after 10 s more; ${PHASE_S} s in all`);
    const k1 = Date.now();
    await sleep(5000);
    await cluster.kill(leader, 'SIGKILL');
    const killedAt = Date.now();
    await sleep(10_000);
    await cluster.start(leader);
    await cluster.ready(60_000);
    const backAt = Date.now();
    await sleep(Math.max(0, k1 + PHASE_S * 1000 - Date.now()));
    const k2 = Date.now();
    for (const p of [...probes, cutCenter]) await p.stop();
    await setRate(0);
    const killDrain = await caughtUp(120_000);
    freshRows('(2) node kill', callFreshness(k1, k2), rowFreshness(k1, k2));
    out('(2) node kill: events/s applied over the phase', appliedBetween(k1, k2) / ((k2 - k1) / 1000), 'ev/s', `(${cluster.nodes[leader].name}, ${killedWhat}, down ${fmt((backAt - killedAt) / 1000, 1)} s incl. its rejoin)`);
    out('(2) node kill: caught up after the load stopped in', killDrain.ms, 'ms', caughtNote(killDrain));
    await verify('(2) node kill');

    // (3) One real center's link cut for --cut-seconds and restored; everyone at the busy rate.
    step(`link cut: ${cutCenter.id} cut off for ${CUT_S} s at the busy rate, then restored`);
    await setRate(BUSY_ROWS_PER_S);
    for (const p of probes) p.drive(BUSY_TICKETS_PER_S);
    cutCenter.drive(BUSY_TICKETS_PER_S);
    const beforeCut = cutCenter.outbox().last;
    for (const p of proxies) p.cut();
    const cutAt = Date.now();
    await sleep(CUT_S * 1000);
    const backlog = cutCenter.outbox();
    const backlogRows = backlog.last - (boardSeqs().get(cutCenter.id) ?? 0);
    for (const p of proxies) p.restore();
    const restoredAt = Date.now();
    let firstRowMs = NaN;
    for (;;) {
      const s = boardSeqs().get(cutCenter.id) ?? 0;
      if (Number.isNaN(firstRowMs) && s > backlog.last - backlogRows) firstRowMs = Date.now() - restoredAt;
      if (s >= backlog.last) break;
      if (Date.now() - restoredAt > 120_000) throw new Error(`${cutCenter.id} did not catch up in 120 s (board ${s}, outbox ${backlog.last})`);
      await sleep(50);
    }
    const catchUpMs = Date.now() - restoredAt;
    for (const p of [...probes, cutCenter]) await p.stop();
    await setRate(0);
    const cutDrain = await caughtUp(120_000);
    if (cutDrain.gaps.length) console.log(`      (3) link cut: ${caughtNote(cutDrain)}`);
    out(`(3) link cut ${CUT_S} s: backlog at restore (${fmt(CUT_S, 0)} s at the busy rate)`, backlogRows, 'rows', `(${cutCenter.id}: ${backlog.last - beforeCut} rows written during the cut, ${fmt((restoredAt - cutAt) / 1000, 1)} s)`);
    out('(3) link cut: restore → first backlog row applied', firstRowMs, 'ms', '(the hub\'s client reconnects by itself)');
    out('(3) link cut: restore → the whole backlog applied', catchUpMs, 'ms', `(after the reconnect: ${fmt(Math.max(0, backlogRows - 1) / Math.max(0.001, (catchUpMs - firstRowMs) / 1000), 0)} rows/s; the issue's 10 min at the busy rate ≈ ${fmt(600 * BUSY_TICKETS_PER_S * ROWS_PER_TICKET, 0)} rows)`);
    {
      const b = (await board()).get(cutCenter.id)!;
      const lines = (await (await fetch(`${cutCenter.hub.httpUrl}/api/lines`)).json()) as { letter: string; state: { line: string; waiting: number; open: boolean } }[];
      const windows = (await (await fetch(`${cutCenter.hub.httpUrl}/api/windows`)).json()) as { state: { window: number; status: string; ticket: string | null } }[];
      const same = JSON.stringify(b.lines.map((l) => [l.line, l.waiting, l.open])) === JSON.stringify(lines.map((l) => [l.state.line, l.state.waiting, l.state.open]))
        && JSON.stringify(b.windows.map((w) => [w.window, w.status, w.ticket])) === JSON.stringify(windows.map((w) => [w.state.window, w.state.status, w.state.ticket]));
      const o = cutCenter.outbox();
      const evSame = Object.keys({ ...o.events, ...b.events }).every((t) => (o.events[t] ?? 0) === (b.events[t] ?? 0));
      out(`(3) link cut: ${cutCenter.id}'s board = its own lines, windows, events`, same && evSame && b.lastSeq === o.last ? 1 : 0, 'yes', same && evSame ? `(${lines.length} lines, ${windows.length} windows, ${o.events['ticket.issued'] ?? 0} tickets: met)` : `NOT met: board ${JSON.stringify([b.lines, b.windows, b.events])} hub ${JSON.stringify([lines.map((l) => l.state), windows.map((w) => w.state), o.events])}`);
    }
    await verify('(3) link cut');

    // (4) Flat out: every generated center publishes as fast as its acknowledgements come.
    step(`heavy: ${HEAVY_S} s with every generated center flat out (one row in flight each, as the forwarder)`);
    for (const p of probes) p.drive(PROBE_RATE);
    const before = (await sent()).reduce((a, s) => a + s.lastSeq, 0);
    let peakNats = [0, 0, 0];
    let peakGov = 0;
    const sampler = setInterval(() => {
      const m = memory();
      peakNats = peakNats.map((v, i) => Math.max(v, Number.isFinite(m.nats[i]) ? m.nats[i] : 0));
      peakGov = Math.max(peakGov, m.gov);
    }, 500);
    const h1 = Date.now();
    await setRate('max');
    await sleep(HEAVY_S * 1000);
    await setRate(0);
    const h2 = Date.now();
    for (const p of probes) await p.stop();
    const published = (await sent()).reduce((a, s) => a + s.lastSeq, 0) - before;
    const lagAtEnd = await lag();
    const c0 = Date.now();
    const heavyCaught = await caughtUp(180_000);
    const heavyDrain = heavyCaught.lastMs;
    const h3 = c0 + heavyDrain;
    if (heavyCaught.gaps.length) console.log(`      (4) heavy: ${caughtNote(heavyCaught)}`);
    clearInterval(sampler);
    // The consumer's best second while the stream held a backlog for it.
    const perSecond = central.prepare('SELECT received_at / 1000 AS s, count(*) AS n FROM central_events WHERE received_at >= ? AND received_at < ? GROUP BY s').all(h1, h3) as { s: number; n: number }[];
    const inHeavy = appliedBetween(h1, h3);
    out('(4) heavy: rows/s published by the generated centers', published / ((h2 - h1) / 1000), 'rows/s', `(${fmt(published / ((h2 - h1) / 1000) / Math.max(1, simIds.length) / BUSY_ROWS_PER_S, 0)}× the busy rate)`);
    out('(4) heavy: events/s applied by the consumer, mean', inHeavy / ((h3 - h1) / 1000), 'ev/s', `(until caught up: ${fmt((h3 - h1) / 1000, 1)} s)`);
    const pubRate = published / ((h2 - h1) / 1000);
    out('(4) heavy: events/s applied by the consumer, best second', Math.max(...perSecond.map((p) => p.n)), 'ev/s', lagAtEnd > pubRate
      ? `(backlog when publishing stopped: ${lagAtEnd} messages, gone in ${fmt(heavyDrain / 1000, 1)} s: the consumer fell behind)`
      : `(kept up: ${lagAtEnd} messages in flight when publishing stopped, applied in ${fmt(heavyDrain / 1000, 1)} s; the ceiling is (4b))`);
    freshRows('(4) heavy', callFreshness(h1, h2), rowFreshness(h1, h2));
    peakNats.forEach((m, i) => out(`(4) heavy: nats-server ${cluster.nodes[i].name} peak resident memory`, m, 'MB'));
    out('(4) heavy: the governorate hub peak resident memory', peakGov, 'MB');

    // (4b) The consumer's ceiling: the governorate hub paused (SIGSTOP) while the generated
    // centers publish flat out, then resumed: how fast it applies the backlog it finds.
    step(`consumer ceiling: the governorate hub paused for ${HEAVY_S} s of flat-out publishing, then resumed on the backlog`);
    {
      const b0 = (await sent()).reduce((a, s) => a + s.lastSeq, 0);
      gov.child.kill('SIGSTOP');
      let backlogMsgs = 0;
      let drainMs = NaN;
      let applied = 0;
      try {
        await setRate('max');
        await sleep(HEAVY_S * 1000);
        await setRate(0);
        backlogMsgs = (await sent()).reduce((a, s) => a + s.lastSeq, 0) - b0;
      } finally {
        gov.child.kill('SIGCONT');
      }
      const r0 = Date.now();
      const n0 = storedCount();
      drainMs = (await caughtUp(300_000)).lastMs;
      applied = storedCount() - n0;
      const best = central.prepare('SELECT received_at / 1000 AS s, count(*) AS n FROM central_events WHERE received_at >= ? GROUP BY s').all(r0) as { s: number; n: number }[];
      out('(4b) ceiling: backlog built while the consumer was paused', backlogMsgs, 'rows', `(${fmt(backlogMsgs / HEAVY_S, 0)} rows/s published)`);
      out('(4b) ceiling: events/s applied on resume, mean', applied / (drainMs / 1000), 'ev/s', `(${applied} rows in ${fmt(drainMs / 1000, 1)} s, incl. the pull restarting)`);
      out('(4b) ceiling: events/s applied on resume, best second', Math.max(...best.map((x) => x.n)), 'ev/s', `(${fmt(Math.max(...best.map((x) => x.n)) / (BUSY_ROWS_PER_S * CENTERS), 0)}× ${CENTERS} busy centers)`);
      out('(4b) ceiling: the governorate hub resident memory after', rssMb(gov.child.pid!), 'MB');
    }

    // (5) A hub's queue command is not slowed by the tier: ticket.issue with it up, then with all three nodes stopped.
    // The reference in the same run: a hub with no central tier at all (no outbox, no
    // forwarder), on the same loaded machine, its blocks interleaved with the center's.
    step(`ticket.issue round trips at ${probes[0].id} (interleaved with a hub without a central tier): ${ISSUE_ROUNDS} with the tier up, ${ISSUE_ROUNDS} with all three nodes stopped`);
    const plainDir = path.join(dir, 'plain');
    fs.mkdirSync(plainDir, { mode: 0o700 });
    const plainCreds = prepareDataDir(plainDir);
    const plainHub = await startHubProcess(ROOT, plainDir, { ...malloc, SHUBBAK_CENTER_ID: 'plain', SHUBBAK_DEVICE_COMMANDS_PER_SEC: '0' }, target, nodeFlags);
    hubs.push(plainHub);
    cleanups.unshift(() => plainHub.stop());
    const plain = new RealCenter('plain', plainHub, plainDir, plainCreds);
    cleanups.unshift(() => plain.close());
    await plain.connect();
    // Each hub's own CPU time over its blocks (/proc): what the forwarder costs the center
    // itself, apart from the cluster and the governorate hub working on the same 2 cores
    // during the federated center's blocks (they are idle during the plain hub's).
    const cpu = new Map<RealCenter, number>();
    const issueBlock = async (c: RealCenter, n: number) => {
      const ms: number[] = [];
      const cpu0 = cpuMs(c.hub.child.pid!);
      for (let i = 0; i < n; i++) {
        const t0 = performance.now();
        const r = await c.kiosk.request('ticket.issue', { line: 'B' });
        if (!r.ok) throw new Error(`ticket.issue at ${c.id}: ${JSON.stringify(r)}`);
        ms.push(performance.now() - t0);
      }
      // The forwarder's work for this block's rows runs just after the last reply.
      if (c !== plain) await sleep(300);
      cpu.set(c, (cpu.get(c) ?? 0) + cpuMs(c.hub.child.pid!) - cpu0);
      return ms;
    };
    const interleaved = async () => {
      const fed: number[] = [];
      const ref: number[] = [];
      cpu.clear();
      const block = Math.max(10, Math.ceil(ISSUE_ROUNDS / 6));
      for (let done = 0; done < ISSUE_ROUNDS; done += block) {
        fed.push(...(await issueBlock(probes[0], Math.min(block, ISSUE_ROUNDS - done))));
        ref.push(...(await issueBlock(plain, Math.min(block, ISSUE_ROUNDS - done))));
      }
      return { fed: summary(fed), ref: summary(ref), fedCpuUs: (cpu.get(probes[0])! * 1000) / fed.length, refCpuUs: (cpu.get(plain)! * 1000) / ref.length };
    };
    await issueBlock(probes[0], 50); // warm
    await issueBlock(plain, 50);
    const up = await interleaved();
    const unsentUp = probes[0].outbox().unsent;
    // The tier hung, not gone: all three nodes stopped (SIGSTOP) with the connections open,
    // so the forwarder's publishes wait out their acknowledgement timeouts.
    const stopped = [0, 1, 2].map((i) => cluster.pid(i)).filter((pid): pid is number => pid !== null);
    const resume = () => stopped.forEach((pid) => { try { process.kill(pid, 'SIGCONT'); } catch { /* gone */ } });
    cleanups.unshift(async () => resume());
    for (const pid of stopped) process.kill(pid, 'SIGSTOP');
    const hung = await interleaved();
    const unsentHung = probes[0].outbox().unsent;
    resume();
    await sleep(5000); // the forwarder sends what waited
    for (let i = 0; i < 3; i++) await cluster.kill(i, 'SIGKILL');
    await sleep(3000); // the forwarder has noticed
    const down = await interleaved();
    const unsentDown = probes[0].outbox().unsent;
    out('(5) ticket.issue, central tier up, p50', up.fed.p50, 'ms', `(a hub without a tier meanwhile: ${fmt(up.ref.p50)}; outbox unsent after: ${unsentUp})`);
    out('(5) ticket.issue, central tier up, p99', up.fed.p99, 'ms', `(a hub without a tier meanwhile: ${fmt(up.ref.p99)})`);
    out('(5) the center hub\'s CPU per ticket.issue, tier up', up.fedCpuUs, 'µs', `(its rows forwarded; the hub without a tier: ${fmt(up.refCpuUs)} µs; /proc, 10 ms ticks)`);
    out('(5) ticket.issue, central tier hung (3 nodes SIGSTOP), p50', hung.fed.p50, 'ms', `(${fmt(hung.fed.p50 / up.fed.p50)}× up; a hub without a tier meanwhile: ${fmt(hung.ref.p50)}; outbox unsent after: ${unsentHung})`);
    out('(5) ticket.issue, central tier hung (3 nodes SIGSTOP), p99', hung.fed.p99, 'ms', `(a hub without a tier meanwhile: ${fmt(hung.ref.p99)})`);
    out('(5) ticket.issue, all 3 NATS nodes down, p50', down.fed.p50, 'ms', `(${fmt(down.fed.p50 / up.fed.p50)}× up; a hub without a tier meanwhile: ${fmt(down.ref.p50)}; outbox unsent after: ${unsentDown})`);
    out('(5) ticket.issue, all 3 NATS nodes down, p99', down.fed.p99, 'ms', `(${fmt(down.fed.p99 / up.fed.p99)}× up; a hub without a tier meanwhile: ${fmt(down.ref.p99)})`);
  } finally {
    step('stopping everything');
    for (const c of cleanups) await Promise.resolve().then(c).catch(() => {});
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  }
  return rows;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const built = !flags.has('tsx');
  run({ target: benchTarget(ROOT, built) }).then((rows) => {
    for (const r of rows) console.log(`  ${r.name.padEnd(58)} ${fmt(r.value).padStart(10)} ${r.unit.padEnd(6)} ${r.note ?? ''}`);
    process.exit(0);
  }, (err) => {
    console.error(err);
    process.exit(1);
  });
}
