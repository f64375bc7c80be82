// Operations (issue 15): liveness and readiness probes, Prometheus metrics counted where
// things happen and readable only from the allowed addresses, security headers on every
// page, and request logs without inquiry numbers or national-ID digits.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { topics } from '@shubbak/protocol';
import { startTestHub } from '../helpers/hub.ts';
import { signIn } from '../helpers/staff.ts';

/** One sample's value from Prometheus text, or undefined. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-z_]+)(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = Object.fromEntries((m[2] ?? '').split(',').filter(Boolean).map((kv) => {
      const [k, v] = kv.split('=');
      return [k, v.replace(/^"|"$/g, '')];
    }));
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) return m[3] === '+Inf' ? Infinity : Number(m[3]);
  }
  return undefined;
}

describe('operations: probes, metrics and logs', () => {
  test('/healthz and /readyz answer; /readyz is 503 with the failing check named when the disk is below its floor', async (t) => {
    const hub = await startTestHub(t);
    const h = await fetch(`${hub.httpUrl}/healthz`);
    assert.equal(h.status, 200);
    assert.deepEqual(await h.json(), { ok: true });
    const r = await fetch(`${hub.httpUrl}/readyz`);
    assert.equal(r.status, 200);
    const body = await r.json() as { ready: boolean; checks: Record<string, { ok: boolean }> };
    assert.equal(body.ready, true);
    assert.deepEqual(Object.keys(body.checks).sort(), ['broker', 'database', 'disk']);
    // The probe's write really reached the database.
    assert.ok(hub.ctx.db.prepare("SELECT value FROM meta WHERE key = 'ready_probe'").get());

    const full = await startTestHub(t, { config: { readyMinFreeMb: 1_000_000 } });
    const r2 = await fetch(`${full.httpUrl}/readyz`);
    assert.equal(r2.status, 503);
    const b2 = await r2.json() as { ready: boolean; checks: Record<string, { ok: boolean; detail?: string }> };
    assert.equal(b2.ready, false);
    assert.equal(b2.checks.disk.ok, false);
    assert.match(b2.checks.disk.detail!, /less than 1000000 MiB/);
    assert.equal(b2.checks.database.ok, true);

    // The broker stops listening: not ready.
    await full.broker.close();
    const r3 = await (await fetch(`${full.httpUrl}/readyz`)).json() as { checks: Record<string, { ok: boolean }> };
    assert.equal(r3.checks.broker.ok, false);
  });

  test('/readyz fails the database check when the database cannot be written', async (t) => {
    const hub = await startTestHub(t);
    // A read-only connection state, as after a disk error remount: query_only refuses every write.
    hub.ctx.db.pragma('query_only = ON');
    const res = await fetch(`${hub.httpUrl}/readyz`);
    assert.equal(res.status, 503);
    const body = await res.json() as { checks: { database: { ok: boolean; detail: string } } };
    assert.equal(body.checks.database.ok, false);
    hub.ctx.db.pragma('query_only = OFF');
    assert.equal((await fetch(`${hub.httpUrl}/readyz`)).status, 200);
  });

  test('/metrics counts commands by type and result, devices online, waiting, MQTT and SSE clients', async (t) => {
    const hub = await startTestHub(t);
    const kiosk = await hub.device('kiosk-1');
    const keypad = await hub.device('keypad-1');
    assert.equal((await kiosk.request('ticket.issue', { line: 'A' })).ok, true);
    assert.equal((await kiosk.request('ticket.issue', { line: 'A' })).ok, true);
    assert.equal((await kiosk.request('ticket.issue', { line: 'Z' })).ok, false);
    const ac = new AbortController();
    t.after(() => ac.abort());
    const sse = await fetch(`${hub.httpUrl}/api/live/queue`, { signal: ac.signal });
    assert.equal(sse.status, 200);

    assert.equal((await fetch(`${hub.httpUrl}/healthz`)).status, 200);
    assert.equal((await fetch(`${hub.httpUrl}/no-such-page`)).status, 404);
    const res = await fetch(`${hub.httpUrl}/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type')!, /^text\/plain/);
    const text = await res.text();
    assert.equal(sample(text, 'shubbak_commands_total', { type: 'ticket.issue', result: 'ok' }), 2);
    assert.equal(sample(text, 'shubbak_commands_total', { type: 'ticket.issue', result: 'FORBIDDEN' }), 1, text.split('\n').filter((l) => l.startsWith('shubbak_commands_total')).join('\n'));
    assert.equal(sample(text, 'shubbak_command_duration_seconds_count', { type: 'ticket.issue' }), 3);
    assert.equal(sample(text, 'shubbak_devices_online', { kind: 'kiosk' }), 1);
    assert.equal(sample(text, 'shubbak_devices_online', { kind: 'keypad' }), 1);
    assert.equal(sample(text, 'shubbak_devices_online', { kind: 'display' }), 0);
    assert.equal(sample(text, 'shubbak_line_waiting', { line: 'A' }), 2);
    assert.equal(sample(text, 'shubbak_line_waiting', { line: 'B' }), 0);
    assert.ok(sample(text, 'shubbak_mqtt_clients')! >= 2);
    assert.equal(sample(text, 'shubbak_mqtt_queued_messages') !== undefined, true);
    assert.equal(sample(text, 'shubbak_sse_clients', { stream: 'queue' }), 1);
    assert.equal(sample(text, 'shubbak_sse_clients', { stream: 'staff' }), 0);
    assert.ok(sample(text, 'shubbak_event_loop_lag_seconds', { quantile: '0.99' })! >= 0);
    assert.equal(sample(text, 'shubbak_backup_age_seconds'), Infinity, 'no backup yet: an infinite age');
    assert.ok(sample(text, 'shubbak_http_responses_total', { status: '2xx' })! >= 1);
    assert.equal(sample(text, 'shubbak_http_responses_total', { status: '4xx' }), 1);
    await keypad.close();

    // A backup is taken: its age appears.
    await hub.ctx.backups.backup('manual');
    const after = await (await fetch(`${hub.httpUrl}/metrics`)).text();
    const age = sample(after, 'shubbak_backup_age_seconds');
    assert.ok(age !== undefined && age >= 0 && age < 60, `backup age ${age}`);
    assert.equal(sample(after, 'shubbak_devices_online', { kind: 'keypad' }), 0);
  });

  test('/metrics answers loopback only by default; SHUBBAK_METRICS_ALLOW opens it to listed networks', async (t) => {
    const hub = await startTestHub(t);
    const far = await hub.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '10.1.2.3' });
    assert.equal(far.statusCode, 403);
    assert.equal(far.json().error.code, 'FORBIDDEN');
    assert.doesNotMatch(far.body, /shubbak_/);
    assert.equal((await hub.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '127.0.0.1' })).statusCode, 200);
    assert.equal((await hub.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '::ffff:127.0.0.1' })).statusCode, 200);
    // The probes stay public.
    assert.equal((await hub.app.inject({ method: 'GET', url: '/healthz', remoteAddress: '10.1.2.3' })).statusCode, 200);

    const open = await startTestHub(t, { config: { metricsAllow: ['10.0.0.0/8', '192.168.1.7'] } });
    assert.equal((await open.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '10.1.2.3' })).statusCode, 200);
    assert.equal((await open.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '192.168.1.7' })).statusCode, 200);
    assert.equal((await open.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '192.168.1.8' })).statusCode, 403);
    assert.equal((await open.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '127.0.0.1' })).statusCode, 200);

    // The routes declare their access, and the roles table shows them.
    const table = hub.app.accessTable.filter((e) => ['/healthz', '/readyz', '/metrics'].includes(e.url));
    assert.deepEqual(table.map((e) => [e.url, e.access]).sort(), [['/healthz', 'public'], ['/metrics', 'monitoring'], ['/readyz', 'public']]);
  });

  test('every page carries the security headers: CSP without inline scripts, no framing, nosniff, no referrer', async (t) => {
    const hub = await startTestHub(t);
    for (const url of ['/', '/tv', '/status', '/docs', '/docs/static/index.html', '/assets/app.js', '/api/lines', '/no-such-page', '/healthz']) {
      const res = await fetch(`${hub.httpUrl}${url}`);
      const csp = res.headers.get('content-security-policy') ?? '';
      assert.match(csp, /frame-ancestors 'none'/, `${url}: ${csp}`);
      assert.match(csp, /script-src 'self'(;|$)/, url);
      assert.doesNotMatch(csp, /script-src[^;]*unsafe/, url);
      assert.match(csp, /object-src 'none'/, url);
      assert.doesNotMatch(csp, /upgrade-insecure-requests/, `${url}: the hub is reached over plain HTTP on the LAN`);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff', url);
      assert.equal(res.headers.get('referrer-policy'), 'no-referrer', url);
      assert.equal(res.headers.get('x-frame-options'), 'DENY', url);
      await res.body?.cancel();
    }
  });

  test('request logs carry no inquiry number, national ID or its last digits; no secret in the log', async (t) => {
    const lines: string[] = [];
    const hub = await startTestHub(t, { logger: { level: 'info', stream: { write: (l: string) => void lines.push(l) } } });
    const clerk = await signIn(hub, 'intake');
    await fetch(`${hub.httpUrl}/api/public/status?inquiry=F-2026-000123-45&nid4=1234`);
    await fetch(`${hub.httpUrl}/api/public/status?inquiry=%D9%A1F202600012345&nid4=%D9%A1%D9%A2%D9%A3%D9%A4`);
    await clerk.inject({ method: 'GET', url: '/api/citizens?nationalId=29001011234567' });
    await clerk.inject({ method: 'GET', url: '/api/files/by-inquiry/F-2026-000777-12' });
    await fetch(`${hub.httpUrl}/api/citizens/29001011234567`);
    const log = lines.join('');
    assert.match(log, /"url":"\/api\/public\/status\?inquiry=\[redacted\]&nid4=\[redacted\]"/);
    assert.match(log, /\/api\/files\/by-inquiry\/\[redacted\]/);
    // Searched in the log's text, not its numbers: a response time or a timestamp may hold
    // '000123' or '1234' by chance (it did once, on Node 24 in CI: a flaky test).
    const written = loggedText(lines);
    for (const secret of ['000123', '1234', '29001011234567', '000777', clerk.sessionToken, clerk.csrfToken, clerk.password, hub.secretOf('kiosk-1')]) {
      const at = written.indexOf(secret);
      assert.ok(at < 0, `the log shows ${secret}: …${written.slice(Math.max(0, at - 80), at + 80)}…`);
    }
    // And the device secret a device signs in with never reaches the log either.
    const c = await hub.rawClient({ clientId: 'kiosk-1.log', username: 'kiosk-1', password: hub.secretOf('kiosk-1') });
    await c.publishAsync(topics.deviceCommands('kiosk-1'), '{"nonsense":true}', { qos: 1 });
    await new Promise((r) => setTimeout(r, 100));
    assert.ok(!lines.join('').includes(hub.secretOf('kiosk-1')));
  });
});

/**
 * What the log lines say in words: every string value of each JSON line (keys included), and
 * numbers only where they are whole and long enough to be an identifier (a national ID logged
 * as a number), not timings, ports or timestamps. A line that is not JSON counts whole.
 */
function loggedText(lines: string[]): string {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') out.push(v);
    else if (typeof v === 'number' && Number.isInteger(v) && String(v).length === 14) out.push(String(v));
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) { out.push(k); walk(x); }
  };
  for (const l of lines.join('').split('\n')) {
    if (!l.trim()) continue;
    try {
      walk(JSON.parse(l));
    } catch {
      out.push(l);
    }
  }
  return out.join('\n');
}

