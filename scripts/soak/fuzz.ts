// The fuzz suite (issue 15, "In the repository"): bad input against a real hub.
//
// MQTT: structure-aware mutations of valid commands of every type (a field dropped, its
// type changed, a value out of range, prototype keys, huge or fractional `at`, extra
// fields, another device's command), plus junk (random bytes, broken JSON, arrays,
// deep nesting, big payloads), each published by a device on its own commands topic.
// HTTP: for every operation in the OpenAPI document (GET /docs/json), requests built from
// its schemas and then mutated (required field dropped, wrong types, out-of-range numbers,
// extra properties, huge strings, broken JSON, wrong content type, odd path parameters),
// sent with a session of a role the route admits, so they reach validation.
//
// What must hold: the hub never crashes (a health check and a valid command work after),
// never answers 5xx or INTERNAL to bad input, answers every command, and a refused
// request changes nothing (a fingerprint of the database before and after each refusal).
// Deterministic for a seed. Used by tests/integration/fuzz.test.ts (a short run) and
// scripts/soak.ts (a long one).
import { randomBytes } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import { topics, type Reply } from '@shubbak/protocol';
import type { Db } from '../../hub/db/connection.ts';
import type { Role } from '../../hub/auth/roles.ts';
import type { AccessEntry } from '../../hub/auth/guard.ts';
import { rng } from '../generate-data.ts';

/** What the fuzzer needs of a running hub (tests/helpers/hub.ts's TestHub fits). */
export type FuzzTarget = {
  httpUrl: string;
  mqttUrl: string;
  db: Db;
  secretOf(id: string): string;
  accessTable: AccessEntry[];
  /** A signed-in session of this role: cookie header and CSRF token. */
  session(role: Role): Promise<{ cookie: string; csrf: string }>;
};

export type FuzzFigures = {
  mqttSent: number; mqttAnswered: number; mqttRefused: number; mqttAccepted: number;
  httpSent: number; http4xx: number; http2xx: number; http5xx: number; operations: number;
  problems: string[];
};

type Rand = { next: () => number; int(n: number): number; pick<T>(xs: readonly T[]): T; chance(p: number): boolean };
function rand(seed: number): Rand {
  const next = rng(seed); // seeded, so a failing run can be repeated
  return {
    next,
    int: (n) => Math.floor(next() * n),
    pick: (xs) => xs[Math.floor(next() * xs.length)],
    chance: (p) => next() < p,
  };
}

/** Odd values of every JSON type. */
const WEIRD: unknown[] = [
  null, true, false, 0, -1, 1.5, -0.0001, 1e308, -1e308, 2 ** 53 + 1, Number.MAX_SAFE_INTEGER, '', ' ', 'A', 'a', 'ZZ', '١٢٣',
  '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'x'.repeat(5000), '<script>alert(1)</script>', "'; DROP TABLE tickets; --",
  '\u0000', '\ud800', 'NaN', 'Infinity', '-1', '1e3', [], [1, 2], {}, { __proto__: { polluted: true } }, { constructor: { prototype: {} } },
];

// ---- the database fingerprint -------------------------------------------------------------

/** Rows per table and the newest audit entry: any write a refused request made shows here. */
export function fingerprint(db: Db): string {
  const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[];
  // Sessions are touched by every signed-in request (last seen); meta holds the readiness
  // probe; the command log remembers refusals too (a repeated id gets the same refusal);
  // device alerts and backups are written by the hub's own timers (the minute's alert
  // sweep, the weekly backup), not by requests.
  const skip = new Set(['sessions', 'meta', 'login_failures', 'device_commands', 'device_alerts', 'backups']);
  const parts = tables.filter((t) => !skip.has(t.name)).map((t) => `${t.name}:${(db.prepare(`SELECT count(*) AS n FROM "${t.name}"`).get() as { n: number }).n}`);
  const audit = db.prepare('SELECT max(id) AS id FROM audit_events').get() as { id: number | null };
  const q = db.prepare("SELECT group_concat(number || status || coalesce(current_visit, '-'), ',') AS w FROM windows").get() as { w: string };
  const v = db.prepare("SELECT count(*) AS n, group_concat(status, '') AS s FROM (SELECT status FROM visits ORDER BY id DESC LIMIT 200)").get() as { n: number; s: string };
  return `${parts.join(' ')} audit:${audit.id} windows:${q.w} visits:${v.s}`;
}

