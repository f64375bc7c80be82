// STOPGAP until hardware/devices.ts lands (the drivers are another helper's work): the
// smallest sim IO the device programs need, on the real code paths — johnny-five Button,
// Led and Led.Digits components on a mock Firmata board, an ESC/POS printer on
// serialport's SerialPortMock answering DLE EOT, a canvas-rendered ticket — plus the
// control handle the simulator, tests and bench use (press, lamps, digits, printed tickets).
import { EventEmitter } from 'node:events';
import five from 'johnny-five';
// @ts-expect-error -- mock-firmata ships no types; only its Firmata class is used, typed below
import mockFirmata from 'mock-firmata';
import { SerialPortMock } from 'serialport';
import { createCanvas } from '@napi-rs/canvas';
import type { AudioPlayer, ButtonPanel, DigitsDisplay, HallBoard, LampState, MonoImage, PaperWidth, PrinterStatus, TicketContent, TicketPrinter } from '@shubbak/hardware/types.ts';

type J5 = any; // eslint-disable-line @typescript-eslint/no-explicit-any -- johnny-five's typings lack Digits and the io/sigint options
const J = five as unknown as J5;
const MockFirmata = (mockFirmata as unknown as { Firmata: new () => EventEmitter & Record<string, unknown> }).Firmata;

/** A mock Firmata that hands out button edges and watches pin writes (lamps, MAX7219 bit-banging). */
class SimFirmata extends (MockFirmata as unknown as new () => EventEmitter) {
  readonly readers = new Map<number, (v: number) => void>();
  readonly pinValues = new Map<number, number>();
  readonly writeListeners: ((pin: number, v: number) => void)[] = [];
  digitalRead(pin: number, cb: (v: number) => void): void {
    this.readers.set(pin, cb);
  }
  digitalWrite(pin: number, v: number): void {
    this.pinValues.set(pin, v);
    for (const l of this.writeListeners) l(pin, v);
  }
}

async function simBoard(): Promise<{ board: J5; io: SimFirmata }> {
  const io = new SimFirmata();
  const board = new J.Board({ io, repl: false, debug: false, sigint: false });
  setImmediate(() => {
    io.emit('connect');
    io.emit('ready');
  });
  await new Promise<void>((resolve) => board.once('ready', () => resolve()));
  return { board, io };
}

// ---- 7-segment font (MAX7219 no-decode mode: bit 6..0 = segments A..G) ----
const SEG: Record<string, number> = {
  '0': 0x7e, '1': 0x30, '2': 0x6d, '3': 0x79, '4': 0x33, '5': 0x5b, '6': 0x5f, '7': 0x70, '8': 0x7f, '9': 0x7b, ' ': 0x00, '-': 0x01,
  A: 0x77, b: 0x1f, C: 0x4e, c: 0x0d, d: 0x3d, E: 0x4f, F: 0x47, G: 0x5e, H: 0x37, h: 0x17, I: 0x30, J: 0x3c, L: 0x0e, n: 0x15,
  o: 0x1d, P: 0x67, r: 0x05, S: 0x5b, t: 0x0f, U: 0x3e, u: 0x1c, y: 0x3b,
};
const ALIASES: Record<string, string> = { B: 'b', D: 'd', K: 'H', M: 'n', N: 'n', O: '0', Q: 'o', R: 'r', T: 't', V: 'U', W: 'U', X: 'H', Y: 'y', Z: '2' };
export const segmentsOf = (ch: string): number => SEG[ch] ?? SEG[ALIASES[ch] ?? ''] ?? SEG[ch.toUpperCase()] ?? SEG[ch.toLowerCase()] ?? 0;
const DECODE = new Map<number, string>();
for (const [ch, s] of Object.entries(SEG)) if (!DECODE.has(s)) DECODE.set(s, ch);
/** How a text reads back from the segments (a 7-segment 'O' is a '0'). */
export const looksLike = (text: string): string => [...text].map((c) => DECODE.get(segmentsOf(c)) ?? '?').join('');

