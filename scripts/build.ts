// npm run build — the JavaScript a center runs in production: the hub, each device program
// and the panels' bundle, built by esbuild into dist/ (source maps beside), so production
// runs `node dist/...` with only the runtime dependencies (`npm ci --omit=dev`: no tsx, no
// esbuild, no TypeScript). `npm start` and `npm test` keep running from source.
//
//   dist/hub/server.js            the hub (+ migrations/, the /sim page, sim-devices.js: the demo's devices)
//   dist/web/                     the panels' bundle the built hub serves (hub/web/bundle.ts)
//   dist/kiosk/main.js            the kiosk
//   dist/display/main.js          window board or hall board (SHUBBAK_DISPLAY_KIND=display|hall)
//   dist/display/audio.js         the hall's voice clips maker (run before the hall board starts)
//   dist/counter-keypad/main.js   the clerk's keypad
//   dist/device/shubbak-device.js `shubbak-device enroll`, in every device package
//
// What is bundled and what is not: our own code (every workspace, @shubbak/*) is bundled;
// third-party packages that npm installs at the root of node_modules stay external and load
// from the production node_modules at run time — they include native modules
// (better-sqlite3, @serialport/bindings-cpp, @napi-rs/canvas) and packages that read their
// own files (swagger-ui's static files, johnny-five's font table, @fontsource/cairo's fonts).
// Exception: typebox is bundled (BUNDLED below), for memory. The device programs carry none
// of it: their schemas are written out and their checkers precompiled at build time, with
// typebox's error reporter in a file beside each (scripts/build-schemas.ts).
// A package npm had to nest inside a workspace (hub/node_modules/…, a version conflict)
// cannot be found from dist/, so it is bundled. After building, every external import is
// checked against package-lock.json: a package that only a dev install carries fails the build.
//
//   tsx scripts/build.ts [--outdir DIR]     (default: dist)
import fs from 'node:fs';
import path from 'node:path';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { buildWeb } from '../hub/web/build.ts';
import { typeboxFree, writeErrorsFile } from './build-schemas.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ROOT_MODULES = path.join(ROOT, 'node_modules') + path.sep;

/** Every program: its source, the file it becomes under dist/, and the name its main-check uses (protocol/entry.ts). */
/**
 * Every program: its source, the file it becomes under dist/, the name its main-check uses
 * (protocol/entry.ts), and `self`: the program carries its pure-JavaScript packages inside
 * its bundle (see SELF_CONTAINED below) instead of loading them from node_modules.
 */
export const PROGRAMS = [
  { entry: 'hub/server.ts', out: 'hub/server.js', name: 'hub/server', self: false },
  { entry: 'hub/sim/devices-process.ts', out: 'hub/sim-devices.js', name: 'hub/sim-devices', self: false },
  { entry: 'kiosk/main.ts', out: 'kiosk/main.js', name: 'kiosk/main', self: true },
  { entry: 'display/main.ts', out: 'display/main.js', name: 'display/main', self: true },
  { entry: 'display/audio.ts', out: 'display/audio.js', name: 'display/audio', self: false },
  { entry: 'counter-keypad/main.ts', out: 'counter-keypad/main.js', name: 'counter-keypad/main', self: true },
  { entry: 'protocol/shubbak-device.ts', out: 'device/shubbak-device.js', name: 'protocol/shubbak-device', self: false },
] as const;

/** Files the built hub reads beside itself at run time (paths relative to import.meta.url in the source). */
const HUB_FILES = [
  { from: 'hub/db/migrations', to: 'hub/migrations' }, // hub/db/connection.ts: ./migrations
  { from: 'hub/sim/page.html', to: 'hub/page.html' }, // hub/sim/routes.ts: ./page.html
  { from: 'hub/sim/page.js', to: 'hub/page.js' }, //     hub/sim/routes.ts: ./page.js
];

