// Device enrollment end to end (issue 10 item 5): an administrator issues a one-time code
// over the API, the real `shubbak-device enroll` process redeems it against a real hub over
// HTTP, writes the env file (0600) and restarts the unit (a recording stand-in for
// systemctl); the credentials it wrote connect to the broker and the old secret no longer
// does. A used, expired, replaced or guessed code changes nothing; 10 wrong codes from one
// address lock that address (and only it) out for 15 minutes.
import { describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import mqtt from 'mqtt';
import { startTestHub, type TestHub } from '../helpers/hub.ts';
import { signIn } from '../helpers/staff.ts';
import { CSRF_HEADER, SESSION_COOKIE } from '../../hub/auth/guard.ts';
import { FakeClock } from '../helpers/clock.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(ROOT, 'protocol/shubbak-device.ts');
const T0 = Date.UTC(2026, 10, 29, 8, 0);

type Scratch = { etc: string; systemctlLog: string; env: Record<string, string> };

/** /etc/shubbak stand-in with the keypad package's template, and a systemctl that records its arguments. */
function scratch(t: TestContext): Scratch {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shubbak-enroll-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const etc = path.join(dir, 'etc');
  fs.mkdirSync(etc);
  fs.writeFileSync(path.join(etc, 'keypad.env'), '# Shubbak keypad\n#SHUBBAK_HUB_URL=mqtt://hub:1883\n#SHUBBAK_DEVICE_ID=\nSHUBBAK_IO=sim\nSHUBBAK_KEY_PINS=2,3,4,5,6\n', { mode: 0o644 });
  const systemctlLog = path.join(dir, 'systemctl.log');
  const systemctl = path.join(dir, 'systemctl');
  fs.writeFileSync(systemctl, `#!/bin/sh\necho "$@" >> '${systemctlLog}'\n`, { mode: 0o755 });
  return { etc, systemctlLog, env: { SHUBBAK_ETC_DIR: etc, SHUBBAK_SYSTEMCTL: systemctl } };
}

function runCli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: ROOT, env: { ...process.env, ...env }, timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

async function issue(hub: TestHub, deviceId: string): Promise<{ code: string; command: string; expiresAt: number }> {
  const admin = await signIn(hub, 'admin');
  const res = await admin.inject({ method: 'POST', url: `/api/devices/${deviceId}/enrollment-code` });
  assert.equal(res.statusCode, 201, res.body);
  return res.json();
}

function canConnect(url: string, id: string, secret: string): Promise<boolean> {
  return new Promise((resolve) => {
    const c = mqtt.connect(url, { clientId: id, username: id, password: secret, protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 3000 });
    c.once('connect', () => { c.end(true); resolve(true); });
    c.once('error', () => { c.end(true); resolve(false); });
  });
}

/** POST /api/enroll from a chosen loopback address (127.0.0.x), over real TCP. */
function postEnroll(hub: TestHub, body: unknown, localAddress = '127.0.0.1'): Promise<{ status: number; body: any; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = http.request({ host: '127.0.0.1', port: hub.httpPort, path: '/api/enroll', method: 'POST', localAddress,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } }, (res) => {
      let s = '';
      res.on('data', (d) => (s += d));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(s), headers: res.headers }));
    });
    req.on('error', reject);
    req.end(data);
  });
}

const readEnv = (file: string) => Object.fromEntries(fs.readFileSync(file, 'utf8').split('\n').filter((l) => /^[A-Z_]+=/.test(l)).map((l) => l.split(/=(.*)/s).slice(0, 2)));

