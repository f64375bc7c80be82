// Hardware in the loop, the field path of "لدي حجز" (issue 14 item 3): the kiosk program,
// unchanged, with SHUBBAK_IO=firmata and SHUBBAK_BOOKING_KEYPAD=on, on an emulated Uno
// running the real StandardFirmata, and on one running ShubbakFirmata (tests/helpers/uno.ts), against a real hub (SQLite file,
// broker) with a booking made through the hub's appointment service. The citizen presses
// "لدي حجز" (a push button on D6), types the 8-digit code on the 4×3 matrix keypad (keys
// are switches between the row and column pins on the emulated header; the program scans
// them over Firmata) and presses # → booking.checkIn over MQTT → the booked ticket, its slot
// on it, cut by the simulated printer. Without the keypad setting nothing reads those pins.
import { describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { PHONE_LAYOUT, type KioskHardware } from '@shubbak/hardware';
import { DEFAULT_PINS } from '../../hardware/pins.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';
import { FakeClock } from '../helpers/clock.ts';
import { press, pressKey, unoBench, until, type Bench, type Firmware } from '../helpers/uno.ts';
import { startKiosk } from '../../kiosk/main.ts';
import { loadKioskConfig } from '../../kiosk/config.ts';
import type { EmulatedUno } from '../../hardware/sim/uno.ts';

const LINK = { minReconnectMs: 100, maxReconnectMs: 300 };
const HANDSHAKE_MS = '120000'; // an upper bound: the first board of a run boots the firmware for real
const LAMPS = [8, 9, 10, 11];
const { button: BOOKING_BUTTON, rows: ROWS, cols: COLS } = DEFAULT_PINS.booking;

/** Sunday 6 December 2026, Cairo (UTC+2 in winter). */
const SUNDAY = '2026-12-06';
const at = (hm: string) => Date.parse(`${SUNDAY}T${hm}:00+02:00`);

function env(hub: TestHub, port: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    SHUBBAK_DEVICE_ID: 'kiosk-1', SHUBBAK_IO: 'firmata', SHUBBAK_FIRMATA_PORT: port, SHUBBAK_HUB_URL: hub.mqttUrl, SHUBBAK_DEVICE_SECRET: hub.secretOf('kiosk-1'),
    SHUBBAK_FIRMATA_HANDSHAKE_MS: HANDSHAKE_MS, SHUBBAK_FIRMATA_RETRY_MS: '100', ...extra,
  };
}

function bench(t: TestContext, firmware: Firmware = 'standard'): Bench {
  const b = unoBench(firmware);
  t.after(() => b.close());
  return b;
}

/** Where a key sits on the 4×3 keypad. */
function keyAt(label: string): { row: number; col: number } {
  for (let r = 0; r < PHONE_LAYOUT.length; r++) {
    const c = (PHONE_LAYOUT[r] as readonly string[]).indexOf(label);
    if (c >= 0) return { row: ROWS[r], col: COLS[c] };
  }
  throw new RangeError(`no key ${label}`);
}

/** Presses one key of the keypad, held until the kiosk's state shows it was read. */
async function type(uno: EmulatedUno, label: string, read: () => boolean): Promise<void> {
  const { row, col } = keyAt(label);
  await pressKey(uno, row, col, read);
}

