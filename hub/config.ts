// Environment → validated settings. A bad value stops the hub at start with a message
// that names the variable, instead of failing later in some far corner.
import { isIP } from 'node:net';
import path from 'node:path';
import { CENTER_ID } from '@shubbak/protocol';
import { installZone } from './tzdata.ts';

/**
 * demo: what `npm start` shows a newcomer — the demo center, demo staff, the simulator.
 * production: an installed center (the packaged hub.service sets it) — no simulator, no
 * /sim, no demo data or staff, and no secret on stdout (the journal keeps stdout).
 */
export type HubMode = 'demo' | 'production';
export const HUB_MODES = ['demo', 'production'] as const;

export type HubConfig = {
  /** SHUBBAK_MODE; production forbids simulate and seedDemo (checkMode). */
  mode: HubMode;
  dataDir: string;
  host: string;
  httpPort: number;
  mqttPort: number;
  centerName: string;
  /**
   * SHUBBAK_CENTER_ID: the center's stable id (issue 13), carried in everything the hub sends
   * outward (hub/status, alerts, a bridge's topic prefix). Required in production, where a
   * governorate tells its centers apart by it; the demo defaults to 'demo-center'.
   */
  centerId: string;
  /**
   * SHUBBAK_CENTRAL_NATS: the governorate's central tier, URLs of its NATS nodes separated by
   * commas (issue 13, item 3; hub/federation/): the outbox is forwarded to its JetStream
   * stream. tls://host:port = the link must be TLS, the server's certificate checked for that
   * host (required in production); nats://host:port = in clear (a test or a closed lab).
   * null = this center stands alone (no outbox).
   */
  centralNats: string[] | null;
  /**
   * SHUBBAK_CENTRAL_NATS_CA: the PEM file of the CA that signed the central tier's server
   * certificates (the governorate's own CA); unset = the system's trusted CAs. Only with
   * tls:// URLs.
   */
  centralNatsCaFile: string | null;
  /**
   * The center's own account on the central tier (SHUBBAK_CENTRAL_NATS_USER, default
   * center-<centerId>; SHUBBAK_CENTRAL_NATS_PASSWORD): the governorate gives each center a
   * user that may publish only its own subjects (centers.<centerId>.>), so no center can
   * write as another. Required when SHUBBAK_CENTRAL_NATS is set in production.
   */
  centralNatsUser: string | null;
  centralNatsPassword: string | null;
  /**
   * SHUBBAK_GOVERNORATE_NATS: this hub runs the governorate's view (issue 13, item 4;
   * hub/central/): URLs of the central tier's NATS nodes (as SHUBBAK_CENTRAL_NATS: tls:// or
   * nats://), read with a durable consumer of the CENTER_EVENTS stream into a store beside
   * the hub's database (central.db) and served as the live board of every center
   * (/api/central/board, the panels' «لوحة المحافظة»). null = not the governorate's hub.
   * SHUBBAK_GOVERNORATE_NATS_USER / _PASSWORD: the governorate's reader account;
   * SHUBBAK_GOVERNORATE_NATS_CA: the CA of the tier's certificates (tls:// only).
   */
  governorateNats: string[] | null;
  governorateNatsUser: string | null;
  governorateNatsPassword: string | null;
  governorateNatsCaFile: string | null;
  timezone: string;
  /** Commands older than this (by the hub's clock) are refused as STALE. */
  commandTtlMs: number;
  /** How many times a no-show goes back to the queue before it is dropped. */
  noShowRequeueLimit: number;
  /** How many times a window may recall the same ticket. */
  recallLimit: number;
  /** Minutes assumed per citizen before a line has served anyone today. */
  defaultServiceMin: number;
  /** Start the simulated devices (kiosk, keypads, boards) beside the hub. */
  simulate: boolean;
  /** Seed the demo center on an empty database. */
  seedDemo: boolean;
  /** log2 of scrypt's N for staff passwords (15 = 32 MiB per hash); tests lower it for speed. */
  passwordCost: number;
  /** Opening hours (Cairo time): device alerts are raised only while the center is open. */
  openDays: number[];
  openFrom: string;
  openUntil: string;
  /** The weekly backup: weekday (0 = Sunday), local time, where, and how many to keep. */
  backupWeekday: number;
  backupTime: string;
  /** null = <dataDir>/backups */
  backupDir: string | null;
  backupKeep: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Per device: status + health publishes per second, and commands per second (0 = no limit); the excess is dropped. */
  deviceReportsPerSec: number;
  deviceCommandsPerSec: number;
  /** Messages kept per offline persistent MQTT session (Mosquitto's max_queued_messages; 0 = no cap). */
  mqttMaxQueued: number;
  /** Hours after which an offline persistent session is removed (Mosquitto's persistent_client_expiration). */
  mqttSessionExpiryHours: number;
  /** Tighten the data dir to 0700 and its files to 0600 at start instead of refusing to start. */
  fixPermissions: boolean;
  /** Who may read /metrics: 'loopback', 'any', or addresses/CIDR blocks (loopback always may). */
  metricsAllow: 'loopback' | 'any' | string[];
  /** /readyz answers 503 when the data dir's file system has less free space than this. */
  readyMinFreeMb: number;
  /** A device must be offline this long (during opening hours) before it is an alert. */
  alertGraceMs: number;
  /** An offline alert raised again within this long after it was resolved reopens the same alert (flapping). */
  alertFlapWindowMs: number;
  /** Where alerts are POSTed as JSON (raised, changed, resolved); null = no webhook. */
  alertWebhookUrl: string | null;
  /**
   * The base of the tickets' public links (/t/<token>, issue 14 item 1): the address citizens'
   * phones reach the center by. Null: the hub's own address (hub/services/ticket-link.ts).
   */
  publicUrl: string | null;
  /**
   * TLS (issue 17; hub/tls/): MQTT over TLS on mqttsPort, HTTPS (panels, API, MQTT over
   * secure WebSocket) on httpsPort; plain MQTT then listens on loopback only and plain HTTP
   * serves loopback only (other addresses are redirected to HTTPS). On in production.
   */
  tls: boolean;
  httpsPort: number;
  mqttsPort: number;
  /** Names and addresses the center's server certificate is made for; null = this machine's (hub/tls/center-ca.ts). */
  tlsNames: string[] | null;
  /** An administrator's own certificate (e.g. from the governorate's CA) instead of the center's: all three or none. */
  tlsCertFile: string | null;
  tlsKeyFile: string | null;
  tlsCaFile: string | null;
  /** A TLS handshake not finished in this long is dropped (slowloris). */
  tlsHandshakeTimeoutMs: number;
  /** The center's server certificate is renewed when fewer days than this are left. */
  tlsRenewDays: number;
  /**
   * SMS to citizens over SMPP 3.4 (issue 14 item 2; hub/sms/). smsEnabled is the kill switch
   * of the installation (the administrator's runtime switch is PUT /api/sms/settings): off,
   * nothing is submitted and messages wait in the outbox. smsHost null = no SMSC configured,
   * no sender runs (messages wait too). The SMSC's address and credentials are the operator's.
   */
  smsEnabled: boolean;
  smsHost: string | null;
  smsPort: number;
  smsSystemId: string;
  smsPassword: string;
  smsSystemType: string;
  /** The sender shown on the phone (alphanumeric, at most 11 characters, as the operator registered it). */
  smsSourceAddr: string;
  /** Messages per mobile number per Cairo day; beyond, they are recorded as capped and not sent. */
  smsDailyCap: number;
  /** Public booking requests (book, cancel) per address per minute (issue 14 item 3). */
  bookingsPerMinute: number;
  /** Backoff after throttling or a dropped link: base × 2^attempt, at most max. */
  smsRetryBaseMs: number;
  smsRetryMaxMs: number;
  /** Submissions of one message before it is failed for good. */
  smsMaxAttempts: number;
  /** A submit_sm, bind or enquire_link without an answer in this long: the link is dropped and made again. */
  smsResponseTimeoutMs: number;
  /** enquire_link from our side this often while bound (SMPP 3.4 §4.11): a link that stopped answering is found within this + the response timeout. */
  smsEnquireLinkMs: number;
  /** Mobile numbers are erased from the SMS tables this many days after their message's (subscription's) last event (hub/sms/retention.ts). */
  smsRetentionDays: number;
};

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, def: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  if (!/^-?\d+$/.test(raw.trim())) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

