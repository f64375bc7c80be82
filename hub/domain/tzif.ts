// A time zone's rules read from the system's time zone database (TZif files, RFC 8536), so the
// hub tells Cairo's wall clock without ICU. Why: the first Intl.DateTimeFormat with a time zone
// maps ~8 MB of ICU data into the hub's resident memory (6.5 MB of node's file pages, 1.6 MB of
// heap), a tenth of issue 10's idle goal, for what is one offset lookup a command. The system's
// database is also the one the operating system keeps current (Debian's tzdata package), which
// matters in a country that has changed its daylight-saving rules three times since 2010.
// Pure: bytes in, rules out; hub/tzdata.ts reads the file.
//
// RFC 8536 §3: a v1 header and data block with 32-bit times, then (version 2 and later) a second
// header and data block with 64-bit times, then a footer: a POSIX TZ string (§3.3) for instants
// after the last transition. Times before the first transition take the first local time type.

export interface ZoneRules {
  /** The zone's name, e.g. 'Africa/Cairo'. */
  readonly name: string;
  /** The offset of local time from UTC at the instant, in milliseconds (east positive). */
  offsetAt(utcMs: number): number;
}

export class TzifError extends Error {
  constructor(zone: string, why: string) {
    super(`time zone ${zone}: ${why}`);
    this.name = 'TzifError';
  }
}

const HEADER = 44;

/** Parse a TZif file (versions 1 to 4) into the zone's offset rules. */
export function parseTzif(name: string, bytes: Uint8Array): ZoneRules {
  const fail = (why: string): never => {
    throw new TzifError(name, why);
  };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const header = (at: number) => {
    if (bytes.byteLength < at + HEADER) fail('the file is truncated');
    if (view.getUint32(at) !== 0x545a6966) fail('not a TZif file'); // "TZif"
    const c = (i: number) => view.getUint32(at + 20 + 4 * i);
    return { version: bytes[at + 4], isutcnt: c(0), isstdcnt: c(1), leapcnt: c(2), timecnt: c(3), typecnt: c(4), charcnt: c(5) };
  };
  const v1 = header(0);
  const v1Size = v1.timecnt * 5 + v1.typecnt * 6 + v1.charcnt + v1.leapcnt * 8 + v1.isstdcnt + v1.isutcnt;
  // Version 2+: skip the 32-bit block, read the 64-bit one and the footer.
  const wide = v1.version >= 0x32;
  const h = wide ? header(HEADER + v1Size) : v1;
  const timeSize = wide ? 8 : 4;
  if (h.typecnt === 0) fail('no local time types');
  if (h.leapcnt !== 0) fail('leap-second ("right/") zones are not supported');
  let at = (wide ? 2 * HEADER + v1Size : HEADER);
  const size = h.timecnt * (timeSize + 1) + h.typecnt * 6 + h.charcnt + h.leapcnt * (timeSize + 4) + h.isstdcnt + h.isutcnt;
  if (bytes.byteLength < at + size) fail('the file is truncated');

  const times = new Float64Array(h.timecnt);
  for (let i = 0; i < h.timecnt; i++, at += timeSize) times[i] = wide ? Number(view.getBigInt64(at)) : view.getInt32(at);
  const typeOf = bytes.subarray(at, at + h.timecnt);
  at += h.timecnt;
  const offsets: number[] = [];
  for (let i = 0; i < h.typecnt; i++, at += 6) offsets.push(view.getInt32(at));
  for (let i = 0; i < h.timecnt; i++) {
    if (typeOf[i] >= h.typecnt) fail(`transition ${i} names local time type ${typeOf[i]} of ${h.typecnt}`);
    if (i > 0 && times[i] <= times[i - 1]) fail('transition times are not ascending');
  }
  at += h.charcnt + h.isstdcnt + h.isutcnt;

  let footer: ((utcMs: number) => number) | undefined;
  if (wide) {
    if (bytes[at] !== 0x0a) fail('the footer is missing');
    const end = bytes.indexOf(0x0a, at + 1);
    if (end < 0) fail('the footer is not terminated');
    const tz = new TextDecoder().decode(bytes.subarray(at + 1, end));
    if (tz !== '') {
      try {
        footer = posixTz(tz);
      } catch (err) {
        fail(`footer "${tz}": ${(err as Error).message}`);
      }
    }
  }
  const last = h.timecnt ? times[h.timecnt - 1] : -Infinity;

  return {
    name,
    offsetAt(utcMs: number): number {
      const t = Math.floor(utcMs / 1000);
      if (footer && t >= last) return footer(utcMs);
      if (h.timecnt === 0 || t < times[0]) return offsets[0] * 1000;
      // The last transition at or before t.
      let lo = 0;
      let hi = h.timecnt - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (times[mid] <= t) lo = mid;
        else hi = mid - 1;
      }
      return offsets[typeOf[lo]] * 1000;
    },
  };
}

