// Device alerts for the supervisors: a device offline while the center is open, a kiosk
// printer out of paper (or low, or unplugged). Raised and resolved from the devices
// table whenever the broker reports a device (bus 'deviceSeen'), and by a sweep each
// minute so a device that was already down at opening time is noticed too. Every change
// marks the 'alerts' topic, which the staff live stream carries to the panels.
//
// Alerts that mean something (issue 15): a device is an "offline" alert only once it has
// been offline for the grace period (SHUBBAK_ALERT_GRACE_S, 60 s; a timer re-checks it
// then), so a reboot or a Wi-Fi blip is no alert; an alert that comes back within the
// flap window (SHUBBAK_ALERT_FLAP_WINDOW_S) after it was resolved reopens the same alert
// and counts the flap instead of raising a new one. After each committed change the
// listeners hear it: the MQTT publisher (retained `alerts/{deviceId}`) and the webhook.
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
  /** Times this alert came back after being resolved (flapping folded into one alert). */
  flaps: number;
};

type AlertRow = {
  id: number; device_id: string; kind: AlertKind; raised_at: number; resolved_at: number | null;
  acknowledged_at: number | null; acknowledged_by: string | null; detail: string;
};
type DeviceState = { id: string; online: number; health: string | null; last_seen: number | null };

/** What the listeners hear after a committed change. */
export type AlertEvent = 'raised' | 'reopened' | 'acknowledged' | 'resolved';
export type AlertChange = { event: AlertEvent; alert: Alert };

/**
 * Which alerts a device's current state calls for (pure; the printer only on devices that
 * report one). An offline device is an alert during opening hours once it has been
 * offline for `graceMs` (unknown duration = long enough).
 */
