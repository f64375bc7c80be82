// The installer, end to end (issue 10 item 4): `scripts/package.ts` builds the amd64
// shubbak-hub and shubbak-keypad .deb files; they are unpacked into a scratch root with
// `dpkg -x`; the layout, the control data and the maintainer scripts are checked; the units
// pass `systemd-analyze verify` and score ≤ 4.5 on `systemd-analyze security`; then the
// installed hub and the installed keypad run — each on its own bundled Node 24, from the
// scratch root, on loopback ephemeral ports — against each other: the hub tells a systemd
// notify socket it is ready and keeps pinging the watchdog, the administrator (first-admin
// password file) registers the keypad and issues an enrollment code, the installed
// `shubbak-device enroll` writes the keypad's settings, and the installed keypad connects.
// Slow by nature (it compiles better-sqlite3 for Node 24 once; cached in .cache/package).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { elfMachine, ROLES } from '../../scripts/package.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const sh = (cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) => execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...opts });

function waitFor<T>(what: string, get: () => T | undefined | null | false, timeoutMs = 60_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const end = Date.now() + timeoutMs;
    const tick = () => {
      let v: T | undefined | null | false;
      try {
        v = get();
      } catch {
        v = undefined;
      }
      if (v) return resolve(v);
      if (Date.now() > end) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 100);
    };
    tick();
  });
}

/** A started program whose output is kept, killed when the test ends. */
function start(cmd: string, args: string[], opts: { cwd: string; env: Record<string, string> }, procs: ChildProcess[]): { out: () => string; proc: ChildProcess } {
  const proc = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
  procs.push(proc);
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  return { out: () => out, proc };
}

