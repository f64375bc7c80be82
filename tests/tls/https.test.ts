// HTTPS on the hub (issue 17): panels and API over TLS verified against the center CA, with
// HSTS and Secure session cookies; MQTT over secure WebSocket on the same port; the plain
// HTTP port serves the hub's own machine only and sends everyone else to HTTPS (GET and
// HEAD redirected, anything else refused — nothing processed in clear); plain HTTP on the
// HTTPS port and a TLS hello on the plain port are refused and counted.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { readStaffFile } from '../../hub/db/seed-staff.ts';
import { metric, run, scrape, startTlsHub, waitUntil } from './support.ts';

type Answer = { status: number; headers: http.IncomingHttpHeaders; body: string };

function request(url: string, opts: https.RequestOptions & { body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = (u.protocol === 'https:' ? https : http).request(u, opts, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

describe('HTTPS on the hub', () => {
  test('HTTPS: the panels and API verified against the center CA, HSTS, Secure cookies, wss MQTT', async (t) => {
    const hub = await startTlsHub(t);
    const ca = fs.readFileSync(hub.caFile, 'utf8');
    const base = `https://localhost:${hub.tls.httpsPort}`;

    // curl, with the center CA as its only trust.
    const page = await run('curl', ['-sS', '--cacert', hub.caFile, '-o', '/dev/null', '-w', '%{http_code} %{ssl_verify_result}', '-D', '-', `${base}/`]);
    assert.equal(page.code, 0, page.stderr);
    assert.match(page.stdout, /strict-transport-security: max-age=\d+/i);
    assert.match(page.stdout, /200 0$/);
    // curl without it: refused (exit 60, certificate problem).
    const untrusted = await run('curl', ['-sS', '--capath', '/nonexistent', '--cacert', '/dev/null', `${base}/`]);
    assert.notEqual(untrusted.code, 0);

    // Sign in over HTTPS: the session and CSRF cookies are Secure.
    const admin = readStaffFile(hub.dataDir)!.users.find((u) => u.role === 'admin')!;
    const login = await request(`${base}/api/auth/login`, {
      method: 'POST', ca, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: admin.username, password: admin.password }),
    });
    assert.equal(login.status, 200, login.body);
    const cookies = login.headers['set-cookie'] ?? [];
    assert.ok(cookies.length >= 2);
    for (const c of cookies) assert.match(c, /;\s*Secure/i, c);

    // MQTT over secure WebSocket on the HTTPS port, the hub's certificate checked.
    const led = await hub.device('led-1', { url: `wss://localhost:${hub.tls.httpsPort}/mqtt`, ca });
    assert.equal(led.isOnline, true);
  });

  test('plain HTTP beside HTTPS: this machine gets the app, others are redirected or refused; wrong protocols counted', async (t) => {
    const hub = await startTlsHub(t);
    // The hub's own tools (127.0.0.1): the whole app, in clear, on loopback.
    const own = await request(`${hub.httpUrl}/`, { localAddress: '127.0.0.1' });
    assert.equal(own.status, 200);
    // Anyone else (a LAN browser, played here from 127.0.0.2): a redirect to HTTPS, same path.
    const port = new URL(hub.httpUrl).port;
    const browser = await request(`http://127.0.0.1:${port}/tv?x=1`, { localAddress: '127.0.0.2', headers: { host: `shubbak-hub.local:${port}` } });
    assert.equal(browser.status, 301);
    assert.equal(browser.headers.location, `https://shubbak-hub.local:${hub.tls.httpsPort}/tv?x=1`);
    // A password posted in clear is not processed: refused with a stable code.
    const post = await request(`http://127.0.0.1:${port}/api/auth/login`, {
      method: 'POST', localAddress: '127.0.0.2', headers: { 'content-type': 'application/json' }, body: '{"username":"admin","password":"x"}',
    });
    assert.equal(post.status, 403);
    assert.equal(JSON.parse(post.body).error.code, 'TLS_REQUIRED');
    // MQTT over plain WebSocket from another address: refused before the upgrade.
    const ws = await new Promise<string>((resolve) => {
      const s = net.connect({ port: Number(port), host: '127.0.0.1', localAddress: '127.0.0.2' }, () => {
        s.write(`GET /mqtt HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: mqtt\r\n\r\n`);
      });
      let got = '';
      s.on('data', (d) => (got += d.toString()));
      s.on('close', () => resolve(got.split('\r\n')[0]));
      s.on('error', () => {});
    });
    assert.equal(ws, 'HTTP/1.1 403 Forbidden');

    // Plain HTTP on the HTTPS port: closed, counted.
    await new Promise<void>((resolve) => {
      const s = net.connect(hub.tls.httpsPort, '127.0.0.1', () => s.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
      s.on('error', () => {});
      s.on('close', () => resolve());
    });
    // A TLS hello on the plain HTTP port: closed, counted.
    await new Promise<void>((resolve) => {
      const s = tls.connect({ port: Number(port), host: '127.0.0.1', servername: 'localhost', rejectUnauthorized: true });
      s.on('error', () => resolve());
      s.on('secureConnect', () => assert.fail('TLS finished on the plain port'));
    });
    await waitUntil('the refusals counted', async () => {
      const m = await scrape(hub);
      return metric(m, 'shubbak_tls_refused_total', { listener: 'https', reason: 'not_tls' }) >= 1
        && metric(m, 'shubbak_tls_refused_total', { listener: 'http', reason: 'tls_on_plain' }) >= 1;
    });
  });
});
