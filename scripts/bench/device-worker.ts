// A separate device process for the benchmark (forked with IPC). Modes:
//  - issue: one kiosk sends ticket.issue one after another, reports each round trip;
//  - load: many kiosks connect (→ ready), wait for 'go', keep commands in flight for a
//    while (→ loaded), stay connected until 'stop', then report how many completed;
//  - display: a window board records when each new ticket reaches it.
import { DeviceLink } from '@shubbak/protocol/device-link';
import mqtt from 'mqtt';
import { topics, type WindowState } from '@shubbak/protocol';

type Creds = { id: string; secret: string };
type Job =
  | { mode: 'issue'; url: string; device: Creds; count: number; line: string }
  | { mode: 'load'; url: string; devices: Creds[]; seconds: number; inflight: number; lines: string[] }
  | { mode: 'display'; url: string; device: Creds; window: number };

const nowMs = () => Number(process.hrtime.bigint()) / 1e6; // CLOCK_MONOTONIC: comparable across processes
const nextMessage = () => new Promise<void>((resolve) => process.once('message', () => resolve()));

async function connect(url: string, d: Creds): Promise<DeviceLink> {
  const link = new DeviceLink({ url, deviceId: d.id, secret: d.secret, kind: 'kiosk', replyTimeoutMs: 30_000 });
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${d.id}: no hub clock`)), 20_000);
    link.once('clock', () => {
      clearTimeout(t);
      resolve();
    });
  });
  return link;
}

/** A minimal device for the load test: one connection, replies matched by id. */
async function leanDevice(url: string, d: Creds) {
  const client = mqtt.connect(url, { clientId: d.id, username: d.id, password: d.secret, protocolVersion: 4, keepalive: 60 });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  (client.stream as unknown as { setNoDelay?: (b: boolean) => void }).setNoDelay?.(true);
  let offset = 0;
  let n = 0;
  const pending = new Map<string, (ok: boolean) => void>();
  const gotClock = new Promise<void>((resolve) => {
    client.on('message', (topic, payload) => {
      const m = JSON.parse(payload.toString()) as { id?: string; ok?: boolean; at: number };
      if (topic.endsWith('/clock')) {
        offset = m.at - Date.now();
        resolve();
        return;
      }
      const p = m.id ? pending.get(m.id) : undefined;
      if (p) {
        pending.delete(m.id!);
        p(m.ok === true);
      }
    });
  });
  await client.subscribeAsync([topics.deviceReplies(d.id), topics.clock()], { qos: 1 });
  await gotClock;
  return {
    issue(line: string): Promise<boolean> {
      const id = `${d.id}-${++n}`.padEnd(8, '0');
      return new Promise((resolve) => {
        pending.set(id, resolve);
        client.publish(topics.deviceCommands(d.id), JSON.stringify({ id, type: 'ticket.issue', line, at: Date.now() + offset }), { qos: 1 });
      });
    },
    close: () => client.endAsync(),
  };
}

async function run(job: Job): Promise<unknown> {
  if (job.mode === 'issue') {
    const link = await connect(job.url, job.device);
    const samples: number[] = [];
    for (let i = 0; i < job.count; i++) {
      const t0 = nowMs();
      const r = await link.command('ticket.issue', { line: job.line });
      samples.push(nowMs() - t0);
      if (!r.ok) throw new Error(`ticket.issue failed: ${JSON.stringify(r)}`);
    }
    await link.close();
    return { samples };
  }
  if (job.mode === 'load') {
    // Lean clients: each is a connected device that hears only its replies and the clock,
    // so the figure is the hub's capacity, not this process parsing broadcasts.
    const clients = await Promise.all(job.devices.map((d) => leanDevice(job.url, d)));
    // Connected and idle: the bench reads the hub's memory with every device on line.
    process.send!({ ready: true });
    await nextMessage();
    let done = 0;
    let failed = 0;
    const end = nowMs() + job.seconds * 1000;
    const t0 = nowMs();
    await Promise.all(
      clients.flatMap((c, i) =>
        Array.from({ length: job.inflight }, async (_, k) => {
          while (nowMs() < end) {
            if (await c.issue(job.lines[(i + k) % job.lines.length])) done++;
            else failed++;
          }
        }),
      ),
    );
    const elapsed = (nowMs() - t0) / 1000;
    process.send!({ loaded: true });
    await nextMessage(); // still connected while the bench reads the memory after the load
    await Promise.all(clients.map((c) => c.close()));
    return { done, failed, elapsed };
  }
  // display: record the arrival time of each ticket on the window's retained state.
  const client = mqtt.connect(job.url, { clientId: job.device.id, username: job.device.id, password: job.device.secret, protocolVersion: 4 });
  await new Promise<void>((resolve) => client.once('connect', () => resolve()));
  (client.stream as unknown as { setNoDelay?: (b: boolean) => void }).setNoDelay?.(true);
  const arrivals: Record<string, number> = {};
  client.on('message', (_t, payload) => {
    const s = JSON.parse(payload.toString()) as WindowState;
    if (s.ticket && arrivals[s.ticket] === undefined) arrivals[s.ticket] = nowMs();
  });
  await client.subscribeAsync(topics.windowState(job.window), { qos: 1 });
  process.send!({ ready: true });
  await nextMessage();
  await client.endAsync();
  return { arrivals };
}

process.once('message', (job: Job) => {
  run(job).then(
    (result) => process.send!({ result }, () => process.exit(0)),
    (err: Error) => process.send!({ error: err.stack ?? String(err) }, () => process.exit(1)),
  );
});
