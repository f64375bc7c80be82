// Shared pieces of the benchmark: percentiles, free ports, a hub in its own process.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export type Row = { name: string; value: number; unit: string; note?: string };

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export function summary(samples: number[]): { p50: number; p99: number; n: number; mean: number } {
  const s = [...samples].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p99: percentile(s, 99), n: s.length, mean: s.reduce((a, b) => a + b, 0) / (s.length || 1) };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export async function waitForPort(port: number, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.end();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`port ${port} did not open`);
}

export function rssMb(pid: number): number {
  return procStatusMb(pid, 'VmRSS');
}

/** CPU time (user + system) a process has used, ms, from /proc/<pid>/stat (clock ticks of 10 ms). */
export function cpuMs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * 10; // utime, stime (fields 14, 15)
}

/**
 * How long a process's main thread has waited for a CPU while runnable, ms
 * (/proc/<pid>/task/<pid>/schedstat, second field, ns). On a shared machine this is the time
 * the hub was ready to work and another process had the cores: part of every latency
 * measured then, and nothing the hub's code does.
 */
export function runQueueMs(pid: number): number {
  try {
    return Number(fs.readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ')[1]) / 1e6;
  } catch {
    return NaN; // a kernel without schedstats
  }
}

/** Bytes a process has caused to be written to the disk so far (/proc/<pid>/io write_bytes: the WAL, checkpoints). */
export function diskWriteBytes(pid: number): number {
  try {
    return Number(/write_bytes: (\d+)/.exec(fs.readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1] ?? NaN);
  } catch {
    return NaN;
  }
}

/** A memory line of /proc/<pid>/status in MB: VmRSS (resident now), VmHWM (resident peak). */
export function procStatusMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(status);
  return m ? Number(m[1]) / 1024 : NaN;
}

/**
 * What the benchmark runs: the built JavaScript (`npm run build` → dist/, as production runs
 * it with `node dist/…`) or, when there is no build, the TypeScript sources under tsx.
 */
export type Target = { built: boolean; dist: string; label: string; /** Node flags the built programs run with (--node-flags=…). */ nodeFlags: string[] };

export function benchTarget(root: string, wantBuilt: boolean, nodeFlags: string[] = []): Target {
  const dist = path.join(root, 'dist');
  const built = wantBuilt && fs.existsSync(path.join(dist, 'hub/server.js'));
  const flags = built ? nodeFlags : [];
  return { built, dist, nodeFlags: flags, label: built ? `built JavaScript (node ${[...flags, 'dist/…'].join(' ')})` : 'TypeScript under tsx' };
}

export type HubProcess = { child: ChildProcess; mqttPort: number; httpPort: number; mqttUrl: string; httpUrl: string; stop(): Promise<void> };

/** The node arguments of `npm start` (package.json), so the benchmark runs the hub exactly so. */
export function startCommandArgs(root: string): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: { start: string } };
  const words = pkg.scripts.start.split(/\s+/);
  if (words[0] !== 'node') throw new Error(`npm start is not a node command: ${pkg.scripts.start}`);
  return words.slice(1).map((w) => (w.endsWith('.ts') ? path.join(root, w) : w));
}

/** The node arguments of the hub: the built server as production runs it, or those of `npm start`. */
export function hubArgs(root: string, target: Target): string[] {
  return target.built ? [...target.nodeFlags, path.join(target.dist, 'hub/server.js')] : startCommandArgs(root);
}

/** Start the hub in its own process on free ports, as production (built) or `npm start` (tsx) would. */
export async function startHubProcess(root: string, dataDir: string, env: Record<string, string> = {}, target?: Target, nodeArgs: string[] = []): Promise<HubProcess> {
  const mqttPort = await freePort();
  const httpPort = await freePort();
  const prof = process.env.BENCH_HUB_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_HUB_PROF}`] : [];
  const snap = process.env.BENCH_HUB_HEAPSNAP ? ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${process.env.BENCH_HUB_HEAPSNAP}`] : [];
  // BENCH_HUB_IMPORT=file.mjs: a module loaded into the hub before its code (scripts/bench/memory-probe.mjs).
  const probe = process.env.BENCH_HUB_IMPORT ? ['--import', process.env.BENCH_HUB_IMPORT] : [];
  const child = spawn(process.execPath, [...prof, ...snap, ...probe, ...nodeArgs, ...(target ? hubArgs(root, target) : startCommandArgs(root))], {
    cwd: root,
    env: {
      ...process.env,
      SHUBBAK_DATA_DIR: dataDir, SHUBBAK_MQTT_PORT: String(mqttPort), SHUBBAK_HTTP_PORT: String(httpPort),
      SHUBBAK_HOST: '127.0.0.1', SHUBBAK_SIMULATE: 'false', SHUBBAK_LOG_LEVEL: 'error', ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`the hub exited (${code}) before it listened`))));
  await Promise.race([Promise.all([waitForPort(mqttPort), waitForPort(httpPort)]), exited]);
  return {
    child, mqttPort, httpPort, mqttUrl: `mqtt://127.0.0.1:${mqttPort}`, httpUrl: `http://127.0.0.1:${httpPort}`,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

/** The node flags in a unit's ExecStart (`…/node --flag … dist/…`): the built programs run with them, as installed. */
export function unitNodeFlags(unitFile: string, root: string): string[] {
  const m = /^ExecStart=\S*node((?:\s+--\S+)*)\s+dist\//m.exec(fs.readFileSync(path.join(root, unitFile), 'utf8'));
  if (!m) throw new Error(`${unitFile}: no ExecStart=…node … dist/… line`);
  return m[1].trim().split(/\s+/).filter(Boolean);
}

/** The allocator's settings in a unit's Environment= lines (MALLOC_ARENA_MAX=2 …), as installed. */
export function unitMallocEnv(unitFile: string, root: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of fs.readFileSync(path.join(root, unitFile), 'utf8').split('\n')) {
    if (!line.startsWith('Environment=')) continue;
    for (const kv of line.slice('Environment='.length).split(/\s+/)) {
      const [k, v] = kv.split('=');
      if (k.startsWith('MALLOC_') && v !== undefined) env[k] = v;
    }
  }
  return env;
}

/** "goal ≤ N MB: ratio r (met|NOT met)". */
export function goal(value: number, limit: number): string {
  return `goal ≤ ${limit} MB: ratio ${fmt(value / limit)} ${value <= limit ? '(met)' : '(NOT met)'}`;
}

export function fmt(n: number, digits = 2): string {
  return Number.isFinite(n) ? n.toFixed(digits) : 'n/a';
}
