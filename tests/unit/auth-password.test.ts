import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHook } from 'node:async_hooks';
import { generatePassword, hashPassword, passwordProblem, verifyPassword } from '../../hub/auth/password.ts';

describe('passwords', () => {
  test('scrypt hashes: salted, verifiable, parameters stored, wrong or malformed refused', async () => {
    const a = await hashPassword('Nile-River-2026', 12);
    const b = await hashPassword('Nile-River-2026', 12);
    assert.notEqual(a, b, 'a fresh salt each time');
    assert.match(a, /^scrypt\$12\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    assert.equal(await verifyPassword('Nile-River-2026', a), true);
    assert.equal(await verifyPassword('nile-river-2026', a), false);
    assert.equal(await verifyPassword('Nile-River-2026', 'plain'), false);
    assert.equal(await verifyPassword('Nile-River-2026', a.replace('scrypt$12', 'scrypt$30')), false);
    // Arabic passwords in either Unicode form verify the same.
    const ar = await hashPassword('كلمة\u0645\u0651رور', 12);
    assert.equal(await verifyPassword('كلمة\u0645\u0651رور'.normalize('NFD'), ar), true);
  });

  test('generated one-time passwords and the password policy', () => {
    const p = generatePassword();
    assert.equal(p.length, 14);
    assert.doesNotMatch(p, /[0O1lI]/);
    assert.notEqual(generatePassword(), generatePassword());
    assert.equal(passwordProblem(p, 'clerk'), null);
    assert.ok(passwordProblem('short', 'clerk'));
    assert.ok(passwordProblem('my-clerk-password', 'clerk'));
    assert.ok(passwordProblem('aaaaaaaaaaaa', 'clerk'));
  });

  test('at most two scrypt hashes run at once, so a burst of logins cannot take 32 MiB each (issue 10: memory)', async () => {
    // Each scrypt job node starts is an async resource of type SCRYPTREQUEST; its callback ends it.
    const inFlight = new Set<number>();
    let most = 0;
    const hook = createHook({
      init(id, type) {
        if (type !== 'SCRYPTREQUEST') return;
        inFlight.add(id);
        most = Math.max(most, inFlight.size);
      },
      before(id) {
        inFlight.delete(id);
      },
    }).enable();
    try {
      const hashes = await Promise.all(Array.from({ length: 8 }, (_, i) => hashPassword(`burst-password-${i}`, 12)));
      const verified = await Promise.all(hashes.map((h, i) => verifyPassword(`burst-password-${i}`, h)));
      assert.deepEqual(verified, Array(8).fill(true), 'every queued hash still completes and verifies');
      assert.equal(most, 2, `scrypt jobs in flight at once: ${most}`);
    } finally {
      hook.disable();
    }
  });
});
