// The reports' daily rollups (issue 12 item 11) give exactly the figures of the direct
// computation: over generated months (scripts/generate-data.ts) that hold both of Egypt's
// 2025 clock changes (summer time from Friday 25 April, back on Thursday 30 October), with
// visits, window stretches and file events across midnight added by hand — including the
// night the clocks go back — and after history changes under days already kept (a parked
// visit cancelled the next morning, a stretch logged after midnight, a file moved to
// another department, a receipt voided later): a kept day that went stale would differ.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../hub/config.ts';
import { openDatabase, type Db } from '../../hub/db/connection.ts';
import { startOfLocalDay } from '../../hub/domain/time.ts';
import { ReportService, type Period } from '../../hub/services/reports/index.ts';
import { generate } from '../../scripts/generate-data.ts';

const TZ = 'Africa/Cairo';
const END = '2025-11-12';
const at = (day: string, hhmm: string, offset: '+02:00' | '+03:00') => Date.parse(`${day}T${hhmm}:00${offset}`);

/** A ticket and its visit on line A, entered at `queued`, called and ended as given (null: still waiting). */
function visit(db: Db, day: string, number: number, v: { queued: number; called: number | null; ended: number | null; status: string; window: number | null }): number {
  const ticket = Number(db.prepare(
    `INSERT INTO tickets (day, letter, number, label, priority, issued_at, issued_by) VALUES (?, 'A', ?, ?, 0, ?, 'device:kiosk-1')`,
  ).run(day, number, `A${number}`, v.queued).lastInsertRowid);
  return Number(db.prepare(
    `INSERT INTO visits (ticket_id, line, status, priority, queued_at, called_at, last_call_at, started_at, ended_at, window, served_by)
     VALUES (?, 'A', ?, 0, ?, ?, ?, NULL, ?, ?, 'user:1')`,
  ).run(ticket, v.status, v.queued, v.called, v.called, v.ended, v.window).lastInsertRowid);
}

