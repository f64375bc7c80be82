// Debian's Mosquitto as a central broker bridging one hub (issue 13, item 1): started by a
// test on a free loopback port with a generated config, pulling the hub's outward topics
// under centers/{centerId}/ with the credentials it is given, stopped when the test ends.
// The config is the one protocol/README.md "Beyond one center" shows an operator (bridgeConfig builds both).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { bridgeConfig } from '../../hub/broker/bridge-config.ts';

export const MOSQUITTO = '/usr/sbin/mosquitto';

/** A port the kernel just gave and took back: free for the broker we start next. */
export async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', () => resolve()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

export type CentralBroker = { port: number; url: string; log(): string; stop(): Promise<void> };

export async function startBridgedMosquitto(
  t: TestContext,
  o: { hubPort: number; centerId: string; clientId: string; username: string; password: string; filters?: string[] },
): Promise<CentralBroker> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shubbak-mosquitto-'));
  const port = await freePort();
  const conf = [
    'per_listener_settings false',
    `listener ${port} 127.0.0.1`,
    'allow_anonymous true',
    'persistence false',
    'log_dest stderr',
    'log_type error',
    'log_type warning',
    'log_type notice',
    bridgeConfig({ centerId: o.centerId, hub: `127.0.0.1:${o.hubPort}`, clientId: o.clientId, username: o.username, password: o.password, filters: o.filters, restartSeconds: 1 }),
  ].join('\n');
  fs.writeFileSync(path.join(dir, 'mosquitto.conf'), conf + '\n', { mode: 0o600 });
  const proc = spawn(MOSQUITTO, ['-c', path.join(dir, 'mosquitto.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGTERM');
      await Promise.race([exited, sleep(3000).then(() => proc.kill('SIGKILL'))]);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  t.after(stop);
  // Up when it accepts a TCP connection.
  for (let i = 0; ; i++) {
    if (proc.exitCode !== null) throw new Error(`mosquitto exited: ${out}`);
    const up = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => { s.destroy(); resolve(true); });
      s.once('error', () => resolve(false));
    });
    if (up) break;
    if (i > 100) throw new Error(`mosquitto did not listen on ${port}: ${out}`);
    await sleep(50);
  }
  return { port, url: `mqtt://127.0.0.1:${port}`, log: () => out, stop };
}
