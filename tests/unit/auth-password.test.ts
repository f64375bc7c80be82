import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generatePassword, hashPassword, passwordProblem, verifyPassword } from '../../hub/auth/password.ts';

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
