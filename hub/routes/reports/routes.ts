// Report routes under /api/reports: JSON for the panels' screens, and any table of a
// report as CSV (?format=csv&table=…). Supervisors see only their departments
// (request.user.departmentIds); the information center and the manager see all.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { Role } from '../../auth/roles.ts';
import { ApiError } from '../../http/errors.ts';
import { addDays } from '../../domain/deadlines.ts';
import { localDay } from '../../domain/time.ts';
import type { Period } from '../../services/reports/index.ts';
import { toCsv } from './csv.ts';
import { staffKey } from '../../domain/actor.ts';
import { Day } from '../../http/schemas.ts';

const READERS: Role[] = ['supervisor', 'information', 'manager'];
const PeriodQuery = Type.Object({
  from: Type.Optional(Day),
  to: Type.Optional(Day),
  department: Type.Optional(Type.Integer({ minimum: 1 })),
  format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')])),
  table: Type.Optional(Type.String({ pattern: '^[a-zA-Z]{1,30}$' })),
}, { additionalProperties: false });
type PeriodQueryT = { from?: string; to?: string; department?: number; format?: 'json' | 'csv'; table?: string };

export const reportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { reports, alerts, backups, config, clock } = app.hub;

  /** The period asked for; by default the 30 days up to today (Cairo). */
  const periodOf = (q: PeriodQueryT): Period => {
    const today = localDay(clock(), config.timezone);
    const to = q.to ?? today;
    return { from: q.from ?? addDays(to, -29), to };
  };

  /** Departments the caller may see: null = all; a requested one outside their scope is refused. */
  const scopeOf = (req: FastifyRequest, department?: number): number[] | null => {
    const mine = req.user?.role === 'supervisor' ? req.user.departmentIds ?? [] : null;
    if (department === undefined) return mine;
    if (mine && !mine.includes(department)) {
      throw new ApiError(403, 'FORBIDDEN', 'هذه الإدارة خارج نطاق إشرافك', undefined, 'This department is outside your scope');
    }
    return [department];
  };

  /** Send the report, or one of its tables as CSV. */
  const send = (reply: FastifyReply, q: PeriodQueryT, name: string, report: object, tables: Record<string, readonly object[]>) => {
    if (q.format !== 'csv') return report;
    const table = q.table ?? Object.keys(tables)[0];
    const rows = tables[table];
    if (!rows) {
      throw new ApiError(400, 'VALIDATION', 'اسم الجدول غير معروف لهذا التقرير', [{ path: '/table', message: `one of: ${Object.keys(tables).join(', ')}` }], 'Unknown table');
    }
    const period = (report as { period?: Period }).period;
    const file = `shubbak-${name}-${table}${period ? `-${period.from}_${period.to}` : ''}.csv`;
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${file}"`)
      .send(toCsv(rows));
  };

  app.get('/reports/queue', {
    config: { access: READERS },
    schema: { tags: ['reports'], summary: 'Queue statistics: waits, service and walk times, no-shows, hours, windows, clerks', querystring: PeriodQuery },
  }, async (req, reply) => {
    const r = reports.queueStats(periodOf(req.query));
    return send(reply, req.query, 'queue', r, { lines: r.lines, hourly: r.hourly, windows: r.windows, clerks: r.clerks, daily: r.daily, busiestHours: r.busiestHours });
  });

  app.get('/reports/execution', {
    config: { access: READERS },
    schema: { tags: ['reports'], summary: 'Execution and bottlenecks: received, decided, delivered, within the legal period, overdue now, time per stage, weekly trend', querystring: PeriodQuery },
  }, async (req, reply) => {
    const r = reports.execution(periodOf(req.query), scopeOf(req, req.query.department));
    return send(reply, req.query, 'execution', r, { departments: r.departments, services: r.services, stages: r.stages, overdue: r.overdue, trend: r.trend });
  });

  app.get('/reports/money', {
    config: { access: READERS },
    schema: { tags: ['reports'], summary: 'Collections per day and per fee item; voided receipts with their reasons', querystring: PeriodQuery },
  }, async (req, reply) => {
    const r = reports.money(periodOf(req.query), scopeOf(req, req.query.department));
    return send(reply, req.query, 'money', r, { daily: r.daily, feeItems: r.feeItems, voids: r.voids });
  });

  app.get('/reports/complaints', {
    config: { access: READERS },
    schema: { tags: ['reports'], summary: 'Complaints by department and channel: answered within the deadline, open and overdue', querystring: PeriodQuery },
  }, async (req, reply) => {
    const r = reports.complaints(periodOf(req.query), scopeOf(req, req.query.department));
    return send(reply, req.query, 'complaints', r, { departments: r.departments, channels: r.channels, overdue: r.overdue });
  });

  app.get('/reports/devices', {
    config: { access: [...READERS, 'admin'] },
    schema: { tags: ['reports'], summary: 'Device health: presence, last seen, printer, firmware, open alerts', querystring: PeriodQuery },
  }, async (req, reply) => {
    const r = reports.deviceHealth(alerts.open());
    return send(reply, req.query, 'devices', r, { devices: r.devices, alerts: r.alerts });
  });

  app.get('/reports/alerts', {
    config: { access: [...READERS, 'admin'] },
    schema: { tags: ['reports'], summary: 'Device alerts: open ones and those of the last week', querystring: PeriodQuery },
  }, async (req, reply) => {
    const list = alerts.recent();
    return send(reply, req.query, 'alerts', { alerts: list }, { alerts: list });
  });

  app.post('/reports/alerts/:id/ack', {
    config: { access: [...READERS, 'admin'] },
    schema: { tags: ['reports'], summary: 'Acknowledge an alert (it stays open until the device is fine)', params: Type.Object({ id: Type.Integer({ minimum: 1 }) }) },
  }, async (req) => alerts.acknowledge(req.params.id, staffKey(req.user!)));

  app.get('/reports/backups', {
    config: { access: ['manager', 'information', 'admin'] },
    schema: { tags: ['reports'], summary: 'The weekly backup: last result, next run, history' },
  }, async () => ({
    last: backups.last(), lastGood: backups.lastGood(), nextRunAt: backups.nextRun(),
    schedule: { weekday: config.backupWeekday, time: config.backupTime, keep: config.backupKeep, timeZone: config.timezone },
    history: backups.history(),
  }));

  app.post('/reports/backups', {
    config: { access: ['manager', 'admin'] },
    schema: { tags: ['reports'], summary: 'Take a backup now' },
  }, async (req, reply) => {
    const r = await backups.backup('manual');
    return reply.status(r.error ? 500 : 201).send(r.error ? { error: { code: 'BACKUP_FAILED', message: 'فشل النسخ الاحتياطي', messageEn: r.error } } : r);
  });
};
