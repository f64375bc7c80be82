// The SQLite file's settings (hub/db/connection.ts): durable commits, and a bounded page cache
// (issue 10: better-sqlite3's 16 MB default per connection was the hub's largest growth
// under load). Fails before: cache_size was -16000.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, PAGE_CACHE_KIB } from '../../hub/db/connection.ts';
import { CentralStore } from '../../hub/central/store.ts';

test('the hub\'s SQLite files: WAL, synchronous=FULL, foreign keys, a 2 MB page cache', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shubbak-db-settings-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const db = openDatabase(path.join(dir, 'shubbak.db'));
  const central = new CentralStore(path.join(dir, 'central.db'));
  t.after(() => {
    db.close();
    central.close();
  });
  for (const d of [db, central.db]) {
    assert.equal(d.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(d.pragma('synchronous', { simple: true }), 2, 'synchronous=FULL');
    assert.equal(d.pragma('foreign_keys', { simple: true }), 1);
    assert.equal(PAGE_CACHE_KIB, 2000);
    assert.equal(d.pragma('cache_size', { simple: true }), -PAGE_CACHE_KIB, 'the page cache is bounded to 2 MB');
  }
});
