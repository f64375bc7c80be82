// The simulated Firmata IO: mock-firmata's Firmata (the IO plugin johnny-five's own tests
// use) that hands the sim the digitalRead callbacks johnny-five registers, so a button edge
// can be injected, and records every pin write (lamps, MAX7219 bit-banging).
import { EventEmitter } from 'node:events';
// @ts-expect-error -- mock-firmata ships no types; only its Firmata class is used, typed below
import mockFirmata from 'mock-firmata';

type PinWriteListener = (pin: number, value: number) => void;

const MockFirmataBase = (mockFirmata as { Firmata: new (opts?: object) => EventEmitter }).Firmata;

export class SimFirmata extends MockFirmataBase {
  /** johnny-five's digitalRead callback per pin (a Button registers one). */
  readonly readers = new Map<number, (value: number) => void>();
  /** The last level written to each pin. */
  readonly pinLevels = new Map<number, number>();
  private readonly writeListeners: PinWriteListener[] = [];

  digitalRead(pin: number, callback: (value: number) => void): void {
    this.readers.set(pin, callback);
  }

  digitalWrite(pin: number, value: number): void {
    const level = value ? 1 : 0;
    this.pinLevels.set(pin, level);
    for (const l of this.writeListeners) l(pin, level);
  }

  /** johnny-five's Led.off()/stop() path on a PWM-capable pin goes through analogWrite. */
  analogWrite(pin: number, value: number): void {
    this.digitalWrite(pin, value > 0 ? 1 : 0);
  }

  onPinWrite(listener: PinWriteListener): () => void {
    this.writeListeners.push(listener);
    return () => {
      const i = this.writeListeners.indexOf(listener);
      if (i >= 0) this.writeListeners.splice(i, 1);
    };
  }

  /** Drive an input pin to a level, as a wired button would (ignored if nothing reads it). */
  setInput(pin: number, level: 0 | 1): boolean {
    const cb = this.readers.get(pin);
    if (!cb) return false;
    cb(level);
    return true;
  }
}
