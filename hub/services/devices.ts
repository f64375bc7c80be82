// The device registry: who may connect, what each device is bound to (its retained
// config), and what it last said about itself (presence, firmware, health).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { isDeviceId, isOutsideKind, type DeviceConfig, type DeviceHealth, type IdentityKind } from '@shubbak/protocol';
import type { HubConfig } from '../config.ts';
import type { Db } from '../db/connection.ts';
import { DomainError } from '../domain/errors.ts';
import type { Clock } from '../domain/time.ts';
import type { UnitOfWork } from './unit-of-work.ts';

type DeviceRow = {
  id: string; kind: IdentityKind; label: string; secret_hash: string; window: number | null;
  buttons: string | null; transfer_to: string | null; rows: number | null; created_at: number; secret_set_at: number;
  online: number; fw: string | null; last_seen: number | null; health: string | null; health_at: number | null;
};

export type DeviceBinding = {
  window?: number | null;
  buttons?: { key: number; line: string }[] | null;
  transferTo?: string[] | null;
  rows?: number | null;
};

export type DeviceInfo = {
  id: string; kind: IdentityKind; label: string; binding: DeviceBinding; online: boolean; fw: string | null;
  lastSeen: number | null; health: DeviceHealth | null; healthAt: number | null; createdAt: number; secretSetAt: number;
};

/**
 * Device secrets are 256 random bits made by the hub, never chosen by a person, so a
 * plain SHA-256 is enough to store them (no dictionary to slow down); it also keeps a
 * hundred devices reconnecting after a power cut from queueing behind a slow KDF.
 */
function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** The hub's own MQTT identity (PROTOCOL.md: "the hub — may publish and subscribe everything"). */
export const HUB_CLIENT_ID = 'hub';

