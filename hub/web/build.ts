// Bundles the panels (Lit + TypeScript) and their stylesheet and fonts with esbuild.
// Run from source, the hub builds in memory at start (hub/web/bundle.ts: a fresh clone needs
// no build step, and concurrent hubs never race on files); `npm run build` writes the same
// output to dist/web for the built hub (scripts/build.ts), `npm run build:web` to hub/web/dist.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { contentTypeOf, type WebAsset, type WebBundle } from './bundle.ts';

export type { WebAsset, WebBundle };

const here = path.dirname(fileURLToPath(import.meta.url));
export const WEB_SRC = path.join(here, 'src');

export async function buildWeb(opts: { outdir?: string; minify?: boolean } = {}): Promise<WebBundle> {
  const outdir = opts.outdir ?? path.join(here, 'dist');
  const result = await esbuild.build({
    // `ticket`: the phone's live ticket page (/t/<token>), its own tiny bundle (ticket.js + ticket.css);
    // `book`: the public booking page (/book, issue 14 item 3), styled by ticket.css too.
    entryPoints: { app: path.join(WEB_SRC, 'main.ts'), styles: path.join(WEB_SRC, 'styles', 'page.css'), ticket: path.join(WEB_SRC, 'pages', 'ticket-page.ts'), book: path.join(WEB_SRC, 'pages', 'booking-page.ts') },
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
    bundle.set(rel, { body: f.contents, contentType: contentTypeOf(rel), etag: `"${f.hash}"` });
  }
  return bundle;
}