/** The parts of two fingerprints that differ. */
function diff(a: string, b: string): string {
  const x = a.split(' ');
  const y = b.split(' ');
  return x.map((p, i) => (p === y[i] ? null : `${p} → ${y[i]}`)).filter(Boolean).join(', ');
}

// ---- MQTT ----------------------------------------------------------------------------------

const VALID: Record<string, (r: Rand) => Record<string, unknown>> = {
  'ticket.issue': (r) => ({ type: 'ticket.issue', line: r.pick(['A', 'B', 'C', 'D']), ...(r.chance(0.3) ? { priority: r.chance(0.5) } : {}) }),
  'ticket.cancel': (r) => ({ type: 'ticket.cancel', number: `${r.pick(['A', 'B'])}${String(r.int(999)).padStart(3, '0')}`, reason: 'print-failed' }),
  'window.next': () => ({ type: 'window.next' }),
  'window.recall': () => ({ type: 'window.recall' }),
  'window.noShow': () => ({ type: 'window.noShow' }),
  'window.transfer': (r) => ({ type: 'window.transfer', toLine: r.pick(['A', 'B', 'C', 'D']) }),
  'window.pause': () => ({ type: 'window.pause' }),
  'window.resume': () => ({ type: 'window.resume' }),
};

/**
 * Faults already filed in issue 15 ("Faults found") that a run may hit until they are
 * fixed: their problems carry this tag so a test can keep them apart (a todo naming the fault).
 */
export const KNOWN_FAULT: Record<number, string> = { 2: '[issue 15 fault 2]', 3: '[issue 15 fault 3]' };
export const isKnownFault = (problem: string): boolean => problem.startsWith('[issue 15 fault');

function typeOf(payload: string): unknown {
  try {
    const v = JSON.parse(payload) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) && Object.hasOwn(v, 'type') ? (v as { type: unknown }).type : undefined;
  } catch {
    return undefined;
  }
}

const newId = () => `f${randomBytes(9).toString('base64url')}`;

/** One mutated command: the payload and the id the reply should carry (null when unreadable). */
export function mutateCommand(r: Rand, type: string): { payload: string | Buffer; id: string | null; mutated: boolean } {
  const id = newId();
  const cmd: Record<string, unknown> = { id, at: Date.now(), ...VALID[type](r) };
  const keys = Object.keys(cmd);
  const m = r.int(14);
  let readableId: string | null = id;
  switch (m) {
    case 0: // a field dropped
      delete cmd[r.pick(keys)];
      break;
    case 1: // a field of the wrong type or an odd value
      cmd[r.pick(keys)] = r.pick(WEIRD);
      break;
    case 2: // an unknown or prototype type
      cmd.type = r.pick(['__proto__', 'constructor', 'toString', 'valueOf', 'ticket', 'window.', 'TICKET.ISSUE', 'window.finish ', 'ticket.issue\u0000']);
      break;
    case 3: // `at` not a whole number, or far away
      cmd.at = r.pick([1.5, -5, '1700000000000', null, 1e20, Date.now() - 3_600_000, Date.now() + 3_600_000, Date.now() + 0.5]);
      break;
    case 4: // extra properties
      cmd[r.pick(['extra', '__proto__', 'constructor', 'prototype', 'x'.repeat(300)])] = r.pick(WEIRD);
      break;
    case 5: // an id that does not fit
      cmd.id = r.pick(['short', 'x'.repeat(65), 'has space here', 'نص-عربي-طويل', 12345678, null, '../../etc']);
      readableId = null;
      break;
    case 6: // a command of another kind of device
      Object.assign(cmd, VALID[r.pick(Object.keys(VALID))](r));
      break;
    default:
      return { payload: JSON.stringify(cmd), id, mutated: false };
  }
  // A mutation may have hit the id itself: the reply names the new id if it is one ('toString' is).
  readableId = typeof cmd.id === 'string' && /^[A-Za-z0-9_-]{8,64}$/.test(cmd.id) ? cmd.id : null;
  return { payload: JSON.stringify(cmd), id: readableId, mutated: true };
}

