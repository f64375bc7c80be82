// SHUBBAK_MODE=production, what the installed hub runs (issue 10, item 6): no simulator and
// no /sim, no demo data or demo staff, and the first administrator's one-time password in a
// 0600 file of the data dir — never on stdout, which the journal keeps. The built hub is
// checked the same way as a real process in tests/integration/built.test.ts.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, ConfigError } from '../../hub/config.ts';
import { startHub } from '../../hub/hub.ts';
import { firstAdminFilePath } from '../../hub/auth/first-admin.ts';
import { startTestHub, tempDataDir } from '../helpers/hub.ts';
import { signIn } from '../helpers/staff.ts';

function readFirstAdmin(dataDir: string): { username: string; password: string } {
  const text = fs.readFileSync(firstAdminFilePath(dataDir), 'utf8');
  const get = (k: string) => text.match(new RegExp(`^${k}=(.+)$`, 'm'))?.[1] ?? '';
  return { username: get('username'), password: get('password') };
}

describe('production mode', () => {
  test('production: no simulator, no /sim, no demo data or staff; the first password goes to a 0600 file, not stdout', async (t) => {
    const dataDir = tempDataDir();
    // Capture what the hub writes to stdout while it starts (its logger off, its own lines on).
    const written: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      written.push(String(chunk));
      return (write as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof process.stdout.write;
    let hub;
    try {
      hub = await startTestHub(t, { dataDir, config: { ...loadConfig({ SHUBBAK_MODE: 'production', SHUBBAK_CENTER_ID: 'test-center' }, { dataDir }), host: '127.0.0.1', httpPort: 0, mqttPort: 0, httpsPort: 0, mqttsPort: 0, logLevel: 'info', passwordCost: 12 } });
    } finally {
      process.stdout.write = write;
    }
    assert.equal(hub.ctx.config.mode, 'production');

    const file = firstAdminFilePath(dataDir);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600, 'only the hub user reads it');
    const admin = readFirstAdmin(dataDir);
    assert.equal(admin.username, 'admin');
    assert.ok(admin.password.length >= 10);
    const out = written.join('');
    assert.ok(!out.includes(admin.password), 'the password never reaches stdout');
    assert.match(out, /first-admin-password/, 'stdout says where the password is');

    // The password works once and must be changed.
    const me = await signIn({ app: hub.app, dataDir }, admin.username, admin.password);
    assert.equal(me.user.mustChangePassword, true);

    // No simulator page, no demo data: only the administrator exists.
    for (const url of ['/sim', '/sim/page.js', '/sim/events']) assert.equal((await hub.app.inject({ url })).statusCode, 404, url);
    assert.equal((await hub.app.inject({ method: 'POST', url: '/sim/press', payload: { device: 'keypad-1', key: 0 } })).statusCode, 404);
    assert.equal(hub.app.sim, undefined);
    const count = (table: string) => (hub.ctx.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    for (const table of ['devices', 'lines', 'windows', 'services', 'departments']) assert.equal(count(table), 0, `${table} is empty`);
    assert.deepEqual(hub.ctx.db.prepare('SELECT username, role FROM users').all(), [{ username: 'admin', role: 'admin' }]);
    for (const f of ['devices.json', 'staff.json']) assert.equal(fs.existsSync(path.join(dataDir, f)), false, `no ${f}`);
    // The panels are served.
    assert.equal((await hub.app.inject({ url: '/' })).statusCode, 200);

    // Once the administrator has chosen a password, the next start removes the spent file.
    const changed = await me.inject({ method: 'POST', url: '/api/auth/password', payload: { current: admin.password, next: 'Nile-Garden-Window-2026' } });
    assert.equal(changed.statusCode, 204, changed.body);
    assert.ok(fs.existsSync(file), 'kept until the next start');
    const again = await hub.restart();
    assert.equal(fs.existsSync(file), false, 'the spent password file is gone');
    assert.equal((await again.app.inject({ url: '/sim' })).statusCode, 404);
  });

  test('production refuses the simulator and the demo seed, however the settings were made', async () => {
    const dataDir = tempDataDir();
    const base = loadConfig({ SHUBBAK_MODE: 'production', SHUBBAK_CENTER_ID: 'test-center' }, { dataDir, host: '127.0.0.1', httpPort: 0, mqttPort: 0, httpsPort: 0, mqttsPort: 0, logLevel: 'silent' });
    await assert.rejects(startHub({ ...base, simulate: true }), (e: unknown) => e instanceof ConfigError && /SHUBBAK_SIMULATE/.test((e as Error).message));
    await assert.rejects(startHub({ ...base, seedDemo: true }), /SHUBBAK_SEED_DEMO/);
    assert.equal(fs.existsSync(path.join(dataDir, 'shubbak.db')), false, 'nothing was created');
  });
});
