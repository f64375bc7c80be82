// Device health (issue 6): every device with presence, last seen, printer and firmware,
// and the open alerts (hub/services/alerts.ts raises them). Always now, no period.
import type { Db } from '../../db/connection.ts';
import type { Alert } from '../alerts.ts';

export type DeviceHealthRow = {
  id: string; kind: string; label: string; window: number | null; online: boolean; lastSeen: number | null;
  fw: string | null; printer: string | null; healthAt: number | null; alerts: string[];
};
export type DeviceHealthReport = { at: number; online: number; offline: number; devices: DeviceHealthRow[]; alerts: Alert[] };

type DeviceRow = { id: string; kind: string; label: string; window: number | null; online: number; last_seen: number | null; fw: string | null; health: string | null; health_at: number | null };

export function deviceHealthReport(db: Db, at: number, openAlerts: Alert[]): DeviceHealthReport {
  const byDevice = new Map<string, string[]>();
  for (const a of openAlerts) byDevice.set(a.deviceId, [...(byDevice.get(a.deviceId) ?? []), a.kind]);
  const rows = db.prepare('SELECT id, kind, label, window, online, last_seen, fw, health, health_at FROM devices ORDER BY kind, id').all() as DeviceRow[];
  const devices = rows.map((d) => {
    let printer: string | null = null;
    try {
      printer = d.health ? ((JSON.parse(d.health) as { printer?: string }).printer ?? null) : null;
    } catch {
      printer = null;
    }
    return {
      id: d.id, kind: d.kind, label: d.label, window: d.window, online: d.online === 1, lastSeen: d.last_seen, fw: d.fw,
      printer, healthAt: d.health_at, alerts: byDevice.get(d.id) ?? [],
    };
  });
  const online = devices.filter((d) => d.online).length;
  return { at, online, offline: devices.length - online, devices, alerts: openAlerts };
}
