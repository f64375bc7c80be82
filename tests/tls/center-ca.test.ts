// The center's certificate authority (issue 17, item 1): made once, key 0600 in the data
// dir; the server certificate carries the configured names, is renewed before it expires
// (and when its names change) with a log line, while the CA stays the same — devices keep
// trusting it. An installed certificate that its key or CA does not match is refused at
// start with a message. Settings: production refuses TLS off; own-certificate files go
// together; names are checked.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, ConfigError } from '../../hub/config.ts';
import { CenterTls, SERVER_DAYS, TlsSetupError } from '../../hub/tls/center-ca.ts';
import { classify } from '../../hub/tls/listeners.ts';
import { checkDataPermissions } from '../../hub/db/permissions.ts';
import { tempDataDir } from '../helpers/hub.ts';
import { makeCa } from './support.ts';

const DAY = 86_400_000;

function recorder() {
  const lines: string[] = [];
  return { lines, log: { info: (_o: unknown, m?: string) => void lines.push(m ?? ''), warn: (_o: unknown, m?: string) => void lines.push(`WARN ${m ?? ''}`) } };
}

describe("the center's certificate authority", () => {
  test('the center CA is made once (key 0600); the server certificate is renewed before expiry and when names change, under the same CA', () => {
    const dataDir = tempDataDir();
    let now = Date.now();
    const config = loadConfig({}, { dataDir, tls: true, tlsNames: ['hub.center.local', '10.0.0.5'] });
    const r = recorder();
    const center = new CenterTls(config, () => now, r.log);
    const first = center.current();
    const dir = path.join(dataDir, 'tls');
    assert.equal(fs.statSync(path.join(dir, 'ca.key')).mode & 0o777, 0o600);
    assert.equal(fs.statSync(path.join(dir, 'server.key')).mode & 0o777, 0o600);
    assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
    const x = new X509Certificate(first.cert);
    assert.equal(x.subjectAltName, 'DNS:hub.center.local, IP Address:10.0.0.5');
    assert.ok(x.checkIssued(new X509Certificate(first.ca)));
    assert.equal(center.daysLeft(first), SERVER_DAYS - 1);
    assert.ok(r.lines.some((l) => /made the center certificate authority/.test(l)));
    // The CA's key never appears in what is served or handed out.
    const caKey = fs.readFileSync(path.join(dir, 'ca.key'), 'utf8');
    assert.ok(!first.ca.includes(caKey.split('\n')[1]) && !first.cert.includes(caKey.split('\n')[1]));

    // Same day, same names: nothing is remade.
    assert.equal(center.current().cert, first.cert);
    // 370 days later (27 left, under the 30-day threshold): renewed, with a log line, same CA.
    now += 370 * DAY;
    const renewed = center.current();
    assert.notEqual(renewed.cert, first.cert);
    assert.equal(renewed.ca, first.ca);
    assert.ok(r.lines.some((l) => /TLS server certificate renewed \(expires/.test(l)), r.lines.join('\n'));
    assert.equal(center.daysLeft(renewed), SERVER_DAYS - 1);

    // The center gets a new address: the next start makes a certificate for it, same CA.
    const moved = new CenterTls({ ...config, tlsNames: ['hub.center.local', '10.0.0.6'] }, () => now, r.log).current();
    assert.match(new X509Certificate(moved.cert).subjectAltName!, /10\.0\.0\.6/);
    assert.equal(moved.ca, first.ca);
    assert.ok(r.lines.some((l) => /renewed \(names changed\)/.test(l)));

    // The data-dir check covers the TLS keys: a loosened CA key stops the start.
    fs.chmodSync(path.join(dir, 'ca.key'), 0o644);
    assert.throws(() => checkDataPermissions(dataDir, path.join(dataDir, 'backups'), false), /ca\.key is 0644/);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('an installed certificate must match its key and its CA, or the hub does not start', (t) => {
    const gov = makeCa(t, 'Governorate CA');
    const other = makeCa(t, 'Not the governorate');
    const now = Date.now();
    const a = gov.issue(['localhost'], new Date(now - DAY), new Date(now + 20 * DAY));
    const b = gov.issue(['localhost'], new Date(now - DAY), new Date(now + 20 * DAY));
    const dataDir = tempDataDir();
    t.after(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const base = loadConfig({}, { dataDir, tls: true });
    const r = recorder();
    const ok = new CenterTls({ ...base, tlsCertFile: a.certFile, tlsKeyFile: a.keyFile, tlsCaFile: gov.caFile }, () => now, r.log).current();
    assert.equal(ok.source, 'installed');
    assert.equal(ok.ca, gov.ca);
    assert.ok(r.lines.some((l) => /WARN the installed TLS certificate expires soon/.test(l)), 'under 30 days left: a warning, not a renewal');
    assert.ok(!fs.existsSync(path.join(dataDir, 'tls', 'ca.key')), 'no center CA is made when a certificate is installed');
    assert.throws(() => new CenterTls({ ...base, tlsCertFile: a.certFile, tlsKeyFile: b.keyFile, tlsCaFile: gov.caFile }, () => now, r.log).current(),
      (e: unknown) => e instanceof TlsSetupError && /key does not belong/.test((e as Error).message));
    assert.throws(() => new CenterTls({ ...base, tlsCertFile: a.certFile, tlsKeyFile: a.keyFile, tlsCaFile: other.caFile }, () => now, r.log).current(),
      (e: unknown) => e instanceof TlsSetupError && /not signed by SHUBBAK_TLS_CA_FILE/.test((e as Error).message));
  });

  test('TLS settings: on in production and not to be turned off there; own certificate files together; names checked', () => {
    assert.equal(loadConfig({}).tls, false);
    const prod = loadConfig({ SHUBBAK_MODE: 'production', SHUBBAK_CENTER_ID: 'test-center' });
    assert.equal(prod.tls, true);
    assert.equal(prod.httpsPort, 8443);
    assert.equal(prod.mqttsPort, 8883);
    assert.equal(prod.httpPort, 8080);
    assert.equal(prod.mqttPort, 1883);
    assert.throws(() => loadConfig({ SHUBBAK_MODE: 'production', SHUBBAK_CENTER_ID: 'test-center', SHUBBAK_TLS: 'false' }), (e: unknown) => e instanceof ConfigError && /SHUBBAK_TLS cannot be off/.test((e as Error).message));
    assert.throws(() => loadConfig({ SHUBBAK_TLS_CERT_FILE: '/etc/x.pem' }), /go together/);
    assert.deepEqual(loadConfig({ SHUBBAK_TLS_NAMES: 'Hub.Center.local, 192.168.1.10,::1' }).tlsNames, ['hub.center.local', '192.168.1.10', '::1']);
    assert.throws(() => loadConfig({ SHUBBAK_TLS_NAMES: 'hub center' }), /SHUBBAK_TLS_NAMES/);
    assert.throws(() => loadConfig({ SHUBBAK_TLS_HANDSHAKE_TIMEOUT_MS: '5' }), /between 100/);
  });

  test('refused handshakes are classified by stable reasons', () => {
    const e = (code: string, message = '') => Object.assign(new Error(message), { code });
    assert.equal(classify(e('ERR_TLS_HANDSHAKE_TIMEOUT')), 'handshake_timeout');
    assert.equal(classify(e('ERR_SSL_WRONG_VERSION_NUMBER')), 'not_tls');
    assert.equal(classify(e('ERR_SSL_HTTP_REQUEST')), 'not_tls');
    assert.equal(classify(e('ERR_SSL_UNSUPPORTED_PROTOCOL')), 'old_protocol');
    assert.equal(classify(e('ERR_SSL_TLSV1_ALERT_UNKNOWN_CA')), 'peer_rejected_cert');
    assert.equal(classify(e('ERR_SSL_NO_SHARED_CIPHER')), 'no_shared_cipher');
    assert.equal(classify(e('ECONNRESET')), 'other');
  });
});
