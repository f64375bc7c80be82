// The central store (hub/central/store.ts, issue 13 item 4), on a real SQLite file: a batch
// applied in one transaction; the store reopened (a restart of the central service) has
// the boards as committed and counts nothing twice when the stream delivers again; a seq
// reused with other content, a forged center, bad JSON are refused, logged and counted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CentralStore, type StreamMessage } from '../../hub/central/store.ts';
import { summarize } from '../../hub/central/board.ts';
import type { CentralEvent } from '../../hub/federation/forwarder.ts';

const T0 = Date.UTC(2026, 11, 1, 8, 0);
let streamSeq = 0;
const msg = (ev: CentralEvent, subject = `centers.${ev.center}.${ev.kind}`): StreamMessage => ({ subject, data: JSON.stringify(ev), streamSeq: ++streamSeq });
const line = (center: string, seq: number, letter: string, waiting: number): CentralEvent => ({
  center, seq, kind: 'state', topic: `shubbak/v1/lines/${letter}/state`, at: T0 + seq,
  payload: { line: letter, name: `خط ${letter}`, open: true, waiting, estimatedWaitMin: 0, seq },
});
const issued = (center: string, seq: number): CentralEvent => ({ center, seq, kind: 'event', topic: 'ticket.issued', at: T0 + seq, payload: { ticket: `A${seq}`, line: 'A' } });

function tempFile(t: import('node:test').TestContext): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shubbak-central-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return path.join(dir, 'central.db');
}

test('a restart of the central service keeps the boards and counts no event twice', (t) => {
  const file = tempFile(t);
  let store = new CentralStore(file);
  const batch1 = [msg(issued('c1', 1)), msg(line('c1', 2, 'A', 1)), msg(issued('c2', 1)), msg(line('c2', 2, 'A', 1)), msg(issued('c1', 3)), msg(line('c1', 4, 'A', 2))];
  assert.deepEqual(store.applyBatch(batch1), { applied: 6, duplicates: 0, refused: 0 });
  assert.equal(store.db.pragma('journal_mode', { simple: true }), 'wal');
  assert.equal(store.db.pragma('synchronous', { simple: true }), 2, 'synchronous=FULL');
  store.close();

  // Reopened: the boards are there without a replay; the stream delivers the last batch again
  // (acks lost with the restart) plus new events.
  store = new CentralStore(file);
  assert.deepEqual(store.summaries().map((s) => [s.center, s.waitingTotal, s.lastSeq]), [['c1', 2, 4], ['c2', 1, 2]]);
  const r = store.applyBatch([...batch1, msg(issued('c2', 3)), msg(line('c2', 4, 'A', 2))]);
  assert.deepEqual(r, { applied: 2, duplicates: 6, refused: 0 });
  assert.equal(store.eventCount(), 8);
  assert.equal(store.board('c1')!.events['ticket.issued'], 2);
  assert.equal(store.board('c2')!.events['ticket.issued'], 2);
  assert.equal(summarize(store.board('c2')!).waitingTotal, 2);
  store.close();
  store = new CentralStore(file);
  assert.equal(store.board('c1')!.duplicates, 4, 'the duplicates count survives too');
  store.close();
});

test('refused: bad JSON, another center on my subject, a seq reused with other content, a state outside the contract', (t) => {
  const store = new CentralStore(tempFile(t), () => T0);
  store.applyBatch([msg(line('c1', 1, 'A', 3))]);
  const r = store.applyBatch([
    { subject: 'centers.c1.state', data: '{not json', streamSeq: 100 },
    msg(line('c2', 2, 'A', 50), 'centers.c1.state'), // c1's credentials claiming to be c2
    msg(line('c1', 1, 'A', 40)), // seq 1 again, other content
    msg({ ...line('c1', 2, 'A', 1), payload: { line: 'A', waiting: 'many' } }),
    msg(line('c1', 1, 'A', 3)), // seq 1 again, same content: a plain duplicate
  ]);
  assert.deepEqual(r, { applied: 0, duplicates: 1, refused: 4 });
  assert.deepEqual(store.refusals().map((x) => [x.center, x.code]).reverse(), [['c1', 'BAD_EVENT'], ['c1', 'WRONG_CENTER'], ['c1', 'SEQ_REUSED'], ['c1', 'BAD_STATE']]);
  assert.equal(store.refusals().at(-1)!.streamSeq, 100);
  const b = store.board('c1')!;
  assert.equal(b.refused, 4);
  assert.equal(b.lines.A.waiting, 3, 'no refusal changed the board');
  assert.equal(store.board('c2'), undefined, 'the forged center got no board');
  assert.equal(store.eventCount(), 1);
  store.close();
});

test('a batch that fails in SQLite writes nothing and leaves the boards as committed', (t) => {
  const store = new CentralStore(tempFile(t));
  store.applyBatch([msg(line('c1', 1, 'A', 3))]);
  // A trigger makes the second insert of the batch fail: the first must roll back with it.
  store.db.exec(`CREATE TRIGGER fail BEFORE INSERT ON central_events WHEN NEW.seq = 3 BEGIN SELECT RAISE(ABORT, 'disk says no'); END`);
  assert.throws(() => store.applyBatch([msg(line('c1', 2, 'A', 4)), msg(line('c1', 3, 'A', 5))]), /disk says no/);
  assert.equal(store.eventCount(), 1);
  assert.equal(store.board('c1')!.lastSeq, 1);
  assert.equal(store.board('c1')!.lines.A.waiting, 3);
  store.db.exec('DROP TRIGGER fail');
  // Delivered again (not acked): applied now, once.
  assert.deepEqual(store.applyBatch([msg(line('c1', 2, 'A', 4)), msg(line('c1', 3, 'A', 5))]), { applied: 2, duplicates: 0, refused: 0 });
  assert.equal(store.board('c1')!.lines.A.waiting, 5);
  store.close();
});
