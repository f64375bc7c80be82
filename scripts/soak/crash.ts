// The crash campaign (issue 15, "In the repository"): a real hub process (`node --import
// tsx hub/server.ts`, exactly as `npm start` runs it) on one data dir, under mixed load —
// the kiosk's ticket.issue and the keypads' window.next over MQTT, the revenue clerk's
// orders and the cashier's collections over HTTP with Idempotency-Keys — killed with
// SIGKILL at a random moment, restarted on the same data dir, again and again.
//
// After each restart every request that got no answer is sent again with the same id or
// key (as a device or a panel does), and the campaign checks, against the SQLite file:
// - nothing acknowledged is lost: every reply a device got is the reply stored for that
//   id; every ticket, order and receipt a client was told about exists, once;
// - nothing is doubled: one ticket per acknowledged issue, one receipt per collected
//   order, no two ids answered with the same ticket;
// - receipts are gapless: numbers 1…N of the year, each one acknowledged to a cashier;
// - the retained MQTT state equals what the database says (the hub's own snapshot);
// - the audit chain verifies.
// Used by tests/integration/crash.test.ts (a short run) and scripts/soak.ts (a long one).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import mqtt, { type MqttClient } from 'mqtt';
import { topics, type Reply } from '@shubbak/protocol';
import { readDevicesFile } from '../../hub/db/seed.ts';
import { readStaffFile } from '../../hub/db/seed-staff.ts';
import { verifyAuditTable } from '../../hub/services/audit.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export type CrashOptions = {
  kills: number;
  dataDir?: string;
  /** Load time before each kill: a random moment in [min, max] ms. */
  minLoadMs?: number;
  maxLoadMs?: number;
  log?: (line: string) => void;
};

export type CrashFigures = {
  kills: number;
  restarts: number;
  acknowledgedReplies: number;
  ticketsIssued: number;
  calls: number;
  ordersCreated: number;
  receipts: number;
  resent: number;
  durationMs: number;
  problems: string[];
};

type Hub = { child: ChildProcess; httpUrl: string; mqttUrl: string; exited: Promise<number | null>; output: string[] };

/** Start the hub process and wait until it prints where it listens. */
async function startHubProcess(dataDir: string, running: Set<ChildProcess>): Promise<Hub> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'hub/server.ts'], {
    cwd: ROOT,
    env: {
      ...process.env, SHUBBAK_DATA_DIR: dataDir, SHUBBAK_HOST: '127.0.0.1', SHUBBAK_HTTP_PORT: '0', SHUBBAK_MQTT_PORT: '0',
      SHUBBAK_SIMULATE: 'false', SHUBBAK_LOG_LEVEL: 'warn', SHUBBAK_PASSWORD_COST: '10',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const output: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => {
    running.delete(child);
    resolve(code);
  }));
  let buf = '';
  const urls = await new Promise<{ httpUrl: string; mqttUrl: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`hub did not start in 60 s:\n${output.join('')}`)), 60_000);
    const onData = (d: Buffer) => {
      output.push(d.toString());
      buf += d.toString();
      const http = /staff panels and API:\s+(http:\/\/[^/\s]+)\//.exec(buf);
      const mq = /MQTT for devices:\s+(mqtt:\/\/\S+)/.exec(buf);
      if (http && mq) {
        clearTimeout(timer);
        resolve({ httpUrl: http[1], mqttUrl: mq[1] });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => output.push(d.toString()));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`hub exited (${code}) before it was up:\n${output.join('')}`));
    });
  });
  return { child, ...urls, exited, output };
}

type SentCommand = { deviceId: string; id: string; type: string; payload: string; reply?: Reply };
type SentHttp = { kind: 'order' | 'collect'; key: string; url: string; body: unknown; orderId?: number; status?: number; answer?: Record<string, unknown> };

type Session = { cookie: string; csrf: string };

