// Shared by the supervision tests (reports, alerts, backup): a signed-in staff member for
// app.inject, made through the real staff service and session cookies.
import type { Role } from '../../hub/auth/roles.ts';
import type { TestHub } from '../helpers/hub.ts';

export type Session = { cookie: string; csrf: string; userId: number };

export async function signIn(hub: TestHub, username: string, role: Role, departmentIds?: number[]): Promise<Session> {
  const password = 'Shubbak-test-2026!';
  const { user } = await hub.ctx.staff.create({ username, name: `موظف ${username}`, role, departmentIds }, 'system', { password, mustChange: false });
  const { token, session } = await hub.ctx.staff.login(username, password, '127.0.0.1');
  return { cookie: `shubbak_session=${token}; shubbak_csrf=${session.csrfToken}`, csrf: session.csrfToken, userId: user.id };
}

export function get(hub: TestHub, s: Session | null, url: string) {
  return hub.app.inject({ method: 'GET', url, headers: s ? { cookie: s.cookie } : {} });
}

export function post(hub: TestHub, s: Session, url: string, body?: object) {
  return hub.app.inject({ method: 'POST', url, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf }, ...(body ? { payload: body } : {}) });
}