describe('the installer packages', () => {
  test('the amd64 hub and keypad packages install into a scratch root and run against each other', { timeout: 40 * 60_000 }, async (t) => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'shubbak-pkg-'));
    const procs: ChildProcess[] = [];
    t.after(async () => {
      for (const p of procs) if (p.exitCode === null && p.signalCode === null) p.kill('SIGTERM');
      await Promise.all(procs.map((p) => (p.exitCode === null && p.signalCode === null ? new Promise((r) => p.once('exit', r)) : null)));
      fs.rmSync(work, { recursive: true, force: true });
    });

    // 1. Build the packages with the real script.
    const out = path.join(work, 'debs');
    sh(process.execPath, ['--import', 'tsx', 'scripts/package.ts', '--arch', 'amd64', '--roles', 'hub,keypad', '--out', out], { cwd: ROOT });
    const version = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    const deb = (role: string) => path.join(out, `shubbak-${role}_${version}_amd64.deb`);
    for (const role of ['hub', 'keypad']) assert.ok(fs.existsSync(deb(role)), `${deb(role)} built`);

    // 2. Control data and maintainer scripts.
    for (const role of ['hub', 'keypad']) {
      const info = sh('dpkg-deb', ['-f', deb(role), 'Package', 'Architecture', 'Depends']);
      assert.match(info, new RegExp(`^Package: shubbak-${role}$`, 'm'));
      assert.match(info, /^Architecture: amd64$/m);
      assert.match(info, /adduser/);
      if (role === 'hub') assert.match(info, /tzdata/, 'the hub reads its time zone from tzdata (hub/tzdata.ts)');
      const ctl = path.join(work, `ctl-${role}`);
      sh('dpkg-deb', ['-e', deb(role), ctl]);
      assert.equal(fs.readFileSync(path.join(ctl, 'conffiles'), 'utf8'), `/etc/shubbak/${role}.env\n`);
      const postinst = fs.readFileSync(path.join(ctl, 'postinst'), 'utf8');
      assert.doesNotMatch(postinst, /@[A-Z]+@/, 'template filled');
      assert.match(postinst, /adduser --system --group/);
      assert.match(postinst, new RegExp(`deb-systemd-helper enable "\\$UNIT"`));
      for (const s of ['postinst', 'prerm', 'postrm']) sh('sh', ['-n', path.join(ctl, s)]);
    }
    assert.match(fs.readFileSync(path.join(work, 'ctl-keypad', 'postinst'), 'utf8'), /^GROUPS="dialout"$/m);

    // 3. Unpack into a scratch root; check the layout.
    const root = path.join(work, 'root');
    for (const role of ['hub', 'keypad']) sh('dpkg', ['-x', deb(role), root]);
    const hubDir = path.join(root, 'opt/shubbak/hub');
    const kpDir = path.join(root, 'opt/shubbak/keypad');
    for (const dir of [hubDir, kpDir]) {
      assert.match(sh(path.join(dir, 'node/bin/node'), ['--version']).trim(), /^v24\./, 'the bundled Node 24 runs');
      assert.equal(JSON.parse(fs.readFileSync(path.join(dir, 'app/package.json'), 'utf8')).type, 'module');
      for (const dev of ['tsx', 'esbuild', 'typescript', 'playwright-core', 'avr8js']) {
        assert.ok(!fs.existsSync(path.join(dir, 'app/node_modules', dev)), `${dev} is a dev dependency`);
      }
    }
    assert.ok(fs.existsSync(path.join(hubDir, 'app/dist/hub/server.js')));
    assert.ok(fs.existsSync(path.join(hubDir, 'app/dist/web/app.js')), 'prebuilt panels');
    assert.ok(fs.readdirSync(path.join(hubDir, 'app/dist/hub/migrations')).some((f) => f.endsWith('.sql')));
    const sqlite = path.join(hubDir, 'app/node_modules/better-sqlite3/build/Release/better_sqlite3.node');
    assert.equal(elfMachine(sqlite), 0x3e, 'better-sqlite3 for x86-64');
    assert.equal(elfMachine(path.join(hubDir, 'lib/sd-notify-relay')), 0x3e);
    assert.ok(fs.existsSync(path.join(kpDir, 'app/dist/counter-keypad/main.js')));
    assert.ok(fs.existsSync(path.join(kpDir, 'app/dist/device/shubbak-device.js')));
    assert.ok(fs.existsSync(path.join(kpDir, 'app/node_modules/@serialport/bindings-cpp/prebuilds/linux-x64')));
    assert.ok(!fs.existsSync(path.join(kpDir, 'app/node_modules/@serialport/bindings-cpp/prebuilds/win32-x64')), 'other platforms\' binaries left out');
    assert.ok(!fs.existsSync(path.join(kpDir, 'app/node_modules/better-sqlite3')), 'the keypad carries only what it imports');
    assert.ok(!fs.existsSync(path.join(kpDir, 'app/node_modules/fastify')));
    for (const role of ['hub', 'keypad']) {
      const env = path.join(root, `etc/shubbak/${role}.env`);
      assert.equal(fs.statSync(env).mode & 0o777, 0o600, `${role}.env is owner-only`);
      assert.match(fs.readFileSync(env, 'utf8'), /^# Shubbak/m, 'a commented template');
    }
    assert.match(fs.readFileSync(path.join(kpDir, 'bin/shubbak-device'), 'utf8'), /exec \/opt\/shubbak\/keypad\/node\/bin\/node \/opt\/shubbak\/keypad\/app\/dist\/device\/shubbak-device\.js "\$@"/);

    // 4. The units: verified against the scratch root, and hardened.
    const units = ['hub', 'keypad'].map((r) => path.join(root, `lib/systemd/system/shubbak-${r}.service`));
    const hubUnit = fs.readFileSync(units[0], 'utf8');
    assert.match(hubUnit, /^Type=notify$/m);
    assert.match(hubUnit, /^WatchdogSec=\d+$/m);
    assert.match(hubUnit, /^StateDirectory=shubbak\/hub$/m);
    assert.match(hubUnit, /SHUBBAK_MODE=production/);
    assert.match(fs.readFileSync(units[1], 'utf8'), /^SupplementaryGroups=dialout$/m);
    // systemd's own units (sysinit.target …) as the target system has them, for the dependencies to resolve.
    fs.cpSync('/usr/lib/systemd/system', path.join(root, 'usr/lib/systemd/system'), { recursive: true });
    sh('systemd-analyze', ['verify', `--root=${root}`, ...units.map((u) => `/lib/systemd/system/${path.basename(u)}`)]);
    // Every role's unit (kiosk, window board and hall are not built here, their units are the repository's files).
    for (const u of [...units, ...Object.values(ROLES).map((r) => path.join(ROOT, r.unit))]) {
      const report = sh('systemd-analyze', ['security', '--offline=true', '--threshold=45', u]);
      const level = Number(/Overall exposure level for \S+: ([\d.]+)/.exec(report)![1]);
      assert.ok(level <= 4.5, `${path.basename(u)} exposure ${level}`);
    }

    // 5. Run the installed hub (production mode) on its own Node, as the unit would.
    const notifySock = path.join(work, 'notify.sock');
    const notify = start('python3', ['-u', '-c', [
      'import socket, sys',
      's = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)',
      's.bind(sys.argv[1])',
      'print("listening", flush=True)',
      'while True: print(s.recv(4096).decode(), flush=True)',
    ].join('\n'), notifySock], { cwd: work, env: { PATH: process.env.PATH! } }, procs);
    await waitFor('the notify socket', () => notify.out().includes('listening'));
    const dataDir = path.join(root, 'var/lib/shubbak/hub');
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const hub = start(path.join(hubDir, 'node/bin/node'), ['dist/hub/server.js'], {
      cwd: path.join(hubDir, 'app'),
      env: {
        PATH: process.env.PATH!, SHUBBAK_MODE: 'production', SHUBBAK_CENTER_ID: 'test-center', SHUBBAK_DATA_DIR: dataDir, SHUBBAK_HOST: '127.0.0.1',
        SHUBBAK_HTTP_PORT: '0', SHUBBAK_MQTT_PORT: '0', SHUBBAK_HTTPS_PORT: '0', SHUBBAK_MQTTS_PORT: '0', SHUBBAK_PASSWORD_COST: '12', SHUBBAK_LOG_LEVEL: 'warn',
        NOTIFY_SOCKET: notifySock, WATCHDOG_USEC: '1000000', SHUBBAK_SD_NOTIFY: path.join(hubDir, 'lib/sd-notify-relay'),
      },
    }, procs);
    const httpUrl = await waitFor('the hub to listen', () => /this machine only:\s+(http:\/\/\S+?) /.exec(hub.out())?.[1], 120_000).catch((err: Error) => {
      throw new Error(`${err.message}; the hub said:\n${hub.out()}`);
    });
    await waitFor('READY=1 on the notify socket', () => notify.out().includes('READY=1'));
    await waitFor('two watchdog pings', () => (notify.out().match(/WATCHDOG=1/g) ?? []).length >= 2, 10_000);
    assert.doesNotMatch(hub.out(), /password=/, 'no password on stdout');
    assert.equal((await fetch(`${httpUrl}/sim`)).status, 404, 'no simulator in production');

    // The first administrator, from the 0600 file; a new password, as the hub requires.
    const firstAdmin = fs.readFileSync(path.join(dataDir, 'first-admin-password'), 'utf8');
    assert.equal(fs.statSync(path.join(dataDir, 'first-admin-password')).mode & 0o777, 0o600);
    const username = /^username=(.+)$/m.exec(firstAdmin)![1];
    const password = /^password=(.+)$/m.exec(firstAdmin)![1];
    const login = await fetch(`${httpUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
    assert.equal(login.status, 200, await login.clone().text());
    const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const csrf = ((await login.json()) as { csrfToken: string }).csrfToken;
    const api = (method: string, url: string, body?: unknown) => fetch(`${httpUrl}${url}`, {
      method, headers: { cookie, 'x-csrf-token': csrf, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined,
    });
    assert.equal((await api('POST', '/api/auth/password', { current: password, next: 'Shubbak-installer-test-2026!' })).status, 204);
    assert.equal((await api('POST', '/api/devices', { id: 'keypad-7', kind: 'keypad', label: 'شباك ٧' })).status, 201);
    const issued = await api('POST', '/api/devices/keypad-7/enrollment-code');
    assert.equal(issued.status, 201);
    const { command } = (await issued.json()) as { command: string };

    // 6. The installed enrollment CLI, on the keypad package's Node, into the scratch /etc.
    const systemctlLog = path.join(work, 'systemctl.log');
    const fakeSystemctl = path.join(work, 'systemctl');
    fs.writeFileSync(fakeSystemctl, `#!/bin/sh\necho "$@" >> '${systemctlLog}'\n`, { mode: 0o755 });
    const [, ...args] = command.split(' ');
    sh(path.join(kpDir, 'node/bin/node'), [path.join(kpDir, 'app/dist/device/shubbak-device.js'), ...args], {
      cwd: work, env: { PATH: process.env.PATH!, SHUBBAK_ETC_DIR: path.join(root, 'etc/shubbak'), SHUBBAK_SYSTEMCTL: fakeSystemctl },
    });
    assert.equal(fs.readFileSync(systemctlLog, 'utf8'), 'restart shubbak-keypad.service\n');
    const envFile = path.join(root, 'etc/shubbak/keypad.env');
    assert.equal(fs.statSync(envFile).mode & 0o777, 0o600);
    const settings = Object.fromEntries(fs.readFileSync(envFile, 'utf8').split('\n').filter((l) => /^[A-Z_]+=/.test(l)).map((l) => l.split(/=(.*)/s).slice(0, 2)));
    assert.equal(settings.SHUBBAK_DEVICE_ID, 'keypad-7');
    // Production speaks TLS to devices (issue 17): an mqtts:// address and the center CA beside the settings.
    assert.match(settings.SHUBBAK_HUB_URL, /^mqtts:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(fs.readFileSync(settings.SHUBBAK_CA_FILE, 'utf8'), fs.readFileSync(path.join(dataDir, 'tls', 'ca.pem'), 'utf8'));

    // 7. The installed keypad with those settings (its IO simulated: no board on this machine).
    const keypad = start(path.join(kpDir, 'node/bin/node'), ['dist/counter-keypad/main.js'], {
      cwd: path.join(kpDir, 'app'), env: { PATH: process.env.PATH!, ...settings, SHUBBAK_IO: 'sim' },
    }, procs);
    let seen: { online: boolean; fw: string | null } | undefined;
    for (let i = 0; i < 600 && !seen?.online; i++) {
      const list = (await (await api('GET', '/api/devices')).json()) as { id: string; online: boolean; fw: string | null }[];
      seen = list.find((d) => d.id === 'keypad-7');
      if (!seen?.online) await new Promise((r) => setTimeout(r, 100));
      if (keypad.proc.exitCode !== null) break;
    }
    assert.equal(seen?.online, true, `the installed keypad connected with its enrolled credentials\n${keypad.out()}`);

    // 8. Both stop cleanly on SIGTERM, as systemd stops them; the hub says STOPPING=1.
    for (const p of [keypad.proc, hub.proc]) {
      p.kill('SIGTERM');
      const code = await new Promise<number | null>((r) => p.once('exit', (c) => r(c)));
      assert.equal(code, 0, p === hub.proc ? hub.out() : keypad.out());
    }
    await waitFor('STOPPING=1', () => notify.out().includes('STOPPING=1'), 5000);
  });
});
