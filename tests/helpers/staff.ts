// Sign in as a demo staff member (credentials from the demo seed's data/staff.json) and
// call the API as them: inject() adds the session cookie and the CSRF header.
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { ROLES, type Role, type StaffUser } from '../../hub/auth/roles.ts';
import { CSRF_HEADER, SESSION_COOKIE } from '../../hub/auth/guard.ts';
import { readStaffFile } from '../../hub/db/seed-staff.ts';

export type SignedIn = {
  user: StaffUser & { mustChangePassword: boolean };
  username: string;
  password: string;
  sessionToken: string;
  csrfToken: string;
  /** app.inject with this user's cookie and CSRF header (override either by passing your own). */
  inject(opts: InjectOptions): Promise<LightMyRequestResponse>;
};

type HubLike = { app: FastifyInstance; dataDir: string };

export function demoPassword(hub: HubLike, username: string): string {
  const file = readStaffFile(hub.dataDir);
  const u = file?.users.find((x) => x.username === username);
  if (!u) throw new Error(`no demo credentials for ${username} (is the demo seeded?)`);
  return u.password;
}

/** Sign in by role (the first demo user with it) or by username; with a password for non-demo users. */
export async function signIn(hub: HubLike, who: Role | string, password?: string): Promise<SignedIn> {
  let username = who;
  if (password === undefined) {
    const file = readStaffFile(hub.dataDir);
    if (!file) throw new Error('no data/staff.json: start the hub with the demo seed');
    const u = (ROLES as readonly string[]).includes(who) ? file.users.find((x) => x.role === who) : file.users.find((x) => x.username === who);
    if (!u) throw new Error(`no demo user for ${who}`);
    username = u.username;
    password = u.password;
  }
  const res = await hub.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`sign-in as ${username} failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === SESSION_COOKIE);
  if (!cookie) throw new Error('no session cookie');
  const me = res.json() as SignedIn['user'] & { csrfToken: string };
  const sessionToken = cookie.value;
  const csrfToken = me.csrfToken;
  return {
    user: me, username, password, sessionToken, csrfToken,
    inject(opts) {
      const headers = { [CSRF_HEADER]: csrfToken, ...(opts.headers ?? {}) };
      const cookies = { [SESSION_COOKIE]: sessionToken, ...(opts.cookies ?? {}) };
      return hub.app.inject({ ...opts, headers, cookies });
    },
  };
}
