// The one place a johnny-five Board is made:
//  - 'firmata' (the default): an Arduino Uno/Nano on USB running StandardFirmata. The
//    project opens the serial line itself (firmata-line.ts, serialport 13) and gives
//    johnny-five a firmata-io IO built on it — johnny-five's own port opening (with its
//    bundled serialport 8) is never used. The board is kept: a line that goes away is
//    reopened, the Firmata handshake is waited for again, every pin's mode, output level
//    and reporting is written again, and 'restored' tells the drivers to rewrite their
//    chips (MAX7219 digits). Until a board answers, open keeps retrying and reports why.
//  - 'raspi': GPIO through raspi-io on a Pi 3/4 (optional, loaded lazily: it installs only
//    on ARM and does not support the Pi 5);
//  - 'sim': the same components on a mock Firmata, so simulation runs the real drivers.
import { EventEmitter } from 'node:events';
import type five from 'johnny-five';
// The Board alone, not johnny-five's index (all 37 components and node's REPL): hardware/johnny-five-parts.d.ts.
import Board from 'johnny-five/lib/board.js';
import firmataIo from 'firmata-io';
import type { BindingInterface } from './serial-binding.ts';
// Simulation-only code (mock-firmata) is loaded only when io is 'sim', so it is not in a real device's memory.
import type { SimFirmata } from './sim/firmata.ts';
import { FirmataLine, LineError, type LineErrorCode } from './firmata-line.ts';

export type IoKind = 'sim' | 'firmata' | 'raspi';

export type BoardErrorCode = LineErrorCode | 'NO_HANDSHAKE' | 'RASPI_MISSING';

/** What the device reports on its health topic and in its log about its controller board. */
export type BoardStatus = { state: 'ok' | 'offline'; code?: BoardErrorCode; message?: string; messageAr?: string };

const ARABIC: Record<BoardErrorCode, string> = {
  PORT_NOT_FOUND: 'لوحة التحكم غير موصّلة: منفذ USB غير موجود',
  PORT_ACCESS: 'لا صلاحية لفتح منفذ لوحة التحكم (مجموعة dialout)',
  PORT_BUSY: 'منفذ لوحة التحكم مشغول ببرنامج آخر',
  PORT_OPEN_FAILED: 'تعذّر فتح منفذ لوحة التحكم',
  PORT_LOST: 'انقطع اتصال لوحة التحكم (فُصل كابل USB؟)',
  NO_HANDSHAKE: 'لوحة التحكم لا تجيب ببروتوكول Firmata (هل عليها StandardFirmata؟)',
  RASPI_MISSING: 'raspi-io غير مثبّت',
};

export type BoardOptions = {
  io: IoKind;
  /** Firmata: the Arduino's serial port (/dev/ttyACM0 on an Uno, /dev/ttyUSB0 on a Nano clone). */
  port?: string;
  /** raspi/sim: how long to wait for the IO to be ready. */
  timeoutMs?: number;
  /** Firmata: a board must finish the handshake this long after the port opens (a fresh Uno boots in ~2 s). */
  handshakeMs?: number;
  /** Firmata: the wait between two attempts to open the port. */
  retryMs?: number;
  /** Firmata: a serialport binding other than the OS's (the emulated Uno in tests). */
  binding?: BindingInterface;
  /** Every change of the board's state (also before the first open succeeds). */
  onStatus?: (s: BoardStatus) => void;
};

export type ReadyBoard = {
  board: five.Board;
  io: IoKind;
  /** Only in sim: the mock IO to press buttons and watch pins. */
  sim: SimFirmata | null;
  /** 'status' on each change; 'restored' once a reconnected board has its pins back (drivers rewrite their chips). */
  events: EventEmitter<{ status: [BoardStatus]; restored: [] }>;
  status(): BoardStatus;
  close(): void;
};

export class BoardError extends Error {
  override name = 'BoardError';
  constructor(
    message: string,
    readonly code?: BoardErrorCode,
  ) {
    super(message);
  }
}

export function boardStatus(code: BoardErrorCode, message: string): BoardStatus {
  return { state: 'offline', code, message, messageAr: ARABIC[code] };
}

