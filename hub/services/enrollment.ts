// Device enrollment over SQLite (issue 10 item 5): an administrator issues a one-time code
// for a registered device; a device redeems it once and gets a freshly made secret (the old
// one stops working). Only the code's hash is stored; the secret is made at redemption, so
// neither ever rests in the database in the clear. Rules: domain/enrollment.ts.
import { createHash, randomInt, X509Certificate } from 'node:crypto';
import { ENROLL_CODE_TTL_MS, type EnrollErrorCode } from '@shubbak/protocol/enrollment';
import { isOutsideKind, type DeviceKind } from '@shubbak/protocol';
import type { Db } from '../db/connection.ts';
import { DomainError } from '../domain/errors.ts';
import { EnrollmentError, EnrollThrottle, formatEnrollCode, makeEnrollCode, normalizeEnrollCode, refusal } from '../domain/enrollment.ts';
import type { Clock } from '../domain/time.ts';
import type { AuditLog } from './audit.ts';
import type { DeviceService } from './devices.ts';
import type { UnitOfWork } from './unit-of-work.ts';
import { actorKey, deviceActor } from '../domain/actor.ts';

type Row = { id: number; device_id: string; expires_at: number; used_at: number | null; revoked_at: number | null };

export type IssuedCode = { deviceId: string; kind: DeviceKind; code: string; expiresAt: number };
/** The broker's ports as the hub bound them; with TLS (issue 17) devices get mqtts:// and the center's CA certificate. */
export type BrokerListeners = { mqttPort: number; tls: { mqttsPort: number; caCert: string } | null };

export type Enrolled = { deviceId: string; kind: DeviceKind; secret: string };

function hashCode(normalized: string): string {
  return createHash('sha256').update(`shubbak-enroll:${normalized}`, 'utf8').digest('hex');
}

export class EnrollmentService {
  private readonly q;
  private readonly throttle = new EnrollThrottle();
  /** The center CA's SHA-256 fingerprint (hex), which the enrollment command pins; null without TLS. */
  caSha256(): string | null {
    const tls = this.listeners().tls;
    return tls ? new X509Certificate(tls.caCert).fingerprint256.replace(/:/g, '').toLowerCase() : null;
  }

  /** Where an enrolled device connects, on the host name it used to reach the hub, and the CA it must check the hub against. */
  brokerFor(host: string): { mqttUrl: string; caCert: string | null } {
    const h = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
    const { mqttPort, tls } = this.listeners();
    return tls ? { mqttUrl: `mqtts://${h}:${tls.mqttsPort}`, caCert: tls.caCert } : { mqttUrl: `mqtt://${h}:${mqttPort}`, caCert: null };
  }

  constructor(
    db: Db,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly devices: DeviceService,
    private readonly audit: AuditLog,
    /** Where the broker listens, once it does (the hub's own record; the reply tells devices where to connect). */
    private readonly listeners: () => BrokerListeners,
  ) {
    this.q = {
      insert: db.prepare('INSERT INTO device_enrollments (code_hash, device_id, created_at, expires_at, created_by) VALUES (?, ?, ?, ?, ?)'),
      revokeOpen: db.prepare('UPDATE device_enrollments SET revoked_at = ? WHERE device_id = ? AND used_at IS NULL AND revoked_at IS NULL'),
      byHash: db.prepare<[string], Row>('SELECT id, device_id, expires_at, used_at, revoked_at FROM device_enrollments WHERE code_hash = ?'),
      markUsed: db.prepare('UPDATE device_enrollments SET used_at = ?, used_from = ? WHERE id = ? AND used_at IS NULL'),
    };
  }

  /** A new code for a registered device; any earlier unused code for it stops working. */
  issue(deviceId: string, actor: string): IssuedCode {
    return this.uow.run(() => {
      const kind = this.devices.kindOf(deviceId);
      if (!kind) throw new DomainError('NOT_FOUND', `لا يوجد جهاز ${deviceId}`);
      // The code is for a device program on a Pi (shubbak-device enroll); an observer or a
      // bridge takes its secret from the registration or a rotation (issue 13).
      if (isOutsideKind(kind)) throw new DomainError('BAD_REQUEST', 'رمز التسجيل لأجهزة المركز فقط؛ المراقب والجسر يأخذان السر عند التسجيل');
      const now = this.clock();
      this.q.revokeOpen.run(now, deviceId);
      // 40 random bits: a clash with a live code is possible in principle; draw again.
      let code = makeEnrollCode(randomInt);
      while (this.q.byHash.get(hashCode(code))) code = makeEnrollCode(randomInt);
      const expiresAt = now + ENROLL_CODE_TTL_MS;
      this.q.insert.run(hashCode(code), deviceId, now, expiresAt, actor);
      this.audit.append({ actor, action: 'device.enrollment_code', entity: 'device', entityId: deviceId, after: { expiresAt } });
      return { deviceId, kind, code: formatEnrollCode(code), expiresAt };
    });
  }

  /**
   * Redeem a code from an address. A wrong, used or expired code, a code for another kind
   * of device, or a locked-out address changes nothing but the address's count of wrong
   * codes (a code for the wrong kind is not a guess and is not counted).
   */
  redeem(typed: string, address: string, expectKind?: DeviceKind): Enrolled {
    const now = this.clock();
    const locked = this.throttle.lockedFor(address, now);
    if (locked) throw new EnrollmentError('ENROLL_LOCKED', locked);
    const wrong = (code: EnrollErrorCode): never => {
      const nowLocked = this.throttle.fail(address, now);
      throw new EnrollmentError(code, nowLocked ? this.throttle.lockedFor(address, now) : undefined);
    };
    const normalized = normalizeEnrollCode(typed);
    if (!normalized) return wrong('ENROLL_CODE_INVALID');
    const row = this.q.byHash.get(hashCode(normalized));
    if (!row) return wrong('ENROLL_CODE_INVALID');
    const why = refusal({ expiresAt: row.expires_at, usedAt: row.used_at, revokedAt: row.revoked_at }, now);
    if (why) return wrong(why);
    const kind = this.devices.kindOf(row.device_id);
    if (!kind || isOutsideKind(kind)) return wrong('ENROLL_CODE_INVALID');
    if (expectKind && expectKind !== kind) throw new EnrollmentError('ENROLL_WRONG_KIND');
    const secret = this.uow.run(() => {
      // Guarded by used_at IS NULL: two devices racing with one code cannot both win.
      if (!this.q.markUsed.run(now, address, row.id).changes) throw new EnrollmentError('ENROLL_CODE_USED');
      const s = this.devices.rotateSecret(row.device_id);
      this.audit.append({ actor: actorKey(deviceActor(row.device_id)), action: 'device.enroll', entity: 'device', entityId: row.device_id, after: { from: address } });
      return s;
    });
    this.throttle.succeed(address);
    return { deviceId: row.device_id, kind, secret };
  }
}