function packageName(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

// Bundled although installed at the root: typebox is ESM and only our code uses it at run
// time, so esbuild keeps only the parts we call — loaded whole from node_modules it is
// ~6 MB of heap in every program (issue 10: memory; a keypad's goal is 60 MB in all).
const BUNDLED = new Set(['typebox']);

// The device programs are self-contained (issue 10: a keypad's goal is 60 MB resident, of
// which a bare node takes ~43): every pure-JavaScript package is bundled and minified, so
// node compiles one file with only the code reachable from ours instead of hundreds of
// CommonJS modules with their wrappers (measured: 77 → 65 MB for the keypad's imports
// alone). Outside the bundle stay only what cannot live in it: native modules (they load
// their .node file from their own folder), packages whose files are read at run time, and
// optional or simulation-only packages loaded lazily.
const SELF_CONTAINED_EXTERNAL = new Set([
  '@serialport/bindings-cpp', // native (serialport's OS binding)
  '@napi-rs/canvas', //          native (Skia: the ticket renderer)
  '@fontsource/cairo', //        its font files are read from its folder
  'raspi-io', //                 optional, ARM only, imported lazily (hardware/board.ts)
  'avrgirl-arduino', //          the emulated Uno's firmware file (tests only)
]);
// Optional native helpers ws tries to require (not installed): in a bundle, a module that
// fails to load as a missing one does, which ws expects.
const ABSENT = new Set(['bufferutil', 'utf-8-validate']);
// Requires on paths the device programs never take, by the package that makes them; in a
// bundle each becomes a stand-in whose every function throws "not in this program", instead
// of code loaded and run for nothing (measured with each removal: bench --only=devices).
//  - johnny-five (always given an IO, REPL off): node's REPL, its own serialport 8, firmata, temporal;
//  - mqtt (no proxy): its SOCKS proxy client and the module that drives it (./socks, which
//    requires node:dns and node:assert, ~1 MB resident on Node 24), loaded at every connect
//    whether a proxy is configured or not; and worker-timers (with broker-factory and 21 of
//    @babel/runtime's helpers), the timers mqtt.js uses in a browser's main thread only
//    (lib/get-timer.js reads two of its properties at load and calls them only there).
const UNUSED: Record<string, Set<string>> = {
  'johnny-five': new Set(['repl', 'serialport', 'browser-serialport', 'firmata', 'temporal']),
  mqtt: new Set(['socks', './socks', 'worker-timers']),
};
// Requires a program may need but should not run until it does: bundled, but the module runs
// when one of its functions is first called, not when it is required. mqtt.js requires its
// WebSocket transport (./ws, and with it the ws package, node:http, node:https and node:zlib) at
// every connect, whatever the URL; a device set to wss://hub:8443/mqtt (SHUBBAK_HUB_URL allows
// it, for a LAN where only the HTTPS port is open) is the one that calls it. Only for modules
// whose exports are functions called later (mqtt.js keeps ./ws's streamBuilder to call).
const LAZY: Record<string, Set<string>> = {
  mqtt: new Set(['./ws']),
};
// readable-stream (mqtt.js, mqtt-packet and bl take their streams from it) is node's own
// stream module copied out for browsers, with its shims (process, string_decoder, safe-buffer,
// inherits); its documented switch READABLE_STREAM=disable makes it hand out node:stream,
// which node has loaded already. Set at build time in the self-contained programs: 25 modules
// and 4 shims not run (measured: bench --only=devices).
const SELF_CONTAINED_DEFINE = { 'process.env.READABLE_STREAM': JSON.stringify('disable') };
const requiredBy = (table: Record<string, Set<string>>, importer: string, spec: string): boolean =>
  Object.entries(table).some(([pkg, specs]) => specs.has(spec) && importer.includes(`${path.sep}node_modules${path.sep}${pkg}${path.sep}`));
const unusedBy = (importer: string, spec: string) => requiredBy(UNUSED, importer, spec);

const BUILTINS = new Set(builtinModules);
/** A file the build writes beside a program (scripts/build-schemas.ts: ERRORS_FILE), required by path. */
const isOwnFile = (spec: string) => spec.startsWith('./');
const isBuiltin = (spec: string) => spec.startsWith('node:') || BUILTINS.has(spec) || BUILTINS.has(spec.split('/')[0]);

/**
 * Node's built-ins taken by require() in the output, never by an ES module import (issue 10).
 * The ESM face of a built-in reads every export when it is linked: on Node 22 and 24 (the
 * runtime the packages carry) node:http's lazy WebSocket, CloseEvent and MessageEvent load
 * undici, 13 MB resident for a fetch client nothing here uses; node:fs's promises and node:util's
 * getters cost 2-3 MB more. An import of a built-in becomes a CommonJS stand-in
 * (module.exports = require(...)), which esbuild reads property by property where it is used, so
 * a getter runs only if our code asks for it. The bundles' banner defines require().
 */
const builtinsByRequire: esbuild.Plugin = {
  name: 'shubbak-builtins-by-require',
  setup(build) {
    build.onResolve({ filter: /^(node:)?[a-z_/]+$/ }, (args) => {
      if (!isBuiltin(args.path) || (args.kind !== 'import-statement' && args.kind !== 'dynamic-import')) return undefined;
      return { path: args.path.startsWith('node:') ? args.path : `node:${args.path}`, namespace: 'builtin-by-require' };
    });
    build.onLoad({ filter: /.*/, namespace: 'builtin-by-require' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};

/** Self-contained programs: bundle every package but SELF_CONTAINED_EXTERNAL; stand-ins for UNUSED and ABSENT requires. */
const selfContained: esbuild.Plugin = {
  name: 'shubbak-self-contained',
  setup(build) {
    build.onResolve({ filter: /.*/ }, async (args) => {
      if (unusedBy(args.importer, args.path)) return { path: args.path, namespace: 'unused' };
      if (args.namespace !== 'lazy' && requiredBy(LAZY, args.importer, args.path)) {
        const real = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, namespace: 'lazy' });
        if (real.errors.length > 0) return { errors: real.errors };
        return { path: real.path, namespace: 'lazy' };
      }
      if (args.path.startsWith('.') || args.path.startsWith('/')) return undefined;
      if (ABSENT.has(args.path)) return { path: args.path, namespace: 'absent' };
      if (isBuiltin(args.path)) return undefined;
      if (SELF_CONTAINED_EXTERNAL.has(packageName(args.path))) return { path: args.path, external: true };
      return undefined;
    });
    build.onLoad({ filter: /.*/, namespace: 'unused' }, (args) => ({
      contents: `const fail = function () { throw new Error(${JSON.stringify(`${args.path} is not in this program (scripts/build.ts, UNUSED)`)}); };
module.exports = new Proxy(fail, { get: (t, k) => (k === '__esModule' || typeof k === 'symbol' ? undefined : fail), apply: fail, construct: fail });`,
      loader: 'js',
    }));
    build.onLoad({ filter: /.*/, namespace: 'lazy' }, (args) => ({
      contents: `let real;
const load = () => (real ??= require(${JSON.stringify(args.path)}));
module.exports = new Proxy({}, { get: (_, k) => (k === '__esModule' || typeof k === 'symbol' ? undefined : (...a) => load()[k](...a)) });`,
      resolveDir: path.dirname(args.path),
      loader: 'js',
    }));
    build.onLoad({ filter: /.*/, namespace: 'absent' }, (args) => ({
      contents: `throw Object.assign(new Error(${JSON.stringify(`Cannot find module '${args.path}'`)}), { code: 'MODULE_NOT_FOUND' });`,
      loader: 'js',
    }));
  },
};

/** Keep root-installed third-party packages external; bundle our workspaces and anything npm nested in one. */
const externals: esbuild.Plugin = {
  name: 'shubbak-externals',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === 'inner' || isBuiltin(args.path) || args.path.startsWith('@shubbak/')) return undefined;
      if (BUNDLED.has(packageName(args.path))) return undefined;
      const r = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'inner' });
      if (r.errors.length > 0) return { errors: r.errors };
      const rel = r.path.startsWith(ROOT_MODULES) ? r.path.slice(ROOT_MODULES.length) : null;
      // At the root of node_modules (not nested under a workspace or another package): external.
      if (rel !== null && !rel.split(path.sep).slice(packageName(args.path).split('/').length).includes('node_modules')) {
        return { path: args.path, external: true };
      }
      return { path: r.path };
    });
  },
};