function waitReady(board: five.Board, timeoutMs: number, what: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new BoardError(`${what}: board not ready after ${timeoutMs} ms`)), timeoutMs);
    board.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
    board.once('error', (err: Error) => {
      clearTimeout(timer);
      reject(new BoardError(`${what}: ${err.message}`));
    });
  });
}

function plainBoard(board: five.Board, io: IoKind, sim: SimFirmata | null): ReadyBoard {
  const events = new EventEmitter<{ status: [BoardStatus]; restored: [] }>();
  return {
    board, io, sim, events, status: () => ({ state: 'ok' }),
    close: () => {
      const t = (board as unknown as { io?: { transport?: { isOpen?: boolean; close?(cb?: () => void): void } } }).io?.transport;
      if (t?.isOpen) t.close?.(() => {});
    },
  };
}

export async function createBoard(opts: BoardOptions): Promise<ReadyBoard> {
  const timeoutMs = opts.timeoutMs ?? 15_000;
  if (opts.io === 'sim') {
    const { SimFirmata } = await import('./sim/firmata.ts');
    const sim = new SimFirmata();
    const board = new Board({ io: sim, repl: false, debug: false, sigint: false });
    const ready = waitReady(board, timeoutMs, 'sim');
    // mock-firmata never connects by itself: announce it as a Firmata would after its handshake.
    setImmediate(() => {
      sim.emit('connect');
      sim.emit('ready');
    });
    await ready;
    return plainBoard(board, 'sim', sim);
  }
  if (opts.io === 'raspi') {
    let RaspiIO: new () => unknown;
    try {
      // Deliberately not a literal: raspi-io is an optional extra installed only on a Pi 3/4,
      // so a bundle must not try to include it; it is resolved from node_modules when asked for.
      const name = 'raspi-io';
      ({ RaspiIO } = (await import(name)) as { RaspiIO: new () => unknown });
    } catch {
      const s = boardStatus('RASPI_MISSING', 'raspi-io is not installed (it installs only on a Raspberry Pi 3/4; on a Pi 5 use an Arduino with StandardFirmata: SHUBBAK_IO=firmata)');
      opts.onStatus?.(s);
      throw new BoardError(s.message!, 'RASPI_MISSING');
    }
    const board = new Board({ io: new RaspiIO(), repl: false, debug: false, sigint: false });
    await waitReady(board, timeoutMs, 'raspi');
    return plainBoard(board, 'raspi', null);
  }
  return createFirmataBoard(opts);
}

// ---- Firmata over our own serial line ----

type FirmataPin = { mode?: number; value?: number; report?: number; supportedModes: number[] };
type FirmataIO = EventEmitter & {
  isReady: boolean;
  versionReceived: boolean;
  buffer: number[];
  pins: FirmataPin[];
  ports: number[];
  MODES: Record<string, number>;
  transport: FirmataLine;
  pinMode(pin: number, mode: number): void;
  writeDigitalPort(port: number): void;
  pwmWrite(pin: number, value: number): void;
  reportDigitalPin(pin: number, value: 0 | 1): void;
  reportVersion(cb: () => void): void;
  queryFirmware(cb: () => void): void;
};
const { Firmata } = firmataIo as unknown as { Firmata: new (transport: FirmataLine, opts: object) => FirmataIO };

/** After a reconnect the board has rebooted: every pin as the program left it, then reporting on. */
function replayPins(io: FirmataIO): void {
  const { MODES } = io;
  const reported = new Set<number>();
  const written = new Set<number>();
  io.pins.forEach((p, pin) => {
    if (p.mode === undefined || p.mode === MODES.ANALOG || p.mode === MODES.IGNORE) return;
    io.pinMode(pin, p.mode);
    if (p.mode === MODES.OUTPUT || p.mode === MODES.INPUT) written.add(pin >> 3);
    if (p.mode === MODES.PWM && p.value !== undefined) io.pwmWrite(pin, p.value);
    if (p.report === 1) reported.add(pin);
  });
  // One port message sets every output level and input pull-up of eight pins.
  for (const port of written) io.writeDigitalPort(port);
  const ports = new Set<number>();
  for (const pin of reported) {
    if (ports.has(pin >> 3)) continue;
    ports.add(pin >> 3);
    io.reportDigitalPin(pin, 1);
  }
}

