// The hardware of each device program, made from its configuration: real IO (Firmata over
// a serial port, raspi-io) or 'sim', where the same johnny-five components run on a mock
// Firmata and the printer on serialport's MockBinding — simulation runs the real drivers.
//
// In sim mode each bundle carries `sim`, a control handle (SimControl) for the simulator
// page, tests and the bench:
//   press(key)          a short press through the button's pin (resolves after release)
//   hold(key, ms?)      keeps the key down past the hold time, then releases
//   lamp(key) / lamps() what each lamp shows: 'on' | 'off' | 'blink' (from the pin writes)
//   digits()            the text a 7-segment board shows, decoded from MAX7219 traffic
//   digitsLit()         false while a blinking board is in its dark phase
//   brightness()        the MAX7219 intensity register (0..15)
//   hallRows()          the hall board's rows read back from the MAX7219 chain
//   printed()           tickets the sim printer cut: decoded images, bands, job byte count
//   lastPrinted()       the last ticket's image (or null)
//   setPaper(state)     'ok' | 'paper-low' | 'paper-out' | 'offline' (offline: no answers)
//   played()            files the hall player was asked to play
// Methods that do not apply to a device answer empty ('' / [] / null / 'off').
import type { AudioPlayer, BookingKeys, ButtonPanel, DigitsDisplay, HallBoard, LampState, MonoImage, PrinterStatus, TicketPrinter } from './types.ts';
import { createBoard, type BoardOptions, type IoKind, type ReadyBoard } from './board.ts';
import { DEFAULT_PINS, pinsFor } from './pins.ts';
import { LampButtonPanel, pullUpInputs } from './buttons.ts';
import { MatrixKeypad } from './matrix-keypad.ts';
import { Max7219Digits, type DigitsPins } from './digits.ts';
import { HALL_ROW_WIDTH, Max7219HallBoard } from './hall-board.ts';
import { openPrinterPort, SerialTicketPrinter, unopenedPrinterPort } from './printer/port.ts';
// Simulation-only code (hardware/sim/: mock Firmata, MAX7219 decoder, simulated printer,
// serialport's mock binding) is imported lazily, on sim IO only: it is not in the import
// graph a real device loads (issue 10: memory; issue 12: simulator code out of production).
// (serialport's MockBinding is part of serialport, which the printer's line loads anyway.)
import { SerialPortMock } from 'serialport';
import type { SimPrinter, PrintedTicket } from './sim/printer.ts';
import type { Max7219Decoder } from './sim/max7219.ts';
import type { SimFirmata } from './sim/firmata.ts';

export type Pin = number | string;
export type { IoKind };

export type SimControl = {
  press(key: number): Promise<void>;
  hold(key: number, ms?: number): Promise<void>;
  lamp(key: number): LampState;
  lamps(): LampState[];
  digits(): string;
  digitsLit(): boolean;
  brightness(): number;
  hallRows(): { ticket: string; window: number }[];
  printed(): PrintedTicket[];
  lastPrinted(): MonoImage | null;
  setPaper(state: PrinterStatus): void;
  played(): string[];
};

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

const EMPTY_SIM: SimControl = {
  press: async () => {}, hold: async () => {}, lamp: () => 'off', lamps: () => [], digits: () => '', digitsLit: () => false,
  brightness: () => 0, hallRows: () => [], printed: () => [], lastPrinted: () => null, setPaper: () => {}, played: () => [],
};

export { DEFAULT_PINS } from './pins.ts';

function asPins(p: { data: Pin; clock: Pin; cs: Pin }): DigitsPins {
  return { data: p.data, clock: p.clock, cs: p.cs };
}

/** Sim: drives a button pin as the wiring does (pin pulled up, pressed = LOW). */
function simButtons(sim: SimFirmata, panel: LampButtonPanel, buttonPins: readonly Pin[], lampPins: readonly Pin[], holdMs: number) {
  const levelOf = (key: number, level: 0 | 1) => {
    if (!sim.setInput(Number(buttonPins[key]), level)) throw new RangeError(`no button ${key}`);
  };
  const lamp = (key: number): LampState => {
    if (panel.lampState(key) === 'blink') return 'blink';
    return sim.pinLevels.get(Number(lampPins[key])) === 1 ? 'on' : 'off';
  };
  return {
    async press(key: number) {
      levelOf(key, 0);
      await sleep(25); // past johnny-five's 7 ms debounce
      levelOf(key, 1);
      await sleep(10);
    },
    async hold(key: number, ms = holdMs + 150) {
      levelOf(key, 0);
      await sleep(ms);
      levelOf(key, 1);
      await sleep(10);
    },
    lamp,
    lamps: () => panel.keys.map(lamp),
  };
}

/** Firmata board settings a program passes through: the handshake wait, the reopen interval, a status callback (health + log), a binding for tests. */
export type BoardLinkOptions = Pick<BoardOptions, 'binding' | 'handshakeMs' | 'retryMs' | 'onStatus'>;

