// npm run build:web — writes the panels' bundle to hub/web/dist (for inspection, or to
// serve from another web server) and prints its size. The hub itself does not need this:
// it builds the same bundle in memory when it starts (hub/web/build.ts).
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildWeb } from '../hub/web/build.ts';

const outdir = path.resolve('hub/web/dist');
const bundle = await buildWeb({ outdir });
fs.rmSync(outdir, { recursive: true, force: true });
let total = 0;
let totalGz = 0;
for (const [name, asset] of [...bundle].sort()) {
  const file = path.join(outdir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, asset.body);
  const gz = gzipSync(asset.body).length;
  total += asset.body.length;
  totalGz += gz;
  if (!name.endsWith('.woff')) console.log(`${name.padEnd(48)} ${(asset.body.length / 1024).toFixed(1).padStart(8)} KiB  gzip ${(gz / 1024).toFixed(1).padStart(7)} KiB`);
}
console.log(`${bundle.size} files in ${path.relative(process.cwd(), outdir)}: ${(total / 1024).toFixed(1)} KiB, gzip ${(totalGz / 1024).toFixed(1)} KiB (woff fallbacks included, not listed)`);
