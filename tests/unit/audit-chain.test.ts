import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalJson, entryHash, GENESIS_HASH, verifyChain, type ChainedEntry } from '../../hub/domain/audit-chain.ts';

function chain(n: number): ChainedEntry[] {
  const out: ChainedEntry[] = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const e = { id: i, at: 1000 + i, actor: `user:${i}`, action: 'x.update', entity: 'x', entityId: String(i), before: { a: i }, after: { a: i + 1, b: [1, { z: 1, y: 2 }] } };
    const hash = entryHash(prev, e);
    out.push({ ...e, prevHash: prev, hash });
    prev = hash;
  }
  return out;
}

describe('the audit hash chain', () => {
  test('canonical JSON sorts keys at every level', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [2, { y: 1, x: 0 }], c: null } }), '{"a":{"c":null,"d":[2,{"x":0,"y":1}]},"b":1}');
    assert.equal(canonicalJson({ a: undefined, b: 'ش' }), '{"b":"ش"}');
  });

  test('an intact chain verifies', () => {
    const v = verifyChain(chain(5));
    assert.deepEqual(v, { ok: true, count: 5, lastHash: chain(5)[4].hash });
    assert.deepEqual(verifyChain([]), { ok: true, count: 0, lastHash: GENESIS_HASH });
  });

  test('changing, removing or reordering an entry is detected', () => {
    const changed = chain(5);
    changed[2] = { ...changed[2], after: { a: 999 } };
    assert.deepEqual(verifyChain(changed), { ok: false, count: 2, brokenAt: 3, reason: 'hash' });

    const removed = chain(5);
    removed.splice(1, 1);
    assert.deepEqual(verifyChain(removed), { ok: false, count: 1, brokenAt: 3, reason: 'prev_hash' });

    const swapped = chain(3);
    [swapped[1], swapped[2]] = [swapped[2], swapped[1]];
    assert.equal(verifyChain(swapped).ok, false);

    // Rewriting one entry and its own hash still breaks the next link.
    const rehashed = chain(4);
    const e = { ...rehashed[1], actor: 'user:evil' };
    rehashed[1] = { ...e, hash: entryHash(e.prevHash, e) };
    assert.deepEqual(verifyChain(rehashed), { ok: false, count: 2, brokenAt: 3, reason: 'prev_hash' });
  });
});
