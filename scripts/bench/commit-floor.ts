// The floor under the hub's round trips (issue 16, item 3). The issue puts it at "one broker
// round trip plus one SQLite commit with synchronous=FULL": whatever the hub's code does, a
// ticket.issue or a Next cannot be answered before its commit reached the disk (nothing
// acknowledged is ever lost), and its request and reply cross a broker. This measures that
// commit on the disk the bench's hub writes to (the same data directory), with the hub's own
// settings (hub/db/connection.ts: WAL, synchronous=FULL), one small row per transaction, in
// blocks the bench interleaves with mosquitto's round trips, so the two are taken under the
// same noise and can be added sample by sample.
import path from 'node:path';
import { openPrivateDatabase } from '../../hub/db/connection.ts';

export type CommitFloor = { block(n: number): number[]; close(): void };

export function commitFloor(dataDir: string): CommitFloor {
  const db = openPrivateDatabase(path.join(dataDir, 'commit-floor', 'floor.db'));
  db.exec('CREATE TABLE IF NOT EXISTS floor (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, label TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO floor (at, label) VALUES (?, ?)');
  const commitOne = db.transaction((at: number) => insert.run(at, 'A001'));
  return {
    /** n commits of one row each, ms apiece (BEGIN … COMMIT, the fsync inside the COMMIT). */
    block(n: number): number[] {
      const out: number[] = [];
      for (let i = 0; i < n; i++) {
        const t0 = performance.now();
        commitOne(Date.now());
        out.push(performance.now() - t0);
      }
      return out;
    },
    close: () => db.close(),
  };
}

/** The floor of a round trip, sample by sample: a mosquitto request/reply plus one commit taken beside it. */
export function floorSamples(broker: number[], commits: number[]): number[] {
  const n = Math.min(broker.length, commits.length);
  return Array.from({ length: n }, (_, i) => broker[i] + commits[i]);
}
