// A three-node NATS cluster with JetStream and its MQTT listener (issue 13, item 3): the
// central tier a governorate's hubs feed, on Debian's nats-server, started on free loopback
// ports with a store directory each — for tests and benchmarks, and by hand:
//
//   node --import tsx scripts/nats-cluster.ts      # prints the ports; Ctrl-C stops it
//
// Each node: client port (NATS), cluster port (routes to the other two), MQTT port (QoS 1
// publishes are kept in JetStream, replicated across the cluster), monitoring port (/jsz,
// /routez). A node can be killed (-9) and started again on the same ports and store.
// centerStream() makes the stream the hubs' outboxes feed (CENTER_EVENTS, three replicas,
// file storage, duplicate window: hub/federation/central-stream.ts); the CLI makes it too.
// With { tls: true } the client ports demand TLS with a server certificate for localhost
// signed by a throwaway governorate CA (made with the hub's own openssl adapter), and the
// URLs are tls://localhost:<port> — a name, as the hub requires of tls:// URLs (the routes between the nodes stay on loopback in clear: the governorate
// secures its own cluster).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { connect } from 'nats';
import { ensureCenterStream } from '../hub/federation/central-stream.ts';
import { makeCaCert, newPrivateKey, signServerCert } from '../hub/tls/openssl.ts';

export const NATS_SERVER = '/usr/sbin/nats-server';

export type NatsNode = { name: string; client: number; cluster: number; mqtt: number; monitor: number; store: string };
export type NatsAccount = { user: string; pass: string };
export type NatsCluster = {
  nodes: NatsNode[];
  /** The governorate's operator account (everything: streams, reads). */
  admin: NatsAccount;
  /** A center's own account: it may publish on centers.<id>.> and receive its acks, nothing else. */
  center(id: string): NatsAccount;
  /** mqtt://127.0.0.1:<port> of each node, for an MQTT client's server list. */
  mqttUrls: string[];
  /** nats://127.0.0.1:<port> (tls:// with { tls: true }) of each node (SHUBBAK_CENTRAL_NATS). */
  natsUrls: string[];
  /** With { tls: true }: the governorate CA's PEM file (SHUBBAK_CENTRAL_NATS_CA) and the client's TLS options. */
  caFile: string | null;
  tls: { ca: string } | null;
  /** Create (or update) the CENTER_EVENTS stream, retrying while the cluster settles. */
  centerStream(timeoutMs?: number): Promise<void>;
  kill(i: number, signal?: NodeJS.Signals): Promise<void>;
  /** The running node's process id (its memory, for the benchmark), or null when it is stopped. */
  pid(i: number): number | null;
  start(i: number): Promise<void>;
  /** Resolves when every node is up, routed to the other two, and JetStream has a leader. */
  ready(timeoutMs?: number): Promise<void>;
  log(i: number): string;
  stop(): Promise<void>;
};

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', () => resolve()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/**
 * Who may do what on the tier (nats-server authorization, one global account so JetStream
 * needs no account setup): the operator may do all; each center publishes only its own
 * subjects (centers.<id>.>) and subscribes only to inboxes, where its PubAcks come back.
 */
function authorization(admin: NatsAccount, centers: Map<string, NatsAccount>): string {
  const users = [`    { user: "${admin.user}", password: "${admin.pass}" }`];
  for (const [id, a] of centers) {
    users.push(`    { user: "${a.user}", password: "${a.pass}", permissions: { publish: { allow: ["centers.${id}.>"] }, subscribe: { allow: ["_INBOX.>"] } } }`);
  }
  return `authorization {\n  users: [\n${users.join('\n')}\n  ]\n}\n`;
}

/** The client port's TLS: a certificate for localhost, TLS required before CONNECT. */
function tlsBlock(certFile: string, keyFile: string): string {
  return `tls {\n  cert_file: "${certFile}"\n  key_file: "${keyFile}"\n  timeout: 2\n}\n`;
}

