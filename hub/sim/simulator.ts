// Starts the simulated center beside the hub: one child process runs every device of the
// demo seed (data/devices.json) as its real program with sim IO, so the hub's own memory
// stays small. The child's views reach the /sim page through the app's SimBridge.
import { fork } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunningHub } from '../hub.ts';
import { devicesFilePath } from '../db/seed.ts';
import type { SimMessage } from './views.ts';

/** Set by esbuild's `define` in scripts/build.ts; absent when running from source. */
declare const SHUBBAK_BUNDLE_ENTRY: string | undefined;
// From source the child runs under tsx; the built hub forks the built child beside it
// (dist/hub/sim-devices.js, scripts/build.ts), so it needs no dev dependency.
const BUILT = typeof SHUBBAK_BUNDLE_ENTRY !== 'undefined';
const CHILD = BUILT ? fileURLToPath(new URL('./sim-devices.js', import.meta.url)) : fileURLToPath(new URL('./devices-process.ts', import.meta.url));

export async function startSimulator(hub: RunningHub, opts: { readyTimeoutMs?: number } = {}): Promise<() => Promise<void>> {
  const log = hub.app.log;
  const bridge = hub.app.sim;
  const devicesFile = devicesFilePath(hub.ctx.config.dataDir);
  if (!bridge) throw new Error('the /sim routes are not registered (SHUBBAK_SIMULATE is off)');
  if (!fs.existsSync(devicesFile)) {
    log.warn(`no simulated devices: ${devicesFile} is missing (the demo seed writes it on an empty database)`);
    return async () => {};
  }
  const child = fork(CHILD, [], {
    execArgv: BUILT ? [] : ['--import', 'tsx'],
    env: {
      ...process.env,
      SHUBBAK_DEVICES_FILE: devicesFile,
      SHUBBAK_HUB_URL: hub.mqttUrl,
      SHUBBAK_AUDIO_DIR: path.join(hub.ctx.config.dataDir, 'audio'),
      SHUBBAK_IO: 'sim',
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  bridge.attach(child);
  const ready = await new Promise<string[]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the simulated devices did not start in time')), opts.readyTimeoutMs ?? 60_000);
    const onMessage = (m: SimMessage) => {
      if (m?.type === 'ready') done(() => resolve(m.devices));
      if (m?.type === 'error') done(() => reject(new Error(m.message)));
    };
    const onExit = (code: number | null) => done(() => reject(new Error(`the simulated devices exited (${code})`)));
    const done = (f: () => void) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      f();
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  }).catch((err: Error) => {
    child.kill('SIGKILL');
    throw err;
  });
  log.info(`simulator: ${ready.length} devices running — open ${hub.httpUrl}/sim`);

  return () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      child.kill('SIGTERM'); // each device turns its lamps off and says offline
    });
}
