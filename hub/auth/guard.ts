// Enforces each route's declared access (config.access, see roles.ts) with staff sessions:
// - the session cookie (httpOnly, SameSite=Strict, Secure over TLS) names a live session;
//   request.user is its user, or null;
// - a role-limited route answers 401 without a session and 403 when the role is not listed;
// - a state-changing request to a role-limited route must echo the session's CSRF token
//   (readable cookie `shubbak_csrf`) in the `x-csrf-token` header (double submit);
// - a user who must change their password may only reach the routes that let them do so;
// - a 'monitoring' route (/metrics) answers only the addresses on SHUBBAK_METRICS_ALLOW;
// - an 'open311_key' route needs a live Open311 api_key (issue 14 item 4) in the body's or
//   the query's api_key, checked once the body is parsed; request.open311Key is its holder;
// - a 'kiosk_screen' route needs the kiosk-screen session cookie of a screen paired with a
//   kiosk (hub/services/kiosk-screens.ts; httpOnly, SameSite=Strict, so no other site can
//   send it); request.kioskDevice is that kiosk. A staff session does not open it.
// It also records every route's access as it is registered: the role × route matrix
// (docs/roles.md, tests/integration/roles-matrix.test.ts) is read from there.
import { timingSafeEqual } from 'node:crypto';
import { BlockList, isIP } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import cookie from '@fastify/cookie';
import { ApiError } from '../http/errors.ts';
import type { RouteAccess } from './roles.ts';

export const SESSION_COOKIE = 'shubbak_session';
export const CSRF_COOKIE = 'shubbak_csrf';
export const CSRF_HEADER = 'x-csrf-token';
export const KIOSK_SCREEN_COOKIE = 'shubbak_kiosk_screen';

/** Routes a user who must change their password can still reach. */
const PASSWORD_CHANGE_ROUTES = new Set(['/api/auth/me', '/api/auth/password', '/api/auth/logout']);
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export type AccessEntry = { method: string; url: string; access: RouteAccess | undefined };

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route with its declared access, in registration order. */
    accessTable: AccessEntry[];
  }
  interface FastifyRequest {
    /** The session's token and CSRF token, when signed in. */
    session: { token: string; csrfToken: string; mustChangePassword: boolean } | null;
    /** On an 'open311_key' route: the application whose api_key came with the request. */
    open311Key: { id: number; label: string } | null;
    /** On a 'kiosk_screen' route: the kiosk device the paired screen acts as. */
    kioskDevice: string | null;
  }
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Set the session and CSRF cookies after sign-in. */
export function setSessionCookies(req: FastifyRequest, reply: FastifyReply, token: string, csrfToken: string, expiresAt: number): void {
  const secure = req.protocol === 'https';
  const expires = new Date(expiresAt);
  reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'strict', secure, expires });
  // Readable by the panel's script, which echoes it in x-csrf-token; another site can neither read it nor send the header.
  reply.setCookie(CSRF_COOKIE, csrfToken, { path: '/', httpOnly: false, sameSite: 'strict', secure, expires });
}

export function clearSessionCookies(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
  reply.clearCookie(CSRF_COOKIE, { path: '/' });
}

/** The metrics allow-list as a matcher: loopback always, plus 'any' or the listed addresses and blocks. */
export function addressMatcher(allow: 'loopback' | 'any' | readonly string[]): (address: string | undefined) => boolean {
  if (allow === 'any') return () => true;
  const list = new BlockList();
  list.addSubnet('127.0.0.0', 8, 'ipv4');
  list.addAddress('::1', 'ipv6');
  if (allow !== 'loopback') {
    for (const entry of allow) {
      const [addr, bits] = entry.split('/');
      const family = isIP(addr) === 6 ? 'ipv6' : 'ipv4';
      if (bits === undefined) list.addAddress(addr, family);
      else list.addSubnet(addr, Number(bits), family);
    }
  }
  return (address) => {
    if (!address) return false;
    // An IPv4 client on a dual-stack socket shows as ::ffff:a.b.c.d.
    const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (v4) return list.check(v4[1], 'ipv4');
    return list.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
  };
}