function boardFor(io: IoKind, firmataPort: string | undefined, link: BoardLinkOptions | undefined): Promise<ReadyBoard> {
  return createBoard({ io, port: firmataPort, ...link });
}

export type KioskHardwareConfig = {
  io: IoKind;
  buttonPins?: readonly Pin[];
  lampPins?: readonly Pin[];
  /** The printer's device: a serial port (/dev/serial0 = Pi UART, /dev/ttyUSB0) or a USB printer-class device (/dev/usb/lp0, no baud). */
  printerPort?: string;
  printerBaud?: number;
  firmataPort?: string;
  holdMs?: number;
  printerPollMs?: number;
  board?: BoardLinkOptions;
  /** The printer on serialport's MockBinding with a simulated printer at the far end (sim IO, and hardware-in-the-loop tests of the buttons). */
  printerMock?: boolean;
  /** The booking keypad's pins ("لدي حجز" button, 4 rows, 3 columns; Firmata only), or none. */
  booking?: { button: Pin; rows: readonly number[]; cols: readonly number[] } | null;
};

export type KioskHardware = {
  buttons: ButtonPanel; printer: TicketPrinter; booking: BookingKeys | null; sim: SimControl | null; printerSim: SimPrinter | null; close(): Promise<void>;
};

let simPortCounter = 0;

export async function createKioskHardware(cfg: KioskHardwareConfig): Promise<KioskHardware> {
  const defaults = pinsFor(cfg.io, DEFAULT_PINS.kiosk);
  const buttonPins = cfg.buttonPins ?? defaults.buttons;
  const lampPins = cfg.lampPins ?? defaults.lamps;
  const holdMs = cfg.holdMs ?? 1500;
  const baud = cfg.printerBaud ?? 115200;
  const board = await boardFor(cfg.io, cfg.firmataPort, cfg.board);
  // The "لدي حجز" button shares a port with the line buttons: an input before their reporting starts (no phantom press).
  if (cfg.booking) pullUpInputs(board.board, [cfg.booking.button]);
  const buttons = new LampButtonPanel({ board: board.board, buttonPins, lampPins, holdMs });
  let simPrinter: SimPrinter | null = null;
  let printer: SerialTicketPrinter;
  let booking: BookingKeys | null = null;
  try {
    if (cfg.booking) {
      const keypad = new MatrixKeypad({ board: board.board, rows: cfg.booking.rows, cols: cfg.booking.cols });
      booking = { button: new LampButtonPanel({ board: board.board, buttonPins: [cfg.booking.button], lampPins: [], holdMs }), keypad };
    }
    if (cfg.io === 'sim' || cfg.printerMock) {
      const path = `/dev/shubbak-sim-printer-${process.pid}-${++simPortCounter}`;
      SerialPortMock.binding.createPort(path);
      const port = await openPrinterPort(path, baud, 'mock');
      // Loaded only in sim: the simulated printer lays tickets out with the canvas (skia), which
      // a real kiosk needs only for its renderer and a keypad or board never (issue 10: memory).
      const { SimPrinter } = await import('./sim/printer.ts');
      const device = new SimPrinter(port);
      const reopen = async () => {
        const again = await openPrinterPort(path, baud, 'mock');
        device.attach(again);
        return again;
      };
      simPrinter = device;
      printer = new SerialTicketPrinter(port, { pollMs: cfg.printerPollMs, reopen });
    } else {
      const path = cfg.printerPort ?? '/dev/serial0';
      const reopen = () => openPrinterPort(path, baud);
      // A printer unplugged at boot is offline, not fatal: the status checks keep trying to open it.
      const port = await reopen().catch(() => unopenedPrinterPort(path, baud));
      printer = new SerialTicketPrinter(port, { pollMs: cfg.printerPollMs, reopen });
    }
  } catch (err) {
    buttons.close();
    booking?.button.close();
    booking?.keypad.close();
    board.close();
    throw err;
  }
  const close = async () => {
    buttons.close();
    booking?.button.close();
    booking?.keypad.close();
    await printer.close();
    board.close();
  };
  if (!board.sim || !simPrinter) return { buttons, printer, booking, sim: null, printerSim: simPrinter, close };
  const sp = simPrinter;
  const sim: SimControl = {
    ...EMPTY_SIM,
    ...simButtons(board.sim, buttons, buttonPins, lampPins, holdMs),
    printed: () => [...sp.tickets],
    lastPrinted: () => sp.lastTicket()?.image ?? null,
    setPaper: (state) => {
      sp.paper = state;
    },
  };
  return { buttons, printer, booking, sim, printerSim: simPrinter, close };
}

async function digitsSim(sim: SimFirmata, pins: DigitsPins, devices: number): Promise<Max7219Decoder> {
  const { Max7219Decoder } = await import('./sim/max7219.ts');
  return new Max7219Decoder(sim, { data: Number(pins.data), clock: Number(pins.clock), cs: Number(pins.cs) }, devices);
}

