// A memory probe for the hub (issue 10: where the memory goes), loaded into the built hub by
// the bench: BENCH_HUB_IMPORT=scripts/bench/memory-probe.mjs MEMPROBE_OUT=/tmp/hub-memory.jsonl
// npx tsx scripts/bench.ts --only=memory. Every second it appends one JSON line: resident
// memory split into anonymous (heaps) and file pages (node's binary, libraries), V8's heap
// (used / committed, per space), external and array buffers, V8's own malloc. A phase of the
// hub's start can be marked by calling globalThis.__memProbe?.('name') in the code being
// studied (not left in the hub). MEMPROBE_MODS=file: after 8 s, the CommonJS modules loaded,
// by package, with their source sizes.
import fs from 'node:fs';
import v8 from 'node:v8';
const out = process.env.MEMPROBE_OUT;
const t0 = Date.now();
function snap(label) {
  const mu = process.memoryUsage();
  const roll = fs.readFileSync('/proc/self/smaps_rollup', 'utf8');
  const f = (n) => Number(new RegExp(n + ':\\s+(\\d+)').exec(roll)?.[1] ?? 0) / 1024;
  const spaces = Object.fromEntries(v8.getHeapSpaceStatistics().map((s) => [s.space_name, +(s.space_used_size / 1048576).toFixed(1) + '/' + (s.space_size / 1048576).toFixed(1)]));
  const hs = v8.getHeapStatistics();
  return { label, t: Date.now() - t0, rss: +(mu.rss / 1048576).toFixed(1), anon: f('Anonymous'), file: +(f('Rss') - f('Anonymous')).toFixed(1), heapTotal: +(mu.heapTotal / 1048576).toFixed(1), heapUsed: +(mu.heapUsed / 1048576).toFixed(1), external: +(mu.external / 1048576).toFixed(1), arrayBuffers: +(mu.arrayBuffers / 1048576).toFixed(1), malloced: +(hs.malloced_memory/1048576).toFixed(1), peakMalloced: +(hs.peak_malloced_memory/1048576).toFixed(1), code: +((hs.total_heap_size_executable)/1048576).toFixed(1), spaces };
}
globalThis.__memProbe = (label) => { if (out) fs.appendFileSync(out, JSON.stringify(snap(label)) + '\n'); };
if (out) {
  fs.writeFileSync(out, JSON.stringify(snap('preload')) + '\n');
  setInterval(() => globalThis.__memProbe('tick'), 1000).unref();
}
import { createRequire } from 'node:module';
const req = createRequire(import.meta.url);
if (process.env.MEMPROBE_MODS) setTimeout(() => {
  const cache = req('module')._cache;
  const byPkg = {};
  for (const f of Object.keys(cache)) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/g; let last=null, x; while ((x = m.exec(f))) last = x[1];
    const k = last ?? f; let sz = 0; try { sz = fs.statSync(f).size } catch {}
    (byPkg[k] ??= [0, 0]); byPkg[k][0]++; byPkg[k][1] += sz;
  }
  fs.writeFileSync(process.env.MEMPROBE_MODS, Object.entries(byPkg).sort((a, b) => b[1][1] - a[1][1]).map(([k, [n, s]]) => `${(s / 1024).toFixed(0).padStart(6)}K ${String(n).padStart(4)} ${k}`).join('\n'));
}, 8000).unref();
// MEMPROBE_SMAPS=file: after 6 s (the devices connected, before the load), resident memory by
// mapping: each file's pages (node's binary, native modules, libraries) and the anonymous rest.
if (process.env.MEMPROBE_SMAPS) setTimeout(() => {
  const by = {};
  let cur = null;
  for (const line of fs.readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
    const head = /^[0-9a-f]+-[0-9a-f]+ (\S+) \S+ \S+ \d+\s*(.*)$/.exec(line);
    if (head) { cur = (head[2] || '[anon]') + ' ' + head[1]; continue; }
    const m = /^(Rss|Anonymous):\s+(\d+) kB/.exec(line);
    if (m && cur) { (by[cur] ??= { Rss: 0, Anonymous: 0 })[m[1]] += +m[2]; }
  }
  fs.writeFileSync(process.env.MEMPROBE_SMAPS, Object.entries(by).filter(([, v]) => v.Rss >= 256).sort((a, b) => b[1].Rss - a[1].Rss)
    .map(([k, v]) => `${(v.Rss / 1024).toFixed(1).padStart(7)} MB rss ${(v.Anonymous / 1024).toFixed(1).padStart(6)} anon  ${k}`).join('\n') + '\n');
}, 6000).unref();
// MEMPROBE_HEAPSNAP=file: after 6.5 s (the devices connected, before the load), a V8 heap snapshot.
if (process.env.MEMPROBE_HEAPSNAP) setTimeout(() => v8.writeHeapSnapshot(process.env.MEMPROBE_HEAPSNAP), 6500).unref();