describe('"لدي حجز" on the kiosk Uno: the booking keypad', () => {
  for (const firmware of ['standard', 'shubbak'] as const) test(`${firmware === 'standard' ? 'StandardFirmata' : 'ShubbakFirmata'}: "لدي حجز" + the 8-digit code (a slip erased with *) + # → the booked ticket, its slot printed; a wrong code is refused and nothing is printed`, async (t) => {
    const clock = new FakeClock(at('08:30'));
    const hub = await startTestHub(t, { clock: clock.now });
    const booking = hub.ctx.appointments.book({ line: 'A', day: SUNDAY, time: '09:00', nationalId: '29001010100015', mobile: '01000000001' });
    assert.match(booking.code, /^\d{8}$/);
    clock.set(at('08:52')); // inside the arrival window (10 minutes before the slot)

    const b = bench(t, firmware);
    const uno = b.board('/dev/ttyEMU-kiosk-booking');
    const log: string[] = [];
    const kiosk = await startKiosk({
      config: loadKioskConfig(env(hub, '/dev/ttyEMU-kiosk-booking', { SHUBBAK_BOOKING_KEYPAD: 'on' })), link: LINK, log: (m) => log.push(m),
      hardware: { board: { binding: b.binding }, printerMock: true },
    });
    t.after(() => kiosk.stop());
    const printer = (kiosk.io as unknown as KioskHardware).printerSim!;
    await until('lamps of the open lines lit', () => LAMPS.every((p) => uno.level(p) === 1));
    assert.ok(ROWS.every((p) => uno.level(p) === 0), 'the keypad rows are driven LOW at rest');
    assert.equal(kiosk.state().phase, 'ready', 'no phantom "لدي حجز" at start-up');

    // A wrong code first: refused by the hub with its Arabic reason, the kiosk ready again, no ticket.
    await press(uno, BOOKING_BUTTON);
    await until('the kiosk waits for a code', () => kiosk.state().phase === 'entering');
    const wrong = booking.code === '12345678' ? '87654321' : '12345678';
    for (const [i, d] of [...wrong].entries()) await type(uno, d, () => kiosk.state().code.length === i + 1);
    await type(uno, '#', () => kiosk.state().phase !== 'entering');
    await until('the refusal back', () => kiosk.state().phase === 'ready' && kiosk.state().notice !== null);
    assert.equal(kiosk.state().notice?.en, 'BOOKING_NOT_FOUND');
    assert.equal(printer.tickets.length, 0);

    // The right code, with a slip: a wrong digit erased with *.
    await press(uno, BOOKING_BUTTON);
    await until('the kiosk waits for a code', () => kiosk.state().phase === 'entering');
    const code = booking.code;
    await type(uno, code[0], () => kiosk.state().code === code[0]);
    const slip = code[1] === '9' ? '8' : '9';
    await type(uno, slip, () => kiosk.state().code === code[0] + slip);
    await type(uno, '*', () => kiosk.state().code === code[0]);
    for (let i = 1; i < code.length; i++) await type(uno, code[i], () => kiosk.state().code === code.slice(0, i + 1));
    const printed = new Promise<string>((r) => kiosk.events.once('printed', r));
    await type(uno, '#', () => kiosk.state().phase !== 'entering');
    assert.equal(await printed, 'A001');
    assert.equal(printer.tickets.length, 1, 'the printer cut one ticket');
    assert.match(kiosk.lastPrinted?.footer ?? '', /حجز الساعة 09:00/, 'the ticket says its slot');
    const row = hub.ctx.db.prepare('SELECT status FROM appointments WHERE code = ?').get(code) as { status: string };
    assert.equal(row.status, 'checked_in');

    // "لدي حجز" pressed again mid-entry leaves it; the line buttons work as before.
    await press(uno, BOOKING_BUTTON);
    await until('entering', () => kiosk.state().phase === 'entering');
    await press(uno, BOOKING_BUTTON);
    await until('back to ready', () => kiosk.state().phase === 'ready');
    const walkIn = new Promise<string>((r) => kiosk.events.once('printed', r));
    await press(uno, 2);
    assert.equal(await walkIn, 'A002');
  });

  test('a citizen who walks away mid-code: the entry is dropped after the idle time, the kiosk ready again', async (t) => {
    const hub = await startTestHub(t);
    const b = bench(t);
    const uno = b.board('/dev/ttyEMU-kiosk-idle');
    const kiosk = await startKiosk({
      config: loadKioskConfig(env(hub, '/dev/ttyEMU-kiosk-idle', { SHUBBAK_BOOKING_KEYPAD: 'on' })), link: LINK, log: () => {}, bookingIdleMs: 1500,
      hardware: { board: { binding: b.binding }, printerMock: true },
    });
    t.after(() => kiosk.stop());
    await until('lamps of the open lines lit', () => LAMPS.every((p) => uno.level(p) === 1));
    await press(uno, BOOKING_BUTTON);
    await until('entering', () => kiosk.state().phase === 'entering');
    await type(uno, '4', () => kiosk.state().code === '4');
    const typedAt = Date.now();
    await until('dropped', () => kiosk.state().phase === 'ready', 10_000);
    assert.ok(Date.now() - typedAt >= 1000, 'not before its time');
    assert.equal(kiosk.state().code, '');
    await until('lamps lit again', () => LAMPS.every((p) => uno.level(p) === 1));
  });

  test('without the keypad setting the kiosk runs as before: the keypad pins are never driven, a key there does nothing', async (t) => {
    const hub = await startTestHub(t);
    const b = bench(t);
    const uno = b.board('/dev/ttyEMU-kiosk-plain');
    const kiosk = await startKiosk({
      config: loadKioskConfig(env(hub, '/dev/ttyEMU-kiosk-plain')), link: LINK, log: () => {},
      hardware: { board: { binding: b.binding }, printerMock: true },
    });
    t.after(() => kiosk.stop());
    assert.equal(kiosk.io.booking ?? null, null);
    await until('lamps of the open lines lit', () => LAMPS.every((p) => uno.level(p) === 1));
    assert.ok(ROWS.every((p) => p < 14 || uno.level(p) === null), 'the keypad rows on A0/A1 stay as the firmware left them (analog inputs): never driven');
    await press(uno, BOOKING_BUTTON);
    await sleep(200);
    assert.equal(kiosk.state().phase, 'ready');
    const printed = new Promise<string>((r) => kiosk.events.once('printed', r));
    await press(uno, 2);
    assert.equal(await printed, 'A001');
  });
});
