// Who may read the hub's files (issue 15, fault 9): the database holds national IDs and
// payments, hub.secret and the credentials files hold secrets, the backups hold all of it.
// Like PostgreSQL, which refuses a data directory readable by others ("data directory has
// invalid permissions … should be u=rwx (0700)"), the hub checks at start that its data
// dir and backup dir are 0700 and its files 0600, and refuses to start with a message
// naming each looser path — unless SHUBBAK_FIX_PERMISSIONS=true, which tightens them.
// New files are created private from the start (see createPrivateFile and the callers).
import fs from 'node:fs';
import path from 'node:path';

export const DIR_MODE = 0o700;
export const FILE_MODE = 0o600;

export class PermissionsError extends Error {}

/** Data-dir entries that are checked (the lock file holds nothing and is not). */
const SENSITIVE = /^(shubbak\.db(-wal|-shm|-journal|\.before-restore-.*)?|hub\.secret|devices\.json|staff\.json|first-admin-password)$/;
const BACKUP_FILE = /^shubbak-.*\.(db|json|html)$/;

type Loose = { path: string; mode: number; want: number };

function looseEntries(dataDir: string, backupDir: string): Loose[] {
  const out: Loose[] = [];
  const check = (p: string, want: number) => {
    let st: fs.Stats;
    try {
      st = fs.lstatSync(p);
    } catch {
      return;
    }
    if (st.isSymbolicLink()) return;
    const mode = st.mode & 0o777;
    if (mode & 0o077) out.push({ path: p, mode, want });
  };
  const dirFiles = (dir: string, pick: (name: string) => boolean) => {
    let names: string[] = [];
    try {
      names = fs.readdirSync(dir);
    } catch {
      return;
    }
    for (const n of names) if (pick(n)) check(path.join(dir, n), FILE_MODE);
  };
  check(dataDir, DIR_MODE);
  dirFiles(dataDir, (n) => SENSITIVE.test(n));
  check(backupDir, DIR_MODE);
  dirFiles(backupDir, (n) => BACKUP_FILE.test(n));
  // The center CA and the server key (issue 17; hub/tls/center-ca.ts); the certificates are public.
  const tls = path.join(dataDir, 'tls');
  check(tls, DIR_MODE);
  dirFiles(tls, (n) => n.endsWith('.key'));
  const attachments = path.join(dataDir, 'attachments');
  check(attachments, DIR_MODE);
  try {
    for (const sub of fs.readdirSync(attachments)) {
      const d = path.join(attachments, sub);
      check(d, DIR_MODE);
      if (fs.statSync(d).isDirectory()) dirFiles(d, () => true);
    }
  } catch {
    /* no attachments yet */
  }
  return out;
}

/**
 * Make the data dir (0700) if it is missing, then check it and its files. Looser modes
 * stop the start with a clear message, or are tightened when `fix` is set.
 * Returns the paths that were fixed.
 */
export function checkDataPermissions(dataDir: string, backupDir: string, fix: boolean): string[] {
  fs.mkdirSync(dataDir, { recursive: true, mode: DIR_MODE });
  const loose = looseEntries(dataDir, backupDir);
  if (!loose.length) return [];
  if (!fix) {
    const list = loose.slice(0, 20).map((l) => `  ${l.path} is ${l.mode.toString(8).padStart(4, '0')}, should be ${l.want.toString(8).padStart(4, '0')}`).join('\n');
    throw new PermissionsError(
      `the data files are readable by other users of this machine (national IDs, payments, secrets):\n${list}`
      + `${loose.length > 20 ? `\n  … and ${loose.length - 20} more` : ''}\n`
      + `Fix them with chmod (700 for directories, 600 for files), or start once with SHUBBAK_FIX_PERMISSIONS=true to let the hub do it.`,
    );
  }
  for (const l of loose) fs.chmodSync(l.path, l.want);
  return loose.map((l) => l.path);
}

/** Create an empty file with mode 0600 if it does not exist (SQLite gives its WAL and SHM the database file's mode). */
export function createPrivateFile(file: string): void {
  try {
    fs.closeSync(fs.openSync(file, 'wx', FILE_MODE));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}

/**
 * Write a file atomically and privately: a temp file (0600) beside it, fsync, rename over
 * the target, fsync the directory. A crash leaves either the old file or the new one.
 */
export function writePrivateFileAtomic(file: string, body: string | Buffer): void {
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(tmp, 'w', FILE_MODE);
  try {
    fs.writeSync(fd, typeof body === 'string' ? Buffer.from(body) : body);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.chmodSync(tmp, FILE_MODE);
  fs.renameSync(tmp, file);
  const dir = fs.openSync(path.dirname(file), 'r');
  try {
    fs.fsyncSync(dir);
  } finally {
    fs.closeSync(dir);
  }
}
