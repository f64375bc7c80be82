// Enrollment over HTTPS hands the device the center CA (issue 17): the administrator's
// command, fetched over HTTPS, carries the CA's fingerprint; the real `shubbak-device
// enroll` process checks the hub's CA against it before sending the code, saves the CA,
// and writes an mqtts:// address; the device program's settings then connect over TLS,
// verified. A wrong fingerprint sends nothing: the code stays unused.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDeviceEnv } from '@shubbak/protocol/device-env';
import { DeviceLink } from '@shubbak/protocol/device-link';
import { signIn } from '../helpers/staff.ts';
import { CSRF_HEADER, SESSION_COOKIE } from '../../hub/auth/guard.ts';
import { startTlsHub, waitUntil } from './support.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(ROOT, 'protocol/shubbak-device.ts');

function cli(args: string[], env: Record<string, string>): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: ROOT, env: { ...process.env, ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: `${stdout}${stderr}` });
    });
  });
}

describe('enrollment over HTTPS hands over the center CA', () => {
  test('shubbak-device enroll over HTTPS pins the center CA, saves it, and the device connects over mqtts', async (t) => {
    const hub = await startTlsHub(t);
    const ca = fs.readFileSync(hub.caFile, 'utf8');
    const admin = await signIn(hub, 'admin');
    const issue = () => new Promise<{ command: string; caSha256: string; code: string }>((resolve, reject) => {
      const req = https.request(`https://localhost:${hub.tls.httpsPort}/api/devices/keypad-1/enrollment-code`, {
        method: 'POST', ca, headers: { cookie: `${SESSION_COOKIE}=${admin.sessionToken}`, [CSRF_HEADER]: admin.csrfToken },
      }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => (res.statusCode === 201 ? resolve(JSON.parse(body)) : reject(new Error(`${res.statusCode} ${body}`))));
      });
      req.on('error', reject);
      req.end();
    });

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shubbak-enroll-tls-'));
    t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const envFile = path.join(dir, 'keypad.env');
    fs.writeFileSync(envFile, 'SHUBBAK_IO=sim\n', { mode: 0o600 });
    const env = { SHUBBAK_ETC_DIR: dir };

    // A wrong fingerprint: refused before the code is sent — the code still works afterwards.
    const first = await issue();
    assert.match(first.command, new RegExp(`^shubbak-device enroll https://localhost:${hub.tls.httpsPort} \\S+ --ca-sha256 [0-9a-f]{64}$`));
    const wrongPin = first.caSha256.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    const refused = await cli(['enroll', `https://localhost:${hub.tls.httpsPort}`, first.code, '--ca-sha256', wrongPin, '--settings', envFile, '--no-restart'], env);
    assert.notEqual(refused.code, 0);
    assert.match(refused.out, /لا تطابق بصمة المركز|the code was not sent/);
    // Without any CA: the system's CAs do not know the center; a clear message, nothing sent.
    const bare = await cli(['enroll', `https://localhost:${hub.tls.httpsPort}`, first.code, '--settings', envFile, '--no-restart'], env);
    assert.notEqual(bare.code, 0);
    assert.match(bare.out, /--ca-sha256/);
    const unused = hub.ctx.db.prepare('SELECT count(*) AS n FROM device_enrollments WHERE used_at IS NOT NULL').get() as { n: number };
    assert.equal(unused.n, 0, 'no code was spent');

    // The administrator's command as shown: enrolled, CA saved, mqtts address.
    const [, ...args] = first.command.split(' ');
    const ok = await cli([...args, '--settings', envFile, '--no-restart'], env);
    assert.equal(ok.code, 0, ok.out);
    const settings = Object.fromEntries(fs.readFileSync(envFile, 'utf8').split('\n').filter((l) => /^[A-Z_]+=/.test(l)).map((l) => l.split(/=(.*)/s).slice(0, 2)));
    assert.equal(settings.SHUBBAK_HUB_URL, `mqtts://localhost:${hub.tls.mqttsPort}`);
    assert.equal(fs.readFileSync(settings.SHUBBAK_CA_FILE, 'utf8'), ca);

    // The device's settings as its program reads them: connected over TLS, verified.
    const d = loadDeviceEnv(settings);
    assert.equal(d.ca, ca);
    const link = new DeviceLink({ url: d.hubUrl, ca: d.ca, deviceId: d.deviceId, secret: d.secret, kind: 'keypad', minReconnectMs: 100 });
    link.on('error', () => {}); // the hub closing at the end of the test resets the connection
    t.after(() => link.close());
    await new Promise<void>((resolve, reject) => {
      link.once('online', () => resolve());
      link.once('tlsRefused', reject);
    });
    // The hub writes presence once per turn of its event loop (hub/broker/broker.ts), so the
    // row may follow the device's own 'online' by a moment.
    await waitUntil('the hub to record keypad-1 online', () => (hub.ctx.db.prepare("SELECT online FROM devices WHERE id = 'keypad-1'").get() as { online: number }).online === 1);
  });
});
