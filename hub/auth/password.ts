// Staff passwords: scrypt (memory-hard, in node:crypto), a random salt per password, and
// the parameters stored beside the hash so the cost can grow without a migration.
// Format: scrypt$<log2 N>$<r>$<p>$<salt b64url>$<hash b64url>.
import { randomBytes, randomInt, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const KEY_LEN = 32;
const R = 8;
const P = 1;
/** log2 of scrypt's N. 15 → 32 MiB and ~0.1 s per hash on a small PC; tests may lower it. */
export const DEFAULT_COST = 15;

// Each hash holds 128·N·r bytes (32 MiB at the default cost) while it runs, and libuv runs
// four at once: a burst of logins (or the demo staff's first start) took the hub's memory up
// by 128 MiB. Two at a time bounds that at 64 MiB; the others wait their turn (issue 10: memory).
const MAX_CONCURRENT_HASHES = 2;
let running = 0;
const waiting: (() => void)[] = [];

async function scryptAsync(password: string, salt: Buffer, opts: ScryptOptions): Promise<Buffer> {
  if (running >= MAX_CONCURRENT_HASHES) await new Promise<void>((resolve) => waiting.push(resolve));
  else running++;
  try {
    return await new Promise((resolve, reject) => scrypt(password.normalize('NFC'), salt, KEY_LEN, opts, (err, key) => (err ? reject(err) : resolve(key))));
  } finally {
    const next = waiting.shift();
    if (next) next(); // the slot passes straight to the next hash
    else running--;
  }
}

function options(log2N: number, r: number, p: number): ScryptOptions {
  // maxmem must exceed 128·N·r or node refuses the parameters.
  return { N: 2 ** log2N, r, p, maxmem: 2 * 128 * 2 ** log2N * r + 1024 * 1024 };
}

export async function hashPassword(password: string, log2N = DEFAULT_COST): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, options(log2N, R, P));
  return ['scrypt', log2N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [log2N, r, p] = parts.slice(1, 4).map(Number);
  if (![log2N, r, p].every(Number.isInteger) || log2N < 10 || log2N > 22) return false;
  const expected = Buffer.from(parts[5], 'base64url');
  const key = await scryptAsync(password, Buffer.from(parts[4], 'base64url'), options(log2N, r, p));
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A hash of nothing, verified against for unknown usernames so they take as long as known ones. */
let decoy: Promise<string> | null = null;
export function decoyHash(log2N = DEFAULT_COST): Promise<string> {
  decoy ??= hashPassword(generatePassword(), log2N);
  return decoy;
}

// No look-alike characters (0/O, 1/l/I), so a password read off paper is typed right.
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

/** A one-time password: 14 characters, ~81 bits. */
export function generatePassword(length = 14): string {
  let s = '';
  for (let i = 0; i < length; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return s;
}

/** Why a new password is refused, or null when it is acceptable. */
export function passwordProblem(password: string, username: string): { ar: string; en: string } | null {
  if (password.length < 10) return { ar: 'كلمة المرور يجب ألا تقل عن 10 أحرف', en: 'At least 10 characters' };
  if (password.length > 200) return { ar: 'كلمة المرور أطول من المسموح', en: 'At most 200 characters' };
  if (password.toLowerCase().includes(username.toLowerCase())) return { ar: 'كلمة المرور يجب ألا تحتوي على اسم المستخدم', en: 'Must not contain the username' };
  if (new Set(password).size < 5) return { ar: 'كلمة المرور ضعيفة جداً', en: 'Too weak' };
  return null;
}
