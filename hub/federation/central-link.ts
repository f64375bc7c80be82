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
  const urls = config.centralNats ?? [];
  const account = centralNatsAuth(config);
  if (!urls.length || !urls.every(isTlsUrl)) return { urls, account, tls: null };
  if (!config.centralNatsCaFile) return { urls, account, tls: {} }; // TLS, checked against the system's CAs
  let ca: string;
  try {
    ca = fs.readFileSync(config.centralNatsCaFile, 'utf8');
    new X509Certificate(ca); // eslint-disable-line no-new -- parses, or throws
  } catch (err) {
    throw new ConfigError(`SHUBBAK_CENTRAL_NATS_CA (${config.centralNatsCaFile}) is not a readable PEM certificate: ${(err as Error).message}`);
  }
  return { urls, account, tls: { ca } };
}