function config(n: NatsNode, all: NatsNode[], auth: string, tls: string, noAdvertise: boolean): string {
  return `server_name: ${n.name}
${auth}
${tls}
listen: 127.0.0.1:${n.client}
http: 127.0.0.1:${n.monitor}
jetstream { store_dir: "${n.store}" }
cluster {
  name: shubbak-central
  listen: 127.0.0.1:${n.cluster}
  routes: [${all.filter((o) => o !== n).map((o) => `nats-route://127.0.0.1:${o.cluster}`).join(', ')}]${noAdvertise ? '\n  no_advertise: true' : ''}
}
mqtt { listen: 127.0.0.1:${n.mqtt}, stream_replicas: 3 }
`;
}

/**
 * o.centers: the centers given an account each (default: demo-center). o.noAdvertise: the
 * nodes do not tell clients the other nodes' addresses (cluster no_advertise), so a client
 * reaches the tier only through the URLs it was given — the benchmark puts a cuttable
 * proxy in front of one center's link (scripts/bench/governorate.ts).
 */
export async function startNatsCluster(o: { dir?: string; centers?: string[]; tls?: boolean; noAdvertise?: boolean } = {}): Promise<NatsCluster> {
  const dir = o.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'shubbak-nats-'));
  let tlsConf = '';
  let caFile: string | null = null;
  let tls: { ca: string } | null = null;
  if (o.tls) {
    fs.mkdirSync(dir, { recursive: true });
    const caKey = newPrivateKey();
    const ca = makeCaCert(caKey, 'Governorate central tier test CA', 'Shubbak tests', 30);
    const key = newPrivateKey();
    const cert = signServerCert({ caKeyPem: caKey, caCertPem: ca, keyPem: key, names: ['localhost'], notBefore: new Date(Date.now() - 3600_000), notAfter: new Date(Date.now() + 30 * 86400_000) });
    caFile = path.join(dir, 'central-ca.pem');
    fs.writeFileSync(caFile, ca);
    fs.writeFileSync(path.join(dir, 'server.pem'), cert);
    fs.writeFileSync(path.join(dir, 'server.key'), key, { mode: 0o600 });
    tlsConf = tlsBlock(path.join(dir, 'server.pem'), path.join(dir, 'server.key'));
    tls = { ca };
  }
  const secret = () => randomBytes(18).toString('base64url');
  const admin: NatsAccount = { user: 'governorate', pass: secret() };
  const centers = new Map<string, NatsAccount>();
  for (const id of o.centers ?? ['demo-center']) centers.set(id, { user: `center-${id}`, pass: secret() });
  const auth = authorization(admin, centers);
  const nodes: NatsNode[] = [];
  for (let i = 1; i <= 3; i++) {
    nodes.push({ name: `central-${i}`, client: await freePort(), cluster: await freePort(), mqtt: await freePort(), monitor: await freePort(), store: path.join(dir, `n${i}`) });
  }
  const procs: (ChildProcess | null)[] = [null, null, null];
  const logs = ['', '', ''];
  const start = async (i: number) => {
    const n = nodes[i];
    fs.mkdirSync(n.store, { recursive: true });
    const file = path.join(dir, `${n.name}.conf`);
    fs.writeFileSync(file, config(n, nodes, auth, tlsConf, !!o.noAdvertise), { mode: 0o600 });
    const p = spawn(NATS_SERVER, ['-c', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    p.stdout!.on('data', (d: Buffer) => (logs[i] += d.toString()));
    p.stderr!.on('data', (d: Buffer) => (logs[i] += d.toString()));
    procs[i] = p;
  };
  const kill = async (i: number, signal: NodeJS.Signals = 'SIGKILL') => {
    const p = procs[i];
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => p.once('exit', () => resolve()));
    p.kill(signal);
    await gone;
    procs[i] = null;
  };
  const json = async (port: number, p: string): Promise<Record<string, unknown> | null> => {
    try {
      const r = await fetch(`http://127.0.0.1:${port}${p}`);
      return r.ok ? ((await r.json()) as Record<string, unknown>) : null;
    } catch {
      return null;
    }
  };
  // A node that could not start (a port freePort() handed out was taken by another process
  // before nats-server bound it — the ephemeral range is shared) starts again on new ports;
  // the other nodes learn its new route address when it connects to them.
  const restarts = [0, 0, 0];
  const restartFailed = async () => {
    for (let i = 0; i < 3; i++) {
      const p = procs[i];
      if (!p || (p.exitCode === null && p.signalCode === null) || restarts[i] >= 2) continue;
      restarts[i]++;
      const n = nodes[i];
      logs[i] += `\n[${n.name} exited (${p.exitCode ?? p.signalCode}); started again on new ports]\n`;
      Object.assign(n, { client: await freePort(), cluster: await freePort(), mqtt: await freePort(), monitor: await freePort() });
      natsUrls[i] = nodeNatsUrl(n);
      mqttUrls[i] = `mqtt://127.0.0.1:${n.mqtt}`;
      await start(i);
    }
  };
  const ready = async (timeoutMs = 30_000) => {
    const end = Date.now() + timeoutMs;
    for (;;) {
      await restartFailed();
      const states = await Promise.all(nodes.map(async (n, i) => {
        if (!procs[i]) return true; // a node killed on purpose is not waited for
        const routes = await json(n.monitor, '/routez');
        const jsz = await json(n.monitor, '/jsz');
        const live = procs.filter(Boolean).length;
        const meta = jsz?.meta_cluster as { leader?: string } | undefined;
        return !!routes && (routes.num_routes as number) >= live - 1 && !!meta?.leader;
      }));
      if (states.every(Boolean)) return;
      if (Date.now() > end) {
        // Each node's state and the start of its log (where a failed start says why), then the latest lines.
        const nodeState = nodes.map((n, i) => {
          const p = procs[i];
          const state = !p ? 'stopped' : p.exitCode !== null || p.signalCode !== null ? `exited (${p.exitCode ?? p.signalCode})` : 'running';
          return `${n.name} [client ${n.client}, cluster ${n.cluster}, mqtt ${n.mqtt}, monitor ${n.monitor}]: ${state}\n${logs[i].slice(0, 1200)}`;
        });
        throw new Error(`the NATS cluster did not form in ${timeoutMs} ms:\n${nodeState.join('\n---\n')}\n--- latest:\n${logs.join('\n---\n').slice(-1500)}`);
      }
      await sleep(200);
    }
  };
  const nodeNatsUrl = (n: NatsNode) => (o.tls ? `tls://localhost:${n.client}` : `nats://127.0.0.1:${n.client}`);
  const natsUrls = nodes.map(nodeNatsUrl);
  const mqttUrls = nodes.map((n) => `mqtt://127.0.0.1:${n.mqtt}`);
  const centerStream = async (timeoutMs = 30_000) => {
    const end = Date.now() + timeoutMs;
    for (;;) {
      try {
        const nc = await connect({ servers: natsUrls, timeout: 3000, ...admin, ...(tls ? { tls } : {}) });
        try {
          await ensureCenterStream(await nc.jetstreamManager({ timeout: 5000 }), 3);
          return;
        } finally {
          await nc.close();
        }
      } catch (err) {
        if (Date.now() > end) throw new Error(`the CENTER_EVENTS stream was not made in ${timeoutMs} ms: ${(err as Error).message}`);
        await sleep(500);
      }
    }
  };
  for (let i = 0; i < 3; i++) await start(i);
  return {
    nodes,
    admin,
    center(id) {
      const a = centers.get(id);
      if (!a) throw new Error(`no account for center ${id} (startNatsCluster({ centers }))`);
      return a;
    },
    mqttUrls,
    natsUrls,
    caFile,
    tls,
    centerStream,
    kill,
    pid: (i) => {
      const p = procs[i];
      return p && p.exitCode === null && p.signalCode === null ? p.pid ?? null : null;
    },
    start,
    ready,
    log: (i) => logs[i],
    async stop() {
      for (let i = 0; i < 3; i++) await kill(i, 'SIGTERM');
      if (!o.dir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const c = await startNatsCluster();
  await c.ready();
  await c.centerStream();
  for (const n of c.nodes) console.log(`${n.name}: nats://127.0.0.1:${n.client}  mqtt://127.0.0.1:${n.mqtt}  http://127.0.0.1:${n.monitor}/jsz`);
  console.log(`operator: ${c.admin.user} / ${c.admin.pass}`);
  console.log(`demo-center: SHUBBAK_CENTRAL_NATS_USER=${c.center('demo-center').user} SHUBBAK_CENTRAL_NATS_PASSWORD=${c.center('demo-center').pass}`);
  const stop = () => void c.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
