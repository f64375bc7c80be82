// The weekly saved copy (the manager's "طبع نسخة محفوظة من البيانات كل أسبوع"): SQLite's
// online backup of the live database into the backups directory, checked by opening the
// copy (integrity_check and row counts), with a printable register of the week's files
// beside it, and the oldest copies removed beyond the retention count.
//
// Restoring replaces the database file, so it is refused while a hub runs on it: the
// hub holds a kernel lock on shubbak.db.lock from start to close (see acquireHubLock).
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { HubConfig } from '../config.ts';
import type { Db } from '../db/connection.ts';
import { nextWeeklyRun, parseHm } from '../domain/schedule.ts';
import { localDay, type Clock } from '../domain/time.ts';
import { addDays } from '../domain/deadlines.ts';
import { weeklyRegisterHtml } from './reports/index.ts';
import { verifyAuditTable } from './audit.ts';
import { createPrivateFile, DIR_MODE, FILE_MODE } from '../db/permissions.ts';

export const DB_FILE = 'shubbak.db';
/** shubbak-<UTC date>T<hhmmss>Z[-<n>].db: a second backup in the same second gets -2, -3, … */
const BACKUP_NAME = /^shubbak-(\d{4}-\d{2}-\d{2})T(\d{2})(\d{2})(\d{2})Z?(?:-(\d{1,6}))?\.db$/;
/** A .partial left by a backup that died (kill, power cut) is removed once this old. */
const STALE_PARTIAL_MS = 3600_000;

export type BackupCheck = {
  integrity: string;
  rowCounts: Record<string, number>;
  /** The audit trail's hash chain in the copy (null when the copy has no audit table). */
  audit: { ok: boolean; count: number } | null;
};
export type BackupRecord = {
  id: number; file: string; startedAt: number; finishedAt: number; bytes: number; integrity: string;
  rowCounts: Record<string, number>; trigger: string; registerFile: string | null; error: string | null;
};

export function dbPath(dataDir: string): string {
  return path.join(dataDir, DB_FILE);
}

export function backupDirOf(config: Pick<HubConfig, 'dataDir' | 'backupDir'>): string {
  return config.backupDir ?? path.join(config.dataDir, 'backups');
}

// --- The hub's lock on its database -------------------------------------------------
//
// A kernel lock that dies with its process (issue 15, fault 1). The lock file is a tiny
// SQLite database of its own, opened in EXCLUSIVE locking mode with a write made: SQLite
// then holds a POSIX fcntl write lock on it until the connection closes — and the kernel
// drops that lock when the process dies in any way (kill -9, power cut, OOM). Nothing is
// read from the file to decide anything, so a stale file, or a pid reused after a reboot
// or in a container (where the hub is pid 1 again), can never keep the hub from starting.
// SQLite rather than flock(1) or a native addon: it is already here, its locking is the
// most tested code in the stack, and it also guards against a second hub in the same
// process (tests), which raw fcntl would not. The same lock guards a restore.
//
// (POSIX drops a process's fcntl locks when it closes any descriptor of that file: only
// this module's SQLite connection ever opens the lock file while it is held.)

export function lockPath(dataDir: string): string {
  return dbPath(dataDir) + '.lock';
}

export class HubRunning extends Error {}

/**
 * Take the lock on a data dir, or throw HubRunning when a live process holds it. Taken by
 * startHub for its whole life and by a restore while it replaces the files. Returns the release.
 */
export function acquireHubLock(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true, mode: DIR_MODE });
  const file = lockPath(dataDir);
  dropLegacyPidFile(file);
  createPrivateFile(file);
  // timeout 0: a held lock is answered at once, not waited for.
  const lock = new Database(file, { timeout: 0 });
  try {
    lock.pragma('journal_mode = MEMORY'); // no journal file beside the lock
    lock.pragma('locking_mode = EXCLUSIVE');
    lock.exec('CREATE TABLE IF NOT EXISTS holder (pid INTEGER NOT NULL, since INTEGER NOT NULL)');
    // The first write takes the exclusive lock; in EXCLUSIVE mode it is kept after commit.
    lock.transaction(() => {
      lock.exec('DELETE FROM holder');
      lock.prepare('INSERT INTO holder (pid, since) VALUES (?, ?)').run(process.pid, Date.now());
    })();
  } catch (err) {
    lock.close();
    const code = (err as { code?: string }).code;
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') throw new HubRunning(`another hub is running on ${dbPath(dataDir)}`);
    throw err;
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    lock.close(); // the lock goes with the connection; the file stays (it means nothing by itself)
  };
}

