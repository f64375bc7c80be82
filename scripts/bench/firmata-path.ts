// The field path's latencies, measured on emulated Unos (hardware/sim/uno.ts, 16 MHz, 57600
// baud) running each firmware a board can carry — the real StandardFirmata (the drivers
// bit-bang the MAX7219) and the project's ShubbakFirmata (hardware/firmware/: the drivers
// send its MAX7219 sysex) — side by side against issue 16's targets, not computed from
// byte counts:
//  - the firmware path of a MAX7219 update: from the first byte of the update reaching the
//    board's UART to the CS latch that completes it, in emulated cycles; for the window board
//    (4 digits) and the hall board (6 chained modules), as the drivers write them now
//    (port-batched, only what changed) and as before (one Firmata pin write per line change,
//    everything rewritten — johnny-five's shiftOut);
//  - end to end with the real programs and the bench's hub: keypad press on the keypad's
//    Uno → the last latch on the window board's Uno (target ≤ 50 ms) and on the hall board's
//    (target ≤ 150 ms), split into the keypad firmware (cycles), host + MQTT + hub (wall
//    clock) and the board's firmware (cycles).
import { setTimeout as sleep } from 'node:timers/promises';
import five from 'johnny-five';
import { createBoard, hallRowText, Max7219Digits, Max7219HallBoard, type ReadyBoard } from '../../hardware/index.ts';
import { EmulatedUno, UNO_HZ } from '../../hardware/sim/uno.ts';
import { createUnoBinding, type UnoBinding } from '../../hardware/sim/uno-binding.ts';
import { standardFirmataImage } from '../../hardware/sim/standard-firmata.ts';
import { shubbakFirmataImage } from '../../hardware/sim/shubbak-firmata.ts';
import type { UnoImage } from '../../hardware/sim/uno.ts';
import { Max7219Decoder } from '../../hardware/sim/max7219.ts';
import { summary, type Row } from './lib.ts';

const PINS = { data: 11, clock: 13, cs: 10 };
/** Issue 16: keypad press → window board latched ≤ 50 ms, a new call on the hall board ≤ 150 ms. */
const WINDOW_TARGET_MS = 50;
const HALL_TARGET_MS = 150;

type Firmware = { label: string; image: () => UnoImage };
const FIRMWARES: Firmware[] = [
  { label: 'StandardFirmata', image: standardFirmataImage },
  { label: 'ShubbakFirmata', image: shubbakFirmataImage },
];

function target(ms: number, goal: number): string {
  return `(target ≤ ${goal} ms: ${ms <= goal ? 'met' : 'NOT met'})`;
}
const cyclesToMs = (c: number) => c / (UNO_HZ / 1000);

async function until(pred: () => boolean, timeoutMs = 120_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error('bench: timed out');
    await sleep(2);
  }
}

type Rig = { uno: EmulatedUno; chain: Max7219Decoder; board: ReadyBoard };

async function rig(binding: UnoBinding, path: string, chips: number, fw: Firmware): Promise<Rig> {
  const uno = new EmulatedUno(fw.image());
  binding.attach(path, uno);
  const chain = new Max7219Decoder(uno, PINS, chips);
  const board = await createBoard({ io: 'firmata', port: path, binding, handshakeMs: 600_000 });
  return { uno, chain, board };
}

/** Emulated ms from the first byte of what `act` writes to the latch after which `done()` holds. */
async function firmwarePath(r: Rig, act: () => void, done: () => boolean): Promise<number> {
  await r.uno.idle();
  let start: number | null = null;
  let end: number | null = null;
  const onRx = (c: number) => (start ??= c);
  r.uno.on('rx', onRx);
  r.chain.onLatch = (c) => {
    if (end === null && c !== undefined && done()) end = c;
  };
  act();
  await until(() => end !== null);
  r.uno.off('rx', onRx);
  r.chain.onLatch = null;
  await r.uno.idle();
  return cyclesToMs(end! - start!);
}

