// The reference device client of the contract, on mqtt.js: connects as the device, sets
// the last will and the retained status, keeps the hub's clock offset, sends commands and
// matches their replies. The kiosk, keypad and display programs are thin wrappers of it;
// a third-party device maker can read it as a worked example of PROTOCOL.md.
//
// Commands have one failure path (issue 12 item 7): command() resolves with the command's
// result, typed and checked by its schema (protocol/commands.ts CommandResults), or rejects
// with a LinkError — the hub's refusal (its code: QUEUE_EMPTY, LINE_CLOSED …) and the
// link's own failures (OFFLINE, NO_CLOCK, TIMEOUT, BAD_REPLY) alike. A disconnect and a
// timeout fail the same way; close() settles every call still waiting. request() is the
// same exchange one level down (the whole Reply, for protocol tests and tools).
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import { topics, parseTopic } from './topics.ts';
import { checkResult, validate } from './validate.ts';
import type { CommandOf, CommandType, ErrorCode, PrintRequest, Reply, ResultOf } from './commands.ts';
import type { DeviceConfig, DeviceHealth, DeviceKind, HallAnnounce, HallCalls, LineState, WindowState } from './messages.ts';

export type DeviceLinkOptions = {
  url: string; // mqtts://host:8883 or wss://host:8443/mqtt (production); mqtt://host:1883 or ws://host:8080/mqtt (demo)
  /**
   * The CA certificate(s) (PEM) the hub's certificate must chain to: the center's CA, handed
   * out at enrollment (SHUBBAK_CA_FILE). Over mqtts/wss the hub's certificate is always
   * verified — name, dates, chain (issue 17); without `ca`, against the system's CAs.
   */
  ca?: string;
  deviceId: string;
  secret: string;
  kind: DeviceKind;
  fw?: string;
  /** Reply wait before a command is reported as timed out. */
  replyTimeoutMs?: number;
  /** Reconnect backoff bounds. */
  minReconnectMs?: number;
  maxReconnectMs?: number;
  /** Local clock, injectable for tests. */
  now?: () => number;
};

export type DeviceLinkEvents = {
  online: [];
  offline: [];
  config: [DeviceConfig | null];
  windowState: [WindowState];
  lineState: [LineState];
  hallCalls: [HallCalls];
  announce: [HallAnnounce];
  /** Kiosks only: the hub asks to print a ticket it issued from this kiosk's touch screen. */
  print: [PrintRequest];
  clock: [number];
  error: [Error];
  /** The hub's certificate was refused (wrong CA, expired, wrong name): not connected, retried with backoff. */
  tlsRefused: [HubCertRefused];
};

/** OpenSSL/Node verification codes of a hub certificate we will not trust, with what to tell a person. */
const CERT_REFUSALS: Record<string, string> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'شهادة الخادم ليست صادرة من جهة شهادات المركز',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'شهادة الخادم ليست صادرة من جهة شهادات المركز',
  UNABLE_TO_GET_ISSUER_CERT: 'شهادة الخادم ليست صادرة من جهة شهادات المركز',
  SELF_SIGNED_CERT_IN_CHAIN: 'شهادة الخادم ليست صادرة من جهة شهادات المركز',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'شهادة الخادم ليست صادرة من جهة شهادات المركز',
  CERT_SIGNATURE_FAILURE: 'توقيع شهادة الخادم غير صحيح',
  CERT_HAS_EXPIRED: 'انتهت صلاحية شهادة الخادم',
  CERT_NOT_YET_VALID: 'شهادة الخادم لم تبدأ صلاحيتها بعد (راجع ساعة الجهاز)',
  ERR_TLS_CERT_ALTNAME_INVALID: 'شهادة الخادم لا تحمل اسم الخادم أو عنوانه',
};

/** A hub certificate this device refused: a stable code (Node's) and an Arabic sentence. */
export class HubCertRefused extends Error {
  constructor(
    readonly code: string,
    readonly ar: string,
    detail: string,
  ) {
    super(`${ar} — refused the hub's certificate (${code}): ${detail}`);
  }
}

/** The refusal, when `err` is a failed check of the hub's certificate. */
export function hubCertRefusal(err: unknown): HubCertRefused | null {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !(code in CERT_REFUSALS)) return null;
  return new HubCertRefused(code, CERT_REFUSALS[code], (err as Error).message);
}

/** The link's own failures: not sent (OFFLINE, NO_CLOCK), no reply (OFFLINE, TIMEOUT), a reply that does not fit (BAD_REPLY). */
export type LinkFailure = 'OFFLINE' | 'NO_CLOCK' | 'TIMEOUT' | 'BAD_REPLY';

/**
 * The one error of command(): the hub refused (code = its ErrorCode, message its Arabic
 * text) or the link failed (a LinkFailure). The device shows it and never retries late.
 */
export class LinkError extends Error {
  override name = 'LinkError';
  constructor(
    readonly code: ErrorCode | LinkFailure,
    message: string,
  ) {
    super(message);
  }
}

