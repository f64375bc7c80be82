// The MAX7219 serial bus (DIN, CLK, CS/LOAD) through the board's IO: one frame is CS low,
// 16 bits per chained chip shifted MSB first (DIN sampled on each CLK rise), CS high
// latches. The window board and the hall board both write through it.
//
// On ShubbakFirmata (hardware/firmware/, detected by the name the board gives Firmata's
// firmware query) the firmware shifts the bits itself: the frames written in one turn of
// the event loop go out as one MAX7219 sysex, 3 bytes per register word instead of 32
// port messages (96 bytes) — what makes issue 16's 50 ms window board and 150 ms hall
// board reachable at 57600 baud (hardware/README.md has the figures).
//
// On StandardFirmata (57600 baud, every message 3 bytes) the host bit-bangs. johnny-five's
// shiftOut sends three pin writes per bit (data, clock up, clock down). When DIN, CLK and
// CS sit on the same Firmata port (D8–D15: the default D11/D13/D10 do) this bus sends one
// DIGITAL_MESSAGE per clock edge instead, each setting all eight pins of that port at once:
// data with the clock's fall, then the rise — two messages a bit, CS folded into the first
// and the last. firmata-io keeps the port's other pins (lamps on D8/D9) as they were.
// Other IOs (raspi, the sim's mock Firmata) get one digitalWrite per pin change.

/** The firmware name ShubbakFirmata reports (hardware/firmware/shubbak-firmata.c FIRMWARE_NAME). */
export const SHUBBAK_FIRMATA = 'ShubbakFirmata';
/** Its MAX7219 sysex command ID (Firmata's user-defined range 0x00–0x0F). */
export const MAX7219_SYSEX = 0x0c;
/** Triples per sysex: the firmware's buffer takes 400 bytes (SYSEX_MAX). */
const SYSEX_MAX_TRIPLES = 120;

type PortIO = {
  pinMode(pin: number | string, mode: number): void;
  digitalWrite(pin: number | string, value: number): void;
  updateDigitalPort?(pin: number, value: number): number;
  writeDigitalPort?(port: number): void;
  ports?: number[];
  firmware?: { name?: string };
  sysexCommand?(message: number[]): void;
};

export type BusPins = { data: number | string; clock: number | string; cs: number | string };

export const MAX7219 = { noop: 0x00, digit0: 0x01, decodeMode: 0x09, intensity: 0x0a, scanLimit: 0x0b, shutdown: 0x0c, displayTest: 0x0f } as const;

export class Max7219Bus {
  private readonly portOf: number | null;

  constructor(
    private readonly io: PortIO,
    readonly pins: BusPins,
  ) {
    const nums = [pins.data, pins.clock, pins.cs].map(Number);
    const sameFirmataPort =
      typeof io.updateDigitalPort === 'function' && typeof io.writeDigitalPort === 'function' && Array.isArray(io.ports) &&
      nums.every((n) => Number.isInteger(n)) && nums.every((n) => n >> 3 === nums[0] >> 3);
    this.portOf = sameFirmataPort ? nums[0] >> 3 : null;
    for (const p of [pins.data, pins.clock, pins.cs]) io.pinMode(p, 1 /* OUTPUT */);
    this.set(this.pins.cs, 1);
    this.set(this.pins.clock, 0);
    this.flush();
  }

  /** How frames reach the chips now: the firmware's sysex, port messages per clock edge, or pin writes. */
  get mode(): 'sysex' | 'port' | 'pins' {
    const io = this.io;
    const nums = [this.pins.data, this.pins.clock, this.pins.cs].map(Number);
    const sysex = io.firmware?.name?.startsWith(SHUBBAK_FIRMATA) && typeof io.sysexCommand === 'function' && nums.every((n) => Number.isInteger(n) && n >= 2 && n <= 19);
    return sysex ? 'sysex' : this.portOf !== null ? 'port' : 'pins';
  }

  /** One latch: words[i] = (register << 8) | data for the i-th chip from the controller (chip 0 = first in the chain). */
  frame(words: readonly number[]): void {
    if (this.mode === 'sysex') {
      this.queueSysex(words);
      return;
    }
    const { data, clock, cs } = this.pins;
    this.set(cs, 0);
    // The farthest chip's word goes first, so each word ends in its own chip.
    for (let w = words.length - 1; w >= 0; w--) {
      for (let bit = 15; bit >= 0; bit--) {
        this.set(clock, 0);
        this.set(data, (words[w] >> bit) & 1);
        this.flush();
        this.set(clock, 1);
        this.flush();
      }
    }
    this.set(clock, 0);
    this.set(cs, 1);
    this.flush();
  }

  /** The same register of every chip of a chain of `chips`. */
  all(chips: number, register: number, value: number): void {
    this.frame(Array.from({ length: chips }, () => (register << 8) | (value & 0xff)));
  }

  /** Sends what waits for the end of this turn now (before the board is closed). */
  flushQueued(): void {
    this.sendSysex();
  }

  /** Frames waiting for the end of this turn of the event loop, by chain length. */
  private queued: { chips: number; frames: number[][] } | null = null;

  private queueSysex(words: readonly number[]): void {
    if (this.queued && this.queued.chips !== words.length) this.sendSysex();
    if (!this.queued) {
      this.queued = { chips: words.length, frames: [] };
      queueMicrotask(() => this.sendSysex());
    }
    this.queued.frames.push([...words]);
  }

  /**
   * F0 0C cs clk din chips {device, register | (value bit 7) << 4, value & 0x7F}* F7: every
   * word of every frame in order; the firmware latches a frame each time a device comes again.
   * Messages are cut between frames so each stays within the firmware's buffer.
   */
  private sendSysex(): void {
    const q = this.queued;
    this.queued = null;
    if (!q || q.frames.length === 0) return;
    const head = [MAX7219_SYSEX, Number(this.pins.cs), Number(this.pins.clock), Number(this.pins.data), q.chips];
    let body: number[] = [];
    const send = () => {
      if (body.length) this.io.sysexCommand!([...head, ...body]);
      body = [];
    };
    for (const words of q.frames) {
      if (body.length / 3 + words.length > SYSEX_MAX_TRIPLES) send();
      words.forEach((word, device) => body.push(device, ((word >> 8) & 0x0f) | (((word >> 7) & 1) << 4), word & 0x7f));
    }
    send();
  }

  private pending = new Map<number | string, number>();

  private set(pin: number | string, v: number): void {
    if (this.portOf !== null) this.io.updateDigitalPort!(Number(pin), v);
    else this.pending.set(pin, v);
  }

  private flush(): void {
    if (this.portOf !== null) {
      this.io.writeDigitalPort!(this.portOf);
      return;
    }
    for (const [pin, v] of this.pending) this.io.digitalWrite(pin, v);
    this.pending.clear();
  }
}