export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export class DeviceService {
  private readonly q;
  /** Every command asks who the device is and what it is bound to: answered from memory. */
  private readonly configs = new Map<string, { kind: IdentityKind; config: DeviceConfig | null }>();
  /**
   * Told when a device's secret is rotated, it is removed or rebound: the broker closes its
   * live connections at once (PROTOCOL.md "Who may do what"; issue 15, fault 6), so an old
   * secret or an old binding does not keep working on a connection made before the change.
   */
  private readonly revokedListeners = new Set<(id: string) => void>();

  onRevoked(listener: (id: string) => void): () => void {
    this.revokedListeners.add(listener);
    return () => this.revokedListeners.delete(listener);
  }

  private revoked(id: string): void {
    for (const l of this.revokedListeners) l(id);
  }

  constructor(
    private readonly db: Db,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly config: HubConfig,
  ) {
    this.q = {
      get: db.prepare<[string], DeviceRow>('SELECT * FROM devices WHERE id = ?'),
      all: db.prepare<[], DeviceRow>('SELECT * FROM devices ORDER BY kind, id'),
      insert: db.prepare(
        `INSERT INTO devices (id, kind, label, secret_hash, window, buttons, transfer_to, rows, created_at, secret_set_at)
         VALUES (@id, @kind, @label, @secret_hash, @window, @buttons, @transfer_to, @rows, @now, @now)`,
      ),
      setSecret: db.prepare('UPDATE devices SET secret_hash = ?, secret_set_at = ? WHERE id = ?'),
      bind: db.prepare('UPDATE devices SET window = @window, buttons = @buttons, transfer_to = @transfer_to, rows = @rows WHERE id = @id'),
      presence: db.prepare('UPDATE devices SET online = ?, fw = coalesce(?, fw), last_seen = ? WHERE id = ?'),
      health: db.prepare('UPDATE devices SET health = ?, health_at = ?, last_seen = ? WHERE id = ?'),
      remove: db.prepare('DELETE FROM devices WHERE id = ?'),
      windowExists: db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM windows WHERE number = ?'),
      lineExists: db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM lines WHERE letter = ?'),
      windowLines: db.prepare<[number], { line: string }>('SELECT line FROM window_lines WHERE window = ? ORDER BY line'),
      allOffline: db.prepare('UPDATE devices SET online = 0 WHERE online = 1'),
      meta: db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
      setMeta: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
    };
  }

  /** Check a device's credentials; the broker's authenticate hook calls this. */
  verify(id: string, secret: string): DeviceRow | null {
    if (!isDeviceId(id)) return null;
    const row = this.q.get.get(id);
    const given = Buffer.from(hashSecret(secret), 'hex');
    // Compare even for unknown ids so timing does not tell which ids exist.
    const stored = Buffer.from(row?.secret_hash ?? '0'.repeat(64), 'hex');
    return timingSafeEqual(given, stored) && row ? row : null;
  }

  /**
   * The hub's service credential, for tools that act as the hub over MQTT (a bridge to a
   * governorate broker, the benchmark). Made once, kept as a hash; the secret is written
   * to data/hub.secret (0600) by the caller.
   */
  ensureHubSecret(): string | null {
    const row = this.q.meta.get('hub_secret_hash');
    if (row) return null;
    const secret = newSecret();
    this.q.setMeta.run('hub_secret_hash', hashSecret(secret));
    return secret;
  }

  verifyHub(secret: string): boolean {
    const row = this.q.meta.get('hub_secret_hash');
    const given = Buffer.from(hashSecret(secret), 'hex');
    return !!row && timingSafeEqual(given, Buffer.from(row.value, 'hex'));
  }

  kindOf(id: string): IdentityKind | null {
    return this.cached(id)?.kind ?? null;
  }

  private cached(id: string): { kind: IdentityKind; config: DeviceConfig | null } | null {
    let c = this.configs.get(id);
    if (!c) {
      const kind = this.q.get.get(id)?.kind;
      if (!kind) return null;
      c = { kind, config: this.readConfig(id) };
      this.configs.set(id, c);
    }
    return c;
  }

  /** Bindings changed (a device, a window's lines): forget what was cached. */
  invalidate(): void {
    this.configs.clear();
  }

  private checkBinding(kind: IdentityKind, b: DeviceBinding): void {
    const bad = (msg: string) => {
      throw new DomainError('BAD_REQUEST', msg);
    };
    if (b.window != null && !this.q.windowExists.get(b.window)!.n) bad(`لا يوجد شباك رقم ${b.window}`);
    for (const btn of b.buttons ?? []) if (!this.q.lineExists.get(btn.line)!.n) bad(`لا توجد خدمة بالحرف ${btn.line}`);
    for (const l of b.transferTo ?? []) if (!this.q.lineExists.get(l)!.n) bad(`لا توجد خدمة بالحرف ${l}`);
    if ((kind === 'kiosk') !== (b.buttons != null) && b.buttons != null) bad('أزرار الخدمات للكشك فقط');
    if (b.window != null && (kind === 'kiosk' || kind === 'hall')) bad('هذا النوع من الأجهزة لا يرتبط بشباك');
    // An observer or a bridge is an identity for the outside, bound to nothing (issue 13).
    if (isOutsideKind(kind) && (b.window != null || b.buttons != null || b.transferTo != null || b.rows != null)) bad('المراقب والجسر لا يرتبطان بشباك ولا بخدمات');
  }

  /** Register a device; the secret is returned once and stored only as a hash. */
  register(args: { id: string; kind: IdentityKind; label?: string; binding?: DeviceBinding }): { device: DeviceInfo; secret: string } {
    return this.uow.run(() => {
      if (!isDeviceId(args.id)) throw new DomainError('BAD_REQUEST', 'معرف الجهاز: حروف لاتينية صغيرة وأرقام وشرطة فقط');
      if (args.id === HUB_CLIENT_ID) throw new DomainError('BAD_REQUEST', 'المعرف hub محجوز للخادم');
      if (this.q.get.get(args.id)) throw new DomainError('CONFLICT', `الجهاز ${args.id} مسجل بالفعل`);
      const b = args.binding ?? {};
      this.checkBinding(args.kind, b);
      const secret = newSecret();
      this.q.insert.run({
        id: args.id, kind: args.kind, label: args.label ?? '', secret_hash: hashSecret(secret), window: b.window ?? null,
        buttons: b.buttons ? JSON.stringify(b.buttons) : null, transfer_to: b.transferTo ? JSON.stringify(b.transferTo) : null,
        rows: b.rows ?? null, now: this.clock(),
      });
      this.invalidate();
      this.uow.device(args.id);
      return { device: this.info(args.id)!, secret };
    });
  }

  rotateSecret(id: string): string {
    const secret = this.uow.run(() => {
      if (!this.q.get.get(id)) throw new DomainError('NOT_FOUND', `لا يوجد جهاز ${id}`);
      const secret = newSecret();
      this.q.setSecret.run(hashSecret(secret), this.clock(), id);
      this.uow.device(id);
      return secret;
    });
    this.revoked(id);
    return secret;
  }

  bind(id: string, b: DeviceBinding): DeviceInfo {
    const info = this.uow.run(() => {
      const row = this.q.get.get(id);
      if (!row) throw new DomainError('NOT_FOUND', `لا يوجد جهاز ${id}`);
      this.checkBinding(row.kind, b);
      this.q.bind.run({
        id, window: b.window ?? null, buttons: b.buttons ? JSON.stringify(b.buttons) : null,
        transfer_to: b.transferTo ? JSON.stringify(b.transferTo) : null, rows: b.rows ?? null,
      });
      this.invalidate();
      this.uow.device(id);
      return this.info(id)!;
    });
    this.revoked(id);
    return info;
  }

  remove(id: string): void {
    this.uow.run(() => {
      if (!this.q.remove.run(id).changes) throw new DomainError('NOT_FOUND', `لا يوجد جهاز ${id}`);
      this.invalidate();
      this.uow.device(id);
    });
    this.revoked(id);
  }

  /** What the device is bound to, as published on devices/{id}/config; null = not provisioned. */
  configOf(id: string): DeviceConfig | null {
    return this.cached(id)?.config ?? null;
  }

  private readConfig(id: string): DeviceConfig | null {
    const d = this.q.get.get(id);
    if (!d) return null;
    switch (d.kind) {
      case 'kiosk': {
        const buttons = d.buttons ? (JSON.parse(d.buttons) as { key: number; line: string }[]) : [];
        return buttons.length ? { kind: 'kiosk', center: this.config.centerName, buttons, footer: 'نشكركم لزيارتكم — احتفظ بالتذكرة حتى يتم نداء رقمك' } : null;
      }
      case 'keypad':
        return d.window === null
          ? null
          : {
              kind: 'keypad', window: d.window,
              transferTo: d.transfer_to ? (JSON.parse(d.transfer_to) as string[]) : [],
              lines: this.q.windowLines.all(d.window).map((r) => r.line),
            };
      case 'display':
        return d.window === null ? null : { kind: 'display', window: d.window };
      case 'hall':
        return { kind: 'hall', rows: d.rows ?? 6 };
      case 'observer':
      case 'bridge':
        return null; // reads, never configured
    }
  }

  seen(id: string, online: boolean, fw?: string): void {
    this.q.presence.run(online ? 1 : 0, fw ?? null, this.clock(), id);
  }

  recordHealth(id: string, health: DeviceHealth): void {
    const now = this.clock();
    this.q.health.run(JSON.stringify(health), now, now, id);
  }

  /** At start nobody is connected yet, whatever the last run recorded. */
  markAllOffline(): void {
    this.q.allOffline.run();
  }

  info(id: string): DeviceInfo | null {
    const d = this.q.get.get(id);
    return d ? toInfo(d) : null;
  }

  list(): DeviceInfo[] {
    return this.q.all.all().map(toInfo);
  }

  ids(): string[] {
    return this.q.all.all().map((d) => d.id);
  }
}

function toInfo(d: DeviceRow): DeviceInfo {
  const binding: DeviceBinding = {};
  if (d.window !== null) binding.window = d.window;
  if (d.buttons) binding.buttons = JSON.parse(d.buttons);
  if (d.transfer_to) binding.transferTo = JSON.parse(d.transfer_to);
  if (d.rows !== null) binding.rows = d.rows;
  return {
    id: d.id, kind: d.kind, label: d.label, binding, online: d.online === 1, fw: d.fw, lastSeen: d.last_seen,
    health: d.health ? JSON.parse(d.health) : null, healthAt: d.health_at, createdAt: d.created_at, secretSetAt: d.secret_set_at,
  };
}
