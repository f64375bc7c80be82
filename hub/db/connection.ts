// The SQLite file: opened once, durable settings, migrations applied in order.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { createPrivateFile, DIR_MODE } from './permissions.ts';

export type Db = Database.Database;

/** The page cache of each connection, in KiB. */
export const PAGE_CACHE_KIB = 2000;

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

export function openDatabase(file: string): Db {
  const db = openPrivateDatabase(file);
  migrate(db);
  return db;
}

/** A SQLite file with the hub's durable settings and no schema (the central store brings its own: hub/central/store.ts). */
export function openPrivateDatabase(file: string): Db {
  // Private from the start (issue 15, fault 9): the dir 0700, the file 0600 before SQLite
  // opens it, so its WAL and SHM are 0600 too (SQLite gives them the database's mode).
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: DIR_MODE });
  createPrivateFile(file);
  const db = new Database(file);
  // WAL lets readers run beside the writer; synchronous=FULL fsyncs every commit so a
  // power cut on a Pi never loses a ticket, call or payment the hub has acknowledged.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // A 2 MB page cache (SQLite's own default; issue 10). better-sqlite3 builds SQLite with
  // 16 MB per connection (SQLITE_DEFAULT_CACHE_SIZE=-16000), which the hub fills as its file
  // grows: +12 MB at the bench's peak, the whole 16 MB on a center's two-year file. The
  // operating system's page cache keeps the file's hot pages anyway, shared and reclaimable.
  db.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
  return db;
}

/**
 * Apply every hub/db/migrations/NNN_name.sql not applied yet, in name order, each in its
 * own transaction. Files are named by area (001 queue, 010 staff, 020 files, 030 reports)
 * so areas can grow their own migrations without renumbering each other's.
 */
export function migrate(db: Db, dir = MIGRATIONS_DIR): string[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)`);
  const done = new Set((db.prepare('SELECT name FROM schema_migrations').all() as { name: string }[]).map((r) => r.name));
  const files = fs.readdirSync(dir).filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f)).sort();
  const applied: string[] = [];
  for (const f of files) {
    if (done.has(f)) continue;
    const sql = fs.readFileSync(path.join(dir, f), 'utf8');
    db.transaction(() => {
      db.exec(sql);
      db.prepare('INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)').run(f, Date.now());
    })();
    applied.push(f);
  }
  return applied;
}
