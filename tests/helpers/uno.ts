// Hardware in the loop for the device programs: emulated Arduino Unos running the real
// StandardFirmata image (from the avrgirl-arduino dev dependency, checked by size and
// SHA-256 so another image fails the tests) or the project's own ShubbakFirmata
// (hardware/firmware/, checked against its build record), on serial lines of one emulated binding, with
// the harness's hands on the header pins: press a button (pin to GND), read a lamp, read
// a MAX7219 chain back from DIN/CLK/CS. Press timing follows the emulated board (the press
// reaches the firmware and the firmware has reported it before the button is let go),
// plus a human's minimum hold, so nothing depends on how fast the machine emulates.
import { setTimeout as sleep } from 'node:timers/promises';
import { EmulatedUno } from '../../hardware/sim/uno.ts';
import { firmataHexPath, standardFirmataImage } from '../../hardware/sim/standard-firmata.ts';
import { createUnoBinding, type UnoBinding } from '../../hardware/sim/uno-binding.ts';
import { Max7219Decoder } from '../../hardware/sim/max7219.ts';
import { shubbakFirmataImage } from '../../hardware/sim/shubbak-firmata.ts';

export { FIRMATA_HEX_BYTES, FIRMATA_HEX_SHA256 } from '../../hardware/sim/standard-firmata.ts';
export const FIRMATA_HEX = firmataHexPath();
/** The firmware image, refused unless it is exactly the known StandardFirmata build. */
export const firmataImage = standardFirmataImage;

export const MAX7219_PINS = { data: 11, clock: 13, cs: 10 };

export type Bench = {
  binding: UnoBinding;
  /** An emulated Uno on `path` (plugged in; it powers up when the program opens the port). */
  board(path: string): EmulatedUno;
  /** A MAX7219 chain of `chips` on the default pins of a board; its chips lose their registers when the board loses power. */
  max7219(uno: EmulatedUno, chips: number): Max7219Decoder;
  close(): void;
};

/** Which firmware the bench's Unos run. */
export type Firmware = 'standard' | 'shubbak';

export function unoBench(firmware: Firmware = 'standard'): Bench {
  const image = firmware === 'shubbak' ? shubbakFirmataImage : firmataImage;
  const binding = createUnoBinding();
  const unos: EmulatedUno[] = [];
  return {
    binding,
    board(p) {
      const uno = new EmulatedUno(image());
      binding.attach(p, uno);
      unos.push(uno);
      return uno;
    },
    max7219(uno, chips) {
      const d = new Max7219Decoder(uno, MAX7219_PINS, chips);
      uno.on('power', (on) => {
        if (!on) d.reset();
      });
      return d;
    },
    close() {
      for (const u of unos) u.close();
    },
  };
}

/** A press as a person makes it: down (the firmware reports it), held, up (reported). */
export async function press(uno: EmulatedUno, pin: number, holdMs = 80): Promise<void> {
  uno.setButton(pin, true);
  await uno.idle();
  await sleep(holdMs); // johnny-five debounces for 7 ms on the host
  uno.setButton(pin, false);
  await uno.idle();
  await sleep(30);
}

/**
 * A key of a matrix keypad (a switch between a row and a column pin) pressed as a person
 * does: held at least holdMs and until `read()` says the host has it (the host scans the
 * rows over the serial line, which an emulation under load makes slower than a finger), then let go.
 */
export async function pressKey(uno: EmulatedUno, row: number, col: number, read: () => boolean, holdMs = 80): Promise<void> {
  uno.setSwitch(row, col, true);
  await uno.idle();
  await sleep(holdMs);
  await until(`the key at row ${row}, column ${col} read`, read);
  uno.setSwitch(row, col, false);
  await uno.idle();
  await sleep(60); // past the driver's release debounce
}

export async function until(what: string, pred: () => boolean, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}
