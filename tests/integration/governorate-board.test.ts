// The governorate's live board (issue 13, item 4), end to end on the real central tier: a
// three-node NATS cluster with JetStream (Debian's nats-server, scripts/nats-cluster.ts),
// two center hubs each forwarding its outbox with its own account, and a hub in the
// governorate role (SHUBBAK_GOVERNORATE_NATS) whose durable consumer applies CENTER_EVENTS
// to its central store (hub/central/). Shown here:
// - after queue work at both centers, the board has each center's waiting per line (every
//   line, also those never touched: the outbox's first rows are the center's state) and
//   its windows equal to that hub's own queue state, over the API a manager reads;
// - a restart of the governorate's hub rebuilds nothing and counts no event twice: each
//   center's ticket events on the board equal its outbox's, the store holds each row once;
// - a center's forged event (another center's id on its own subject) is refused and logged,
//   and changes no board;
// - who may read it: manager yes, reception no; the page /governorate is served.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'nats';
import { startNatsCluster } from '../../scripts/nats-cluster.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';
import type { DeviceLink } from '@shubbak/protocol/device-link';
import { signIn } from '../helpers/staff.ts';
import { deviceActor } from '../../hub/domain/actor.ts';
import { summarize } from '../../hub/central/board.ts';
import type { CenterView } from '../../hub/web/src/pages/sh-governorate.ts';
import { until } from '../helpers/wait.ts';

const CENTERS = ['giza-dokki', 'giza-haram'] as const;

const outbox = (hub: TestHub) => hub.ctx.db.prepare('SELECT count(*) AS n, max(seq) AS last, sum(sent_at IS NULL) AS unsent FROM outbox').get() as { n: number; last: number; unsent: number };
const outboxEvents = (hub: TestHub, topic: string) => (hub.ctx.db.prepare('SELECT count(*) AS n FROM outbox WHERE kind = \'event\' AND topic = ?').get(topic) as { n: number }).n;

/** Each hub's kiosk and keypad, connected once (a second link with the same id would take over the first's). */
const links = new Map<TestHub, { kiosk: DeviceLink; keypad: DeviceLink }>();

/** Tickets on A from the kiosk, on B through the service, calls and a finish from the keypad. */
async function work(hub: TestHub, a: number, b: number, calls: number, finish: boolean): Promise<void> {
  if (!links.has(hub)) links.set(hub, { kiosk: await hub.device('kiosk-1'), keypad: await hub.device('keypad-1') });
  const { kiosk, keypad } = links.get(hub)!;
  for (let i = 0; i < a; i++) await kiosk.command('ticket.issue', { line: 'A' });
  for (let i = 0; i < b; i++) hub.ctx.queue.issue({ line: 'B', by: deviceActor('kiosk-1') });
  for (let i = 0; i < calls; i++) await keypad.command('window.next', {});
  if (finish) await keypad.command('window.finish', {});
}

/** The governorate's board has every row each center has sent, and no gap. */
async function caughtUp(gov: TestHub, hubs: Record<string, TestHub>, timeoutMs = 60_000): Promise<void> {
  await until('the board to catch up with both centers', () => CENTERS.every((id) => {
    const o = outbox(hubs[id]);
    const b = gov.governorate!.store.board(id);
    return o.unsent === 0 && !!b && b.lastSeq === o.last && b.missing.length === 0;
  }), timeoutMs).catch((err: Error) => {
    const state = CENTERS.map((id) => ({ id, outbox: outbox(hubs[id]), board: gov.governorate!.store.board(id) && summarize(gov.governorate!.store.board(id)!) }));
    throw new Error(`${err.message}\n${JSON.stringify({ state, refused: gov.governorate!.store.refusals(10) })}`);
  });
}

/** The board of each center equals that hub's own queue state, line by line and window by window. */
function assertBoardEqualsHubs(centers: CenterView[], hubs: Record<string, TestHub>): void {
  assert.deepEqual(centers.map((c) => c.center), [...CENTERS]);
  for (const c of centers) {
    const q = hubs[c.center].ctx.queue;
    const lines = q.lines().map((l) => q.lineState(l.letter));
    assert.deepEqual(c.lines.map((l) => [l.line, l.waiting, l.open]), lines.map((l) => [l.line, l.waiting, l.open]), `${c.center}: waiting per line`);
    assert.equal(c.waitingTotal, lines.reduce((s, l) => s + l.waiting, 0));
    const windows = q.windowNumbers().map((n) => q.windowState(n));
    assert.deepEqual(c.windows.map((w) => [w.window, w.status, w.ticket]), windows.map((w) => [w.window, w.status, w.ticket]), `${c.center}: windows`);
    assert.equal(c.windowsServing, windows.filter((w) => w.status === 'serving').length);
    assert.equal(c.windowsOpen, windows.filter((w) => w.status !== 'closed').length);
    assert.equal(c.missingCount, 0);
  }
}