type CommandArgs<K extends CommandType> = Omit<CommandOf<K>, 'id' | 'type' | 'at'>;

export function newCommandId(): string {
  return randomBytes(12).toString('base64url');
}

export class DeviceLink extends EventEmitter<DeviceLinkEvents> {
  readonly client: MqttClient;
  private readonly opts: Required<Omit<DeviceLinkOptions, 'fw' | 'ca'>> & { fw: string; ca?: string };
  /** The last refusal of the hub's certificate, until a connection succeeds (what the device shows). */
  tlsRefusal: HubCertRefused | null = null;
  private clockOffset: number | null = null;
  private connected = false;
  private readonly pending = new Map<string, { resolve: (r: Reply) => void; reject: (e: LinkError) => void; timer: NodeJS.Timeout }>();
  private readonly seqs = new Map<string, number>();
  private backoff: number;
  config: DeviceConfig | null = null;
  private health: DeviceHealth | null = null;

  constructor(options: DeviceLinkOptions) {
    super();
    this.opts = {
      fw: '1.0.0',
      replyTimeoutMs: 5000,
      minReconnectMs: 500,
      maxReconnectMs: 10_000,
      now: Date.now,
      ...options,
    };
    this.backoff = this.opts.minReconnectMs;
    const o = this.opts;
    const secure = /^(mqtts|wss):/.test(o.url);
    this.client = mqtt.connect(o.url, {
      // Over TLS the hub's certificate is checked against the center's CA; never switched off.
      ...(secure ? { ca: o.ca, rejectUnauthorized: true } : {}),
      clientId: o.deviceId,
      username: o.deviceId,
      password: o.secret,
      protocolVersion: 4,
      clean: true,
      keepalive: 15,
      connectTimeout: 5000,
      reconnectPeriod: o.minReconnectMs,
      reconnectOnConnackError: true,
      will: { topic: topics.deviceStatus(o.deviceId), payload: Buffer.from('{"online":false}'), qos: 1, retain: true },
      // mqtt-packet would otherwise pre-build a Buffer for each of the 65536 two-byte numbers
      // on the first packet (~8 MB of heap, a third of a keypad's); a device writes a few a second.
      writeCache: false,
    });
    this.client.on('connect', () => this.onConnect());
    this.client.on('close', () => this.onClose());
    this.client.on('message', (topic, payload) => this.onMessage(topic, payload));
    this.client.on('error', (err) => {
      const refused = hubCertRefusal(err);
      if (!refused) return void this.emit('error', err);
      // Said on the console (the programs log 'error'), and kept in the device's health, which
      // goes out once it reaches a hub it trusts: the center learns a device was pointed at
      // a hub it refused (a misconfigured address, or someone posing as the hub).
      this.tlsRefusal = refused;
      this.health = { ...this.health, hubTlsRefused: { code: refused.code, message: refused.ar, at: this.opts.now() } };
      this.emit('tlsRefused', refused);
      this.emit('error', refused);
    });
  }

  get isOnline(): boolean {
    return this.connected;
  }

  /** Hub time now, or null while the hub's clock has not been heard since connecting. */
  hubNow(): number | null {
    return this.clockOffset === null ? null : this.opts.now() + this.clockOffset;
  }

  private onConnect(): void {
    // Nagle's algorithm delays small QoS 1 packets by ~40–90 ms; a queue call must not wait.
    const stream = this.client.stream as unknown as { setNoDelay?: (on: boolean) => void };
    stream.setNoDelay?.(true);
    this.connected = true;
    this.clockOffset = null;
    this.tlsRefusal = null;
    this.backoff = this.opts.minReconnectMs;
    this.client.options.reconnectPeriod = this.backoff;
    const id = this.opts.deviceId;
    this.client.publish(topics.deviceStatus(id), JSON.stringify({ online: true, kind: this.opts.kind, fw: this.opts.fw }), { qos: 1, retain: true });
    this.client.subscribe(
      {
        [topics.deviceConfig(id)]: { qos: 1 },
        [topics.deviceReplies(id)]: { qos: 1 },
        [topics.allWindowStates()]: { qos: 1 },
        [topics.allLineStates()]: { qos: 1 },
        [topics.hallAll()]: { qos: 1 },
        [topics.clock()]: { qos: 0 },
        // A kiosk prints the tickets its touch screen issued through the hub (issue 14 item 2).
        ...(this.opts.kind === 'kiosk' ? { [topics.devicePrint(id)]: { qos: 1 as const } } : {}),
      },
      (err) => {
        if (err) this.emit('error', err);
      },
    );
    if (this.health) this.publishHealth(this.health);
    this.emit('online');
  }

  private onClose(): void {
    // Exponential backoff between reconnect attempts, bounded.
    this.backoff = Math.min(this.opts.maxReconnectMs, this.backoff * 2);
    this.client.options.reconnectPeriod = this.backoff;
    if (!this.connected) return;
    this.connected = false;
    this.clockOffset = null;
    this.failPending(new LinkError('OFFLINE', 'انقطع الاتصال بالخادم'));
    this.emit('offline');
  }

