// The "own window" rule, once: a clerk works the window they signed in at; the center
// manager and the administrator may stand in at any window. The queue routes (call,
// serve, park… at /api/windows/:n) and the intake registration (the ticket at the
// clerk's window joins the new file) both ask here.
import { DomainError } from '../domain/errors.ts';
import type { StaffUser } from './roles.ts';

export function mayWorkWindow(user: StaffUser, n: number): boolean {
  return user.role === 'manager' || user.role === 'admin' || user.window === n;
}

/** NOT_YOUR_WINDOW unless the user may work window n; `path` marks the form's field. */
export function assertOwnWindow(user: StaffUser, n: number, path?: string): void {
  if (mayWorkWindow(user, n)) return;
  const ar = `هذا ليس شباكك: أنت مسجل على ${user.window ? `شباك ${user.window}` : 'لا شباك'}`;
  throw new DomainError('NOT_YOUR_WINDOW', ar, { en: 'Not your window', details: path ? [{ path, message: 'هذا ليس شباكك' }] : undefined });
}