describe('device enrollment end to end', () => {
  test('the CLI enrolls a keypad: env file 0600 with working credentials, template kept, unit restarted; the old secret stops working', async (t) => {
    const hub = await startTestHub(t);
    const s = scratch(t);
    const oldSecret = hub.secretOf('keypad-1');
    // Over real HTTP, as the panel does: the command shown names the hub as the admin reached it.
    const admin = await signIn(hub, 'admin');
    const res = await fetch(`${hub.httpUrl}/api/devices/keypad-1/enrollment-code`, {
      method: 'POST', headers: { cookie: `${SESSION_COOKIE}=${admin.sessionToken}`, [CSRF_HEADER]: admin.csrfToken },
    });
    assert.equal(res.status, 201);
    const { code, command } = (await res.json()) as { code: string; command: string };
    assert.match(code, /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    assert.equal(command, `shubbak-device enroll ${hub.httpUrl} ${code}`);

    // The command as shown, with the code typed in lower case without its dash, as a technician might.
    const [, ...args] = command.split(' ');
    args[2] = code.replace('-', '').toLowerCase();
    const r = await runCli(args, s.env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /تم تسجيل الجهاز keypad-1/);
    const envFile = path.join(s.etc, 'keypad.env');
    assert.equal(fs.statSync(envFile).mode & 0o777, 0o600);
    const text = fs.readFileSync(envFile, 'utf8');
    assert.match(text, /^# Shubbak keypad$/m, 'comments kept');
    assert.match(text, /^SHUBBAK_KEY_PINS=2,3,4,5,6$/m, 'other settings kept');
    const env = readEnv(envFile);
    assert.equal(env.SHUBBAK_DEVICE_ID, 'keypad-1');
    assert.equal(env.SHUBBAK_HUB_URL, hub.mqttUrl, 'the broker on the host the CLI used');
    assert.equal(fs.readFileSync(s.systemctlLog, 'utf8'), 'restart shubbak-keypad.service\n');
    assert.ok(await canConnect(env.SHUBBAK_HUB_URL, 'keypad-1', env.SHUBBAK_DEVICE_SECRET), 'the written credentials connect');
    assert.equal(await canConnect(hub.mqttUrl, 'keypad-1', oldSecret), false, 'the secret from before enrollment is void');
    assert.ok(!fs.readFileSync(path.join(hub.dataDir, 'shubbak.db')).includes(env.SHUBBAK_DEVICE_SECRET), 'the secret is not stored in the clear');
    assert.ok(!fs.readFileSync(path.join(hub.dataDir, 'shubbak.db')).includes(code.replace('-', '')), 'the code is not stored in the clear');
    const audit = hub.ctx.audit.history('device', 'keypad-1').map((e) => e.action);
    assert.deepEqual(audit, ['device.enrollment_code', 'device.enroll']);

    // Used once: the same code again is refused in both languages and changes nothing.
    const again = await runCli(['enroll', hub.httpUrl, code], s.env);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /استُخدم من قبل/);
    assert.match(again.stderr, /ENROLL_CODE_USED: The enrollment code has already been used/);
    assert.equal(fs.readFileSync(envFile, 'utf8'), text, 'env file untouched');
    assert.equal(fs.readFileSync(s.systemctlLog, 'utf8'), 'restart shubbak-keypad.service\n', 'no second restart');
    assert.ok(await canConnect(hub.mqttUrl, 'keypad-1', env.SHUBBAK_DEVICE_SECRET), 'the enrolled secret still works');
  });

  test('an expired code and a replaced code are refused and change nothing', async (t) => {
    const clock = new FakeClock(T0);
    const hub = await startTestHub(t, { clock: clock.now });
    const s = scratch(t);
    const before = fs.readFileSync(path.join(s.etc, 'keypad.env'), 'utf8');
    const secret = hub.secretOf('keypad-2');

    const first = await issue(hub, 'keypad-2');
    const second = await issue(hub, 'keypad-2');
    const replaced = await runCli(['enroll', hub.httpUrl, first.code, '--no-restart'], s.env);
    assert.equal(replaced.code, 1);
    assert.match(replaced.stderr, /ENROLL_CODE_USED/, 'a code replaced by a newer one no longer works');

    clock.advance(15 * 60_000);
    const expired = await runCli(['enroll', hub.httpUrl, second.code], s.env);
    assert.equal(expired.code, 1);
    assert.match(expired.stderr, /انتهت صلاحية رمز التسجيل/);
    assert.match(expired.stderr, /ENROLL_CODE_EXPIRED/);
    assert.equal(fs.readFileSync(path.join(s.etc, 'keypad.env'), 'utf8'), before);
    assert.ok(!fs.existsSync(s.systemctlLog));
    assert.ok(await canConnect(hub.mqttUrl, 'keypad-2', secret), 'the device keeps its secret');

    // Just inside the 15 minutes, a fresh code works.
    const third = await issue(hub, 'keypad-2');
    clock.advance(15 * 60_000 - 1);
    const ok = await runCli(['enroll', hub.httpUrl, third.code], s.env);
    assert.equal(ok.code, 0, ok.stderr);
  });

  test('a code for another kind of device is refused and stays valid for the right one', async (t) => {
    const hub = await startTestHub(t);
    const s = scratch(t);
    const { code } = await issue(hub, 'kiosk-1');
    // This Pi was installed as a keypad (its package left keypad.env): the kiosk's code is not spent here.
    const wrong = await runCli(['enroll', hub.httpUrl, code], s.env);
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /ENROLL_WRONG_KIND/);
    assert.ok(!fs.existsSync(path.join(s.etc, 'kiosk.env')));
    const right = await runCli(['enroll', hub.httpUrl, code, '--role', 'kiosk'], s.env);
    assert.equal(right.code, 0, right.stderr);
    assert.equal(readEnv(path.join(s.etc, 'kiosk.env')).SHUBBAK_DEVICE_ID, 'kiosk-1');
    assert.equal(fs.statSync(path.join(s.etc, 'kiosk.env')).mode & 0o777, 0o600);
  });

  test('10 wrong codes lock that address out for 15 minutes, even with the right code; other addresses are not affected', async (t) => {
    const clock = new FakeClock(T0);
    const hub = await startTestHub(t, { clock: clock.now });
    const secret = hub.secretOf('led-1');
    const { code } = await issue(hub, 'led-1');
    const guesses = ['0000-0000', 'ZZZZ-ZZZZ', 'not a code', '1234', 'ABCD-EFGH', 'A', '!!!!-!!!!', 'QQQQ-QQQQ', '7777-7777'];
    for (const g of guesses) {
      const r = await postEnroll(hub, { code: g });
      assert.equal(r.status, 400);
      assert.equal(r.body.error.code, 'ENROLL_CODE_INVALID');
      assert.match(r.body.error.message, /رمز التسجيل غير صحيح/);
      assert.match(r.body.error.messageEn, /not valid/);
    }
    const tenth = await postEnroll(hub, { code: 'XXXX-XXXX' });
    assert.equal(tenth.body.error.code, 'ENROLL_CODE_INVALID');
    assert.equal(tenth.headers['retry-after'], '900');

    const locked = await postEnroll(hub, { code });
    assert.equal(locked.status, 429);
    assert.equal(locked.body.error.code, 'ENROLL_LOCKED');
    assert.match(locked.body.error.message, /انتظر ١٥ دقيقة/);
    assert.ok(await canConnect(hub.mqttUrl, 'led-1', secret), 'the lockout spent nothing');

    // Another address is not locked (127.0.0.2 is loopback too).
    const other = await postEnroll(hub, { code: '0000-0000' }, '127.0.0.2');
    assert.equal(other.body.error.code, 'ENROLL_CODE_INVALID');

    clock.advance(15 * 60_000 - 1000);
    assert.equal((await postEnroll(hub, { code })).body.error.code, 'ENROLL_LOCKED');
    // Fresh code after the lockout (the first one has expired by now): works.
    clock.advance(1000);
    const fresh = await issue(hub, 'led-1');
    const ok = await postEnroll(hub, { code: fresh.code });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.deviceId, 'led-1');
    assert.equal(ok.body.kind, 'display');
    assert.equal(ok.body.caCert, null);
  });

  test('enrollment routes: only an administrator issues codes; bad input gets a stable code and an Arabic message', async (t) => {
    const hub = await startTestHub(t);
    assert.equal((await hub.app.inject({ method: 'POST', url: '/api/devices/keypad-1/enrollment-code' })).statusCode, 401);
    const clerk = await signIn(hub, 'intake');
    assert.equal((await clerk.inject({ method: 'POST', url: '/api/devices/keypad-1/enrollment-code' })).statusCode, 403);
    const admin = await signIn(hub, 'admin');
    const missing = await admin.inject({ method: 'POST', url: '/api/devices/no-such/enrollment-code' });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().error.code, 'NOT_FOUND');

    const noCode = await hub.app.inject({ method: 'POST', url: '/api/enroll', payload: { kind: 'keypad' } });
    assert.equal(noCode.statusCode, 400);
    assert.equal(noCode.json().error.code, 'VALIDATION');
    assert.match(noCode.json().error.message, /[\u0600-\u06FF]/);
    const junk = await hub.app.inject({ method: 'POST', url: '/api/enroll', headers: { 'content-type': 'application/json' }, payload: '{"code":' });
    assert.equal(junk.statusCode, 400);
    const badKind = await hub.app.inject({ method: 'POST', url: '/api/enroll', payload: { code: 'ABCD-EFGH', kind: 'toaster' } });
    assert.equal(badKind.json().error.code, 'VALIDATION');
    // The hub is still fine.
    assert.equal((await hub.app.inject({ method: 'GET', url: '/api/catalog/services' })).statusCode < 500, true);
  });

  test('the CLI refuses before spending the code when it cannot write the settings, and when the hub is unreachable', async (t) => {
    const hub = await startTestHub(t);
    const s = scratch(t);
    const { code } = await issue(hub, 'keypad-3');
    const ro = path.join(path.dirname(s.etc), 'missing-dir', 'keypad.env');
    const r = await runCli(['enroll', hub.httpUrl, code, '--settings', ro], s.env);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /sudo/);
    const down = await runCli(['enroll', 'http://127.0.0.1:9', code], s.env);
    assert.equal(down.code, 1);
    assert.match(down.stderr, /تعذر الاتصال بالخادم/);
    const usage = await runCli(['enroll', 'hub', code], s.env);
    assert.equal(usage.code, 2);
    // The code was not spent by any of these.
    const ok = await runCli(['enroll', hub.httpUrl, code], s.env);
    assert.equal(ok.code, 0, ok.stderr);
  });
});
