// The device programs' schemas and checkers without typebox (scripts/build-schemas.ts) are
// typebox's: the protocol's modules bundled as the device programs bundle them (schemas
// written out, protocol/schema-check.ts replaced by precompiled checks, the error reporter in
// a file beside) export the same values, and every checker they carry accepts and rejects
// what typebox's Compile does, with the same error paths and messages, on valid messages of
// every shape and on mutations of them (each key deleted, wrong types, numbers out of range,
// strings that miss a pattern or a length, extra keys).
import { describe, before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { Compile } from 'typebox/compile';
import type { TSchema } from 'typebox';
import { typeboxFree, writeErrorsFile, ERRORS_FILE } from '../../scripts/build-schemas.ts';
import * as messages from '../../protocol/messages.ts';
import * as commands from '../../protocol/commands.ts';
import { validate } from '../../protocol/validate.ts';
import { topics } from '../../protocol/topics.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
type Mod = Record<string, unknown>;
type Checker = { check(v: unknown): boolean; errors(v: unknown): { path: string; message: string }[] };
type Bundle = { messages: Mod; commands: Mod; checkerFor(s: unknown): Checker; validate: typeof validate };

let dir: string;
let bundle: Bundle;
let inputs: string[];
before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shubbak-schema-check-'));
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    stdin: {
      contents: `export * as messages from './protocol/messages.ts';
export * as commands from './protocol/commands.ts';
export { checkerFor } from './protocol/schema-check.ts';
export { validate } from './protocol/validate.ts';`,
      resolveDir: ROOT, loader: 'ts', sourcefile: 'entry.ts',
    },
    outfile: path.join(dir, 'checks.mjs'),
    bundle: true, platform: 'node', format: 'esm', target: 'node20.19', metafile: true, logLevel: 'warning',
    banner: { js: "import { createRequire as __shubbakCreateRequire } from 'node:module'; const require = __shubbakCreateRequire(import.meta.url);" },
    plugins: [typeboxFree()],
  });
  inputs = Object.keys(result.metafile.inputs);
  await writeErrorsFile(dir, 'node20.19');
  bundle = await import(pathToFileURL(path.join(dir, 'checks.mjs')).href) as Bundle;
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const isSchema = (v: unknown): v is TSchema => typeof v === 'object' && v !== null && Object.hasOwn(v, '~kind');

/** Every schema the modules export, alone or in a record (CommandSchemas, CommandResults), by where it is. */
function schemas(): { where: string; source: TSchema; built: () => unknown }[] {
  const out: { where: string; source: TSchema; built: () => unknown }[] = [];
  for (const [modName, mod] of [['messages', messages], ['commands', commands]] as const) {
    for (const [name, value] of Object.entries(mod)) {
      if (isSchema(value)) out.push({ where: `${modName}.${name}`, source: value, built: () => bundle[modName][name] });
      else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
        for (const [k, s] of Object.entries(value)) if (isSchema(s)) out.push({ where: `${modName}.${name}[${k}]`, source: s, built: () => (bundle[modName][name] as Mod)[k] });
      }
    }
  }
  return out;
}

/** A value described with what deepEqual leaves out: non-enumerable keys and their flags. */
function described(v: unknown): unknown {
  if (typeof v === 'function') return 'function';
  if (v instanceof RegExp) return `${v}`;
  if (typeof v !== 'object' || v === null) return v;
  const out: Record<string, unknown> = { '<proto>': Object.getPrototypeOf(v) === Array.prototype ? 'Array' : Object.getPrototypeOf(v) === Object.prototype ? 'Object' : 'other' };
  for (const k of Reflect.ownKeys(v)) {
    const d = Object.getOwnPropertyDescriptor(v, k)!;
    out[String(k)] = { value: described(d.value), enumerable: d.enumerable, writable: d.writable, configurable: d.configurable };
  }
  return out;
}

// Strings that fit each pattern the protocol uses; a new pattern must be added here.
const PATTERN_SAMPLES: Record<string, string> = {
  '^[A-Za-z0-9_-]{8,64}$': 'abcdefgh',
  '^[A-Z]$': 'A',
  '^[A-Z][0-9]{3,4}$': 'A123',
  '^[0-9]{8}$': '12345678',
  '^[0-2][0-9]:[0-5][0-9]$': '09:30',
  [messages.CENTER_ID.source]: 'giza-1',
};

