// The kiosk's settings: the shared device settings (protocol/device-env.ts) plus its
// buttons, lamps and printer, and the optional booking keypad ("لدي حجز" + a 4×3 matrix,
// issue 14 item 3; off unless SHUBBAK_BOOKING_KEYPAD=on or SHUBBAK_BOOKING_PINS is set).
// Environment or SHUBBAK_DEVICE_CONFIG JSON file.
import { DEFAULT_PINS, pinsFor } from '@shubbak/hardware/pins.ts';
import { DeviceConfigError, loadDeviceEnv, intSetting, pinList, type DeviceEnv } from '@shubbak/protocol/device-env';
import type { PaperWidth } from '@shubbak/hardware/types.ts';

export type KioskProgramConfig = {
  env: DeviceEnv;
  /** GPIO (raspi: "GPIO17" or header "P1-11"; firmata: pin numbers) of each service button, key = index. */
  buttonPins: (number | string)[];
  lampPins: (number | string)[];
  printerPort: string;
  printerBaud: number;
  paper: PaperWidth;
  /** The Firmata board's serial port when SHUBBAK_IO=firmata. */
  firmataPort: string | undefined;
  /** The booking keypad's Firmata pins, or null: no keypad, the kiosk issues by line only. */
  booking: BookingPins | null;
};

export type BookingPins = { button: number; rows: number[]; cols: number[] };

/** SHUBBAK_BOOKING_PINS: "button,row1,row2,row3,row4,col1,col2,col3" (Firmata pin numbers). */
function bookingPins(d: DeviceEnv, taken: readonly (number | string)[]): BookingPins | null {
  const onOff = d.get('SHUBBAK_BOOKING_KEYPAD') ?? 'off';
  if (onOff !== 'on' && onOff !== 'off') throw new DeviceConfigError(`SHUBBAK_BOOKING_KEYPAD must be on or off, got "${onOff}"`);
  const listed = d.get('SHUBBAK_BOOKING_PINS');
  if (onOff === 'off' && listed === undefined) return null;
  if (d.io !== 'firmata') throw new DeviceConfigError(`the booking keypad is scanned over Firmata: it needs SHUBBAK_IO=firmata, got "${d.io}"`);
  const def = DEFAULT_PINS.booking;
  const pins = pinList(d, 'SHUBBAK_BOOKING_PINS', [def.button, ...def.rows, ...def.cols]);
  if (pins.length !== 8 || !pins.every((p) => typeof p === 'number')) {
    throw new DeviceConfigError('SHUBBAK_BOOKING_PINS must list 8 Firmata pin numbers: the "لدي حجز" button, 4 rows, 3 columns');
  }
  const nums = pins as number[];
  const clash = nums.find((p, i) => nums.indexOf(p) !== i || taken.includes(p));
  if (clash !== undefined) throw new DeviceConfigError(`SHUBBAK_BOOKING_PINS: pin ${clash} is used twice (the line buttons and lamps use ${taken.join(',')})`);
  return { button: nums[0], rows: nums.slice(1, 5), cols: nums.slice(5, 8) };
}

export function loadKioskConfig(env: Record<string, string | undefined> = process.env): KioskProgramConfig {
  const d = loadDeviceEnv(env, { deviceId: 'kiosk-1' });
  const paper = d.get('SHUBBAK_PAPER') ?? '80mm';
  if (paper !== '80mm' && paper !== '58mm') throw new DeviceConfigError(`SHUBBAK_PAPER must be 80mm or 58mm, got "${paper}"`);
  const buttonPins = pinList(d, 'SHUBBAK_BUTTON_PINS', [...pinsFor(d.io, DEFAULT_PINS.kiosk).buttons]);
  const lampPins = pinList(d, 'SHUBBAK_LAMP_PINS', [...pinsFor(d.io, DEFAULT_PINS.kiosk).lamps]);
  if (lampPins.length !== buttonPins.length) throw new DeviceConfigError('SHUBBAK_LAMP_PINS must list one lamp per button in SHUBBAK_BUTTON_PINS');
  return {
    env: d,
    buttonPins,
    lampPins,
    printerPort: d.get('SHUBBAK_PRINTER_PORT') ?? '/dev/serial0',
    printerBaud: intSetting(d, 'SHUBBAK_PRINTER_BAUD', 115_200, 1200, 921_600),
    paper,
    firmataPort: d.get('SHUBBAK_FIRMATA_PORT'),
    booking: bookingPins(d, [...buttonPins, ...lampPins]),
  };
}
