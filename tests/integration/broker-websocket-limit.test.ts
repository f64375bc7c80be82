// Issue 15, fault 4: memory exhaustion over WebSocket before sign-in. The 16 KiB MQTT
// packet guard only sees bytes after the WebSocket library has reassembled a whole
// message, and ws's default limit is 100 MiB: 8 connections that never sent CONNECT took
// the hub from 150 to 642 MiB. The limit now sits in the WebSocket server itself, which
// reads the announced length from the frame header and closes (1009) before buffering.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import crypto from 'node:crypto';
import { startTestHub } from '../helpers/hub.ts';

/** A raw WebSocket handshake on /mqtt; resolves with the socket once upgraded. */
function upgrade(port: number, path = '/mqtt'): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('error', reject);
    s.once('connect', () => {
      s.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n`
        + `Sec-WebSocket-Key: ${crypto.randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: mqtt\r\n\r\n`);
    });
    let head = '';
    const onData = (b: Buffer) => {
      head += b.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      s.off('data', onData);
      if (!head.startsWith('HTTP/1.1 101')) return reject(new Error(head.split('\r\n')[0]));
      resolve(s);
    };
    s.on('data', onData);
  });
}

/** The header of one masked binary frame that announces `length` payload bytes. */
function frameHeader(length: number): Buffer {
  const h = Buffer.alloc(14);
  h[0] = 0x82; // FIN + binary
  h[1] = 0x80 | 127; // masked, 64-bit length
  h.writeBigUInt64BE(BigInt(length), 2);
  crypto.randomFillSync(h, 10, 4); // the mask key
  return h;
}

describe('MQTT over WebSocket before sign-in is bounded', () => {
  test('a WebSocket frame announcing 64 MiB is refused from its header, before the hub buffers it', async (t) => {
    const hub = await startTestHub(t);
    const sockets: net.Socket[] = [];
    t.after(() => sockets.forEach((s) => s.destroy()));
    const closed: Promise<number>[] = [];
    for (let i = 0; i < 4; i++) {
      const s = await upgrade(hub.httpPort);
      sockets.push(s);
      closed.push(new Promise((resolve) => {
        const started = Date.now();
        s.on('close', () => resolve(Date.now() - started));
        s.on('error', () => {});
        s.resume();
      }));
      s.write(frameHeader(64 * 1024 * 1024));
      // 1 MiB of the announced 64 MiB: a server that buffers messages up to 100 MiB keeps waiting.
      s.write(crypto.randomBytes(1024 * 1024));
    }
    const timeout = new Promise<'open'>((resolve) => setTimeout(() => resolve('open'), 3000).unref());
    for (const c of closed) {
      const r = await Promise.race([c, timeout]);
      assert.notEqual(r, 'open', 'the hub must close a connection whose frame announces more than its limit');
    }
  });

  test('an upgrade to any other path is answered and closed, not left hanging', async (t) => {
    const hub = await startTestHub(t);
    await assert.rejects(upgrade(hub.httpPort, '/not-mqtt'), /HTTP\/1.1 404/);
  });

  test('ordinary MQTT over WebSocket still works under the limit', async (t) => {
    const hub = await startTestHub(t);
    const { default: mqtt } = await import('mqtt');
    const c = await mqtt.connectAsync(`ws://127.0.0.1:${hub.httpPort}/mqtt`, { clientId: 'kiosk-1.ws', username: 'kiosk-1', password: hub.secretOf('kiosk-1'), reconnectPeriod: 0 });
    t.after(() => c.endAsync(true));
    // A 4 KiB payload (the contract's maximum) passes.
    await c.publishAsync('shubbak/v1/devices/kiosk-1/health', JSON.stringify({ printer: 'ok', pad: 'x'.repeat(3900) }), { qos: 1 });
    assert.equal(c.connected, true);
  });
});
