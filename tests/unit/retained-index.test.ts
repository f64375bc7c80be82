// The broker's retained-message index (hub/broker/retained-index.ts) against aedes-persistence's
// own scan: the same messages, in the same order, for every filter, after any sequence of
// stores, replacements and removals — checked on random topics with empty levels, '$' topics
// and both wildcards, then on the shapes a center uses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Readable } from 'node:stream';
import aedesPersistence from 'aedes-persistence';
import { indexRetained, type RetainedPersistence } from '../../hub/broker/retained-index.ts';

async function topicsOf(stream: Readable): Promise<string[]> {
  const out: string[] = [];
  for await (const p of stream) out.push(`${(p as { topic: string }).topic}=${String((p as { payload: Buffer }).payload)}`);
  return out;
}

async function persistence(): Promise<RetainedPersistence & { setup(b: unknown): Promise<void> }> {
  // aedes' own default: the in-memory persistence (a CommonJS factory).
  const memory = aedesPersistence as unknown as () => RetainedPersistence & { setup(b: unknown): Promise<void> };
  const p = memory();
  await p.setup({ id: 'test' });
  return p;
}

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('the index finds what the persistence\'s scan finds, in its order, for random topics and filters', async () => {
  const words = ['a', 'b', 'c', '', '$SYS', 'shubbak'];
  for (const seed of [1, 2, 3, 4, 5]) {
    const rnd = random(seed);
    const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
    const topic = () => Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => pick(words)).join('/');
    const plain = await persistence();
    const indexed = await persistence();
    const index = indexRetained(indexed);
    for (let i = 0; i < 400; i++) {
      const packet = { topic: topic(), payload: Buffer.from(rnd() < 0.25 ? '' : String(i)), qos: 1, retain: true, cmd: 'publish' };
      await plain.storeRetained(packet);
      await indexed.storeRetained(packet);
      if (i % 20 !== 19) continue;
      for (let k = 0; k < 30; k++) {
        const filter = Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => pick([...words, '+', '+', '#'])).join('/');
        assert.deepEqual(await topicsOf(indexed.createRetainedStream(filter)), await topicsOf(plain.createRetainedStream(filter)), `seed ${seed}, filter "${filter}"`);
      }
      const filters = [pick(['#', 'a/#', '+/b', 'a/+']), topic()];
      assert.deepEqual(await topicsOf(indexed.createRetainedStreamCombi(filters)), await topicsOf(plain.createRetainedStreamCombi(filters)), `seed ${seed}, filters ${filters.join(' ')}`);
    }
    assert.equal(index.size, (await topicsOf(plain.createRetainedStream('#'))).length);
  }
});

test('a center\'s shapes: exact topics, a device\'s own branch, every status; removals prune the tree', async () => {
  const p = await persistence();
  const index = indexRetained(p);
  const put = (topic: string, payload: string) => p.storeRetained({ topic, payload: Buffer.from(payload) });
  for (let d = 1; d <= 200; d++) {
    await put(`shubbak/devices/keypad-${d}/status`, 'online');
    await put(`shubbak/devices/keypad-${d}/config`, `{"window":${d}}`);
    await put(`shubbak/windows/${d}/state`, 'idle');
  }
  await put('shubbak/clock', 'now');
  await put('shubbak/devices/keypad-7/status', 'offline'); // replaced: keeps its place
  assert.equal(index.size, 601);
  assert.deepEqual(await topicsOf(p.createRetainedStream('shubbak/windows/7/state')), ['shubbak/windows/7/state=idle']);
  assert.deepEqual(await topicsOf(p.createRetainedStream('shubbak/devices/keypad-7/+')), ['shubbak/devices/keypad-7/status=offline', 'shubbak/devices/keypad-7/config={"window":7}']);
  const statuses = await topicsOf(p.createRetainedStream('shubbak/devices/+/status'));
  assert.equal(statuses.length, 200);
  assert.equal(statuses[6], 'shubbak/devices/keypad-7/status=offline');
  for (let d = 1; d <= 200; d++) await put(`shubbak/devices/keypad-${d}/status`, '');
  assert.equal(index.size, 401);
  assert.deepEqual(await topicsOf(p.createRetainedStream('shubbak/devices/+/status')), []);
  assert.equal((await topicsOf(p.createRetainedStream('#'))).length, 401);
});
