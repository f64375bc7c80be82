// Listen and close; nothing else. `npm start` runs this from source (the demo); the installed
// hub runs its build, dist/hub/server.js (scripts/build.ts), with SHUBBAK_MODE=production.
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig } from './config.ts';
import { startHub } from './hub.ts';
import { startSystemdNotify } from './systemd-notify.ts';
import { PermissionsError } from './db/permissions.ts';
import { HubRunning } from './services/backup.ts';

let config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(`Shubbak: bad setting — ${err.message}`);
    process.exit(2);
  }
  throw err;
}

let hub: Awaited<ReturnType<typeof startHub>>;
try {
  hub = await startHub(config, { logger: { level: config.logLevel } });
} catch (err) {
  // Refusals that an operator fixes (files readable by others; another hub on the data dir): a message, not a stack.
  if (err instanceof PermissionsError || err instanceof HubRunning) {
    console.error(`Shubbak: cannot start — ${err.message}`);
    process.exit(1);
  }
  throw err;
}
console.log(`\nShubbak hub is up — ${config.centerName}`);
console.log(`  staff panels and API:  ${hub.httpUrl}/   (OpenAPI: ${hub.httpUrl}/docs)`);
console.log(`  waiting-hall TV:       ${hub.httpUrl}/tv      citizen status: ${hub.httpUrl}/status`);
console.log(`  MQTT for devices:      ${hub.mqttUrl}   (WebSocket: ws://…:${hub.httpPort}/mqtt)`);
console.log(`  data:                  ${config.dataDir}`);
console.log(`  mode:                  ${config.mode}${config.mode === 'demo' ? '   (SHUBBAK_MODE=production on a real center: no simulator, no demo data)' : ''}`);
if (hub.seededDevicesFile) console.log(`  demo devices and their secrets were written to ${hub.seededDevicesFile} (mode 0600)`);
const staffFile = path.join(config.dataDir, 'staff.json');
if (config.mode === 'demo' && fs.existsSync(staffFile)) console.log(`  demo staff (one per role) and their passwords:  ${staffFile} (mode 0600)`);

let stopSimulator: (() => Promise<void>) | null = null;
if (config.simulate) {
  const { startSimulator } = await import('./sim/simulator.ts');
  stopSimulator = await startSimulator(hub);
  console.log(`  simulated devices:     ${hub.httpUrl}/sim   (from this machine, or signed in as an administrator;`);
  console.log(`                         SHUBBAK_SIMULATE=false on a real center: its devices use the demo credentials)`);
}

// Under systemd (shubbak-hub.service): ready once listening, then watchdog pings while the database answers.
const systemd = startSystemdNotify(() => hub.ctx.db.prepare('SELECT 1').get(), (m) => hub.app.log.warn(m));
systemd?.ready(`serving ${hub.httpUrl} and ${hub.mqttUrl}`);

let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  systemd?.stopping();
  console.log(`\n${signal}: closing the hub…`);
  await stopSimulator?.().catch((err) => console.error(err));
  await hub.close();
  systemd?.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
