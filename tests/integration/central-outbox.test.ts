// The outbox to the central tier (issue 13, item 3): each command's changes and domain
// events are written to the outbox in its own transaction and forwarded, in the center's
// sequence, to the CENTER_EVENTS JetStream stream of a three-node NATS cluster (Debian's
// nats-server, scripts/nats-cluster.ts, three replicas); a row is marked sent only on the
// stream's PubAck. Here, against the real cluster:
// 1. link down: commands are answered, rows accumulate; link up: all arrive in order; a
//    resend of rows the stream already stored is deduplicated (the stream holds each seq once);
// 2. the hub (its own process) killed -9 while forwarding a backlog: nothing committed is lost;
// 2b. what the stream stored is marked sent in a few writes, not an fsync'd commit per row;
// 3. a NATS node killed -9 while forwarding and while commands go on: nothing lost;
// 4. each center writes only as itself: another center's account or a wrong password stores nothing.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { connect } from 'nats';
import { startNatsCluster, type NatsAccount, type NatsCluster } from '../../scripts/nats-cluster.ts';
import { startTestHub, tempDataDir, type TestHub } from '../helpers/hub.ts';
import type { CentralEvent } from '../../hub/federation/forwarder.ts';
import { CENTER_STREAM } from '../../hub/federation/central-stream.ts';
import { Outbox } from '../../hub/federation/outbox.ts';
import { deviceActor } from '../../hub/domain/actor.ts';
import { until } from '../helpers/wait.ts';

/**
 * A central tier that is not there: port 1 on loopback, where nothing listens. Not a port
 * the kernel just gave back: in the ephemeral range a client retrying every second can
 * connect to itself (TCP self-connect), which is a different fault.
 */
const NOWHERE = 'nats://127.0.0.1:1';
const ROOT = path.resolve(import.meta.dirname, '../..');
const CENTER = 'demo-center';
const CITIZEN = { nationalId: '29001011234567', name: 'محمود عبد الرحمن علي', mobile: '01012345678' };

const count = (db: Database.Database, where = '1') => (db.prepare(`SELECT count(*) AS n FROM outbox WHERE ${where}`).get() as { n: number }).n;
const pending = (hub: TestHub) => count(hub.ctx.db as unknown as Database.Database, 'sent_at IS NULL');
const total = (hub: TestHub) => count(hub.ctx.db as unknown as Database.Database);

/** The hub's config for its own account on the tier. */
const account = (c: NatsCluster) => ({ centralNatsUser: c.center(CENTER).user, centralNatsPassword: c.center(CENTER).pass });

async function cluster(t: import('node:test').TestContext): Promise<NatsCluster> {
  const c = await startNatsCluster({ centers: [CENTER, 'other-center'] });
  t.after(() => c.stop());
  await c.ready();
  await c.centerStream();
  return c;
}

/** Everything the stream holds, in the stream's order (read through any live node). */
async function streamEvents(urls: string[], who: NatsAccount): Promise<{ subject: string; msgId: string | undefined; ev: CentralEvent }[]> {
  const nc = await connect({ servers: urls, timeout: 5000, ...who });
  try {
    const jsm = await nc.jetstreamManager({ timeout: 10_000 });
    const info = await jsm.streams.info(CENTER_STREAM);
    const out: { subject: string; msgId: string | undefined; ev: CentralEvent }[] = [];
    if (!info.state.messages) return out;
    for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
      const m = await jsm.streams.getMessage(CENTER_STREAM, { seq });
      out.push({ subject: m.subject, msgId: m.header?.get('Nats-Msg-Id'), ev: JSON.parse(new TextDecoder().decode(m.data)) as CentralEvent });
    }
    return out;
  } finally {
    await nc.close();
  }
}

async function streamCount(urls: string[], who: NatsAccount): Promise<number> {
  const nc = await connect({ servers: urls, timeout: 3000, ...who });
  try {
    return (await (await nc.jetstreamManager({ timeout: 5000 })).streams.info(CENTER_STREAM)).state.messages;
  } finally {
    await nc.close();
  }
}

