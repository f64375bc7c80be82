// The first start's administrator password is shown exactly once, on the console of the
// person installing the hub; it is not stored anywhere but as a hash, and must be changed
// at the first sign-in.
import type { HubConfig } from '../config.ts';

export function announceFirstAdmin(created: { username: string; password: string } | null, config: HubConfig): void {
  if (!created || config.logLevel === 'silent') return;
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
