// The backup command line (the manager's weekly saved copy, by hand):
//   tsx scripts/backup.ts now              take a backup of the hub's database now (safe while the hub runs)
//   tsx scripts/backup.ts list             the backups in the backups directory, newest first
//   tsx scripts/backup.ts restore <file>   put a backup in place of the database (refused while the hub runs)
// Settings come from the same environment as the hub (SHUBBAK_DATA_DIR, SHUBBAK_BACKUP_DIR …).
// Exit 0 on success, 1 on failure, 2 on a usage error.
import fs from 'node:fs';
import { loadConfig } from '../hub/config.ts';
import { openDatabase } from '../hub/db/connection.ts';
import { BackupService, backupDirOf, checkDatabaseFile, dbPath, listBackupFiles, restoreBackup } from '../hub/services/backup.ts';

const USAGE = 'usage: backup.ts now | list | restore <file>';

async function main(argv: string[]): Promise<number> {
  const config = loadConfig();
  const [cmd, arg] = argv;
  switch (cmd) {
    case 'now': {
      if (!fs.existsSync(dbPath(config.dataDir))) {
        console.error(`no database at ${dbPath(config.dataDir)}`);
        return 1;
      }
      const db = openDatabase(dbPath(config.dataDir));
      try {
        const r = await new BackupService(db, Date.now, config).backup('cli');
        if (r.error) {
          console.error(`backup FAILED: ${r.error}`);
          return 1;
        }
        console.log(`backup written: ${r.file}`);
        console.log(`  ${(r.bytes / 1e6).toFixed(1)} MB in ${r.finishedAt - r.startedAt} ms; integrity_check ${r.integrity}`);
        console.log(`  rows: ${Object.entries(r.rowCounts).map(([t, n]) => `${t} ${n}`).join(', ')}`);
        if (r.registerFile) console.log(`  register of the week's files: ${r.registerFile}`);
        return 0;
      } finally {
        db.close();
      }
    }
    case 'list': {
      const dir = backupDirOf(config);
      const files = listBackupFiles(dir);
      if (!files.length) console.log(`no backups in ${dir}`);
      for (const f of files) {
        let note = '';
        try {
          const m = JSON.parse(fs.readFileSync(f.file.replace(/\.db$/, '.json'), 'utf8')) as { integrity: string; error: string | null };
          note = m.error ? `FAILED: ${m.error}` : `integrity ${m.integrity}`;
        } catch {
          note = 'no manifest';
        }
        console.log(`${f.takenAt}  ${(f.bytes / 1e6).toFixed(1).padStart(8)} MB  ${f.file}  (${note})`);
      }
      return 0;
    }
    case 'restore': {
      if (!arg) {
        console.error(USAGE);
        return 2;
      }
      if (!fs.existsSync(arg)) {
        console.error(`no backup file at ${arg}`);
        return 1;
      }
      const { check, previous } = restoreBackup(config.dataDir, arg);
      const again = checkDatabaseFile(dbPath(config.dataDir));
      console.log(`restored ${arg} → ${dbPath(config.dataDir)}; integrity_check ${again.integrity}`);
      if (again.audit) console.log(`  audit chain ${again.audit.ok ? 'intact' : 'BROKEN'}: ${again.audit.count} events`);
      const total = Object.values(check.rowCounts).reduce((a, b) => a + b, 0);
      console.log(`  ${total} rows in ${Object.keys(check.rowCounts).length} tables`);
      if (previous) console.log(`  the database it replaced is kept as ${previous}`);
      return again.integrity === 'ok' ? 0 : 1;
    }
    default:
      console.error(USAGE);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(`backup.ts: ${(err as Error).message}`);
    process.exit(1);
  },
);