function bool(env: Env, name: string, def: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return def;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${env[name]}"`);
}

/** The zone is checked and put in use here, from the system's database (hub/tzdata.ts). */
function timezone(env: Env, name: string, def: string): string {
  const tz = env[name] || def;
  try {
    installZone(tz, { TZDIR: env.TZDIR });
  } catch (err) {
    throw new ConfigError(`${name} is not a known time zone: "${tz}" (${(err as Error).message})`);
  }
  return tz;
}

function hm(env: Env, name: string, def: string): string {
  const raw = env[name]?.trim() || def;
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(raw)) throw new ConfigError(`${name} must be a time HH:MM (24 h), got "${raw}"`);
  return raw;
}

/** A comma list of weekdays, 0 = Sunday … 6 = Saturday. */
function weekdays(env: Env, name: string, def: number[]): number[] {
  const raw = env[name]?.trim();
  if (!raw) return def;
  const parts = raw.split(',').map((x) => x.trim());
  if (!parts.every((x) => /^[0-6]$/.test(x))) throw new ConfigError(`${name} must be weekdays 0-6 (0 = Sunday) separated by commas, got "${raw}"`);
  return [...new Set(parts.map(Number))].sort();
}

/** 'loopback' | 'any' | a comma list of IPv4/IPv6 addresses and CIDR blocks. */
function allowList(env: Env, name: string): HubConfig['metricsAllow'] {
  const raw = env[name]?.trim();
  if (!raw || raw === 'loopback') return 'loopback';
  if (raw === 'any') return 'any';
  const parts = raw.split(',').map((x) => x.trim()).filter(Boolean);
  for (const p of parts) {
    const [addr, bits, extra] = p.split('/');
    const family = isIP(addr);
    const max = family === 4 ? 32 : 128;
    if (!family || extra !== undefined || (bits !== undefined && !(/^\d{1,3}$/.test(bits) && Number(bits) <= max))) {
      throw new ConfigError(`${name} must be loopback, any, or addresses/CIDR blocks separated by commas, got "${p}"`);
    }
  }
  return parts;
}

