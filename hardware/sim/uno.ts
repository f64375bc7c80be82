// An Arduino Uno in software, for hardware-in-the-loop tests and the bench: the real
// StandardFirmata image (a compiled .hex) runs on avr8js's ATmega328P at 16 MHz, its USART
// is the board's USB serial line (see uno-binding.ts), and the harness sees and drives the
// header pins as the wiring guide wires them: buttons to GND with the internal pull-up
// (pressed = LOW), lamps and MAX7219 DIN/CLK/CS as outputs, and the keys of a matrix
// keypad as switches between two pins (a row the host drives, a column with its pull-up).
//
// Time is the CPU's cycle count, never the wall clock. A board runs only while it has
// work — bytes on its serial line, a pin that changed (an input pressed, or an output the
// firmware drives), its boot — and a shared scheduler
// runs the boards in bounded chunks, yielding to the event loop in between, so a hub in
// the same process is never starved. Idle time is not emulated (StandardFirmata does
// nothing on its own but poll), which keeps a test's cost to the bytes it exchanges.
//
// Boot: StandardFirmata blinks its version on D13 (~1.9 s of emulated time, ~30 M cycles)
// before it reports. Every boot of the same image is identical, so the first board of a
// process boots for real and every later reset restores a copy of that booted machine
// (CPU, timers, USART, ports; see copyMachine).
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import { createHash } from 'node:crypto';
import {
  AVRIOPort, AVRTimer, AVRUSART, CPU, PinState, avrInstruction, portBConfig, portCConfig, portDConfig, timer0Config, timer1Config, timer2Config,
  usart0Config,
} from 'avr8js';

export const UNO_HZ = 16_000_000;

/** Parses Intel HEX (record types 00 data, 01 end; others ignored) into a 32 KiB flash image. */
export function parseIntelHex(text: string, flashBytes = 0x8000): Uint8Array {
  const flash = new Uint8Array(flashBytes);
  let base = 0;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    if (!line.startsWith(':')) throw new Error(`not Intel HEX: ${line.slice(0, 20)}`);
    const rec = Buffer.from(line.slice(1), 'hex');
    const len = rec[0];
    const sum = rec.reduce((s, b) => (s + b) & 0xff, 0);
    if (sum !== 0) throw new Error('Intel HEX checksum mismatch');
    const addr = rec.readUInt16BE(1);
    const type = rec[3];
    if (type === 0) flash.set(rec.subarray(4, 4 + len), base + addr);
    else if (type === 1) break;
    else if (type === 2) base = rec.readUInt16BE(4) << 4;
  }
  return flash;
}

type Machine = { cpu: CPU; timers: AVRTimer[]; usart: AVRUSART; ports: AVRIOPort[] };

function buildMachine(flash: Uint8Array): Machine {
  const cpu = new CPU(new Uint16Array(flash.slice().buffer));
  const timers = [new AVRTimer(cpu, timer0Config), new AVRTimer(cpu, timer1Config), new AVRTimer(cpu, timer2Config)];
  const usart = new AVRUSART(cpu, usart0Config, UNO_HZ);
  const ports = [new AVRIOPort(cpu, portBConfig), new AVRIOPort(cpu, portCConfig), new AVRIOPort(cpu, portDConfig)];
  return { cpu, timers, usart, ports };
}

/**
 * Copies the state of one machine into another built from the same image: every number,
 * flag and memory array of the CPU and peripherals, the pending interrupts and the CPU's
 * clock events (each peripheral's own callbacks, matched by name). Hooks and listeners
 * stay the destination's. Throws if a clock event has no named counterpart (a USART
 * transfer in flight): snapshots are taken only on a quiet line.
 */