/** A lock file from before this change held a pid as text; it is not a lock any more. */
function dropLegacyPidFile(file: string): void {
  let head: Buffer;
  try {
    head = fs.readFileSync(file).subarray(0, 16);
  } catch {
    return;
  }
  if (head.length && !head.toString('latin1').startsWith('SQLite format 3')) fs.rmSync(file, { force: true });
}

// --- Checking a copy ------------------------------------------------------------------

/** Open a database file read-only and check it: integrity_check and the rows of every table. */
export function checkDatabaseFile(file: string): BackupCheck {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const problems = db.pragma('integrity_check') as { integrity_check: string }[];
    const integrity = problems.length === 1 && problems[0].integrity_check === 'ok' ? 'ok' : problems.map((p) => p.integrity_check).slice(0, 5).join('; ');
    const hasAudit = db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'audit_events'").pluck().get() as number;
    const v = hasAudit ? verifyAuditTable(db) : null;
    return { integrity, rowCounts: rowCounts(db), audit: v ? { ok: v.ok, count: v.count } : null };
  } finally {
    db.close();
  }
}

export function rowCounts(db: Db): Record<string, number> {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
  const counts: Record<string, number> = {};
  for (const t of tables) counts[t] = db.prepare(`SELECT count(*) FROM "${t.replaceAll('"', '""')}"`).pluck().get() as number;
  return counts;
}

// --- Taking backups -------------------------------------------------------------------

