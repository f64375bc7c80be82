// DEMO DATA: one staff account per role (two representatives with different departments,
// so department scopes can be seen), with generated passwords written to data/staff.json
// (mode 0600) for a newcomer, the panels' browser tests and the journey test. Only seeded
// with the demo center; a real installation creates its users from the admin panel.
import fs from 'node:fs';
import path from 'node:path';
import type { HubContext } from '../context.ts';
import type { Role } from '../auth/roles.ts';
import { generatePassword, hashPassword } from '../auth/password.ts';
import { writePrivateFileAtomic } from './permissions.ts';
import { actorKey, SYSTEM } from '../domain/actor.ts';

export type StaffCredentials = { username: string; password: string; role: Role; name: string; departments: string[]; window: number | null };
export type StaffFile = { note: string; users: StaffCredentials[] };

export const DEMO_STAFF: { username: string; name: string; role: Role; departments?: string[]; window?: number }[] = [
  { username: 'manager', name: 'م. هشام عبد الحميد', role: 'manager' },
  { username: 'reception', name: 'منى إبراهيم', role: 'reception' },
  { username: 'intake', name: 'أحمد السيد', role: 'intake', window: 1 },
  { username: 'intake2', name: 'سارة محمود', role: 'intake', window: 2 },
  { username: 'representative', name: 'م. خالد فؤاد', role: 'representative', departments: ['ENG'] },
  { username: 'representative2', name: 'عادل رمضان', role: 'representative', departments: ['LIC', 'PROP'] },
  { username: 'revenue', name: 'ياسر عبد الله', role: 'revenue', window: 4 },
  { username: 'cashier', name: 'نجلاء حسن', role: 'cashier', window: 5 },
  { username: 'delivery', name: 'محمد عبد العزيز', role: 'delivery', window: 6 },
  { username: 'citizen_service', name: 'هبة مصطفى', role: 'citizen_service', window: 3 },
  { username: 'supervisor', name: 'م. إيمان شاكر', role: 'supervisor', departments: ['ENG', 'LIC'] },
  { username: 'information', name: 'عمرو جلال', role: 'information' },
  { username: 'sysadmin', name: 'مصطفى كمال (مدير النظام)', role: 'admin' },
];

export function staffFilePath(dataDir: string): string {
  return path.join(dataDir, 'staff.json');
}

/** Demo staff with their passwords already hashed (the slow, asynchronous part of seeding). */
export type PreparedStaff = { username: string; name: string; role: Role; password: string; hash: string; departments: string[]; window: number | null };

/** Seed the demo staff only on a fresh install: when the first administrator is the only account. */
export function demoStaffNeeded(ctx: HubContext): boolean {
  return !(ctx.staff.count() > 1 || DEMO_STAFF.some((u) => ctx.staff.findByUsername(u.username)));
}

/** Generate and hash the demo passwords (in parallel, on libuv's pool). Writes nothing. */
export async function prepareDemoStaff(ctx: HubContext): Promise<PreparedStaff[]> {
  return Promise.all(DEMO_STAFF.map(async (u) => {
    const password = generatePassword();
    const hash = await hashPassword(password, ctx.config.passwordCost);
    return { username: u.username, name: u.name, role: u.role, password, hash, departments: u.departments ?? [], window: u.window ?? null };
  }));
}

/**
 * Insert the prepared demo staff, all in one transaction, and write data/staff.json
 * atomically (temp, fsync, rename) inside it, before the commit that makes the accounts
 * valid (issue 15, fault 10): a start killed at any moment leaves either no demo accounts
 * (the next start seeds them again) or the accounts and their file — never accounts whose
 * passwords nobody knows. Returns the credentials file written.
 */
export function insertDemoStaff(ctx: HubContext, prepared: PreparedStaff[]): string {
  return ctx.uow.run(() => {
    const deptIds = new Map(ctx.catalog.departments().map((d) => [d.code, d.id]));
    const windows = new Set(ctx.queue.windowNumbers());
    const users: StaffCredentials[] = prepared.map((u) => {
      const departments = u.departments.filter((c) => deptIds.has(c));
      const window = u.window !== null && windows.has(u.window) ? u.window : null;
      ctx.staff.insertHashed(
        { username: u.username, name: u.name, role: u.role, departmentIds: departments.map((c) => deptIds.get(c)!), window },
        u.hash, actorKey(SYSTEM), { mustChange: false, demo: true },
      );
      return { username: u.username, password: u.password, role: u.role, name: u.name, departments, window };
    });
    const file = staffFilePath(ctx.config.dataDir);
    const body: StaffFile = { note: 'Demo staff accounts, generated on first start. Keep this file private (mode 0600); delete the accounts before going live.', users };
    writePrivateFileAtomic(file, JSON.stringify(body, null, 2) + '\n');
    return file;
  });
}

/** Prepare and insert the demo staff if needed. Returns the credentials file written, or null. */
export async function seedDemoStaff(ctx: HubContext): Promise<string | null> {
  if (!demoStaffNeeded(ctx)) return null;
  const prepared = await prepareDemoStaff(ctx);
  if (!demoStaffNeeded(ctx)) return null;
  return insertDemoStaff(ctx, prepared);
}

export function readStaffFile(dataDir: string): StaffFile | null {
  try {
    return JSON.parse(fs.readFileSync(staffFilePath(dataDir), 'utf8')) as StaffFile;
  } catch {
    return null;
  }
}
