// Settings every device program shares (hub URL, device id, secret, IO mode), from the
// environment or a JSON file (SHUBBAK_DEVICE_CONFIG, e.g. /etc/shubbak/kiosk-1.json; the
// environment wins). Each program adds its own pins and ports on top (kiosk/config.ts …).
import fs from 'node:fs';
import { isDeviceId } from './topics.ts';

export const IO_MODES = ['sim', 'firmata', 'raspi'] as const;
export type IoMode = (typeof IO_MODES)[number];

export type DeviceEnv = {
  hubUrl: string;
  deviceId: string;
  secret: string;
  io: IoMode;
  /** SHUBBAK_CA_FILE's certificate(s): the center CA the hub's certificate must chain to (written by shubbak-device enroll). */
  ca?: string;
  /** Every setting by its env name, file values under the same names, for the program's own keys. */
  get(name: string): string | undefined;
};

export class DeviceConfigError extends Error {}

type Env = Record<string, string | undefined>;

export function loadDeviceEnv(env: Env = process.env, defaults: { deviceId?: string; io?: IoMode } = {}): DeviceEnv {
  let file: Record<string, unknown> = {};
  const fileName = env.SHUBBAK_DEVICE_CONFIG;
  if (fileName) {
    try {
      file = JSON.parse(fs.readFileSync(fileName, 'utf8')) as Record<string, unknown>;
    } catch (err) {
      throw new DeviceConfigError(`SHUBBAK_DEVICE_CONFIG: cannot read ${fileName}: ${(err as Error).message}`);
    }
  }
  const get = (name: string): string | undefined => {
    const v = env[name] ?? file[name];
    return v === undefined || v === '' ? undefined : String(v);
  };
  const deviceId = get('SHUBBAK_DEVICE_ID') ?? defaults.deviceId;
  if (!deviceId || !isDeviceId(deviceId)) throw new DeviceConfigError(`SHUBBAK_DEVICE_ID must be lowercase letters, digits and dashes, got "${deviceId ?? ''}"`);
  const io = (get('SHUBBAK_IO') ?? defaults.io ?? 'firmata') as IoMode;
  if (!IO_MODES.includes(io)) throw new DeviceConfigError(`SHUBBAK_IO must be one of ${IO_MODES.join(', ')}, got "${io}"`);

  // The secret: given directly, in a file of its own (systemd credentials), or looked up in
  // the hub's demo devices.json (the simulator and a bench on the hub's machine).
  let secret = get('SHUBBAK_DEVICE_SECRET');
  const secretFile = get('SHUBBAK_DEVICE_SECRET_FILE');
  const devicesFile = get('SHUBBAK_DEVICES_FILE');
  let hubUrl = get('SHUBBAK_HUB_URL');
  if (!secret && secretFile) secret = readText(secretFile, 'SHUBBAK_DEVICE_SECRET_FILE').trim();
  if ((!secret || !hubUrl) && devicesFile) {
    let devices: { mqttUrl?: string; devices?: { id: string; secret: string }[] };
    try {
      devices = JSON.parse(readText(devicesFile, 'SHUBBAK_DEVICES_FILE')) as typeof devices;
    } catch (err) {
      throw err instanceof DeviceConfigError ? err : new DeviceConfigError(`SHUBBAK_DEVICES_FILE is not JSON: ${(err as Error).message}`);
    }
    secret ??= devices.devices?.find((d) => d.id === deviceId)?.secret;
    hubUrl ??= devices.mqttUrl;
    if (!secret) throw new DeviceConfigError(`${devicesFile} has no device ${deviceId}`);
  }
  if (!secret) throw new DeviceConfigError('the device secret is missing: set SHUBBAK_DEVICE_SECRET, SHUBBAK_DEVICE_SECRET_FILE or SHUBBAK_DEVICES_FILE');
  hubUrl ??= 'mqtt://shubbak-hub.local:1883';
  if (!/^(mqtts?|wss?):\/\/[^/]+/.test(hubUrl)) throw new DeviceConfigError(`SHUBBAK_HUB_URL must be mqtts://host:port, wss://host:port/mqtt (or plain mqtt:// and ws:// on a demo), got "${hubUrl}"`);
  const caFile = get('SHUBBAK_CA_FILE');
  const ca = caFile ? readText(caFile, 'SHUBBAK_CA_FILE') : undefined;
  if (ca !== undefined && !ca.includes('-----BEGIN CERTIFICATE-----')) throw new DeviceConfigError(`SHUBBAK_CA_FILE: ${caFile} holds no PEM certificate`);
  return { hubUrl, deviceId, secret, io, ca, get };
}

function readText(file: string, name: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new DeviceConfigError(`${name}: cannot read ${file}: ${(err as Error).message}`);
  }
}

/** A list of pins: "17,27,22" (Firmata numbers) or "GPIO17,GPIO27" (raspi-io names). */
export function pinList(d: DeviceEnv, name: string, def: (number | string)[]): (number | string)[] {
  const raw = d.get(name);
  if (raw === undefined) return def;
  const parts = raw.split(',').map((s) => s.trim());
  if (!parts.every((p) => /^(\d+|GPIO\d+|P1-\d+)$/.test(p))) throw new DeviceConfigError(`${name} must be a comma-separated list of pins (17 or GPIO17 or P1-11), got "${raw}"`);
  return parts.map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

export function intSetting(d: DeviceEnv, name: string, def: number, min = 0, max = 1_000_000): number {
  const raw = d.get(name);
  if (raw === undefined) return def;
  if (!/^\d+$/.test(raw)) throw new DeviceConfigError(`${name} must be a whole number, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new DeviceConfigError(`${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

/** The Firmata board's handshake wait and reopen interval (SHUBBAK_FIRMATA_HANDSHAKE_MS, SHUBBAK_FIRMATA_RETRY_MS). */
export function firmataTiming(d: DeviceEnv): { handshakeMs: number; retryMs: number } {
  return {
    handshakeMs: intSetting(d, 'SHUBBAK_FIRMATA_HANDSHAKE_MS', 5000, 500, 600_000),
    retryMs: intSetting(d, 'SHUBBAK_FIRMATA_RETRY_MS', 1000, 50, 60_000),
  };
}
