// Who did something: the one type for every actor the hub records (audit log, file and
// complaint events, queue events, receipts), with the one function to the key stored in
// those rows and the one function to what a person reads about it (issue 12 item 4).
// Stored keys: 'user:5' (a staff account), 'device:kiosk-1', 'system' (the hub itself:
// a receipt marks a file paid, the night job closes stale windows), 'citizen:open311'
// (a citizen through an online channel), 'ip:10.0.0.9' (a sign-in nobody owns yet).
// Pure: the panels use the same functions to name the people in a history.
import { ROLE_NAMES, type Role } from '../auth/roles.ts';

export type Actor =
  | { kind: 'staff'; id: number; name?: string; role?: Role }
  | { kind: 'device'; id: string }
  | { kind: 'system' }
  | { kind: 'citizen'; via: string }
  | { kind: 'anonymous'; ip: string };

/** The form an actor is stored in (audit rows, events, receipts, windows' clerk). */
export type ActorKey = string;

export const SYSTEM: Actor = { kind: 'system' };

/** A staff member; name and role, when given, are what the display shows. */
export function staffActor(u: { id: number; name?: string; role?: Role }): Actor {
  return { kind: 'staff', id: u.id, name: u.name, role: u.role };
}
export function deviceActor(id: string): Actor {
  return { kind: 'device', id };
}

export function actorKey(a: Actor): ActorKey {
  switch (a.kind) {
    case 'staff': return `user:${a.id}`;
    case 'device': return `device:${a.id}`;
    case 'system': return 'system';
    case 'citizen': return `citizen:${a.via}`;
    case 'anonymous': return `ip:${a.ip}`;
  }
}

/** The stored key of a staff member: what a route or service records for the signed-in user. */
export function staffKey(u: { id: number }): ActorKey {
  return actorKey({ kind: 'staff', id: u.id });
}

/** A stored key back to its actor; null for a key of no known kind. */
export function parseActorKey(key: ActorKey): Actor | null {
  if (key === 'system') return SYSTEM;
  const i = key.indexOf(':');
  if (i < 0) return null;
  const kind = key.slice(0, i);
  const rest = key.slice(i + 1);
  if (kind === 'user' && /^\d+$/.test(rest)) return { kind: 'staff', id: Number(rest) };
  if (kind === 'device') return { kind: 'device', id: rest };
  if (kind === 'citizen') return { kind: 'citizen', via: rest };
  if (kind === 'ip') return { kind: 'anonymous', ip: rest };
  return null;
}

export type ActorDisplay = { name: string; nameEn: string; role: Role | 'device' | 'system' | 'citizen' | null; roleAr: string; roleEn: string };

/**
 * What a person reads about an actor: a staff member by name and role (a staff actor
 * without them is a former colleague whose account is gone), the others in words.
 */
export function actorDisplay(a: Actor): ActorDisplay {
  switch (a.kind) {
    case 'staff':
      return a.name && a.role
        ? { name: a.name, nameEn: a.name, role: a.role, roleAr: ROLE_NAMES[a.role].ar, roleEn: ROLE_NAMES[a.role].en }
        : { name: 'موظف سابق', nameEn: 'A former staff member', role: null, roleAr: '', roleEn: '' };
    case 'device':
      return { name: `الجهاز ${a.id}`, nameEn: `Device ${a.id}`, role: 'device', roleAr: 'جهاز', roleEn: 'Device' };
    case 'system':
      return { name: 'النظام (تلقائي)', nameEn: 'The system (automatic)', role: 'system', roleAr: '', roleEn: '' };
    case 'citizen':
      return { name: 'المواطن (البوابة الإلكترونية)', nameEn: 'The citizen (online portal)', role: 'citizen', roleAr: '', roleEn: '' };
    case 'anonymous':
      return { name: `مستخدم غير معروف من ${a.ip}`, nameEn: `Unknown user from ${a.ip}`, role: null, roleAr: '', roleEn: '' };
  }
}