function copyMachine(src: Machine, dst: Machine): void {
  const map = new Map<unknown, unknown>();
  const skip = new Set(['readHooks', 'writeHooks', 'gpioByPort', 'gpioPorts', 'listeners', 'externalClockListeners', 'clockEventPool', 'config', 'portConfig', 'cpu', 'externalClockPort', 'progMem', 'progBytes', 'dataView']);
  const copy = (s: Record<string, unknown>, d: Record<string, unknown>) => {
    map.set(s, d);
    for (const key of Object.keys(s)) {
      if (skip.has(key) || key === 'pendingInterrupts' || key === 'nextClockEvent') continue;
      const sv = s[key];
      const dv = d[key];
      if (typeof sv === 'function') {
        map.set(sv, dv);
        continue;
      }
      if (typeof dv === 'function') continue;
      if (sv === null || sv === undefined || typeof sv !== 'object') d[key] = sv;
      else if (ArrayBuffer.isView(sv)) (dv as Uint8Array).set(sv as Uint8Array);
      else if (Array.isArray(sv)) sv.forEach((e, i) => e && typeof e === 'object' && copy(e as Record<string, unknown>, (dv as Record<string, unknown>[])[i]));
      else copy(sv as Record<string, unknown>, dv as Record<string, unknown>);
    }
  };
  const all = (m: Machine) => [m.cpu, ...m.timers, m.usart, ...m.ports] as unknown as Record<string, unknown>[];
  const [s, d] = [all(src), all(dst)];
  s.forEach((o, i) => copy(o, d[i]));
  type Ev = { cycles: number; callback: () => void; next: Ev | null };
  const sc = src.cpu as unknown as { pendingInterrupts: unknown[]; nextClockEvent: Ev | null };
  const dc = dst.cpu as unknown as { pendingInterrupts: unknown[]; nextClockEvent: Ev | null };
  dc.pendingInterrupts = sc.pendingInterrupts.map((p) => (p ? map.get(p) : null));
  let head: Ev | null = null;
  let tail: Ev | null = null;
  for (let e = sc.nextClockEvent; e; e = e.next) {
    const callback = map.get(e.callback) as (() => void) | undefined;
    if (!callback) throw new Error('machine busy: a clock event has no counterpart');
    const n: Ev = { cycles: e.cycles, callback, next: null };
    if (tail) tail.next = n;
    else head = n;
    tail = n;
  }
  dc.nextClockEvent = head;
}

/** Arduino pin number → [port index in Machine.ports (B, C, D), bit]. D0–7 = PD, D8–13 = PB, A0–A5 (14–19) = PC. */
function portBit(pin: number): [number, number] {
  if (pin >= 0 && pin <= 7) return [2, pin];
  if (pin >= 8 && pin <= 13) return [0, pin - 8];
  if (pin >= 14 && pin <= 19) return [1, pin - 14];
  throw new RangeError(`no Uno pin ${pin}`);
}
const PINS_OF_PORT = [[8, 9, 10, 11, 12, 13], [14, 15, 16, 17, 18, 19], [0, 1, 2, 3, 4, 5, 6, 7]];

const SETTLE_CYCLES = 32_000; // 2 ms: a few hundred loop() passes after the last event
const CHUNK_CYCLES = 40_000;
const SLICE_MS = 4;

// ---- the shared scheduler: round-robin over boards that have work, in bounded slices ----
const running = new Set<EmulatedUno>();
let pumping = false;

function wake(): void {
  if (pumping) return;
  pumping = true;
  setImmediate(pump);
}

function pump(): void {
  const start = performance.now();
  for (;;) {
    let busy = false;
    for (const uno of running) if (uno.runChunk(CHUNK_CYCLES)) busy = true;
    if (!busy) {
      pumping = false;
      return;
    }
    if (performance.now() - start > SLICE_MS) break;
  }
  setImmediate(pump);
}

// ---- the boot snapshot, per image ----
const booted = new Map<string, Machine>();
/** What the firmware sent while booting (its version and name), per image. */
const bootTx = new Map<string, number[]>();

export type UnoImage = { flash: Uint8Array; sha256: string; bytes: number };

export function loadImage(hexPath: string): UnoImage {
  const text = fs.readFileSync(hexPath);
  return { flash: parseIntelHex(text.toString('latin1')), sha256: createHash('sha256').update(text).digest('hex'), bytes: text.length };
}

export type PinListener = (pin: number, level: 0 | 1, cycles: number) => void;

export class EmulatedUno extends EventEmitter<{ tx: [Buffer]; rx: [number]; booted: []; power: [boolean] }> {
  private m!: Machine;
  /** Output level of each pin that is an output (lamps, MAX7219 lines); inputs are absent. */
  readonly pinLevels = new Map<number, number>();
  private readonly pinListeners: PinListener[] = [];
  private readonly pressed = new Set<number>();
  /** Closed switches between two pins (a matrix keypad's key joins its row and its column). */
  private readonly joined = new Map<number, Set<number>>();
  private rx: number[] = [];
  private rxActive = false;
  private runUntil = 0;
  private booting = false;
  private txPending: number[] = [];
  /** The cycle the last byte went into the UART's transmit register. */
  lastTxCycles = 0;
  private txFlush = false;
  private bootTail: number[] = [];
  powered = false;
  /** Cycles run since this object was made, across resets (the bench's clock). */
  private base = 0;

  constructor(private readonly image: UnoImage) {
    super();
  }

  /** Emulated time in CPU cycles since the board was made (monotonic across resets). */
  get cycles(): number {
    return this.powered ? this.base + this.m.cpu.cycles : this.base;
  }

  get ms(): number {
    return this.cycles / (UNO_HZ / 1000);
  }

