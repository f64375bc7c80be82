// A latency probe for the hub (issue 16 item 3: where the tail under load comes from), loaded
// into the built hub by the bench: BENCH_HUB_IMPORT=$PWD/scripts/bench/tail-probe.mjs
// TAILPROBE_OUT=/tmp/tail.json npm run bench -- --only=latency --no-build (or into any
// script: node --import ./scripts/bench/tail-probe.mjs --import tsx …). It records every
// COMMIT (its duration, and whether the database file was written in it — an automatic WAL
// checkpoint), every GC pause, every stall of the event loop longer than TAILPROBE_STALL_MS
// (a 1 ms timer arriving late; the timer itself costs ~40 ms of CPU a second), and each
// second the loop's utilization, the CPU used and the time the main thread waited for a CPU
// while runnable. Marks along a command's path come from temporary calls to
// globalThis.__tailMark?.(name, key) in the code under study (never left in the hub), on
// CLOCK_MONOTONIC like the bench's device workers, so BENCH_TRACE_ISSUE=file (the measured
// kiosk's round trips, scripts/bench/device-worker.ts) lines up with them; hrOffset turns the
// other events' performance.now() into the same clock. Everything is written to
// TAILPROBE_OUT at exit. A probe, not part of the hub.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { PerformanceObserver, performance } from 'node:perf_hooks';

const out = process.env.TAILPROBE_OUT ?? '/tmp/tail-probe.json';
const STALL_MS = Number(process.env.TAILPROBE_STALL_MS ?? 5);
const req = createRequire(import.meta.url);
const Database = req('better-sqlite3');
const probeDb = new Database(':memory:');
const Statement = Object.getPrototypeOf(probeDb.prepare('SELECT 1'));
const run = Statement.run;
const commits = [];
const mtimeOf = (file) => {
  try {
    return fs.statSync(file, { bigint: true }).mtimeNs;
  } catch {
    return 0n;
  }
};
Statement.run = function probedRun(...args) {
  if (this.source !== 'COMMIT') return run.apply(this, args);
  const file = this.database.name;
  const m0 = mtimeOf(file);
  const t0 = performance.now();
  try {
    return run.apply(this, args);
  } finally {
    const t1 = performance.now();
    commits.push([t0, t1 - t0, mtimeOf(file) !== m0 ? 1 : 0]);
  }
};
const gcs = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcs.push([e.startTime, e.duration, e.detail?.kind ?? e.kind]);
}).observe({ entryTypes: ['gc'] });
const stalls = [];
let last = performance.now();
setInterval(() => {
  const now = performance.now();
  if (now - last > STALL_MS + 1) stalls.push([last, now - last]);
  last = now;
}, 1).unref();

function pct(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] : NaN;
}
function dump() {
  const d = commits.map((c) => c[1]);
  const ck = commits.filter((c) => c[2]);
  const summary = {
    commits: commits.length,
    commitP50: pct(d, 50), commitP99: pct(d, 99), commitMax: Math.max(0, ...d),
    checkpoints: ck.length,
    checkpointP50: pct(ck.map((c) => c[1]), 50), checkpointMax: Math.max(0, ...ck.map((c) => c[1])),
    commitMsTotal: d.reduce((a, b) => a + b, 0),
    checkpointMsTotal: ck.reduce((a, c) => a + c[1], 0),
    gcs: gcs.length, gcMsTotal: gcs.reduce((a, g) => a + g[1], 0), gcMax: Math.max(0, ...gcs.map((g) => g[1])),
    stalls: stalls.length, stallMax: Math.max(0, ...stalls.map((s) => s[1])),
  };
  fs.writeFileSync(out, JSON.stringify({
    summary,
    commits,
    gcs,
    stalls,
  }));
}
process.on('exit', dump);

// Marks along a command's path: the code under study calls globalThis.__tailMark?.(name, key)
// (temporary instrumentation, not left in the hub); written with the rest at exit.
const marks = [];
globalThis.__tailMark = (name, key) => marks.push([Number(process.hrtime.bigint()) / 1e6, name, key]);
// Each second: the event loop's utilization, the CPU used (ms) and the time the main thread
// waited for a CPU while runnable (ms, /proc/self/task/<tid>/schedstat's second field).
const elu = [];
let e0 = performance.eventLoopUtilization();
const runDelay = () => Number(fs.readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[1]) / 1e6;
let c0 = process.cpuUsage();
let r0 = runDelay();
setInterval(() => {
  const e1 = performance.eventLoopUtilization();
  const c1 = process.cpuUsage();
  const r1 = runDelay();
  elu.push([performance.now(), +performance.eventLoopUtilization(e1, e0).utilization.toFixed(2), Math.round((c1.user + c1.system - c0.user - c0.system) / 1000), Math.round(r1 - r0)]);
  e0 = e1;
  c0 = c1;
  r0 = r1;
}, 1000).unref();
process.on('exit', () => {
  const j = JSON.parse(fs.readFileSync(out, 'utf8'));
  fs.writeFileSync(out, JSON.stringify({ ...j, marks, elu, hrOffset: Number(process.hrtime.bigint()) / 1e6 - performance.now() }));
});
