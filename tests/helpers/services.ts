// The service layer on its own (issue 12, item 10): the hub's context — SQLite file in a temp
// dir, every service, the demo center and catalog seeded — without broker or HTTP. For rules
// that cross no boundary (report figures, queue and workflow rules, the commit feed); what
// crosses one (MQTT, HTTP, a browser) is tested against a whole hub (tests/helpers/hub.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { loadConfig, type HubConfig } from '../../hub/config.ts';
import { createContext, type HubContext } from '../../hub/context.ts';
import { seedDemo } from '../../hub/db/seed.ts';
import type { Clock } from '../../hub/domain/time.ts';

export async function serviceContext(t: TestContext, opts: { clock?: Clock; config?: Partial<HubConfig> } = {}): Promise<HubContext> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shubbak-svc-'));
  const config = loadConfig({}, { dataDir, simulate: false, logLevel: 'silent', passwordCost: 10, ...opts.config });
  const ctx = createContext(config, opts.clock ?? Date.now);
  t.after(() => {
    ctx.db.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  await seedDemo(ctx, { mqttUrl: 'mqtt://127.0.0.1:1883', websocketUrl: 'ws://127.0.0.1:8080/mqtt' });
  return ctx;
}
