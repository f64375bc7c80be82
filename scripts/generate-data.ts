// Synthetic data: a center's two years, for demos and the report benchmarks.
//   tsx scripts/generate-data.ts --data-dir=/tmp/shubbak-2y [--scale=1] [--days=730] [--end=YYYY-MM-DD] [--seed=1] [--force]
// At scale 1: about a million tickets and 300,000 files over two years of working days
// (Sunday–Thursday, official holidays off), with a daily rhythm (a morning peak), queues
// simulated window by window (so waits grow at the peak), lunch breaks, no-shows, and
// for files realistic stage durations with a long overdue tail. The database is made
// through the real migrations (openDatabase) and filled with prepared statements in one
// transaction per day; a hub can start on the result (SHUBBAK_DATA_DIR=<dir>).
// Reproducible: the same --seed and --end give the same data.
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../hub/config.ts';
import { createContext, type HubContext } from '../hub/context.ts';
import { DEMO_LINES } from '../hub/db/seed.ts';
import { seedDemoCatalog } from '../hub/db/seed-catalog.ts';
import { seedDemoStaff } from '../hub/db/seed-staff.ts';
import { addDays, dueDate, isWorkingDay } from '../hub/domain/deadlines.ts';
import { localDay, startOfLocalDay } from '../hub/domain/time.ts';
import { ticketLabel } from '../hub/domain/queue.ts';
import { actorKey, staffKey, SYSTEM } from '../hub/domain/actor.ts';
import { COMPLAINT_PERIOD } from '../hub/domain/complaints.ts';
import { COMPLAINT_PREFIX, FILE_PREFIX, formatInquiry } from '../hub/domain/inquiry-number.ts';

const TZ = 'Africa/Cairo';
const MIN = 60_000;
const HOUR = 3_600_000;

export type GenerateOptions = { dataDir: string; scale: number; days: number; end: string; seed: number; log?: (s: string) => void };
export type GenerateResult = { tickets: number; visits: number; files: number; complaints: number; workingDays: number; ms: number };

/** mulberry32: small, fast, seedable; Math.random cannot be seeded. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A log-normal sample with the given median and spread (sigma of the log). */
export function logNormal(r: () => number, median: number, sigma: number): number {
  const u = Math.max(r(), 1e-12);
  const v = r();
  return median * Math.exp(sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
}

// Arrivals by hour of the day, 08:00–15:00 (a morning peak, a thin last hour).
const HOUR_WEIGHTS = [0.09, 0.2, 0.22, 0.18, 0.13, 0.11, 0.07];
// Per line: share of the day's tickets, windows (at scale 1), median service minutes.
const LINE_PLAN: Record<string, { share: number; windows: number; serviceMin: number; sigma: number }> = {
  A: { share: 0.42, windows: 22, serviceMin: 6.5, sigma: 0.45 },
  B: { share: 0.28, windows: 8, serviceMin: 3, sigma: 0.4 },
  C: { share: 0.2, windows: 5, serviceMin: 2.5, sigma: 0.4 },
  D: { share: 0.1, windows: 6, serviceMin: 7, sigma: 0.5 },
};
// Weekday factor: Sunday is the busiest day after the weekend, Thursday the quietest.
const WEEKDAY_FACTOR = [1.15, 1.05, 1, 0.95, 0.85, 0, 0];
const NO_SHOW = 0.04;
const PRIORITY = 0.06;

function parseArgs(argv: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of argv) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(a);
    if (!m) throw new Error(`unknown argument ${a}`);
    out[m[1]] = m[2] ?? 'true';
  }
  return out;
}

type Window = { number: number; line: string; clerk: string; freeAt: number; breakDone: boolean; lastEnd: number };