/** Decodes MAX7219 traffic (CS low, 16 bits per chained device MSB first on clock rises, CS high latches). */
class Max7219Decoder {
  readonly regs: number[][];
  private bits: number[] = [];
  private selected = false;
  constructor(private readonly pins: { data: number; clock: number; cs: number }, devices: number, io: SimFirmata) {
    this.regs = Array.from({ length: devices }, () => new Array<number>(16).fill(0));
    io.writeListeners.push((pin, v) => {
      if (pin === pins.cs) {
        if (v === 0) {
          this.selected = true;
          this.bits = [];
        } else if (this.selected) {
          this.selected = false;
          this.latch();
        }
      } else if (pin === pins.clock && v === 1 && this.selected) this.bits.push(io.pinValues.get(pins.data) ?? 0);
    });
  }
  private latch(): void {
    const words = Math.floor(this.bits.length / 16);
    for (let w = 0; w < words; w++) {
      let word = 0;
      for (let b = 0; b < 16; b++) word = (word << 1) | this.bits[w * 16 + b];
      // The first word shifted in ends in the last device of the chain.
      const device = words - 1 - w;
      if (this.regs[device]) this.regs[device][(word >> 8) & 0x0f] = word & 0xff;
    }
  }
  /** Characters shown by one device, leftmost first (digit register 8 is the leftmost). */
  text(device: number, width: number): string {
    const r = this.regs[device];
    let s = '';
    for (let i = width; i >= 1; i--) s += DECODE.get(r[i] & 0x7f) ?? '?';
    return s;
  }
}

// ---- buttons with lamps ----
function buttonPanel(board: J5, io: SimFirmata, buttonPins: number[], lampPins: number[]): { panel: ButtonPanel; press(k: number): void; lamp(k: number): LampState } {
  const emitter = new EventEmitter<{ press: [number]; hold: [number] }>();
  const buttons = buttonPins.map((pin, key) => {
    const b = new J.Button({ pin, board, holdtime: 1500 });
    b.on('press', () => emitter.emit('press', key));
    b.on('hold', () => emitter.emit('hold', key));
    return b;
  });
  const leds = lampPins.map((pin) => new J.Led({ pin, board }));
  const states: LampState[] = lampPins.map(() => 'off');
  const set = (key: number, s: LampState) => {
    const led = leds[key];
    if (!led) return;
    states[key] = s;
    led.stop();
    if (s === 'on') led.on();
    else if (s === 'off') led.off();
    else led.blink(400);
  };
  const panel = Object.assign(emitter, {
    keys: buttonPins.map((_, k) => k),
    setLamp: set,
    setAllLamps: (s: LampState) => states.forEach((_, k) => set(k, s)),
    close: () => {
      for (const l of leds) {
        l.stop();
        l.off();
      }
      for (const b of buttons) b.removeAllListeners();
      emitter.removeAllListeners();
    },
  }) as unknown as ButtonPanel;
  return {
    panel,
    press(key) {
      const cb = io.readers.get(buttonPins[key]);
      if (!cb) return;
      cb(1); // a rising edge: pressed
      setTimeout(() => cb(0), 30); // released after the debounce window
    },
    // What the lamp's pin really carries (a blink shows as 'blink', its pin toggles).
    lamp: (key) => (states[key] === 'blink' ? 'blink' : io.pinValues.get(lampPins[key]) === 1 ? 'on' : 'off'),
  };
}

function digitsDisplay(board: J5, io: SimFirmata, pins: { data: number; clock: number; cs: number }, width: number, devices = 1) {
  const digits = new J.Led.Digits({ pins, board, devices });
  const decoder = new Max7219Decoder(pins, devices, io);
  const write = (device: number, text: string) => {
    const padded = text.padStart(width).slice(0, width);
    // Every position is written, so a shorter text never leaves stale digits behind.
    for (let i = 0; i < width; i++) digits.sendDigit(device, width - 1 - i, segmentsOf(padded[i]));
  };
  return { digits, decoder, write };
}

