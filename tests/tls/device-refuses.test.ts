// Devices trust the center, not the world (issue 17): a device program given the center CA
// (SHUBBAK_CA_FILE, as enrollment writes it) connects over mqtts; given another center's CA
// it refuses the hub, says so on its console, keeps the refusal in its health, and never
// sends its secret (the hub never sees it online). The reference link refuses an expired
// certificate and one for another name the same way, each with its own stable code.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DeviceLink, type HubCertRefused } from '@shubbak/protocol/device-link';
import { freePort, makeCa, startTlsHub, waitUntil } from './support.ts';
import { startTestHub } from '../helpers/hub.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DAY = 86_400_000;

function keypadProgram(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'counter-keypad/main.ts'], {
    cwd: ROOT, env: { ...process.env, SHUBBAK_IO: 'sim', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  // Bounded: a program that does not end on SIGTERM within 15 s is killed and the test fails
  // saying so (it never hangs the file). Ended already — by its code or by a signal — is ended.
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((r) => (timer = setTimeout(() => r('late'), 15_000)));
    const end = await Promise.race([exited, late]);
    clearTimeout(timer);
    if (end === 'late') {
      child.kill('SIGKILL');
      await exited;
      throw new Error(`the keypad program did not exit within 15 s of SIGTERM (killed); it said:\n${out}`);
    }
    assert.equal(child.exitCode, 0, `the keypad program ends cleanly on SIGTERM (exit ${child.exitCode ?? child.signalCode}); it said:\n${out}`);
  };
  /** waitUntil, failing with what the program said. */
  const until = (what: string, check: () => boolean, ms: number) =>
    waitUntil(what, check, ms).catch((err: Error) => {
      throw new Error(`${err.message}; the keypad program said:\n${out}`);
    });
  return { out: () => out, stop, until };
}

const online = (hub: { ctx: { db: { prepare(s: string): { get(...a: unknown[]): unknown } } } }, id: string) =>
  (hub.ctx.db.prepare('SELECT online FROM devices WHERE id = ?').get(id) as { online: number }).online === 1;

