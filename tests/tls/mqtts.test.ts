// MQTT over TLS with clients no one here wrote (issue 17, "Must show"): Debian's
// mosquitto_sub and mosquitto_pub with --cafile against the hub's TLS port get the retained
// clock and issue a ticket; with another CA's certificate as --cafile they are refused.
// Bad input on the TLS and plain ports (issue 17, "Bad input"): plain MQTT on the TLS port,
// a TLS hello on the plain port, a handshake that never finishes, TLS 1.1 — each refused
// quickly and counted (shubbak_tls_refused_total) while a connected device keeps working.
// Plain MQTT listens on loopback only once TLS is on.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import { plainHost } from '../../hub/hub.ts';
import { makeCa, metric, NAMES, run, scrape, startTlsHub, waitUntil } from './support.ts';
import { newPrivateKey, signServerCert } from '../../hub/tls/openssl.ts';

const t0 = () => performance.now();

describe('MQTT over TLS', () => {
  test('mosquitto_sub and mosquitto_pub --cafile speak MQTT over TLS to the hub; another CA is refused', async (t) => {
    const hub = await startTlsHub(t);
    const port = String(hub.tls.mqttsPort);
    const secret = hub.secretOf('kiosk-1');
    const common = ['-h', 'localhost', '-p', port, '-u', 'kiosk-1', '-P', secret, '-V', 'mqttv311'];

    // The retained clock over TLS, verified against the center CA.
    const sub = await run('mosquitto_sub', [...common, '--cafile', hub.caFile, '-i', 'kiosk-1.sub', '-t', 'shubbak/v1/clock', '-C', '1', '-W', '10']);
    assert.equal(sub.code, 0, sub.stderr);
    assert.match(sub.stdout, /"at":\d+/);

    // A command published by mosquitto_pub over TLS is handled: a ticket exists.
    const before = (hub.ctx.db.prepare('SELECT count(*) AS n FROM tickets').get() as { n: number }).n;
    const cmd = JSON.stringify({ id: 'mosq-tls-1', type: 'ticket.issue', at: Date.now(), line: 'A' });
    const pub = await run('mosquitto_pub', [...common, '--cafile', hub.caFile, '-i', 'kiosk-1.pub', '-q', '1', '-t', 'shubbak/v1/devices/kiosk-1/commands', '-m', cmd]);
    assert.equal(pub.code, 0, pub.stderr);
    await waitUntil('the ticket', () => (hub.ctx.db.prepare('SELECT count(*) AS n FROM tickets').get() as { n: number }).n === before + 1);

    // Another center's CA: the hub's certificate does not verify, the client gives up.
    const other = makeCa(t);
    const refused = await run('mosquitto_sub', [...common, '--cafile', other.caFile, '-i', 'kiosk-1.sub2', '-t', 'shubbak/v1/clock', '-C', '1', '-W', '5']);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /certificate verify failed|unable to get local issuer|protocol error|TLS|SSL/i, refused.stderr);
    assert.equal(refused.stdout, '');
    // …and the hub counted the client refusing its certificate.
    await waitUntil('the refusal counted', async () => metric(await scrape(hub), 'shubbak_tls_refused_total', { listener: 'mqtts', reason: 'peer_rejected_cert' }) >= 1);
  });

  test('bad input on the TLS and plain ports is refused quickly, counted, and harms no connected device', async (t) => {
    const hub = await startTlsHub(t, { tlsHandshakeTimeoutMs: 400 });
    const ca = fs.readFileSync(hub.caFile, 'utf8');
    // A device connected over TLS all along; it must keep working through the abuse.
    const kiosk = await hub.device('kiosk-1', { url: hub.tls.mqttsUrl.replace('127.0.0.1', 'localhost'), ca });
    assert.equal(kiosk.isOnline, true);

    // 1. Plain MQTT (a CONNECT in clear) on the TLS port: closed at once.
    const plainOnTls = await new Promise<{ closedMs: number; bytes: number }>((resolve) => {
      const s = net.connect(hub.tls.mqttsPort, '127.0.0.1');
      const start = t0();
      let bytes = 0;
      s.on('connect', () => s.write(Buffer.from('101600044d5154540402003c000a6b696f736b2d312e78', 'hex')));
      s.on('data', (d) => (bytes += d.length));
      s.on('error', () => {});
      s.on('close', () => resolve({ closedMs: t0() - start, bytes }));
    });
    assert.ok(plainOnTls.closedMs < 2000, `closed in ${plainOnTls.closedMs} ms`);

    // 2. A TLS hello on the plain MQTT port: closed, nothing learned.
    const tlsOnPlain = await new Promise<{ error: string; ms: number }>((resolve) => {
      const start = t0();
      const s = tls.connect({ port: hub.mqttPort, host: '127.0.0.1', servername: 'localhost', ca });
      s.on('secureConnect', () => resolve({ error: 'handshake finished on a plain port', ms: t0() - start }));
      s.on('error', (e) => resolve({ error: e.message, ms: t0() - start }));
      s.on('close', () => resolve({ error: 'closed', ms: t0() - start }));
    });
    assert.notEqual(tlsOnPlain.error, 'handshake finished on a plain port');
    assert.ok(tlsOnPlain.ms < 2000);

    // 3. Slowloris: TCP connections to the TLS port that never send a hello, and one that
    // sends half a hello and stops. All are dropped by the handshake deadline (400 ms here).
    const stalls = await Promise.all([0, 1, 2].map((i) => new Promise<number>((resolve) => {
      const s = net.connect(hub.tls.mqttsPort, '127.0.0.1');
      const start = t0();
      if (i === 2) s.on('connect', () => s.write(Buffer.from('160301', 'hex')));
      s.on('error', () => {});
      s.on('close', () => resolve(t0() - start));
    })));
    for (const ms of stalls) assert.ok(ms >= 300 && ms < 5000, `a stalled handshake was dropped after ${ms} ms`);

    // 4. TLS 1.1: refused by the hub (TLS 1.2+ only). An old device's hello is sent for real:
    // Node 24's OpenSSL refuses to even offer TLS 1.1 at its default security level (the client
    // fails with ERR_SSL_NO_PROTOCOLS_AVAILABLE and sends only an alert, which the hub never
    // sees as a TLS 1.1 hello), so the client lowers its own level to 0, as old firmware does.
    const old = await new Promise<string>((resolve) => {
      const s = tls.connect({ port: hub.tls.mqttsPort, host: '127.0.0.1', servername: 'localhost', ca, minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' });
      s.on('secureConnect', () => resolve('connected'));
      s.on('error', (e) => resolve((e as NodeJS.ErrnoException).code ?? e.message));
    });
    assert.notEqual(old, 'connected');

    // Counted by reason.
    await waitUntil('the refusals counted', async () => {
      const m = await scrape(hub);
      return metric(m, 'shubbak_tls_refused_total', { listener: 'mqtts', reason: 'not_tls' }) >= 1
        && metric(m, 'shubbak_tls_refused_total', { listener: 'mqtt', reason: 'tls_on_plain' }) >= 1
        && metric(m, 'shubbak_tls_refused_total', { listener: 'mqtts', reason: 'handshake_timeout' }) >= 3
        && metric(m, 'shubbak_tls_refused_total', { listener: 'mqtts', reason: 'old_protocol' }) >= 1;
    });

    // The connected device never noticed: still online, its commands still answered.
    assert.equal(kiosk.isOnline, true);
    const r = await kiosk.request('ticket.issue', { line: 'A' });
    assert.equal(r.ok, true, JSON.stringify(r));
  });

  test('with TLS on, plain MQTT listens on loopback only, and the days left on the certificate are a metric', async (t) => {
    const hub = await startTlsHub(t);
    // Tests bind loopback only; what a center's 0.0.0.0 becomes for the plain port is plainHost's rule.
    assert.equal(plainHost('0.0.0.0'), '127.0.0.1');
    assert.equal(plainHost('::'), '127.0.0.1');
    assert.equal(plainHost('192.168.1.10'), '127.0.0.1');
    assert.equal(plainHost('::1'), '::1');
    // The plain broker port answers on 127.0.0.1 …
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(hub.mqttPort, '127.0.0.1', () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    assert.equal(ok, true);
    // … and is bound there: the listening socket's address is loopback, not 0.0.0.0.
    const bound = listeningAddress(hub.mqttPort);
    assert.equal(bound, '127.0.0.1');
    const m = await scrape(hub);
    const days = metric(m, 'shubbak_tls_cert_days_left');
    assert.ok(days >= 390 && days <= 397, `days left: ${days}`);
    assert.ok(fs.existsSync(path.join(hub.dataDir, 'tls', 'ca.key')));
  });

  /** The local address a TCP port listens on, from /proc/net/tcp (this process's sockets included). */
  function listeningAddress(port: number): string | null {
    const hex = port.toString(16).toUpperCase().padStart(4, '0');
    for (const line of fs.readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 4 || f[3] !== '0A') continue; // LISTEN
      const [ip, p] = f[1].split(':');
      if (p !== hex) continue;
      const b = Buffer.from(ip, 'hex');
      return `${b[3]}.${b[2]}.${b[1]}.${b[0]}`;
    }
    return null;
  }

  test('a running hub renews its certificate before expiry: new connections get the new one, connected devices stay', async (t) => {
    const hub = await startTlsHub(t);
    const ca = hub.tls.caCert;
    const serial = () => new Promise<string>((resolve, reject) => {
      const s = tls.connect({ port: hub.tls.mqttsPort, host: '127.0.0.1', servername: 'localhost', ca }, () => {
        resolve(s.getPeerCertificate().serialNumber);
        s.destroy();
      });
      s.on('error', reject);
    });
    const kiosk = await hub.device('kiosk-1', { url: `mqtts://localhost:${hub.tls.mqttsPort}`, ca });
    const before = await serial();
    assert.equal(hub.tls.renew(), false, 'nothing to renew yet');
    // Time passes: the certificate on disk has 10 days left (signed by the same center CA).
    const dir = path.join(hub.dataDir, 'tls');
    const key = newPrivateKey();
    const now = Date.now();
    const old = signServerCert({ caKeyPem: fs.readFileSync(path.join(dir, 'ca.key'), 'utf8'), caCertPem: ca, keyPem: key, names: NAMES, notBefore: new Date(now - 387 * 86_400_000), notAfter: new Date(now + 10 * 86_400_000) });
    fs.writeFileSync(path.join(dir, 'server.key'), key, { mode: 0o600 });
    fs.writeFileSync(path.join(dir, 'server.pem'), old);
    assert.equal(hub.tls.renew(), true, 'renewed at the check');
    const after = await serial();
    assert.notEqual(after, before);
    assert.ok(metric(await scrape(hub), 'shubbak_tls_cert_days_left') >= 390);
    assert.equal(kiosk.isOnline, true, 'the connected device kept its connection');
    assert.equal((await kiosk.request('ticket.issue', { line: 'A' })).ok, true);
  });
});