export class BackupService {
  private readonly q;
  private running: Promise<BackupRecord> | null = null;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly config: HubConfig,
  ) {
    this.q = {
      insert: db.prepare(
        `INSERT INTO backups (file, started_at, finished_at, bytes, integrity, row_counts, trigger, register_file, error)
         VALUES (@file, @startedAt, @finishedAt, @bytes, @integrity, @rowCounts, @trigger, @registerFile, @error)`,
      ),
      last: db.prepare<[], BackupRowDb>('SELECT * FROM backups ORDER BY id DESC LIMIT 1'),
      lastGood: db.prepare<[], BackupRowDb>("SELECT * FROM backups WHERE error IS NULL AND integrity = 'ok' ORDER BY id DESC LIMIT 1"),
      list: db.prepare<[number], BackupRowDb>('SELECT * FROM backups ORDER BY id DESC LIMIT ?'),
    };
  }

  get dir(): string {
    return backupDirOf(this.config);
  }

  /** When the next scheduled backup runs. */
  nextRun(after = this.clock()): number {
    return nextWeeklyRun(after, { weekday: this.config.backupWeekday, minute: parseHm(this.config.backupTime)! }, this.config.timezone);
  }

  /** Take a backup now. Two calls at once share one backup. */
  backup(trigger: 'schedule' | 'manual' | 'cli' = 'manual'): Promise<BackupRecord> {
    this.running ??= this.take(trigger).finally(() => (this.running = null));
    return this.running;
  }

  private async take(trigger: string): Promise<BackupRecord> {
    const startedAt = this.clock();
    fs.mkdirSync(this.dir, { recursive: true, mode: DIR_MODE });
    removeStalePartials(this.dir);
    const { file, partial } = claimBackupName(this.dir, startedAt);
    const rec = { file, startedAt, finishedAt: startedAt, bytes: 0, integrity: 'not checked', rowCounts: '{}', trigger, registerFile: null as string | null, error: null as string | null };
    try {
      // Online backup: pages are copied in steps while the hub keeps serving; writes made
      // meanwhile restart the copy, so the result is one consistent snapshot.
      await this.db.backup(partial);
      fs.chmodSync(partial, FILE_MODE);
      const check = checkDatabaseFile(partial);
      fs.renameSync(partial, file);
      rec.bytes = fs.statSync(file).size;
      rec.integrity = check.integrity;
      rec.rowCounts = JSON.stringify(check.rowCounts);
      if (check.integrity !== 'ok') rec.error = `integrity_check: ${check.integrity}`;
      else if (check.audit && !check.audit.ok) rec.error = `audit chain broken after ${check.audit.count} events`;
      rec.registerFile = this.writeRegister(file, startedAt);
      fs.writeFileSync(file.replace(/\.db$/, '.json'), JSON.stringify({ ...rec, rowCounts: check.rowCounts, audit: check.audit }, null, 2) + '\n', { mode: FILE_MODE });
      this.prune();
    } catch (err) {
      rec.error = (err as Error).message;
      fs.rmSync(partial, { force: true });
    }
    rec.finishedAt = this.clock();
    const id = Number(this.q.insert.run(rec).lastInsertRowid);
    return { id, ...rec, rowCounts: JSON.parse(rec.rowCounts) };
  }

  /** The printable register of the week's files, beside the copy (the printed weekly copy). */
  private writeRegister(backupFile: string, at: number): string | null {
    const today = localDay(at, this.config.timezone);
    const html = weeklyRegisterHtml(this.db, { from: addDays(today, -6), to: today, timeZone: this.config.timezone, centerName: this.config.centerName });
    if (html === null) return null;
    const file = backupFile.replace(/\.db$/, '-register.html');
    fs.writeFileSync(file, html, { mode: FILE_MODE });
    return file;
  }

  /** Keep the newest `backupKeep` copies (with their register and manifest). */
  private prune(): void {
    const copies = listBackupFiles(this.dir);
    for (const old of copies.slice(this.config.backupKeep)) {
      for (const f of [old.file, old.file.replace(/\.db$/, '.json'), old.file.replace(/\.db$/, '-register.html')]) fs.rmSync(f, { force: true });
    }
  }

  last(): BackupRecord | null {
    const r = this.q.last.get();
    return r ? toRecord(r) : null;
  }

  lastGood(): BackupRecord | null {
    const r = this.q.lastGood.get();
    return r ? toRecord(r) : null;
  }

  history(limit = 20): BackupRecord[] {
    return this.q.list.all(limit).map(toRecord);
  }

  /** Start the weekly timer; returns its stop. A missed run (hub off at the time) runs at the next start if a week has gone by. */
  schedule(onError: (err: unknown) => void): () => void {
    let timer: NodeJS.Timeout | null = null;
    let stopped = false;
    const startedAt = this.clock();
    const arm = () => {
      if (stopped) return;
      // setTimeout cannot wait longer than ~24.8 days; wake at least daily and re-arm.
      const wait = Math.min(Math.max(this.nextRun() - this.clock(), 1000), 86_400_000);
      timer = setTimeout(() => void fire(), wait);
      timer.unref();
    };
    const fire = async () => {
      await this.runIfDue(startedAt).catch(onError);
      arm();
    };
    const last = this.lastGood();
    if (last && this.clock() - last.startedAt > 7 * 86_400_000) void fire();
    else arm();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }

  /**
   * Take the scheduled backup if a weekly slot has passed since the last good backup (or,
   * with none yet, since `since`). Returns the backup taken, or null when none was due.
   */
  async runIfDue(since: number): Promise<BackupRecord | null> {
    const due = this.lastScheduledSlot();
    const last = this.lastGood()?.startedAt ?? since;
    if (last >= due) return null;
    const r = await this.backup('schedule');
    if (r.error) throw new Error(`scheduled backup failed: ${r.error}`);
    return r;
  }

  /** The latest scheduled instant at or before now (slots are a week apart). */
  private lastScheduledSlot(): number {
    return this.nextRun(this.clock() - 7 * 86_400_000);
  }
}

type BackupRowDb = {
  id: number; file: string; started_at: number; finished_at: number; bytes: number; integrity: string; row_counts: string;
  trigger: string; register_file: string | null; error: string | null;
};

function toRecord(r: BackupRowDb): BackupRecord {
  return {
    id: r.id, file: r.file, startedAt: r.started_at, finishedAt: r.finished_at, bytes: r.bytes, integrity: r.integrity,
    rowCounts: JSON.parse(r.row_counts), trigger: r.trigger, registerFile: r.register_file, error: r.error,
  };
}