// ---- POSIX TZ strings (POSIX.1-2017 §8.3, with RFC 8536 §3.3.1's extension: a rule's time
// may be negative or up to 167 hours) ----

type Rule =
  | { kind: 'J'; day: number; time: number }
  | { kind: 'n'; day: number; time: number }
  | { kind: 'M'; month: number; week: number; weekday: number; time: number };

/** The offset function of a POSIX TZ string such as 'EET-2EEST,M4.5.5/0,M10.5.4/24'. */
export function posixTz(tz: string): (utcMs: number) => number {
  let i = 0;
  const err = (why: string): never => {
    throw new Error(`${why} at character ${i + 1}`);
  };
  const name = () => {
    if (tz[i] === '<') {
      const end = tz.indexOf('>', i);
      if (end < 0) err('unterminated <name>');
      i = end + 1;
      return;
    }
    const start = i;
    while (i < tz.length && /[A-Za-z]/.test(tz[i])) i++;
    if (i - start < 3) err('a zone abbreviation of at least 3 letters expected');
  };
  /** [+-]hh[:mm[:ss]] in seconds. */
  const hms = (maxHours: number) => {
    let sign = 1;
    if (tz[i] === '+' || tz[i] === '-') sign = tz[i++] === '-' ? -1 : 1;
    const part = () => {
      const m = /^\d{1,3}/.exec(tz.slice(i));
      if (!m) err('a number expected');
      i += m![0].length;
      return Number(m![0]);
    };
    let s = part() * 3600;
    if (s > maxHours * 3600) err(`more than ${maxHours} hours`);
    if (tz[i] === ':') { i++; s += part() * 60; }
    if (tz[i] === ':') { i++; s += part(); }
    return sign * s;
  };
  const rule = (): Rule => {
    let r: Rule;
    if (tz[i] === 'M') {
      const m = /^M(\d{1,2})\.(\d)\.(\d)/.exec(tz.slice(i));
      if (!m) err('Mm.w.d expected');
      i += m![0].length;
      r = { kind: 'M', month: Number(m![1]), week: Number(m![2]), weekday: Number(m![3]), time: 7200 };
      if (r.month < 1 || r.month > 12 || r.week < 1 || r.week > 5 || r.weekday > 6) err('Mm.w.d out of range');
    } else {
      const julian = tz[i] === 'J';
      if (julian) i++;
      const m = /^\d{1,3}/.exec(tz.slice(i));
      if (!m) err('a day rule expected');
      i += m![0].length;
      const day = Number(m![0]);
      if (julian ? day < 1 || day > 365 : day > 365) err('day out of range');
      r = julian ? { kind: 'J', day, time: 7200 } : { kind: 'n', day, time: 7200 };
    }
    if (tz[i] === '/') { i++; r.time = hms(167); }
    return r;
  };

  name();
  const std = 0 - hms(24); // POSIX offsets are west-positive (0 - x: never -0)
  if (i === tz.length) return () => std * 1000;
  name();
  let dst = std + 3600;
  if (tz[i] !== ',' && i < tz.length) dst = 0 - hms(24);
  if (tz[i] !== ',') err('daylight saving time without rules');
  i++;
  const start = rule();
  if (tz[i] !== ',') err('an end rule expected');
  i++;
  const end = rule();
  if (i !== tz.length) err('unexpected text');

  // A rule's instant in a year: its local date at 00:00 UTC plus its time, less the offset in
  // force when it happens (standard time for the start, daylight time for the end).
  const at = (r: Rule, year: number, offset: number) => (ruleDay(r, year) + r.time - offset) * 1000;
  return (utcMs: number) => {
    const year = new Date(utcMs + std * 1000).getUTCFullYear();
    for (let y = year - 1; y <= year + 1; y++) {
      const s = at(start, y, std);
      const e = at(end, y, dst);
      // Northern (start before end in the year) or southern (daylight time runs over New Year).
      const until = s < e ? e : at(end, y + 1, dst);
      if (utcMs >= s && utcMs < until) return dst * 1000;
    }
    return std * 1000;
  };
}

/** Seconds from 1970 to 00:00 (UTC-based) of the rule's day in the year. */
function ruleDay(r: Rule, year: number): number {
  const jan1 = Date.UTC(year, 0, 1) / 1000;
  if (r.kind === 'n') return jan1 + r.day * 86400; // zero-based, counting 29 February
  if (r.kind === 'J') {
    // One-based, 29 February never counted: J60 is 1 March every year.
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    return jan1 + (r.day - 1 + (leap && r.day >= 60 ? 1 : 0)) * 86400;
  }
  const first = Date.UTC(year, r.month - 1, 1);
  const firstWeekday = new Date(first).getUTCDay();
  let day = 1 + ((r.weekday - firstWeekday + 7) % 7) + (r.week - 1) * 7;
  const days = new Date(Date.UTC(year, r.month, 0)).getUTCDate();
  while (day > days) day -= 7; // week 5: the last such weekday of the month
  return first / 1000 + (day - 1) * 86400;
}
