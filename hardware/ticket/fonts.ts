// The Cairo faces from @fontsource/cairo, registered once with Skia (@napi-rs/canvas): the
// Arabic subset for the ticket's text and the Latin subset for digits and letters (the
// Arabic subset has no Latin digits, so both sit in one font stack).
import { createRequire } from 'node:module';
import path from 'node:path';
import { GlobalFonts } from '@napi-rs/canvas';

export const FAMILY_AR = 'Shubbak Cairo Arabic';
export const FAMILY_LATIN = 'Shubbak Cairo Latin';
let loaded = false;

export function loadFonts(): void {
  if (loaded) return;
  const require = createRequire(import.meta.url);
  const dir = path.join(path.dirname(require.resolve('@fontsource/cairo/package.json')), 'files');
  // woff2 loads in @napi-rs/canvas (Skia decodes it); @fontsource ships only woff/woff2.
  for (const weight of [400, 700, 800]) {
    GlobalFonts.registerFromPath(path.join(dir, `cairo-arabic-${weight}-normal.woff2`), FAMILY_AR);
    GlobalFonts.registerFromPath(path.join(dir, `cairo-latin-${weight}-normal.woff2`), FAMILY_LATIN);
  }
  loaded = true;
}
