// The keypad's settings: shared device settings plus its keys, lamps and MAX7219 digits.
import { digitsDefault, DEFAULT_PINS, pinsFor } from '@shubbak/hardware/pins.ts';
import { DeviceConfigError, intSetting, loadDeviceEnv, pinList, type DeviceEnv } from '@shubbak/protocol/device-env';
import { KEY_COUNT, KEYPAD_DIGITS } from './logic.ts';

export type KeypadProgramConfig = {
  env: DeviceEnv;
  /** Next, Recall, No-show, Transfer, Pause/Resume, in that order. */
  keyPins: (number | string)[];
  lampPins: (number | string)[];
  /** MAX7219 on SPI-like pins: data (DIN), clock (CLK), chip select (CS). */
  digitsPins: { data: number | string; clock: number | string; cs: number | string };
  digitsWidth: number;
  firmataPort: string | undefined;
  /** How long an error stays on the display. */
  flashMs: number;
};

export function loadKeypadConfig(env: Record<string, string | undefined> = process.env): KeypadProgramConfig {
  const d = loadDeviceEnv(env, { deviceId: 'keypad-1' });
  const keyPins = pinList(d, 'SHUBBAK_KEY_PINS', [...pinsFor(d.io, DEFAULT_PINS.keypad).keys]);
  const lampPins = pinList(d, 'SHUBBAK_LAMP_PINS', [...pinsFor(d.io, DEFAULT_PINS.keypad).lamps]);
  if (keyPins.length !== KEY_COUNT || lampPins.length !== KEY_COUNT) throw new DeviceConfigError(`SHUBBAK_KEY_PINS and SHUBBAK_LAMP_PINS need ${KEY_COUNT} pins each`);
  const [data, clock, cs] = pinList(d, 'SHUBBAK_DIGITS_PINS', digitsDefault(d.io));
  if (cs === undefined) throw new DeviceConfigError('SHUBBAK_DIGITS_PINS needs data,clock,cs');
  return {
    env: d, keyPins, lampPins, digitsPins: { data, clock, cs },
    digitsWidth: intSetting(d, 'SHUBBAK_DIGITS_WIDTH', KEYPAD_DIGITS, 4, 16),
    firmataPort: d.get('SHUBBAK_FIRMATA_PORT'),
    flashMs: intSetting(d, 'SHUBBAK_FLASH_MS', 2500, 200, 30_000),
  };
}