export type KeypadHardwareConfig = {
  io: IoKind;
  /** Next, Recall, No-show, Transfer, Pause/Resume, in that order (the keypad program's order). */
  keyPins?: readonly Pin[];
  lampPins?: readonly Pin[];
  digitsPins?: { data: Pin; clock: Pin; cs: Pin };
  digitsWidth?: number;
  firmataPort?: string;
  holdMs?: number;
  board?: BoardLinkOptions;
};

export type KeypadHardware = { buttons: ButtonPanel; digits: DigitsDisplay; sim: SimControl | null; close(): Promise<void> };

export async function createKeypadHardware(cfg: KeypadHardwareConfig): Promise<KeypadHardware> {
  const defaults = pinsFor(cfg.io, DEFAULT_PINS.keypad);
  const keyPins = cfg.keyPins ?? defaults.keys;
  const lampPins = cfg.lampPins ?? defaults.lamps;
  const pins = asPins(cfg.digitsPins ?? pinsFor(cfg.io, DEFAULT_PINS.digits));
  const width = cfg.digitsWidth ?? 8;
  const holdMs = cfg.holdMs ?? 1500;
  const board = await boardFor(cfg.io, cfg.firmataPort, cfg.board);
  // The decoder listens before the driver initialises the chip, so it sees every register.
  const decoder = board.sim ? await digitsSim(board.sim, pins, 1) : null;
  const buttons = new LampButtonPanel({ board: board.board, buttonPins: keyPins, lampPins, holdMs });
  const digits = new Max7219Digits({ board: board.board, pins, width });
  board.events.on('restored', () => digits.restore());
  const close = async () => {
    buttons.close();
    digits.close();
    decoder?.close();
    board.close();
  };
  if (!board.sim || !decoder) return { buttons, digits, sim: null, close };
  const sim: SimControl = {
    ...EMPTY_SIM,
    ...simButtons(board.sim, buttons, keyPins, lampPins, holdMs),
    digits: () => decoder.text(0, width),
    digitsLit: () => decoder.isOn(0),
    brightness: () => decoder.brightness(0),
  };
  return { buttons, digits, sim, close };
}

export type WindowBoardHardwareConfig = { io: IoKind; digitsPins?: { data: Pin; clock: Pin; cs: Pin }; digitsWidth?: number; firmataPort?: string; board?: BoardLinkOptions };
export type WindowBoardHardware = { digits: DigitsDisplay; sim: SimControl | null; close(): Promise<void> };

export async function createWindowBoardHardware(cfg: WindowBoardHardwareConfig): Promise<WindowBoardHardware> {
  const pins = asPins(cfg.digitsPins ?? pinsFor(cfg.io, DEFAULT_PINS.digits));
  const width = cfg.digitsWidth ?? 4;
  const board = await boardFor(cfg.io, cfg.firmataPort, cfg.board);
  const decoder = board.sim ? await digitsSim(board.sim, pins, 1) : null;
  const digits = new Max7219Digits({ board: board.board, pins, width });
  board.events.on('restored', () => digits.restore());
  const close = async () => {
    digits.close();
    decoder?.close();
    board.close();
  };
  if (!decoder) return { digits, sim: null, close };
  const sim: SimControl = {
    ...EMPTY_SIM,
    digits: () => decoder.text(0, width),
    digitsLit: () => decoder.isOn(0),
    brightness: () => decoder.brightness(0),
  };
  return { digits, sim, close };
}

export type HallHardwareConfig = { io: IoKind; rows?: number; digitsPins?: { data: Pin; clock: Pin; cs: Pin }; firmataPort?: string; board?: BoardLinkOptions };
/** `player` here only records (sim) or stays silent; the display program plugs in aplay on a real hall. */
export type HallHardware = { board: HallBoard; player: AudioPlayer; sim: SimControl | null; close(): Promise<void> };

export async function createHallHardware(cfg: HallHardwareConfig): Promise<HallHardware> {
  const pins = asPins(cfg.digitsPins ?? pinsFor(cfg.io, DEFAULT_PINS.digits));
  const rows = cfg.rows ?? 6;
  const board = await boardFor(cfg.io, cfg.firmataPort, cfg.board);
  const decoder = board.sim ? await digitsSim(board.sim, pins, rows) : null;
  const hall = new Max7219HallBoard({ board: board.board, pins, rows });
  board.events.on('restored', () => hall.restore());
  const played: string[] = [];
  const player: AudioPlayer = {
    play: async (file) => {
      played.push(file);
    },
    close: () => {},
  };
  const close = async () => {
    hall.close();
    decoder?.close();
    board.close();
  };
  if (!decoder) return { board: hall, player, sim: null, close };
  const sim: SimControl = {
    ...EMPTY_SIM,
    played: () => [...played],
    brightness: () => decoder.brightness(0),
    hallRows: () => {
      const out: { ticket: string; window: number }[] = [];
      for (let r = 0; r < rows; r++) {
        const m = /^(\S+)\s+(\d+)$/.exec(decoder.text(r, HALL_ROW_WIDTH).trim());
        if (m) out.push({ ticket: m[1], window: Number(m[2]) });
      }
      return out;
    },
  };
  return { board: hall, player, sim, close };
}
