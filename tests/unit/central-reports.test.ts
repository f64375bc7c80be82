// The governorate's reports (hub/central/reports.ts, store.ts; issue 13 item 4) without the
// network: closed days made by a center's own report code (ReportService.closedDay) are
// checked, kept newest-per-day (a lower seq arriving late does not replace a newer day),
// and added with the center's own tally; a department across centers is its catalog code;
// every kind of malformed day is refused with BAD_REPORT and changes no report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CentralStore, type StreamMessage } from '../../hub/central/store.ts';
import { checkCenterDay, checkQueueDay, governorateExecution, type CenterDay } from '../../hub/central/reports.ts';
import { serviceContext } from '../helpers/services.ts';
import { FakeClock } from '../helpers/clock.ts';
import { DOKKI, HARAM, NOW, files } from '../integration/governorate-reports-support.ts';
import type { HubContext } from '../../hub/context.ts';

const PERIOD = { from: '2026-10-01', to: '2026-11-28' };
let streamSeq = 0;
const dayMsg = (center: string, seq: number, payload: unknown): StreamMessage => ({
  subject: `centers.${center}.report`, streamSeq: ++streamSeq,
  data: JSON.stringify({ center, seq, kind: 'report', topic: 'report.day', at: NOW, payload }),
});

function tempFile(t: import('node:test').TestContext): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shubbak-central-reports-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return path.join(dir, 'central.db');
}

/** A center with files, its closed days kept; its days as it sends them (the newest with its overdue files). */
async function center(t: import('node:test').TestContext, list: typeof DOKKI): Promise<{ ctx: HubContext; days: CenterDay[] }> {
  const ctx = await serviceContext(t, { clock: new FakeClock(NOW).now });
  files(ctx.db, list);
  ctx.reports.closeDays();
  const kept = ctx.reports.keptExecutionDays('2026-09-01');
  return { ctx, days: kept.map((k, i) => ctx.reports.closedDay(k.day, k.facts, i === kept.length - 1)) };
}

test('one center\'s days at the governorate read out as its own report; two centers add up by department code', async (t) => {
  const dokki = await center(t, DOKKI);
  const haram = await center(t, HARAM);
  for (const d of [...dokki.days, ...haram.days]) assert.equal(checkCenterDay(JSON.parse(JSON.stringify(d))), null, d.day);
  const store = new CentralStore(tempFile(t));
  t.after(() => store.close());
  const r1 = store.applyBatch(dokki.days.map((d, i) => dayMsg('giza-dokki', i + 1, d)));
  const r2 = store.applyBatch(haram.days.map((d, i) => dayMsg('giza-haram', i + 1, d)));
  assert.deepEqual([r1.refused, r2.refused], [0, 0]);
  const g = governorateExecution(store.reportRows(PERIOD.from, PERIOD.to), PERIOD, PERIOD.to, NOW, 'Africa/Cairo');
  assert.deepEqual(g.centers[0].report, dokki.ctx.reports.execution(PERIOD, null));
  assert.deepEqual(g.centers[1].report, haram.ctx.reports.execution(PERIOD, null));
  // The first department is the same code at both (the demo catalog): one row, both centers' files.
  const code = dokki.ctx.db.prepare('SELECT code, name_ar FROM departments ORDER BY id LIMIT 1').get() as { code: string; name_ar: string };
  const first = g.all.departments.find((d) => d.department === code.name_ar)!;
  assert.equal(first.received, 3, 'D1, D2 at dokki and H1 at haram');
  assert.equal(g.all.departments.length, 2);
  assert.deepEqual(g.all.totals, { received: 5, decided: 3, delivered: 1, decidedInTime: 2, decidedInTimeRate: 66.7, overdueNow: 2 });

  // A day sent again with a higher seq replaces the kept one; an older seq arriving late does not.
  const nov2 = dokki.days.find((d) => d.day === '2026-11-02')!;
  const emptied = { ...nov2, execution: { r: [], dc: [], dl: [], s: {}, ss: {} } };
  const before = JSON.stringify(governorateExecution(store.reportRows(PERIOD.from, PERIOD.to), PERIOD, PERIOD.to, NOW, 'Africa/Cairo'));
  store.applyBatch([dayMsg('giza-dokki', 1000, emptied)]);
  const after = governorateExecution(store.reportRows(PERIOD.from, PERIOD.to), PERIOD, PERIOD.to, NOW, 'Africa/Cairo');
  assert.equal(after.centers[0].report.totals.decided, 1, 'the day of D1\'s decision replaced');
  // seq 999 was never sent: it arrives after 1000 (a gap filled late) with the old content.
  store.applyBatch([dayMsg('giza-dokki', 999, nov2)]);
  const still = governorateExecution(store.reportRows(PERIOD.from, PERIOD.to), PERIOD, PERIOD.to, NOW, 'Africa/Cairo');
  assert.equal(still.centers[0].report.totals.decided, 1, 'the older row did not take the day back');
  assert.notEqual(JSON.stringify(still), before);
});

