// Device alerts for the supervisors: a device offline while the center is open, a kiosk
// printer out of paper (or low, or unplugged). Raised and resolved from the devices
// table whenever the broker reports a device (bus 'deviceSeen'), and by a sweep each
// minute so a device that was already down at opening time is noticed too. Every change
// marks the 'alerts' topic, which the staff live stream carries to the panels.
import type { HubConfig } from '../config.ts';
import type { Db } from '../db/connection.ts';
import { DomainError } from '../domain/errors.ts';
import { isOpenAt, parseHm, type OpeningHours } from '../domain/schedule.ts';
import { localDay, type Clock } from '../domain/time.ts';
import type { UnitOfWork } from './unit-of-work.ts';

export type AlertKind = 'offline' | 'paper_out' | 'paper_low' | 'printer_offline';

export const ALERT_NAMES: Record<AlertKind, { ar: string; en: string; severity: 'critical' | 'warning' }> = {
  offline: { ar: 'الجهاز غير متصل', en: 'Device offline', severity: 'critical' },
  paper_out: { ar: 'نفد ورق الطابعة', en: 'Printer out of paper', severity: 'critical' },
  paper_low: { ar: 'ورق الطابعة أوشك على النفاد', en: 'Printer paper low', severity: 'warning' },
  printer_offline: { ar: 'الطابعة غير متصلة', en: 'Printer offline', severity: 'critical' },
};

export type Alert = {
  id: number; deviceId: string; kind: AlertKind; severity: 'critical' | 'warning'; messageAr: string; messageEn: string;
  raisedAt: number; resolvedAt: number | null; acknowledgedAt: number | null; acknowledgedBy: string | null;
};

type AlertRow = {
  id: number; device_id: string; kind: AlertKind; raised_at: number; resolved_at: number | null;
  acknowledged_at: number | null; acknowledged_by: string | null; detail: string;
};
type DeviceState = { id: string; online: number; health: string | null };

/** Which alerts a device's current state calls for (pure; the printer only on devices that report one). */
export function alertsCalledFor(d: { online: boolean; printer: string | null }, open: boolean): Set<AlertKind> {
  const want = new Set<AlertKind>();
  if (!d.online) {
    if (open) want.add('offline');
    return want; // an offline device's last printer report is stale
  }
  if (d.printer === 'paper-out') want.add('paper_out');
  else if (d.printer === 'paper-low') want.add('paper_low');
  else if (d.printer === 'offline') want.add('printer_offline');
  return want;
}

export class AlertService {
  private readonly q;
  private readonly hours: OpeningHours;

  constructor(
    private readonly db: Db,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly config: HubConfig,
  ) {
    this.hours = { days: config.openDays, openMin: parseHm(config.openFrom)!, closeMin: parseHm(config.openUntil)! };
    this.q = {
      device: db.prepare<[string], DeviceState>('SELECT id, online, health FROM devices WHERE id = ?'),
      devices: db.prepare<[], DeviceState>('SELECT id, online, health FROM devices'),
      openFor: db.prepare<[string], AlertRow>('SELECT * FROM device_alerts WHERE device_id = ? AND resolved_at IS NULL'),
      raise: db.prepare('INSERT INTO device_alerts (device_id, kind, raised_at) VALUES (?, ?, ?)'),
      resolve: db.prepare('UPDATE device_alerts SET resolved_at = ? WHERE id = ?'),
      resolveGone: db.prepare('UPDATE device_alerts SET resolved_at = ? WHERE resolved_at IS NULL AND device_id NOT IN (SELECT id FROM devices)'),
      ack: db.prepare('UPDATE device_alerts SET acknowledged_at = ?, acknowledged_by = ? WHERE id = ? AND acknowledged_at IS NULL'),
      get: db.prepare<[number], AlertRow>('SELECT * FROM device_alerts WHERE id = ?'),
      open: db.prepare<[], AlertRow>('SELECT * FROM device_alerts WHERE resolved_at IS NULL ORDER BY raised_at DESC, id DESC'),
      recent: db.prepare<[number, number], AlertRow>(
        'SELECT * FROM device_alerts WHERE resolved_at IS NULL OR raised_at >= ? ORDER BY raised_at DESC, id DESC LIMIT ?'),
      holiday: db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM holidays WHERE day = ?'),
    };
  }

  /** Is the center open now (opening days and hours, not an official holiday)? */
  isOpen(now = this.clock()): boolean {
    const day = localDay(now, this.config.timezone);
    const holidays = this.q.holiday.get(day)!.n ? new Set([day]) : new Set<string>();
    return isOpenAt(now, this.hours, this.config.timezone, holidays);
  }

  /** Bring one device's alerts in line with its state. Returns true if anything changed. */
  check(deviceId: string): boolean {
    return this.uow.run(() => {
      const d = this.q.device.get(deviceId);
      return this.reconcile(deviceId, d ?? null, this.isOpen());
    });
  }

  /** Check every device (each minute, and at opening time). */
  sweep(): boolean {
    return this.uow.run(() => {
      const now = this.clock();
      const open = this.isOpen(now);
      let changed = this.q.resolveGone.run(now).changes > 0;
      for (const d of this.q.devices.all()) changed = this.reconcile(d.id, d, open) || changed;
      if (changed) this.uow.topic('alerts');
      return changed;
    });
  }

  private reconcile(id: string, d: DeviceState | null, open: boolean): boolean {
    const now = this.clock();
    let printer: string | null = null;
    if (d?.health) {
      try {
        printer = (JSON.parse(d.health) as { printer?: string }).printer ?? null;
      } catch {
        printer = null;
      }
    }
    const want = d ? alertsCalledFor({ online: d.online === 1, printer }, open) : new Set<AlertKind>();
    const current = this.q.openFor.all(id);
    let changed = false;
    for (const a of current) {
      // An offline alert stays until the device is back, even after closing time.
      const keep = want.has(a.kind) || (a.kind === 'offline' && d !== null && d.online === 0);
      if (!keep) {
        this.q.resolve.run(now, a.id);
        changed = true;
      }
    }
    for (const kind of want) {
      if (current.some((a) => a.kind === kind)) continue;
      this.q.raise.run(id, kind, now);
      changed = true;
    }
    if (changed) this.uow.topic('alerts');
    return changed;
  }

  acknowledge(id: number, by: string): Alert {
    return this.uow.run(() => {
      const row = this.q.get.get(id);
      if (!row) throw new DomainError('NOT_FOUND', `لا يوجد تنبيه رقم ${id}`);
      if (this.q.ack.run(this.clock(), by, id).changes) this.uow.topic('alerts');
      return toAlert(this.q.get.get(id)!);
    });
  }

  open(): Alert[] {
    return this.q.open.all().map(toAlert);
  }

  /** Open alerts and those raised in the last `sinceMs`, newest first. */
  recent(sinceMs = 7 * 86_400_000, limit = 200): Alert[] {
    return this.q.recent.all(this.clock() - sinceMs, limit).map(toAlert);
  }
}

function toAlert(r: AlertRow): Alert {
  const n = ALERT_NAMES[r.kind];
  return {
    id: r.id, deviceId: r.device_id, kind: r.kind, severity: n.severity, messageAr: n.ar, messageEn: n.en,
    raisedAt: r.raised_at, resolvedAt: r.resolved_at, acknowledgedAt: r.acknowledged_at, acknowledgedBy: r.acknowledged_by,
  };
}
