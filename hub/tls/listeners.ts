// How the hub's TLS listeners are set up and watched (issue 17): TLS 1.2 and 1.3 only,
// forward-secret AEAD ciphers only (Mozilla's "intermediate" list), a handshake deadline
// against connections that never finish one (slowloris), and every refused handshake
// counted by a stable reason for the metrics (shubbak_tls_refused_total). The same rules
// for MQTT over TLS (broker.ts) and HTTPS (app.ts/hub.ts).
import type tls from 'node:tls';
import type { TlsMaterial } from './center-ca.ts';

/** TLS 1.2 suites: ECDHE key exchange and AEAD only. TLS 1.3 suites are all modern and left at Node's defaults. */
export const TLS12_CIPHERS = [
  'ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384', 'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305', 'ECDHE-RSA-CHACHA20-POLY1305',
].join(':');

export type TlsListener = 'mqtts' | 'https';
/**
 * Why a connection was refused:
 * not_tls — plain text on a TLS port; tls_on_plain — a TLS hello on a plain port;
 * handshake_timeout — no finished handshake in time; old_protocol — below TLS 1.2;
 * no_shared_cipher; peer_rejected_cert — the client refused the hub's certificate
 * (wrong CA, expired, wrong name: it says so with an alert); other.
 */
export const TLS_REFUSALS = ['not_tls', 'tls_on_plain', 'handshake_timeout', 'old_protocol', 'no_shared_cipher', 'peer_rejected_cert', 'other'] as const;
export type TlsRefusal = (typeof TLS_REFUSALS)[number];

export function secureContextOptions(m: TlsMaterial): tls.SecureContextOptions {
  // The chain sent is the server certificate and its CA: a device enrolling with the CA's
  // fingerprint (shubbak-device --ca-sha256) finds the CA in it; clients trust only their own copy.
  return { key: m.key, cert: `${m.cert.trim()}\n${m.ca.trim()}\n`, minVersion: 'TLSv1.2', ciphers: TLS12_CIPHERS };
}

export function serverOptions(m: TlsMaterial, handshakeTimeoutMs: number): tls.TlsOptions {
  return { ...secureContextOptions(m), handshakeTimeout: handshakeTimeoutMs, honorCipherOrder: false };
}

/** A TLS server's client error as a refusal reason. */
export function classify(err: NodeJS.ErrnoException): TlsRefusal {
  const code = `${err.code ?? ''} ${err.message}`.toUpperCase();
  if (code.includes('HANDSHAKE_TIMEOUT')) return 'handshake_timeout';
  if (/HTTP_REQUEST|WRONG_VERSION_NUMBER|UNKNOWN_PROTOCOL|PACKET_LENGTH_TOO_LONG|RECORD_LAYER_FAILURE|HTTPS_PROXY_REQUEST/.test(code)) return 'not_tls';
  if (/UNSUPPORTED_PROTOCOL|VERSION_TOO_LOW|PROTOCOL_VERSION/.test(code)) return 'old_protocol';
  if (code.includes('NO_SHARED_CIPHER')) return 'no_shared_cipher';
  if (/ALERT_(UNKNOWN_CA|BAD_CERTIFICATE|CERTIFICATE_UNKNOWN|CERTIFICATE_EXPIRED|DECRYPT_ERROR)/.test(code)) return 'peer_rejected_cert';
  return 'other';
}

/** First bytes of a TLS ClientHello: a handshake record (0x16), version 3.x. */
export function looksLikeTlsHello(first: Buffer): boolean {
  return first.length >= 2 && first[0] === 0x16 && first[1] === 0x03;
}

/** Count (and drop) every refused handshake on a TLS server. Connected clients are untouched: each error is its own socket's. */
export function watchTlsServer(server: tls.Server, listener: TlsListener, count: (listener: TlsListener | 'mqtt' | 'http', reason: TlsRefusal) => void): void {
  server.on('tlsClientError', (err: NodeJS.ErrnoException, socket) => {
    count(listener, classify(err));
    socket.destroy();
  });
}