// ---- ESC/POS printer on SerialPortMock ----
const DLE_EOT_PAPER = Buffer.from([0x10, 0x04, 0x04]);

/** The printer end of the mock serial line: answers DLE EOT 4, keeps the bytes, decodes rasters. */
class SimPrinterDevice {
  paper: PrinterStatus = 'ok';
  bytes = Buffer.alloc(0);
  constructor(port: SerialPortMock) {
    const binding = (port as unknown as { port: { write(b: Buffer): Promise<void>; emitData(b: Buffer): void } }).port;
    const write = binding.write.bind(binding);
    binding.write = async (buf: Buffer) => {
      await write(buf);
      if (buf.length === 3 && buf.equals(DLE_EOT_PAPER)) {
        if (this.paper === 'offline') return; // no answer at all
        const sensor = this.paper === 'paper-out' ? 0x60 | 0x0c : this.paper === 'paper-low' ? 0x0c : 0;
        setImmediate(() => binding.emitData(Buffer.from([0x12 | sensor])));
        return;
      }
      if (this.paper === 'paper-out' || this.paper === 'offline') return; // nothing comes out
      this.bytes = Buffer.concat([this.bytes, buf]);
    };
  }
  /** The raster of the last complete job (ESC @ … GS V), bands joined. */
  lastImage(): MonoImage | null {
    const b = this.bytes;
    const cut = b.lastIndexOf(Buffer.from([0x1d, 0x56]));
    if (cut < 0) return null;
    const start = b.lastIndexOf(Buffer.from([0x1b, 0x40]), cut);
    const parts: { w: number; h: number; data: Buffer }[] = [];
    for (let i = start; i < cut; ) {
      if (b[i] === 0x1d && b[i + 1] === 0x76 && b[i + 2] === 0x30) {
        const w = b[i + 4] | (b[i + 5] << 8);
        const h = b[i + 6] | (b[i + 7] << 8);
        parts.push({ w, h, data: b.subarray(i + 8, i + 8 + w * h) });
        i += 8 + w * h;
      } else i++;
    }
    if (!parts.length) return null;
    const height = parts.reduce((n, p) => n + p.h, 0);
    return { width: parts[0].w * 8, height, data: new Uint8Array(Buffer.concat(parts.map((p) => p.data))) };
  }
}

/** TicketPrinter over a serial port: ESC/POS raster in bands, status by DLE EOT 4 (polled). */
class EscPosPrinter extends EventEmitter<{ status: [PrinterStatus] }> implements TicketPrinter {
  status: PrinterStatus = 'ok';
  private poll: NodeJS.Timeout;
  private waiting: ((b: number | null) => void) | null = null;
  constructor(private readonly port: SerialPortMock, pollMs: number) {
    super();
    port.on('data', (d: Buffer) => {
      const w = this.waiting;
      this.waiting = null;
      w?.(d[0]);
    });
    this.poll = setInterval(() => void this.checkStatus().catch(() => {}), pollMs);
  }
  async checkStatus(): Promise<PrinterStatus> {
    const byte = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        this.waiting = null;
        resolve(null);
      }, 300);
      this.waiting = (b) => {
        clearTimeout(timer);
        resolve(b);
      };
      this.port.write(DLE_EOT_PAPER);
    });
    const s: PrinterStatus = byte === null ? 'offline' : byte & 0x60 ? 'paper-out' : byte & 0x0c ? 'paper-low' : 'ok';
    if (s !== this.status) {
      this.status = s;
      this.emit('status', s);
    }
    return s;
  }
  async print(img: MonoImage): Promise<void> {
    const s = await this.checkStatus();
    if (s === 'paper-out' || s === 'offline') throw new Error(`printer ${s}`);
    const stride = Math.ceil(img.width / 8);
    const chunks: Buffer[] = [Buffer.from([0x1b, 0x40])];
    for (let y = 0; y < img.height; y += 128) {
      const h = Math.min(128, img.height - y);
      chunks.push(Buffer.from([0x1d, 0x76, 0x30, 0x00, stride & 0xff, stride >> 8, h & 0xff, h >> 8]));
      chunks.push(Buffer.from(img.data.subarray(y * stride, (y + h) * stride)));
    }
    chunks.push(Buffer.from([0x1b, 0x64, 0x04, 0x1d, 0x56, 0x42, 0x00]));
    await new Promise<void>((resolve, reject) => this.port.write(Buffer.concat(chunks), (err) => (err ? reject(err) : resolve())));
    await new Promise<void>((resolve, reject) => this.port.drain((err) => (err ? reject(err) : resolve())));
  }
  async close(): Promise<void> {
    clearInterval(this.poll);
    if (this.port.isOpen) await new Promise<void>((r) => this.port.close(() => r()));
  }
}

