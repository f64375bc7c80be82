// The system's time zone database: the one place the hub reads /usr/share/zoneinfo (or $TZDIR,
// as glibc does). The center's zone is read once at start and handed to hub/domain/time.ts, so
// the hub tells local time without ICU (issue 10: ~8 MB resident). Debian and Raspberry Pi OS
// keep this database current through the tzdata package, which the hub's package depends on.
// A zone that is not there (a machine without tzdata) falls back to ICU through Intl.
import fs from 'node:fs';
import path from 'node:path';
import { parseTzif, type ZoneRules } from './domain/tzif.ts';
import { useZoneRules } from './domain/time.ts';

// IANA names: Area/Location[/Sub], letters, digits, '_', '+', '-'; never '.' or '..'.
const ZONE_NAME = /^[A-Za-z0-9_+-]+(\/[A-Za-z0-9_+-]+)*$/;

/** The zone's rules from the system's database, or undefined when it has no such file. */
export function systemZone(name: string, env: NodeJS.ProcessEnv = process.env): ZoneRules | undefined {
  if (!ZONE_NAME.test(name)) return undefined;
  const file = path.join(env.TZDIR || '/usr/share/zoneinfo', name);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    return undefined;
  }
  return parseTzif(name, bytes); // a damaged file is an error, not a silent fallback
}

/** Whether ICU knows the zone (the fallback's check; loads ICU's data). */
function icuKnows(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/**
 * Check the zone and make it the one time.ts uses: from the system's database when it has the
 * zone, else from ICU. Returns where the rules come from; throws when neither knows the zone.
 */
export function installZone(name: string, env: NodeJS.ProcessEnv = process.env): 'tzdata' | 'icu' {
  const rules = systemZone(name, env);
  if (rules) {
    useZoneRules(rules);
    return 'tzdata';
  }
  if (icuKnows(name)) return 'icu';
  throw new RangeError(`unknown time zone "${name}"`);
}
