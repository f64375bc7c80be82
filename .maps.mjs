import fs from 'node:fs';
const before = fs.readFileSync('/proc/self/smaps_rollup','utf8');
await import(process.argv[2]);
const r = fs.readFileSync('/proc/self/smaps','utf8').split('\n');
let cur=null; const agg={};
for (const l of r) { const m=/^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(l); if (m) { cur=m[1]||'[anon]'; continue; } const rs=/^Rss:\s+(\d+)/.exec(l); if (rs) agg[cur]=(agg[cur]??0)+Number(rs[1]); }
console.log(Object.entries(agg).sort((a,b)=>b[1]-a[1]).slice(0,12).map(([k,v])=>`${(v/1024).toFixed(1)}MB ${k}`).join('\n'));
