// Enrollment rules (hub/domain/enrollment.ts) and the CLI's env-file edit
// (protocol/shubbak-device.ts), without a hub: code shape and reading, expiry, the
// per-address lockout, and that enrolling keeps the rest of the settings file.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EnrollThrottle, formatEnrollCode, makeEnrollCode, normalizeEnrollCode, refusal } from '../../hub/domain/enrollment.ts';
import { parseArgs, setEnvKeys } from '@shubbak/protocol/shubbak-device';

describe('enrollment rules and the device CLI', () => {
  test('codes: 8 symbols of Crockford base32, shown XXXX-XXXX, read back however they are typed', () => {
    let i = 0;
    const code = makeEnrollCode(() => i++ % 32);
    assert.equal(code, '0123456789ABCDEFGHJKMNPQRSTVWXYZ'.slice(0, 8));
    assert.equal(formatEnrollCode('ABCDEFGH'), 'ABCD-EFGH');
    assert.equal(normalizeEnrollCode('abcd-efgh'), 'ABCDEFGH');
    assert.equal(normalizeEnrollCode(' ab cd ef gh '), 'ABCDEFGH');
    assert.equal(normalizeEnrollCode('O1L1-I000'), '0111-1000'.replace('-', ''));
    assert.equal(normalizeEnrollCode('ABCD-EFG'), null, 'too short');
    assert.equal(normalizeEnrollCode('ABCD-EFGU'), null, 'U is not in the alphabet');
    assert.equal(normalizeEnrollCode('ABCD-EFGHJ'), null, 'too long');
  });

  test('a code is refused when used, replaced or 15 minutes old', () => {
    assert.equal(refusal({ expiresAt: 1000, usedAt: null, revokedAt: null }, 999), null);
    assert.equal(refusal({ expiresAt: 1000, usedAt: null, revokedAt: null }, 1000), 'ENROLL_CODE_EXPIRED');
    assert.equal(refusal({ expiresAt: 1000, usedAt: 5, revokedAt: null }, 10), 'ENROLL_CODE_USED');
    assert.equal(refusal({ expiresAt: 1000, usedAt: null, revokedAt: 5 }, 10), 'ENROLL_CODE_USED');
  });

  test('throttle: the 10th wrong code within 15 minutes locks the address for 15 minutes; older failures age out', () => {
    const th = new EnrollThrottle();
    const min = 60_000;
    for (let k = 0; k < 9; k++) assert.equal(th.fail('a', k * min), false);
    assert.equal(th.lockedFor('a', 9 * min), 0);
    // The first failure (t=0) is 15 minutes old at t=15 min: only 9 count, no lock.
    assert.equal(th.fail('a', 15 * min), false);
    assert.equal(th.fail('a', 15 * min + 1), true);
    assert.equal(th.lockedFor('a', 15 * min + 1), 15 * min);
    assert.equal(th.lockedFor('b', 15 * min + 1), 0, 'another address is free');
    assert.equal(th.lockedFor('a', 30 * min + 1), 0, 'the lock ends');
    th.succeed('a');
    assert.equal(th.fail('a', 31 * min), false);
  });

  test('the env file keeps its comments and other settings; template lines become the settings in place', () => {
    const before = '# keypad\n#SHUBBAK_HUB_URL=mqtt://hub:1883\nSHUBBAK_IO=raspi\nSHUBBAK_DEVICE_ID=old\n';
    const after = setEnvKeys(before, { SHUBBAK_HUB_URL: 'mqtt://h:1883', SHUBBAK_DEVICE_ID: 'keypad-2', SHUBBAK_DEVICE_SECRET: 's3cr3t' });
    assert.equal(after, '# keypad\nSHUBBAK_HUB_URL=mqtt://h:1883\nSHUBBAK_IO=raspi\nSHUBBAK_DEVICE_ID=keypad-2\nSHUBBAK_DEVICE_SECRET=s3cr3t\n');
  });

  test('CLI arguments: hub address and code, role and settings file optional; anything else is a usage error', () => {
    assert.deepEqual(parseArgs(['enroll', 'http://hub:8080/', 'ABCD-EFGH']), { hubUrl: 'http://hub:8080', code: 'ABCD-EFGH', restart: true });
    assert.deepEqual(parseArgs(['enroll', 'http://hub:8080', 'X', '--role', 'hall', '--no-restart', '--settings', '/tmp/h.env']),
      { hubUrl: 'http://hub:8080', code: 'X', role: 'hall', envFile: '/tmp/h.env', restart: false });
    for (const bad of [[], ['enrol', 'http://h', 'X'], ['enroll', 'http://h'], ['enroll', 'ftp://h', 'X'], ['enroll', 'http://h', 'X', '--role', 'toaster'], ['enroll', 'http://h', 'X', '--force']]) {
      assert.throws(() => parseArgs(bad), (e: { exitCode: number }) => e.exitCode === 2, JSON.stringify(bad));
    }
  });
});