test('malformed closed days are refused (BAD_REPORT), counted, and change no report', async (t) => {
  const dokki = await center(t, DOKKI);
  const store = new CentralStore(tempFile(t));
  t.after(() => store.close());
  store.applyBatch(dokki.days.map((d, i) => dayMsg('giza-dokki', i + 1, d)));
  const read = () => JSON.stringify(governorateExecution(store.reportRows(PERIOD.from, PERIOD.to), PERIOD, PERIOD.to, NOW, 'Africa/Cairo'));
  const before = read();
  const base = dokki.days.find((d) => d.day === '2026-11-02')!;
  const clone = () => JSON.parse(JSON.stringify(base)) as CenterDay & Record<string, unknown>;
  const bad: [string, unknown][] = [];
  let x = clone(); x.execution.dc[0][4] = -1; bad.push(['a negative count', x]);
  x = clone(); x.execution.dc[0][4] = 1.5; bad.push(['a count not an integer', x]);
  x = clone(); x.execution.dc[0][0] = '2026-11-03'; bad.push(['a fact of another day', x]);
  x = clone(); x.execution.dc[0][3] = 2; bad.push(['in time neither 0 nor 1', x]);
  x = clone(); x.execution.s = { 'nowhere|1': [0, 1] }; x.execution.ss = { 'nowhere|1': 0 }; bad.push(['an unknown stage', x]);
  x = clone(); x.execution.s = { ...x.execution.s, 'registered|1': [0, 1, 2] }; bad.push(['an odd histogram', x]);
  x = clone(); x.day = '2026-02-30'; bad.push(['a day that does not exist', x]);
  x = clone(); x.names = { departments: 'all', services: [] } as never; bad.push(['names not a list', x]);
  x = clone(); x.overdue = [{ inquiry: 'X', department_id: 1, service_id: 1, due_day: 'soon', since: null }]; bad.push(['an overdue file without a due day', x]);
  x = clone(); x.extra = 'x'; bad.push(['an unexpected field', x]);
  bad.push(['not an object', 'report']);
  for (const [why, payload] of bad) assert.notEqual(checkCenterDay(payload), null, why);
  const r = store.applyBatch(bad.map(([, p], i) => dayMsg('giza-dokki', 5000 + i, p)));
  assert.deepEqual(r, { applied: 0, duplicates: 0, refused: bad.length });
  // Newest first: the string (not even an object: the stream check's BAD_EVENT), then the days.
  assert.deepEqual(store.refusals(bad.length).map((f) => `${f.code} ${f.center}`), ['BAD_EVENT giza-dokki', ...bad.slice(1).map(() => 'BAD_REPORT giza-dokki')]);
  assert.equal(read(), before, 'no report changed');
  assert.equal(store.board('giza-dokki')!.refused, bad.length);
  assert.equal(store.board('giza-dokki')!.lastSeq, dokki.days.length, 'the refused seqs did not move the center\'s sequence');
});

test('queue days: the shape a center sends passes; clerks, another day, a bad line or histogram are refused', async (t) => {
  const ok = {
    day: '2026-11-28', at: NOW, lines: [['A', 'استلام', 'Intake']],
    queue: { t: [['2026-11-28', 'A', 9, 3]], l: [['A', 3, 2, 0, 2, 480000, 360000, 0]], h: { 'A|0': [40, 1, 50, 1] }, d: [['2026-11-28', 2, null, 0], ['2026-11-28', 0, 4, 2]], w: [[1, 'serving', null, 360000]], bw: [[1, 2, 360000]], bc: [] },
  };
  assert.equal(checkQueueDay(ok), null);
  const variant = (f: (x: typeof ok & Record<string, unknown>) => void) => {
    const x = structuredClone(ok) as typeof ok & Record<string, unknown>;
    f(x);
    return x;
  };
  const bad: [string, unknown][] = [
    ['a clerk', variant((x) => { (x.queue.bc as unknown[]).push(['user:3', 2, 360000]); })],
    ['a stretch with its clerk', variant((x) => { (x.queue.w[0] as unknown[])[2] = 'user:3'; })],
    ['tickets of another day', variant((x) => { x.queue.t[0][0] = '2026-11-27'; })],
    ['an hour past 23', variant((x) => { x.queue.t[0][2] = 24; })],
    ['a line that is not a letter', variant((x) => { x.queue.l[0][0] = 'A; DROP'; })],
    ['a histogram of no kind', variant((x) => { (x.queue.h as Record<string, number[]>)['A|7'] = [1, 1]; })],
    ['a negative count', variant((x) => { x.queue.l[0][1] = -1; })],
    ['a sum not an integer', variant((x) => { x.queue.l[0][5] = 0.5; })],
    ['lines without names', variant((x) => { x.lines = [['A', '', '']]; })],
    ['an extra field', variant((x) => { x.extra = 1; })],
  ];
  for (const [why, payload] of bad) assert.notEqual(checkQueueDay(payload), null, why);
  const store = new CentralStore(tempFile(t));
  t.after(() => store.close());
  const msg = (seq: number, payload: unknown): StreamMessage => ({ subject: 'centers.c1.report', streamSeq: seq, data: JSON.stringify({ center: 'c1', seq, kind: 'report', topic: 'report.queue', at: NOW, payload }) });
  assert.deepEqual(store.applyBatch([msg(1, ok)]), { applied: 1, duplicates: 0, refused: 0 });
  assert.deepEqual(store.applyBatch(bad.map(([, p], i) => msg(10 + i, p))), { applied: 0, duplicates: 0, refused: bad.length });
  assert.deepEqual(store.reportRows('2026-11-01', '2026-11-30')[0].queueDays, [ok]);
});
