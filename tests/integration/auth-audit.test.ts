import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { startTestHub } from '../helpers/hub.ts';
import { signIn } from '../helpers/staff.ts';

const run = promisify(execFile);

async function verifyCli(dbFile: string): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/audit-verify.ts', dbFile], { cwd: process.cwd() });
    return { code: 0, out: stdout };
  } catch (err) {
    const e = err as { code: number; stderr: string };
    return { code: e.code, out: e.stderr };
  }
}

describe('the audit chain of staff actions', () => {
  test('the audit chain verifies, refuses edits in SQL, and the CLI detects tampering', async (t) => {
    const hub = await startTestHub(t);
    const admin = await signIn(hub, 'admin');
    for (let i = 0; i < 3; i++) {
      const r = await admin.inject({ method: 'POST', url: '/api/users', payload: { username: `clerk${i}`, name: `موظف ${i}`, role: 'intake' } });
      assert.equal(r.statusCode, 201);
    }
    assert.equal(hub.ctx.audit.verify().ok, true);
    const verdict = await admin.inject({ method: 'GET', url: '/api/audit/verify' });
    assert.equal(verdict.json().ok, true);
    const clerk0 = hub.ctx.staff.findByUsername('clerk0')!;
    const history = (await admin.inject({ method: 'GET', url: `/api/audit?entity=user&entityId=${clerk0.id}` })).json();
    assert.deepEqual(history.map((e: { action: string; actor: string }) => [e.action, e.actor]), [['user.create', `user:${admin.user.id}`]]);
    assert.equal(history[0].after.role, 'intake');
    const events = hub.ctx.db.prepare('SELECT count(*) AS n FROM audit_events').get() as { n: number };
    assert.ok(events.n >= 5);
    // The table itself refuses updates and deletes.
    assert.throws(() => hub.ctx.db.prepare("UPDATE audit_events SET actor = 'x' WHERE id = 2").run(), /append-only/);
    assert.throws(() => hub.ctx.db.prepare('DELETE FROM audit_events WHERE id = 2').run(), /append-only/);

    const dbFile = path.join(hub.dataDir, 'shubbak.db');
    await hub.close();
    const ok = await verifyCli(dbFile);
    assert.equal(ok.code, 0, ok.out);
    assert.match(ok.out, /intact/);

    // Someone with the file drops the trigger and rewrites history.
    const db = new Database(dbFile);
    db.exec('DROP TRIGGER audit_events_no_update');
    const victim = db.prepare("SELECT id FROM audit_events WHERE action = 'user.create' AND after_json LIKE '%clerk0%'").get() as { id: number };
    db.prepare("UPDATE audit_events SET after_json = replace(after_json, 'intake', 'admin') WHERE id = ?").run(victim.id);
    db.close();
    const broken = await verifyCli(dbFile);
    assert.equal(broken.code, 1);
    assert.match(broken.out, new RegExp(`BROKEN at event ${victim.id} \\(hash\\)`));
  });
});