/** Valid values of a schema: each branch of a union, with all optional keys and with none. */
function examples(s: Record<string, unknown>, all = true): unknown[] {
  if (Array.isArray(s.anyOf)) return (s.anyOf as Record<string, unknown>[]).flatMap((b) => examples(b, all));
  if ('const' in s) return [s.const];
  switch (s.type) {
    case 'object': {
      const props = (s.properties ?? {}) as Record<string, Record<string, unknown>>;
      const required = new Set((s.required ?? []) as string[]);
      const full: Record<string, unknown> = {};
      const min: Record<string, unknown> = {};
      for (const [k, p] of Object.entries(props)) {
        full[k] = examples(p, all)[0];
        if (required.has(k)) min[k] = examples(p, false)[0];
      }
      if (s.patternProperties) full.someKey = 'any';
      return all ? [full, min] : [min];
    }
    case 'array': return [[examples(s.items as Record<string, unknown>, all)[0]], []];
    case 'string': {
      if (typeof s.pattern === 'string') {
        const sample = PATTERN_SAMPLES[s.pattern];
        assert.ok(sample, `no sample string for the pattern ${s.pattern} (tests/unit/schema-check.test.ts)`);
        return [sample];
      }
      return ['x'.repeat(typeof s.minLength === 'number' ? s.minLength : 3)];
    }
    case 'integer': return [typeof s.minimum === 'number' ? s.minimum : 7];
    case 'number': return [1.5];
    case 'boolean': return [true];
    case 'null': return [null];
    default: return [{ anything: 1 }];
  }
}

const REPLACEMENTS: unknown[] = [
  undefined, null, true, false, 0, -1, 1, 1.5, 10, 11, 2 ** 53, -0, Number.NaN,
  '', 'A', 'a', 'AB', 'Z', 'A123', 'A12', 'A12345', '12345678', '1234567', '09:30', '39:30', 'giza-1', '-giza', 'Giza',
  'abcdefgh', 'abc', 'a b c d e f g h', 'x'.repeat(33), 'x'.repeat(41), 'x'.repeat(65), 'x'.repeat(301), '٣'.repeat(20), '😀'.repeat(20), '😀'.repeat(21),
  'kiosk', 'keypad', 'display', 'hall', 'ok', 'offline', 'paper-low', 'cancelled', 'print-failed', 'idle', 'serving', 'ticket.issue', 'window.next',
  [], [1], ['A'], ['A', 'B'], Array.from({ length: 11 }, () => ({ ticket: 'A1', window: 1, at: 0 })), {}, { a: 1 },
];

/** The value with the thing at path replaced (undefined: the key deleted). */
function replaced(v: unknown, p: (string | number)[], r: unknown): unknown {
  if (p.length === 0) return r;
  const copy = (Array.isArray(v) ? [...v] : { ...(v as object) }) as Record<string | number, unknown>;
  const [k, ...rest] = p;
  const inner = replaced(copy[k], rest, r);
  if (inner === undefined && rest.length === 0) delete copy[k];
  else copy[k] = inner;
  return copy;
}

function paths(v: unknown, at: (string | number)[] = []): (string | number)[][] {
  const out = [at];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...at, i])));
  else if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...at, k]));
  return out;
}

/** Valid examples, and every mutation of each: replacements at every path, an extra key on every object. */
function corpus(s: TSchema): unknown[] {
  const base = examples(s as Record<string, unknown>);
  const out: unknown[] = [...base, null, 'x', 1, [], undefined];
  for (const b of base) {
    for (const p of paths(b)) {
      for (const r of REPLACEMENTS) out.push(replaced(b, p, r));
      const at = p.reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], b);
      if (typeof at === 'object' && at !== null && !Array.isArray(at)) out.push(replaced(b, p, { ...at, extra: 1 }));
      if (Array.isArray(at)) out.push(replaced(b, p, [...at, ...at]));
    }
  }
  return out;
}

