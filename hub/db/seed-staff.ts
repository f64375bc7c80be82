// DEMO DATA: one staff account per role (two representatives with different departments,
// so department scopes can be seen), with generated passwords written to data/staff.json
// (mode 0600) for a newcomer, the panels' browser tests and the journey test. Only seeded
// with the demo center; a real installation creates its users from the admin panel.
import fs from 'node:fs';
import path from 'node:path';
import type { HubContext } from '../context.ts';
import type { Role } from '../auth/roles.ts';

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

/**
 * Seed the demo staff on a fresh install only: when the first administrator is the only
 * account. An installation that already has its own staff never gets demo accounts.
 * Returns the credentials file written, or null.
 */
export async function seedDemoStaff(ctx: HubContext): Promise<string | null> {
  if (ctx.staff.count() > 1 || DEMO_STAFF.some((u) => ctx.staff.findByUsername(u.username))) return null;
  const deptIds = new Map(ctx.catalog.departments().map((d) => [d.code, d.id]));
  const windows = new Set(ctx.queue.windowNumbers());
  // Hash in parallel (libuv's pool), so a first start does not wait for each in turn.
  const users = await Promise.all(DEMO_STAFF.map(async (u) => {
    const departments = (u.departments ?? []).filter((c) => deptIds.has(c));
    const window = u.window !== undefined && windows.has(u.window) ? u.window : null;
    const { password } = await ctx.staff.create(
      { username: u.username, name: u.name, role: u.role, departmentIds: departments.map((c) => deptIds.get(c)!), window },
      'system', { mustChange: false, demo: true },
    );
    return { username: u.username, password, role: u.role, name: u.name, departments, window };
  }));
  const file = staffFilePath(ctx.config.dataDir);
  const body: StaffFile = { note: 'Demo staff accounts, generated on first start. Keep this file private (mode 0600); delete the accounts before going live.', users };
  fs.writeFileSync(file, JSON.stringify(body, null, 2) + '\n', { mode: 0o600 });
  fs.chmodSync(file, 0o600);
  return file;
}

export function readStaffFile(dataDir: string): StaffFile | null {
  try {
    return JSON.parse(fs.readFileSync(staffFilePath(dataDir), 'utf8')) as StaffFile;
  } catch {
    return null;
  }
}