  private fresh(key: string, seq: number): boolean {
    const last = this.seqs.get(key);
    if (last !== undefined && seq < last) return false;
    this.seqs.set(key, seq);
    return true;
  }

  private onMessage(topic: string, payload: Buffer): void {
    const parsed = parseTopic(topic);
    if (!parsed) return;
    if (parsed.kind === 'device' && parsed.sub === 'config' && payload.length === 0) {
      this.config = null;
      this.emit('config', null);
      return;
    }
    const v = validate(topic, payload);
    if (!v.ok) {
      this.emit('error', new Error(`ignored ${topic}: ${v.error.message}`));
      return;
    }
    const m = v.message;
    switch (m.kind) {
      case 'clock':
        this.clockOffset = m.payload.at - this.opts.now();
        this.emit('clock', m.payload.at);
        return;
      case 'config':
        this.config = m.payload;
        this.emit('config', m.payload);
        return;
      case 'reply': {
        const r = m.payload;
        if (r.at) this.clockOffset = r.at - this.opts.now();
        const p = r.id === null ? undefined : this.pending.get(r.id);
        if (p && r.id !== null) {
          clearTimeout(p.timer);
          this.pending.delete(r.id);
          p.resolve(r);
        }
        return;
      }
      case 'windowState':
        if (this.fresh(`w${m.window}`, m.payload.seq)) this.emit('windowState', m.payload);
        return;
      case 'lineState':
        if (this.fresh(`l${m.line}`, m.payload.seq)) this.emit('lineState', m.payload);
        return;
      case 'hallCalls':
        if (this.fresh('hall', m.payload.seq)) this.emit('hallCalls', m.payload);
        return;
      case 'hallAnnounce':
        this.emit('announce', m.payload);
        return;
      case 'print':
        if (m.deviceId === this.opts.deviceId) this.emit('print', m.payload);
        return;
      default:
        return;
    }
  }

  /** Every call still waiting fails with err (the link went down, or is closing). */
  private failPending(err: LinkError): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      this.pending.delete(id);
      p.reject(err);
    }
  }

  /**
   * Send a command and resolve with its result, typed by its schema; reject with a
   * LinkError when the hub refuses it (the reply's code) or the link fails (see request()).
   */
  async command<K extends CommandType>(type: K, args: CommandArgs<K>, id: string = newCommandId()): Promise<ResultOf<K>> {
    const r = await this.request(type, args, id);
    if (!r.ok) throw new LinkError(r.error.code as ErrorCode, r.error.message);
    const wrong = checkResult(type, r.result);
    if (wrong.length) throw new LinkError('BAD_REPLY', `${type}: the hub's result does not fit its schema (${wrong.map((w) => `${w.path} ${w.message}`).join('; ')})`);
    return r.result as ResultOf<K>;
  }

  /**
   * Send a command stamped in hub time and resolve with the hub's whole Reply (ok or its
   * refusal). Never queued: offline, or before the hub's clock is known, it rejects at once
   * (OFFLINE, NO_CLOCK) so the device can show an error; no reply in time rejects TIMEOUT,
   * the link going down or closed meanwhile rejects OFFLINE.
   */
  request<K extends CommandType>(type: K, args: CommandArgs<K>, id: string = newCommandId()): Promise<Reply> {
    if (!this.connected) return Promise.reject(new LinkError('OFFLINE', 'لا يوجد اتصال بالخادم'));
    const at = this.hubNow();
    if (at === null) return Promise.reject(new LinkError('NO_CLOCK', 'لم تصل ساعة الخادم بعد'));
    const body = JSON.stringify({ ...args, id, type, at: Math.round(at) });
    return new Promise<Reply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new LinkError('TIMEOUT', 'لم يصل رد من الخادم'));
      }, this.opts.replyTimeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      this.client.publish(topics.deviceCommands(this.opts.deviceId), body, { qos: 1 });
    });
  }

  publishHealth(health: DeviceHealth): void {
    if (!this.connected) return;
    this.client.publish(topics.deviceHealth(this.opts.deviceId), JSON.stringify(health), { qos: 1, retain: true });
  }

  /**
   * Merges fields into the device's health (printer, board …) and publishes the whole, now
   * if connected and again on every reconnect, so one part never overwrites another.
   */
  updateHealth(fields: Partial<DeviceHealth>): void {
    this.health = { ...this.health, ...fields };
    this.publishHealth(this.health);
  }

  /** Clean shutdown: say offline ourselves (the will is only for unclean ends), then close. */
  async close(): Promise<void> {
    this.failPending(new LinkError('OFFLINE', 'أُغلق اتصال الجهاز'));
    if (this.client.connected) {
      // Bounded: if the hub dies at this moment the PUBACK never comes, and the will says it anyway.
      await new Promise<void>((res) => {
        const timer = setTimeout(res, 1000);
        this.client.publish(topics.deviceStatus(this.opts.deviceId), '{"online":false}', { qos: 1, retain: true }, () => {
          clearTimeout(timer);
          res();
        });
      });
    }
    await this.client.endAsync(true);
  }
}