  /** Power on (or reset): the firmware starts from scratch; resolves once it has reported its version and name. */
  async powerOn(): Promise<void> {
    if (this.powered) this.base += this.m.cpu.cycles;
    this.m = buildMachine(this.image.flash);
    this.rx = [];
    this.rxActive = false;
    this.txPending = [];
    this.wire();
    this.powered = true;
    this.emit('power', true);
    const snap = booted.get(this.image.sha256);
    if (snap) {
      copyMachine(snap, this.m);
      this.refreshPins();
      // What the firmware sent while booting, as the real one would after a reset.
      this.emitTx(Buffer.from(bootTx.get(this.image.sha256) ?? []));
      this.demand(SETTLE_CYCLES);
      return;
    }
    this.booting = true;
    this.bootTail = [];
    const done = new Promise<void>((resolve) => this.once('booted', resolve));
    this.runUntil = Number.POSITIVE_INFINITY;
    running.add(this);
    wake();
    await done;
  }

  /** USB pulled: the board and the modules it powers go dark; the line is gone. */
  powerOff(): void {
    if (!this.powered) return;
    this.base += this.m.cpu.cycles;
    this.powered = false;
    running.delete(this);
    this.rx = [];
    for (const pin of [...this.pinLevels.keys()]) this.setLevel(pin, null);
    this.emit('power', false);
  }

  close(): void {
    this.powerOff();
    this.removeAllListeners();
  }

  /** Bytes from the host (the USB serial line), delivered at the UART's baud rate. */
  receive(bytes: Uint8Array): void {
    if (!this.powered) return;
    // 'rx' marks the cycle a burst starts on a quiet line (the bench's start of an update).
    if (this.rx.length === 0 && !this.rxActive) this.emit('rx', this.cycles);
    for (const b of bytes) this.rx.push(b);
    this.feed();
    this.demand(this.rx.length * this.cyclesPerChar() + SETTLE_CYCLES);
  }

  /** A push button wired pin → GND: pressed pulls the pin LOW, released leaves it to the pull-up. */
  setButton(pin: number, down: boolean): void {
    if (down) this.pressed.add(pin);
    else this.pressed.delete(pin);
    if (!this.powered) return;
    this.refreshInput(pin);
    this.demand(SETTLE_CYCLES);
  }

  /**
   * A key of a matrix keypad: a switch between pins a and b. Closed, an input on one side reads
   * the level the other side drives (LOW when the host scans that row), else its pull-up.
   */
  setSwitch(a: number, b: number, closed: boolean): void {
    for (const [x, y] of [[a, b], [b, a]] as const) {
      const set = this.joined.get(x) ?? new Set<number>();
      if (closed) set.add(y);
      else set.delete(y);
      this.joined.set(x, set);
    }
    if (!this.powered) return;
    this.refreshInput(a);
    this.refreshInput(b);
    this.demand(SETTLE_CYCLES);
  }

  /** An input whose pull-up is on (PORTx bit set, DDRx bit clear): what keeps an open button or a keypad column HIGH. */
  pullUp(pin: number): boolean {
    if (!this.powered) return false;
    const [pi, bit] = portBit(pin);
    const { DDR, PORT } = this.m.ports[pi].portConfig;
    const data = this.m.cpu.data;
    return ((data[DDR] >> bit) & 1) === 0 && ((data[PORT] >> bit) & 1) === 1;
  }

  /** 1 / 0 for an output pin, null for an input (a lamp pin the firmware never drove). */
  level(pin: number): 0 | 1 | null {
    const v = this.pinLevels.get(pin);
    return v === undefined ? null : (v as 0 | 1);
  }

  /** Every change of an output level, with the cycle it happened at (the MAX7219 decoder's input). */
  onPinWrite(listener: PinListener): () => void {
    this.pinListeners.push(listener);
    return () => {
      const i = this.pinListeners.indexOf(listener);
      if (i >= 0) this.pinListeners.splice(i, 1);
    };
  }

