// The governorate's execution-rate and bottleneck reports across centers (issue 13, item 4),
// end to end on the real central tier: a three-node NATS cluster with JetStream (Debian's
// nats-server, scripts/nats-cluster.ts), two center hubs each forwarding its outbox with its
// own account, and a hub in the governorate role reading CENTER_EVENTS into central.db.
// Each center's closed days go as 'report' rows in the transaction that keeps the day
// (hub/federation/outbox.ts sendClosedDays); the governorate adds them with the centers' own
// tally (hub/central/reports.ts). Shown here:
// - for the same closed days, each center's report at the governorate equals that center's
//   own (/api/reports/execution over HTTP and the service), figure for figure, names and
//   overdue files included; the whole governorate is the sum, a department across centers
//   being one catalog code;
// - a late change at a center (a file decided yesterday, after the day was kept) makes the
//   center remake and resend the day: the governorate replaces it (not added twice) and
//   still equals the center;
// - a restart of the governorate's hub counts nothing twice;
// - a forged report row (another center's id for the sender's credentials) and a malformed
//   one are refused, logged, counted in /api/central/refused, and change no report;
// - who may read it: manager and information yes, reception no.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'nats';
import { startNatsCluster } from '../../scripts/nats-cluster.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';
import { signIn } from '../helpers/staff.ts';
import { FakeClock } from '../helpers/clock.ts';
import { DOKKI, HARAM, NOW, at, files } from './governorate-reports-support.ts';
import type { ExecutionReport } from '../../hub/services/reports/index.ts';
import type { GovernorateExecution, GovernorateQueue } from '../../hub/central/reports.ts';
import { deviceActor } from '../../hub/domain/actor.ts';
import { until } from '../helpers/wait.ts';

const CENTERS = ['giza-dokki', 'giza-haram'] as const;
const PERIOD = { from: '2026-10-01', to: '2026-11-28' };

const outbox = (hub: TestHub) => hub.ctx.db.prepare('SELECT count(*) AS n, max(seq) AS last, sum(sent_at IS NULL) AS unsent FROM outbox').get() as { n: number; last: number; unsent: number };

async function caughtUp(gov: TestHub, hubs: Record<string, TestHub>): Promise<void> {
  await until('the governorate to have every row of both centers', () => CENTERS.every((id) => {
    const o = outbox(hubs[id]);
    const b = gov.governorate!.store.board(id);
    return o.unsent === 0 && !!b && b.lastSeq === o.last && b.missing.length === 0;
  }), 60_000).catch((err: Error) => {
    throw new Error(`${err.message}\n${JSON.stringify({ outboxes: CENTERS.map((id) => outbox(hubs[id])), refused: gov.governorate!.store.refusals(10) })}`);
  });
}

