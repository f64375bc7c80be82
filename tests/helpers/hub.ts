// Starts a real hub for a test: a fresh data dir with a real SQLite file, the embedded
// broker on an ephemeral TCP port, HTTP on another, the demo center seeded. Devices
// connect with the credentials the seed wrote, as real mqtt.js clients.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { Socket } from 'node:net';
import mqtt, { type MqttClient } from 'mqtt';
import { DeviceLink, type DeviceLinkOptions } from '@shubbak/protocol/device-link';
import type { DeviceKind } from '@shubbak/protocol';
import { loadConfig, type HubConfig } from '../../hub/config.ts';
import { startHub, type RunningHub, type StartOptions } from '../../hub/hub.ts';
import { readDevicesFile } from '../../hub/db/seed.ts';
import type { Clock } from '../../hub/domain/time.ts';

export type TestHub = RunningHub & {
  dataDir: string;
  secretOf(id: string): string;
  /** A DeviceLink connected as the device, closed when the test ends. */
  device(id: string, opts?: Partial<DeviceLinkOptions>): Promise<DeviceLink>;
  /** A raw mqtt.js client (for malformed payloads and ACL probes), closed when the test ends. */
  rawClient(opts: mqtt.IClientOptions): Promise<MqttClient>;
  /** Stop this hub and start a new one on the same data dir (same ports are not kept). */
  restart(): Promise<TestHub>;
};

export function tempDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'shubbak-test-'));
}

/** The process's open TCP sockets, local → remote, for the message of a stop that hangs. */
function openSockets(): string {
  const handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles();
  return handles.filter((h): h is Socket => h instanceof Socket && !!h.remotePort)
    .map((h) => `${h.localPort}→${h.remotePort}${h.readyState === 'open' ? '' : ` ${h.readyState}`}`).join(', ') || 'no sockets';
}

/** How long a test hub may take to stop before the test fails (it takes well under 1 s). */
const STOP_LIMIT_MS = 30_000;

export async function startTestHub(
  t: TestContext,
  opts: { clock?: Clock; dataDir?: string; config?: Partial<HubConfig>; logger?: StartOptions['logger'] } = {},
): Promise<TestHub> {
  const dataDir = opts.dataDir ?? tempDataDir();
  const config = loadConfig({}, { dataDir, host: '127.0.0.1', httpPort: 0, mqttPort: 0, httpsPort: 0, mqttsPort: 0, simulate: false, logLevel: 'silent', passwordCost: 12, ...opts.config });
  const hub = await startHub(config, { clock: opts.clock, logger: opts.logger });
  const creds = readDevicesFile(dataDir);
  const closers: (() => Promise<unknown>)[] = [];
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    for (const c of closers.reverse()) await c().catch(() => {});
    // A stop that waits on a connection nothing will end (a live stream reopened after the
    // feeds closed) hung CI for its whole 90 minutes: here it fails the test instead.
    let timer: NodeJS.Timeout | undefined;
    const stuck = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the hub did not stop within ${STOP_LIMIT_MS / 1000} s: a connection or stream was left open (${openSockets()})`)), STOP_LIMIT_MS);
    });
    try {
      await Promise.race([hub.close(), stuck]);
    } finally {
      clearTimeout(timer);
    }
  };
  t.after(close);
  const secretOf = (id: string) => {
    const d = creds?.devices.find((x) => x.id === id);
    if (!d) throw new Error(`no credentials for ${id}`);
    return d.secret;
  };
  const testHub: TestHub = {
    ...hub,
    close,
    dataDir,
    secretOf,
    async device(id, o = {}) {
      const kind = (creds?.devices.find((x) => x.id === id)?.kind ?? 'kiosk') as DeviceKind;
      const link = new DeviceLink({ url: hub.mqttUrl, deviceId: id, secret: secretOf(id), kind, minReconnectMs: 100, maxReconnectMs: 500, ...o });
      closers.push(() => link.close());
      // A link error (a reset socket) is reported and the link reconnects on its own, as the
      // device programs log it (hardware/device-runner.ts); an EventEmitter 'error' with no
      // listener would end the whole test process instead.
      link.on('error', (err: Error) => console.error(`${id} link: ${err.message}`));
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${id} did not get the hub clock`)), 5000);
        link.once('clock', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      return link;
    },
    async rawClient(o) {
      const client = mqtt.connect(hub.mqttUrl, { protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 3000, ...o });
      closers.push(() => client.endAsync(true));
      await new Promise<void>((resolve, reject) => {
        client.once('connect', () => resolve());
        client.once('error', reject);
      });
      return client;
    },
    async restart() {
      await close();
      return startTestHub(t, { ...opts, dataDir });
    },
  };
  return testHub;
}

/** Resolve with the first message on a topic that satisfies pred. */
export function nextMessage<T = unknown>(client: MqttClient, topic: string, pred: (m: T) => boolean = () => true, timeoutMs = 3000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off('message', on);
      reject(new Error(`no message on ${topic} within ${timeoutMs} ms`));
    }, timeoutMs);
    const on = (t: string, payload: Buffer) => {
      if (t !== topic || !payload.length) return;
      const m = JSON.parse(payload.toString()) as T;
      if (!pred(m)) return;
      clearTimeout(timer);
      client.off('message', on);
      resolve(m);
    };
    client.on('message', on);
  });
}

/** Records every message a client receives, so a test can wait for one that may already have come. */
export class Recorder {
  readonly seen: { topic: string; payload: unknown }[] = [];
  private waiters: { topic: string; pred: (m: never) => boolean; resolve: (m: unknown) => void }[] = [];
  constructor(client: MqttClient) {
    client.on('message', (topic, payload) => {
      if (!payload.length) return;
      const m = JSON.parse(payload.toString()) as unknown;
      this.seen.push({ topic, payload: m });
      this.waiters = this.waiters.filter((w) => {
        if (w.topic !== topic || !w.pred(m as never)) return true;
        w.resolve(m);
        return false;
      });
    });
  }
  /** The first message on topic (already seen or still to come) that satisfies pred. */
  waitFor<T>(topic: string, pred: (m: T) => boolean = () => true, timeoutMs = 3000): Promise<T> {
    const hit = this.seen.find((s) => s.topic === topic && pred(s.payload as T));
    if (hit) return Promise.resolve(hit.payload as T);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no message on ${topic} within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({ topic, pred: pred as (m: never) => boolean, resolve: (m) => { clearTimeout(timer); resolve(m as T); } });
    });
  }
  /** The newest message seen on topic. */
  last<T>(topic: string): T | undefined {
    for (let i = this.seen.length - 1; i >= 0; i--) if (this.seen[i].topic === topic) return this.seen[i].payload as T;
    return undefined;
  }
}
