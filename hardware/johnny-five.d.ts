// What @types/johnny-five leaves out and these drivers use: the Board's sigint option and
// Led.Digits' print/sendDigit/send (all present in johnny-five 2's lib/led/ledcontrol.js).
import 'johnny-five';

declare module 'johnny-five' {
  interface BoardOption {
    sigint?: boolean;
  }
  // Board and Button are EventEmitters in johnny-five; the typings list only 'on'.
  interface Board {
    once(event: string, listener: (...args: any[]) => void): this; // eslint-disable-line @typescript-eslint/no-explicit-any
    /** The typings ask for a Pin object; johnny-five takes pin numbers or names, as every IO does. */
    shiftOut(dataPin: number | string, clockPin: number | string, isBigEndian: boolean, value: number): void;
  }
  interface Button {
    removeAllListeners(event?: string): this;
  }
  namespace Led {
    interface DigitsOption {
      /** Digits per device (default 8). */
      digits?: number;
    }
    interface Digits {
      print(message: string, options?: { device: number }): this;
      /** Raw segments (MAX7219 no-decode: bit 7 = DP, bits 6..0 = segments A..G) at a register index (0 = rightmost). */
      sendDigit(device: number, index: number, code: number): this;
      send(device: number, opcode: number, data: number): this;
      readonly digits: number;
      /** The pins as initialised by the MAX7219 controller. */
      readonly pins: { data: number | string; clock: number | string; cs: number | string };
    }
  }
}