export function alertsCalledFor(
  d: { online: boolean; printer: string | null; offlineForMs?: number }, open: boolean, graceMs = 0,
): Set<AlertKind> {
  const want = new Set<AlertKind>();
  if (!d.online) {
    if (open && (d.offlineForMs ?? Infinity) >= graceMs) want.add('offline');
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
  /** Nobody was connected before the hub started: an offline period counts from then at the earliest. */
  private readonly startedAt: number;
  private readonly listeners: ((c: AlertChange) => void)[] = [];
  private pending: { event: AlertEvent; id: number }[] = [];
  /** Devices offline but still inside their grace period: when to look again. */
  private readonly graceTimers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly db: Db,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly config: HubConfig,
  ) {
    this.hours = { days: config.openDays, openMin: parseHm(config.openFrom)!, closeMin: parseHm(config.openUntil)! };
    this.startedAt = clock();
    this.q = {
      // Observers and bridges are the outside's connections, not the center's devices: never an alert (issue 13).
      device: db.prepare<[string], DeviceState>(`SELECT id, online, health, last_seen FROM devices WHERE id = ? AND kind NOT IN ('observer', 'bridge')`),
      devices: db.prepare<[], DeviceState>(`SELECT id, online, health, last_seen FROM devices WHERE kind NOT IN ('observer', 'bridge')`),
      openFor: db.prepare<[string], AlertRow>('SELECT * FROM device_alerts WHERE device_id = ? AND resolved_at IS NULL'),
      raise: db.prepare('INSERT INTO device_alerts (device_id, kind, raised_at) VALUES (?, ?, ?)'),
      resolve: db.prepare('UPDATE device_alerts SET resolved_at = ? WHERE id = ?'),
      /** The newest alert of this kind resolved since the given time: a flap reopens it. */
      recentlyResolved: db.prepare<[string, string, number], AlertRow>(
        'SELECT * FROM device_alerts WHERE device_id = ? AND kind = ? AND resolved_at >= ? ORDER BY resolved_at DESC, id DESC LIMIT 1'),
      reopen: db.prepare('UPDATE device_alerts SET resolved_at = NULL, detail = ? WHERE id = ?'),
      gone: db.prepare<[], AlertRow>('SELECT * FROM device_alerts WHERE resolved_at IS NULL AND device_id NOT IN (SELECT id FROM devices)'),
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

  /** Hear every committed change (the MQTT publisher, the webhook). */
  onChange(listener: (c: AlertChange) => void): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /** Bring one device's alerts in line with its state. Returns true if anything changed. */
  check(deviceId: string): boolean {
    return this.committed(() => {
      const d = this.q.device.get(deviceId);
      return this.reconcile(deviceId, d ?? null, this.isOpen());
    });
  }

  /** Check every device (each minute, and at opening time). */
  sweep(): boolean {
    return this.committed(() => {
      const now = this.clock();
      const open = this.isOpen(now);
      let changed = false;
      for (const a of this.q.gone.all()) {
        this.q.resolve.run(now, a.id);
        this.pending.push({ event: 'resolved', id: a.id });
        changed = true;
      }
      for (const d of this.q.devices.all()) changed = this.reconcile(d.id, d, open) || changed;
      if (changed) this.uow.topic('alerts');
      return changed;
    });
  }

  /** Stop the grace timers (the hub is closing). */
  stop(): void {
    for (const t of this.graceTimers.values()) clearTimeout(t);
    this.graceTimers.clear();
  }

  /** Run a change in a transaction; after it commits, tell the listeners what changed. */
  private committed<T>(fn: () => T): T {
    let result: T;
    try {
      result = this.uow.run(fn);
    } catch (err) {
      this.pending = [];
      throw err;
    }
    if (this.uow.inside) return result; // the outer transaction has not committed yet
    const changes = this.pending;
    this.pending = [];
    for (const { event, id } of changes) {
      const row = this.q.get.get(id);
      if (!row) continue;
      for (const l of this.listeners) {
        try {
          l({ event, alert: toAlert(row) });
        } catch {
          // a listener's failure is its own (it logs); the alert is stored either way
        }
      }
    }
    return result;
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
    const offline = d !== null && d.online === 0;
    const offlineForMs = offline ? now - Math.max(d.last_seen ?? 0, this.startedAt) : 0;
    const grace = this.config.alertGraceMs;
    const want = d ? alertsCalledFor({ online: d.online === 1, printer, offlineForMs }, open, grace) : new Set<AlertKind>();
    const current = this.q.openFor.all(id);
    let changed = false;
    for (const a of current) {
      // An offline alert stays until the device is back, even after closing time.
      const keep = want.has(a.kind) || (a.kind === 'offline' && offline);
      if (!keep) {
        this.q.resolve.run(now, a.id);
        this.pending.push({ event: 'resolved', id: a.id });
        changed = true;
      }
    }
    for (const kind of want) {
      if (current.some((a) => a.kind === kind)) continue;
      const flap = this.q.recentlyResolved.get(id, kind, now - this.config.alertFlapWindowMs);
      if (flap) {
        const detail = parseDetail(flap.detail);
        this.q.reopen.run(JSON.stringify({ ...detail, flaps: (detail.flaps ?? 0) + 1 }), flap.id);
        this.pending.push({ event: 'reopened', id: flap.id });
      } else {
        const newId = Number(this.q.raise.run(id, kind, now).lastInsertRowid);
        this.pending.push({ event: 'raised', id: newId });
      }
      changed = true;
    }
    // Offline, during opening hours, not yet an alert: look again when the grace period ends.
    const waiting = offline && open && !want.has('offline') && !current.some((a) => a.kind === 'offline');
    const timer = this.graceTimers.get(id);
    if (timer && !waiting) {
      clearTimeout(timer);
      this.graceTimers.delete(id);
    } else if (waiting && !timer) {
      const t = setTimeout(() => {
        this.graceTimers.delete(id);
        try {
          this.check(id);
        } catch {
          // the minute sweep tries again
        }
      }, Math.max(0, grace - offlineForMs) + 5);
      t.unref();
      this.graceTimers.set(id, t);
    }
    if (changed) this.uow.topic('alerts');
    return changed;
  }

  acknowledge(id: number, by: string): Alert {
    return this.committed(() => {
      const row = this.q.get.get(id);
      if (!row) throw new DomainError('NOT_FOUND', `لا يوجد تنبيه رقم ${id}`);
      if (this.q.ack.run(this.clock(), by, id).changes) {
        this.uow.topic('alerts');
        this.pending.push({ event: 'acknowledged', id });
      }
      return toAlert(this.q.get.get(id)!);
    });
  }

  /** The open alerts of one device (what `alerts/{deviceId}` carries). */
  openFor(deviceId: string): Alert[] {
    return this.q.openFor.all(deviceId).map(toAlert);
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
    flaps: parseDetail(r.detail).flaps ?? 0,
  };
}

function parseDetail(detail: string): { flaps?: number } {
  if (!detail) return {};
  try {
    const d = JSON.parse(detail) as unknown;
    return d && typeof d === 'object' ? (d as { flaps?: number }) : {};
  } catch {
    return {};
  }
}