/** The stream's reads during a fail-over time out until the stream has a new leader: retried, as a central reader would. */
async function retried<T>(read: () => Promise<T>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await read();
    } catch (err) {
      if (Date.now() > end || (err as { code?: string }).code !== 'TIMEOUT') throw err;
      await sleep(250);
    }
  }
}

/** The stream holds this center's seqs 1..n, each exactly once, in order, with its message id. */
async function assertExactlyOnce(urls: string[], n: number, who: NatsAccount): Promise<CentralEvent[]> {
  const held = await retried(() => streamEvents(urls, who));
  assert.deepEqual(held.map((h) => h.ev.seq), Array.from({ length: n }, (_, i) => i + 1), 'the center\'s sequence, complete, once each, in order');
  for (const h of held) {
    assert.equal(h.ev.center, CENTER);
    assert.equal(h.subject, `centers.${CENTER}.${h.ev.kind}`);
    assert.equal(h.msgId, `${CENTER}:${h.ev.seq}`);
  }
  return held.map((h) => h.ev);
}

async function queueWork(hub: TestHub, tickets: number, calls: number): Promise<void> {
  const kiosk = await hub.device('kiosk-1');
  for (let i = 0; i < tickets; i++) await kiosk.command('ticket.issue', { line: 'A' });
  const keypad = await hub.device('keypad-1');
  for (let i = 0; i < calls; i++) await keypad.command('window.next', {});
}

/** A backlog committed straight through the services (hundreds of rows, quickly). */
function backlog(hub: TestHub, tickets: number): void {
  for (let i = 0; i < tickets; i++) hub.ctx.queue.issue({ line: i % 2 ? 'B' : 'A', by: deviceActor('kiosk-1') });
}

