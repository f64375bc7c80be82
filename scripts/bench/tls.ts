// Bench section "tls" (issue 17): what TLS costs a device. One hub process with TLS on (its
// center CA made at start, as production does), measured on its plain loopback port and on
// its TLS port in the same run, alternately, with the same reference DeviceLink:
//   - ticket.issue round trip from a kiosk (QoS 1 command → durable commit → reply);
//   - keypad Next → the new ticket on windows/1/state seen by the window board;
//   - a new connection: TCP (+ TLS handshake) + MQTT CONNECT → CONNACK.
// Per message TLS should cost little once connected; the handshake is paid once per connection.
//   npm run bench -- --only=tls [--rounds=N]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import mqtt from 'mqtt';
import { DeviceLink } from '@shubbak/protocol/device-link';
import { loadConfig } from '../../hub/config.ts';
import { createContext } from '../../hub/context.ts';
import { seedDemoCenter, readDevicesFile } from '../../hub/db/seed.ts';
import { fmt, freePort, startHubProcess, summary, waitForPort, type Row, type Target } from './lib.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

type Mode = { name: 'plain' | 'TLS'; url: string; ca?: string };

async function link(mode: Mode, id: string, secret: string, kind: 'kiosk' | 'keypad' | 'display'): Promise<DeviceLink> {
  const l = new DeviceLink({ url: mode.url, ca: mode.ca, deviceId: id, secret, kind });
  l.on('error', () => {});
  await new Promise((r) => l.once('clock', r));
  return l;
}

async function issueRounds(mode: Mode, secret: string, rounds: number): Promise<number[]> {
  const kiosk = await link(mode, 'kiosk-1', secret, 'kiosk');
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = nowMs();
    const r = await kiosk.request('ticket.issue', { line: 'A' });
    if (!r.ok) throw new Error(`ticket.issue: ${JSON.stringify(r)}`);
    samples.push(nowMs() - t0);
  }
  await kiosk.close();
  return samples;
}

async function boardRounds(mode: Mode, creds: Map<string, string>, rounds: number): Promise<number[]> {
  const board = await link(mode, 'led-1', creds.get('led-1')!, 'display');
  const keypad = await link(mode, 'keypad-1', creds.get('keypad-1')!, 'keypad');
  const sentAt = new Map<string, number>();
  const samples: number[] = [];
  board.on('windowState', (s) => {
    const t0 = s.ticket ? sentAt.get(s.ticket) : undefined;
    if (t0 !== undefined) {
      samples.push(nowMs() - t0);
      sentAt.delete(s.ticket!);
    }
  });
  // Tickets for the window to call.
  const kiosk = await link(mode, 'kiosk-1', creds.get('kiosk-1')!, 'kiosk');
  for (let i = 0; i < rounds; i++) await kiosk.request('ticket.issue', { line: 'A' });
  await kiosk.close();
  for (let i = 0; i < rounds; i++) {
    const t0 = nowMs();
    const r = await keypad.request('window.next', {});
    if (!r.ok) break;
    sentAt.set((r.result as { ticket: string }).ticket, t0);
  }
  await new Promise((r) => setTimeout(r, 300));
  await keypad.close();
  await board.close();
  return samples;
}

async function connectRounds(mode: Mode, secret: string, rounds: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = nowMs();
    const c = mqtt.connect(mode.url, { clientId: `led-2.bench${i}`, username: 'led-2', password: secret, protocolVersion: 4, reconnectPeriod: 0, ...(mode.ca ? { ca: mode.ca } : {}) });
    await new Promise<void>((resolve, reject) => {
      c.once('connect', () => resolve());
      c.once('error', reject);
    });
    samples.push(nowMs() - t0);
    await c.endAsync(true);
  }
  return samples;
}

export async function run(env: { target: Target }): Promise<Row[]> {
  const rounds = Math.min(Number(process.argv.find((a) => a.startsWith('--rounds='))?.split('=')[1] ?? 1000), 2000);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shubbak-bench-tls-'));
  const rows: Row[] = [];
  try {
    const ctx = createContext(loadConfig({}, { dataDir, simulate: false, logLevel: 'silent' }), Date.now);
    seedDemoCenter(ctx, { mqttUrl: 'mqtt://127.0.0.1', websocketUrl: 'ws://127.0.0.1/mqtt' });
    ctx.db.close();
    ctx.metrics.stop();
    const creds = new Map(readDevicesFile(dataDir)!.devices.map((d) => [d.id, d.secret]));
    const mqttsPort = await freePort();
    const hub = await startHubProcess(ROOT, dataDir, {
      SHUBBAK_TLS: 'true', SHUBBAK_MQTTS_PORT: String(mqttsPort), SHUBBAK_HTTPS_PORT: String(await freePort()),
      SHUBBAK_TLS_NAMES: 'localhost,127.0.0.1', SHUBBAK_DEVICE_COMMANDS_PER_SEC: '0',
    }, env.target);
    try {
      await waitForPort(mqttsPort);
      const ca = fs.readFileSync(path.join(dataDir, 'tls', 'ca.pem'), 'utf8');
      const modes: Mode[] = [{ name: 'plain', url: hub.mqttUrl }, { name: 'TLS', url: `mqtts://localhost:${mqttsPort}`, ca }];
      // Warm up both paths, then measure them alternately in halves so drift hits both.
      for (const m of modes) await issueRounds(m, creds.get('kiosk-1')!, 100);
      const issue: Record<string, number[]> = { plain: [], TLS: [] };
      const board: Record<string, number[]> = { plain: [], TLS: [] };
      const connect: Record<string, number[]> = { plain: [], TLS: [] };
      for (let half = 0; half < 2; half++) {
        for (const m of half ? [...modes].reverse() : modes) {
          issue[m.name].push(...await issueRounds(m, creds.get('kiosk-1')!, rounds / 2));
          board[m.name].push(...await boardRounds(m, creds, Math.min(rounds, 500) / 2));
          connect[m.name].push(...await connectRounds(m, creds.get('led-2')!, 50));
        }
      }
      for (const [what, data] of [['ticket.issue round trip', issue], ['keypad Next → board sees the ticket', board], ['new connection to CONNACK', connect]] as const) {
        const p = summary(data.plain);
        const s = summary(data.TLS);
        rows.push({ name: `${what}, plain, p50`, value: p.p50, unit: 'ms' });
        rows.push({ name: `${what}, TLS, p50`, value: s.p50, unit: 'ms', note: `TLS/plain ${fmt(s.p50 / p.p50)}` });
        rows.push({ name: `${what}, plain, p99`, value: p.p99, unit: 'ms' });
        rows.push({ name: `${what}, TLS, p99`, value: s.p99, unit: 'ms', note: `TLS/plain ${fmt(s.p99 / p.p99)}` });
      }
    } finally {
      await hub.stop();
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true, maxRetries: 3 });
  }
  return rows;
}
