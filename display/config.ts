// The boards' settings: shared device settings plus the board's kind and wiring, and for
// the hall the voice clips and the audio player.
import { digitsDefault } from '@shubbak/hardware/pins.ts';
import path from 'node:path';
import { DeviceConfigError, intSetting, loadDeviceEnv, pinList, type DeviceEnv } from '@shubbak/protocol/device-env';

export type DisplayProgramConfig = {
  env: DeviceEnv;
  /** A window board (MAX7219 digits) or the waiting-hall board with its voice. */
  kind: 'display' | 'hall';
  digitsPins: { data: number | string; clock: number | string; cs: number | string };
  digitsWidth: number;
  /** Hall board: how many MAX7219 modules are chained per row (4 digits ticket + 4 digits window). */
  hallRows: number;
  firmataPort: string | undefined;
  /** Where the generated voice clips live (made once by display/audio.ts). */
  clipDir: string;
  /** 'aplay' on the Pi; 'record' keeps what would be played (simulation, tests). */
  player: 'aplay' | 'record';
  audioDevice: string | undefined;
};

export function loadDisplayConfig(env: Record<string, string | undefined> = process.env): DisplayProgramConfig {
  const kindRaw = env.SHUBBAK_DISPLAY_KIND ?? (env.SHUBBAK_DEVICE_ID?.startsWith('hall') ? 'hall' : 'display');
  if (kindRaw !== 'display' && kindRaw !== 'hall') throw new DeviceConfigError(`SHUBBAK_DISPLAY_KIND must be display or hall, got "${kindRaw}"`);
  const d = loadDeviceEnv(env, { deviceId: kindRaw === 'hall' ? 'hall-1' : 'led-1' });
  const [data, clock, cs] = pinList(d, 'SHUBBAK_DIGITS_PINS', digitsDefault(d.io));
  if (cs === undefined) throw new DeviceConfigError('SHUBBAK_DIGITS_PINS needs data,clock,cs');
  const player = d.get('SHUBBAK_AUDIO_PLAYER') ?? (d.io === 'sim' ? 'record' : 'aplay');
  if (player !== 'aplay' && player !== 'record') throw new DeviceConfigError(`SHUBBAK_AUDIO_PLAYER must be aplay or record, got "${player}"`);
  return {
    env: d,
    kind: kindRaw,
    digitsPins: { data, clock, cs },
    digitsWidth: intSetting(d, 'SHUBBAK_DIGITS_WIDTH', 4, 4, 16),
    hallRows: intSetting(d, 'SHUBBAK_HALL_ROWS', 6, 1, 10),
    firmataPort: d.get('SHUBBAK_FIRMATA_PORT'),
    clipDir: path.resolve(d.get('SHUBBAK_AUDIO_DIR') ?? 'data/audio'),
    player,
    audioDevice: d.get('SHUBBAK_AUDIO_DEVICE'),
  };
}