/** An IO that hides firmata-io's port writes: the bus then writes pin by pin, as johnny-five's shiftOut does. */
function perPinIo(board: ReadyBoard): five.Board {
  const io = board.board.io as unknown as Record<string, unknown>;
  const proxy = new Proxy(io, { get: (t, k) => (k === 'updateDigitalPort' || k === 'writeDigitalPort' ? undefined : typeof t[k as string] === 'function' ? (t[k as string] as () => unknown).bind(t) : t[k as string]) });
  return { io: proxy } as unknown as five.Board;
}

const CALLS = ['A012', 'A013', 'B101', 'A014', 'C007', 'A015'];

export async function firmwareRows(): Promise<Row[]> {
  const rows: Row[] = [];
  for (const fw of FIRMWARES) rows.push(...(await firmwareRowsOf(fw)));
  return rows;
}

async function firmwareRowsOf(fw: Firmware): Promise<Row[]> {
  const rows: Row[] = [];
  const bit = fw.label === 'StandardFirmata';
  const binding = createUnoBinding();
  const win = await rig(binding, `/dev/bench-window-${fw.label}`, 1, fw);
  const hallRig = await rig(binding, `/dev/bench-hall-${fw.label}`, 6, fw);
  try {
    // Window board, 4 digits.
    const now = new Max7219Digits({ board: win.board.board, pins: PINS, width: 4 });
    if ((now.busMode === 'sysex') === bit) throw new Error(`bench: ${fw.label} drove the bus by ${now.busMode}`);
    const full: number[] = [];
    const next: number[] = [];
    for (let i = 0; i < 3; i++) {
      now.show('');
      await win.uno.idle();
      full.push(await firmwarePath(win, () => now.show('A012'), () => win.chain.text(0, 4) === 'A012'));
      next.push(await firmwarePath(win, () => now.show('A013'), () => win.chain.text(0, 4) === 'A013'));
    }
    rows.push(
      { name: `window board next number (1 digit changes), ${fw.label}, first byte → latch`, value: summary(next).p50, unit: 'ms' },
      { name: `window board all 4 digits new, ${fw.label}, first byte → last latch`, value: summary(full).p50, unit: 'ms' },
    );
    if (bit) {
      const before = new Max7219Digits({ board: perPinIo(win.board), pins: PINS, width: 4 });
      before.show('A011');
      const old: number[] = [];
      for (let i = 0; i < 3; i++) {
        // As before: every digit rewritten on each show, a pin write per line change.
        (before as unknown as { written: unknown[] }).written.fill(null);
        win.chain.reset(); // a blank chip: the measurement ends when all four digits are in
        old.push(await firmwarePath(win, () => before.show(i % 2 ? 'A012' : 'A013'), () => win.chain.text(0, 4) === (i % 2 ? 'A012' : 'A013')));
      }
      rows.push({ name: 'window board 4 digits as before (pin writes, all rewritten), StandardFirmata', value: summary(old).p50, unit: 'ms' });
    }

    // Hall board, 6 chained modules: a new call shifts every row down.
    const hall = new Max7219HallBoard({ board: hallRig.board.board, pins: PINS, rows: 6 });
    const list = (n: number) => CALLS.slice(0, n).reverse().map((ticket, i) => ({ ticket, window: (i % 4) + 1 }));
    hall.show(list(5));
    await hallRig.uno.idle();
    const shows = (n: number) => () => list(n).every((row, r) => hallRig.chain.text(r, 8) === hallRowText(row));
    const newCall = await firmwarePath(hallRig, () => hall.show(list(6)), shows(6));
    hallRig.chain.reset();
    const fullHall = await firmwarePath(hallRig, () => hall.restore(), () => shows(6)() && [0, 1, 2, 3, 4, 5].every((r) => hallRig.chain.isOn(r)));
    rows.push(
      { name: `hall board new call (6 rows shift), ${fw.label}, first byte → last latch`, value: newCall, unit: 'ms' },
      { name: `hall board set-up + all 6 rows written, ${fw.label}`, value: fullHall, unit: 'ms' },
    );
    if (bit) {
      const oldHall = new Max7219HallBoard({ board: perPinIo(hallRig.board), pins: PINS, rows: 6 });
      oldHall.show(list(5));
      await hallRig.uno.idle();
      for (const w of (oldHall as unknown as { written: unknown[][] }).written) w.fill(null);
      const oldNew = await firmwarePath(hallRig, () => oldHall.show(list(6)), shows(6));
      rows.push({ name: 'hall board 6 rows as before (pin writes, every register), StandardFirmata', value: oldNew, unit: 'ms' });
    }
  } finally {
    win.board.close();
    hallRig.board.close();
    win.uno.close();
    hallRig.uno.close();
  }
  return rows;
}

