// Staff accounts and sign-in sessions: users with a role (and a department scope for
// representatives and supervisors), scrypt passwords, random session tokens stored only
// as hashes, login throttling per (username, address), and the admin's user management.
// Every write appends an audit event.
import { createHash, randomBytes } from 'node:crypto';
import type { HubConfig } from '../config.ts';
import type { Db } from '../db/connection.ts';
import type { Clock } from '../domain/time.ts';
import { DomainError } from '../domain/errors.ts';
import { decoyHash, generatePassword, hashPassword, passwordProblem, verifyPassword } from '../auth/password.ts';
import { ROLES, type Role, type StaffUser } from '../auth/roles.ts';
import type { AuditLog } from './audit.ts';
import type { UnitOfWork } from './unit-of-work.ts';
import { actorKey, staffKey, SYSTEM } from '../domain/actor.ts';

/** A session ends this long after sign-in whatever happens (a working day and a half). */
export const SESSION_ABSOLUTE_MS = 12 * 3600_000;
/** ... or after this long without a request. */
export const SESSION_IDLE_MS = 2 * 3600_000;
/** Failed sign-ins allowed per (username, address) within the window before a lock. */
export const LOGIN_MAX_FAILURES = 5;
export const LOGIN_WINDOW_MS = 15 * 60_000;
export const LOGIN_LOCK_MS = 15 * 60_000;

/** Roles whose work is limited to departments. */
export const SCOPED_ROLES: readonly Role[] = ['representative', 'supervisor'];

type UserRow = {
  id: number; username: string; name: string; role: Role; password_hash: string; must_change_password: number;
  window: number | null; active: number; demo: number; version: number; created_at: number; updated_at: number;
};
type SessionRow = { token_hash: string; user_id: number; csrf_token: string; created_at: number; last_seen_at: number; expires_at: number };

export type UserView = StaffUser & { active: boolean; mustChangePassword: boolean; version: number; createdAt: number; demo: boolean };
export type SessionInfo = { user: StaffUser; csrfToken: string; mustChangePassword: boolean; expiresAt: number };