describe("the reports' daily rollups equal the direct computation", () => {
  test('report rollups equal the direct computation: midnight, both clock changes, and history changed afterwards', async (t) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shubbak-rollups-'));
    t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
    await generate({ dataDir: dir, scale: 0.03, days: 240, end: END, seed: 7 });
    const db = openDatabase(path.join(dir, 'shubbak.db'));
    t.after(() => db.close());

    // Across midnight: a visit entered at 23:50 on Tuesday 4 November, served past midnight,
    // and a window's stretch from 22:00 to 01:00; on the night the clocks go back (Thursday
    // 30 October, 24:00 summer time is 23:00 winter time) a visit entered at 23:40 summer
    // time and ended in the repeated hour; on the night summer time began (Friday 25 April,
    // 00:00 → 01:00) a stretch from Thursday 23:00 to Friday 02:00; a visit still waiting,
    // and one parked, from days that are over.
    visit(db, '2025-11-04', 9001, { queued: at('2025-11-04', '23:50', '+02:00'), called: at('2025-11-04', '23:55', '+02:00'), ended: at('2025-11-05', '00:10', '+02:00'), status: 'done', window: 1 });
    db.prepare('INSERT INTO window_status_log (window, status, clerk, from_at, to_at) VALUES (1, ?, ?, ?, ?)')
      .run('serving', 'user:1', at('2025-11-04', '22:00', '+02:00'), at('2025-11-05', '01:00', '+02:00'));
    visit(db, '2025-10-30', 9002, { queued: at('2025-10-30', '23:40', '+03:00'), called: at('2025-10-30', '23:50', '+03:00'), ended: at('2025-10-30', '23:30', '+02:00'), status: 'done', window: 2 });
    db.prepare('INSERT INTO window_status_log (window, status, clerk, from_at, to_at) VALUES (2, ?, ?, ?, ?)')
      .run('paused', 'user:2', at('2025-04-24', '23:00', '+02:00'), at('2025-04-25', '02:00', '+03:00'));
    visit(db, '2025-11-06', 9003, { queued: at('2025-11-06', '14:00', '+02:00'), called: null, ended: null, status: 'waiting', window: null });
    const parked = visit(db, '2025-11-09', 9004, { queued: at('2025-11-09', '10:00', '+02:00'), called: at('2025-11-09', '10:05', '+02:00'), ended: at('2025-11-09', '10:20', '+02:00'), status: 'parked', window: 3 });

    const config = loadConfig({}, { dataDir: dir, logLevel: 'silent' });
    const now = at('2025-11-12', '11:00', '+02:00');
    const reports = new ReportService(db, () => now, config);
    const depts = (db.prepare('SELECT id FROM departments ORDER BY id').pluck().all() as number[]);
    const periods: [string, Period][] = [
      ['the whole generated span and today', { from: '2025-03-17', to: END }],
      ['mid-month to mid-month over both clock changes (kept months and edge days)', { from: '2025-04-13', to: '2025-11-04' }],
      ['the day summer time began', { from: '2025-04-25', to: '2025-04-25' }],
      ['the days around the clocks going back', { from: '2025-10-29', to: '2025-10-31' }],
      ['the midnight-crossing day', { from: '2025-11-04', to: '2025-11-04' }],
      ['the week with the waiting and the parked visit', { from: '2025-11-06', to: '2025-11-11' }],
    ];
    const same = (label: string) => {
      for (const [name, p] of periods) {
        assert.deepEqual(reports.queueStats(p), reports.queueStats(p, { direct: true }), `${label}: queue statistics, ${name}`);
        for (const scope of [null, [depts[0]], []]) {
          assert.deepEqual(reports.execution(p, scope), reports.execution(p, scope, { direct: true }), `${label}: execution ${JSON.stringify(scope)}, ${name}`);
          assert.deepEqual(reports.money(p, scope), reports.money(p, scope, { direct: true }), `${label}: money ${JSON.stringify(scope)}, ${name}`);
        }
      }
    };
    const kept = db.prepare('SELECT count(*) FROM report_days').pluck();
    assert.equal(kept.get(), 0);
    same('first read (days made and kept)');
    assert.ok((kept.get() as number) > 90, 'the closed days and months read are kept');
    assert.ok(reports.closeDays());
    same('read from kept days');

    // The figures the checks below change, from the kept days, before the change.
    const whole: Period = { from: '2025-03-17', to: END };
    const before = {
      queue: reports.queueStats(whole),
      execution: reports.execution(whole, [depts[0]]),
      money: reports.money(whole, null),
    };

    // History changes under kept days.
    db.prepare("UPDATE visits SET status = 'cancelled' WHERE id = ?").run(parked); // the next morning's sweep, on a kept edge day
    const june = db.prepare("SELECT id FROM visits WHERE status = 'done' AND queued_at >= ? ORDER BY queued_at LIMIT 1").pluck().get(startOfLocalDay('2025-06-10', TZ)) as number;
    db.prepare("UPDATE visits SET status = 'cancelled' WHERE id = ?").run(june); // in a kept month
    db.prepare('INSERT INTO window_status_log (window, status, clerk, from_at, to_at) VALUES (3, ?, ?, ?, ?)') // logged after the weekend
      .run('paused', 'user:3', at('2025-11-06', '15:00', '+02:00'), at('2025-11-09', '08:00', '+02:00'));
    const decided = db.prepare(
      `SELECT f.id, f.department_id FROM files f JOIN file_events e ON e.file_id = f.id AND e.to_status = 'decided'
     WHERE f.department_id = ? AND e.at < ? ORDER BY f.id LIMIT 1`).get(depts[0], startOfLocalDay('2025-10-01', TZ)) as { id: number; department_id: number };
    db.prepare('UPDATE files SET department_id = ? WHERE id = ?').run(depts[1], decided.id);
    // One receipt in a kept month, one on a kept edge day.
    const receipts = [
      db.prepare("SELECT id FROM receipts WHERE status = 'valid' AND day BETWEEN '2025-06-01' AND '2025-06-30' ORDER BY id LIMIT 1").pluck().get() as number,
      db.prepare("SELECT id FROM receipts WHERE status = 'valid' AND day BETWEEN '2025-03-17' AND '2025-03-31' ORDER BY id LIMIT 1").pluck().get() as number,
    ];
    for (const receipt of receipts) db.prepare("UPDATE receipts SET status = 'voided', void_reason = 'test', voided_by = 'user:1', voided_at = ? WHERE id = ?").run(now, receipt);

    const after = { queue: reports.queueStats(whole), execution: reports.execution(whole, [depts[0]]), money: reports.money(whole, null) };
    assert.equal(after.queue.totals.served, before.queue.totals.served - 2, 'the cancelled visits are no longer served');
    const paused = (r: typeof before.queue) => r.windows.find((w) => w.window === 3)?.pausedMin ?? 0;
    assert.equal(Math.round(paused(after.queue) - paused(before.queue)), 65 * 60, 'the weekend stretch: Thursday 15:00 to Sunday 08:00');
    assert.equal(after.execution.totals.decided, before.execution.totals.decided - 1, 'the moved file left the department');
    assert.equal(after.money.totals.voids, before.money.totals.voids + 2, 'the voided receipts');
    same('after history changed under kept days');
  });
});
