// The keypad's side of the contract, over the reference DeviceLink: hub events become
// logic events; window commands become done/failed events.
import { DeviceLink, LinkError, type DeviceLinkOptions } from '@shubbak/protocol/device-link';
import type { DeviceEnv } from '@shubbak/protocol/device-env';
import type { DeviceConfig, LineState, WindowState } from '@shubbak/protocol';
import type { KeypadCommand, KeypadEvent } from './logic.ts';

export const KEYPAD_FW = '1.0.0';

export function openKeypadLink(env: DeviceEnv, opts: Partial<DeviceLinkOptions> = {}): DeviceLink {
  return new DeviceLink({ url: env.hubUrl, deviceId: env.deviceId, secret: env.secret, ca: env.ca, kind: 'keypad', fw: KEYPAD_FW, ...opts });
}

export function wireKeypadLink(link: DeviceLink, dispatch: (e: KeypadEvent) => void): () => void {
  const on = {
    online: () => dispatch({ type: 'online' }),
    offline: () => dispatch({ type: 'offline' }),
    config: (c: DeviceConfig | null) => dispatch({ type: 'config', config: c?.kind === 'keypad' ? c : null }),
    windowState: (w: WindowState) => dispatch({ type: 'windowState', state: w }),
    lineState: (l: LineState) => dispatch({ type: 'lineState', line: l.line, waiting: l.waiting }),
  };
  link.on('online', on.online).on('offline', on.offline).on('config', on.config).on('windowState', on.windowState).on('lineState', on.lineState);
  if (link.isOnline) on.online();
  if (link.config) on.config(link.config);
  return () => {
    link.off('online', on.online).off('offline', on.offline).off('config', on.config).off('windowState', on.windowState).off('lineState', on.lineState);
  };
}

export async function sendWindowCommand(link: DeviceLink, c: KeypadCommand): Promise<KeypadEvent> {
  try {
    const state = c.type === 'window.transfer' ? await link.command('window.transfer', { toLine: c.toLine! }) : await link.command(c.type, {});
    return { type: 'done', state };
  } catch (err) {
    if (err instanceof LinkError) return { type: 'failed', code: err.code, message: err.message };
    throw err;
  }
}
