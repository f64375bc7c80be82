// The zone rules read from the system's time zone database (hub/domain/tzif.ts, hub/tzdata.ts)
// against ICU's (Intl), which the hub used before (issue 10: ICU's data is ~8 MB resident).
// The two databases are separate copies of the IANA data, so they are compared where both
// agree on the rules: Cairo and zones that exercise every part of the format — southern
// daylight time, half-hour and 45-minute offsets, negative daylight time (Dublin), a rule time
// below zero (Nuuk) or at 24:00 (Cairo), no daylight time, and the POSIX footer for the years
// after the last transition in the file.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseTzif, posixTz, TzifError } from '../../hub/domain/tzif.ts';
import { localDay, localParts, startOfLocalDay, useZoneRules, zoneOffset } from '../../hub/domain/time.ts';
import { installZone, systemZone } from '../../hub/tzdata.ts';

const HOUR = 3_600_000;

/** ICU's offset of the zone at an instant, in ms (one formatter per zone: it is asked a lot). */
function icuOffsets(timeZone: string): (ms: number) => number {
  const f = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', hourCycle: 'h23' });
  return (ms: number) => {
    const p = Object.fromEntries(f.formatToParts(ms).map((x) => [x.type, Number(x.value)]));
    return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - (ms - (ms % 1000));
  };
}

/**
 * Offsets compared every `step` from `from` to `to`; where ICU's offset changes between two
 * samples, the change is found to the minute and both sides of it are compared too.
 */
function compare(offsetAt: (ms: number) => number, zone: string, from: number, to: number, step = 6 * HOUR): number {
  const icu = icuOffsets(zone);
  let transitions = 0;
  let prev = icu(from);
  for (let t = from; t <= to; t += step) {
    const want = icu(t);
    assert.equal(offsetAt(t), want, `${zone} at ${new Date(t).toISOString()}`);
    if (want !== prev) {
      transitions++;
      let lo = t - step; // offset prev
      let hi = t; // offset want
      while (hi - lo > 60_000) {
        const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
        if (icu(mid) === prev) lo = mid;
        else hi = mid;
      }
      assert.equal(offsetAt(hi - 1000), icu(hi - 1000), `${zone} a second before the change at ${new Date(hi).toISOString()}`);
      assert.equal(offsetAt(hi), icu(hi), `${zone} at the change at ${new Date(hi).toISOString()}`);
    }
    prev = want;
  }
  return transitions;
}

const FROM = Date.UTC(2000, 0, 1);
const TO = Date.UTC(2050, 0, 1); // past 2037, where fat files stop listing transitions

