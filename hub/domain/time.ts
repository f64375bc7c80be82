// Calendar arithmetic in the center's time zone (Africa/Cairo by default). Pure.

export type Clock = () => number;
export const systemClock: Clock = () => Date.now();

const dayFormatters = new Map<string, Intl.DateTimeFormat>();

/**
 * The last day computed per zone, by the minute it was computed for: a local day starts on a
 * whole minute in every zone (offsets are whole minutes), so every instant of one UTC minute
 * falls on the same local day. Each device command asks several times (a few µs per Intl
 * format; issue 16 item 3).
 */
const lastDay = new Map<string, { minute: number; day: string }>();

/** The local calendar day of an instant, 'YYYY-MM-DD', in the given zone. */
export function localDay(ms: number, timeZone = 'Africa/Cairo'): string {
  const minute = Math.floor(ms / 60_000);
  const last = lastDay.get(timeZone);
  if (last && last.minute === minute) return last.day;
  let f = dayFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormatters.set(timeZone, f);
  }
  const day = f.format(ms);
  if (Number.isFinite(minute)) lastDay.set(timeZone, { minute, day });
  return day;
}

const partFormatters = new Map<string, Intl.DateTimeFormat>();

/** Local wall-clock parts of an instant in the zone. */
export function localParts(ms: number, timeZone = 'Africa/Cairo'): { year: number; month: number; day: number; hour: number; minute: number; weekday: number } {
  let f = partFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', hourCycle: 'h23', weekday: 'short',
    });
    partFormatters.set(timeZone, f);
  }
  const p: Record<string, string> = {};
  for (const { type, value } of f.formatToParts(ms)) p[type] = value;
  const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  return {
    year: Number(p.year), month: Number(p.month), day: Number(p.day),
    hour: Number(p.hour), minute: Number(p.minute), weekday: weekdays.indexOf(p.weekday),
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
