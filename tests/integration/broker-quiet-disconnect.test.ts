// Issue 15, fault 11 (first item): every normal MQTT disconnect was logged as "packet too
// large" plus an abort error (36 false warnings in 25 s). The packet guard now reports
// only a packet over the limit; a client's DISCONNECT, an end or a dropped socket is quiet.
// Real aedes, real mqtt.js clients over TCP, through the hub's guard.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import mqttPacket from 'mqtt-packet';
import { guardPacketSize } from '../../hub/broker/packet-limit.ts';

describe('normal MQTT disconnects are quiet', () => {
  test('normal disconnects raise no refusal and no client error; an over-size packet still does', async (t) => {
    const refusals: string[] = [];
    const errors: string[] = [];
    const aedes = await Aedes.createBroker();
    aedes.on('clientError', (_c, e) => errors.push(e.message));
    aedes.on('connectionError', (_c, e) => errors.push(e.message));
    const server = net.createServer((sock) => aedes.handle(guardPacketSize(sock, (e) => refusals.push(e.message))));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    t.after(() => new Promise<void>((r) => aedes.close(() => server.close(() => r()))));
    const port = (server.address() as net.AddressInfo).port;
    const settle = () => new Promise((r) => setTimeout(r, 150));

    for (let i = 0; i < 3; i++) {
      const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { reconnectPeriod: 0, clientId: `quiet-${i}` });
      await c.publishAsync('x/y', 'hello', { qos: 1 });
      await c.endAsync(); // DISCONNECT, then close
      await settle();
    }
    const forced = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { reconnectPeriod: 0, clientId: 'quiet-forced' });
    await forced.endAsync(true);
    await settle();
    assert.deepEqual(refusals, [], 'no "packet too large" for a normal disconnect');
    assert.deepEqual(errors, [], 'no abort error for a normal disconnect');

    // An over-size packet is still refused, from its header.
    const raw = net.connect(port, '127.0.0.1');
    await new Promise((r) => raw.once('connect', r));
    const closed = new Promise((r) => raw.once('close', r));
    raw.on('error', () => {});
    raw.write(mqttPacket.generate({ cmd: 'connect', clientId: 'big-one', protocolId: 'MQTT', protocolVersion: 4, clean: true, keepalive: 30 }));
    raw.write(mqttPacket.generate({ cmd: 'publish', topic: 'x', payload: Buffer.alloc(40_000), qos: 0, retain: false, dup: false }).subarray(0, 8));
    await closed;
    assert.equal(refusals.length, 1);
    assert.match(refusals[0], /more than 16384/);
  });
});
