// The kiosk's side of the contract, over the reference DeviceLink: hub events (config, line
// states, the print requests of tickets issued at its touch screen) become logic events;
// ticket.issue and ticket.cancel become typed outcomes.
import { DeviceLink, LinkError, type DeviceLinkOptions } from '@shubbak/protocol/device-link';
import type { DeviceEnv } from '@shubbak/protocol/device-env';
import type { KioskConfig, PrintRequest } from '@shubbak/protocol';
import type { KioskEvent } from './logic.ts';

export const KIOSK_FW = '1.0.0';

export function openKioskLink(env: DeviceEnv, opts: Partial<DeviceLinkOptions> = {}): DeviceLink {
  return new DeviceLink({ url: env.hubUrl, deviceId: env.deviceId, secret: env.secret, ca: env.ca, kind: 'kiosk', fw: KIOSK_FW, ...opts });
}

/** Feed the link's events to the logic; returns the unsubscribe. */
export function wireKioskLink(link: DeviceLink, dispatch: (e: KioskEvent) => void): () => void {
  const on = {
    online: () => dispatch({ type: 'online' }),
    offline: () => dispatch({ type: 'offline' }),
    config: (c: unknown) => {
      const cfg = c as { kind?: string } | null;
      dispatch({ type: 'config', config: cfg?.kind === 'kiosk' ? (cfg as KioskConfig) : null });
    },
    lineState: (l: { line: string; open: boolean }) => dispatch({ type: 'lineState', line: l.line, open: l.open }),
    print: (r: PrintRequest) => dispatch({ type: 'printRequest', ticket: r.ticket }),
  };
  link.on('online', on.online).on('offline', on.offline).on('config', on.config).on('lineState', on.lineState).on('print', on.print);
  if (link.isOnline) dispatch({ type: 'online' });
  if (link.config) on.config(link.config);
  return () => {
    link.off('online', on.online).off('offline', on.offline).off('config', on.config).off('lineState', on.lineState).off('print', on.print);
  };
}

export async function issueTicket(link: DeviceLink, line: string): Promise<KioskEvent> {
  try {
    const { ticket } = await link.command('ticket.issue', { line });
    return { type: 'issued', ticket };
  } catch (err) {
    if (err instanceof LinkError) return { type: 'issueFailed', code: err.code, message: err.message };
    throw err;
  }
}

/** "لدي حجز": the typed booking code → the booked ticket (or the hub's refusal: too early, not found…). */
export async function checkInBooking(link: DeviceLink, code: string): Promise<KioskEvent> {
  try {
    const { ticket } = await link.command('booking.checkIn', { code });
    return { type: 'issued', ticket };
  } catch (err) {
    if (err instanceof LinkError) return { type: 'issueFailed', code: err.code, message: err.message };
    throw err;
  }
}

/** Tell the hub a printed ticket never came out. Resolves with the error code, or null when done. */
export async function cancelTicket(link: DeviceLink, number: string): Promise<string | null> {
  try {
    await link.command('ticket.cancel', { number, reason: 'print-failed' });
    return null;
  } catch (err) {
    if (err instanceof LinkError) return err.code;
    throw err;
  }
}
