// The kiosk's settings: the shared device settings (protocol/device-env.ts) plus its
// buttons, lamps and printer. Environment or SHUBBAK_DEVICE_CONFIG JSON file.
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
};

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
  };
}
