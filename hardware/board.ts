// The one place a johnny-five Board is made: Firmata over a serial port (an Arduino Nano
// beside the Pi running StandardFirmata), raspi-io on a Pi 3/4 (optional, loaded lazily:
// it installs only on ARM and does not support the Pi 5), or 'sim' — the same components
// on a mock Firmata, so simulation runs the real driver code.
import five from 'johnny-five';
import { SimFirmata } from './sim/firmata.ts';

export type IoKind = 'sim' | 'firmata' | 'raspi';

export type BoardOptions = { io: IoKind; /** Firmata: the Arduino's serial port (e.g. /dev/ttyUSB0); autodetected when absent. */ port?: string; timeoutMs?: number };

export type ReadyBoard = { board: five.Board; io: IoKind; /** Only in sim: the mock IO to press buttons and watch pins. */ sim: SimFirmata | null; close(): void };

export class BoardError extends Error {
  override name = 'BoardError';
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

// Closing releases the serial line of a Firmata board. (johnny-five also keeps every Board
// in a private module list that only its test mode can purge: one small object per device.)
function closer(board: five.Board): () => void {
  return () => {
    const io = (board as unknown as { io?: { transport?: { isOpen?: boolean; close?(cb?: () => void): void } } }).io;
    if (io?.transport?.isOpen) io.transport.close?.(() => {});
  };
}

export async function createBoard(opts: BoardOptions): Promise<ReadyBoard> {
  const timeoutMs = opts.timeoutMs ?? 15_000;
  if (opts.io === 'sim') {
    const sim = new SimFirmata();
    const board = new five.Board({ io: sim, repl: false, debug: false, sigint: false });
    const ready = waitReady(board, timeoutMs, 'sim');
    // mock-firmata never connects by itself: announce it as a Firmata would after its handshake.
    setImmediate(() => {
      sim.emit('connect');
      sim.emit('ready');
    });
    await ready;
    return { board, io: 'sim', sim, close: closer(board) };
  }
  if (opts.io === 'raspi') {
    const name = 'raspi-io';
    let RaspiIO: new () => unknown;
    try {
      ({ RaspiIO } = (await import(name)) as { RaspiIO: new () => unknown });
    } catch {
      throw new BoardError('raspi-io is not installed (it installs only on a Raspberry Pi 3/4; on a Pi 5 use an Arduino with Firmata)');
    }
    const board = new five.Board({ io: new RaspiIO(), repl: false, debug: false, sigint: false });
    await waitReady(board, timeoutMs, 'raspi');
    return { board, io: 'raspi', sim: null, close: closer(board) };
  }
  // johnny-five opens the port itself (firmata.js over serialport) and runs the handshake.
  const board = new five.Board({ port: opts.port, repl: false, debug: false, sigint: false });
  await waitReady(board, timeoutMs, `firmata ${opts.port ?? '(autodetect)'}`);
  return { board, io: 'firmata', sim: null, close: closer(board) };
}