/** Junk: not a command at all. */
export function junk(r: Rand): string | Buffer {
  switch (r.int(10)) {
    case 0: return randomBytes(1 + r.int(200));
    case 1: return '{"id":"abcdefgh1","type":"ticket.issue",';
    case 2: return JSON.stringify(r.pick(WEIRD));
    case 3: return '['.repeat(5000) + ']'.repeat(5000);
    case 4: return JSON.stringify({ a: 'x'.repeat(4096 + r.int(8000)) });
    case 5: return '';
    case 6: return '{"__proto__":{"type":"ticket.issue","line":"A"},"id":"proto-pollute-1"}';
    case 7: return '\uFEFF{"id":"bomabcdefg","type":"window.next","at":0}';
    case 8: return JSON.stringify({ id: newId(), type: 'ticket.issue', at: Date.now(), line: 'A', nested: JSON.parse('{"a":'.repeat(200) + '1' + '}'.repeat(200)) });
    default: return 'null';
  }
}

async function device(url: string, id: string, secret: string): Promise<{ c: MqttClient; replies: Reply[] }> {
  const c = await mqtt.connectAsync(url, { clientId: `${id}.fuzz`, username: id, password: secret, protocolVersion: 4, reconnectPeriod: 0 });
  const replies: Reply[] = [];
  c.on('message', (_t, p) => {
    try {
      replies.push(JSON.parse(p.toString()) as Reply);
    } catch {
      replies.push({ id: null, ok: false, error: { code: 'UNPARSEABLE_REPLY', message: p.toString().slice(0, 80) }, at: 0 } as unknown as Reply);
    }
  });
  await c.subscribeAsync(topics.deviceReplies(id), { qos: 1 });
  return { c, replies };
}

async function waitFor(pred: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 2));
  }
  return true;
}

export async function fuzzMqtt(target: FuzzTarget, count: number, seed: number, problems: string[]): Promise<Pick<FuzzFigures, 'mqttSent' | 'mqttAnswered' | 'mqttRefused' | 'mqttAccepted'>> {
  const r = rand(seed);
  const ids = ['kiosk-1', 'keypad-1', 'keypad-2', 'led-1', 'hall-1'];
  const devs = new Map<string, Awaited<ReturnType<typeof device>>>();
  for (const id of ids) devs.set(id, await device(target.mqttUrl, id, target.secretOf(id)));
  let sent = 0, answered = 0, refused = 0, accepted = 0;
  try {
    for (let i = 0; i < count; i++) {
      const id = r.pick(ids);
      const d = devs.get(id)!;
      const isJunk = r.chance(0.2);
      const m = isJunk ? { payload: junk(r), id: null as string | null, mutated: true } : mutateCommand(r, r.pick(Object.keys(VALID)));
      const before = fingerprint(target.db);
      const seen = d.replies.length;
      if (!d.c.connected) {
        problems.push(`mqtt #${i}: ${id} was disconnected by an earlier payload`);
        devs.set(id, await device(target.mqttUrl, id, target.secretOf(id)));
        continue;
      }
      d.c.publish(topics.deviceCommands(id), m.payload, { qos: 1 });
      sent++;
      if (!(await waitFor(() => d.replies.length > seen, 3000))) {
        problems.push(`mqtt #${i}: no reply from ${id} to ${String(m.payload).slice(0, 120)}`);
        continue;
      }
      answered++;
      const reply = d.replies[seen];
      if (m.id && reply.id !== m.id) problems.push(`mqtt #${i}: reply id ${reply.id} (${reply.ok ? "ok" : reply.error.code}) for command ${String(m.payload).slice(0, 160)}`);
      if (!reply.ok && reply.error.code === 'INTERNAL') problems.push(`${KNOWN_FAULT[2]} mqtt #${i}: INTERNAL for ${id}: ${String(m.payload).slice(0, 160)}`);
      const sentType = typeof m.payload === 'string' ? typeOf(m.payload) : undefined;
      if (sentType !== undefined && !(typeof sentType === 'string' && Object.hasOwn(VALID, sentType)) && (reply.ok || !['UNKNOWN_COMMAND', 'BAD_REQUEST'].includes(reply.error.code))) {
        problems.push(`${KNOWN_FAULT[2]} mqtt #${i}: type ${JSON.stringify(sentType)} answered ${reply.ok ? 'ok' : reply.error.code}, not UNKNOWN_COMMAND`);
      }
      if (reply.ok) accepted++;
      else {
        refused++;
        // "Next" on an empty queue finishes the ticket at the window and then says QUEUE_EMPTY (PROTOCOL.md).
        if (reply.error.code !== 'QUEUE_EMPTY') {
          const after = fingerprint(target.db);
          if (after !== before) problems.push(`mqtt #${i}: refused (${reply.error.code}) but the database changed: ${diff(before, after)}: ${String(m.payload).slice(0, 160)}`);
        }
      }
    }
  } finally {
    for (const d of devs.values()) await d.c.endAsync(true).catch(() => {});
  }
  return { mqttSent: sent, mqttAnswered: answered, mqttRefused: refused, mqttAccepted: accepted };
}

