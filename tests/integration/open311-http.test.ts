// Open311 GeoReport v2 at the HTTP edge (issue 14 item 4): every 4xx under /open311 —
// unknown routes and methods too — in GeoReport's error shape, in the format the URL asks
// for (XML unless ".json"); CORS for browser clients (reads open, a POST with its api_key,
// the preflight answered), proved in Debian's Chromium from a page on another origin;
// names and descriptions Arabic by default and English for a client that prefers English.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestHub } from '../helpers/hub.ts';
import { issueKey, items, parseXml } from '../helpers/open311.ts';
import { OPEN311_READS } from '../../hub/routes/open311/routes.ts';
import { chromiumAvailable, launchChromium } from '../browser/chromium.ts';

describe('Open311 at the HTTP edge: errors, CORS, languages', () => {
  test('unknown routes, methods and extensions under /open311 answer 404 in GeoReport\'s shape', async (t) => {
    const hub = await startTestHub(t);
    const cases: [string, string, 'xml' | 'json'][] = [
      ['GET', '/open311/v2/nope.json', 'json'],
      ['GET', '/open311/v2/nope', 'xml'],
      ['GET', '/open311/v2/services', 'xml'],
      ['GET', '/open311/v2/services.html', 'xml'],
      ['GET', '/open311/v2/services/ENG.html', 'xml'],
      ['GET', '/open311/v2/requests/C-2026-000001-95.csv', 'xml'],
      ['DELETE', '/open311/v2/requests.json', 'json'],
      ['PUT', '/open311/v2/requests.xml', 'xml'],
      ['GET', '/open311/v3/services.json?x=1', 'json'],
      ['GET', '/open311', 'xml'],
    ];
    for (const [method, url, format] of cases) {
      const r = await hub.app.inject({ method: method as 'GET', url });
      assert.equal(r.statusCode, 404, `${method} ${url}`);
      assert.equal(r.headers['access-control-allow-origin'], '*', `${method} ${url}`);
      if (format === 'json') {
        assert.match(String(r.headers['content-type']), /^application\/json/);
        const [e] = r.json();
        assert.equal(e.code, 404);
        assert.equal(e.error_code, 'NOT_FOUND');
        assert.ok(e.description.length > 0);
      } else {
        assert.match(String(r.headers['content-type']), /^text\/xml/);
        const [e] = items<Record<string, string>>(parseXml(r.body).errors, 'error');
        assert.equal(e.code, '404');
        assert.ok(e.description.length > 0);
      }
    }
    // Outside /open311 the hub's own shape is unchanged.
    const api = await hub.app.inject({ method: 'GET', url: '/api/nope' });
    assert.equal(api.statusCode, 404);
    assert.equal(api.json().error.code, 'NOT_FOUND');
  });

  test('CORS: reads open to any origin, errors readable, the preflight of a JSON POST answered', async (t) => {
    const hub = await startTestHub(t);
    const origin = { origin: 'https://civic-app.example' };
    for (const url of ['/open311/discovery.json', '/open311/v2/services.xml', '/open311/v2/services/CLEAN.json', '/open311/v2/requests.json', '/open311/v2/requests/C-2026-000001-95.json']) {
      const r = await hub.app.inject({ method: 'GET', url, headers: origin });
      assert.equal(r.headers['access-control-allow-origin'], '*', url);
      assert.equal(r.headers['cross-origin-resource-policy'], 'cross-origin', url);
    }
    const pre = await hub.app.inject({ method: 'OPTIONS', url: '/open311/v2/requests.json', headers: { ...origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    assert.equal(pre.statusCode, 204);
    assert.equal(pre.headers['access-control-allow-origin'], '*');
    assert.match(String(pre.headers['access-control-allow-methods']), /\bPOST\b/);
    assert.match(String(pre.headers['access-control-allow-headers']), /content-type/i);
    const refused = await hub.app.inject({ method: 'POST', url: '/open311/v2/requests.json', headers: origin, payload: { service_code: 'CLEAN' } });
    assert.equal(refused.statusCode, 403);
    assert.equal(refused.headers['access-control-allow-origin'], '*');
    // The staff API stays same-origin.
    const staffApi = await hub.app.inject({ method: 'GET', url: '/api/catalog/departments', headers: origin });
    assert.equal(staffApi.headers['access-control-allow-origin'], undefined);
  });

  test('Arabic by default; English names and descriptions for a client that prefers English', async (t) => {
    const hub = await startTestHub(t);
    const arabic = /[\u0600-\u06FF]/;
    const ar = await hub.app.inject({ method: 'GET', url: '/open311/v2/services.json' });
    const clean = ar.json().find((s: { service_code: string }) => s.service_code === 'CLEAN');
    assert.equal(clean.service_name, 'إدارة النظافة والتجميل');
    assert.equal(ar.headers['content-language'], 'ar');
    const en = await hub.app.inject({ method: 'GET', url: '/open311/v2/services.json', headers: { 'accept-language': 'en-US,en;q=0.9,ar;q=0.5' } });
    assert.equal(en.headers['content-language'], 'en');
    for (const s of en.json()) {
      for (const k of ['service_name', 'description', 'keywords', 'group']) assert.ok(!arabic.test(s[k]), `${s.service_code} ${k}: ${s[k]}`);
    }
    assert.equal(en.json().find((s: { service_code: string }) => s.service_code === 'CLEAN').service_name, 'Cleaning & Beautification');
    const def = await hub.app.inject({ method: 'GET', url: '/open311/v2/services/ENG.xml', headers: { 'accept-language': 'en' } });
    const attrs = items<Record<string, unknown>>((parseXml(def.body).service_definition as Record<string, unknown>).attributes, 'attribute');
    for (const a of attrs) {
      assert.ok(!arabic.test(String(a.description)), String(a.description));
      for (const v of items<Record<string, string>>(a.values, 'value')) assert.ok(!arabic.test(v.name), v.name);
    }
    // A preference for Arabic (or none that we speak) keeps Arabic.
    const fr = await hub.app.inject({ method: 'GET', url: '/open311/v2/services.json', headers: { 'accept-language': 'fr, ar;q=0.8, en;q=0.5' } });
    assert.equal(fr.headers['content-language'], 'ar');
    const { key } = await issueKey(hub);
    const post = await hub.app.inject({ method: 'POST', url: '/open311/v2/requests.json', headers: { 'accept-language': 'en' },
      payload: { api_key: key, service_code: 'CLEAN', description: 'Garbage piled at the corner', address_string: 'Nile St.' } });
    assert.equal(post.statusCode, 201);
    assert.ok(!arabic.test(post.json()[0].service_notice), post.json()[0].service_notice);
  });

  test('reads are limited per address: the 429 is in GeoReport\'s shape too', async (t) => {
    const hub = await startTestHub(t);
    for (let i = 0; i < OPEN311_READS.max; i++) {
      assert.equal((await hub.app.inject({ method: 'GET', url: '/open311/v2/services.xml', remoteAddress: '10.1.2.3' })).statusCode, 200);
    }
    const xml = await hub.app.inject({ method: 'GET', url: '/open311/v2/services.xml', remoteAddress: '10.1.2.3' });
    assert.equal(xml.statusCode, 429);
    const [e] = items<Record<string, string>>(parseXml(xml.body).errors, 'error');
    assert.equal(e.code, '429');
    assert.equal(e.error_code, 'RATE_LIMITED');
    assert.equal(xml.headers['access-control-allow-origin'], '*');
    // Another address is not affected.
    assert.equal((await hub.app.inject({ method: 'GET', url: '/open311/v2/services.xml', remoteAddress: '10.1.2.4' })).statusCode, 200);
  });

  test('a browser page on another origin reads the services and files a complaint with its api_key (Chromium)', { skip: !chromiumAvailable() && 'no /usr/bin/chromium' }, async (t) => {
    const hub = await startTestHub(t);
    const { key } = await issueKey(hub, 'civic web app');
    // The civic app's own origin: another port on loopback, serving one empty page.
    const site = http.createServer((_req, res) => { res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }); res.end('<!doctype html><title>civic app</title>'); });
    await new Promise<void>((ok) => site.listen(0, '127.0.0.1', ok));
    t.after(() => new Promise<void>((ok) => site.close(() => ok())));
    const siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}/`;
    const hubUrl = hub.httpUrl.replace('localhost', '127.0.0.1');
    assert.notEqual(new URL(siteUrl).origin, new URL(hubUrl).origin);

    const browser = await launchChromium();
    t.after(() => browser.close());
    const page = await browser.newPage();
    await page.goto(siteUrl);
    const result = await page.evaluate(async ({ hubUrl, key }) => {
      const services = await fetch(`${hubUrl}/open311/v2/services.xml`).then(async (r) => ({ status: r.status, xml: await r.text() }));
      const codes = [...new DOMParser().parseFromString(services.xml, 'text/xml').querySelectorAll('service > service_code')].map((e) => e.textContent);
      // A JSON body: not a "simple" request, so the browser sends the preflight first.
      const post = await fetch(`${hubUrl}/open311/v2/requests.json`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ api_key: key, service_code: 'CLEAN', description: 'تراكم القمامة أمام المدرسة', address_string: 'شارع المدرسة' }),
      }).then(async (r) => ({ status: r.status, body: await r.json() }));
      const refused = await fetch(`${hubUrl}/open311/v2/requests.json`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ service_code: 'CLEAN' }),
      }).then(async (r) => ({ status: r.status, body: await r.json() }));
      return { status: services.status, codes, post, refused };
    }, { hubUrl, key });
    assert.equal(result.status, 200);
    assert.ok(result.codes.includes('CLEAN'), JSON.stringify(result.codes));
    assert.equal(result.post.status, 201, JSON.stringify(result.post));
    assert.match(result.post.body[0].service_request_id, /^C-\d{4}-\d{6}-\d\d$/);
    assert.equal(result.refused.status, 403);
    assert.equal(result.refused.body[0].error_code, 'API_KEY_REQUIRED');
  });
});
