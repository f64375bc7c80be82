// The first start's administrator password, handed over once. The database keeps only its
// hash, and it must be changed at the first sign-in.
// - demo (`npm start`): shown on the console of the person trying the hub.
// - production (the installed hub.service): never on stdout — the journal would keep it for
//   anyone who may read logs — but in a file only the hub's user can read,
//   <data dir>/first-admin-password (0600). The console names the file, not the secret. Once
//   the administrator has chosen a password the file is removed at the next start: it then
//   holds nothing that still opens the account.
import fs from 'node:fs';
import path from 'node:path';
import type { HubConfig } from '../config.ts';

export const FIRST_ADMIN_FILE = 'first-admin-password';

export function firstAdminFilePath(dataDir: string): string {
  return path.join(dataDir, FIRST_ADMIN_FILE);
}

/** The file's text: the account, the password, what to do with it. */
function fileBody(created: { username: string; password: string }): string {
  return [
    '# Shubbak: the first administrator account / أول حساب لمدير النظام',
    '# One-time password: sign in with it, then choose your own (the hub asks at once).',
    '# كلمة مرور لمرة واحدة: ادخل بها ثم اختر كلمة مرور جديدة. يُحذف هذا الملف بعد تغييرها.',
    `username=${created.username}`,
    `password=${created.password}`,
    '',
  ].join('\n');
}

export function announceFirstAdmin(created: { username: string; password: string } | null, config: HubConfig): void {
  if (!created) return;
  if (config.mode === 'production') {
    const file = firstAdminFilePath(config.dataDir);
    fs.writeFileSync(file, fileBody(created), { mode: 0o600 });
    fs.chmodSync(file, 0o600); // an existing file keeps its mode on write
    if (config.logLevel !== 'silent') {
      process.stdout.write(`Shubbak: first administrator "${created.username}" created; the one-time password is in ${file} (readable by the hub's user only)\n`);
    }
    return;
  }
  if (config.logLevel === 'silent') return;
  const lines = [
    '',
    '============================================================',
    ' Shubbak: first administrator account created',
    `   username: ${created.username}`,
    `   one-time password: ${created.password}`,
    ' It is shown only now; you must change it at the first sign-in.',
    '============================================================',
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

/** Removes the password file once it no longer opens the account (the administrator chose a password, or left). */
export function forgetSpentFirstAdmin(config: HubConfig, admin: { mustChangePassword: boolean; active: boolean } | null): boolean {
  const file = firstAdminFilePath(config.dataDir);
  if (!fs.existsSync(file)) return false;
  if (admin && admin.active && admin.mustChangePassword) return false;
  fs.rmSync(file, { force: true });
  return true;
}
