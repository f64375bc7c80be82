// Shared by the TLS tests (issue 17): a real hub with TLS on (its center CA made in its temp
// data dir), a second, unrelated CA ("another center") made with the same openssl adapter,
// and small helpers to run Debian's clients (mosquitto_sub/pub, curl) with a deadline.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { startTestHub, type TestHub } from '../helpers/hub.ts';
import type { HubConfig } from '../../hub/config.ts';
import { makeCaCert, newPrivateKey, signServerCert } from '../../hub/tls/openssl.ts';

export const NAMES = ['localhost', '127.0.0.1'];

export type TlsHub = TestHub & { tls: NonNullable<TestHub['tls']>; caFile: string };

export async function startTlsHub(t: TestContext, config: Partial<HubConfig> = {}): Promise<TlsHub> {
  const hub = await startTestHub(t, { config: { tls: true, tlsNames: NAMES, ...config } });
  if (!hub.tls) throw new Error('the hub did not start TLS');
  const caFile = config.tlsCaFile ?? path.join(hub.dataDir, 'tls', 'ca.pem');
  return Object.assign(hub, { tls: hub.tls, caFile });
}

export type MadeCa = { dir: string; caFile: string; caKey: string; ca: string; issue(names: string[], from: Date, to: Date): { certFile: string; keyFile: string } };

/** A CA of its own in a temp dir (another center's, or "the governorate's"), removed after the test. */
export function makeCa(t: TestContext, name = 'Another center CA'): MadeCa {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shubbak-other-ca-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const caKey = newPrivateKey();
  const ca = makeCaCert(caKey, name, 'Elsewhere', 30);
  const caFile = path.join(dir, 'ca.pem');
  fs.writeFileSync(caFile, ca);
  let n = 0;
  return {
    dir, caFile, caKey, ca,
    issue(names, from, to) {
      const key = newPrivateKey();
      const cert = signServerCert({ caKeyPem: caKey, caCertPem: ca, keyPem: key, names, notBefore: from, notAfter: to });
      n++;
      const certFile = path.join(dir, `server-${n}.pem`);
      const keyFile = path.join(dir, `server-${n}.key`);
      fs.writeFileSync(certFile, cert);
      fs.writeFileSync(keyFile, key, { mode: 0o600 });
      return { certFile, keyFile };
    },
  };
}

export type Run = { code: number | null; stdout: string; stderr: string; ms: number };

/** Run a program to its end (or kill it at the deadline); never throws on a non-zero exit. */
export function run(cmd: string, args: string[], timeoutMs = 15_000, env: NodeJS.ProcessEnv = process.env): Promise<Run> {
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: timeoutMs, env, maxBuffer: 8 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : null) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr), ms: performance.now() - started });
    });
  });
}

/** The value of one sample of a Prometheus text exposition (0 when absent). */
export function metric(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-z_]+)(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries((m[2] ?? '').split(',').filter(Boolean).map((kv) => kv.split('=')).map(([k, v]) => [k, v.replace(/^"|"$/g, '')]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return 0;
}

export async function scrape(hub: TestHub): Promise<string> {
  return (await fetch(`${hub.httpUrl}/metrics`)).text();
}

/** A TCP port free on loopback now (for a hub that must come back on the same port). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export { until as waitUntil } from '../helpers/wait.ts';