type Env = { mqttUrl: string; devicesFile: string; baselineRttMs: { p50: number; p99: number } };

/** Keypad press → window board and hall board, through the real programs and the bench's hub, on each firmware. */
export async function endToEndRows(env: Env): Promise<Row[]> {
  const rows: Row[] = [];
  for (const fw of FIRMWARES) rows.push(...(await endToEndOf(env, fw)));
  rows.push({ name: 'bare MQTT round trip p50 (for comparison)', value: env.baselineRttMs.p50, unit: 'ms' });
  return rows;
}

async function endToEndOf(env: Env, fw: Firmware): Promise<Row[]> {
  const [{ startKeypad }, { loadKeypadConfig }, { startWindowBoard, startHallBoard }, { loadDisplayConfig }, { DeviceLink }] = await Promise.all([
    import('../../counter-keypad/main.ts'), import('../../counter-keypad/config.ts'), import('../../display/main.ts'), import('../../display/config.ts'),
    import('../../protocol/device-link.ts'),
  ]);
  const binding = createUnoBinding();
  const unos = { keypad: new EmulatedUno(fw.image()), led: new EmulatedUno(fw.image()), hall: new EmulatedUno(fw.image()) };
  for (const [k, u] of Object.entries(unos)) binding.attach(`/dev/bench-${k}`, u);
  const ledChip = new Max7219Decoder(unos.led, PINS, 1);
  const hallChip = new Max7219Decoder(unos.hall, PINS, 6);
  const base = (id: string, port: string, extra: Record<string, string> = {}) => ({
    SHUBBAK_DEVICE_ID: id, SHUBBAK_IO: 'firmata', SHUBBAK_FIRMATA_PORT: port, SHUBBAK_HUB_URL: env.mqttUrl, SHUBBAK_DEVICES_FILE: env.devicesFile,
    SHUBBAK_FIRMATA_HANDSHAKE_MS: '600000', ...extra,
  });
  const hw = { hardware: { board: { binding } }, log: () => {} };
  const keypad = await startKeypad({ config: loadKeypadConfig(base('keypad-1', '/dev/bench-keypad')), ...hw });
  const led = await startWindowBoard({ config: loadDisplayConfig(base('led-1', '/dev/bench-led', { SHUBBAK_DISPLAY_KIND: 'display' })), ...hw });
  const hall = await startHallBoard({ config: loadDisplayConfig(base('hall-1', '/dev/bench-hall', { SHUBBAK_DISPLAY_KIND: 'hall', SHUBBAK_AUDIO_PLAYER: 'record' })), ...hw });
  const devices = JSON.parse((await import('node:fs')).readFileSync(env.devicesFile, 'utf8')) as { devices: { id: string; secret: string }[] };
  const kiosk = new DeviceLink({ url: env.mqttUrl, deviceId: 'kiosk-1', secret: devices.devices.find((d) => d.id === 'kiosk-1')!.secret, kind: 'kiosk' });
  const samples = { keyFw: [] as number[], host: [] as number[], ledFw: [] as number[], total: [] as number[], hallFw: [] as number[], hallHost: [] as number[], hallTotal: [] as number[] };
  try {
    await until(() => kiosk.hubNow() !== null && keypad.state().online && led.state().online);
    for (let i = 0; i < 6; i++) {
      const r = await kiosk.request('ticket.issue', { line: 'A' });
      if (!r.ok) throw new Error(`ticket.issue: ${r.error.code}`);
      const number = (r.result as { ticket: { number: string } }).ticket.number;
      await Promise.all([unos.keypad.idle(), unos.led.idle(), unos.hall.idle()]);
      await sleep(300);
      const before = led.state().window?.calledAt ?? null;
      const press = unos.keypad.cycles;
      let keyTx = 0;
      let hostOut = 0;
      const onTx = () => {
        if (keyTx === 0) {
          keyTx = unos.keypad.lastTxCycles;
          hostOut = performance.now();
        }
      };
      unos.keypad.on('tx', onTx);
      let ledStart: { cycles: number; wall: number } | null = null;
      let hallStart = 0;
      let hallWall = 0;
      const ledLatches: { c: number; text: string }[] = [];
      const hallLatches: { c: number; row0: string }[] = [];
      const onLedRx = (c: number) => (ledStart ??= { cycles: c, wall: performance.now() });
      const onHallRx = (c: number) => {
        if (hallStart) return;
        hallStart = c;
        hallWall = performance.now();
      };
      unos.led.on('rx', onLedRx);
      unos.hall.on('rx', onHallRx);
      ledChip.onLatch = (c) => ledLatches.push({ c: c ?? 0, text: ledChip.text(0, 4) });
      hallChip.onLatch = (c) => hallLatches.push({ c: c ?? 0, row0: hallChip.text(0, 8) });
      unos.keypad.setButton(2, true);
      await until(() => (led.state().window?.calledAt ?? null) !== before && !!led.state().window?.ticket);
      const ticket = led.state().window!.ticket!;
      await until(() => ledChip.text(0, 4) === ticket.slice(-4) && hallChip.text(0, 8).startsWith(ticket));
      await Promise.all([unos.led.idle(), unos.hall.idle()]);
      unos.keypad.setButton(2, false);
      unos.keypad.off('tx', onTx);
      unos.led.off('rx', onLedRx);
      unos.hall.off('rx', onHallRx);
      ledChip.onLatch = hallChip.onLatch = null;
      // The latch after which the board first showed the new call (later ones are its blink).
      const ledEnd = ledLatches.find((l) => l.text === ticket.slice(-4))!.c;
      const hallEnd = hallLatches.find((l) => l.row0.startsWith(ticket))!.c;
      const keyFw = cyclesToMs(keyTx - press) + (3 * 10 * 1000) / 57600; // the report's 3 bytes on the wire
      const host = ledStart!.wall - hostOut;
      const ledFw = cyclesToMs(ledEnd - ledStart!.cycles);
      samples.keyFw.push(keyFw);
      samples.host.push(host);
      samples.ledFw.push(ledFw);
      samples.total.push(keyFw + host + ledFw);
      const hallFw = cyclesToMs(hallEnd - hallStart);
      samples.hallFw.push(hallFw);
      samples.hallHost.push(hallWall - hostOut);
      samples.hallTotal.push(keyFw + (hallWall - hostOut) + hallFw);
    }
  } finally {
    await Promise.allSettled([keypad.stop(), led.stop(), hall.stop(), kiosk.close()]);
    for (const u of Object.values(unos)) u.close();
  }
  const p50 = (s: number[]) => summary(s).p50;
  const [total, hallTotal] = [p50(samples.total), p50(samples.hallTotal)];
  return [
    { name: `keypad press → window board last latch, ${fw.label}, p50 (firmware both ends measured + host/MQTT)`, value: total, unit: 'ms', note: target(total, WINDOW_TARGET_MS) },
    { name: '  keypad firmware: pin LOW → report on the wire, p50 (emulated)', value: p50(samples.keyFw), unit: 'ms' },
    { name: '  host: serial read, 7 ms debounce, keypad → hub → window board over MQTT, p50 (wall)', value: p50(samples.host), unit: 'ms' },
    { name: '  window board firmware: first byte → last latch, p50 (emulated)', value: p50(samples.ledFw), unit: 'ms' },
    { name: `keypad press → hall board new call last latch, ${fw.label}, p50`, value: hallTotal, unit: 'ms', note: target(hallTotal, HALL_TARGET_MS) },
    { name: '  host: keypad → hub → hall board over MQTT, p50 (wall)', value: p50(samples.hallHost), unit: 'ms' },
    { name: '  hall board firmware: first byte → last latch, p50 (emulated)', value: p50(samples.hallFw), unit: 'ms' },
  ];
}
