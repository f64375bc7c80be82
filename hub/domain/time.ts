// Calendar arithmetic in the center's time zone (Africa/Cairo by default). Pure: the zone's
// rules come from hub/tzdata.ts (the system's database) or, failing that, from ICU by Intl.
import type { ZoneRules } from './tzif.ts';

export type Clock = () => number;
export const systemClock: Clock = () => Date.now();

/**
 * Each zone's rules from the system's time zone database, put here at start by hub/tzdata.ts
 * (issue 10: no ICU in the hub's resident memory). A zone not given falls back to ICU through
 * Intl, as every zone did before; the two agree (tests/unit/tzif.test.ts).
 */
const zones = new Map<string, ZoneRules>();

export function useZoneRules(rules: ZoneRules): void {
  zones.set(rules.name, rules);
  lastDay.delete(rules.name);
}

/** The offset of local time from UTC at the instant, in ms (east positive). */
export function zoneOffset(ms: number, timeZone = 'Africa/Cairo'): number {
  const rules = zones.get(timeZone);
  return rules ? rules.offsetAt(ms) : intlOffset(ms, timeZone);
}

const partFormatters = new Map<string, Intl.DateTimeFormat>();

function intlOffset(ms: number, timeZone: string): number {
  let f = partFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', hourCycle: 'h23',
    });
    partFormatters.set(timeZone, f);
  }
  const p: Record<string, number> = {};
  for (const { type, value } of f.formatToParts(ms)) p[type] = Number(value);
  const whole = ms - (((ms % 1000) + 1000) % 1000);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - whole;
}

/**
 * The last day computed per zone, by the minute it was computed for: a local day starts on a
 * whole minute in every zone (offsets are whole minutes), so every instant of one UTC minute
 * falls on the same local day. Each device command asks several times (issue 16 item 3).
 */
const lastDay = new Map<string, { minute: number; day: string }>();

/** The local calendar day of an instant, 'YYYY-MM-DD', in the given zone. */
export function localDay(ms: number, timeZone = 'Africa/Cairo'): string {
  const minute = Math.floor(ms / 60_000);
  const last = lastDay.get(timeZone);
  if (last && last.minute === minute) return last.day;
  if (!Number.isFinite(ms)) throw new RangeError('Invalid time value');
  const d = new Date(ms + zoneOffset(ms, timeZone));
  const day = `${String(d.getUTCFullYear()).padStart(4, '0')}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;
  lastDay.set(timeZone, { minute, day });
  return day;
}

/** Local wall-clock parts of an instant in the zone. */
export function localParts(ms: number, timeZone = 'Africa/Cairo'): { year: number; month: number; day: number; hour: number; minute: number; weekday: number } {
  if (!Number.isFinite(ms)) throw new RangeError('Invalid time value');
  const d = new Date(ms + zoneOffset(ms, timeZone));
  return {
    year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(),
    hour: d.getUTCHours(), minute: d.getUTCMinutes(), weekday: d.getUTCDay(),
  };
}

/** The instant of local midnight that starts the given 'YYYY-MM-DD' day in the zone. */
export function startOfLocalDay(day: string, timeZone = 'Africa/Cairo'): number {
  const [y, m, d] = day.split('-').map(Number);
  // Guess UTC midnight, then correct by the zone's offset at that instant (twice, for DST edges).
  let t = Date.UTC(y, m - 1, d);
  for (let i = 0; i < 2; i++) {
    const p = localParts(t, timeZone);
    const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
    t -= asUtc - Date.UTC(y, m - 1, d);
  }
  return t;
}