  /** Runs until the board has nothing left to do (its serial line is drained and settled). */
  idle(): Promise<void> {
    if (!this.powered || (!running.has(this) && this.rx.length === 0)) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => (!this.powered || !running.has(this) ? resolve() : setTimeout(check, 2));
      check();
    });
  }

  /** One bounded slice of work for the scheduler; false when the board has nothing to do. */
  runChunk(maxCycles: number): boolean {
    if (!this.powered) return false;
    const cpu = this.m.cpu;
    if (cpu.cycles >= this.runUntil) {
      running.delete(this);
      return false;
    }
    const end = Math.min(this.runUntil, cpu.cycles + maxCycles);
    while (cpu.cycles < end && this.powered) {
      avrInstruction(cpu);
      cpu.tick();
    }
    this.flushTx();
    return true;
  }

  private demand(cycles: number): void {
    if (!this.powered) return;
    this.runUntil = Math.max(this.runUntil, this.m.cpu.cycles + cycles);
    running.add(this);
    wake();
  }

  private cyclesPerChar(): number {
    return (this.m.usart as unknown as { cyclesPerChar: number }).cyclesPerChar;
  }

  private feed(): void {
    const u = this.m.usart;
    if (this.rxActive || this.rx.length === 0) return;
    if (!u.rxEnable) {
      this.rx = []; // a UART that is not listening loses what comes down the line
      return;
    }
    if (u.writeByte(this.rx[0])) {
      this.rx.shift();
      this.rxActive = true;
    }
  }

  private wire(): void {
    const { usart, ports } = this.m;
    usart.onRxComplete = () => {
      this.rxActive = false;
      this.feed();
    };
    usart.onByteTransmit = (b) => {
      this.txPending.push(b);
      this.lastTxCycles = this.cycles;
      if (this.booting) this.bootTail.push(b);
      if (this.booting && b === 0xf7) this.bootDone();
      if (!this.booting) this.demand(SETTLE_CYCLES);
    };
    ports.forEach((port, i) => port.addListener(() => this.onPort(i)));
  }

  private bootDone(): void {
    // Wait for the last byte to leave the UART, then snapshot (the line must be quiet).
    this.booting = false;
    const cpu = this.m.cpu;
    const until = cpu.cycles + this.cyclesPerChar() * 2;
    this.runUntil = until;
    const finish = () => {
      if (cpu.cycles < until) return void setImmediate(finish);
      if (!booted.has(this.image.sha256)) {
        const snap = buildMachine(this.image.flash);
        try {
          copyMachine(this.m, snap);
          booted.set(this.image.sha256, snap);
          bootTx.set(this.image.sha256, [...this.bootTail]);
        } catch {
          /* not quiet: later boards boot for real */
        }
      }
      this.emit('booted');
    };
    setImmediate(finish);
  }

  private flushTx(): void {
    if (this.txPending.length === 0) return;
    const out = Buffer.from(this.txPending);
    this.txPending = [];
    this.emitTx(out);
  }

  private emitTx(out: Buffer): void {
    if (out.length) this.emit('tx', out);
  }

  private onPort(index: number): void {
    const port = this.m.ports[index];
    for (const pin of PINS_OF_PORT[index]) {
      const bit = portBit(pin)[1];
      const st = port.pinState(bit);
      if (st === PinState.High) this.setLevel(pin, 1);
      else if (st === PinState.Low) this.setLevel(pin, 0);
      else {
        this.setLevel(pin, null);
        this.refreshInput(pin);
      }
    }
  }

  private refreshPins(): void {
    for (let i = 0; i < 3; i++) this.onPort(i);
  }

  private refreshInput(pin: number): void {
    const [pi, bit] = portBit(pin);
    const port = this.m.ports[pi];
    const st = port.pinState(bit);
    if (st === PinState.High || st === PinState.Low) return;
    // Pressed: shorted to GND. Released: the pull-up holds it HIGH. Without the pull-up an open
    // button floats; StandardFirmata 2.4 leaves a pin so for the ~0.5 ms between PIN_MODE INPUT
    // and the port write that turns the pull-up on, which johnny-five's 7 ms debounce absorbs
    // on a real board. An emulation slower than real time would stretch that into a phantom
    // press, so a floating pin reads HIGH here: noise is not what these tests are about.
    // A closed switch to a pin driven LOW pulls this one LOW too.
    const low = [...(this.joined.get(pin) ?? [])].some((other) => this.pinLevels.get(other) === 0);
    port.setPin(bit, !this.pressed.has(pin) && !low);
  }

  /** Inputs joined by a closed switch to a pin whose level changed read it again. */
  private refreshJoined(pin: number): void {
    for (const other of this.joined.get(pin) ?? []) if (!this.pinLevels.has(other)) this.refreshInput(other);
  }

  private setLevel(pin: number, level: 0 | 1 | null): void {
    const old = this.pinLevels.get(pin);
    if (level === null) {
      this.pinLevels.delete(pin);
      if (old !== undefined && this.powered) this.refreshJoined(pin);
      return;
    }
    if (old === level) return;
    this.pinLevels.set(pin, level);
    this.refreshJoined(pin);
    // An output changing is the firmware at work (ShubbakFirmata shifting a long MAX7219
    // update out by itself): the board keeps running until it has been quiet for a while.
    this.demand(SETTLE_CYCLES);
    const cycles = this.cycles;
    for (const l of this.pinListeners) l(pin, level, cycles);
  }
}
