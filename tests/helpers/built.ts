// Runs the built JavaScript (scripts/build.ts) as production does: plain `node dist/...`,
// no tsx, beside a node_modules that holds only what `npm ci --omit=dev` installs. The
// build goes to a temp dir whose node_modules links each production package of the lock
// (tsx, esbuild, typescript … are absent), so an import of a dev dependency fails there as
// it would on a center's machine. The real clean install is scripts/production-install.sh.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from '../../scripts/build.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export type BuiltTree = { dir: string; dist: string; remove(): void; /** Per program, the packages it loads from node_modules at start (scripts/build.ts). */ atStart: Record<string, string[]>;
  /** Per program, the files of packages its bundle carries (scripts/build.ts). */ bundled: Record<string, string[]> };

/** Build into <tmp>/dist beside a production-only <tmp>/node_modules. */
export async function buildIntoTemp(): Promise<BuiltTree> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shubbak-built-'));
  const dist = path.join(dir, 'dist');
  const { atStart, bundled } = await build(dist);
  const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean; link?: boolean }> };
  for (const [key, entry] of Object.entries(lock.packages)) {
    if (!key.startsWith('node_modules/') || key.indexOf('/node_modules/', 1) >= 0 || entry.dev || entry.link) continue;
    const name = key.slice('node_modules/'.length);
    const real = path.join(ROOT, key);
    if (!fs.existsSync(real)) continue; // an optional package for another platform
    fs.mkdirSync(path.dirname(path.join(dir, key)), { recursive: true });
    fs.symlinkSync(real, path.join(dir, 'node_modules', name));
  }
  for (const dev of ['tsx', 'esbuild', 'typescript']) {
    if (fs.existsSync(path.join(dir, 'node_modules', dev))) throw new Error(`${dev} is not a dev dependency any more?`);
  }
  return { dir, dist, atStart, bundled, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** An environment without the test runner's loader options (NODE_OPTIONS=--import tsx …). */
export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const k of ['PATH', 'HOME', 'LANG', 'TZ']) if (process.env[k] !== undefined) env[k] = process.env[k];
  return { ...env, ...extra };
}

export type BuiltProcess = {
  child: ChildProcess;
  /** Everything it wrote so far, stdout and stderr. */
  output(): string;
  /** Resolves with the first match of re in its output. */
  waitFor(re: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** SIGTERM, then the exit code (SIGKILL after 15 s). */
  stop(): Promise<number | null>;
};

/** `node [flags] <file>` with only the given environment; no --import, no tsx. Flags: a unit's (unitNodeFlags), as installed. */
export function runBuilt(file: string, env: NodeJS.ProcessEnv, cwd: string, nodeFlags: string[] = []): BuiltProcess {
  const child = spawn(process.execPath, [...nodeFlags, file], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const listeners = new Set<() => void>();
  const onData = (b: Buffer) => {
    out += b.toString();
    for (const l of listeners) l();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => {
    for (const l of listeners) l();
    resolve(code);
  }));
  return {
    child,
    output: () => out,
    waitFor(re, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = out.match(re);
          if (m) return done(() => resolve(m));
          if (child.exitCode !== null || child.signalCode !== null) done(() => reject(new Error(`${path.basename(file)} exited (${child.exitCode ?? child.signalCode}) before ${re}:\n${out}`)));
        };
        const timer = setTimeout(() => done(() => reject(new Error(`no ${re} from ${file} within ${timeoutMs} ms:\n${out}`))), timeoutMs);
        const done = (f: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          f();
        };
        listeners.add(check);
        check();
      });
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const code = await exited;
      clearTimeout(kill);
      return code;
    },
  };
}