test('two centers doing queue work: the governorate board shows each one\'s queue as the center has it, across a restart of the governorate hub', { timeout: 300_000 }, async (t) => {
  const c = await startNatsCluster({ centers: [...CENTERS] });
  t.after(() => c.stop());
  await c.ready();
  await c.centerStream();

  const hubs: Record<string, TestHub> = {};
  for (const id of CENTERS) {
    hubs[id] = await startTestHub(t, { config: { centerId: id, centralNats: c.natsUrls, centralNatsUser: c.center(id).user, centralNatsPassword: c.center(id).pass } });
  }
  let gov = await startTestHub(t, {
    config: { centerId: 'giza-governorate', governorateNats: c.natsUrls, governorateNatsUser: c.admin.user, governorateNatsPassword: c.admin.pass },
  });
  assert.ok(gov.governorate, 'the governorate role is on');
  assert.equal(hubs['giza-dokki'].governorate, null, 'a center hub has no board');

  await work(hubs['giza-dokki'], 5, 2, 2, true);
  await work(hubs['giza-haram'], 3, 0, 1, false);
  await caughtUp(gov, hubs);

  // Over the API, as a manager reads it.
  const manager = await signIn(gov, 'manager');
  let res = await manager.inject({ method: 'GET', url: '/api/central/board' });
  assert.equal(res.statusCode, 200, res.body);
  const first = res.json() as { centers: CenterView[] };
  assertBoardEqualsHubs(first.centers, hubs);
  // The numbers are those of real work: dokki has 5 + 2 issued, 2 called (one finished).
  const dokki = first.centers.find((x) => x.center === 'giza-dokki')!;
  assert.equal(dokki.waitingTotal, 5);
  assert.equal(first.centers.find((x) => x.center === 'giza-haram')!.waitingTotal, 2);
  const reception = await signIn(gov, 'reception');
  assert.equal((await reception.inject({ method: 'GET', url: '/api/central/board' })).statusCode, 403);
  const page = await gov.app.inject({ method: 'GET', url: '/governorate' });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /<html lang="ar" dir="rtl">[\s\S]*data-page="governorate"/);

  // The governorate's hub restarts while the centers go on: its boards are there at once
  // (from central.db, not rebuilt from the stream), then it catches up; nothing twice.
  const storedBefore = gov.governorate!.store.eventCount();
  gov = await gov.restart();
  const again = gov.governorate!.store.summaries();
  assert.deepEqual(again.map((s) => s.waitingTotal), [5, 2], 'the boards as committed before the restart');
  assert.ok(gov.governorate!.store.eventCount() >= storedBefore);
  await work(hubs['giza-haram'], 4, 1, 2, true);
  await work(hubs['giza-dokki'], 1, 0, 0, false);
  await caughtUp(gov, hubs);
  const manager2 = await signIn(gov, 'manager');
  res = await manager2.inject({ method: 'GET', url: '/api/central/board' });
  assertBoardEqualsHubs((res.json() as { centers: CenterView[] }).centers, hubs);
  for (const id of CENTERS) {
    const b = gov.governorate!.store.board(id)!;
    for (const topic of ['ticket.issued', 'ticket.called', 'ticket.done']) {
      assert.equal(b.events[topic] ?? 0, outboxEvents(hubs[id], topic), `${id}: ${topic} counted once each`);
    }
  }
  assert.equal(gov.governorate!.store.eventCount(), CENTERS.reduce((s, id) => s + outbox(hubs[id]).n, 0), 'each outbox row stored once');

  // A forged event: haram's account, on its own subject, claiming to be dokki.
  const dokkiBefore = JSON.stringify(gov.governorate!.store.board('giza-dokki'));
  const nc = await connect({ servers: c.natsUrls, timeout: 5000, ...c.center('giza-haram') });
  t.after(() => nc.close());
  const forged = { center: 'giza-dokki', seq: 1_000_000, kind: 'state', topic: 'shubbak/v1/lines/A/state', at: Date.now(), payload: { line: 'A', name: 'A', open: true, waiting: 999, estimatedWaitMin: 0, seq: 1 } };
  await nc.jetstream({ timeout: 5000 }).publish('centers.giza-haram.state', JSON.stringify(forged), { msgID: 'forged-1' });
  await until('the forged event to be refused', () => gov.governorate!.store.refusals().some((r) => r.code === 'WRONG_CENTER'), 30_000);
  assert.equal(JSON.stringify(gov.governorate!.store.board('giza-dokki')), dokkiBefore, 'dokki\'s board unchanged');
  assert.equal(gov.governorate!.store.board('giza-haram')!.refused, 1, 'counted on the sender\'s board');
  const refused = await manager2.inject({ method: 'GET', url: '/api/central/refused' });
  assert.equal((refused.json() as { refused: { code: string; center: string }[] }).refused[0].center, 'giza-haram');
  assert.deepEqual(summarize(gov.governorate!.store.board('giza-dokki')!).missing, []);
});
