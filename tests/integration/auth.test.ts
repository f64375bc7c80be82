import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestHub } from '../helpers/hub.ts';
import { signIn } from '../helpers/staff.ts';
import { FakeClock } from '../helpers/clock.ts';
import { CSRF_HEADER, SESSION_COOKIE } from '../../hub/auth/guard.ts';
import { LOGIN_LOCK_MS, LOGIN_MAX_FAILURES, SESSION_IDLE_MS } from '../../hub/services/staff.ts';
import { verifyPassword } from '../../hub/auth/password.ts';
import { LOGINS_PER_ADDRESS_PER_MINUTE } from '../../hub/routes/auth/routes.ts';

describe('staff sign-in, sessions and accounts', () => {
  test('sign in, who am I, cookies are httpOnly + SameSite=Strict, sign out', async (t) => {
    const hub = await startTestHub(t);
    const res = await hub.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'nobody', password: 'x' } });
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().error.code, 'INVALID_CREDENTIALS');

    const as = await signIn(hub, 'manager');
    assert.equal(as.user.role, 'manager');
    const login = await hub.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: as.username, password: as.password } });
    const session = login.cookies.find((c) => c.name === SESSION_COOKIE)!;
    assert.equal(session.httpOnly, true);
    assert.equal(session.sameSite, 'Strict');
    const csrf = login.cookies.find((c) => c.name === 'shubbak_csrf')!;
    assert.ok(!csrf.httpOnly);

    const me = await as.inject({ method: 'GET', url: '/api/auth/me' });
    assert.equal(me.statusCode, 200);
    assert.equal(me.json().username, 'manager');

    assert.equal((await hub.app.inject({ method: 'GET', url: '/api/auth/me' })).statusCode, 401);
    assert.equal((await as.inject({ method: 'POST', url: '/api/auth/logout' })).statusCode, 204);
    assert.equal((await as.inject({ method: 'GET', url: '/api/auth/me' })).statusCode, 401);
    // The password is stored as scrypt, not in clear.
    const row = hub.ctx.db.prepare('SELECT password_hash FROM users WHERE username = ?').get('manager') as { password_hash: string };
    assert.match(row.password_hash, /^scrypt\$\d+\$8\$1\$/);
    assert.equal(await verifyPassword(as.password, row.password_hash), true);
  });

  test('a state-changing request without the CSRF token is refused and changes nothing', async (t) => {
    const hub = await startTestHub(t);
    const as = await signIn(hub, 'reception');
    const before = hub.ctx.db.prepare('SELECT count(*) AS n FROM tickets').get() as { n: number };
    const noHeader = await hub.app.inject({ method: 'POST', url: '/api/tickets', cookies: { [SESSION_COOKIE]: as.sessionToken }, payload: { line: 'A' } });
    assert.equal(noHeader.statusCode, 403);
    assert.equal(noHeader.json().error.code, 'CSRF');
    const wrong = await as.inject({ method: 'POST', url: '/api/tickets', headers: { [CSRF_HEADER]: 'x'.repeat(32) }, payload: { line: 'A' } });
    assert.equal(wrong.statusCode, 403);
    const after = hub.ctx.db.prepare('SELECT count(*) AS n FROM tickets').get() as { n: number };
    assert.equal(after.n, before.n);
    const ok = await as.inject({ method: 'POST', url: '/api/tickets', payload: { line: 'A' } });
    assert.equal(ok.statusCode, 200, ok.body);
  });

  test('login throttling per username and address, then unlock after the lock time', async (t) => {
    const clock = new FakeClock(Date.parse('2026-03-02T08:00:00Z'));
    const hub = await startTestHub(t, { clock: clock.now });
    const as = await signIn(hub, 'cashier');
    for (let i = 0; i < LOGIN_MAX_FAILURES; i++) {
      const r = await hub.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'cashier', password: 'wrong-password' } });
      assert.equal(r.statusCode, 401);
    }
    // Locked: even the right password is refused now.
    const locked = await hub.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'cashier', password: as.password } });
    assert.equal(locked.statusCode, 429);
    assert.equal(locked.json().error.code, 'LOGIN_THROTTLED');
    // Another address is not locked out by the guesser.
    const other = await hub.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: '10.0.0.7', payload: { username: 'cashier', password: as.password } });
    assert.equal(other.statusCode, 200);
    clock.advance(LOGIN_LOCK_MS + 1000);
    const later = await hub.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'cashier', password: as.password } });
    assert.equal(later.statusCode, 200);
  });

  test('sessions expire after idle time; deactivated users lose their session', async (t) => {
    const clock = new FakeClock(Date.parse('2026-03-02T08:00:00Z'));
    const hub = await startTestHub(t, { clock: clock.now });
    const as = await signIn(hub, 'delivery');
    clock.advance(SESSION_IDLE_MS + 1000);
    assert.equal((await as.inject({ method: 'GET', url: '/api/auth/me' })).statusCode, 401);

    const admin = await signIn(hub, 'admin');
    const intake = await signIn(hub, 'intake');
    const r = await admin.inject({ method: 'POST', url: `/api/users/${intake.user.id}/deactivate` });
    assert.equal(r.statusCode, 200, r.body);
    assert.equal((await intake.inject({ method: 'GET', url: '/api/auth/me' })).statusCode, 401);
    const relogin = await hub.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'intake', password: intake.password } });
    assert.equal(relogin.statusCode, 401);
  });

  test('first administrator must change the one-time password; admin creates users with one-time passwords', async (t) => {
    const hub = await startTestHub(t);
    const admin = await signIn(hub, 'admin');
    const created = await admin.inject({ method: 'POST', url: '/api/users', payload: { username: 'rep.eng', name: 'مندوب هندسي', role: 'representative', departmentIds: [1] } });
    assert.equal(created.statusCode, 201, created.body);
    const { user, password } = created.json();
    assert.equal(user.mustChangePassword, true);
    assert.deepEqual(user.departmentIds, [1]);

    const rep = await signIn(hub, 'rep.eng', password);
    assert.equal(rep.user.mustChangePassword, true);
    const blocked = await rep.inject({ method: 'GET', url: '/api/users' });
    assert.equal(blocked.statusCode, 403);
    assert.equal(blocked.json().error.code, 'PASSWORD_CHANGE_REQUIRED');
    const weak = await rep.inject({ method: 'POST', url: '/api/auth/password', payload: { current: password, next: 'short' } });
    assert.equal(weak.statusCode, 400);
    assert.equal(weak.json().error.details[0].path, '/next');
    const changed = await rep.inject({ method: 'POST', url: '/api/auth/password', payload: { current: password, next: 'Nile-River-2026!' } });
    assert.equal(changed.statusCode, 204, changed.body);
    const me = await rep.inject({ method: 'GET', url: '/api/auth/me' });
    assert.equal(me.json().mustChangePassword, false);

    // A duplicate username is a conflict; a bad role a field error.
    const dup = await admin.inject({ method: 'POST', url: '/api/users', payload: { username: 'rep.eng', name: 'مكرر', role: 'intake' } });
    assert.equal(dup.statusCode, 409);
    const bad = await admin.inject({ method: 'POST', url: '/api/users', payload: { username: 'x1y', name: 'خطأ', role: 'king' } });
    assert.equal(bad.statusCode, 400);

    // Stale update.
    const v = user.version;
    const ok = await admin.inject({ method: 'PATCH', url: `/api/users/${user.id}`, payload: { version: v, window: 2 } });
    assert.equal(ok.statusCode, 200, ok.body);
    const stale = await admin.inject({ method: 'PATCH', url: `/api/users/${user.id}`, payload: { version: v, window: 1 } });
    assert.equal(stale.statusCode, 409);
    assert.equal(stale.json().error.code, 'STALE_UPDATE');

    // The first administrator exists with a forced change.
    const first = hub.ctx.staff.findByUsername('admin')!;
    assert.equal(first.role, 'admin');
    assert.equal(first.mustChangePassword, true);
    const reset = await admin.inject({ method: 'POST', url: `/api/users/${user.id}/reset-password` });
    assert.equal(reset.statusCode, 200);
    assert.equal((await rep.inject({ method: 'GET', url: '/api/auth/me' })).statusCode, 401);
    // Every write is audited.
    assert.ok(hub.ctx.audit.history('user', user.id).map((e) => e.action).includes('user.password_reset'));
    assert.equal(hub.ctx.audit.verify().ok, true);

    // The last active administrator can be neither demoted nor deactivated.
    assert.equal((await admin.inject({ method: 'POST', url: `/api/users/${first.id}/deactivate` })).statusCode, 200);
    const self = (await admin.inject({ method: 'GET', url: '/api/users' })).json().find((u: { id: number }) => u.id === admin.user.id);
    const demote = await admin.inject({ method: 'PATCH', url: `/api/users/${self.id}`, payload: { version: self.version, role: 'manager' } });
    assert.equal(demote.statusCode, 409);
    assert.equal(demote.json().error.code, 'LAST_ADMIN');
    assert.equal((await admin.inject({ method: 'POST', url: `/api/users/${self.id}/deactivate` })).statusCode, 409);
  });

  test('one address trying many usernames is rate-limited', async (t) => {
    const hub = await startTestHub(t);
    const ip = '10.9.8.7';
    for (let i = 0; i < LOGINS_PER_ADDRESS_PER_MINUTE; i++) {
      const r = await hub.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: ip, payload: { username: `guess${i}`, password: 'Password123' } });
      assert.equal(r.statusCode, 401);
    }
    const limited = await hub.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: ip, payload: { username: 'manager', password: 'x' } });
    assert.equal(limited.statusCode, 429);
    assert.equal(limited.json().error.code, 'RATE_LIMITED');
  });

  test('a restart keeps accounts and sessions, and seeds nothing again', async (t) => {
    const hub = await startTestHub(t);
    const as = await signIn(hub, 'manager');
    const users = hub.ctx.staff.count();
    const again = await hub.restart();
    assert.equal(again.ctx.staff.count(), users);
    const me = await again.app.inject({ method: 'GET', url: '/api/auth/me', cookies: { [SESSION_COOKIE]: as.sessionToken } });
    assert.equal(me.statusCode, 200);
    assert.equal((await signIn(again, 'manager')).user.username, 'manager');
  });
});