// ---- HTTP from the OpenAPI document ------------------------------------------------------

type Schema = {
  type?: string | string[]; properties?: Record<string, Schema>; required?: string[]; items?: Schema; enum?: unknown[]; const?: unknown;
  anyOf?: Schema[]; oneOf?: Schema[]; minimum?: number; maximum?: number; minLength?: number; maxLength?: number; pattern?: string; format?: string;
};
type Operation = {
  parameters?: { in: string; name: string; required?: boolean; schema?: Schema }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
};

/** A value that fits the schema as far as a quick reading goes. */
function sampleOf(s: Schema | undefined, r: Rand, depth = 0): unknown {
  if (!s || depth > 6) return null;
  if (s.const !== undefined) return s.const;
  if (s.enum) return r.pick(s.enum);
  if (s.anyOf || s.oneOf) return sampleOf(r.pick((s.anyOf ?? s.oneOf)!), r, depth + 1);
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'integer': return Math.max(s.minimum ?? 1, Math.min(s.maximum ?? 1000, 1 + r.int(5)));
    case 'number': return s.minimum ?? 1;
    case 'boolean': return r.chance(0.5);
    case 'array': return [sampleOf(s.items, r, depth + 1)];
    case 'object': {
      const o: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(s.properties ?? {})) if (s.required?.includes(k) || r.chance(0.5)) o[k] = sampleOf(v, r, depth + 1);
      return o;
    }
    case 'string': {
      if (s.format === 'date') return '2026-11-29';
      if (s.pattern === '^[A-Z]$') return 'A';
      const n = Math.max(s.minLength ?? 1, 3);
      return 'نص'.padEnd(Math.min(n, s.maxLength ?? n), 'ا');
    }
    default: return null;
  }
}

function mutateBody(body: unknown, r: Rand): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return r.pick(WEIRD);
  const o = { ...(body as Record<string, unknown>) };
  const keys = Object.keys(o);
  switch (r.int(6)) {
    case 0: if (keys.length) delete o[r.pick(keys)]; break;
    case 1: if (keys.length) o[r.pick(keys)] = r.pick(WEIRD); break;
    case 2: o[r.pick(['extra', '__proto__', 'constructor', 'isAdmin', 'role'])] = r.pick(WEIRD); break;
    case 3: if (keys.length) o[r.pick(keys)] = 'ش'.repeat(70_000); break;
    case 4: if (keys.length) o[r.pick(keys)] = r.pick([-1, 0, 1e15, 1.5, 2 ** 31]); break;
    default: return r.pick(WEIRD);
  }
  return o;
}

const REUSED_KEY = 'fuzz-reused-key-1';

const ODD_PARAMS = ['0', '-1', '999999999', '1.5', 'abc', '%00', '..%2F..%2Fetc%2Fpasswd', 'F-2026-000001-00', '١', 'x'.repeat(300), '9'.repeat(40), '%D9%A1'];

