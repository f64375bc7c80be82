// The signed-in staff member, as /api/auth/me and /api/auth/login return them.
import { api } from './api.ts';
import type { Role } from '../../auth/roles.ts';

export type { Role };

export type Me = {
  id: number;
  username: string;
  name: string;
  role: Role;
  roleName: { ar: string; en: string };
  departmentIds: number[] | null;
  window: number | null;
  mustChangePassword: boolean;
  csrfToken: string;
};

export async function whoAmI(): Promise<Me | null> {
  try {
    return await api<Me>('GET', '/api/auth/me');
  } catch {
    return null;
  }
}

export function login(username: string, password: string): Promise<Me> {
  return api<Me>('POST', '/api/auth/login', { username, password });
}

export async function logout(): Promise<void> {
  await api('POST', '/api/auth/logout').catch(() => {});
}

export function changePassword(current: string, next: string): Promise<unknown> {
  return api('POST', '/api/auth/password', { current, next });
}
