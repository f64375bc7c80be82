// Bundles the panels (Lit + TypeScript) and their stylesheet and fonts with esbuild.
// The hub builds in memory at start (a fresh clone needs no build step, and concurrent
// hubs never race on files); scripts/build-web.ts writes the same output to hub/web/dist.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
export const WEB_SRC = path.join(here, 'src');

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

export async function buildWeb(opts: { outdir?: string; minify?: boolean } = {}): Promise<WebBundle> {
  const outdir = opts.outdir ?? path.join(here, 'dist');
  const result = await esbuild.build({
    entryPoints: { app: path.join(WEB_SRC, 'main.ts'), styles: path.join(WEB_SRC, 'styles', 'page.css') },
    bundle: true,
    format: 'esm',
    target: ['chrome100', 'firefox100', 'safari15'],
    minify: opts.minify ?? true,
    sourcemap: false,
    legalComments: 'none',
    outdir,
    entryNames: '[name]',
    // The TV and status pages load only their own code: the staff panels (and the charts
    // of the reports) come in a chunk that only the shell imports.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    assetNames: 'fonts/[name]-[hash]',
    loader: { '.woff2': 'file', '.woff': 'file' },
    write: false,
    logLevel: 'silent',
  });
  const bundle: WebBundle = new Map();
  for (const f of result.outputFiles ?? []) {
    const rel = path.relative(outdir, f.path).split(path.sep).join('/');
    bundle.set(rel, { body: f.contents, contentType: TYPES[path.extname(rel)] ?? 'application/octet-stream', etag: `"${f.hash}"` });
  }
  return bundle;
}

let cached: Promise<WebBundle> | null = null;
/** One build per process: every hub a test starts serves the same bundle. */
export function webBundle(): Promise<WebBundle> {
  cached ??= buildWeb().catch((err) => {
    cached = null;
    throw err;
  });
  return cached;
}
