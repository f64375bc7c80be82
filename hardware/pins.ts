// The default wiring of every device, in one place (issue 12 item 8): the programs' settings
// (kiosk/, counter-keypad/, display/ config.ts) fall back to it, and so does hardware/devices.ts
// when a caller gives no pins. Demo defaults: an Arduino Uno/Nano with StandardFirmata beside
// the Pi (pin numbers), or a Pi 3/4's own GPIO through raspi-io (names). docs/hardware.md draws them.
// No imports: a program's configuration reads this without loading any driver.
export const DEFAULT_PINS = {
  kiosk: { firmata: { buttons: [2, 3, 4, 5], lamps: [8, 9, 10, 11] }, raspi: { buttons: ['GPIO5', 'GPIO6', 'GPIO13', 'GPIO19'], lamps: ['GPIO17', 'GPIO27', 'GPIO22', 'GPIO23'] } },
  keypad: { firmata: { keys: [2, 3, 4, 5, 6], lamps: [7, 8, 9, 14, 15] }, raspi: { keys: ['GPIO5', 'GPIO6', 'GPIO13', 'GPIO19', 'GPIO26'], lamps: ['GPIO17', 'GPIO27', 'GPIO22', 'GPIO23', 'GPIO24'] } },
  // The kiosk's optional booking keypad (issue 14 item 3): the "لدي حجز" push button and a 4×3
  // matrix keypad (rows driven, columns read), on the kiosk Uno's free pins. Firmata only:
  // the keypad is scanned over Firmata (hardware/matrix-keypad.ts). The rows share no Firmata
  // port (8 pins: D0–7, D8–15, D16–19) with an input, the columns have port 2 to themselves.
  booking: { button: 6, rows: [12, 13, 14, 15], cols: [16, 17, 18] },
  digits: { firmata: { data: 11, clock: 13, cs: 10 }, raspi: { data: 'GPIO10', clock: 'GPIO11', cs: 'GPIO8' } },
} as const;

/** The table's wiring for an IO kind ('raspi' names, otherwise Firmata pin numbers — sim runs the Firmata wiring). */
export function pinsFor<F, R>(io: string, table: { firmata: F; raspi: R }): F | R {
  return io === 'raspi' ? table.raspi : table.firmata;
}

/** The MAX7219 digits' wiring as a list (data, clock, cs), the form SHUBBAK_DIGITS_PINS takes. */
export function digitsDefault(io: string): (number | string)[] {
  const p = pinsFor(io, DEFAULT_PINS.digits);
  return [p.data, p.clock, p.cs];
}