describe('devices trust the center, not the world', () => {
  test('the keypad program refuses a hub whose certificate comes from another CA, says so, and connects with the center CA', async (t) => {
    const hub = await startTlsHub(t);
    const other = makeCa(t);
    const common = { SHUBBAK_DEVICE_ID: 'keypad-1', SHUBBAK_DEVICE_SECRET: hub.secretOf('keypad-1'), SHUBBAK_HUB_URL: `mqtts://localhost:${hub.tls.mqttsPort}` };

    const wrong = keypadProgram({ ...common, SHUBBAK_CA_FILE: other.caFile });
    t.after(wrong.stop);
    await wrong.until('the refusal on the console', () => /refused the hub's certificate/.test(wrong.out()), 60_000);
    assert.match(wrong.out(), /شهادة الخادم ليست صادرة من جهة شهادات المركز/);
    assert.match(wrong.out(), /UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY/);
    assert.equal(online(hub, 'keypad-1'), false, 'the hub never saw it connect');
    await wrong.stop();

    const right = keypadProgram({ ...common, SHUBBAK_CA_FILE: hub.caFile });
    t.after(right.stop);
    await right.until('keypad-1 online over TLS', () => online(hub, 'keypad-1'), 60_000);
    assert.doesNotMatch(right.out(), /refused the hub's certificate/);
  });

  async function refusal(link: DeviceLink): Promise<HubCertRefused> {
    return new Promise((resolve) => link.once('tlsRefused', resolve));
  }

  test('the device link refuses a hub with another CA, an expired certificate, or a certificate for another name', async (t) => {
    const gov = makeCa(t, 'Governorate CA');
    const now = Date.now();
    const cases = [
      { what: 'expired', cert: gov.issue(['localhost', '127.0.0.1'], new Date(now - 400 * DAY), new Date(now - DAY)), code: 'CERT_HAS_EXPIRED', ar: /انتهت صلاحية/ },
      { what: 'wrong name', cert: gov.issue(['elsewhere.example'], new Date(now - DAY), new Date(now + 30 * DAY)), code: 'ERR_TLS_CERT_ALTNAME_INVALID', ar: /لا تحمل اسم الخادم/ },
    ];
    for (const c of cases) {
      const hub = await startTlsHub(t, { tlsCertFile: c.cert.certFile, tlsKeyFile: c.cert.keyFile, tlsCaFile: gov.caFile });
      const link = new DeviceLink({ url: `mqtts://localhost:${hub.tls.mqttsPort}`, ca: gov.ca, deviceId: 'kiosk-1', secret: hub.secretOf('kiosk-1'), kind: 'kiosk', minReconnectMs: 100, maxReconnectMs: 300 });
      link.on('error', () => {});
      t.after(() => link.close());
      const r = await refusal(link);
      assert.equal(r.code, c.code, c.what);
      assert.match(r.ar, c.ar);
      assert.equal(link.tlsRefusal?.code, c.code);
      assert.equal(link.isOnline, false);
      await link.close();
    }

    // The same governorate certificate, valid and for this name: served as installed, trusted with the governorate's CA.
    const good = gov.issue(['localhost'], new Date(now - DAY), new Date(now + 30 * DAY));
    const hub = await startTlsHub(t, { tlsCertFile: good.certFile, tlsKeyFile: good.keyFile, tlsCaFile: gov.caFile });
    assert.equal(hub.tls.caCert, fs.readFileSync(gov.caFile, 'utf8'), 'enrollment hands out the governorate CA');
    const ok = await hub.device('kiosk-1', { url: `mqtts://localhost:${hub.tls.mqttsPort}`, ca: gov.ca });
    assert.equal(ok.isOnline, true);
    // …and a device holding only another CA refuses this hub.
    const other = makeCa(t);
    const stranger = new DeviceLink({ url: `mqtts://localhost:${hub.tls.mqttsPort}`, ca: other.ca, deviceId: 'keypad-1', secret: hub.secretOf('keypad-1'), kind: 'keypad', minReconnectMs: 100 });
    stranger.on('error', () => {});
    t.after(() => stranger.close());
    assert.match((await refusal(stranger)).code, /UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY/);
  });

  test('a refused hub stays in the device health: once the hub serves a good certificate, the center sees what happened', async (t) => {
    const gov = makeCa(t, 'Governorate CA');
    const now = Date.now();
    const expired = gov.issue(['localhost'], new Date(now - 400 * DAY), new Date(now - DAY));
    const renewed = gov.issue(['localhost'], new Date(now - DAY), new Date(now + 300 * DAY));
    const mqttsPort = await freePort();
    // The hub with an expired certificate: the device refuses it.
    const first = await startTlsHub(t, { mqttsPort, tlsCertFile: expired.certFile, tlsKeyFile: expired.keyFile, tlsCaFile: gov.caFile });
    const link = new DeviceLink({ url: `mqtts://localhost:${mqttsPort}`, ca: gov.ca, deviceId: 'kiosk-1', secret: first.secretOf('kiosk-1'), kind: 'kiosk', minReconnectMs: 100, maxReconnectMs: 300 });
    link.on('error', () => {});
    t.after(() => link.close());
    assert.equal((await refusal(link)).code, 'CERT_HAS_EXPIRED');
    link.updateHealth({ printer: 'ok' });
    // The administrator installs the renewed certificate and restarts the hub (same data, same port).
    await first.close();
    const second = await startTestHub(t, { dataDir: first.dataDir, config: { tls: true, mqttsPort, tlsCertFile: renewed.certFile, tlsKeyFile: renewed.keyFile, tlsCaFile: gov.caFile } });
    await waitUntil('kiosk-1 online', () => link.isOnline, 15_000);
    await waitUntil('its health recorded', () => {
      const row = second.ctx.db.prepare("SELECT health FROM devices WHERE id = 'kiosk-1'").get() as { health: string | null };
      return !!row.health && row.health.includes('hubTlsRefused');
    }, 5000);
    const health = JSON.parse((second.ctx.db.prepare("SELECT health FROM devices WHERE id = 'kiosk-1'").get() as { health: string }).health);
    assert.equal(health.hubTlsRefused.code, 'CERT_HAS_EXPIRED');
    assert.match(health.hubTlsRefused.message, /انتهت صلاحية/);
    assert.equal(health.printer, 'ok');
    assert.equal(link.tlsRefusal, null, 'connected: no refusal now');
  });
});
