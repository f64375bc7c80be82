import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mqttPacket from 'mqtt-packet';
import { PacketSizeGuard } from '../../hub/broker/packet-limit.ts';

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

  test('a packet over the limit is refused from its header alone', async () => {
    const big = publish(5000);
    const { error } = await run(new PacketSizeGuard(4096), [publish(10), big.subarray(0, 4)]);
    assert.match(String(error), /more than 4096/);
    const { error: bad } = await run(new PacketSizeGuard(4096), [Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x7f])]);
    assert.match(String(bad), /malformed/);
  });
});
