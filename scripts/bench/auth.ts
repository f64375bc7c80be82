// Staff sign-in figures: a login (scrypt at the configured cost) and a signed-in request
// (session lookup + role check) over real HTTP against an in-process hub on a temp dir.
//   npx tsx scripts/bench/auth.ts          (or wired into npm run bench through run())
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../hub/config.ts';
import { startHub } from '../../hub/hub.ts';
import { readStaffFile } from '../../hub/db/seed-staff.ts';
import { summary, type Row } from './lib.ts';

const LOGINS = 30;
const REQUESTS = 1000;

export async function run(): Promise<Row[]> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shubbak-bench-auth-'));
  const hub = await startHub(loadConfig({}, { dataDir, host: '127.0.0.1', httpPort: 0, mqttPort: 0, simulate: false, logLevel: 'silent' }));
  try {
    const u = readStaffFile(dataDir)!.users.find((x) => x.role === 'manager')!;
    const login = () => fetch(`${hub.httpUrl}/api/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: u.username, password: u.password }),
    });
    const loginMs: number[] = [];
    let cookie = '';
    for (let i = 0; i < LOGINS; i++) {
      const t0 = performance.now();
      const res = await login();
      loginMs.push(performance.now() - t0);
      cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
      await res.arrayBuffer();
    }
    const meMs: number[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      const t0 = performance.now();
      const res = await fetch(`${hub.httpUrl}/api/auth/me`, { headers: { cookie } });
      await res.arrayBuffer();
      meMs.push(performance.now() - t0);
    }
    const l = summary(loginMs);
    const m = summary(meMs);
    return [
      { name: `staff login p50 (scrypt N=2^${hub.ctx.config.passwordCost})`, value: l.p50, unit: 'ms' },
      { name: 'staff login p99', value: l.p99, unit: 'ms' },
      { name: 'signed-in GET /api/auth/me p50', value: m.p50, unit: 'ms' },
      { name: 'signed-in GET /api/auth/me p99', value: m.p99, unit: 'ms' },
    ];
  } finally {
    await hub.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const r of await run()) console.log(`${r.name.padEnd(50)} ${r.value.toFixed(2)} ${r.unit}`);
}
