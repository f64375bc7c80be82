// Listen and close; nothing else. `npm start` runs this from source (the demo); the installed
// hub runs its build, dist/hub/server.js (scripts/build.ts), with SHUBBAK_MODE=production.
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig } from './config.ts';
import { startHub } from './hub.ts';
import { startSystemdNotify } from './systemd-notify.ts';
import { PermissionsError } from './db/permissions.ts';
import { HubRunning } from './services/backup.ts';
import { TlsSetupError } from './tls/center-ca.ts';
import { OpensslError } from './tls/openssl.ts';
import os from 'node:os';

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
  if (err instanceof PermissionsError || err instanceof HubRunning || err instanceof TlsSetupError || err instanceof OpensslError || err instanceof ConfigError) {
    console.error(`Shubbak: cannot start — ${err.message}`);
    process.exit(1);
  }
  throw err;
}
console.log(`\nShubbak hub is up — ${config.centerName}`);
if (hub.tls) {
  const t = hub.tls;
  const name = config.tlsNames?.[0] ?? os.hostname();
  console.log(`  staff panels and API:  https://${name}:${t.httpsPort}/   (OpenAPI: https://${name}:${t.httpsPort}/docs)`);
  console.log(`  waiting-hall TV:       https://${name}:${t.httpsPort}/tv      citizen status: https://${name}:${t.httpsPort}/status`);
  console.log(`  MQTT for devices:      mqtts://${name}:${t.mqttsPort}   (WebSocket: wss://…:${t.httpsPort}/mqtt)`);
  console.log(`  TLS:                   ${config.tlsCaFile ? `installed certificate, CA ${config.tlsCaFile}` : `center CA ${path.join(config.dataDir, 'tls', 'ca.pem')}`} (devices get it at enrollment)`);
  console.log(`  this machine only:     ${hub.httpUrl} and ${hub.mqttUrl} (plain, for the hub's own tools; other addresses are sent to HTTPS)`);
} else {
  console.log(`  staff panels and API:  ${hub.httpUrl}/   (OpenAPI: ${hub.httpUrl}/docs)`);
  console.log(`  waiting-hall TV:       ${hub.httpUrl}/tv      citizen status: ${hub.httpUrl}/status`);
  console.log(`  MQTT for devices:      ${hub.mqttUrl}   (WebSocket: ws://…:${hub.httpPort}/mqtt)`);
  console.log(`  TLS:                   off — plain HTTP and MQTT for the demo; production (SHUBBAK_MODE=production) serves HTTPS on 8443 and MQTT over TLS on 8883`);
}
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
systemd?.ready(hub.tls ? `serving https :${hub.tls.httpsPort} and mqtts :${hub.tls.mqttsPort}` : `serving ${hub.httpUrl} and ${hub.mqttUrl}`);

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
