// The device command path without the network (issue 16 item 3): N ticket.issue commands from
// 200 kiosks through the CommandDispatcher in batches of B, on a real SQLite file
// (WAL, synchronous=FULL), and the CPU each costs. A profiling aid, not a bench section:
//   node --import tsx scripts/bench/command-path.ts [N=20000] [B=50]   (add --cpu-prof to see where it goes)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../hub/config.ts';
import { createContext } from '../../hub/context.ts';
import { seedDemoCenter } from '../../hub/db/seed.ts';
import { CommandDispatcher } from '../../hub/broker/dispatch.ts';
const N = Number(process.argv[2] ?? 20000), B = Number(process.argv[3] ?? 50), DEV = 200;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tail-direct-'));
const config = loadConfig({}, { dataDir, simulate: false, logLevel: 'silent' });
const ctx = createContext(config, Date.now);
seedDemoCenter(ctx, { mqttUrl: 'mqtt://127.0.0.1', websocketUrl: 'ws://127.0.0.1/mqtt' });
ctx.uow.run(() => { for (let i = 0; i < DEV; i++) ctx.devices.register({ id: `k${i}`, kind: 'kiosk', binding: { buttons: ['A','B','C','D'].map((line, key) => ({ key, line })) } }); });
let replies = 0;
const d = new CommandDispatcher(ctx, (_id, r) => { if (!r.ok) throw new Error(JSON.stringify(r)); replies++; });
let k = 0;
const run = (n: number) => { for (let i = 0; i < n; i += B) { for (let j = 0; j < B; j++) { const dev = `k${k % DEV}`; d.submit(dev, Buffer.from(JSON.stringify({ id: `${dev}-${++k}`.padEnd(8, '0'), type: 'ticket.issue', line: 'ABCD'[k % 4], at: Date.now() }))); } d.flush(); } };
run(2000);
const io = () => Number(/write_bytes: (\d+)/.exec(fs.readFileSync('/proc/self/io', 'utf8'))![1]);
const w0 = io();
const t0 = performance.now(); const c0 = process.cpuUsage();
run(N);
const ms = performance.now() - t0; const cpu = process.cpuUsage(c0);
console.log(`${N} commands in batches of ${B}: ${(ms * 1000 / N).toFixed(1)} µs/command wall, user ${(cpu.user / N).toFixed(1)} sys ${(cpu.system / N).toFixed(1)} µs/command; ${(N / ms * 1000).toFixed(0)}/s; ${((io() - w0) / N / 1024).toFixed(1)} KiB written to disk per command`);
ctx.db.close(); fs.rmSync(dataDir, { recursive: true, force: true });
