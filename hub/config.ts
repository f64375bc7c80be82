// Environment → validated settings. A bad value stops the hub at start with a message
// that names the variable, instead of failing later in some far corner.
import path from 'node:path';

export type HubConfig = {
  dataDir: string;
  host: string;
  httpPort: number;
  mqttPort: number;
  centerName: string;
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
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
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

function timezone(env: Env, name: string, def: string): string {
  const tz = env[name] || def;
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
  } catch {
    throw new ConfigError(`${name} is not a known time zone: "${tz}"`);
  }
  return tz;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export function loadConfig(env: Env = process.env, overrides: Partial<HubConfig> = {}): HubConfig {
  const logLevel = (env.SHUBBAK_LOG_LEVEL || 'info') as HubConfig['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError(`SHUBBAK_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  const centerName = env.SHUBBAK_CENTER_NAME || 'المركز التكنولوجي لخدمة المواطنين — حي تجريبي';
  if (centerName.length > 120) throw new ConfigError('SHUBBAK_CENTER_NAME is longer than 120 characters');
  return {
    dataDir: path.resolve(env.SHUBBAK_DATA_DIR || 'data'),
    host: env.SHUBBAK_HOST || '0.0.0.0',
    httpPort: int(env, 'SHUBBAK_HTTP_PORT', 8080, 0, 65535),
    mqttPort: int(env, 'SHUBBAK_MQTT_PORT', 1883, 0, 65535),
    centerName,
    timezone: timezone(env, 'SHUBBAK_TZ', 'Africa/Cairo'),
    commandTtlMs: int(env, 'SHUBBAK_COMMAND_TTL_MS', 10_000, 1000, 600_000),
    noShowRequeueLimit: int(env, 'SHUBBAK_NO_SHOW_REQUEUE', 1, 0, 10),
    recallLimit: int(env, 'SHUBBAK_RECALL_LIMIT', 3, 0, 20),
    defaultServiceMin: int(env, 'SHUBBAK_DEFAULT_SERVICE_MIN', 5, 1, 120),
    simulate: bool(env, 'SHUBBAK_SIMULATE', true),
    seedDemo: bool(env, 'SHUBBAK_SEED_DEMO', true),
    logLevel,
    ...overrides,
  };
}