describe('device programs check messages without typebox (scripts/build-schemas.ts)', () => {
  test('what they bundle carries no typebox but typebox/guard', () => {
    const typebox = inputs.filter((f) => f.startsWith('node_modules/typebox/'));
    assert.ok(typebox.length > 0, 'typebox/guard is bundled (Guard.CodePointCount)');
    assert.deepEqual(typebox.filter((f) => !f.startsWith('node_modules/typebox/build/guard/')), []);
    assert.ok(fs.existsSync(path.join(dir, ERRORS_FILE)));
  });

  test('the written-out modules export what the sources export: same names, same values (hidden keys too), same sharing', () => {
    for (const [name, mod] of [['messages', messages], ['commands', commands]] as const) {
      assert.deepEqual(Object.keys(bundle[name]).sort(), Object.keys(mod).sort(), name);
      for (const [k, v] of Object.entries(mod)) assert.deepEqual(described(bundle[name][k]), described(v), `${name}.${k}`);
    }
    const c = bundle.commands as Record<string, { properties: Record<string, unknown> }>;
    assert.equal(c.PrintRequest.properties.ticket, c.IssuedTicket);
    assert.equal((bundle.commands.CommandResults as Mod)['window.next'], bundle.messages.WindowState);
    assert.equal((bundle.commands.CommandSchemas as Mod)['window.next'], bundle.commands.WindowNext);
  });

  test('every checker accepts and rejects what typebox Compile does, with the same errors', () => {
    const all = schemas();
    assert.ok(all.length >= 30, `${all.length} schemas`);
    let valid = 0;
    let invalid = 0;
    for (const { where, source, built } of all) {
      const compiled = Compile(source);
      const checker = bundle.checkerFor(built());
      const mine = examples(source as Record<string, unknown>);
      for (const v of mine) assert.ok(compiled.Check(v), `${where}: the example ${JSON.stringify(v)} fits`);
      for (const v of corpus(source)) {
        const ok = compiled.Check(v);
        assert.equal(checker.check(v), ok, `${where}: ${JSON.stringify(v)}`);
        if (ok) {
          valid++;
          continue;
        }
        invalid++;
        const expected = [...compiled.Errors(v)].map((e) => ({ path: e.instancePath || '/', message: e.message }));
        assert.deepEqual(checker.errors(v), expected, `${where}: ${JSON.stringify(v)}`);
      }
    }
    assert.ok(valid > 100 && invalid > 1000, `${valid} valid, ${invalid} invalid`);
  });

  test('validate() in the bundle gives what it gives from source, on every topic kind', () => {
    const cases: [string, unknown][] = [
      [topics.deviceStatus('kiosk-1'), { online: true, kind: 'kiosk', fw: '1.0' }],
      [topics.deviceStatus('kiosk-1'), { online: true, kind: 'printer', fw: '1.0' }],
      [topics.deviceHealth('kiosk-1'), { printer: 'jammed' }],
      [topics.deviceCommands('kiosk-1'), { id: 'abcdefgh', type: 'ticket.issue', line: 'A', at: 1 }],
      [topics.deviceCommands('kiosk-1'), { id: 'abcdefgh', type: 'ticket.issue', line: 'AA', at: -1, mobile: '' }],
      [topics.deviceCommands('kiosk-1'), { id: 'short', type: 'nope', at: 1 }],
      [topics.deviceReplies('kiosk-1'), { id: 'abcdefgh', ok: true, result: {}, at: 1 }],
      [topics.deviceReplies('kiosk-1'), { id: 'abcdefgh', ok: false, at: 1 }],
      [topics.windowState(3), { window: 3, label: 'x', status: 'serving', ticket: 'A101', line: 'A', calledAt: 1, seq: 1 }],
      [topics.windowState(3), { window: 0, label: 'x', status: 'busy', ticket: 5, line: 'a', calledAt: -1, seq: 1.5, a: 1, b: 2, c: 3, d: 4, e: 5 }],
      [topics.clock(), { at: 'now' }],
    ];
    for (const [topic, payload] of cases) {
      assert.deepEqual(bundle.validate(topic, JSON.stringify(payload)), validate(topic, JSON.stringify(payload)), `${topic} ${JSON.stringify(payload)}`);
    }
  });
});
