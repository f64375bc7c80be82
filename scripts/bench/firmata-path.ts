// The field path's latencies, measured on emulated Unos running the real StandardFirmata
// (hardware/sim/uno.ts, 16 MHz, 57600 baud), not computed from byte counts:
//  - the firmware path of a MAX7219 update: from the first byte of the update reaching the
//    board's UART to the CS latch that completes it, in emulated cycles; for the window board
//    (4 digits) and the hall board (6 chained modules), as the drivers write them now
//    (port-batched, only what changed) and as before (one Firmata pin write per line change,
//    everything rewritten — johnny-five's shiftOut);
//  - end to end with the real programs and the bench's hub: keypad press on the keypad's
//    Uno → the last latch on the window board's Uno, split into the keypad firmware (cycles),
//    host + MQTT + hub (wall clock) and the window board firmware (cycles); and the hall
//    board's update after the same call.
import { setTimeout as sleep } from 'node:timers/promises';
import five from 'johnny-five';
import { createBoard, hallRowText, Max7219Digits, Max7219HallBoard, type ReadyBoard } from '../../hardware/index.ts';
import { EmulatedUno, UNO_HZ } from '../../hardware/sim/uno.ts';
import { createUnoBinding, type UnoBinding } from '../../hardware/sim/uno-binding.ts';
import { standardFirmataImage } from '../../hardware/sim/standard-firmata.ts';
import { Max7219Decoder } from '../../hardware/sim/max7219.ts';
import { summary, type Row } from './lib.ts';

const PINS = { data: 11, clock: 13, cs: 10 };
const cyclesToMs = (c: number) => c / (UNO_HZ / 1000);

async function until(pred: () => boolean, timeoutMs = 120_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error('bench: timed out');
    await sleep(2);
  }
}

type Rig = { uno: EmulatedUno; chain: Max7219Decoder; board: ReadyBoard };

async function rig(binding: UnoBinding, path: string, chips: number): Promise<Rig> {
  const uno = new EmulatedUno(standardFirmataImage());
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
  const binding = createUnoBinding();
  const win = await rig(binding, '/dev/bench-window', 1);
  const hallRig = await rig(binding, '/dev/bench-hall', 6);
  try {
    // Window board, 4 digits.
    const now = new Max7219Digits({ board: win.board.board, pins: PINS, width: 4 });
    const full: number[] = [];
    const next: number[] = [];
    for (let i = 0; i < 3; i++) {
      now.show('');
      await win.uno.idle();
      full.push(await firmwarePath(win, () => now.show('A012'), () => win.chain.text(0, 4) === 'A012'));
      next.push(await firmwarePath(win, () => now.show('A013'), () => win.chain.text(0, 4) === 'A013'));
    }
    const before = new Max7219Digits({ board: perPinIo(win.board), pins: PINS, width: 4 });
    before.show('A011');
    const old: number[] = [];
    for (let i = 0; i < 3; i++) {
      // As before: every digit rewritten on each show, a pin write per line change.
      (before as unknown as { written: unknown[] }).written.fill(null);
      win.chain.reset(); // a blank chip: the measurement ends when all four digits are in
      old.push(await firmwarePath(win, () => before.show(i % 2 ? 'A012' : 'A013'), () => win.chain.text(0, 4) === (i % 2 ? 'A012' : 'A013')));
    }
    rows.push(
      { name: 'window board next number (1 digit changes), StandardFirmata, measured', value: summary(next).p50, unit: 'ms' },
      { name: 'window board all 4 digits new, StandardFirmata, measured', value: summary(full).p50, unit: 'ms' },
      { name: 'window board 4 digits as before (pin writes, all rewritten), measured', value: summary(old).p50, unit: 'ms' },
    );

    // Hall board, 6 chained modules: a new call shifts every row down.
    const hall = new Max7219HallBoard({ board: hallRig.board.board, pins: PINS, rows: 6 });
    const list = (n: number) => CALLS.slice(0, n).reverse().map((ticket, i) => ({ ticket, window: (i % 4) + 1 }));
    hall.show(list(5));
    await hallRig.uno.idle();
    const shows = (n: number) => () => list(n).every((row, r) => hallRig.chain.text(r, 8) === hallRowText(row));
    const newCall = await firmwarePath(hallRig, () => hall.show(list(6)), shows(6));
    hallRig.chain.reset();
    const fullHall = await firmwarePath(hallRig, () => hall.restore(), () => shows(6)() && [0, 1, 2, 3, 4, 5].every((r) => hallRig.chain.isOn(r)));
    const oldHall = new Max7219HallBoard({ board: perPinIo(hallRig.board), pins: PINS, rows: 6 });
    oldHall.show(list(5));
    await hallRig.uno.idle();
    for (const w of (oldHall as unknown as { written: unknown[][] }).written) w.fill(null);
    const oldNew = await firmwarePath(hallRig, () => oldHall.show(list(6)), shows(6));
    rows.push(
      { name: 'hall board new call (6 rows shift), StandardFirmata, measured', value: newCall, unit: 'ms' },
      { name: 'hall board set-up + all 6 rows written, measured', value: fullHall, unit: 'ms' },
      { name: 'hall board 6 rows as before (pin writes, every register), measured', value: oldNew, unit: 'ms' },
      // A custom sysex (F0 id reg n×(2 bytes) F7) would carry one register index for all rows in ~16 bytes.
      { name: 'hall board new call with a custom MAX7219 sysex (computed: 8 × 16 bytes at 57600)', value: (8 * 16 * 10 * 1000) / 57600, unit: 'ms' },
    );
  } finally {
    win.board.close();
    hallRig.board.close();
    win.uno.close();
    hallRig.uno.close();
  }
  return rows;
}

