// The device programs without typebox (issue 10: memory): what scripts/build.ts puts in the
// bundles of the self-contained programs (kiosk, boards, keypad) in place of typebox.
//
// From source (the hub, the tests) the protocol builds its schemas with typebox's Type.* and
// checks messages with typebox's Compile (protocol/schema-check.ts). In a device bundle that
// is ~330 KB of minified code, the Type builders and the whole value library Compile's
// Validator imports, and ~3 MB resident per program for work that is the same every time.
// So, at build time (the build runs under tsx and imports the protocol's own modules):
//  - a module that builds schemas with Type.* (protocol/messages.ts, commands.ts …) is
//    bundled with each such value written out as a literal: the same exports, the same
//    objects (typebox's hidden "~kind"/"~optional" keys included, shared parts shared), so
//    `Type` is no longer used and esbuild drops the import;
//  - protocol/schema-check.ts becomes a module whose checkerFor() returns, for each schema
//    those modules export (CHECKED), typebox's own generated check (Code() from
//    typebox/compile: a function of plain JavaScript and Guard.CodePointCount), found by the
//    schema object's identity;
//  - the error report (paths and messages) is typebox's own, typebox/schema's Errors, built
//    into a CommonJS file beside the program (ERRORS_FILE) that the checker require()s on the
//    first message that does not fit: nothing of it is loaded while messages are valid.
// tests/unit/schema-check.test.ts checks the generated checkers against typebox's Compile.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import ts from 'typescript';
import { Code } from 'typebox/compile';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The seam protocol/validate.ts gets its checkers from. */
const SCHEMA_CHECK = path.join(ROOT, 'protocol', 'schema-check.ts');
/** The modules whose exported schemas (and records of schemas) get a precompiled checker: those validate.ts checks with. */
const CHECKED = ['protocol/messages.ts', 'protocol/commands.ts'];
/** typebox/schema's error reporter, beside each device program (scripts/package.ts ships it: bundleFiles follows the require). */
export const ERRORS_FILE = 'schema-errors.cjs';

const isSchema = (v: unknown): v is object => typeof v === 'object' && v !== null && Object.hasOwn(v, '~kind');
const HIDDEN = '$typeboxHidden';

/**
 * A JavaScript expression that makes an object equal to v: plain objects and arrays of JSON
 * values, with typebox's non-enumerable keys defined as it defines them. Objects in `named`
 * (exports declared above) are referred to by name, so what typebox shared stays shared.
 * Anything else (a function, a symbol, a RegExp, a getter, another prototype) stops the build.
 */
function literal(v: unknown, named: Map<object, string>, where: string): string {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`${where}: ${v} has no JSON literal`);
    return Object.is(v, -0) ? '-0' : String(v);
  }
  if (typeof v !== 'object') throw new Error(`${where}: a ${typeof v} cannot be written out as a literal`);
  const name = named.get(v);
  if (name) return name;
  if (Array.isArray(v)) {
    const keys = Reflect.ownKeys(v);
    if (keys.length !== v.length + 1 || v.some((_, i) => !Object.hasOwn(v, i))) throw new Error(`${where}: an array with holes or extra keys`);
    return `[${v.map((x, i) => literal(x, named, `${where}[${i}]`)).join(',')}]`;
  }
  if (Object.getPrototypeOf(v) !== Object.prototype) throw new Error(`${where}: not a plain object`);
  const plain: string[] = [];
  const hidden: string[] = [];
  for (const k of Reflect.ownKeys(v)) {
    if (typeof k === 'symbol') throw new Error(`${where}: a symbol key`);
    const d = Object.getOwnPropertyDescriptor(v, k)!;
    if (!('value' in d) || !d.writable || !d.configurable) throw new Error(`${where}.${k}: an accessor or a read-only property`);
    const entry = `${k === '__proto__' ? '["__proto__"]' : JSON.stringify(k)}:${literal(d.value, named, `${where}.${k}`)}`;
    (d.enumerable ? plain : hidden).push(entry);
  }
  const obj = `{${plain.join(',')}}`;
  return hidden.length ? `${HIDDEN}(${obj},{${hidden.join(',')}})` : obj;
}

const importModule = (file: string): Promise<Record<string, unknown>> => import(pathToFileURL(file).href);

