import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Duplex } from 'node:stream';
import mqttPacket from 'mqtt-packet';
import { guardPacketSize, PacketSizeGuard } from '../../hub/broker/packet-limit.ts';

function run(guard: PacketSizeGuard, chunks: Buffer[]): Promise<{ out: Buffer; error: Error | null }> {
  return new Promise((resolve) => {
    const out: Buffer[] = [];
    guard.on('data', (b: Buffer) => out.push(b));
    guard.on('error', (error) => resolve({ out: Buffer.concat(out), error }));
    guard.on('end', () => resolve({ out: Buffer.concat(out), error: null }));
    for (const c of chunks) guard.write(c);
    guard.end();
    guard.resume();
  });
}

const publish = (size: number) => mqttPacket.generate({ cmd: 'publish', topic: 't', payload: Buffer.alloc(size), qos: 0, retain: false, dup: false });

describe('the MQTT packet limit', () => {
  test('packets within the limit pass unchanged, also split across chunks and several per chunk', async () => {
    const bytes = Buffer.concat([publish(10), publish(3000), mqttPacket.generate({ cmd: 'pingreq' }), publish(200)]);
    const chunks = [bytes.subarray(0, 1), bytes.subarray(1, 3), bytes.subarray(3, 2000), bytes.subarray(2000)];
    const { out, error } = await run(new PacketSizeGuard(4096), chunks);
    assert.equal(error, null);
    assert.deepEqual(out, bytes);
  });

  test('a packet written in pieces under cork reaches the connection in one write (issue 16)', async () => {
    // A connection that counts the writes it is asked to do (each would be a write(2) on a socket).
    const writes: Buffer[][] = [];
    const conn = new Duplex({
      read() {},
      write(chunk: Buffer, _enc, done) {
        writes.push([chunk]);
        done();
      },
      writev(chunks, done) {
        writes.push(chunks.map((c) => c.chunk as Buffer));
        done();
      },
    });
    const stream = guardPacketSize(conn, () => {});
    const packet = { cmd: 'publish' as const, topic: 'shubbak/v1/devices/kiosk-1/replies', payload: Buffer.from('{"id":"abcdefgh","ok":true}'), qos: 1 as const, messageId: 7, retain: false, dup: false };
    // As aedes writes: mqtt-packet corks the stream, writes header, length, topic, id and payload, uncorks on the next tick.
    mqttPacket.writeToStream(packet, stream);
    mqttPacket.writeToStream({ cmd: 'puback', messageId: 8 }, stream);
    await new Promise((r) => setImmediate(r));
    assert.equal(writes.length, 1, `${writes.length} writes: ${writes.map((w) => w.length).join(', ')} chunks`);
    assert.deepEqual(Buffer.concat(writes[0]), Buffer.concat([mqttPacket.generate(packet), mqttPacket.generate({ cmd: 'puback', messageId: 8 })]));
    stream.destroy();
  });

  test('a packet over the limit is refused from its header alone', async () => {
    const big = publish(5000);
    const { error } = await run(new PacketSizeGuard(4096), [publish(10), big.subarray(0, 4)]);
    assert.match(String(error), /more than 4096/);
    const { error: bad } = await run(new PacketSizeGuard(4096), [Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x7f])]);
    assert.match(String(bad), /malformed/);
  });
});
