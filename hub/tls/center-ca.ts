// The center's certificate authority and the hub's server certificate (issue 17).
//
// On the first TLS start the hub makes a private CA in <dataDir>/tls/ (ca.key 0600 — it
// never leaves the hub; ca.pem is what enrollment hands to devices) and a server
// certificate for the hub's names and addresses (SHUBBAK_TLS_NAMES, else this machine's
// host name, host.local, shubbak-hub.local, localhost and its addresses). The server
// certificate is remade when it has fewer than SHUBBAK_TLS_RENEW_DAYS left, when the names
// it should carry change, or when it is not the CA's; the hub checks twice a day and
// swaps the new one into its listeners without a restart (hub.ts).
//
// An administrator may instead install a certificate from the governorate's own CA
// (SHUBBAK_TLS_CERT_FILE, SHUBBAK_TLS_KEY_FILE, SHUBBAK_TLS_CA_FILE): the hub then serves
// it as it is, hands that CA to devices, never renews it, and warns as it nears expiry.
// Signing is done by hub/tls/openssl.ts (the one openssl adapter).
import { X509Certificate, createPrivateKey } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isIP } from 'node:net';
import type { HubConfig } from '../config.ts';
import type { Clock } from '../domain/time.ts';
import { makeCaCert, newPrivateKey, signServerCert } from './openssl.ts';

const DAY = 86_400_000;
/** The center CA lives ten years; a server certificate 397 days (the browsers' ceiling for public CAs, kept here too). */
export const CA_DAYS = 3650;
export const SERVER_DAYS = 397;

export type TlsMaterial = {
  key: string;
  cert: string;
  /** The CA certificate devices and browsers trust (PEM). */
  ca: string;
  notAfter: number;
  names: string[];
  source: 'center' | 'installed';
};

export class TlsSetupError extends Error {}

type Log = { info: (o: unknown, m?: string) => void; warn: (o: unknown, m?: string) => void };

export function tlsDir(dataDir: string): string {
  return path.join(dataDir, 'tls');
}

/** The names a center's certificate carries by default: this machine's name and addresses, and loopback. */
export function defaultNames(): string[] {
  const host = os.hostname().toLowerCase();
  const names = [host, ...(host.includes('.') ? [] : [`${host}.local`]), 'shubbak-hub.local', 'localhost', '127.0.0.1', '::1'];
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) if (!a.internal && !(a.family === 'IPv6' && a.address.startsWith('fe80:'))) names.push(a.address);
  }
  return [...new Set(names.filter((n) => isIP(n) || /^[a-z0-9.-]+$/.test(n)))];
}

function sameNames(cert: X509Certificate, names: string[]): boolean {
  const have = new Set((cert.subjectAltName ?? '').split(', ').map((e) => e.replace(/^DNS:/, '').replace(/^IP Address:/, '').toLowerCase()));
  const want = names.map((n) => (isIP(n) === 6 ? new X509Alt(n).text : n.toLowerCase()));
  return want.length === have.size && want.every((n) => have.has(n));
}

/** Node prints IPv6 alt names fully expanded (0:0:0:0:0:0:0:1); compare in that form. */
class X509Alt {
  readonly text: string;
  constructor(v6: string) {
    const [head, tail] = v6.toLowerCase().split('::');
    const h = head ? head.split(':') : [];
    const t = tail !== undefined ? (tail ? tail.split(':') : []) : [];
    const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
    this.text = groups.map((g) => g.replace(/^0+(?=.)/, '')).join(':');
  }
}

function writePrivate(file: string, body: string): void {
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, body, { mode: 0o600 });
  fs.chmodSync(tmp, 0o600);
  fs.renameSync(tmp, file);
}

function writePublic(file: string, body: string): void {
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, body, { mode: 0o644 });
  fs.renameSync(tmp, file);
}

function read(file: string, what: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new TlsSetupError(`cannot read ${what} ${file}: ${(err as Error).message}`);
  }
}

export class CenterTls {
  private readonly dir: string;
  private readonly names: string[];

  constructor(
    private readonly config: HubConfig,
    private readonly clock: Clock,
    private readonly log: Log,
  ) {
    this.dir = tlsDir(config.dataDir);
    this.names = config.tlsNames ?? defaultNames();
  }

