// The panels' bundle as the hub serves it (/assets/*): a map from URL path to bytes.
// Run from source (npm start, tests), the hub builds it in memory with esbuild at start
// (hub/web/build.ts), so a fresh clone needs no build step. The built hub (dist/hub/server.js,
// scripts/build.ts) reads the prebuilt files from dist/web/ instead and never loads esbuild,
// which production installs do not carry (npm ci --omit=dev).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Set by esbuild's `define` in scripts/build.ts; absent when running from source. */
declare const SHUBBAK_BUNDLE_ENTRY: string | undefined;

export type WebAsset = { body: Uint8Array; contentType: string; etag: string };
/** URL path under /assets/ → file. */
export type WebBundle = Map<string, WebAsset>;

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.map': 'application/json',
};

export function contentTypeOf(file: string): string {
  return TYPES[path.extname(file)] ?? 'application/octet-stream';
}

/** Every file under `dir` (the output of `npm run build`), keyed by its path relative to `dir`. */
export function loadWebBundle(dir: string): WebBundle {
  const bundle: WebBundle = new Map();
  const walk = (sub: string) => {
    for (const e of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = sub ? `${sub}/${e.name}` : e.name;
      if (e.isDirectory()) walk(rel);
      else if (e.isFile()) {
        const body = fs.readFileSync(path.join(dir, rel));
        const etag = `"${crypto.createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
        bundle.set(rel, { body, contentType: contentTypeOf(rel), etag });
      }
    }
  };
  walk('');
  if (!bundle.has('app.js') || !bundle.has('styles.css')) throw new Error(`the panels' bundle in ${dir} is incomplete (run npm run build)`);
  return bundle;
}

/** Where the built hub finds the prebuilt panels: dist/web beside dist/hub. */
export function prebuiltWebDir(): string {
  return path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'web');
}

let cached: Promise<WebBundle> | null = null;
/** One bundle per process: every hub a test starts serves the same one. */
export function webBundle(): Promise<WebBundle> {
  cached ??= (async () => {
    // The typeof test is folded by esbuild, so the built hub carries no reference to build.ts.
    if (typeof SHUBBAK_BUNDLE_ENTRY === 'undefined') {
      const { buildWeb } = await import('./build.ts');
      return buildWeb();
    }
    return loadWebBundle(prebuiltWebDir());
  })().catch((err) => {
    cached = null;
    throw err;
  });
  return cached;
}
