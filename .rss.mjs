import v8 from 'node:v8';
const mods = process.argv.slice(2);
const f = (n) => (n/1048576).toFixed(1);
const show = (l) => { globalThis.gc?.(); const m = process.memoryUsage(); const sp = Object.fromEntries(v8.getHeapSpaceStatistics().map(s => [s.space_name.replace('_space',''), f(s.space_used_size)+'/'+f(s.physical_space_size)])); console.log(l.padEnd(20), 'rss', f(m.rss), 'heapTot', f(m.heapTotal), 'used', f(m.heapUsed), 'ext', f(m.external), JSON.stringify(sp)); };
show('start');
for (const m of mods) { await import(m); show(m); }
