// The demo center, seeded on the first start with an empty database: four lines, six
// windows, and a kiosk, six keypads, six window boards and a hall board, each with a
// fresh secret written to data/devices.json (mode 0600). There is no default secret.
import fs from 'node:fs';
import path from 'node:path';
import type { HubContext } from '../context.ts';
import type { LinePurpose } from '../domain/line-purposes.ts';
import { writePrivateFileAtomic } from './permissions.ts';
import { seedDemoCatalog } from './seed-catalog.ts';
import { demoStaffNeeded, insertDemoStaff, prepareDemoStaff } from './seed-staff.ts';

export const DEMO_LINES = [
  { letter: 'A', ar: 'استلام الطلبات', en: 'Application intake', purpose: 'intake' },
  { letter: 'B', ar: 'الخزينة', en: 'Treasury', purpose: 'treasury' },
  { letter: 'C', ar: 'تسليم المعاملات', en: 'Delivery', purpose: 'delivery' },
  { letter: 'D', ar: 'خدمة المواطنين', en: 'Citizen service', purpose: 'citizen_service' },
] as const satisfies readonly { letter: string; ar: string; en: string; purpose: LinePurpose }[];

/** Window → the lines it serves, and where its keypad may transfer a citizen. */
export const DEMO_WINDOWS: { number: number; lines: string[]; transferTo: string[] }[] = [
  { number: 1, lines: ['A'], transferTo: ['B', 'C', 'D'] },
  { number: 2, lines: ['A'], transferTo: ['B', 'C', 'D'] },
  { number: 3, lines: ['D', 'A'], transferTo: ['A', 'B'] },
  { number: 4, lines: ['B'], transferTo: ['A', 'C'] },
  { number: 5, lines: ['B'], transferTo: ['A', 'C'] },
  { number: 6, lines: ['C'], transferTo: ['A', 'B'] },
];

export type DeviceCredentials = { id: string; kind: string; secret: string; binding: unknown };
export type DevicesFile = { note: string; mqttUrl: string; websocketUrl: string; devices: DeviceCredentials[] };

export function devicesFilePath(dataDir: string): string {
  return path.join(dataDir, 'devices.json');
}

/**
 * Seed the demo center if the database has no lines yet. Its credentials file is written
 * atomically inside the seeding transaction, before the commit that makes the devices
 * valid (issue 15, fault 10). Returns the credentials file written, or null.
 */
export function seedDemoCenter(ctx: HubContext, urls: { mqttUrl: string; websocketUrl: string }): string | null {
  const { db } = ctx;
  const empty = (db.prepare('SELECT count(*) AS n FROM lines').get() as { n: number }).n === 0;
  if (!empty) return null;
  const creds: DeviceCredentials[] = [];
  return ctx.uow.run(() => {
    const line = db.prepare('INSERT INTO lines (letter, name_ar, name_en, sort, purpose) VALUES (?, ?, ?, ?, ?)');
    DEMO_LINES.forEach((l, i) => line.run(l.letter, l.ar, l.en, i, l.purpose));
    const win = db.prepare("INSERT INTO windows (number, label_ar, label_en, status) VALUES (?, ?, ?, 'idle')");
    const wl = db.prepare('INSERT INTO window_lines (window, line) VALUES (?, ?)');
    for (const w of DEMO_WINDOWS) {
      win.run(w.number, `شباك ${w.number}`, `Window ${w.number}`);
      for (const l of w.lines) wl.run(w.number, l);
    }
    const add = (id: string, kind: 'kiosk' | 'keypad' | 'display' | 'hall', label: string, binding: object) => {
      const { secret } = ctx.devices.register({ id, kind, label, binding });
      creds.push({ id, kind, secret, binding });
    };
    add('kiosk-1', 'kiosk', 'كشك المدخل', { buttons: DEMO_LINES.map((l, key) => ({ key, line: l.letter })) });
    for (const w of DEMO_WINDOWS) add(`keypad-${w.number}`, 'keypad', `لوحة مفاتيح شباك ${w.number}`, { window: w.number, transferTo: w.transferTo });
    for (const w of DEMO_WINDOWS) add(`led-${w.number}`, 'display', `لوحة أرقام شباك ${w.number}`, { window: w.number });
    add('hall-1', 'hall', 'لوحة صالة الانتظار', { rows: 6 });
    const file = devicesFilePath(ctx.config.dataDir);
    const body: DevicesFile = {
      note: 'Demo device credentials, generated on first start. Keep this file private (mode 0600).',
      ...urls,
      devices: creds,
    };
    writePrivateFileAtomic(file, JSON.stringify(body, null, 2) + '\n');
    return file;
  });
}

/**
 * The whole demo seed, all or nothing: the center and its devices, the catalog, and the
 * demo staff in one transaction, with both credentials files written atomically before it
 * commits. The passwords are hashed first, outside the transaction (it cannot wait).
 * Returns the devices file written, or null when the center was already there.
 */
export async function seedDemo(ctx: HubContext, urls: { mqttUrl: string; websocketUrl: string }): Promise<string | null> {
  const staff = demoStaffNeeded(ctx) ? await prepareDemoStaff(ctx) : null;
  return ctx.uow.run(() => {
    const devicesFile = seedDemoCenter(ctx, urls);
    seedDemoCatalog(ctx);
    if (staff && demoStaffNeeded(ctx)) insertDemoStaff(ctx, staff);
    return devicesFile;
  });
}

export function readDevicesFile(dataDir: string): DevicesFile | null {
  try {
    return JSON.parse(fs.readFileSync(devicesFilePath(dataDir), 'utf8')) as DevicesFile;
  } catch {
    return null;
  }
}