async function createFirmataBoard(opts: BoardOptions): Promise<ReadyBoard> {
  const path = opts.port ?? '/dev/ttyACM0';
  const handshakeMs = opts.handshakeMs ?? 5000;
  const events = new EventEmitter<{ status: [BoardStatus]; restored: [] }>();
  let status: BoardStatus = { state: 'offline' };
  const setStatus = (s: BoardStatus) => {
    const same = s.state === status.state && s.code === status.code;
    status = s;
    if (same && s.state === 'ok') return;
    events.emit('status', s);
    opts.onStatus?.(s);
  };
  const line = new FirmataLine({ path, baudRate: 57600, binding: opts.binding, retryMs: opts.retryMs });
  // Version queries are ours (below): firmata-io's own timer would fire once, on a line that may not be open yet.
  const io = new Firmata(line, { reportVersionTimeout: 2 ** 30 });
  io.on('error', () => {});

  let handshake: NodeJS.Timeout | null = null;
  let query: NodeJS.Timeout | null = null;
  let firstReady = false;
  let restoring = false;
  let closed = false;
  const clearTimers = () => {
    if (handshake) clearTimeout(handshake);
    if (query) clearTimeout(query);
    handshake = query = null;
  };

  line.on('failed', (e) => setStatus(boardStatus(e.code, e.message)));
  line.on('lost', (e) => {
    clearTimers();
    io.buffer.length = 0;
    if (e.code !== 'PORT_LOST' || status.state === 'ok') setStatus(boardStatus(e.code, e.message));
  });
  line.on('open', () => {
    io.buffer.length = 0;
    clearTimers();
    // A fresh Uno reports its version by itself after booting (~2 s); ask if it stays silent.
    query = setTimeout(() => {
      io.reportVersion(() => {});
      io.queryFirmware(() => {});
    }, Math.min(2000, handshakeMs / 2));
    handshake = setTimeout(() => {
      clearTimers();
      line.recycle(new LineError('PORT_LOST', 'no Firmata answer'));
      setStatus(boardStatus('NO_HANDSHAKE', `${path}: no Firmata handshake within ${handshakeMs} ms (is StandardFirmata flashed, at 57600 baud?)`));
    }, handshakeMs);
    // A reconnect: the board rebooted and reports its firmware again; then its pins are put back.
    restoring = firstReady;
  });
  io.on('queryfirmware', () => {
    if (!restoring || !line.isOpen || closed) return;
    restoring = false;
    clearTimers();
    replayPins(io);
    setStatus({ state: 'ok' });
    events.emit('restored');
  });

  const ready = new Promise<void>((resolve) => io.once('ready', () => resolve()));
  line.start();
  await ready;
  clearTimers();
  firstReady = true;
  setStatus({ state: 'ok' });

  const board = new Board({ io: io as never, repl: false, debug: false, sigint: false });
  // johnny-five forwards the IO's errors as the board's; without a listener they would throw.
  board.on('error', () => {});
  await waitReady(board, opts.timeoutMs ?? 15_000, `firmata ${path}`);
  return {
    board, io: 'firmata', sim: null, events, status: () => status,
    close: () => {
      closed = true;
      clearTimers();
      line.close();
    },
  };
}

/** The health topic's `board` field for a status (protocol/messages.ts DeviceHealth.board). */
export function boardHealth(s: BoardStatus): { state: 'ok' | 'offline'; code?: string; message?: string } {
  return s.state === 'ok' ? { state: 'ok' } : { state: 'offline', code: s.code, message: s.messageAr };
}

/** The program's log line for a status. */
export function boardLogLine(s: BoardStatus): string {
  return s.state === 'ok' ? 'board: connected' : `board offline [${s.code ?? 'UNKNOWN'}]: ${s.message ?? ''}`;
}