describe('the outbox to the central tier, against a real three-node NATS cluster', () => {
  test('link down: commands answered, rows wait; link up: every row stored in order; a resend is stored once', { timeout: 180_000 }, async (t) => {
    const c = await cluster(t);
    const dataDir = tempDataDir();

    // 1. The central tier is unreachable: the center works as ever, the rows wait.
    const nowhere = NOWHERE;
    const offline = await startTestHub(t, { dataDir, config: { centralNats: [nowhere] } });
    await queueWork(offline, 3, 2);
    await (await offline.device('keypad-1')).command('window.finish', {});
    const eng = offline.ctx.catalog.departmentByCode('ENG')!;
    offline.ctx.complaints.register({ citizen: CITIZEN, departmentId: eng.id, subject: 'إنارة الشارع', body: 'أعمدة الإنارة لا تعمل' }, 'user:1');
    const waiting = pending(offline);
    assert.equal(total(offline), waiting, 'nothing is marked sent without the stream');
    const rows = offline.ctx.db.prepare('SELECT kind, topic FROM outbox ORDER BY seq').all() as { kind: string; topic: string }[];
    const events = rows.filter((r) => r.kind === 'event').map((r) => r.topic);
    assert.deepEqual(events.filter((e) => e.startsWith('ticket.')), ['ticket.issued', 'ticket.issued', 'ticket.issued', 'ticket.called', 'ticket.done', 'ticket.called', 'ticket.done']);
    assert.ok(events.includes('complaint.register'), events.join());
    assert.ok(rows.some((r) => r.kind === 'state' && r.topic.endsWith('/windows/1/state')));
    assert.equal(offline.central!.forwarded, 0);
    await offline.close();

    // 2. The link is up: every row is stored, in the center's sequence, exactly once.
    const online = await startTestHub(t, { dataDir, config: { centralNats: c.natsUrls, ...account(c) } });
    await queueWork(online, 1, 1);
    await until('the outbox to drain', () => pending(online) === 0, 30_000);
    const n = total(online);
    const held = await assertExactlyOnce(c.natsUrls, n, c.admin);
    assert.equal(online.central!.forwarded, n);
    assert.deepEqual(held.filter((e) => e.topic === 'ticket.called').map((e) => (e.payload as { ticket: string }).ticket), ['A001', 'A002', 'A003']);
    // Nothing personal leaves the center: no name, national id, phone or complaint text.
    const wire = JSON.stringify(held);
    for (const s of [CITIZEN.name, CITIZEN.nationalId, CITIZEN.mobile, 'أعمدة الإنارة']) assert.ok(!wire.includes(s), s);
    await online.close();

    // 3. The hub died after the stream's PubAck and before marking its last rows sent (the
    // state a kill -9 between the two leaves): on the next start they go again, and the stream
    // drops them as duplicates of the ids it holds.
    const db = new Database(path.join(dataDir, 'shubbak.db'));
    db.prepare('UPDATE outbox SET sent_at = NULL WHERE seq > ?').run(n - 5);
    db.close();
    const again = await startTestHub(t, { dataDir, config: { centralNats: c.natsUrls, ...account(c) } });
    await until('the resent rows to be acknowledged', () => pending(again) === 0, 30_000);
    assert.equal(again.central!.duplicates, 5, 'the stream answered "duplicate" for each resent row');
    assert.equal(again.central!.forwarded, 0);
    await assertExactlyOnce(c.natsUrls, n, c.admin);
  });

  test('the hub killed -9 while forwarding a backlog loses nothing committed', { timeout: 180_000 }, async (t) => {
    const c = await cluster(t);
    const dataDir = tempDataDir();
    // A backlog committed while the central tier was away.
    const nowhere = NOWHERE;
    const first = await startTestHub(t, { dataDir, config: { centralNats: [nowhere] } });
    backlog(first, 600);
    const n = total(first);
    assert.ok(n >= 1200, String(n));
    await first.close();

    // The real hub in its own process forwards it; killed -9 midway.
    const child = spawn(process.execPath, ['--import', 'tsx', 'hub/server.ts'], {
      cwd: ROOT,
      env: {
        ...process.env, SHUBBAK_DATA_DIR: dataDir, SHUBBAK_HOST: '127.0.0.1', SHUBBAK_HTTP_PORT: '0', SHUBBAK_MQTT_PORT: '0',
        SHUBBAK_SIMULATE: 'false', SHUBBAK_LOG_LEVEL: 'silent', SHUBBAK_PASSWORD_COST: '10', SHUBBAK_CENTRAL_NATS: c.natsUrls.join(','), SHUBBAK_CENTRAL_NATS_USER: c.center(CENTER).user, SHUBBAK_CENTRAL_NATS_PASSWORD: c.center(CENTER).pass,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    t.after(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    // Killed once the stream holds some rows and the hub has marked some of them sent
    // (the marks are written together every 250 ms: forwarder.ts).
    const marked = () => {
      const ro = new Database(path.join(dataDir, 'shubbak.db'), { readonly: true });
      try {
        return count(ro, 'sent_at IS NOT NULL');
      } finally {
        ro.close();
      }
    };
    await until('the hub to start forwarding', async () => {
      if (child.exitCode !== null) throw new Error(`the hub exited: ${out}`);
      return (await retried(() => streamCount(c.natsUrls, c.admin))) >= 100 && marked() > 0;
    }, 60_000);
    child.kill('SIGKILL');
    await exited;
    const db = new Database(path.join(dataDir, 'shubbak.db'), { readonly: true });
    const left = count(db, 'sent_at IS NULL');
    const sent = count(db, 'sent_at IS NOT NULL');
    assert.equal(count(db), n, 'every committed row is still there');
    db.close();
    assert.ok(left > 0 && sent > 0, `killed mid-forward (sent ${sent}, left ${left})`);

    // The next start sends the rest; the stream holds each seq exactly once.
    const next = await startTestHub(t, { dataDir, config: { centralNats: c.natsUrls, ...account(c) } });
    await until('the outbox to drain', () => pending(next) === 0, 90_000);
    // The marks of stored rows are written together (forwarder.ts, MARK_EVERY_MS / MARK_BATCH):
    // what the stream stored since the last mark goes again, and is stored once.
    assert.ok(next.central!.duplicates <= 501, `at most one mark's worth went twice (${next.central!.duplicates})`);
    await assertExactlyOnce(c.natsUrls, n, c.admin);
  });

  test('what the stream stored is marked sent in a few writes, not one commit per row (each an fsync on the event loop, in every command\'s way)', { timeout: 180_000 }, async (t) => {
    const c = await cluster(t);
    const dataDir = tempDataDir();
    const first = await startTestHub(t, { dataDir, config: { centralNats: [NOWHERE] } });
    backlog(first, 300);
    const n = total(first);
    assert.ok(n >= 600, String(n));
    await first.close();

    // Count the outbox's mark writes, whatever the method is called.
    let writes = 0;
    const proto = Outbox.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
    for (const name of ['markSent', 'markSentThrough']) {
      const orig = proto[name];
      if (typeof orig !== 'function') continue;
      proto[name] = function (this: unknown, ...a: unknown[]) {
        writes++;
        return orig.apply(this, a);
      };
      t.after(() => void (proto[name] = orig));
    }
    const hub = await startTestHub(t, { dataDir, config: { centralNats: c.natsUrls, ...account(c) } });
    await until('the outbox to drain', () => pending(hub) === 0, 90_000);
    assert.equal(hub.central!.forwarded, n);
    assert.ok(writes >= 1 && writes <= 20, `${n} rows marked in ${writes} writes`);
    await assertExactlyOnce(c.natsUrls, n, c.admin);
  });

  test('a NATS node killed -9 while forwarding: commands go on, nothing is lost', { timeout: 240_000 }, async (t) => {
    const c = await cluster(t);
    const dataDir = tempDataDir();
    const nowhere = NOWHERE;
    const first = await startTestHub(t, { dataDir, config: { centralNats: [nowhere] } });
    backlog(first, 400);
    await first.close();

    const hub = await startTestHub(t, { dataDir, config: { centralNats: c.natsUrls, ...account(c) } });
    await until('forwarding to start', async () => (await retried(() => streamCount(c.natsUrls, c.admin))) >= 50, 60_000);
    await c.kill(0, 'SIGKILL');
    // The center keeps working while the cluster fails over.
    await queueWork(hub, 5, 3);
    await until('the outbox to drain with two nodes', () => pending(hub) === 0, 120_000);
    await assertExactlyOnce([c.natsUrls[1], c.natsUrls[2]], total(hub), c.admin);
    // The node comes back on its store and has caught up: the stream still holds each seq once.
    await c.start(0);
    await c.ready();
    await queueWork(hub, 1, 0);
    await until('the outbox to drain with three nodes', () => pending(hub) === 0, 60_000);
    await assertExactlyOnce(c.natsUrls, total(hub), c.admin);
  });

  test("each center writes only as itself: another center's account, or a wrong password, stores nothing", { timeout: 120_000 }, async (t) => {
    const c = await cluster(t);
    // Another center's account cannot publish on this center's subjects.
    const nc = await connect({ servers: c.natsUrls, timeout: 5000, ...c.center('other-center') });
    t.after(() => nc.close());
    const js = nc.jetstream({ timeout: 2000 });
    await assert.rejects(js.publish(`centers.${CENTER}.event`, new TextEncoder().encode('{"seq":1}'), { msgID: `${CENTER}:1` }));
    // Its own subjects it may.
    assert.equal((await js.publish('centers.other-center.event', new TextEncoder().encode('{"seq":1}'), { msgID: 'other-center:1' })).duplicate, false);
    // A hub with a wrong password keeps its rows and sends nothing.
    const hub = await startTestHub(t, { dataDir: tempDataDir(), config: { centralNats: c.natsUrls, centralNatsUser: c.center(CENTER).user, centralNatsPassword: 'wrong' } });
    await queueWork(hub, 2, 1);
    await sleep(1500);
    assert.ok(total(hub) > 0);
    assert.equal(pending(hub), total(hub), 'nothing marked sent');
    assert.equal(hub.central!.forwarded, 0);
    assert.equal(await streamCount(c.natsUrls, c.admin), 1, 'only the other center\'s own message is stored');
  });
});
