// A hub in this process for the soak's fuzz run, like tests/helpers/hub.ts without a test
// context: a fresh data dir, ephemeral ports, the demo seeded, staff sessions on demand.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../hub/config.ts';
import { startHub } from '../../hub/hub.ts';
import { readDevicesFile } from '../../hub/db/seed.ts';
import { readStaffFile } from '../../hub/db/seed-staff.ts';
import { SESSION_COOKIE } from '../../hub/auth/guard.ts';
import type { FuzzTarget } from './fuzz.ts';

export async function startTestHubStandalone(): Promise<{ target: FuzzTarget; close(): Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shubbak-fuzz-'));
  const config = loadConfig({}, { dataDir, host: '127.0.0.1', httpPort: 0, mqttPort: 0, simulate: false, logLevel: 'silent', passwordCost: 10 });
  const hub = await startHub(config);
  const devices = readDevicesFile(dataDir)!;
  const staff = readStaffFile(dataDir)!;
  return {
    target: {
      httpUrl: hub.httpUrl, mqttUrl: hub.mqttUrl, db: hub.ctx.db, accessTable: hub.app.accessTable,
      secretOf: (id) => devices.devices.find((d) => d.id === id)!.secret,
      async session(role) {
        const u = staff.users.find((x) => x.role === role)!;
        const res = await hub.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: u.username, password: u.password } });
        const token = res.cookies.find((c) => c.name === SESSION_COOKIE)!.value;
        return { cookie: `${SESSION_COOKIE}=${token}`, csrf: (res.json() as { csrfToken: string }).csrfToken };
      },
    },
    async close() {
      await hub.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