// ---- ticket renderer ----
const DOTS: Record<PaperWidth, number> = { '58mm': 384, '80mm': 576 };

/** The ticket as a 1-bit image: center, line name, big number, people ahead, wait, Cairo time, footer. */
export function renderTicket(t: TicketContent, paper: PaperWidth): MonoImage {
  const width = DOTS[paper];
  const height = 520;
  const canvas = createCanvas(width, height);
  const g = canvas.getContext('2d');
  g.fillStyle = '#fff';
  g.fillRect(0, 0, width, height);
  g.fillStyle = '#000';
  g.textAlign = 'center';
  g.direction = 'rtl';
  const line = (text: string, y: number, px: number, bold = false) => {
    g.font = `${bold ? 'bold ' : ''}${px}px "DejaVu Sans"`;
    g.fillText(text, width / 2, y, width - 16);
  };
  const when = new Intl.DateTimeFormat('ar-EG-u-nu-latn', { timeZone: t.timeZone ?? 'Africa/Cairo', dateStyle: 'short', timeStyle: 'short' }).format(t.issuedAt);
  line(t.center, 40, 20);
  line(t.lineName, 90, 30, true);
  g.direction = 'ltr';
  line(t.number, 220, 110, true);
  g.direction = 'rtl';
  line(`أمامك ${t.ahead} — الانتظار نحو ${t.estimatedWaitMin} دقيقة`, 290, 24);
  if (t.priority) line('أولوية', 330, 24, true);
  line(when, 380, 22);
  line(t.footer, 450, 18);
  const px = g.getImageData(0, 0, width, height).data;
  const stride = Math.ceil(width / 8);
  const data = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) if (px[(y * width + x) * 4] < 128) data[y * stride + (x >> 3)] |= 0x80 >> (x & 7);
  return { width, height, data };
}

// ---- per-device bundles ----
export type SimHandle = {
  press(key: number): void;
  lamp(key: number): LampState;
  digits(): string;
  hallRows(): { ticket: string; window: number }[];
  lastPrinted(): MonoImage | null;
  setPaper(s: PrinterStatus): void;
  played(): string[];
};
const none = { digits: () => '', hallRows: () => [], lastPrinted: () => null, setPaper: () => {}, played: () => [], press: () => {}, lamp: (): LampState => 'off' };

