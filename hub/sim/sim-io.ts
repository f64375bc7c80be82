// One way to start any device program on sim IO (the simulator, the tests and the bench
// use it), and one view of the hardware's sim control handle (hardware/devices.ts).
import type { DeviceLinkOptions } from '@shubbak/protocol/device-link';
import type { KioskHandle } from '../../kiosk/main.ts';
import type { KeypadHandle } from '../../counter-keypad/main.ts';
import type { HallHandle, WindowBoardHandle } from '../../display/main.ts';
import type { SimControl } from '@shubbak/hardware';

export type SimDevice = KioskHandle | KeypadHandle | WindowBoardHandle | HallHandle;

export type SimDeviceOptions = {
  hubUrl: string;
  /** The device's secret, or the demo seed's devices.json to read it from. */
  secret?: string;
  devicesFile?: string;
  link?: Partial<DeviceLinkOptions>;
  audioDir?: string;
  log?: (m: string) => void;
};

/** Start the program of a demo device by its id's kind prefix (kiosk-, keypad-, led-, hall-). */
export async function startSimDevice(id: string, o: SimDeviceOptions): Promise<SimDevice> {
  const env: Record<string, string | undefined> = {
    SHUBBAK_DEVICE_ID: id, SHUBBAK_IO: 'sim', SHUBBAK_HUB_URL: o.hubUrl,
    SHUBBAK_DEVICE_SECRET: o.secret, SHUBBAK_DEVICES_FILE: o.devicesFile,
    SHUBBAK_AUDIO_DIR: o.audioDir ?? process.env.SHUBBAK_AUDIO_DIR,
  };
  const log = o.log ?? (() => {});
  // Only the program asked for is loaded (the bench measures each program's memory alone).
  if (id.startsWith('kiosk')) {
    const [{ startKiosk }, { loadKioskConfig }] = await Promise.all([import('../../kiosk/main.ts'), import('../../kiosk/config.ts')]);
    return startKiosk({ config: loadKioskConfig(env), link: o.link, log });
  }
  if (id.startsWith('keypad')) {
    const [{ startKeypad }, { loadKeypadConfig }] = await Promise.all([import('../../counter-keypad/main.ts'), import('../../counter-keypad/config.ts')]);
    return startKeypad({ config: loadKeypadConfig(env), link: o.link, log });
  }
  const [{ startHallBoard, startWindowBoard }, { loadDisplayConfig }] = await Promise.all([import('../../display/main.ts'), import('../../display/config.ts')]);
  if (id.startsWith('hall')) return startHallBoard({ config: loadDisplayConfig({ ...env, SHUBBAK_DISPLAY_KIND: 'hall' }), link: o.link, log });
  return startWindowBoard({ config: loadDisplayConfig({ ...env, SHUBBAK_DISPLAY_KIND: 'display' }), link: o.link, log });
}

export type { SimControl };

/** The sim control handle of a program's IO, or null on real hardware. */
export function simOf(io: object): SimControl | null {
  return (io as { sim?: SimControl | null }).sim ?? null;
}
