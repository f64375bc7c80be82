// Issue 15, fault 9: shubbak.db, its WAL and the backups were 0644 in a 0755 directory —
// national IDs and payments readable by any local user. Now the data dir is 0700 and every
// file 0600 from their creation; a looser mode found at start stops the hub with a message
// naming the path (as PostgreSQL does), unless SHUBBAK_FIX_PERMISSIONS tightens them.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestHub } from '../helpers/hub.ts';
import { PermissionsError } from '../../hub/db/permissions.ts';
import { deviceActor } from '../../hub/domain/actor.ts';

const modeOf = (p: string) => fs.statSync(p).mode & 0o777;

describe('the data files are private to the hub', () => {
  test('a new data dir is 0700 and the database, WAL, SHM, secrets, credentials and backups are 0600', async (t) => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'shubbak-perm-'));
    const dataDir = path.join(parent, 'data'); // made by the hub, under the usual umask 022
    const hub = await startTestHub(t, { dataDir });
    hub.ctx.queue.issue({ line: 'A', priority: false, by: deviceActor('kiosk-1') }); // the WAL has content
    const b = await hub.ctx.backups.backup('manual');
    assert.equal(b.error, null);
    assert.equal(modeOf(dataDir), 0o700, 'data dir');
    for (const f of ['shubbak.db', 'shubbak.db-wal', 'shubbak.db-shm', 'hub.secret', 'devices.json', 'staff.json']) {
      assert.equal(modeOf(path.join(dataDir, f)).toString(8), '600', f);
    }
    assert.equal(modeOf(path.join(dataDir, 'backups')).toString(8), '700', 'backups dir');
    for (const f of fs.readdirSync(path.join(dataDir, 'backups'))) assert.equal(modeOf(path.join(dataDir, 'backups', f)).toString(8), '600', f);
  });

  test('looser modes stop the start with a clear message; SHUBBAK_FIX_PERMISSIONS tightens them', async (t) => {
    const first = await startTestHub(t);
    const dataDir = first.dataDir;
    await first.close();
    fs.chmodSync(dataDir, 0o755);
    fs.chmodSync(path.join(dataDir, 'shubbak.db'), 0o644);
    fs.chmodSync(path.join(dataDir, 'staff.json'), 0o640);
    await assert.rejects(startTestHub(t, { dataDir }), (err: Error) => {
      assert.ok(err instanceof PermissionsError, String(err));
      assert.match(err.message, /shubbak\.db is 0644, should be 0600/);
      assert.match(err.message, /staff\.json is 0640, should be 0600/);
      assert.match(err.message, /is 0755, should be 0700/);
      assert.match(err.message, /SHUBBAK_FIX_PERMISSIONS=true/);
      return true;
    });
    assert.equal(modeOf(path.join(dataDir, 'shubbak.db')), 0o644, 'refusing changes nothing');
    const fixed = await startTestHub(t, { dataDir, config: { fixPermissions: true } });
    assert.equal(modeOf(dataDir), 0o700);
    assert.equal(modeOf(path.join(dataDir, 'shubbak.db')), 0o600);
    assert.equal(modeOf(path.join(dataDir, 'staff.json')), 0o600);
    await fixed.close();
  });
});
