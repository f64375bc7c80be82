// Every registered role-limited route × every role: allowed roles get past the guard,
// the others get 403, and nobody without a session gets in (401). Routes are taken from
// what Fastify registered (app.accessTable, filled by onRoute), not from a hand list.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ROLES, type Role } from '../../hub/auth/roles.ts';
import { CSRF_HEADER, SESSION_COOKIE } from '../../hub/auth/guard.ts';
import { startTestHub } from '../helpers/hub.ts';
import { signIn, type SignedIn } from '../helpers/staff.ts';

/** A concrete URL for a route pattern: ids that do not exist, so allowed calls change nothing. */
function concrete(url: string): string {
  return url
    .replace(/:day\b/g, '2099-01-01')
    .replace(/:label\b/g, 'Z999')
    .replace(/:letter\b/g, 'Z')
    .replace(/:(\w+)(\([^)]*\))?/g, '999');
}

async function call(baseUrl: string, method: string, url: string, s: SignedIn | null): Promise<{ status: number; code?: string }> {
  const headers: Record<string, string> = {};
  if (s) {
    headers.cookie = `${SESSION_COOKIE}=${s.sessionToken}`;
    headers[CSRF_HEADER] = s.csrfToken;
  }
  let body: string | undefined;
  if (!['GET', 'HEAD', 'DELETE'].includes(method)) {
    headers['content-type'] = 'application/json';
    body = '{}';
  }
  const ac = new AbortController();
  // Real HTTP, so streaming routes answer with their headers and are then dropped.
  const res = await fetch(baseUrl + url, { method, headers, body, signal: ac.signal, redirect: 'manual' });
  let code: string | undefined;
  if (res.status === 401 || res.status === 403) code = ((await res.json()) as { error: { code: string } }).error.code;
  ac.abort();
  await res.body?.cancel().catch(() => {});
  return { status: res.status, code };
}

describe('every role-limited route for every role', () => {
  test('role × route matrix: every role-limited route answers 401 / 403 / through exactly as declared', async (t) => {
    const hub = await startTestHub(t);
    const routes = hub.app.accessTable.filter((e) => e.url.startsWith('/api/') && Array.isArray(e.access));
    assert.ok(routes.length >= 40, `found only ${routes.length} role-limited routes`);
    const sessions = new Map<Role, SignedIn>();
    for (const role of ROLES) sessions.set(role, await signIn(hub, role));

    const failures: string[] = [];
    for (const r of routes) {
      const url = concrete(r.url);
      const anon = await call(hub.httpUrl, r.method, url, null);
      if (anon.status !== 401) failures.push(`${r.method} ${r.url} without a session → ${anon.status}`);
      for (const role of ROLES) {
        // Signing out ends the session the other calls use: give it its own.
        const s = r.url === '/api/auth/logout' ? await signIn(hub, role) : sessions.get(role)!;
        const res = await call(hub.httpUrl, r.method, url, s);
        const allowed = (r.access as readonly Role[]).includes(role);
        if (allowed && (res.status === 401 || (res.status === 403 && ['FORBIDDEN', 'CSRF'].includes(res.code!)))) {
          failures.push(`${r.method} ${r.url} as ${role}: expected through, got ${res.status} ${res.code}`);
        }
        // Made-up ids and an empty body are bad input: a clear 4xx, never a crash.
        if (res.status >= 500) failures.push(`${r.method} ${r.url} as ${role}: ${res.status}`);
        if (!allowed && !(res.status === 403 && res.code === 'FORBIDDEN')) {
          failures.push(`${r.method} ${r.url} as ${role}: expected 403 FORBIDDEN, got ${res.status} ${res.code ?? ''}`);
        }
      }
    }
    assert.deepEqual(failures, []);
  });

  test('the matrix covers the queue and device routes too (no loopback stopgap)', async (t) => {
    const hub = await startTestHub(t);
    const urls = new Set(hub.app.accessTable.map((e) => `${e.method} ${e.url}`));
    for (const u of ['POST /api/tickets', 'POST /api/windows/:n/next', 'POST /api/devices', 'GET /api/devices', 'POST /api/users', 'POST /api/complaints']) {
      assert.ok(urls.has(u), `${u} registered`);
    }
    // From loopback, without a session, a role-limited route is now closed.
    const res = await fetch(`${hub.httpUrl}/api/devices`);
    assert.equal(res.status, 401);
    // Every /api route declares its access.
    assert.deepEqual(hub.app.accessTable.filter((e) => e.url.startsWith('/api/') && e.access === undefined), []);
  });
});
