// A ticket's public link (issue 14 item 1): https://<center>/t/<token>, printed as a QR code
// on the kiosk ticket and the reception/delivery slips, and sent by SMS (hub/sms). The base
// is SHUBBAK_PUBLIC_URL when set (the name citizens' phones reach the center by, e.g. through
// the center's Wi-Fi or a public address); otherwise the hub's own address as it listens
// (HTTPS when TLS is on), with a wildcard host replaced by this machine's first LAN IPv4,
// since a phone cannot open 127.0.0.1.
import os from 'node:os';
import type { Db } from '../db/connection.ts';

/** `base` + /t/ + token; the base may carry a path prefix (a reverse proxy's /shubbak/). */
export function ticketLink(base: string, token: string): string {
  return `${base.replace(/\/+$/, '')}/t/${encodeURIComponent(token)}`;
}

/** The address a phone on the center's network can open when the hub listens on all interfaces. */
export function reachableHost(host: string): string {
  if (host !== '0.0.0.0' && host !== '::') return host;
  for (const addrs of Object.values(os.networkInterfaces())) {
    for (const a of addrs ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}

export class TicketLinks {
  private readonly tokenOf;

  constructor(
    db: Db,
    /** SHUBBAK_PUBLIC_URL, or null. */
    private readonly configured: string | null,
    /** The hub's own base URL once it listens ('' before). */
    private readonly own: () => string,
  ) {
    this.tokenOf = db.prepare<[number], { public_token: string | null }>('SELECT public_token FROM tickets WHERE id = ?');
  }

  base(): string {
    return this.configured ?? this.own();
  }

  forToken(token: string): string {
    return ticketLink(this.base(), token);
  }

  /**
   * The public link of a ticket by its id (tickets.id), or null when the ticket has no token
   * (issued before migration 043) or does not exist. This is the function the SMS sender uses.
   */
  forTicket(ticketId: number): string | null {
    const t = this.tokenOf.get(ticketId)?.public_token;
    return t ? this.forToken(t) : null;
  }
}