/**
 * A name no other backup has (issue 15, fault 11: two backups in the same second wrote one
 * file): the second's stamp, then -2, -3, … The .partial is created exclusively (0600), so
 * two processes (the hub and the CLI) cannot claim the same name either.
 */
function claimBackupName(dir: string, at: number): { file: string; partial: string } {
  const stamp = new Date(at).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const base = `shubbak-${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}${stamp.slice(8)}`;
  for (let n = 1; n < 1_000_000; n++) {
    const file = path.join(dir, `${base}${n === 1 ? '' : `-${n}`}.db`);
    if (fs.existsSync(file)) continue;
    const partial = file + '.partial';
    try {
      fs.closeSync(fs.openSync(partial, 'wx', FILE_MODE));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw err;
    }
    return { file, partial };
  }
  throw new Error(`no free backup name for ${base} in ${dir}`);
}

/** .partial files of backups that died; a running backup's (fresh) .partial is left alone. */
function removeStalePartials(dir: string, now = Date.now()): void {
  for (const n of fs.readdirSync(dir)) {
    if (!n.endsWith('.partial')) continue;
    const f = path.join(dir, n);
    try {
      if (now - fs.statSync(f).mtimeMs > STALE_PARTIAL_MS) fs.rmSync(f, { force: true });
    } catch {
      /* gone meanwhile */
    }
  }
}

/** Backup files in a directory, newest first (by the time in their name, then the -n of the same second). */
export function listBackupFiles(dir: string): { file: string; takenAt: string; bytes: number }[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const key = (n: string) => {
    const m = BACKUP_NAME.exec(n)!;
    return `${m[1]}T${m[2]}${m[3]}${m[4]}-${(m[5] ?? '1').padStart(6, '0')}`;
  };
  return names
    .filter((n) => BACKUP_NAME.test(n))
    .sort((a, b) => (key(a) < key(b) ? 1 : key(a) > key(b) ? -1 : 0))
    .map((n) => {
      const m = BACKUP_NAME.exec(n)!;
      return { file: path.join(dir, n), takenAt: `${m[1]}T${m[2]}:${m[3]}:${m[4]}Z`, bytes: fs.statSync(path.join(dir, n)).size };
    });
}

/**
 * Put a backup in place of the database. Refused while a hub holds the database; the
 * copy is checked first, and the current database is kept beside it as
 * shubbak.db.before-restore-<time> so a wrong restore can be undone.
 */
export function restoreBackup(dataDir: string, backupFile: string, now = Date.now()): { check: BackupCheck; previous: string | null } {
  // Held while the files are replaced, so no hub can start on a half-restored database.
  let release: () => void;
  try {
    release = acquireHubLock(dataDir);
  } catch (err) {
    if (err instanceof HubRunning) throw new Error(`the hub is running on ${dbPath(dataDir)}; stop it before restoring`);
    throw err;
  }
  try {
    return replaceDatabase(dataDir, backupFile, now);
  } finally {
    release();
  }
}

function replaceDatabase(dataDir: string, backupFile: string, now: number): { check: BackupCheck; previous: string | null } {
  const check = checkDatabaseFile(backupFile);
  if (check.integrity !== 'ok') throw new Error(`the backup failed integrity_check: ${check.integrity}`);
  if (check.audit && !check.audit.ok) throw new Error(`the backup's audit chain is broken after ${check.audit.count} events`);
  const target = dbPath(dataDir);
  let previous: string | null = null;
  if (fs.existsSync(target)) {
    // Fold the WAL into the main file first, so the kept copy is complete on its own.
    const cur = new Database(target);
    cur.pragma('wal_checkpoint(TRUNCATE)');
    cur.close();
    previous = `${target}.before-restore-${new Date(now).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`;
    fs.renameSync(target, previous);
  }
  for (const ext of ['-wal', '-shm']) fs.rmSync(target + ext, { force: true });
  const tmp = target + '.restoring';
  fs.copyFileSync(backupFile, tmp);
  fs.renameSync(tmp, target);
  return { check, previous };
}
