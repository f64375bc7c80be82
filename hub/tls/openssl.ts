// The hub's one adapter to the openssl command (issue 17): Node 20 reads, verifies and
// serves X.509 certificates but cannot make one, so the center's authority signs with
// Debian's openssl (a Depends of the hub package; scripts/setup.sh installs it). Keys are
// made by Node (P-256) and written 0600 by the caller's path; openssl only signs. Every
// call runs in a private scratch directory that is removed afterwards, with a config file
// written here, so nothing depends on /etc/ssl/openssl.cnf.
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export class OpensslError extends Error {}

/** A new P-256 private key, PKCS#8 PEM. */
export function newPrivateKey(): string {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
}

/** openssl's time format for -startdate/-enddate. */
function asn1Time(d: Date): string {
  return d.toISOString().replace(/[-:T]/g, '').replace(/\.\d+Z$/, 'Z');
}

/** subjectAltName entries: IP:… for addresses, DNS:… for names. */
export function altNames(names: string[]): string {
  return names.map((n) => (isIP(n) ? `IP:${n}` : `DNS:${n}`)).join(',');
}

function config(dir: string, names: string[]): string {
  return [
    '[ req ]', 'distinguished_name = dn', 'utf8 = yes', 'string_mask = utf8only', '[ dn ]',
    '[ center_ca ]',
    'basicConstraints = critical,CA:TRUE,pathlen:0',
    'keyUsage = critical,keyCertSign,cRLSign',
    'subjectKeyIdentifier = hash',
    '[ ca ]', 'default_ca = center',
    '[ center ]',
    `database = ${dir}/index.txt`, `new_certs_dir = ${dir}`, `serial = ${dir}/serial`,
    'default_md = sha256', 'policy = any', 'unique_subject = no', 'email_in_dn = no', 'copy_extensions = none',
    '[ any ]', 'commonName = supplied', 'organizationName = optional',
    '[ server ]',
    'basicConstraints = critical,CA:FALSE',
    'keyUsage = critical,digitalSignature',
    'extendedKeyUsage = serverAuth',
    'subjectKeyIdentifier = hash',
    'authorityKeyIdentifier = keyid',
    ...(names.length ? [`subjectAltName = ${altNames(names)}`] : []),
    '',
  ].join('\n');
}

function inScratch<T>(names: string[], fn: (dir: string, run: (args: string[]) => void) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shubbak-ca-'));
  try {
    fs.writeFileSync(path.join(dir, 'openssl.cnf'), config(dir, names));
    const run = (args: string[]) => {
      try {
        execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, OPENSSL_CONF: path.join(dir, 'openssl.cnf') } });
      } catch (err) {
        const e = err as { code?: string; stderr?: Buffer; message: string };
        if (e.code === 'ENOENT') throw new OpensslError('the openssl command is missing: install Debian\'s openssl package (apt install openssl)');
        throw new OpensslError(`openssl ${args[0]} failed: ${e.stderr?.toString().trim() || e.message}`);
      }
    };
    return fn(dir, run);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A self-signed CA certificate for the key (PEM), valid from now for `days`. */
export function makeCaCert(keyPem: string, commonName: string, organization: string, days: number): string {
  return inScratch([], (dir, run) => {
    fs.writeFileSync(path.join(dir, 'ca.key'), keyPem, { mode: 0o600 });
    run(['req', '-new', '-x509', '-config', 'openssl.cnf', '-extensions', 'center_ca', '-key', 'ca.key', '-sha256',
      '-days', String(days), '-set_serial', `0x${randomBytes(16).toString('hex')}`,
      '-subj', `/O=${escapeRdn(organization)}/CN=${escapeRdn(commonName)}`, '-utf8', '-out', 'ca.pem']);
    return fs.readFileSync(path.join(dir, 'ca.pem'), 'utf8');
  });
}

/**
 * A server certificate for `names` (host names and addresses, the first is the CN), signed
 * by the CA, valid from `notBefore` to `notAfter` (tests make expired ones with past dates).
 */
export function signServerCert(opts: { caKeyPem: string; caCertPem: string; keyPem: string; names: string[]; notBefore: Date; notAfter: Date }): string {
  if (!opts.names.length) throw new OpensslError('a server certificate needs at least one name');
  return inScratch(opts.names, (dir, run) => {
    fs.writeFileSync(path.join(dir, 'ca.key'), opts.caKeyPem, { mode: 0o600 });
    fs.writeFileSync(path.join(dir, 'ca.pem'), opts.caCertPem);
    fs.writeFileSync(path.join(dir, 'server.key'), opts.keyPem, { mode: 0o600 });
    fs.writeFileSync(path.join(dir, 'index.txt'), '');
    fs.writeFileSync(path.join(dir, 'serial'), `${randomBytes(16).toString('hex').replace(/^0/, '1')}\n`);
    run(['req', '-new', '-config', 'openssl.cnf', '-key', 'server.key', '-subj', `/CN=${escapeRdn(opts.names[0])}`, '-out', 'server.csr']);
    run(['ca', '-batch', '-config', 'openssl.cnf', '-extensions', 'server', '-notext', '-keyfile', 'ca.key', '-cert', 'ca.pem',
      '-startdate', asn1Time(opts.notBefore), '-enddate', asn1Time(opts.notAfter), '-in', 'server.csr', '-out', 'server.pem']);
    return fs.readFileSync(path.join(dir, 'server.pem'), 'utf8');
  });
}

/** -subj values: "/" and "," and "+" and "=" would start a new field. */
function escapeRdn(s: string): string {
  return s.replace(/[\\/,+=]/g, (c) => `\\${c}`);
}
