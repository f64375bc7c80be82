// The service layer on its own (issue 12, item 10): the hub's context — SQLite file in a temp
// dir, every service, the demo center and catalog seeded — without broker or HTTP. For rules
// that cross no boundary (report figures, queue and workflow rules, the commit feed); what
// crosses one (MQTT, HTTP, a browser) is tested against a whole hub (tests/helpers/hub.ts).
// Not the demo staff: nothing at this level signs in (actors are staffActor({ id })), and
// their thirteen scrypt hashes were the seed's slowest part, paid once per context.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { loadConfig, type HubConfig } from '../../hub/config.ts';
import { createContext, type HubContext } from '../../hub/context.ts';
import { seedDemoCenter } from '../../hub/db/seed.ts';
import { seedDemoCatalog } from '../../hub/db/seed-catalog.ts';
import type { Clock } from '../../hub/domain/time.ts';

export async function serviceContext(t: TestContext, opts: { clock?: Clock; config?: Partial<HubConfig> } = {}): Promise<HubContext> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shubbak-svc-'));
  const config = loadConfig({}, { dataDir, simulate: false, logLevel: 'silent', passwordCost: 10, ...opts.config });
  const ctx = createContext(config, opts.clock ?? Date.now);
  t.after(() => {
    ctx.db.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  // The center and its devices, then the catalog: as hub/db/seed.ts's seedDemo, in one transaction.
  ctx.uow.run(() => {
    seedDemoCenter(ctx, { mqttUrl: 'mqtt://127.0.0.1:1883', websocketUrl: 'ws://127.0.0.1:8080/mqtt' });
    seedDemoCatalog(ctx);
  });
  return ctx;
}
