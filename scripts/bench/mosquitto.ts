// The benchmark's reference broker: Debian's Mosquitto (a C broker), started by the bench
// itself on a free loopback port with a generated config, so the hub's round trips are
// compared with what a lean broker does on the same machine in the same run (issue 16,
// item 3). Installed by scripts/setup.sh (package `mosquitto`, its system service disabled).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, waitForPort } from './lib.ts';

export type Mosquitto = { url: string; child: ChildProcess; stop(): Promise<void> };

/** Where Debian puts the broker (not on a normal user's PATH). */
export function mosquittoBinary(): string | null {
  for (const p of ['/usr/sbin/mosquitto', '/usr/bin/mosquitto']) if (fs.existsSync(p)) return p;
  const r = spawnSync('sh', ['-c', 'command -v mosquitto'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : null;
}

/**
 * Start mosquitto on 127.0.0.1 with TCP_NODELAY on its sockets (as the hub sets it), no
 * persistence and no logging, anonymous clients allowed (loopback only).
 */
export async function startMosquitto(): Promise<Mosquitto> {
  const bin = mosquittoBinary();
  if (!bin) throw new Error('mosquitto is not installed (npm run setup installs the Debian package)');
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shubbak-mosquitto-'));
  const conf = path.join(dir, 'mosquitto.conf');
  fs.writeFileSync(conf, [
    `listener ${port} 127.0.0.1`,
    'allow_anonymous true',
    'persistence false',
    'set_tcp_nodelay true',
    'log_dest none',
    '',
  ].join('\n'));
  const child = spawn(bin, ['-c', conf], { stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`mosquitto exited (${code}) before it listened`))));
  try {
    await Promise.race([waitForPort(port, 10_000), exited]);
  } catch (err) {
    child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  exited.catch(() => {});
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill); // never left behind by a failed bench
  return {
    url: `mqtt://127.0.0.1:${port}`,
    child,
    async stop() {
      process.off('exit', kill);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