type Env = { mqttUrl: string; devicesFile: string; baselineRttMs: { p50: number; p99: number } };

/** Keypad press → window board and hall board, through the real programs and the bench's hub. */
export async function endToEndRows(env: Env): Promise<Row[]> {
  const [{ startKeypad }, { loadKeypadConfig }, { startWindowBoard, startHallBoard }, { loadDisplayConfig }, { DeviceLink }] = await Promise.all([
    import('../../counter-keypad/main.ts'), import('../../counter-keypad/config.ts'), import('../../display/main.ts'), import('../../display/config.ts'),
    import('../../protocol/device-link.ts'),
  ]);
  const binding = createUnoBinding();
  const unos = { keypad: new EmulatedUno(standardFirmataImage()), led: new EmulatedUno(standardFirmataImage()), hall: new EmulatedUno(standardFirmataImage()) };
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
  const samples = { keyFw: [] as number[], host: [] as number[], ledFw: [] as number[], total: [] as number[], hallFw: [] as number[] };
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
      const ledLatches: { c: number; text: string }[] = [];
      const hallLatches: { c: number; row0: string }[] = [];
      const onLedRx = (c: number) => (ledStart ??= { cycles: c, wall: performance.now() });
      const onHallRx = (c: number) => (hallStart ||= c);
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
      samples.hallFw.push(cyclesToMs(hallEnd - hallStart));
    }
  } finally {
    await Promise.allSettled([keypad.stop(), led.stop(), hall.stop(), kiosk.close()]);
    for (const u of Object.values(unos)) u.close();
  }
  const p50 = (s: number[]) => summary(s).p50;
  return [
    { name: 'keypad press → window board last latch, p50 (firmware both ends measured + host/MQTT)', value: p50(samples.total), unit: 'ms' },
    { name: '  keypad firmware: pin LOW → report on the wire, p50 (emulated)', value: p50(samples.keyFw), unit: 'ms' },
    { name: '  host: serial read, 7 ms debounce, keypad → hub → window board over MQTT, p50 (wall)', value: p50(samples.host), unit: 'ms' },
    { name: '  window board firmware: first byte → last latch, p50 (emulated)', value: p50(samples.ledFw), unit: 'ms' },
    { name: 'hall board after a new call: first byte → last latch, p50 (emulated)', value: p50(samples.hallFw), unit: 'ms' },
    { name: 'bare MQTT round trip p50 (for comparison)', value: env.baselineRttMs.p50, unit: 'ms' },
  ];
}
