// A separate device process for the benchmark (forked with IPC). Modes:
//  - issue: one kiosk connects (→ ready), then for each { block: n } sends n ticket.issue
//    one after another and answers { samples } (each round trip), until 'stop';
//  - bare: a requester and an echo client on one broker (the hub's, or mosquitto as the
//    reference): for each { block: n }, n QoS 1 request/reply round trips → { samples };
//  - load: many kiosks connect (→ ready), wait for 'go', then either keep commands in flight
//    for a while (→ loaded) or, with `rate`, each sends `rate` commands a second until 'stop';
//    stay connected until 'stop', then report how many completed;
//  - display: a window board records when each new ticket reaches it.
// The block modes let the bench interleave the hub and the reference in blocks, so noise on
// the machine hits both alike.
import fs from 'node:fs';
import { DeviceLink } from '@shubbak/protocol/device-link';
import mqtt from 'mqtt';
import { topics, type WindowState } from '@shubbak/protocol';

type Creds = { id: string; secret: string };
type Job =
  | { mode: 'issue'; url: string; device: Creds; line: string }
  | { mode: 'bare'; url: string; requester: Creds | null; echo: Creds | null }
  | { mode: 'load'; url: string; ca?: string; devices: Creds[]; seconds: number; inflight: number; lines: string[]; rate?: number }
  | { mode: 'display'; url: string; device: Creds; window: number };

const nowMs = () => Number(process.hrtime.bigint()) / 1e6; // CLOCK_MONOTONIC: comparable across processes
const nextMessage = () => new Promise<void>((resolve) => process.once('message', () => resolve()));

/** Answer { block: n } with { samples } from `round` run n times, until { stop }. */
async function serveBlocks(round: (i: number) => Promise<number>): Promise<void> {
  process.send!({ ready: true });
  let i = 0;
  for (;;) {
    const m = await new Promise<{ block?: number; stop?: boolean }>((resolve) => process.once('message', resolve));
    if (m.stop || !m.block) return;
    const samples: number[] = [];
    for (let k = 0; k < m.block; k++) samples.push(await round(i++));
    process.send!({ samples });
  }
}

async function plainClient(url: string, clientId: string, creds: Creds | null): Promise<mqtt.MqttClient> {
  const c = mqtt.connect(url, { clientId, protocolVersion: 4, ...(creds ? { username: creds.id, password: creds.secret } : {}) });
  await new Promise<void>((resolve, reject) => {
    c.once('connect', () => resolve());
    c.once('error', reject);
  });
  (c.stream as unknown as { setNoDelay?: (b: boolean) => void }).setNoDelay?.(true);
  return c;
}

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
async function leanDevice(url: string, d: Creds, ca?: string) {
  const client = mqtt.connect(url, { clientId: d.id, username: d.id, password: d.secret, protocolVersion: 4, keepalive: 60, ...(ca ? { ca } : {}) });
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
    // BENCH_TRACE_ISSUE=file: each round trip's start (CLOCK_MONOTONIC ms) and duration, to set
    // beside the hub's own timeline (scripts/bench/tail-probe.mjs).
    const trace: [number, number][] | null = process.env.BENCH_TRACE_ISSUE ? [] : null;
    await serveBlocks(async () => {
      const t0 = nowMs();
      const r = await link.request('ticket.issue', { line: job.line });
      const t = nowMs() - t0;
      trace?.push([t0, t]);
      if (!r.ok) throw new Error(`ticket.issue failed: ${JSON.stringify(r)}`);
      return t;
    });
    await link.close();
    if (trace) fs.writeFileSync(process.env.BENCH_TRACE_ISSUE!, JSON.stringify(trace));
    return {};
  }
  if (job.mode === 'bare') {
    // requester → broker → echo → broker → requester, QoS 1 both ways.
    const tag = `${process.pid}`;
    const req = await plainClient(job.url, job.requester ? `${job.requester.id}.bench-req${tag}` : `bench-req-${tag}`, job.requester);
    const echo = await plainClient(job.url, job.echo ? `${job.echo.id}.bench-echo${tag}` : `bench-echo-${tag}`, job.echo);
    const ping = `bench/${tag}/ping`;
    const pong = `bench/${tag}/pong`;
    await echo.subscribeAsync(ping, { qos: 1 });
    echo.on('message', (_t, p) => echo.publish(pong, p, { qos: 1 }));
    await req.subscribeAsync(pong, { qos: 1 });
    let waiting: { body: string; resolve: () => void } | null = null;
    req.on('message', (_t, p) => {
      if (waiting && p.toString() === waiting.body) waiting.resolve();
    });
    await serveBlocks(async (i) => {
      const body = JSON.stringify({ id: `ping-${i}`, at: Date.now() });
      const t0 = nowMs();
      await new Promise<void>((resolve) => {
        waiting = { body, resolve };
        req.publish(ping, body, { qos: 1 });
      });
      waiting = null;
      return nowMs() - t0;
    });
    await req.endAsync();
    await echo.endAsync();
    return {};
  }
  if (job.mode === 'load') {
    // Lean clients: each is a connected device that hears only its replies and the clock,
    // so the figure is the hub's capacity, not this process parsing broadcasts.
    const clients = await Promise.all(job.devices.map((d) => leanDevice(job.url, d, job.ca)));
    // Connected and idle: the bench reads the hub's memory with every device on line.
    process.send!({ ready: true });
    await nextMessage();
    let done = 0;
    let failed = 0;
    if (job.rate) {
      // Open loop: each device sends `rate` commands a second (evenly, from a random phase)
      // whatever the replies do, until 'stop'; then the replies still due are awaited.
      const t0 = nowMs();
      const inFlight = new Set<Promise<void>>();
      // Each background command's own round trip: thousands of samples, where the measured
      // client's blocks give hundreds (the tail's figure with less noise).
      const latencies: number[] = [];
      const period = 1000 / job.rate;
      const timers = clients.map((c, i) => {
        let k = 0;
        const fire = () => {
          const sent = nowMs();
          const p = c.issue(job.lines[(i + k++) % job.lines.length]).then((ok) => {
            if (ok) done++;
            else failed++;
            latencies.push(nowMs() - sent);
            inFlight.delete(p);
          });
          inFlight.add(p);
        };
        let iv: NodeJS.Timeout | undefined;
        const start = setTimeout(() => {
          fire();
          iv = setInterval(fire, period);
        }, Math.random() * period);
        return () => {
          clearTimeout(start);
          if (iv) clearInterval(iv);
        };
      });
      await nextMessage();
      for (const stop of timers) stop();
      const elapsed = (nowMs() - t0) / 1000;
      await Promise.race([Promise.all(inFlight), new Promise((r) => setTimeout(r, 10_000))]);
      failed += inFlight.size; // never answered
      await Promise.all(clients.map((c) => c.close()));
      return { done, failed, elapsed, latencies };
    }
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

// A bench that died takes its workers with it (no orphans sending into a dead hub).
process.once('disconnect', () => process.exit(1));

process.once('message', (job: Job) => {
  run(job).then(
    (result) => process.send!({ result }, () => process.exit(0)),
    (err: Error) => process.send!({ error: err.stack ?? String(err) }, () => process.exit(1)),
  );
});
