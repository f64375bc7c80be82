// The boards' side of the contract, over the reference DeviceLink (which already drops a
// window, line or hall state older than the last one seen).
import { DeviceLink, type DeviceLinkOptions } from '@shubbak/protocol/device-link';
import type { DeviceEnv } from '@shubbak/protocol/device-env';
import type { DeviceConfig, HallAnnounce, HallCalls, WindowState } from '@shubbak/protocol';
import type { BoardEvent, HallEvent } from './logic.ts';

export const DISPLAY_FW = '1.0.0';

export function openBoardLink(env: DeviceEnv, kind: 'display' | 'hall', opts: Partial<DeviceLinkOptions> = {}): DeviceLink {
  return new DeviceLink({ url: env.hubUrl, deviceId: env.deviceId, secret: env.secret, ca: env.ca, kind, fw: DISPLAY_FW, ...opts });
}

export function wireWindowBoardLink(link: DeviceLink, dispatch: (e: BoardEvent) => void): () => void {
  const on = {
    online: () => dispatch({ type: 'online' }),
    offline: () => dispatch({ type: 'offline' }),
    config: (c: DeviceConfig | null) => dispatch({ type: 'config', config: c?.kind === 'display' ? c : null }),
    windowState: (w: WindowState) => dispatch({ type: 'windowState', state: w }),
  };
  link.on('online', on.online).on('offline', on.offline).on('config', on.config).on('windowState', on.windowState);
  return () => void link.off('online', on.online).off('offline', on.offline).off('config', on.config).off('windowState', on.windowState);
}

export function wireHallLink(link: DeviceLink, dispatch: (e: HallEvent) => void, announce: (a: HallAnnounce) => void): () => void {
  const on = {
    online: () => dispatch({ type: 'online' }),
    offline: () => dispatch({ type: 'offline' }),
    config: (c: DeviceConfig | null) => dispatch({ type: 'config', config: c?.kind === 'hall' ? c : null }),
    hallCalls: (h: HallCalls) => dispatch({ type: 'hallCalls', calls: h.calls }),
  };
  link.on('online', on.online).on('offline', on.offline).on('config', on.config).on('hallCalls', on.hallCalls).on('announce', announce);
  return () => void link.off('online', on.online).off('offline', on.offline).off('config', on.config).off('hallCalls', on.hallCalls).off('announce', announce);
}