function url(env: Env, name: string): string | null {
  const raw = env[name]?.trim();
  if (!raw) return null;
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be an http(s) URL, got "${raw}"`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new ConfigError(`${name} must be an http(s) URL, got "${raw}"`);
  return u.toString();
}

/** A comma list of host names and IP addresses for the server certificate. */
function tlsNames(env: Env, name: string): string[] | null {
  const raw = env[name]?.trim();
  if (!raw) return null;
  const parts = [...new Set(raw.split(',').map((x) => x.trim().toLowerCase()).filter(Boolean))];
  for (const p of parts) {
    if (!isIP(p) && !/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/.test(p)) {
      throw new ConfigError(`${name} must be host names and IP addresses separated by commas, got "${p}"`);
    }
  }
  return parts.length ? parts : null;
}

function filePath(env: Env, name: string): string | null {
  const raw = env[name]?.trim();
  return raw ? path.resolve(raw) : null;
}

/** An SMPP C-Octet String field (system_id, password…): printable ASCII, at most max (SMPP 3.4 §4.1). */
function smppText(env: Env, name: string, def: string, max: number): string {
  const raw = env[name] ?? def;
  if (raw.length > max || !/^[\x20-\x7e]*$/.test(raw)) throw new ConfigError(`${name} must be at most ${max} printable ASCII characters (SMPP 3.4)`);
  return raw;
}

/** A comma list of nats:// URLs; none = null. */
function natsUrls(env: Env, name: string): string[] | null {
  const raw = env[name]?.trim();
  if (!raw) return null;
  const parts = raw.split(',').map((x) => x.trim()).filter(Boolean);
  for (const p of parts) {
    let u: URL | null = null;
    try {
      u = new URL(p);
    } catch {
      u = null;
    }
    if (!u || (u.protocol !== 'nats:' && u.protocol !== 'tls:') || !u.hostname) {
      throw new ConfigError(`${name} must be tls://host:port (or nats://host:port, in clear) URLs separated by commas, got "${p}"`);
    }
  }
  const secure = parts.filter(isTlsUrl).length;
  // The nats client checks a node's certificate against the URL's host name only: for an IP
  // address it would check "localhost" instead, so a tls:// node is named, never numbered.
  const numbered = parts.find((p) => isTlsUrl(p) && isIP(new URL(p).hostname.replace(/^\[|\]$/g, '')));
  if (numbered) throw new ConfigError(`${name}: name each tls:// node by its DNS name (its certificate is checked for that name), not by an IP address: "${numbered}"`);
  if (secure !== 0 && secure !== parts.length) throw new ConfigError(`${name} mixes tls:// and nats:// URLs: the link is TLS to every node or to none`);
  return parts;
}