  /** The key, certificate and CA to serve now; made or renewed first when needed (center CA). */
  current(): TlsMaterial {
    return this.config.tlsCertFile ? this.installed() : this.center();
  }

  /** Days until the served certificate expires (the metric; negative once expired). */
  daysLeft(m: TlsMaterial): number {
    return Math.floor((m.notAfter - this.clock()) / DAY);
  }

  private installed(): TlsMaterial {
    const c = this.config;
    const cert = read(c.tlsCertFile!, 'SHUBBAK_TLS_CERT_FILE');
    const key = read(c.tlsKeyFile!, 'SHUBBAK_TLS_KEY_FILE');
    const ca = read(c.tlsCaFile!, 'SHUBBAK_TLS_CA_FILE');
    let x: X509Certificate;
    try {
      x = new X509Certificate(cert);
      if (!x.checkPrivateKey(createPrivateKey(key))) throw new Error('the key does not belong to the certificate');
      const caCert = new X509Certificate(ca);
      if (!x.checkIssued(caCert) || !x.verify(caCert.publicKey)) throw new Error('the certificate is not signed by SHUBBAK_TLS_CA_FILE');
    } catch (err) {
      throw new TlsSetupError(`the installed certificate cannot be served: ${(err as Error).message}`);
    }
    const m: TlsMaterial = { key, cert, ca, notAfter: Date.parse(x.validTo), names: [], source: 'installed' };
    const left = this.daysLeft(m);
    if (left < this.config.tlsRenewDays) this.log.warn({ daysLeft: left, file: c.tlsCertFile }, 'the installed TLS certificate expires soon: install a new one (the hub does not renew certificates it did not make)');
    return m;
  }

  private center(): TlsMaterial {
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const caKeyFile = path.join(this.dir, 'ca.key');
    const caFile = path.join(this.dir, 'ca.pem');
    const keyFile = path.join(this.dir, 'server.key');
    const certFile = path.join(this.dir, 'server.pem');
    const now = this.clock();
    if (!fs.existsSync(caKeyFile) || !fs.existsSync(caFile)) {
      const caKey = newPrivateKey();
      const ca = makeCaCert(caKey, `Shubbak center CA ${os.hostname()}`.slice(0, 64), this.config.centerName.slice(0, 64), CA_DAYS);
      writePrivate(caKeyFile, caKey);
      writePublic(caFile, ca);
      fs.rmSync(certFile, { force: true });
      this.log.info({ file: caFile }, 'made the center certificate authority (its key stays in the data dir)');
    }
    const caKey = read(caKeyFile, 'the center CA key');
    const ca = read(caFile, 'the center CA certificate');
    const caCert = new X509Certificate(ca);
    let key = fs.existsSync(keyFile) ? read(keyFile, 'the server key') : null;
    let cert = fs.existsSync(certFile) ? read(certFile, 'the server certificate') : null;
    const why = this.renewReason(cert, key, caCert, now);
    if (why) {
      key = newPrivateKey();
      cert = signServerCert({ caKeyPem: caKey, caCertPem: ca, keyPem: key, names: this.names, notBefore: new Date(now - 3600_000), notAfter: new Date(now + SERVER_DAYS * DAY) });
      writePrivate(keyFile, key);
      writePublic(certFile, cert);
      this.log.info({ reason: why, names: this.names, validDays: SERVER_DAYS }, `TLS server certificate ${why === 'missing' ? 'made' : 'renewed'} (${why})`);
    }
    const x = new X509Certificate(cert!);
    return { key: key!, cert: cert!, ca, notAfter: Date.parse(x.validTo), names: this.names, source: 'center' };
  }

  private renewReason(cert: string | null, key: string | null, ca: X509Certificate, now: number): string | null {
    if (!cert || !key) return 'missing';
    let x: X509Certificate;
    try {
      x = new X509Certificate(cert);
      if (!x.checkPrivateKey(createPrivateKey(key))) return 'key mismatch';
    } catch {
      return 'unreadable';
    }
    if (!x.checkIssued(ca) || !x.verify(ca.publicKey)) return 'not signed by the center CA';
    if (Date.parse(x.validTo) - now < this.config.tlsRenewDays * DAY) return `expires ${x.validTo}`;
    if (!sameNames(x, this.names)) return 'names changed';
    return null;
  }
}