export async function fuzzHttp(target: FuzzTarget, count: number, seed: number, problems: string[]): Promise<Pick<FuzzFigures, 'httpSent' | 'http4xx' | 'http2xx' | 'http5xx' | 'operations'>> {
  const r = rand(seed);
  const doc = (await (await fetch(`${target.httpUrl}/docs/json`)).json()) as { paths: Record<string, Record<string, Operation>> };
  // Routes whose success ends the fuzzer's own session, or that are streams.
  const skip = /\/auth\/(logout|password|login)$|\/live\//;
  const ops: { method: string; path: string; op: Operation; role: Role | null }[] = [];
  for (const [p, methods] of Object.entries(doc.paths)) {
    if (skip.test(p)) continue;
    for (const [method, op] of Object.entries(methods)) {
      const route = p.replace(/\{(\w+)\}/g, ':$1');
      const access = target.accessTable.find((e) => e.url === route && e.method === method.toUpperCase())?.access;
      if (access === undefined || access === 'monitoring') continue;
      // An api_key route is tried without a key (its refusal is a 403), a kiosk-screen route without a pairing (401).
      ops.push({ method: method.toUpperCase(), path: p, op, role: access === 'public' || access === 'open311_key' || access === 'kiosk_screen' ? null : access[0] });
    }
  }
  const sessions = new Map<Role, { cookie: string; csrf: string }>();
  let sent = 0, c4 = 0, c2 = 0, c5 = 0;
  for (let i = 0; i < count; i++) {
    const o = r.pick(ops);
    let url = o.path.replace(/\{(\w+)\}/g, () => (r.chance(0.5) ? String(1 + r.int(3)) : r.pick(ODD_PARAMS)));
    const query = (o.op.parameters ?? []).filter((p) => p.in === 'query');
    if (query.length) {
      const qs = query.filter((q) => q.required || r.chance(0.5)).map((q) =>
        `${encodeURIComponent(q.name)}=${encodeURIComponent(String(r.chance(0.5) ? sampleOf(q.schema, r) ?? '' : r.pick(ODD_PARAMS)))}`);
      if (qs.length) url += `?${qs.join('&')}`;
    }
    const headers: Record<string, string> = {};
    if (o.role) {
      if (!sessions.has(o.role)) sessions.set(o.role, await target.session(o.role));
      const s = sessions.get(o.role)!;
      headers.cookie = s.cookie;
      headers['x-csrf-token'] = s.csrf;
    }
    let body: string | undefined;
    if (o.method !== 'GET' && o.method !== 'DELETE') {
      const schema = o.op.requestBody?.content?.['application/json']?.schema;
      const kind = r.int(10);
      if (kind === 0) {
        body = '{"broken": ';
        headers['content-type'] = 'application/json';
      } else if (kind === 1) {
        body = 'a=1&b=2';
        headers['content-type'] = r.pick(['text/plain', 'application/x-www-form-urlencoded', 'application/xml']);
      } else {
        body = JSON.stringify(mutateBody(sampleOf(schema, r), r));
        headers['content-type'] = 'application/json';
      }
      // Keys: malformed, fresh, or one key reused across routes and bodies (it must be refused, never a 5xx).
      if (r.chance(0.25)) headers['idempotency-key'] = r.pick(['short', 'x'.repeat(100), `k${randomBytes(8).toString('hex')}`, REUSED_KEY]);
    }
    const before = fingerprint(target.db);
    let res: Response;
    try {
      res = await fetch(`${target.httpUrl}${url}`, { method: o.method, headers, body });
    } catch (err) {
      problems.push(`http #${i}: ${o.method} ${url}: no answer (${(err as Error).message})`);
      continue;
    }
    sent++;
    const text = await res.text();
    if (res.status >= 500) {
      c5++;
      const tag = headers['idempotency-key'] === REUSED_KEY ? `${KNOWN_FAULT[3]} ` : '';
      problems.push(`${tag}http #${i}: ${o.method} ${url} → ${res.status} ${text.slice(0, 200)} (body ${String(body).slice(0, 200)})`);
    } else if (res.status >= 400) {
      c4++;
      const after = fingerprint(target.db);
      if (after !== before) problems.push(`http #${i}: ${o.method} ${url} refused ${res.status} but the database changed: ${diff(before, after)} (body ${String(body).slice(0, 200)})`);
    } else c2++;
  }
  return { httpSent: sent, http4xx: c4, http2xx: c2, http5xx: c5, operations: ops.length };
}

/** Both, then the checks that the hub is still whole. */
export async function runFuzz(target: FuzzTarget, o: { mqtt: number; http: number; seed: number }): Promise<FuzzFigures> {
  const problems: string[] = [];
  const m = await fuzzMqtt(target, o.mqtt, o.seed, problems);
  const h = await fuzzHttp(target, o.http, o.seed + 1, problems);
  const health = await fetch(`${target.httpUrl}/healthz`).catch(() => null);
  if (health?.status !== 200) problems.push('the hub does not answer /healthz after the fuzz');
  return { ...m, ...h, problems };
}
