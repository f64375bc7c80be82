// The MAX7219 serial bus (DIN, CLK, CS/LOAD), bit-banged through the board's IO: one frame
// is CS low, 16 bits per chained chip shifted MSB first (DIN sampled on each CLK rise),
// CS high latches. The window board and the hall board both write through it.
//
// Speed over StandardFirmata (57600 baud, every message 3 bytes): johnny-five's shiftOut
// sends three pin writes per bit (data, clock up, clock down). When DIN, CLK and CS sit on
// the same Firmata port (D8–D15: the default D11/D13/D10 do) this bus sends one
// DIGITAL_MESSAGE per clock edge instead, each setting all eight pins of that port at once:
// data with the clock's fall, then the rise — two messages a bit, CS folded into the first
// and the last. firmata-io keeps the port's other pins (lamps on D8/D9) as they were.
// Other IOs (raspi, the sim's mock Firmata) get one digitalWrite per pin change.

type PortIO = {
  pinMode(pin: number | string, mode: number): void;
  digitalWrite(pin: number | string, value: number): void;
  updateDigitalPort?(pin: number, value: number): number;
  writeDigitalPort?(port: number): void;
  ports?: number[];
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

  /** One latch: words[i] = (register << 8) | data for the i-th chip from the controller (chip 0 = first in the chain). */
  frame(words: readonly number[]): void {
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
