// Staff sign-in: login (sets the session and CSRF cookies), logout, who am I, and the
// password change every new user must make first.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { ROLES, ROLE_NAMES } from '../../auth/roles.ts';
import { clearSessionCookies, setSessionCookies } from '../../auth/guard.ts';
import { ApiError } from '../../http/errors.ts';
import { staffActor } from '../../domain/actor.ts';

const Me = Type.Object({
  id: Type.Integer(), username: Type.String(), name: Type.String(), role: Type.String(),
  roleName: Type.Object({ ar: Type.String(), en: Type.String() }),
  departmentIds: Type.Union([Type.Array(Type.Integer()), Type.Null()]),
  window: Type.Union([Type.Integer(), Type.Null()]),
  mustChangePassword: Type.Boolean(),
  csrfToken: Type.String({ description: 'echo in the x-csrf-token header of every POST/PUT/PATCH/DELETE' }),
});

/** Sign-in attempts one address may make per minute, whatever the usernames. */
export const LOGINS_PER_ADDRESS_PER_MINUTE = 60;

export const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { staff, queue } = app.hub;

  app.post('/auth/login', {
    // Per (username, address) throttling is in the staff service; this caps one address
    // trying many usernames (password spraying).
    config: { access: 'public', rateLimit: { max: LOGINS_PER_ADDRESS_PER_MINUTE, timeWindow: '1 minute' } },
    schema: {
      tags: ['auth'], summary: 'Sign in; sets the session cookie',
      body: Type.Object({ username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
      response: { 200: Me },
    },
  }, async (req, reply) => {
    const { token, session } = await staff.login(req.body.username, req.body.password, req.ip, req.headers['user-agent'] ?? '');
    setSessionCookies(req, reply, token, session.csrfToken, session.expiresAt);
    return { ...session.user, roleName: ROLE_NAMES[session.user.role], mustChangePassword: session.mustChangePassword, csrfToken: session.csrfToken };
  });

  app.post('/auth/logout', {
    config: { access: ROLES },
    schema: { tags: ['auth'], summary: 'Sign out this browser' },
  }, async (req, reply) => {
    staff.logout(req.session!.token, req.user!.id);
    // The citizen at the clerk's window is finished and the window closes (issue 11 item 5).
    const n = req.user!.window;
    if (n !== null) queue.clerkLeft(n, staffActor(req.user!));
    clearSessionCookies(reply);
    return reply.status(204).send();
  });

  app.get('/auth/me', {
    config: { access: ROLES },
    schema: { tags: ['auth'], summary: 'The signed-in user', response: { 200: Me } },
  }, async (req) => ({
    ...req.user!, roleName: ROLE_NAMES[req.user!.role], mustChangePassword: req.session!.mustChangePassword, csrfToken: req.session!.csrfToken,
  }));

  app.post('/auth/password', {
    config: { access: ROLES },
    schema: {
      tags: ['auth'], summary: 'Change one\'s own password (required after a one-time password)',
      body: Type.Object({ current: Type.String({ minLength: 1, maxLength: 200 }), next: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
    },
  }, async (req, reply) => {
    if (!req.user || !req.session) throw new ApiError(401, 'UNAUTHENTICATED', 'يجب تسجيل الدخول أولاً');
    await staff.changePassword(req.user.id, req.session.token, req.body.current, req.body.next);
    return reply.status(204).send();
  });
};
