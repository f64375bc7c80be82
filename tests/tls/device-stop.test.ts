// A device program stops at any moment (issue 12 item 8, the hang that reverted it): its
// link is opened before its hardware, so it can be online, or refusing the hub's
// certificate, while the board is still opening (an Arduino unplugged; the simulator's
// modules still loading). A SIGTERM then must still end it cleanly — "offline" said by the
// device itself, exit 0 — not kill it by the signal's default action (what happened when the
// handler was installed only once the program had started: tests/tls/device-refuses.test.ts
// then waited for an exit that had already happened, and hung). And the shared runner's
// stop, or a stop while starting, settles while the link is refused or still handshaking.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DeviceLink } from '@shubbak/protocol/device-link';
import { DeviceStopped, runDevice } from '@shubbak/hardware/device-runner.ts';
import { makeCa, startTlsHub, waitUntil } from './support.ts';
import { startTestHub } from '../helpers/hub.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Settles with p, or rejects with `what` after ms (the test fails instead of hanging). */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms)))]).finally(() => clearTimeout(timer));
}

/** A runner spec with no hardware of its own: openIo as given, a machine that only counts. */
function spec(link: DeviceLink, openIo: () => Promise<{ close(): Promise<void> }>, signal?: AbortSignal) {
  return {
    link, signal, log: () => {}, initial: 0, step: (s: number) => ({ state: s + 1, effects: [] as never[] }),
    wire: (l: DeviceLink, dispatch: (e: 'ev') => void) => {
      const on = () => dispatch('ev');
      l.on('online', on);
      return () => void l.off('online', on);
    },
    openIo, effects: () => ({ run() {} }),
  };
}

describe('a device program stops at any moment', () => {
  test('a running device stops while its link is being refused (wrong CA), with its hardware closed', async (t) => {
    const hub = await startTlsHub(t);
    const other = makeCa(t);
    const link = new DeviceLink({ url: `mqtts://localhost:${hub.tls.mqttsPort}`, ca: other.ca, deviceId: 'keypad-1', secret: hub.secretOf('keypad-1'), kind: 'keypad', minReconnectMs: 100, maxReconnectMs: 300 });
    let ioClosed = false;
    const device = await runDevice(spec(link, async () => ({ close: async () => void (ioClosed = true) })));
    await within(new Promise((r) => link.once('tlsRefused', r)), 15_000, 'the refusal');
    await within(device.stop(), 5000, 'stop() while refused');
    assert.equal(ioClosed, true);
    assert.equal(link.client.disconnecting || link.client.disconnected, true, 'the client is ended, no more reconnects');
  });

  test('a stop while the hardware is still opening closes the link at once (refused, or still handshaking) and closes hardware that opens later', async (t) => {
    const hub = await startTlsHub(t);
    const other = makeCa(t);
    // A server that takes the TCP connection and never answers the TLS hello: the link stays "connecting".
    const sockets = new Set<net.Socket>();
    const mute = net.createServer((s) => void sockets.add(s));
    await new Promise<void>((r) => mute.listen(0, '127.0.0.1', r));
    t.after(() => {
      for (const s of sockets) s.destroy();
      mute.close();
    });
    const mutePort = (mute.address() as net.AddressInfo).port;
    const cases = [
      { what: 'refused', url: `mqtts://localhost:${hub.tls.mqttsPort}`, ready: (l: DeviceLink) => new Promise((r) => l.once('tlsRefused', r)) },
      { what: 'handshaking', url: `mqtts://127.0.0.1:${mutePort}`, ready: () => waitUntil('the connection held', () => sockets.size > 0, 10_000) },
    ];
    for (const c of cases) {
      const link = new DeviceLink({ url: c.url, ca: other.ca, deviceId: 'keypad-1', secret: hub.secretOf('keypad-1'), kind: 'keypad', minReconnectMs: 100, maxReconnectMs: 300 });
      const abort = new AbortController();
      let openHardware!: () => void;
      let lateClosed = false;
      const starting = runDevice(spec(link, () => new Promise((resolve) => (openHardware = () => resolve({ close: async () => void (lateClosed = true) }))), abort.signal));
      starting.catch(() => {});
      await within(c.ready(link), 15_000, `the link ${c.what}`);
      abort.abort();
      await assert.rejects(within(starting, 5000, `the start stopped while ${c.what}`), DeviceStopped);
      assert.equal(link.client.disconnecting || link.client.disconnected, true, `${c.what}: the client is ended`);
      openHardware();
      await waitUntil(`${c.what}: the late hardware closed`, () => lateClosed, 2000);
    }
  });

  test('the keypad program, online but its board not yet open, ends on the first SIGTERM with exit 0', async (t) => {
    const hub = await startTestHub(t);
    const child = spawn(process.execPath, ['--import', 'tsx', 'counter-keypad/main.ts'], {
      cwd: ROOT,
      env: {
        ...process.env, SHUBBAK_DEVICE_ID: 'keypad-1', SHUBBAK_DEVICE_SECRET: hub.secretOf('keypad-1'), SHUBBAK_HUB_URL: hub.mqttUrl,
        // An Arduino that is not there: the board keeps retrying, the program never finishes starting.
        SHUBBAK_IO: 'firmata', SHUBBAK_FIRMATA_PORT: path.join(ROOT, 'no-such-arduino'), SHUBBAK_FIRMATA_RETRY_MS: '200',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })));
    t.after(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    const online = () => (hub.ctx.db.prepare('SELECT online FROM devices WHERE id = ?').get('keypad-1') as { online: number }).online === 1;
    await waitUntil('keypad-1 online', online, 60_000).catch((err: Error) => {
      throw new Error(`${err.message}; the program said:\n${out}`);
    });
    await waitUntil('the board reported missing', () => /no-such-arduino/.test(out), 20_000);
    child.kill('SIGTERM');
    const end = await within(exited, 15_000, 'the keypad program after SIGTERM').catch((err: Error) => {
      child.kill('SIGKILL');
      throw new Error(`${err.message} (killed); it said:\n${out}`);
    });
    assert.deepEqual(end, { code: 0, signal: null }, `a clean exit, not death by the signal; it said:\n${out}`);
    await waitUntil('the hub sees it offline', () => !online(), 5000);
  });
});