/** A central tier URL that demands TLS (tls://host:port). */
export function isTlsUrl(u: string): boolean {
  return u.trim().toLowerCase().startsWith('tls://');
}

/**
 * The center's account on the central tier (issue 13, item 3): SHUBBAK_CENTRAL_NATS_USER, or
 * center-<centerId> by default (the user the governorate makes per center, scripts/nats-cluster.ts);
 * null when no password is set (a demo central tier without accounts).
 */
export function centralNatsAuth(config: Pick<HubConfig, 'centerId' | 'centralNatsUser' | 'centralNatsPassword'>): { user: string; pass: string } | null {
  if (!config.centralNatsPassword) return null;
  return { user: config.centralNatsUser ?? `center-${config.centerId}`, pass: config.centralNatsPassword };
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Production never runs the simulator nor seeds the demo: refused at start, whoever built the config. */
export function checkMode(config: HubConfig): HubConfig {
  if (!HUB_MODES.includes(config.mode)) throw new ConfigError(`SHUBBAK_MODE must be one of ${HUB_MODES.join(', ')}, got "${config.mode}"`);
  if (config.mode === 'production') {
    if (config.simulate) throw new ConfigError('SHUBBAK_SIMULATE cannot be on with SHUBBAK_MODE=production (the simulator is a demo aid)');
    if (config.seedDemo) throw new ConfigError('SHUBBAK_SEED_DEMO cannot be on with SHUBBAK_MODE=production (no demo data or demo staff on a real center)');
    if (!config.centerId) throw new ConfigError('SHUBBAK_CENTER_ID must be set with SHUBBAK_MODE=production: the center\'s stable id, e.g. giza-dokki (a-z, 0-9, dash; at most 40)');
    if (!config.tls) throw new ConfigError('SHUBBAK_TLS cannot be off with SHUBBAK_MODE=production (device secrets and staff passwords would cross the LAN in clear)');
    if (config.centralNats && !config.centralNatsPassword) throw new ConfigError('SHUBBAK_CENTRAL_NATS_PASSWORD must be set with SHUBBAK_CENTRAL_NATS in production: the center\'s own account on the central tier');
    if (config.centralNats && !config.centralNats.every(isTlsUrl)) {
      throw new ConfigError('SHUBBAK_CENTRAL_NATS must be tls:// URLs in production: the center\'s password and its events would cross the network in clear');
    }
    if (config.governorateNats && (!config.governorateNatsPassword || !config.governorateNats.every(isTlsUrl))) {
      throw new ConfigError('SHUBBAK_GOVERNORATE_NATS must be tls:// URLs with SHUBBAK_GOVERNORATE_NATS_PASSWORD in production: the reader\'s password and every center\'s events would cross the network in clear');
    }
  }
  if (config.centralNatsPassword && !config.centralNats) throw new ConfigError('SHUBBAK_CENTRAL_NATS_PASSWORD is set but SHUBBAK_CENTRAL_NATS is not');
  if (config.centralNatsCaFile && !config.centralNats?.every(isTlsUrl)) {
    throw new ConfigError('SHUBBAK_CENTRAL_NATS_CA is set but SHUBBAK_CENTRAL_NATS is not tls:// URLs (the CA checks the central tier\'s TLS certificates)');
  }
  if (config.governorateNatsPassword && !config.governorateNats) throw new ConfigError('SHUBBAK_GOVERNORATE_NATS_PASSWORD is set but SHUBBAK_GOVERNORATE_NATS is not');
  if (config.governorateNatsCaFile && !config.governorateNats?.every(isTlsUrl)) {
    throw new ConfigError('SHUBBAK_GOVERNORATE_NATS_CA is set but SHUBBAK_GOVERNORATE_NATS is not tls:// URLs');
  }
  if (config.centerId && !CENTER_ID.test(config.centerId)) {
    throw new ConfigError(`SHUBBAK_CENTER_ID must be a-z, 0-9 and dashes (at most 40, not starting with a dash), got "${config.centerId}"`);
  }
  const own = [config.tlsCertFile, config.tlsKeyFile, config.tlsCaFile].filter(Boolean).length;
  if (own !== 0 && own !== 3) throw new ConfigError('SHUBBAK_TLS_CERT_FILE, SHUBBAK_TLS_KEY_FILE and SHUBBAK_TLS_CA_FILE go together (your own certificate, its key, and the CA that signed it)');
  return config;
}

export function loadConfig(env: Env = process.env, overrides: Partial<HubConfig> = {}): HubConfig {
  const mode = (env.SHUBBAK_MODE?.trim() || 'demo') as HubMode;
  if (!HUB_MODES.includes(mode)) throw new ConfigError(`SHUBBAK_MODE must be one of ${HUB_MODES.join(', ')}, got "${env.SHUBBAK_MODE}"`);
  const demo = mode === 'demo';
  const logLevel = (env.SHUBBAK_LOG_LEVEL || 'info') as HubConfig['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError(`SHUBBAK_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  const centerName = env.SHUBBAK_CENTER_NAME || 'المركز التكنولوجي لخدمة المواطنين — حي تجريبي';
  if (centerName.length > 120) throw new ConfigError('SHUBBAK_CENTER_NAME is longer than 120 characters');
  return checkMode({
    mode,
    dataDir: path.resolve(env.SHUBBAK_DATA_DIR || 'data'),
    host: env.SHUBBAK_HOST || '0.0.0.0',
    httpPort: int(env, 'SHUBBAK_HTTP_PORT', 8080, 0, 65535),
    mqttPort: int(env, 'SHUBBAK_MQTT_PORT', 1883, 0, 65535),
    centerName,
    centerId: env.SHUBBAK_CENTER_ID?.trim() || (demo ? 'demo-center' : ''),
    centralNats: natsUrls(env, 'SHUBBAK_CENTRAL_NATS'),
    centralNatsUser: env.SHUBBAK_CENTRAL_NATS_USER?.trim() || null,
    centralNatsPassword: env.SHUBBAK_CENTRAL_NATS_PASSWORD || null,
    centralNatsCaFile: env.SHUBBAK_CENTRAL_NATS_CA?.trim() || null,
    governorateNats: natsUrls(env, 'SHUBBAK_GOVERNORATE_NATS'),
    governorateNatsUser: env.SHUBBAK_GOVERNORATE_NATS_USER?.trim() || null,
    governorateNatsPassword: env.SHUBBAK_GOVERNORATE_NATS_PASSWORD || null,
    governorateNatsCaFile: env.SHUBBAK_GOVERNORATE_NATS_CA?.trim() || null,
    timezone: timezone(env, 'SHUBBAK_TZ', 'Africa/Cairo'),
    commandTtlMs: int(env, 'SHUBBAK_COMMAND_TTL_MS', 10_000, 1000, 600_000),
    noShowRequeueLimit: int(env, 'SHUBBAK_NO_SHOW_REQUEUE', 1, 0, 10),
    recallLimit: int(env, 'SHUBBAK_RECALL_LIMIT', 3, 0, 20),
    defaultServiceMin: int(env, 'SHUBBAK_DEFAULT_SERVICE_MIN', 5, 1, 120),
    simulate: bool(env, 'SHUBBAK_SIMULATE', demo),
    seedDemo: bool(env, 'SHUBBAK_SEED_DEMO', demo),
    passwordCost: int(env, 'SHUBBAK_PASSWORD_COST', 15, 10, 20),
    openDays: weekdays(env, 'SHUBBAK_OPEN_DAYS', [0, 1, 2, 3, 4]),
    openFrom: hm(env, 'SHUBBAK_OPEN_FROM', '08:00'),
    openUntil: hm(env, 'SHUBBAK_OPEN_UNTIL', '15:00'),
    backupWeekday: int(env, 'SHUBBAK_BACKUP_WEEKDAY', 4, 0, 6),
    backupTime: hm(env, 'SHUBBAK_BACKUP_TIME', '15:30'),
    backupDir: env.SHUBBAK_BACKUP_DIR ? path.resolve(env.SHUBBAK_BACKUP_DIR) : null,
    backupKeep: int(env, 'SHUBBAK_BACKUP_KEEP', 8, 1, 520),
    logLevel,
    deviceReportsPerSec: int(env, 'SHUBBAK_DEVICE_REPORTS_PER_SEC', 5, 0, 10_000),
    deviceCommandsPerSec: int(env, 'SHUBBAK_DEVICE_COMMANDS_PER_SEC', 100, 0, 100_000),
    mqttMaxQueued: int(env, 'SHUBBAK_MQTT_MAX_QUEUED', 1000, 0, 1_000_000),
    mqttSessionExpiryHours: int(env, 'SHUBBAK_MQTT_SESSION_EXPIRY_HOURS', 24, 1, 24 * 365),
    fixPermissions: bool(env, 'SHUBBAK_FIX_PERMISSIONS', false),
    metricsAllow: allowList(env, 'SHUBBAK_METRICS_ALLOW'),
    readyMinFreeMb: int(env, 'SHUBBAK_READY_MIN_FREE_MB', 256, 0, 1_000_000),
    alertGraceMs: int(env, 'SHUBBAK_ALERT_GRACE_S', 60, 0, 86_400) * 1000,
    alertFlapWindowMs: int(env, 'SHUBBAK_ALERT_FLAP_WINDOW_S', 600, 0, 86_400) * 1000,
    alertWebhookUrl: url(env, 'SHUBBAK_ALERT_WEBHOOK_URL'),
    publicUrl: url(env, 'SHUBBAK_PUBLIC_URL'),
    tls: bool(env, 'SHUBBAK_TLS', !demo),
    httpsPort: int(env, 'SHUBBAK_HTTPS_PORT', 8443, 0, 65535),
    mqttsPort: int(env, 'SHUBBAK_MQTTS_PORT', 8883, 0, 65535),
    tlsNames: tlsNames(env, 'SHUBBAK_TLS_NAMES'),
    tlsCertFile: filePath(env, 'SHUBBAK_TLS_CERT_FILE'),
    tlsKeyFile: filePath(env, 'SHUBBAK_TLS_KEY_FILE'),
    tlsCaFile: filePath(env, 'SHUBBAK_TLS_CA_FILE'),
    tlsHandshakeTimeoutMs: int(env, 'SHUBBAK_TLS_HANDSHAKE_TIMEOUT_MS', 10_000, 100, 120_000),
    tlsRenewDays: int(env, 'SHUBBAK_TLS_RENEW_DAYS', 30, 1, 365),
    smsEnabled: bool(env, 'SHUBBAK_SMS_ENABLED', true),
    smsHost: env.SHUBBAK_SMS_HOST?.trim() || null,
    smsPort: int(env, 'SHUBBAK_SMS_PORT', 2775, 1, 65535),
    smsSystemId: smppText(env, 'SHUBBAK_SMS_SYSTEM_ID', '', 15),
    smsPassword: smppText(env, 'SHUBBAK_SMS_PASSWORD', '', 8),
    smsSystemType: smppText(env, 'SHUBBAK_SMS_SYSTEM_TYPE', '', 12),
    smsSourceAddr: smppText(env, 'SHUBBAK_SMS_SOURCE_ADDR', 'Shubbak', 11),
    smsDailyCap: int(env, 'SHUBBAK_SMS_DAILY_CAP', 10, 0, 1000),
    bookingsPerMinute: int(env, 'SHUBBAK_BOOKINGS_PER_MINUTE', 10, 1, 100_000),
    smsRetryBaseMs: int(env, 'SHUBBAK_SMS_RETRY_BASE_MS', 2000, 10, 600_000),
    smsRetryMaxMs: int(env, 'SHUBBAK_SMS_RETRY_MAX_MS', 300_000, 10, 3_600_000),
    smsMaxAttempts: int(env, 'SHUBBAK_SMS_MAX_ATTEMPTS', 12, 1, 100),
    smsResponseTimeoutMs: int(env, 'SHUBBAK_SMS_RESPONSE_TIMEOUT_MS', 10_000, 100, 120_000),
    smsEnquireLinkMs: int(env, 'SHUBBAK_SMS_ENQUIRE_LINK_MS', 30_000, 100, 3_600_000),
    smsRetentionDays: int(env, 'SHUBBAK_SMS_RETENTION_DAYS', 30, 1, 3650),
    ...overrides,
  });
}