export type BuildResult = {
  outdir: string; externals: string[]; files: number; bytes: number;
  /** Per program (its name), the packages it loads from node_modules when it starts: the static imports of its file and of the chunks those import, not what a dynamic import() loads later. */
  atStart: Record<string, string[]>;
  /** Per program (its name), the files of packages its bundle carries (esbuild's inputs under node_modules/, relative to the root). */
  bundled: Record<string, string[]>;
};

/** The packages an output file loads at start: its static imports, followed through our own chunks. */
function packagesAtStart(metafile: esbuild.Metafile, file: string): string[] {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (f: string) => {
    if (seen.has(f)) return;
    seen.add(f);
    for (const imp of metafile.outputs[f]?.imports ?? []) {
      if (imp.kind === 'dynamic-import') continue;
      if (!imp.external) visit(imp.path);
      else if (!isBuiltin(imp.path) && !isOwnFile(imp.path)) packages.add(packageName(imp.path));
    }
  };
  visit(file);
  return [...packages].sort();
}

export async function build(outdir: string): Promise<BuildResult> {
  fs.rmSync(outdir, { recursive: true, force: true });
  const external = new Set<string>();
  const atStart: Record<string, string[]> = {};
  const bundled: Record<string, string[]> = {};
  const noTypebox = typeboxFree();
  const target = 'node20.19';
  for (const p of PROGRAMS) {
    const result = await esbuild.build({
      absWorkingDir: ROOT,
      entryPoints: { [path.basename(p.out, '.js')]: path.join(ROOT, p.entry) },
      outdir: path.join(outdir, path.dirname(p.out)),
      // A dynamic import() stays lazy: what it loads (and the packages it imports) goes into a
      // chunk beside the program that is read only when asked for — the keypad does not load
      // the simulated printer's canvas, the hub not the simulator (issue 10: memory). Chunks
      // sit in the program's own folder, so their import.meta.url finds the same files.
      splitting: true,
      entryNames: '[name]',
      chunkNames: '[name]-[hash]',
      bundle: true,
      platform: 'node',
      format: 'esm',
      target,
      sourcemap: 'linked',
      // Every program is minified in whitespace and syntax (names kept: stack traces still name
      // our functions; the source map beside says where): its source text stays in the heap.
      // The hub's source carried our comments, Arabic among them, and one non-ASCII character
      // makes V8 hold the whole file as two-byte text: 1.9 MB of heap for 1 MB of code, 1 MB
      // once minified (issue 10: memory; bench --only=memory). Bundling the hub's packages too
      // was measured and left: loaded eagerly in one file they cost more than from node_modules.
      minifyWhitespace: true,
      minifySyntax: true,
      legalComments: 'none',
      define: { SHUBBAK_BUNDLE_ENTRY: JSON.stringify(p.name), ...(p.self ? SELF_CONTAINED_DEFINE : {}) },
      // CommonJS code we bundle (a nested package) may require() node's own modules.
      banner: { js: "import { createRequire as __shubbakCreateRequire } from 'node:module'; const require = __shubbakCreateRequire(import.meta.url);" },
      plugins: p.self ? [builtinsByRequire, noTypebox, selfContained] : [builtinsByRequire, externals],
      metafile: true,
      logLevel: 'warning',
    });
    for (const out of Object.values(result.metafile.outputs)) {
      for (const imp of out.imports) if (imp.external && !isBuiltin(imp.path) && !isOwnFile(imp.path)) external.add(packageName(imp.path));
    }
    const main = Object.keys(result.metafile.outputs).find((f) => result.metafile.outputs[f].entryPoint !== undefined && f.endsWith(path.basename(p.out)));
    atStart[p.name] = main ? packagesAtStart(result.metafile, main) : [];
    bundled[p.name] = Object.keys(result.metafile.inputs).filter((f) => f.startsWith('node_modules/')).sort();
    if (p.self) {
      // No typebox in a device program but the one function of typebox/guard its checks call.
      const typebox = bundled[p.name].filter((f) => f.startsWith('node_modules/typebox/') && !f.startsWith('node_modules/typebox/build/guard/'));
      if (typebox.length > 0) throw new Error(`${p.name} bundles typebox (${typebox.slice(0, 3).join(', ')} …): a module builds or checks schemas another way than scripts/build-schemas.ts knows`);
      await writeErrorsFile(path.join(outdir, path.dirname(p.out)), target);
    }
  }
  for (const f of HUB_FILES) fs.cpSync(path.join(ROOT, f.from), path.join(outdir, f.to), { recursive: true });

  // The panels: the same bundle the hub builds in memory from source, written to dist/web.
  const webDir = path.join(outdir, 'web');
  const web = await buildWeb({ outdir: webDir });
  for (const [name, asset] of web) {
    fs.mkdirSync(path.dirname(path.join(webDir, name)), { recursive: true });
    fs.writeFileSync(path.join(webDir, name), asset.body);
  }

  checkRuntimeDependencies([...external]);
  let files = 0;
  let bytes = 0;
  const count = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) count(path.join(dir, e.name));
      else {
        files++;
        bytes += fs.statSync(path.join(dir, e.name)).size;
      }
    }
  };
  count(outdir);
  return { outdir, externals: [...external].sort(), files, bytes, atStart, bundled };
}

/** Every package the built code imports must be one a production install carries (not "dev" in the lock). */
function checkRuntimeDependencies(names: string[]): void {
  const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
  const bad = names.filter((n) => {
    const entry = lock.packages[`node_modules/${n}`];
    return !entry || entry.dev === true;
  });
  if (bad.length > 0) {
    throw new Error(`the built code imports packages a production install (npm ci --omit=dev) lacks: ${bad.join(', ')} — move them to a workspace's dependencies`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const i = process.argv.indexOf('--outdir');
  const outdir = path.resolve(i > 0 ? process.argv[i + 1] : path.join(ROOT, 'dist'));
  const t0 = Date.now();
  const r = await build(outdir);
  console.log(`built ${r.files} files (${(r.bytes / 1024).toFixed(0)} KiB) into ${path.relative(process.cwd(), r.outdir) || '.'} in ${Date.now() - t0} ms`);
  console.log(`run-time packages (from node_modules): ${r.externals.join(', ')}`);
  console.log(`the hub loads at start: ${r.atStart['hub/server'].join(', ')}`);
}