let portNo = 0;
export async function simKioskIo(o: { keys?: number } = {}) {
  const { board, io } = await simBoard();
  const n = o.keys ?? 4;
  const buttons = buttonPanel(board, io, [2, 3, 4, 5].slice(0, n), [8, 9, 10, 11].slice(0, n));
  const path = `/dev/sim-printer-${process.pid}-${++portNo}`;
  SerialPortMock.binding.createPort(path);
  const port = new SerialPortMock({ path, baudRate: 115200, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
  const device = new SimPrinterDevice(port);
  const printer = new EscPosPrinter(port, 250);
  const sim: SimHandle = { ...none, press: buttons.press, lamp: buttons.lamp, lastPrinted: () => device.lastImage(), setPaper: (s) => (device.paper = s) };
  return {
    buttons: buttons.panel, printer, render: renderTicket, sim,
    async close() {
      buttons.panel.close();
      await printer.close();
    },
  };
}

export async function simKeypadIo(o: { width?: number } = {}) {
  const { board, io } = await simBoard();
  const width = o.width ?? 8;
  const buttons = buttonPanel(board, io, [2, 3, 4, 5, 6], [7, 8, 9, 14, 15]);
  const d = digitsDisplay(board, io, { data: 11, clock: 13, cs: 10 }, width);
  const digits: DigitsDisplay = {
    width, show: (text) => d.write(0, text), clear: () => d.write(0, ''), setBrightness: (l) => d.digits.brightness(Math.round((l / 15) * 100)), close: () => d.write(0, ''),
  };
  const sim: SimHandle = { ...none, press: buttons.press, lamp: buttons.lamp, digits: () => d.decoder.text(0, width) };
  return { buttons: buttons.panel, digits, sim, async close() { buttons.panel.close(); digits.close(); } };
}

export async function simWindowBoardIo(o: { width?: number } = {}) {
  const { board, io } = await simBoard();
  const width = o.width ?? 4;
  const d = digitsDisplay(board, io, { data: 11, clock: 13, cs: 10 }, width);
  let blinkTimer: NodeJS.Timeout | null = null;
  let shown = '';
  const stopBlink = () => {
    if (blinkTimer) clearInterval(blinkTimer);
    blinkTimer = null;
  };
  const digits: DigitsDisplay = {
    width,
    show(text, opts) {
      stopBlink();
      shown = text;
      d.write(0, text);
      if (opts?.blink) {
        let on = true;
        blinkTimer = setInterval(() => d.write(0, (on = !on) ? shown : ''), 400);
      }
    },
    clear: () => { stopBlink(); shown = ''; d.write(0, ''); },
    setBrightness: (l) => d.digits.brightness(Math.round((l / 15) * 100)),
    close: () => { stopBlink(); d.write(0, ''); },
  };
  // A blinking board reads as its text (the page shows the blink itself).
  const sim: SimHandle = { ...none, digits: () => (blinkTimer ? shown.padStart(width) : d.decoder.text(0, width)) };
  return { digits, sim, async close() { digits.close(); } };
}

/** The hall board: a chain of 8-digit MAX7219 modules, one row each: ticket left, window right. */
export async function simHallIo(o: { rows?: number } = {}) {
  const { board, io } = await simBoard();
  const rows = o.rows ?? 6;
  const d = digitsDisplay(board, io, { data: 11, clock: 13, cs: 10 }, 8, rows);
  const played: string[] = [];
  const hall: HallBoard = {
    rows,
    show(list) {
      for (let r = 0; r < rows; r++) {
        const c = list[r];
        d.write(r, c ? `${c.ticket.padEnd(5)}${String(c.window).padStart(3)}` : '');
      }
    },
    clear() { for (let r = 0; r < rows; r++) d.write(r, ''); },
    close() { this.clear(); },
  };
  const player: AudioPlayer = { play: async (f) => { played.push(f); }, close: () => {} };
  const sim: SimHandle = {
    ...none,
    played: () => [...played],
    hallRows: () => {
      const out: { ticket: string; window: number }[] = [];
      for (let r = 0; r < rows; r++) {
        const text = d.decoder.text(r, 8);
        const m = /^(\S+)\s+(\d+)$/.exec(text.trim());
        if (m) out.push({ ticket: m[1], window: Number(m[2]) });
      }
      return out;
    },
  };
  return { board: hall, player, sim, async close() { hall.close(); } };
}
