// Issue 16 item 3: the PUBACK of a device's command leaves with the command's reply, in one
// write after the commit (hub/broker/ack-hold.ts), instead of a write of its own before the
// command is even handed on. A connection that does not take its replies still gets its
// PUBACK, a moment later. Real hub, a raw MQTT connection over TCP that records each read.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import mqttPacket from 'mqtt-packet';
import { topics } from '@shubbak/protocol';
import { startTestHub, type TestHub } from '../helpers/hub.ts';

type Seen = { cmd: string; read: number; topic?: string; messageId?: number };

async function rawDevice(hub: TestHub, id: string, clientId = id) {
  const sock = net.connect(hub.mqttPort, '127.0.0.1');
  sock.setNoDelay(true);
  await new Promise((r) => sock.once('connect', r));
  const parser = mqttPacket.parser({ protocolVersion: 4 });
  const seen: Seen[] = [];
  let reads = 0;
  parser.on('packet', (p: mqttPacket.Packet) => seen.push({ cmd: p.cmd, read: reads, topic: (p as { topic?: string }).topic, messageId: (p as { messageId?: number }).messageId }));
  sock.on('data', (b) => {
    reads++;
    parser.parse(b);
  });
  const send = (p: mqttPacket.Packet) => sock.write(mqttPacket.generate(p));
  const until = async (pred: () => boolean, ms = 3000) => {
    const end = Date.now() + ms;
    while (!pred()) {
      if (Date.now() > end) throw new Error(`timed out; seen ${JSON.stringify(seen)}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  send({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clean: true, clientId, keepalive: 60, username: id, password: Buffer.from(hub.secretOf(id)) });
  await until(() => seen.some((p) => p.cmd === 'connack'));
  return { sock, seen, send, until };
}

describe('a command’s PUBACK goes with its reply', () => {
  test('the PUBACK and the reply arrive in one read, the PUBACK first; without a reply subscription the PUBACK still comes', async (t) => {
    const hub = await startTestHub(t);
    const d = await rawDevice(hub, 'kiosk-1');
    t.after(() => d.sock.destroy());
    d.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: topics.deviceReplies('kiosk-1'), qos: 1 }] });
    await d.until(() => d.seen.some((p) => p.cmd === 'suback'));
    for (let i = 0; i < 5; i++) {
      const messageId = 100 + i;
      d.send({ cmd: 'publish', topic: topics.deviceCommands('kiosk-1'), qos: 1, messageId, retain: false, dup: false,
        payload: Buffer.from(JSON.stringify({ id: `ackreply-${i}`, type: 'ticket.issue', line: 'A', at: Date.now() })) });
      await d.until(() => d.seen.some((p) => p.cmd === 'publish' && p.topic === topics.deviceReplies('kiosk-1') && p.read > 0 && !d.seen.slice(d.seen.indexOf(p) + 1).length && d.seen.some((a) => a.cmd === 'puback' && a.messageId === messageId)));
      const ack = d.seen.find((p) => p.cmd === 'puback' && p.messageId === messageId)!;
      const reply = d.seen.filter((p) => p.cmd === 'publish' && p.topic === topics.deviceReplies('kiosk-1')).at(-1)!;
      assert.equal(ack.read, reply.read, `PUBACK ${messageId} came in read ${ack.read}, its reply in read ${reply.read}`);
      assert.ok(d.seen.indexOf(ack) < d.seen.indexOf(reply), 'the PUBACK first');
      d.send({ cmd: 'puback', messageId: reply.messageId });
    }

    // A connection of the same device that does not subscribe to its replies still gets its PUBACK.
    const other = await rawDevice(hub, 'kiosk-1', 'kiosk-1.other');
    t.after(() => other.sock.destroy());
    const at = Date.now();
    other.send({ cmd: 'publish', topic: topics.deviceCommands('kiosk-1'), qos: 1, messageId: 9, retain: false, dup: false,
      payload: Buffer.from(JSON.stringify({ id: 'ackreply-other', type: 'ticket.issue', line: 'A', at: Date.now() })) });
    await other.until(() => other.seen.some((p) => p.cmd === 'puback' && p.messageId === 9), 2000);
    assert.ok(Date.now() - at < 1000);
  });
});