export async function generate(opts: GenerateOptions): Promise<GenerateResult> {
  const t0 = Date.now();
  const log = opts.log ?? (() => {});
  const config = loadConfig({}, { dataDir: opts.dataDir, simulate: false, seedDemo: false, logLevel: 'silent' });
  const ctx = createContext(config, () => startOfLocalDay(addDays(opts.end, -opts.days), TZ));
  const { db } = ctx;
  // A generated file is thrown away if the run fails, so the sync cost buys nothing here.
  db.pragma('synchronous = OFF');
  const r = rng(opts.seed);
  try {
    seedDemoCatalog(ctx);
    const holidays = ctx.catalog.holidaySet();
    const windows = setupCenter(ctx, opts.scale);
    // The demo staff (staff.json with their passwords, as on a demo hub's first start), so a
    // hub started on the generated data can be signed into; the clerks come after them.
    await seedDemoStaff(ctx);
    addClerks(ctx, windows);
    const files = fileGenerator(ctx, r, opts.scale);

    const q = {
      ticket: db.prepare('INSERT INTO tickets (day, letter, number, label, priority, issued_at, issued_by, file_id) VALUES (?, ?, ?, ?, ?, ?, ?, NULL)'),
      counter: db.prepare('INSERT INTO ticket_counters (day, letter, last) VALUES (?, ?, ?)'),
      visit: db.prepare(
        `INSERT INTO visits (ticket_id, line, status, priority, queued_at, called_at, last_call_at, started_at, ended_at, window, served_by, recalls, no_shows)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)`),
      event: db.prepare('INSERT INTO visit_events (visit_id, at, event, window, actor) VALUES (?, ?, ?, ?, ?)'),
      call: db.prepare('INSERT INTO calls (day, at, label, window, recall) VALUES (?, ?, ?, ?, 0)'),
      status: db.prepare('INSERT INTO window_status_log (window, status, clerk, from_at, to_at) VALUES (?, ?, ?, ?, ?)'),
      complaint: db.prepare(
        `INSERT INTO complaints (inquiry, citizen_id, contact_name, department_id, channel, subject, body, status, due_day, response,
           registered_at, registered_by, updated_at, closed_at)
         VALUES (?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'generator', ?, ?)`),
      complaintEvent: db.prepare('INSERT INTO complaint_events (complaint_id, at, actor, event, from_status, to_status, note, public) VALUES (?, ?, ?, ?, ?, ?, NULL, 0)'),
    };
    const departments = (db.prepare('SELECT id FROM departments ORDER BY id').pluck().all() as number[]);
    const today = opts.end;
    const nowMs = startOfLocalDay(addDays(today, 1), TZ);
    let tickets = 0;
    let visits = 0;
    let complaints = 0;
    const complaintSeq = new Map<number, number>();
    let workingDays = 0;
    const daily = 2000 * opts.scale;

    for (let i = opts.days; i >= 1; i--) {
      const day = addDays(today, -i + 1);
      const wd = new Date(`${day}T12:00:00Z`).getUTCDay();
      if (!isWorkingDay(day, holidays)) continue;
      workingDays++;
      const dayStart = startOfLocalDay(day, TZ);
      const open = dayStart + 8 * HOUR;
      db.transaction(() => {
        const factor = WEEKDAY_FACTOR[wd] * (0.9 + 0.2 * r());
        for (const [letter, plan] of Object.entries(LINE_PLAN)) {
          const n = Math.round(daily * factor * plan.share);
          const arrivals: number[] = [];
          for (let k = 0; k < n; k++) {
            // Pick the hour by weight, then a uniform minute within it.
            let u = r();
            let h = 0;
            while (h < HOUR_WEIGHTS.length - 1 && u > HOUR_WEIGHTS[h]) u -= HOUR_WEIGHTS[h++];
            arrivals.push(open + h * HOUR + Math.floor(r() * HOUR));
          }
          arrivals.sort((a, b) => a - b);
          const servers = windows.filter((w) => w.line === letter);
          for (const w of servers) {
            w.freeAt = open;
            w.lastEnd = open;
            w.breakDone = false;
          }
          let number = 0;
          for (const issuedAt of arrivals) {
            number++;
            const label = ticketLabel(letter, number);
            const priority = r() < PRIORITY ? 1 : 0;
            const ticketId = Number(q.ticket.run(day, letter, number, label, priority, issuedAt, 'device:kiosk-1').lastInsertRowid);
            // The window free first takes the next citizen (first come, first served).
            let w = servers[0];
            for (const s of servers) if (s.freeAt < w.freeAt) w = s;
            let callAt = Math.max(issuedAt, w.freeAt) + Math.floor(r() * 20_000);
            // A lunch break of 20–30 minutes once the window is free after 12:00.
            if (!w.breakDone && callAt >= open + 4 * HOUR) {
              const len = (20 + Math.floor(r() * 10)) * MIN;
              if (callAt > w.lastEnd) q.status.run(w.number, 'idle', w.clerk, w.lastEnd, callAt);
              q.status.run(w.number, 'paused', w.clerk, callAt, callAt + len);
              w.lastEnd = callAt + len;
              callAt += len;
              w.breakDone = true;
            }
            if (callAt > w.lastEnd) q.status.run(w.number, 'idle', w.clerk, w.lastEnd, callAt);
            const noShow = r() < NO_SHOW;
            let status: string;
            let startedAt: number | null = null;
            let endedAt: number;
            if (noShow) {
              status = 'no_show';
              endedAt = callAt + 60_000 + Math.floor(r() * 60_000);
            } else {
              status = 'done';
              startedAt = callAt + 15_000 + Math.floor(logNormal(r, 35_000, 0.5));
              endedAt = startedAt + Math.floor(logNormal(r, plan.serviceMin * MIN, plan.sigma));
            }
            const visitId = Number(q.visit.run(ticketId, letter, status, priority, issuedAt, callAt, callAt, startedAt, endedAt, w.number, w.clerk, noShow ? 1 : 0).lastInsertRowid);
            q.event.run(visitId, issuedAt, 'issued', null, 'device:kiosk-1');
            q.event.run(visitId, callAt, 'called', w.number, w.clerk);
            if (startedAt !== null) q.event.run(visitId, startedAt, 'started', w.number, w.clerk);
            q.event.run(visitId, endedAt, status, w.number, w.clerk);
            q.call.run(day, callAt, label, w.number);
            q.status.run(w.number, 'serving', w.clerk, callAt, endedAt);
            w.freeAt = endedAt;
            w.lastEnd = endedAt;
            tickets++;
            visits++;
          }
          if (number) q.counter.run(day, letter, number);
          for (const w of servers) {
            const close = Math.max(open + 7 * HOUR, w.lastEnd);
            if (close > w.lastEnd) q.status.run(w.number, 'idle', w.clerk, w.lastEnd, close);
          }
        }

        // Complaints: about 30 a day at scale 1, answered in days with a late tail.
        const nc = Math.round(30 * opts.scale * WEEKDAY_FACTOR[wd] * (0.8 + 0.4 * r()));
        for (let k = 0; k < nc; k++) {
          const at = open + Math.floor(r() * 7 * HOUR);
          const dept = departments[Math.floor(r() * departments.length)];
          const due = dueDate({ start: at, days: COMPLAINT_PERIOD.days, kind: COMPLAINT_PERIOD.kind, holidays, timeZone: TZ }).day;
          const answerDays = logNormal(r, 12, 0.6);
          const answeredAt = at + Math.floor(answerDays * 86_400_000);
          const closedAt = answeredAt + Math.floor(r() * 3 * 86_400_000);
          const status = closedAt < nowMs ? 'closed' : answeredAt < nowMs ? 'answered' : r() < 0.5 ? 'with_department' : 'registered';
          complaints++;
          const year = Number(day.slice(0, 4));
          const seq = (complaintSeq.get(year) ?? 0) + 1;
          complaintSeq.set(year, seq);
          const inquiry = formatInquiry(COMPLAINT_PREFIX, year, seq);
          const id = Number(q.complaint.run(
            inquiry, 'مواطن', dept, r() < 0.85 ? 'window' : 'open311', 'شكوى', 'نص الشكوى (بيانات تجريبية)', status, due,
            status === 'closed' || status === 'answered' ? 'تم الرد' : null, at,
            Math.min(status === 'closed' ? closedAt : status === 'answered' ? answeredAt : at, nowMs), status === 'closed' ? closedAt : null,
          ).lastInsertRowid);
          q.complaintEvent.run(id, at, 'generator', 'registered', null, 'registered');
          if (status !== 'registered') q.complaintEvent.run(id, at + HOUR, 'generator', 'forwarded', 'registered', 'with_department');
          if (status === 'answered' || status === 'closed') q.complaintEvent.run(id, answeredAt, 'generator', 'answered', 'with_department', 'answered');
          if (status === 'closed') q.complaintEvent.run(id, closedAt, 'generator', 'closed', 'answered', 'closed');
        }

        files?.day(day, dayStart, WEEKDAY_FACTOR[wd], nowMs);
      })();
      if (workingDays % 50 === 0) log(`  ${day}: ${tickets} tickets, ${files?.count ?? 0} files so far (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    }
    const counter = db.prepare('INSERT INTO complaint_counters (year, last) VALUES (?, ?)');
    for (const [year, last] of complaintSeq) counter.run(year, last);
    files?.finish?.();
    db.pragma('synchronous = FULL');
    db.pragma('optimize');
    db.pragma('wal_checkpoint(TRUNCATE)');
    return { tickets, visits, files: files?.count ?? 0, complaints, workingDays, ms: Date.now() - t0 };
  } finally {
    db.close();
  }
}

type FileGenerator = { count: number; day(day: string, dayStart: number, weekdayFactor: number, nowMs: number): void; finish?: () => void };

/** Case files with their stages, payments and receipts; null while the database has no files table. */
function fileGenerator(ctx: HubContext, r: () => number, scale: number): FileGenerator | null {
  const { db } = ctx;
  const has = db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'files'").pluck().get() as number;
  if (!has) return null;
  const holidays = ctx.catalog.holidaySet();
  type Svc = { id: number; department_id: number; legal_period_days: number; period_kind: 'calendar' | 'working'; weight: number;
    fees: { code: string; label_ar: string; label_en: string; kind: string; amount_piasters: number | null; min_piasters: number | null; max_piasters: number | null }[] };
  const services = (db.prepare('SELECT id, department_id, legal_period_days, period_kind FROM services WHERE active = 1 ORDER BY id').all() as Svc[]);
  const feeRows = db.prepare('SELECT code, label_ar, label_en, kind, amount_piasters, min_piasters, max_piasters FROM service_fee_items WHERE service_id = ? ORDER BY position');
  services.forEach((sv, i) => {
    sv.fees = feeRows.all(sv.id) as Svc['fees'];
    sv.weight = 1 / (1 + i * 0.35); // a few services take most of the work
  });
  const weightSum = services.reduce((a, sv) => a + sv.weight, 0);
  const pickService = () => {
    let u = r() * weightSum;
    for (const sv of services) if ((u -= sv.weight) <= 0) return sv;
    return services[services.length - 1];
  };
  const cashiers = (db.prepare("SELECT id, window FROM users WHERE role = 'revenue' ORDER BY id").all() as { id: number; window: number | null }[]);

  // Citizens: a pool the files draw from (people come back).
  const citizenCount = Math.max(100, Math.round(120_000 * scale));
  const govs = ['01', '21', '14', '12', '13', '16', '88'];
  const first = ['أحمد', 'محمد', 'محمود', 'علي', 'حسن', 'فاطمة', 'مريم', 'سارة', 'نور', 'هدى', 'يوسف', 'إبراهيم', 'خالد', 'منى', 'عبد الرحمن'];
  const last = ['عبد الله', 'السيد', 'إبراهيم', 'حسين', 'مصطفى', 'عثمان', 'سليمان', 'الشافعي', 'النجار', 'المصري'];
  const insertCitizen = db.prepare(
    `INSERT INTO citizens (national_id, name, mobile, birth_date, governorate_code, gender, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, 0)`);
  const citizenIds: number[] = [];
  db.transaction(() => {
    for (let i = 0; i < citizenCount; i++) {
      const year = 1945 + Math.floor(r() * 60);
      const birth = `${year}-${String(1 + Math.floor(r() * 12)).padStart(2, '0')}-${String(1 + Math.floor(r() * 28)).padStart(2, '0')}`;
      const male = r() < 0.55;
      const gov = govs[Math.floor(r() * govs.length)];
      // C YYMMDD GG SSSS X, the sequence made unique by i; its last digit odd for men.
      const seq = String((i * 10) % 10000).padStart(4, '0').slice(0, 3) + String(male ? 1 + 2 * Math.floor(r() * 5) : 2 * Math.floor(r() * 5));
      const nid = `${year < 2000 ? 2 : 3}${birth.slice(2, 4)}${birth.slice(5, 7)}${birth.slice(8, 10)}${gov}${seq}${i % 10}`;
      const name = `${first[Math.floor(r() * first.length)]} ${first[Math.floor(r() * first.length)]} ${last[Math.floor(r() * last.length)]}`;
      try {
        citizenIds.push(Number(insertCitizen.run(nid, name, `01${Math.floor(r() * 1e9).toString().padStart(9, '0')}`, birth, gov, male ? 'male' : 'female').lastInsertRowid));
      } catch {
        /* a repeated ID from the random draw: skip it */
      }
    }
  })();

  const q = {
    file: db.prepare(
      `INSERT INTO files (inquiry, service_id, department_id, citizen_id, status, fees_piasters, due_day, decision, decision_reason, approved_by, approved_at,
         delivered_at, delivered_by, registered_at, registered_by, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    event: db.prepare('INSERT INTO file_events (file_id, at, actor, actor_role, action, from_status, to_status, note, public) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, 0)'),
    fee: db.prepare('INSERT INTO file_fees (file_id, code, position, label_ar, label_en, amount_piasters) VALUES (?, ?, ?, ?, ?, ?)'),
    order: db.prepare("INSERT INTO payment_orders (file_id, service_id, payer_name, payer_national_id, status, total_piasters, issued_at, issued_by) VALUES (?, ?, 'مواطن', NULL, ?, ?, ?, 'generator')"),
    orderLine: db.prepare('INSERT INTO payment_order_lines (order_id, code, position, label_ar, label_en, amount_piasters) VALUES (?, ?, ?, ?, ?, ?)'),
    receipt: db.prepare(
      `INSERT INTO receipts (year, number, order_id, day, total_piasters, cashier, window, collected_at, status, void_reason, void_requested_by, void_requested_at, voided_by, voided_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
  };
  const fileSeq = new Map<number, number>();
  const receiptSeq = new Map<number, number>();
  const ACTION: Record<string, [string, string]> = {
    registered: ['register', 'intake'], technical_review: ['forward', 'intake'], returned: ['return', 'representative'], refused: ['refuse', 'representative'],
    awaiting_payment: ['review', 'representative'], reviewed: ['review', 'representative'], paid: ['pay', 'cashier'], approved: ['approve', 'manager'],
    with_department: ['dispatch', 'representative'], decided: ['decide', 'representative'], ready: ['mark_ready', 'representative'], delivered: ['deliver', 'delivery'],
  };
  // Each stage's event is written by a demo staff member of that role (stored as an actor key: hub/domain/actor.ts).
  const staffOfRole = new Map((db.prepare('SELECT role, MIN(id) AS id FROM users GROUP BY role').all() as { role: string; id: number }[]).map((u) => [u.role, u.id]));
  const byRole = (role: string): string => { const id = staffOfRole.get(role); return id === undefined ? actorKey(SYSTEM) : staffKey({ id }); };
  const DAY = 86_400_000;
  const gen: FileGenerator = {
    count: 0,
    day(day, dayStart, weekdayFactor, nowMs) {
      const n = Math.round(610 * scale * weekdayFactor * (0.85 + 0.3 * r()));
      for (let k = 0; k < n; k++) {
        const sv = pickService();
        const registeredAt = dayStart + 8 * 3_600_000 + Math.floor(r() * 7 * 3_600_000);
        // The journey, each step after the one before; the file stops where "now" finds it.
        const steps: [string, number][] = [['registered', registeredAt]];
        let t = registeredAt;
        const step = (status: string, ms: number) => {
          t += Math.max(60_000, Math.floor(ms));
          steps.push([status, t]);
        };
        step('technical_review', logNormal(r, 25 * 60_000, 0.6));
        if (r() < 0.06) {
          step('returned', logNormal(r, 1.2 * DAY, 0.5));
          step('technical_review', logNormal(r, 3 * DAY, 0.6));
        }
        let fees: { code: string; label_ar: string; label_en: string; amount: number }[] = [];
        let dueDay: string | null = null;
        let decision: string | null = null;
        if (r() < 0.02) {
          step('refused', logNormal(r, 1.5 * DAY, 0.5));
        } else {
          fees = sv.fees.map((f) => ({
            code: f.code, label_ar: f.label_ar, label_en: f.label_en,
            // Variable fees cluster near the low end (most buildings are small): log-normal around 5× the minimum.
            amount: f.kind === 'fixed' ? f.amount_piasters! : Math.min(f.max_piasters!, Math.max(f.min_piasters!, Math.round(logNormal(r, 5 * Math.max(f.min_piasters!, 100), 0.8) / 100) * 100)),
          }));
          const total = fees.reduce((a, f) => a + f.amount, 0);
          if (total > 0) {
            step('awaiting_payment', logNormal(r, 1.5 * DAY, 0.6));
            step('paid', logNormal(r, 2 * 3_600_000, 1.2));
          } else {
            step('reviewed', logNormal(r, 1.5 * DAY, 0.6));
          }
          step('approved', logNormal(r, 0.8 * DAY, 0.7));
          step('with_department', logNormal(r, 4 * 3_600_000, 0.8));
          dueDay = dueDate({ start: t, days: sv.legal_period_days, kind: sv.period_kind, holidays, timeZone: TZ }).day;
          // Departments decide in about two thirds of the legal period; the log-normal tail runs past it.
          const periodDays = Math.max(1, sv.legal_period_days * (sv.period_kind === 'working' ? 1.4 : 1));
          step('decided', logNormal(r, 0.62 * periodDays * DAY, 0.45));
          decision = r() < 0.9 ? 'accepted' : 'refused';
          step('ready', logNormal(r, 1 * DAY, 0.6));
          if (r() < 0.96) step('delivered', logNormal(r, 4 * DAY, 0.8));
        }
        const reached = steps.filter(([, at]) => at < nowMs);
        const status = reached[reached.length - 1][0];
        const when = (s: string) => reached.find(([st]) => st === s)?.[1] ?? null;
        const year = Number(day.slice(0, 4));
        const seq = (fileSeq.get(year) ?? 0) + 1;
        fileSeq.set(year, seq);
        const totalFees = fees.reduce((a, f) => a + f.amount, 0);
        const reachedDept = when('with_department') !== null;
        const fileId = Number(q.file.run(
          formatInquiry(FILE_PREFIX, year, seq), sv.id, sv.department_id, citizenIds[Math.floor(r() * citizenIds.length)], status,
          when('awaiting_payment') !== null || when('reviewed') !== null ? totalFees : null, reachedDept ? dueDay : null,
          when('decided') !== null ? decision : null, when('decided') !== null && decision === 'refused' ? 'لم تستوف الاشتراطات' : null,
          when('approved') !== null ? 'user:manager' : null, when('approved'), when('delivered'), when('delivered') !== null ? 'user:delivery' : null,
          registeredAt, 'user:intake', reached[reached.length - 1][1],
        ).lastInsertRowid);
        let prev: string | null = null;
        for (const [st, at] of reached) {
          const [action, role] = ACTION[st];
          q.event.run(fileId, at, byRole(role), role, prev === 'returned' && st === 'technical_review' ? 'resubmit' : action, prev, st);
          prev = st;
        }
        if (when('awaiting_payment') !== null) fees.forEach((f, i) => q.fee.run(fileId, f.code, i, f.label_ar, f.label_en, f.amount));
        const paidAt = when('paid');
        if (paidAt !== null && totalFees > 0) {
          const cashier = cashiers.length ? cashiers[Math.floor(r() * cashiers.length)] : { id: 0, window: null };
          const receipt = (status: 'valid' | 'voided', at: number) => {
            const ry = Number(localDay(at, TZ).slice(0, 4));
            const rn = (receiptSeq.get(ry) ?? 0) + 1;
            receiptSeq.set(ry, rn);
            const orderId = Number(q.order.run(fileId, sv.id, status === 'voided' ? 'cancelled' : 'paid', totalFees, at - 600_000).lastInsertRowid);
            fees.forEach((f, i) => q.orderLine.run(orderId, f.code, i, f.label_ar, f.label_en, f.amount));
            const voided = status === 'voided';
            q.receipt.run(ry, rn, orderId, localDay(at, TZ), totalFees, staffKey(cashier), cashier.window, at, status,
              voided ? 'خطأ في بيانات الإيصال' : null, voided ? staffKey(cashier) : null, voided ? at + 900_000 : null,
              voided ? 'user:manager' : null, voided ? at + 1_800_000 : null);
          };
          // About one receipt in a hundred is issued wrong and voided; a new one follows.
          if (r() < 0.01) receipt('voided', paidAt - 3_600_000);
          receipt('valid', paidAt);
        }
        gen.count++;
      }
    },
  };
  gen.finish = () => {
    const fc = db.prepare('INSERT INTO file_counters (year, last) VALUES (?, ?)');
    for (const [y, last] of fileSeq) fc.run(y, last);
    const rc = db.prepare('INSERT INTO receipt_counters (year, last) VALUES (?, ?)');
    for (const [y, last] of receiptSeq) rc.run(y, last);
  };
  return gen;
}

/** Lines, windows (scaled to the load), and a clerk at each window. */
function setupCenter(ctx: HubContext, scale: number): Window[] {
  const { db } = ctx;
  const windows: Window[] = [];
  ctx.uow.run(() => {
    const line = db.prepare('INSERT INTO lines (letter, name_ar, name_en, sort) VALUES (?, ?, ?, ?)');
    DEMO_LINES.forEach((l, i) => line.run(l.letter, l.ar, l.en, i));
    const win = db.prepare("INSERT INTO windows (number, label_ar, label_en, status) VALUES (?, ?, ?, 'closed')");
    const wl = db.prepare('INSERT INTO window_lines (window, line) VALUES (?, ?)');
    let n = 0;
    for (const [letter, plan] of Object.entries(LINE_PLAN)) {
      for (let k = 0; k < Math.max(1, Math.round(plan.windows * scale)); k++) {
        n++;
        win.run(n, `شباك ${n}`, `Window ${n}`);
        wl.run(n, letter);
        windows.push({ number: n, line: letter, clerk: '', freeAt: 0, breakDone: false, lastEnd: 0 });
      }
    }
  });
  return windows;
}

/** A clerk at each window, as a user so the reports can show names; they cannot sign in ('!' is no password hash). */
function addClerks(ctx: HubContext, windows: Window[]): void {
  const { db } = ctx;
  const user = db.prepare(
    `INSERT INTO users (username, name, role, password_hash, must_change_password, window, demo, created_at, updated_at)
     VALUES (?, ?, ?, '!', 1, NULL, 1, 0, 0)`);
  const roleOf: Record<string, string> = { A: 'intake', B: 'revenue', C: 'delivery', D: 'citizen_service' };
  const names = ['أحمد', 'محمد', 'محمود', 'مصطفى', 'عمرو', 'سارة', 'منى', 'هبة', 'ياسمين', 'نهى', 'إيمان', 'خالد', 'طارق', 'رانيا', 'دينا'];
  const families = ['عبد الله', 'حسن', 'إبراهيم', 'السيد', 'علي', 'عبد الرحمن', 'فؤاد', 'سليمان'];
  ctx.uow.run(() => {
    for (const w of windows) {
      const id = Number(user.run(`clerk${w.number}`, `${names[w.number % names.length]} ${families[w.number % families.length]}`, roleOf[w.line]).lastInsertRowid);
      w.clerk = staffKey({ id });
    }
  });
}

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2));
  const dataDir = path.resolve(a['data-dir'] ?? 'data-generated');
  const scale = Number(a.scale ?? 1);
  const days = Number(a.days ?? 730);
  const end = a.end ?? localDay(Date.now() - 86_400_000, TZ);
  const seed = Number(a.seed ?? 1);
  if (!(scale > 0 && scale <= 10)) throw new Error('--scale must be a number in (0, 10]');
  if (!(Number.isInteger(days) && days >= 1 && days <= 3650)) throw new Error('--days must be a whole number 1..3650');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(end)) throw new Error('--end must be YYYY-MM-DD');
  const dbFile = path.join(dataDir, 'shubbak.db');
  if (fs.existsSync(dbFile)) {
    if (a.force !== 'true') throw new Error(`${dbFile} exists; pass --force to replace it`);
    for (const ext of ['', '-wal', '-shm']) fs.rmSync(dbFile + ext, { force: true });
  }
  console.log(`generating ${days} days ending ${end} at scale ${scale} into ${dbFile}`);
  const res = await generate({ dataDir, scale, days, end, seed, log: console.log });
  const mb = fs.statSync(dbFile).size / 1e6;
  console.log(`done in ${(res.ms / 1000).toFixed(1)} s: ${res.tickets} tickets, ${res.files} files, ${res.complaints} complaints over ${res.workingDays} working days; ${mb.toFixed(0)} MB`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((err) => {
    console.error(`generate-data: ${(err as Error).message}`);
    process.exit(1);
  });
}