async function guard(app: FastifyInstance): Promise<void> {
  const monitoringAllowed = addressMatcher(app.hub.config.metricsAllow);
  await app.register(cookie);
  app.decorate('accessTable', [] as AccessEntry[]);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD') continue;
      app.accessTable.push({ method, url: route.url, access: route.config?.access });
    }
  });
  app.decorateRequest('user', null);
  app.decorateRequest('session', null);
  app.decorateRequest('open311Key', null);
  app.decorateRequest('kioskDevice', null);

  app.addHook('onRequest', async (req) => {
    const token = req.cookies[SESSION_COOKIE];
    if (token) {
      const s = app.hub.staff.session(token);
      if (s) {
        req.user = s.user;
        req.session = { token, csrfToken: s.csrfToken, mustChangePassword: s.mustChangePassword };
      }
    }
    const access = req.routeOptions.config?.access;
    if (access === undefined || access === 'public' || access === 'open311_key') return;
    if (access === 'kiosk_screen') {
      const token = req.cookies[KIOSK_SCREEN_COOKIE];
      req.kioskDevice = token ? app.hub.kioskScreens.session(token) : null;
      if (!req.kioskDevice) {
        throw new ApiError(401, 'KIOSK_SCREEN_UNPAIRED', 'هذه الشاشة غير مربوطة بكشك؛ يربطها الفني برقم الكشك ورمزه السري', undefined, 'This screen is not paired with a kiosk');
      }
      return;
    }
    if (access === 'monitoring') {
      if (!monitoringAllowed(req.socket.remoteAddress)) {
        throw new ApiError(403, 'FORBIDDEN', 'غير مسموح بقراءة المقاييس من هذا العنوان', undefined, 'This address may not read the metrics (SHUBBAK_METRICS_ALLOW)');
      }
      return;
    }
    if (!req.user || !req.session) throw new ApiError(401, 'UNAUTHENTICATED', 'يجب تسجيل الدخول أولاً', undefined, 'Sign in first');
    if (!SAFE_METHODS.has(req.method)) {
      const sent = req.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !sameToken(sent, req.session.csrfToken)) {
        throw new ApiError(403, 'CSRF', 'انتهت صلاحية الصفحة، أعد تحميلها وحاول مرة أخرى', undefined, 'Missing or wrong CSRF token');
      }
    }
    if (req.session.mustChangePassword && !PASSWORD_CHANGE_ROUTES.has(req.routeOptions.url ?? '')) {
      throw new ApiError(403, 'PASSWORD_CHANGE_REQUIRED', 'يجب تغيير كلمة المرور المؤقتة أولاً', undefined, 'Change your one-time password first');
    }
    if (!access.includes(req.user.role)) throw new ApiError(403, 'FORBIDDEN', 'ليس لديك صلاحية لهذا الإجراء', undefined, 'Your role may not do this');
  });

  // The api_key may travel in the body (GeoReport's form field), so it is read once the body is parsed,
  // before the body is validated: without a key, nothing else about the request is said.
  app.addHook('preValidation', async (req) => {
    if (req.routeOptions.config?.access !== 'open311_key') return;
    const body = req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {};
    const query = (req.query ?? {}) as Record<string, unknown>;
    const sent = typeof body.api_key === 'string' ? body.api_key : typeof query.api_key === 'string' ? query.api_key : '';
    if (!sent) throw new ApiError(403, 'API_KEY_REQUIRED', 'مطلوب مفتاح api_key يصدره مدير النظام بالمركز', undefined, "api_key was not provided: ask the center's administrator for one");
    const key = app.hub.open311Keys.verify(sent);
    if (!key) throw new ApiError(403, 'API_KEY_INVALID', 'مفتاح api_key غير صحيح أو ملغى', undefined, 'Invalid or revoked api_key');
    req.open311Key = key;
  });
}

// Hooks must reach the routes registered beside this plugin, not only inside it.
export const accessGuard = fp(guard, { name: 'access-guard' });
