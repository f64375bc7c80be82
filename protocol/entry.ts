// "Is this module the program that was started?" — the check every device program (and
// the hall's clip maker) makes before it starts itself. Run from source (tsx), the module's
// URL is compared with the file node was given. In a built bundle (scripts/build.ts) every
// module shares the bundle's URL, so that comparison would start every program the bundle
// contains (display/main.js carries display/audio.ts, the simulator's child carries all four
// programs); the build names each bundle's entry in SHUBBAK_BUNDLE_ENTRY instead, and the
// bundle must still be the file node was given: a built program imported by another
// (the bench runs each one alone and drives it) does not start itself.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** Set by esbuild's `define` in scripts/build.ts; absent when running from source. */
declare const SHUBBAK_BUNDLE_ENTRY: string | undefined;

/** The entry this bundle was built for ('kiosk/main', …), or null when running from source. */
export const BUNDLE_ENTRY: string | null = typeof SHUBBAK_BUNDLE_ENTRY !== 'undefined' ? SHUBBAK_BUNDLE_ENTRY : null;

/**
 * True when this module is the program node was asked to run.
 * @param moduleUrl the caller's `import.meta.url`
 * @param name the caller's path from the repository root without extension, e.g. 'kiosk/main'
 */
export function isProgramEntry(moduleUrl: string, name: string): boolean {
  if (BUNDLE_ENTRY !== null && BUNDLE_ENTRY !== name) return false;
  const argv1 = process.argv[1];
  if (!argv1) return false;
  if (moduleUrl === pathToFileURL(path.resolve(argv1)).href) return true;
  try {
    return moduleUrl === pathToFileURL(fs.realpathSync(argv1)).href; // node runs a symlinked program by its real path
  } catch {
    return false;
  }
}