test('the governorate\'s execution reports: each center\'s equals its own for the same closed days; the governorate is their sum; forged rows change nothing', { timeout: 300_000 }, async (t) => {
  const c = await startNatsCluster({ centers: [...CENTERS] });
  t.after(() => c.stop());
  await c.ready();
  await c.centerStream();

  const clock = new FakeClock(NOW);
  const hubs: Record<string, TestHub> = {};
  for (const id of CENTERS) {
    hubs[id] = await startTestHub(t, { clock: clock.now, config: { centerId: id, passwordCost: 10, centralNats: c.natsUrls, centralNatsUser: c.center(id).user, centralNatsPassword: c.center(id).pass } });
  }
  let gov = await startTestHub(t, {
    clock: clock.now,
    config: { centerId: 'giza-governorate', passwordCost: 10, governorateNats: c.natsUrls, governorateNatsUser: c.admin.user, governorateNatsPassword: c.admin.pass },
  });
  // Queue work on 27 and 28 Nov at both centers (the clock set back, as the day was).
  const queueDay = (hub: TestHub, day: string, tickets: number, served: number) => {
    clock.set(at(day, 9));
    const lines = hub.ctx.queue.windowLines(1);
    for (let i = 0; i < tickets; i++) hub.ctx.queue.issue({ line: lines[i % lines.length], by: deviceActor('kiosk-1') });
    for (let i = 0; i < served; i++) {
      clock.advance(4 * 60_000 + i * 30_000);
      hub.ctx.queue.next(1, deviceActor('keypad-1'));
      clock.advance(3 * 60_000 + i * 45_000);
      hub.ctx.queue.finish(1, deviceActor('keypad-1'));
    }
    clock.advance(60_000);
    hub.ctx.queue.close(1, deviceActor('keypad-1'));
    clock.set(NOW);
  };
  queueDay(hubs['giza-dokki'], '2026-11-27', 4, 2);
  queueDay(hubs['giza-dokki'], '2026-11-28', 6, 4);
  queueDay(hubs['giza-haram'], '2026-11-28', 3, 3);
  files(hubs['giza-dokki'].ctx.db, DOKKI);
  files(hubs['giza-haram'].ctx.db, HARAM);
  // The closing job, as the hub runs it in the background: every closed day kept, and sent.
  for (const id of CENTERS) assert.equal(hubs[id].ctx.reports.closeDays(), true);
  const reportRows = (hub: TestHub) => (hub.ctx.db.prepare("SELECT count(*) FROM outbox WHERE kind = 'report'").pluck().get() as number);
  assert.ok(reportRows(hubs['giza-dokki']) >= 59, 'dokki sent its closed days since 1 Oct');
  await caughtUp(gov, hubs);

  const manager = await signIn(gov, 'manager');
  const read = async (s = manager, q = `from=${PERIOD.from}&to=${PERIOD.to}`) => {
    const res = await s.inject({ method: 'GET', url: `/api/central/reports/execution?${q}` });
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as GovernorateExecution;
  };
  const own = (id: string) => hubs[id].ctx.reports.execution(PERIOD, null);

  let g = await read();
  assert.equal(g.through, '2026-11-28');
  assert.deepEqual(g.centers.map((x) => x.center), [...CENTERS]);
  for (const x of g.centers) assert.deepEqual(x.report, own(x.center), `${x.center}: the governorate's report equals the center's own`);
  // And the center's own over HTTP, as its manager reads it.
  const dokkiManager = await signIn(hubs['giza-dokki'], 'manager');
  const ownHttp = (await dokkiManager.inject({ method: 'GET', url: `/api/reports/execution?from=${PERIOD.from}&to=${PERIOD.to}` })).json() as ExecutionReport;
  assert.deepEqual(g.centers[0].report, ownHttp);
  // The figures are the real ones: dokki 3 received, 2 decided (1 in time), 1 delivered, 1 overdue.
  assert.deepEqual(g.centers[0].report.totals, { received: 3, decided: 2, delivered: 1, decidedInTime: 1, decidedInTimeRate: 50, overdueNow: 1 });
  assert.deepEqual(g.centers[1].report.totals, { received: 2, decided: 1, delivered: 0, decidedInTime: 1, decidedInTimeRate: 100, overdueNow: 1 });
  assert.equal(g.centers[0].lastDay, '2026-11-28');
  // The governorate: the sum; one department across both centers by its catalog code.
  assert.deepEqual(g.all.totals, { received: 5, decided: 3, delivered: 1, decidedInTime: 2, decidedInTimeRate: 66.7, overdueNow: 2 });
  const d0 = g.centers[0].report.departments[0];
  const both = g.all.departments.find((d) => d.department === d0.department)!;
  assert.equal(both.received, 2 + 1, 'dokki D1 D2 + haram H1 in the first department');
  assert.deepEqual(g.all.overdue.map((o) => [o.center, o.inquiryNumber, o.daysLate]), [['giza-dokki', 'D2', 10], ['giza-haram', 'H2', 4]]);
  const stage = g.all.stages.find((s) => s.stage === 'with_department')!;
  assert.equal(stage.n, 3, 'three stays at the department ended: D1, D3, H1');

  // The queue statistics: each center's equal to its own for the same closed days (but
  // clerks: the governorate gets none), the sum across centers.
  const queueRes = await manager.inject({ method: 'GET', url: `/api/central/reports/queue?from=${PERIOD.from}&to=${PERIOD.to}` });
  assert.equal(queueRes.statusCode, 200, queueRes.body);
  const gq = queueRes.json() as GovernorateQueue;
  for (const x of gq.centers) {
    const { appointments: _a, clerks: ownClerks, ...ownQueue } = hubs[x.center].ctx.reports.queueStats(PERIOD);
    const { clerks, ...theirs } = x.report;
    assert.deepEqual(theirs, ownQueue, `${x.center}: the governorate's queue statistics equal the center's own`);
    assert.deepEqual(clerks, []);
    assert.ok(ownClerks.length > 0, 'the center has its clerks; the governorate not');
  }
  assert.deepEqual(gq.centers.map((x) => [x.center, x.report.totals.tickets, x.report.totals.served]), [['giza-dokki', 10, 6], ['giza-haram', 3, 3]]);
  assert.deepEqual([gq.all.totals.tickets, gq.all.totals.served], [13, 9]);
  assert.equal(gq.all.daily.find((d) => d.day === '2026-11-28')!.tickets, 9);

  // Who may read: information yes, reception no.
  assert.equal((await (await signIn(gov, 'information')).inject({ method: 'GET', url: '/api/central/reports/execution' })).statusCode, 200);
  assert.equal((await (await signIn(gov, 'reception')).inject({ method: 'GET', url: '/api/central/reports/execution' })).statusCode, 403);
  assert.equal((await manager.inject({ method: 'GET', url: '/api/central/reports/execution?from=2026-11-30&to=2026-11-01' })).statusCode, 400);

  // A late change at dokki: D2 decided yesterday (28 Nov, late) — the kept day goes, the
  // closing job makes it again and sends it; the governorate replaces its copy.
  const db = hubs['giza-dokki'].ctx.db;
  const d2 = db.prepare("SELECT id FROM files WHERE inquiry = 'D2'").pluck().get() as number;
  db.prepare("INSERT INTO file_events (file_id, at, actor, actor_role, action, from_status, to_status) VALUES (?, ?, 'test', 'manager', 'x', 'with_department', 'decided')").run(d2, at('2026-11-28', 11));
  db.prepare("UPDATE files SET status = 'decided' WHERE id = ?").run(d2);
  assert.equal(db.prepare("SELECT count(*) FROM report_days WHERE kind = 'execution' AND day = '2026-11-28'").pluck().get(), 0, 'the late change dropped the kept day');
  const before = reportRows(hubs['giza-dokki']);
  hubs['giza-dokki'].ctx.reports.closeDays();
  assert.equal(reportRows(hubs['giza-dokki']), before + 1, 'the day made again went once more');
  await caughtUp(gov, hubs);
  g = await read();
  for (const x of g.centers) assert.deepEqual(x.report, own(x.center), `${x.center}: equal after the late change`);
  assert.deepEqual(g.centers[0].report.totals, { received: 3, decided: 3, delivered: 1, decidedInTime: 1, decidedInTimeRate: 33.3, overdueNow: 0 });
  assert.equal(g.all.totals.decided, 4, 'the day replaced, not added twice');

  // The governorate's hub restarts: the same reports, nothing twice.
  const snapshot = JSON.stringify(g);
  gov = await gov.restart();
  const manager2 = await signIn(gov, 'manager');
  await caughtUp(gov, hubs);
  g = await read(manager2);
  assert.equal(JSON.stringify(g), snapshot);

  // Forged and malformed report rows, on haram's own subject with haram's account.
  const nc = await connect({ servers: c.natsUrls, timeout: 5000, ...c.center('giza-haram') });
  t.after(() => nc.close());
  const js = nc.jetstream({ timeout: 5000 });
  const day = JSON.parse(gov.governorate!.store.db.prepare("SELECT payload FROM central_report_days WHERE center = 'giza-dokki' AND day = '2026-11-02'").pluck().get() as string) as { execution: { dc: number[][] } };
  const inflated = structuredClone(day);
  inflated.execution.dc[0][4] = 500;
  const seq = outbox(hubs['giza-haram']).last;
  // (a) dokki's id with haram's credentials.
  await js.publish('centers.giza-haram.report', JSON.stringify({ center: 'giza-dokki', seq: seq + 1000, kind: 'report', topic: 'report.day', at: NOW, payload: inflated }), { msgID: 'forged-report-1' });
  // (b) haram's own id, a payload that is not a closed day (a count that is not one).
  const broken = structuredClone(day);
  broken.execution.dc[0][4] = -5;
  await js.publish('centers.giza-haram.report', JSON.stringify({ center: 'giza-haram', seq: seq + 1001, kind: 'report', topic: 'report.day', at: NOW, payload: { ...broken, day: '2026-11-02' } }), { msgID: 'forged-report-2' });
  // (c) not JSON at all.
  await js.publish('centers.giza-haram.report', 'report.day{', { msgID: 'forged-report-3' });
  await until('the three rows to be refused', () => gov.governorate!.store.refusals().length >= 3, 30_000);
  const refused = (await manager2.inject({ method: 'GET', url: '/api/central/refused' })).json() as { refused: { code: string; center: string }[] };
  assert.deepEqual(refused.refused.slice(0, 3).map((r) => [r.code, r.center]).sort(), [['BAD_EVENT', 'giza-haram'], ['BAD_REPORT', 'giza-haram'], ['WRONG_CENTER', 'giza-haram']]);
  assert.equal(JSON.stringify(await read(manager2)), snapshot, 'no report changed');
  assert.equal(gov.governorate!.store.board('giza-haram')!.refused, 3, 'counted on the sender');
  // Haram's next real row still lands: the refusals did not move its sequence.
  files(hubs['giza-haram'].ctx.db, [{ inq: 'H3', dept: 0, status: 'registered', due: null, steps: [['registered', at('2026-11-27', 9)]] }]);
  hubs['giza-haram'].ctx.reports.closeDays();
  await caughtUp(gov, hubs);
  g = await read(manager2);
  assert.deepEqual(g.centers[1].report, own('giza-haram'));
  assert.equal(g.centers[1].report.totals.received, 3);
});
