// A stopping hub is not held by a connection that never became a client (hub/ops/sockets.ts).
// Found in CI on 1 Dec 2026: a test hub took over 30 s to stop in
// tests/tls/chromium-https.test.ts, held by a browser's spare HTTPS connection. Here, on each
// listener, a TCP connection that never sends a byte (a port scan, a half-open link, a device
// that died mid-handshake): before the fix the HTTPS and MQTTS listeners waited for the TLS
// handshake timeout and the plain MQTT one for aedes' CONNECT timeout (10 s each; measured
// 10.01 s), and a connection that got through its handshake just as the stop began waited
// for HTTP keep-alive (72 s); now the hub stops within its grace for requests in flight (2 s).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startTestHub, type TestHub } from '../helpers/hub.ts';

/** Above the 2 s grace, below the 10 s timeouts that used to end the connection. */
const BOUND_MS = 5_000;

const ports: [string, (hub: TestHub) => number][] = [
  ['HTTPS', (hub) => hub.tls!.httpsPort],
  ['MQTTS', (hub) => hub.tls!.mqttsPort],
  ['MQTT', (hub) => Number(new URL(hub.mqttUrl).port)],
  ['HTTP', (hub) => Number(new URL(hub.httpUrl).port)],
];

describe('the hub stops while a connection says nothing', () => {
  for (const [name, port] of ports) {
    test(`a silent TCP connection to the ${name} listener does not hold the stop`, { timeout: 60_000 }, async (t) => {
      const hub = await startTestHub(t, { config: { tls: true } });
      const socket = net.connect(port(hub), '127.0.0.1');
      t.after(() => socket.destroy());
      socket.on('error', () => {});
      await new Promise((resolve) => socket.once('connect', resolve));
      const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      let timer: NodeJS.Timeout | undefined;
      const outcome = await Promise.race([
        hub.close().then(() => 'stopped'),
        new Promise<string>((resolve) => { timer = setTimeout(() => resolve('still stopping'), BOUND_MS); }),
      ]);
      clearTimeout(timer);
      assert.equal(outcome, 'stopped', `the hub was still stopping after ${BOUND_MS / 1000} s`);
      await ended; // the hub ended the connection; the client did not
    });
  }
});