export type NewUser = { username: string; name: string; role: Role; departmentIds?: number[]; window?: number | null };
export type UserPatch = { name?: string; role?: Role; departmentIds?: number[]; window?: number | null; version: number };

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export class StaffService {
  private readonly q;
  constructor(
    private readonly db: Db,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly config: HubConfig,
    private readonly audit: AuditLog,
  ) {
    this.q = {
      byName: db.prepare<[string], UserRow>('SELECT * FROM users WHERE username = ?'),
      byId: db.prepare<[number], UserRow>('SELECT * FROM users WHERE id = ?'),
      all: db.prepare<[], UserRow>('SELECT * FROM users ORDER BY id'),
      count: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM users'),
      depts: db.prepare<[number], { department_id: number }>('SELECT department_id FROM user_departments WHERE user_id = ? ORDER BY department_id'),
      clearDepts: db.prepare('DELETE FROM user_departments WHERE user_id = ?'),
      addDept: db.prepare('INSERT INTO user_departments (user_id, department_id) VALUES (?, ?)'),
      deptExists: db.prepare<[number], { id: number }>('SELECT id FROM departments WHERE id = ?'),
      windowExists: db.prepare<[number], { number: number }>('SELECT number FROM windows WHERE number = ?'),
      insertUser: db.prepare(`INSERT INTO users (username, name, role, password_hash, must_change_password, window, demo, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      session: db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE token_hash = ?'),
      insertSession: db.prepare(`INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at, ip, user_agent)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
      touchSession: db.prepare('UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?'),
      deleteSession: db.prepare('DELETE FROM sessions WHERE token_hash = ?'),
      deleteUserSessions: db.prepare('DELETE FROM sessions WHERE user_id = ?'),
      deleteOtherSessions: db.prepare('DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?'),
      pruneSessions: db.prepare('DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at <= ?'),
      failures: db.prepare<[string], { failures: number; first_at: number; locked_until: number | null }>('SELECT * FROM login_failures WHERE key = ?'),
      setFailures: db.prepare(`INSERT INTO login_failures (key, failures, first_at, locked_until) VALUES (?, ?, ?, ?)
        ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, first_at = excluded.first_at, locked_until = excluded.locked_until`),
      clearFailures: db.prepare('DELETE FROM login_failures WHERE key = ?'),
      pruneFailures: db.prepare('DELETE FROM login_failures WHERE first_at < ? AND (locked_until IS NULL OR locked_until < ?)'),
    };
  }

  // ---- reading ----

  private staffUser(r: UserRow): StaffUser {
    return {
      id: r.id, username: r.username, name: r.name, role: r.role,
      departmentIds: SCOPED_ROLES.includes(r.role) ? this.q.depts.all(r.id).map((d) => d.department_id) : null,
      window: r.window,
    };
  }

  private view(r: UserRow): UserView {
    return { ...this.staffUser(r), active: !!r.active, mustChangePassword: !!r.must_change_password, version: r.version, createdAt: r.created_at, demo: !!r.demo };
  }

  list(): UserView[] {
    return this.q.all.all().map((r) => this.view(r));
  }

  get(id: number): UserView {
    const r = this.q.byId.get(id);
    if (!r) throw new DomainError('USER_NOT_FOUND', 'المستخدم غير موجود', { en: 'No such user' });
    return this.view(r);
  }

  findByUsername(username: string): UserView | null {
    const r = this.q.byName.get(username);
    return r ? this.view(r) : null;
  }

  count(): number {
    return this.q.count.get()!.n;
  }

  // ---- sign-in ----

  private throttleKey(username: string, ip: string): string {
    return `${username.toLowerCase()}|${ip}`;
  }

  /** Check the password and open a session; throttled per (username, address). */
  async login(username: string, password: string, ip: string, userAgent = ''): Promise<{ token: string; session: SessionInfo }> {
    const key = this.throttleKey(username, ip);
    const now = this.clock();
    const f = this.q.failures.get(key);
    if (f?.locked_until && f.locked_until > now) {
      const minutes = Math.ceil((f.locked_until - now) / 60_000);
      throw new DomainError('LOGIN_THROTTLED', `محاولات دخول خاطئة كثيرة، حاول بعد ${minutes} دقيقة`, { en: `Too many failed sign-ins; retry in ${minutes} min` });
    }
    const row = this.q.byName.get(username);
    const ok = row ? await verifyPassword(password, row.password_hash) : (await verifyPassword(password, await decoyHash(this.config.passwordCost)), false);
    if (!ok || !row || !row.active) {
      this.uow.run(() => {
        const fresh = this.q.failures.get(key);
        const inWindow = fresh && now - fresh.first_at < LOGIN_WINDOW_MS;
        const failures = inWindow ? fresh.failures + 1 : 1;
        const firstAt = inWindow ? fresh.first_at : now;
        this.q.setFailures.run(key, failures, firstAt, failures >= LOGIN_MAX_FAILURES ? now + LOGIN_LOCK_MS : null);
        if (failures >= LOGIN_MAX_FAILURES) {
          this.audit.append({ actor: actorKey({ kind: 'anonymous', ip }), action: 'auth.locked', entity: 'login', entityId: username.toLowerCase().slice(0, 64), after: { failures } });
        }
      });
      // Same answer for an unknown user, a wrong password and a deactivated account.
      throw new DomainError('INVALID_CREDENTIALS', 'اسم المستخدم أو كلمة المرور غير صحيحة', { en: 'Wrong username or password' });
    }
    const token = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(24).toString('base64url');
    const expiresAt = now + SESSION_ABSOLUTE_MS;
    this.uow.run(() => {
      this.q.clearFailures.run(key);
      this.q.pruneSessions.run(now, now - SESSION_IDLE_MS);
      this.q.pruneFailures.run(now - LOGIN_WINDOW_MS, now);
      this.q.insertSession.run(sha256(token), row.id, csrfToken, now, now, expiresAt, ip, userAgent.slice(0, 200));
      this.audit.append({ actor: staffKey(row), action: 'auth.login', entity: 'user', entityId: row.id, after: { ip } });
      this.uow.topic('staff'); // the live floor shows who is signed in
    });
    return { token, session: { user: this.staffUser(row), csrfToken, mustChangePassword: !!row.must_change_password, expiresAt } };
  }

  /** The live session for a cookie token, or null (unknown, expired, idle too long, user deactivated). */
  session(token: string): SessionInfo | null {
    if (!token || token.length > 100) return null;
    const hash = sha256(token);
    const s = this.q.session.get(hash);
    if (!s) return null;
    const now = this.clock();
    if (s.expires_at <= now || s.last_seen_at + SESSION_IDLE_MS <= now) return null;
    const u = this.q.byId.get(s.user_id);
    if (!u || !u.active) return null;
    // Note activity at most once a minute: a read should not cost an fsync every time.
    if (now - s.last_seen_at > 60_000) this.uow.run(() => this.q.touchSession.run(now, hash));
    return { user: this.staffUser(u), csrfToken: s.csrf_token, mustChangePassword: !!u.must_change_password, expiresAt: s.expires_at };
  }

  logout(token: string, userId: number): void {
    this.uow.run(() => {
      this.q.deleteSession.run(sha256(token));
      this.audit.append({ actor: staffKey({ id: userId }), action: 'auth.logout', entity: 'user', entityId: userId });
      this.uow.topic('staff');
    });
  }

  /** Staff with a live session now (not expired, not idle too long, account active): the live floor's "who is in". */
  signedIn(): StaffUser[] {
    const now = this.clock();
    return this.db.prepare<[number, number], UserRow>(`SELECT DISTINCT u.* FROM sessions s JOIN users u ON u.id = s.user_id
      WHERE s.expires_at > ? AND s.last_seen_at > ? AND u.active = 1 ORDER BY u.id`).all(now, now - SESSION_IDLE_MS).map((r) => this.staffUser(r));
  }

  /** Change one's own password; other sessions of the user end. */
  async changePassword(userId: number, currentToken: string, current: string, next: string): Promise<void> {
    const row = this.q.byId.get(userId);
    if (!row) throw new DomainError('USER_NOT_FOUND', 'المستخدم غير موجود');
    if (!(await verifyPassword(current, row.password_hash))) {
      throw new DomainError('VALIDATION', 'كلمة المرور الحالية غير صحيحة', { en: 'Current password is wrong', details: [{ path: '/current', message: 'كلمة المرور الحالية غير صحيحة' }] });
    }
    const problem = passwordProblem(next, row.username) ?? (next === current ? { ar: 'اختر كلمة مرور مختلفة عن الحالية', en: 'Must differ from the current one' } : null);
    if (problem) throw new DomainError('VALIDATION', problem.ar, { en: problem.en, details: [{ path: '/next', message: problem.ar }] });
    const hash = await hashPassword(next, this.config.passwordCost);
    this.uow.run(() => {
      const now = this.clock();
      this.db.prepare('UPDATE users SET password_hash = ?, must_change_password = 0, password_changed_at = ?, updated_at = ? WHERE id = ?').run(hash, now, now, userId);
      this.q.deleteOtherSessions.run(userId, sha256(currentToken));
      this.audit.append({ actor: staffKey({ id: userId }), action: 'user.password_change', entity: 'user', entityId: userId });
    });
  }

  // ---- administration ----

  private checkScope(role: Role, departmentIds: number[] | undefined, windowNo: number | null | undefined): { path: string; message: string }[] {
    const errs: { path: string; message: string }[] = [];
    for (const d of departmentIds ?? []) if (!this.q.deptExists.get(d)) errs.push({ path: '/departmentIds', message: `الإدارة رقم ${d} غير موجودة` });
    if (departmentIds?.length && !SCOPED_ROLES.includes(role)) errs.push({ path: '/departmentIds', message: 'تحديد الإدارات لمندوبي الإدارات ومشرفي النظام فقط' });
    if (windowNo != null && !this.q.windowExists.get(windowNo)) errs.push({ path: '/window', message: `الشباك رقم ${windowNo} غير موجود` });
    return errs;
  }

  private snapshot(id: number) {
    const v = this.get(id);
    return { username: v.username, name: v.name, role: v.role, departmentIds: v.departmentIds, window: v.window, active: v.active };
  }

  /** Refuse to demote or deactivate the last active administrator: nobody could manage users after. */
  private keepOneAdmin(id: number): void {
    const others = this.db.prepare<[number], { n: number }>("SELECT count(*) AS n FROM users WHERE role = 'admin' AND active = 1 AND id <> ?").get(id)!.n;
    if (others === 0) throw new DomainError('LAST_ADMIN', 'لا يمكن إيقاف أو تغيير دور آخر مدير نظام', { en: 'The last active administrator must stay' });
  }

  /** Create a user with a one-time password (returned once; they must change it). */
  async create(input: NewUser, actor: string, opts: { password?: string; mustChange?: boolean; demo?: boolean } = {}): Promise<{ user: UserView; password: string }> {
    if (!ROLES.includes(input.role)) throw new DomainError('VALIDATION', 'دور غير معروف', { details: [{ path: '/role', message: 'دور غير معروف' }] });
    const errs = this.checkScope(input.role, input.departmentIds, input.window);
    if (this.q.byName.get(input.username)) errs.push({ path: '/username', message: 'اسم المستخدم مستخدم من قبل' });
    if (errs.length) throw new DomainError(errs.some((e) => e.path === '/username') ? 'USERNAME_TAKEN' : 'VALIDATION', errs[0].message, { details: errs });
    const password = opts.password ?? generatePassword();
    const hash = await hashPassword(password, this.config.passwordCost);
    const id = this.insertHashed(input, hash, actor, opts);
    return { user: this.get(id), password };
  }

  /**
   * The synchronous half of create(): insert a user whose password is already hashed, in
   * the caller's transaction if there is one (the demo seed creates all its users, and
   * writes their credentials file, in one transaction). Returns the new id.
   */
  insertHashed(input: NewUser, hash: string, actor: string, opts: { mustChange?: boolean; demo?: boolean } = {}): number {
    return this.uow.run(() => {
      if (this.q.byName.get(input.username)) throw new DomainError('USERNAME_TAKEN', 'اسم المستخدم مستخدم من قبل');
      const now = this.clock();
      const r = this.q.insertUser.run(input.username, input.name, input.role, hash, opts.mustChange === false ? 0 : 1, input.window ?? null, opts.demo ? 1 : 0, now, now);
      const userId = Number(r.lastInsertRowid);
      for (const d of input.departmentIds ?? []) this.q.addDept.run(userId, d);
      this.audit.append({ actor, action: 'user.create', entity: 'user', entityId: userId, after: this.snapshot(userId) });
      return userId;
    });
  }

  update(id: number, patch: UserPatch, actor: string): UserView {
    return this.uow.run(() => {
      const row = this.q.byId.get(id);
      if (!row) throw new DomainError('USER_NOT_FOUND', 'المستخدم غير موجود');
      if (row.version !== patch.version) throw new DomainError('STALE_UPDATE', 'عدّل شخص آخر هذا المستخدم، أعد تحميل البيانات', { en: 'Changed by someone else; reload' });
      const role = patch.role ?? row.role;
      if (row.role === 'admin' && role !== 'admin') this.keepOneAdmin(id);
      const before = this.snapshot(id);
      const departments = patch.departmentIds ?? (SCOPED_ROLES.includes(role) ? before.departmentIds ?? [] : []);
      const errs = this.checkScope(role, patch.departmentIds, patch.window);
      if (errs.length) throw new DomainError('VALIDATION', errs[0].message, { details: errs });
      const now = this.clock();
      this.db.prepare('UPDATE users SET name = ?, role = ?, window = ?, version = version + 1, updated_at = ? WHERE id = ?')
        .run(patch.name ?? row.name, role, patch.window === undefined ? row.window : patch.window, now, id);
      this.q.clearDepts.run(id);
      if (SCOPED_ROLES.includes(role)) for (const d of departments) this.q.addDept.run(id, d);
      // A new role takes effect at once: the user signs in again.
      if (role !== row.role) this.q.deleteUserSessions.run(id);
      this.audit.append({ actor, action: 'user.update', entity: 'user', entityId: id, before, after: this.snapshot(id) });
      return this.get(id);
    });
  }

  deactivate(id: number, actor: string): UserView {
    return this.uow.run(() => {
      const row = this.q.byId.get(id);
      if (!row) throw new DomainError('USER_NOT_FOUND', 'المستخدم غير موجود');
      if (actor === staffKey({ id: id })) throw new DomainError('CONFLICT', 'لا يمكنك إيقاف حسابك بنفسك');
      if (!row.active) throw new DomainError('CONFLICT', 'الحساب موقوف بالفعل');
      if (row.role === 'admin') this.keepOneAdmin(id);
      const before = this.snapshot(id);
      this.db.prepare('UPDATE users SET active = 0, version = version + 1, updated_at = ? WHERE id = ?').run(this.clock(), id);
      this.q.deleteUserSessions.run(id);
      this.audit.append({ actor, action: 'user.deactivate', entity: 'user', entityId: id, before, after: this.snapshot(id) });
      return this.get(id);
    });
  }

  /** A new one-time password (shown once); the user's sessions end. */
  async resetPassword(id: number, actor: string): Promise<string> {
    this.get(id);
    const password = generatePassword();
    const hash = await hashPassword(password, this.config.passwordCost);
    this.uow.run(() => {
      const now = this.clock();
      this.db.prepare('UPDATE users SET password_hash = ?, must_change_password = 1, version = version + 1, updated_at = ? WHERE id = ?').run(hash, now, id);
      this.q.deleteUserSessions.run(id);
      this.audit.append({ actor, action: 'user.password_reset', entity: 'user', entityId: id });
    });
    return password;
  }

  /** First start: an administrator with a one-time password, when there is no user at all. */
  async ensureFirstAdmin(): Promise<{ username: string; password: string } | null> {
    if (this.count() > 0) return null;
    const { password } = await this.create({ username: 'admin', name: 'مدير النظام', role: 'admin' }, actorKey(SYSTEM));
    return { username: 'admin', password };
  }
}