/**
 * The source of a module that builds values with typebox's Type (its default import), with
 * each top-level value built with it written out: exported ones as literals of what the module
 * exports at run time, unexported ones (parts the exported ones were built from) removed.
 * Null when the module imports no value from typebox.
 */
export async function schemaModuleSource(file: string): Promise<string | null> {
  const text = fs.readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  let local: string | null = null;
  let typeImport: { start: number; end: number; text: string } | null = null;
  for (const st of sf.statements) {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier) || st.moduleSpecifier.text !== 'typebox') continue;
    const clause = st.importClause;
    if (!clause || clause.isTypeOnly) continue;
    if (clause.namedBindings && !(ts.isNamedImports(clause.namedBindings) && clause.namedBindings.elements.every((e) => e.isTypeOnly))) {
      throw new Error(`${file}: only \`import Type from 'typebox'\` is written out at build time (scripts/build-schemas.ts)`);
    }
    if (clause.name) {
      local = clause.name.text;
      // The builds use verbatimModuleSyntax (tsconfig.json): the import goes only when it says so.
      typeImport = { start: st.getStart(sf), end: st.getEnd(), text: `import type ${local} from 'typebox';` };
    }
  }
  if (!local) return null;
  const mod = await importModule(file);
  // Built with Type, or with a part removed above (a helper that calls Type, say).
  const uses = (code: string) => [local, ...removed].some((n) => new RegExp(`(?<![.\\w$])${n.replace(/\$/g, '\\$')}\\b`).test(code));
  const edits: { start: number; end: number; text: string }[] = [];
  const named = new Map<object, string>();
  const removed: string[] = [];
  for (const st of sf.statements) {
    if (!ts.isVariableStatement(st)) continue;
    const exported = st.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) ?? false;
    const decls = st.declarationList.declarations;
    const built = decls.filter((d) => d.initializer && uses(d.initializer.getText(sf)));
    if (built.length === 0) {
      if (exported) for (const d of decls) if (ts.isIdentifier(d.name) && typeof mod[d.name.text] === 'object' && mod[d.name.text] !== null) named.set(mod[d.name.text] as object, d.name.text);
      continue;
    }
    if (decls.length !== 1 || !ts.isIdentifier(decls[0].name)) throw new Error(`${file}:${sf.getLineAndCharacterOfPosition(st.getStart(sf)).line + 1}: one plain \`const name = …\` per statement where ${local} is used`);
    const d = decls[0];
    const name = (d.name as ts.Identifier).text;
    if (!exported) {
      removed.push(name);
      edits.push({ start: st.getStart(sf), end: st.getEnd(), text: '' });
      continue;
    }
    const value = mod[name];
    edits.push({ start: d.initializer!.getStart(sf), end: d.initializer!.getEnd(), text: literal(value, named, name) });
    if (typeof value === 'object' && value !== null) named.set(value, name);
  }
  if (typeImport) edits.push(typeImport);
  let out = text;
  for (const e of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  if (out.includes(`${HIDDEN}(`)) {
    out += `\nfunction ${HIDDEN}(o: object, h: Record<string, unknown>): object {\n  for (const k of Object.keys(h)) Object.defineProperty(o, k, { value: h[k], writable: true, enumerable: false, configurable: true });\n  return o;\n}\n`;
  }
  // What is left must not use typebox or what was removed (a function calling Type, say).
  const js = esbuild.transformSync(out, { loader: 'ts', format: 'esm', sourcefile: file }).code.replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`/g, '""');
  if (uses(js)) throw new Error(`${file}: ${[local, ...removed].join(', ')}: one is still used once the schemas are written out (scripts/build-schemas.ts)`);
  return out;
}

/** typebox's generated check of one schema, as a function that returns it (its RegExps made once). */
function checkFunction(schema: object, n: number): string {
  const { Code: code, External } = Code(schema as never) as { Code: string; External: { identifier: string; variables: unknown[] } };
  const body: string[] = [];
  for (const line of code.split('\n')) {
    if (line === '' || line === '// @ts-ignore' || line.startsWith('import ') || line === `let ${External.identifier} = []` || line.startsWith('export function SetExternal(')) continue;
    if (line.startsWith('export function Check(value)')) body.push(line.replace('export function Check(value)', 'return function Check(value)'));
    else if (line.startsWith('export ') || /\b(CheckContext|Hashing)\b/.test(line)) throw new Error(`typebox's Code() wrote what scripts/build-schemas.ts does not know: ${line.slice(0, 120)}`);
    else body.push(line);
  }
  const variables = External.variables.map((v) => {
    if (!(v instanceof RegExp)) throw new Error(`typebox's Code() needs an external that is not a RegExp: ${String(v)}`);
    return `/${v.source}/${v.flags}`;
  });
  return `function check${n}() {\nconst ${External.identifier} = [${variables.join(', ')}];\n${body.join('\n')}\n}`;
}