describe('zone rules from the system tz database agree with ICU', () => {
  for (const zone of ['Africa/Cairo', 'Europe/London', 'America/New_York', 'Australia/Sydney', 'Australia/Lord_Howe', 'Europe/Dublin', 'America/Nuuk', 'Pacific/Chatham', 'Asia/Tehran', 'Asia/Kolkata', 'UTC']) {
    test(zone, () => {
      const rules = systemZone(zone);
      assert.ok(rules, `${zone} is in /usr/share/zoneinfo (Debian's tzdata)`);
      const changes = compare((ms) => rules.offsetAt(ms), zone, FROM, TO);
      if (zone === 'Africa/Cairo') assert.ok(changes >= 2 * 20, `Cairo changes its clocks twice a year again since 2023 (${changes} changes seen)`);
    });
  }

  test('the POSIX rule alone (the footer a slim file relies on) gives Cairo from 2023 on', () => {
    const cairo = posixTz('EET-2EEST,M4.5.5/0,M10.5.4/24');
    compare(cairo, 'Africa/Cairo', Date.UTC(2023, 5, 1), TO);
    // 2026: daylight time from Friday 24 April 00:00 to the end of Thursday 29 October.
    assert.equal(cairo(Date.UTC(2026, 3, 23, 21, 59)), 2 * HOUR);
    assert.equal(cairo(Date.UTC(2026, 3, 23, 22, 0)), 3 * HOUR);
    assert.equal(cairo(Date.UTC(2026, 9, 29, 20, 59)), 3 * HOUR);
    assert.equal(cairo(Date.UTC(2026, 9, 29, 21, 0)), 2 * HOUR);
  });

  test('POSIX rules of every form: southern, Julian days, zero-based days, angle-bracket names, no daylight time', () => {
    compare(posixTz('AEST-10AEDT,M10.1.0,M4.1.0/3'), 'Australia/Sydney', Date.UTC(2010, 0, 1), TO);
    compare(posixTz('<-02>2<-01>,M3.5.0/-1,M10.5.0/0'), 'America/Nuuk', Date.UTC(2024, 0, 1), TO);
    compare(posixTz('IST-1GMT0,M10.5.0,M3.5.0/1'), 'Europe/Dublin', Date.UTC(2000, 0, 1), TO);
    compare(posixTz('<+0330>-3:30'), 'Asia/Tehran', Date.UTC(2023, 0, 1), TO);
    // J60 is 1 March in every year; 59 (zero-based) is 1 March in a common year, 29 February in a leap year.
    const julian = posixTz('AAA0BBB,J60/0,J300/0');
    assert.equal(julian(Date.UTC(2024, 2, 1) - 1), 0);
    assert.equal(julian(Date.UTC(2024, 2, 1)), HOUR);
    const zeroBased = posixTz('AAA0BBB,59/0,300/0');
    assert.equal(zeroBased(Date.UTC(2024, 1, 29) - 1), 0);
    assert.equal(zeroBased(Date.UTC(2024, 1, 29)), HOUR);
    assert.equal(zeroBased(Date.UTC(2023, 2, 1)), HOUR);
    // Daylight time all year (RFC 8536 §3.3.1's example).
    const always = posixTz('EST5EDT,0/0,J365/25');
    for (const m of [0, 5, 11]) assert.equal(always(Date.UTC(2030, m, 15)), -4 * HOUR);
  });

  test('a slim file (no transitions, only the footer) is read', () => {
    // Version 2: an empty 32-bit block, then one local time type and the footer.
    const header = (typecnt: number, charcnt: number) => {
      const b = Buffer.alloc(44);
      b.write('TZif2', 0, 'latin1');
      b.writeUInt32BE(typecnt, 36);
      b.writeUInt32BE(charcnt, 40);
      return b;
    };
    const ttinfo = Buffer.from([0, 0, 0x1c, 0x20, 0, 0]); // +7200, standard time, abbreviation 0
    const bytes = Buffer.concat([header(0, 0), header(1, 4), ttinfo, Buffer.from('EET\0', 'latin1'), Buffer.from('\nEET-2EEST,M4.5.5/0,M10.5.4/24\n', 'latin1')]);
    const rules = parseTzif('Africa/Cairo', bytes);
    compare((ms) => rules.offsetAt(ms), 'Africa/Cairo', Date.UTC(2024, 0, 1), Date.UTC(2030, 0, 1));
  });

  test('a damaged file is an error that names the zone, never a wrong clock', () => {
    const good = fs.readFileSync('/usr/share/zoneinfo/Africa/Cairo');
    for (const [why, bytes] of [
      ['empty', Buffer.alloc(0)],
      ['not TZif', Buffer.from('Africa/Cairo is not here\n'.repeat(4))],
      ['truncated', good.subarray(0, 200)],
      ['no footer', good.subarray(0, good.lastIndexOf(0x0a, good.length - 2))],
    ] as const) {
      assert.throws(() => parseTzif('Africa/Cairo', bytes), (e: unknown) => e instanceof TzifError && /Africa\/Cairo/.test(e.message), why);
    }
    for (const bad of ['EET', 'EET-2EEST', 'EET-2EEST,M4.5.5/0', 'EET-2EEST,M13.5.5,M10.5.4', 'EET-2EEST,M4.5.5/200,M10.5.4', 'EET-2EEST,J0,J300', '<EET-2']) {
      assert.throws(() => posixTz(bad), Error, bad);
    }
  });

  test('zone names are names, never paths; a zone the database lacks is not there', () => {
    assert.equal(systemZone('../../etc/passwd'), undefined);
    assert.equal(systemZone('Africa/../../etc/passwd'), undefined);
    assert.equal(systemZone('Mars/Olympus_Mons'), undefined);
    assert.throws(() => installZone('Mars/Olympus_Mons'), /unknown time zone/);
    // Without the database ($TZDIR empty), ICU still knows Cairo: the fallback.
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'shubbak-tzdir-'));
    try {
      assert.equal(installZone('Africa/Cairo', { TZDIR: empty }), 'icu');
    } finally {
      fs.rmSync(empty, { recursive: true });
    }
  });

  test('local days, wall-clock parts and midnights are the same from tzdata as from ICU across Cairo\'s clock changes', () => {
    // Before the zone is installed, time.ts asks ICU; after, the tzdata rules. Same answers.
    const instants: number[] = [];
    for (let t = Date.UTC(2023, 3, 27); t < Date.UTC(2023, 3, 29); t += 15 * 60_000) instants.push(t);
    for (let t = Date.UTC(2026, 9, 29, 18); t < Date.UTC(2026, 9, 30, 2); t += 15 * 60_000) instants.push(t);
    const days = ['2023-04-28', '2023-04-27', '2026-10-29', '2026-10-30', '2026-04-24', '2027-01-01'];
    const ask = () => ({
      days: instants.map((t) => localDay(t, 'Africa/Cairo')),
      parts: instants.map((t) => localParts(t, 'Africa/Cairo')),
      midnights: days.map((d) => startOfLocalDay(d, 'Africa/Cairo')),
      offsets: instants.map((t) => zoneOffset(t, 'Africa/Cairo')),
    });
    const viaIcu = ask();
    useZoneRules(systemZone('Africa/Cairo')!);
    const viaTzdata = ask();
    assert.deepEqual(viaTzdata, viaIcu);
    // 28 April 2023: Cairo's day began at 00:00 EET and its clocks went to 01:00 EEST at once.
    assert.equal(new Date(startOfLocalDay('2023-04-28', 'Africa/Cairo')).toISOString(), '2023-04-27T22:00:00.000Z');
    assert.equal(localParts(Date.UTC(2023, 3, 27, 22, 0), 'Africa/Cairo').hour, 1);
    assert.equal(icuOffsets('Africa/Cairo')(Date.UTC(2023, 3, 27, 22, 0)), 3 * HOUR);
  });
});
