// The weekly backup: an online copy taken while the hub runs, checked, listed, pruned;
// restore through the real CLI is refused while the hub holds the database and, once it
// has stopped, brings back exactly the copy: same row counts, integrity ok, audit chain intact.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { startTestHub } from '../helpers/hub.ts';
import { FakeClock } from '../helpers/clock.ts';
import { get, post, signIn } from './reports-support.ts';
import { listBackupFiles, rowCounts } from '../../hub/services/backup.ts';
import { verifyAuditTable } from '../../hub/services/audit.ts';
import { displayInquiry, formatInquiry } from '../../hub/domain/inquiry-number.ts';
import { deviceActor } from '../../hub/domain/actor.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');

function cli(dataDir: string, ...args: string[]) {
  return run(process.execPath, ['--import', 'tsx', 'scripts/backup.ts', ...args], {
    cwd: ROOT, env: { ...process.env, SHUBBAK_DATA_DIR: dataDir },
  }).then((r) => ({ code: 0, ...r }), (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }));
}

function countsOf(file: string): Record<string, number> {
  const db = new Database(file, { readonly: true });
  try {
    return rowCounts(db);
  } finally {
    db.close();
  }
}

describe('the weekly backup', () => {
  test('backup → restore round trip through the CLI', async (t) => {
    const clock = new FakeClock(Date.parse('2026-11-29T10:00:00+02:00'));
    let hub = await startTestHub(t, { clock: clock.now, config: { passwordCost: 10 } });
    const dataDir = hub.dataDir;
    const manager = await signIn(hub, 'manager1', 'manager'); // also writes audit events
    for (let i = 0; i < 20; i++) hub.ctx.queue.issue({ line: 'A', priority: false, by: deviceActor('kiosk-1') });
    // A file registered this week, for the printed register beside the copy.
    const db = hub.ctx.db;
    const citizen = db.prepare(`INSERT INTO citizens (national_id, name, birth_date, governorate_code, gender, created_at, updated_at)
    VALUES ('29001011234567', 'سعاد عبد الحليم', '1990-01-01', '01', 'female', 0, 0)`).run().lastInsertRowid;
    const service = db.prepare('SELECT id, department_id FROM services ORDER BY id LIMIT 1').get() as { id: number; department_id: number };
    db.prepare(`INSERT INTO files (inquiry, service_id, department_id, citizen_id, status, registered_at, registered_by, updated_at)
    VALUES (?, ?, ?, ?, 'registered', ?, 'test', ?)`).run(formatInquiry('F', 2026, 1), service.id, service.department_id, citizen, clock.now() - 86_400_000, clock.now());

    const taken = await post(hub, manager, '/api/reports/backups');
    assert.equal(taken.statusCode, 201, taken.body);
    const b = taken.json();
    assert.equal(b.integrity, 'ok');
    assert.equal(b.error, null);
    assert.equal(b.rowCounts.tickets, 20);
    assert.ok(b.rowCounts.audit_events >= 1);
    assert.ok(fs.existsSync(b.file) && b.bytes > 0);
    assert.equal(path.dirname(b.file), path.join(dataDir, 'backups'));
    const register = fs.readFileSync(b.registerFile, 'utf8');
    assert.match(register, /<html lang="ar" dir="rtl">/);
    assert.match(register, /سجل الملفات المقدمة خلال الأسبوع/);
    assert.ok(register.includes(displayInquiry(formatInquiry('F', 2026, 1))), 'the file is listed');
    assert.match(register, /سعاد عبد الحليم/);
    const manifest = JSON.parse(fs.readFileSync(b.file.replace(/\.db$/, '.json'), 'utf8'));
    assert.deepEqual(manifest.audit, { ok: true, count: b.rowCounts.audit_events });

    const status = (await get(hub, manager, '/api/reports/backups')).json();
    assert.equal(status.last.id, b.id);
    assert.equal(new Date(status.nextRunAt).toISOString(), '2026-12-03T13:30:00.000Z'); // Thursday 15:30 Cairo
    const sup = await signIn(hub, 'super1', 'supervisor', []);
    assert.equal((await get(hub, sup, '/api/reports/backups')).statusCode, 403);

    // Work goes on after the backup: these tickets are not in the copy.
    for (let i = 0; i < 5; i++) hub.ctx.queue.issue({ line: 'B', priority: false, by: deviceActor('kiosk-1') });

    const refused = await cli(dataDir, 'restore', b.file);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /is running on .*shubbak\.db; stop it before restoring/);

    const listed = await cli(dataDir, 'list');
    assert.equal(listed.code, 0);
    assert.match(listed.stdout, /integrity ok/);

    await hub.close();
    const restored = await cli(dataDir, 'restore', b.file);
    assert.equal(restored.code, 0, restored.stderr);
    assert.match(restored.stdout, /integrity_check ok/);
    assert.match(restored.stdout, /audit chain intact/);

    const dbFile = path.join(dataDir, 'shubbak.db');
    assert.deepEqual(countsOf(dbFile), b.rowCounts);
    const copy = new Database(dbFile, { readonly: true });
    assert.deepEqual(copy.pragma('integrity_check'), [{ integrity_check: 'ok' }]);
    const verdict = verifyAuditTable(copy);
    assert.equal(verdict.ok, true);
    assert.equal(verdict.count, b.rowCounts.audit_events);
    copy.close();
    assert.ok(fs.readdirSync(dataDir).some((f) => f.startsWith('shubbak.db.before-restore-')), 'the replaced database is kept');

    // The hub starts on the restored database and sees the copy's tickets only.
    hub = await startTestHub(t, { clock: clock.now, dataDir, config: { passwordCost: 10 } });
    assert.equal(hub.ctx.db.prepare("SELECT count(*) FROM tickets WHERE letter = 'B'").pluck().get(), 0);
    assert.equal(hub.ctx.db.prepare("SELECT count(*) FROM tickets WHERE letter = 'A'").pluck().get(), 20);

    // Usage errors.
    assert.equal((await cli(dataDir, 'restore')).code, 2);
    assert.equal((await cli(dataDir, 'frobnicate')).code, 2);
  });

  test('retention keeps the newest copies; a CLI backup works while the hub runs', async (t) => {
    const clock = new FakeClock(Date.parse('2026-11-29T10:00:00+02:00'));
    const hub = await startTestHub(t, { clock: clock.now, config: { backupKeep: 2 } });
    const records = [];
    for (let i = 0; i < 3; i++) {
      records.push(await hub.ctx.backups.backup('manual'));
      clock.advance(7 * 86_400_000);
    }
    const files = listBackupFiles(path.join(hub.dataDir, 'backups'));
    assert.deepEqual(files.map((f) => f.file), [records[2].file, records[1].file]);
    assert.equal(fs.existsSync(records[0].file.replace(/\.db$/, '.json')), false);

    const now = await cli(hub.dataDir, 'now');
    assert.equal(now.code, 0, now.stderr);
    assert.match(now.stdout, /integrity_check ok/);
    assert.equal(hub.ctx.backups.last()!.trigger, 'cli');
  });

  test('a second hub on the same database is refused', async (t) => {
    const hub = await startTestHub(t);
    await assert.rejects(startTestHub(t, { dataDir: hub.dataDir }), /another hub is running on/);
  });

  test('the weekly slot (Thursday 15:30 Cairo) takes one backup once it has passed', async (t) => {
    const clock = new FakeClock(Date.parse('2026-12-03T15:29:00+02:00')); // Thursday, a minute early
    const hub = await startTestHub(t, { clock: clock.now });
    const startedAt = Date.parse('2026-11-30T09:00:00+02:00');
    assert.equal(await hub.ctx.backups.runIfDue(startedAt), null);
    clock.set(Date.parse('2026-12-03T15:31:00+02:00'));
    const taken = await hub.ctx.backups.runIfDue(startedAt);
    assert.equal(taken?.trigger, 'schedule');
    assert.equal(taken?.integrity, 'ok');
    clock.advance(3_600_000);
    assert.equal(await hub.ctx.backups.runIfDue(startedAt), null, 'once per slot');
    // The hub was off at the next slot: the first check after it catches up.
    clock.set(Date.parse('2026-12-12T10:00:00+02:00'));
    assert.equal((await hub.ctx.backups.runIfDue(startedAt))?.trigger, 'schedule');
  });

  test('a damaged backup file is refused and the database is left alone', async (t) => {
    const hub = await startTestHub(t);
    const dataDir = hub.dataDir;
    hub.ctx.queue.issue({ line: 'A', priority: false, by: deviceActor('kiosk-1') });
    await hub.close();
    const bad = path.join(dataDir, 'backups', 'shubbak-2026-01-01T000000Z.db');
    fs.mkdirSync(path.dirname(bad), { recursive: true });
    fs.writeFileSync(bad, 'this is not a database'.repeat(100));
    const before = countsOf(path.join(dataDir, 'shubbak.db'));
    const r = await cli(dataDir, 'restore', bad);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /backup\.ts: .*not a database/);
    assert.deepEqual(countsOf(path.join(dataDir, 'shubbak.db')), before);
    assert.equal(fs.readdirSync(dataDir).some((f) => f.includes('before-restore')), false);
  });
});