async function signIn(httpUrl: string, username: string, password: string): Promise<Session> {
  const res = await fetch(`${httpUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (res.status !== 200) throw new Error(`sign-in as ${username}: ${res.status} ${await res.text()}`);
  const me = (await res.json()) as { csrfToken: string };
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  return { cookie, csrf: me.csrfToken };
}

export async function runCrashCampaign(o: CrashOptions): Promise<CrashFigures> {
  const running = new Set<ChildProcess>();
  try {
    return await campaign(o, running);
  } finally {
    // Whatever happened, no hub outlives the campaign.
    for (const c of running) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  }
}

async function campaign(o: CrashOptions, running: Set<ChildProcess>): Promise<CrashFigures> {
  const log = o.log ?? (() => {});
  const dataDir = o.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'shubbak-crash-'));
  const minLoad = o.minLoadMs ?? 300;
  const maxLoad = o.maxLoadMs ?? 1500;
  const started = performance.now();
  const problems: string[] = [];
  const commands = new Map<string, SentCommand>(); // by deviceId/id
  const requests = new Map<string, SentHttp>(); // by key
  let resent = 0;
  let restarts = 0;

  const start = async () => {
    const t0 = performance.now();
    const h = await startHubProcess(dataDir, running);
    log(`hub up in ${Math.round(performance.now() - t0)} ms`);
    return h;
  };
  let hub = await start();
  const devices = readDevicesFile(dataDir);
  const staff = readStaffFile(dataDir);
  if (!devices || !staff) throw new Error('the demo seed wrote no credentials');
  const secret = (id: string) => devices.devices.find((d) => d.id === id)!.secret;
  // No secret is ever printed: device secrets, the hub's own, staff passwords (the first
  // administrator's one-time password is shown once by design, on the first start only).
  const secrets = [
    ...devices.devices.map((d) => d.secret), fs.readFileSync(path.join(dataDir, 'hub.secret'), 'utf8').trim(),
    ...staff.users.map((u) => u.password),
  ];
  const checkOutput = (h: Hub, first: boolean) => {
    let text = h.output.join('');
    if (first) text = text.replace(/one-time password: \S+/, 'one-time password: (shown once)');
    for (const s of secrets) if (text.includes(s)) problems.push(`the hub printed a secret (${s.slice(0, 3)}…) on its console`);
  };
  checkOutput(hub, true);
  const keypads = devices.devices.filter((d) => d.kind === 'keypad').map((d) => d.id);
  const cashierUser = staff.users.find((u) => u.role === 'cashier')!;
  const revenueUser = staff.users.find((u) => u.role === 'revenue')!;
  // Sessions live in the database: they survive the kills.
  const cashier = await signIn(hub.httpUrl, cashierUser.username, cashierUser.password);
  const revenue = await signIn(hub.httpUrl, revenueUser.username, revenueUser.password);
  const catalog = new Database(path.join(dataDir, 'shubbak.db'), { readonly: true });
  const rent = catalog.prepare("SELECT s.id AS id FROM services s WHERE s.code = 'HOUSING-RENT'").get() as { id: number };
  const fee = catalog.prepare('SELECT code, kind, amount_piasters, min_piasters, max_piasters FROM service_fee_items WHERE service_id = ? ORDER BY position LIMIT 1')
    .get(rent.id) as { code: string; kind: string; amount_piasters: number | null; min_piasters: number | null; max_piasters: number | null };
  const feeCode = fee.code;
  const amount = () => (fee.kind === 'fixed' ? fee.amount_piasters! : randomInt(fee.min_piasters!, fee.max_piasters! + 1));
  catalog.close();
  const openOrders: number[] = [];

  // ---- one round's clients -------------------------------------------------------------
  type Round = { clients: MqttClient[]; stop: boolean; inflight: Set<Promise<unknown>> };

  async function connectDevice(r: Round, id: string): Promise<MqttClient> {
    const c = await mqtt.connectAsync(hub.mqttUrl, { clientId: id, username: id, password: secret(id), protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 5000 });
    c.on('error', () => {});
    r.clients.push(c);
    await c.subscribeAsync(topics.deviceReplies(id), { qos: 1 });
    c.on('message', (_t, payload) => {
      if (!payload.length) return;
      const reply = JSON.parse(payload.toString()) as Reply;
      const sent = reply.id ? commands.get(`${id}/${reply.id}`) : undefined;
      if (!sent) return;
      if (sent.reply && JSON.stringify(sent.reply) !== JSON.stringify(reply)) {
        problems.push(`${id} ${reply.id}: a second reply differs from the first: ${JSON.stringify(sent.reply)} then ${JSON.stringify(reply)}`);
      }
      sent.reply ??= reply;
      waiters.get(`${id}/${reply.id}`)?.();
    });
    return c;
  }
  const waiters = new Map<string, () => void>();

  function sendCommand(c: MqttClient, cmd: SentCommand, timeoutMs: number): Promise<boolean> {
    const key = `${cmd.deviceId}/${cmd.id}`;
    return new Promise((resolve) => {
      if (cmd.reply) return resolve(true);
      const timer = setTimeout(() => {
        waiters.delete(key);
        resolve(false);
      }, timeoutMs);
      waiters.set(key, () => {
        clearTimeout(timer);
        waiters.delete(key);
        resolve(true);
      });
      c.publish(topics.deviceCommands(cmd.deviceId), cmd.payload, { qos: 1 }, () => {});
    });
  }

  function newCommand(deviceId: string, type: string, args: Record<string, unknown>): SentCommand {
    const id = `c${randomBytes(9).toString('base64url')}`;
    const cmd = { deviceId, id, type, payload: JSON.stringify({ id, type, at: Date.now(), ...args }) };
    commands.set(`${deviceId}/${id}`, cmd);
    return cmd;
  }

  async function http(s: Session, req: SentHttp): Promise<boolean> {
    try {
      const res = await fetch(`${hub.httpUrl}${req.url}`, {
        method: 'POST', body: JSON.stringify(req.body),
        headers: { 'content-type': 'application/json', cookie: s.cookie, 'x-csrf-token': s.csrf, 'idempotency-key': req.key },
      });
      const answer = (await res.json()) as Record<string, unknown>;
      if (req.status !== undefined && (req.status !== res.status || JSON.stringify(req.answer) !== JSON.stringify(answer))) {
        problems.push(`${req.kind} ${req.key}: a repeat answered ${res.status} ${JSON.stringify(answer)}, first ${req.status} ${JSON.stringify(req.answer)}`);
      }
      if (res.status >= 500) problems.push(`${req.kind} ${req.key}: ${res.status} ${JSON.stringify(answer)}`);
      req.status ??= res.status;
      req.answer ??= answer;
      return true;
    } catch {
      return false; // the connection died with the hub: not acknowledged
    }
  }

  function newRequest(kind: SentHttp['kind'], url: string, body: unknown, orderId?: number): SentHttp {
    const req: SentHttp = { kind, key: `k${randomBytes(9).toString('base64url')}`, url, body, orderId };
    requests.set(req.key, req);
    return req;
  }

  /** Mixed load until `r.stop`: the kiosk, every keypad, the revenue clerk and the cashier. */
  function load(r: Round, kiosk: MqttClient, pads: Map<string, MqttClient>): void {
    const loop = (fn: () => Promise<unknown>) => {
      const p = (async () => {
        while (!r.stop) await fn();
      })();
      r.inflight.add(p);
    };
    const lines = ['A', 'B', 'C', 'D'];
    for (let k = 0; k < 3; k++) loop(() => sendCommand(kiosk, newCommand('kiosk-1', 'ticket.issue', { line: lines[randomInt(lines.length)] }), 3000));
    for (const [id, c] of pads) loop(async () => {
      await sendCommand(c, newCommand(id, 'window.next', {}), 3000);
      await new Promise((res) => setTimeout(res, randomInt(5, 40)));
    });
    loop(async () => {
      const req = newRequest('order', '/api/revenue/orders', { serviceId: rent.id, fees: [{ code: feeCode, amountPiasters: amount() }], payerName: 'مستأجر تجريبي' });
      if (await http(revenue, req) && req.status === 201) openOrders.push(req.answer!.id as number);
      await new Promise((res) => setTimeout(res, randomInt(5, 30)));
    });
    loop(async () => {
      const orderId = openOrders.shift();
      if (orderId === undefined) return new Promise((res) => setTimeout(res, 10));
      await http(cashier, newRequest('collect', `/api/payments/orders/${orderId}/collect`, {}, orderId));
    });
  }

  /** Re-send everything unanswered (same id, same key) until each has its answer. */
  async function resendAll(r: Round, byDevice: Map<string, MqttClient>): Promise<void> {
    const jobs: Promise<unknown>[] = [];
    for (const cmd of commands.values()) {
      if (cmd.reply) continue;
      resent++;
      jobs.push(sendCommand(byDevice.get(cmd.deviceId)!, cmd, 10_000).then((ok) => {
        if (!ok) problems.push(`${cmd.deviceId} ${cmd.id}: no answer to a re-sent command`);
      }));
    }
    for (const req of requests.values()) {
      if (req.status !== undefined) continue;
      resent++;
      jobs.push(http(req.kind === 'order' ? revenue : cashier, req).then((ok) => {
        if (!ok) problems.push(`${req.kind} ${req.key}: no answer to a re-sent request`);
        else if (req.kind === 'order' && req.status === 201) openOrders.push(req.answer!.id as number);
      }));
    }
    await Promise.all(jobs);
    void r;
  }

  /** The retained window, line and hall state equals the hub's snapshot read from the database. */
  async function compareRetained(): Promise<void> {
    const secretFile = fs.readFileSync(path.join(dataDir, 'hub.secret'), 'utf8').trim();
    // The line states are published at most every 100 ms: let the last one go out.
    await new Promise((res) => setTimeout(res, 250));
    const obs = await mqtt.connectAsync(hub.mqttUrl, { clientId: `hub.crash${randomInt(1e6)}`, username: 'hub', password: secretFile, protocolVersion: 4, reconnectPeriod: 0 });
    const retained = new Map<string, unknown>();
    obs.on('message', (t, p) => p.length && retained.set(t, JSON.parse(p.toString())));
    await obs.subscribeAsync([topics.allWindowStates(), topics.allLineStates(), topics.hallCalls()], { qos: 1 });
    await new Promise((res) => setTimeout(res, 300));
    await obs.endAsync(true);
    const ac = new AbortController();
    const res = await fetch(`${hub.httpUrl}/api/live/queue`, { signal: ac.signal });
    const reader = res.body!.getReader();
    let text = '';
    while (!/\n\n/.test(text.slice(text.indexOf('event: snapshot')))) text += new TextDecoder().decode((await reader.read()).value);
    ac.abort();
    const snap = JSON.parse(/event: snapshot\ndata: (.*)\n/.exec(text)![1]) as {
      windows: Record<string, unknown>[]; lines: Record<string, unknown>[]; hall: unknown;
    };
    const same = (topic: string, want: unknown) => {
      const got = retained.get(topic);
      if (JSON.stringify(got) !== JSON.stringify(want)) problems.push(`retained ${topic} ${JSON.stringify(got)} ≠ database ${JSON.stringify(want)}`);
    };
    for (const { lines: _l, labelEn: _e, ...w } of snap.windows) same(topics.windowState(w.window as number), w);
    for (const { nameEn: _n, ...l } of snap.lines) same(topics.lineState(l.line as string), l);
    same(topics.hallCalls(), snap.hall);
  }

  // ---- the campaign ---------------------------------------------------------------------
  for (let round = 0; round <= o.kills; round++) {
    const r: Round = { clients: [], stop: false, inflight: new Set() };
    const byDevice = new Map<string, MqttClient>();
    byDevice.set('kiosk-1', await connectDevice(r, 'kiosk-1'));
    for (const id of keypads) byDevice.set(id, await connectDevice(r, id));
    let t0 = performance.now();
    await resendAll(r, byDevice);
    log(`re-sent in ${Math.round(performance.now() - t0)} ms`);
    t0 = performance.now();
    await compareRetained();
    log(`retained compared in ${Math.round(performance.now() - t0)} ms`);
    if (round === o.kills) {
      for (const c of r.clients) await c.endAsync(true).catch(() => {});
      break;
    }
    const pads = new Map([...byDevice].filter(([id]) => id !== 'kiosk-1'));
    load(r, byDevice.get('kiosk-1')!, pads);
    await new Promise((res) => setTimeout(res, randomInt(minLoad, maxLoad + 1)));
    hub.child.kill('SIGKILL');
    await hub.exited;
    checkOutput(hub, restarts === 0);
    r.stop = true;
    for (const c of r.clients) c.end(true);
    for (const w of [...waiters.values()]) w(); // wake the loops: their commands stay unanswered
    await Promise.allSettled([...r.inflight]);
    log(`kill ${round + 1}/${o.kills}: ${[...commands.values()].filter((c) => c.reply).length} commands answered, ${[...commands.values()].filter((c) => !c.reply).length} to re-send`);
    hub = await start();
    restarts++;
    checkOutput(hub, false);
  }

  // A clean stop, then the checks on the file itself.
  hub.child.kill('SIGTERM');
  await hub.exited;
  checkOutput(hub, false);
  const db = new Database(path.join(dataDir, 'shubbak.db'), { readonly: true });
  try {
    // Every acknowledged reply is the stored reply for its id.
    const stored = db.prepare<[string, string], { reply: string }>('SELECT reply FROM device_commands WHERE device_id = ? AND command_id = ?');
    let acknowledged = 0;
    const ticketsTold = new Map<string, string>();
    let calls = 0;
    for (const c of commands.values()) {
      if (!c.reply) {
        problems.push(`${c.deviceId} ${c.id}: never answered`);
        continue;
      }
      acknowledged++;
      const row = stored.get(c.deviceId, c.id);
      if (row && row.reply !== JSON.stringify(c.reply)) problems.push(`${c.deviceId} ${c.id}: stored reply ${row.reply} ≠ acknowledged ${JSON.stringify(c.reply)}`);
      if (!row && c.reply.ok) problems.push(`${c.deviceId} ${c.id}: acknowledged as done but not in the command log`);
      if (c.reply.ok && c.type === 'ticket.issue') {
        const t = (c.reply.result as { ticket: { number: string } }).ticket.number;
        if (ticketsTold.has(t)) problems.push(`ticket ${t} given to two commands: ${ticketsTold.get(t)} and ${c.id}`);
        ticketsTold.set(t, c.id);
      }
      if (c.reply.ok && c.type === 'window.next') calls++;
    }
    const issued = db.prepare("SELECT label FROM tickets WHERE issued_by = 'device:kiosk-1'").all() as { label: string }[];
    if (issued.length !== ticketsTold.size) problems.push(`${issued.length} tickets in the database, ${ticketsTold.size} acknowledged to the kiosk`);
    for (const { label } of issued) if (!ticketsTold.has(label)) problems.push(`ticket ${label} in the database was never acknowledged`);
    // Every call a keypad was told about is a call in the database at that window.
    const visit = db.prepare<[string, number], { n: number }>(
      'SELECT count(*) AS n FROM visits v JOIN tickets t ON t.id = v.ticket_id WHERE t.label = ? AND v.window = ? AND v.called_at IS NOT NULL');
    for (const c of commands.values()) {
      if (c.type !== 'window.next' || !c.reply?.ok) continue;
      const s = c.reply.result as { window: number; ticket: string | null };
      if (s.ticket && !visit.get(s.ticket, s.window)!.n) problems.push(`${c.id}: ${s.ticket} called to window ${s.window}, not in the database`);
    }

    // Orders and receipts.
    let ordersCreated = 0;
    const orderExists = db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM payment_orders WHERE id = ?');
    const receiptsTold = new Map<number, number>(); // receipt number → order
    for (const req of requests.values()) {
      if (req.status === undefined) {
        problems.push(`${req.kind} ${req.key}: never answered`);
        continue;
      }
      acknowledged++;
      if (req.kind === 'order' && req.status === 201) {
        ordersCreated++;
        if (!orderExists.get(req.answer!.id as number)!.n) problems.push(`order ${req.answer!.id} acknowledged, not in the database`);
      }
      if (req.kind === 'collect' && req.status === 201) {
        const receipt = req.answer!.receipt as { number: number; label: string };
        const n = receipt.number;
        if (receiptsTold.has(n)) problems.push(`receipt ${receipt.label} acknowledged twice`);
        receiptsTold.set(n, req.orderId!);
      }
    }
    const receipts = db.prepare('SELECT number, order_id FROM receipts ORDER BY year, number').all() as { number: number; order_id: number }[];
    receipts.forEach((rc, i) => {
      if (rc.number !== i + 1) problems.push(`receipt numbers have a gap or repeat at ${rc.number} (expected ${i + 1})`);
      if (receiptsTold.get(rc.number) !== rc.order_id) problems.push(`receipt ${rc.number} (order ${rc.order_id}) was not acknowledged to the cashier for that order`);
    });
    if (receipts.length !== receiptsTold.size) problems.push(`${receipts.length} receipts in the database, ${receiptsTold.size} acknowledged`);
    const perOrder = db.prepare('SELECT order_id, count(*) AS n FROM receipts GROUP BY order_id HAVING n > 1').all();
    if (perOrder.length) problems.push(`orders with more than one receipt: ${JSON.stringify(perOrder)}`);

    const audit = verifyAuditTable(db);
    if (!audit.ok) problems.push(`audit chain broken at ${audit.brokenAt}: ${audit.reason}`);

    return {
      kills: o.kills, restarts, acknowledgedReplies: acknowledged, ticketsIssued: ticketsTold.size, calls,
      ordersCreated, receipts: receipts.length, resent, durationMs: Math.round(performance.now() - started), problems,
    };
  } finally {
    db.close();
    if (!o.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
