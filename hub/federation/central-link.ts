// How the hub reaches the governorate's central tier (issue 13): its nodes, the center's own
// account, and TLS. The link is TLS when the URLs are tls:// (production requires it,
// hub/config.ts): the nats client then refuses a node that does not offer TLS or whose
// certificate is not signed, for the URL's host, by SHUBBAK_CENTRAL_NATS_CA (or a system CA)
// — before the center's password is sent (NATS sends its INFO in clear, the client upgrades
// to TLS, then sends CONNECT with the password). Read and checked when the hub starts, before
// anything listens, so a bad CA file stops the start with a message; no nats import here
// (the client is loaded only by the forwarder).
import fs from 'node:fs';
import { X509Certificate } from 'node:crypto';
import type { TlsOptions } from 'nats';
import { ConfigError, centralNatsAuth, isTlsUrl, type HubConfig } from '../config.ts';

/** How the hub reaches the central tier: its nodes, its own account, TLS or not. */
export type CentralLink = { urls: string[]; account: { user: string; pass: string } | null; tls: TlsOptions | null };

/** The link from the config; the CA file is read and checked now (a bad one stops the start). */
export function centralLink(config: HubConfig): CentralLink {
  return linkOf(config.centralNats ?? [], centralNatsAuth(config), config.centralNatsCaFile, 'SHUBBAK_CENTRAL_NATS_CA');
}

/**
 * The governorate's reader link (issue 13, item 4; hub/central/consumer.ts): the same rules,
 * with SHUBBAK_GOVERNORATE_NATS, its account (user default 'governorate') and CA.
 */
export function governorateLink(config: HubConfig): CentralLink {
  const account = config.governorateNatsPassword ? { user: config.governorateNatsUser ?? 'governorate', pass: config.governorateNatsPassword } : null;
  return linkOf(config.governorateNats ?? [], account, config.governorateNatsCaFile, 'SHUBBAK_GOVERNORATE_NATS_CA');
}

function linkOf(urls: string[], account: CentralLink['account'], caFile: string | null, caName: string): CentralLink {
  if (!urls.length || !urls.every(isTlsUrl)) return { urls, account, tls: null };
  if (!caFile) return { urls, account, tls: {} }; // TLS, checked against the system's CAs
  let ca: string;
  try {
    ca = fs.readFileSync(caFile, 'utf8');
    new X509Certificate(ca); // eslint-disable-line no-new -- parses, or throws
  } catch (err) {
    throw new ConfigError(`${caName} (${caFile}) is not a readable PEM certificate: ${(err as Error).message}`);
  }
  return { urls, account, tls: { ca } };
}