/** The module that stands in for protocol/schema-check.ts in a device bundle. */
export async function schemaCheckSource(): Promise<string> {
  const head = [`import { Guard } from 'typebox/guard';`];
  const fns: string[] = [];
  const pairs: string[] = [];
  const seen = new Set<object>();
  for (const [i, rel] of CHECKED.entries()) {
    const file = path.join(ROOT, rel);
    head.push(`import * as m${i} from ${JSON.stringify(`./${path.relative(path.dirname(SCHEMA_CHECK), file).split(path.sep).join('/')}`)};`);
    for (const [name, value] of Object.entries(await importModule(file))) {
      const found: [string, object][] = [];
      if (isSchema(value)) found.push([`m${i}[${JSON.stringify(name)}]`, value]);
      else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
        for (const [k, s] of Object.entries(value)) if (isSchema(s)) found.push([`m${i}[${JSON.stringify(name)}][${JSON.stringify(k)}]`, s]);
      }
      for (const [expr, schema] of found) {
        if (seen.has(schema)) continue;
        seen.add(schema);
        fns.push(checkFunction(schema, fns.length));
        pairs.push(`[${expr}, check${fns.length - 1}]`);
      }
    }
  }
  return `${head.join('\n')}
// Generated by scripts/build-schemas.ts: typebox's Code() for each schema of ${CHECKED.join(', ')}.
${fns.join('\n')}
let report;
function errors(schema, value) {
  report ??= require(${JSON.stringify(`./${ERRORS_FILE}`)});
  return report.Errors({}, schema, value)[1].map((e) => ({ path: e.instancePath || '/', message: e.message }));
}
const checkers = new Map();
for (const [schema, make] of [${pairs.join(',\n')}]) checkers.set(schema, { check: make(), errors: (value) => errors(schema, value) });
export function checkerFor(schema) {
  const c = checkers.get(schema);
  if (!c) throw new Error('no precompiled checker for this schema (scripts/build-schemas.ts: CHECKED)');
  return c;
}
`;
}

/** The esbuild plugin of a device program: its schema modules written out, schema-check.ts precompiled, the error reporter left to ERRORS_FILE. */
export function typeboxFree(): esbuild.Plugin {
  const sources = new Map<string, Promise<string | null>>();
  const once = (key: string, make: () => Promise<string | null>) => {
    if (!sources.has(key)) sources.set(key, make());
    return sources.get(key)!;
  };
  return {
    name: 'shubbak-typebox-free',
    setup(build) {
      build.onResolve({ filter: new RegExp(`^\\./${ERRORS_FILE.replace('.', '\\.')}$`) }, (args) => ({ path: args.path, external: true }));
      build.onLoad({ filter: /\.ts$/ }, async (args) => {
        if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
        if (args.path === SCHEMA_CHECK) return { contents: (await once(args.path, schemaCheckSource))!, loader: 'js', resolveDir: path.dirname(args.path) };
        const contents = await once(args.path, () => schemaModuleSource(args.path));
        return contents === null ? undefined : { contents, loader: 'ts', resolveDir: path.dirname(args.path) };
      });
    },
  };
}

/** Write typebox/schema's Errors as CommonJS into dir (beside a device program). */
export async function writeErrorsFile(dir: string, target: string): Promise<void> {
  await esbuild.build({
    absWorkingDir: ROOT,
    stdin: { contents: "export { Errors } from 'typebox/schema';", resolveDir: ROOT, loader: 'js', sourcefile: 'schema-errors.js' },
    outfile: path.join(dir, ERRORS_FILE),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target,
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
}
