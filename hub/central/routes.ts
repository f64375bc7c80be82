// The governorate's view over HTTP (issue 13, item 4), registered only on a hub in the
// governorate role (SHUBBAK_GOVERNORATE_NATS; hub/app.ts): the live board of every center
// from the central store (store.ts) — GET /api/central/board — the execution-rate and
// bottleneck reports across centers — GET /api/central/reports/execution and
// /api/central/reports/queue (reports.ts) —
// the refusals log for the manager — GET /api/central/refused — and the Arabic page that
// shows the board and the reports
// (/governorate; hub/web/src/pages/sh-governorate.ts), which signs in like the panels.
// Read-only: nothing here writes to the store; the consumer (consumer.ts) is its only writer.
import type { FastifyPluginAsync } from 'fastify';
import Type from 'typebox';
import type { Role } from '../auth/roles.ts';
import { pageHtml } from '../routes/web/routes.ts';
import { summarize, type CenterBoard } from './board.ts';
import type { CentralStore } from './store.ts';
import { governorateExecution, governorateQueue } from './reports.ts';
import { checkPeriod } from '../services/reports/period.ts';
import { addDays } from '../domain/deadlines.ts';
import { localDay } from '../domain/time.ts';
import { Day } from '../http/schemas.ts';

/** Who reads the board: as the center's reports (hub/routes/reports) — the people who watch service. */
const READERS: Role[] = ['manager', 'information', 'supervisor'];

/** One center as the page shows it: its summary, then lines, windows and alerts in order. */
export function centerView(b: CenterBoard) {
  return {
    ...summarize(b),
    lines: Object.values(b.lines).sort((x, y) => x.line.localeCompare(y.line))
      .map((l) => ({ line: l.line, name: l.name, open: l.open, waiting: l.waiting, estimatedWaitMin: l.estimatedWaitMin })),
    windows: Object.values(b.windows).sort((x, y) => x.window - y.window)
      .map((w) => ({ window: w.window, label: w.label, status: w.status, ticket: w.ticket, line: w.line })),
    alerts: b.alerts,
    calls: b.calls.slice(0, 5),
    events: b.events,
  };
}

export const centralRoutes: FastifyPluginAsync<{ store: CentralStore }> = async (app, { store }) => {
  const { clock, config } = app.hub;

  app.get('/api/central/board', {
    config: { access: READERS },
    schema: { tags: ['central'], summary: 'The governorate\'s live board: every center\'s waiting per line, windows open and serving, devices down, open alerts, last event and missing sequence numbers' },
  }, async () => ({ at: clock(), centers: store.boards().map(centerView) }));

  app.get('/api/central/refused', {
    config: { access: ['manager'] as Role[] },
    schema: {
      tags: ['central'], summary: 'The events the central store refused (malformed, another center\'s id, a reused sequence), newest first',
      querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) }, { additionalProperties: false }),
    },
  }, async (req) => ({ refused: store.refusals((req.query as { limit?: number }).limit ?? 100) }));

  // The execution-rate and bottleneck reports across centers (reports.ts): closed days only,
  // by default the 30 up to yesterday (the governorate's zone).
  /** The period asked for (by default the 30 closed days up to yesterday) and the last closed day in it. */
  const closedPeriod = (q: { from?: string; to?: string }) => {
    const now = clock();
    const yesterday = addDays(localDay(now, config.timezone), -1);
    const to = q.to ?? yesterday;
    const p = { from: q.from ?? addDays(to, -29), to };
    checkPeriod(p);
    return { p, through: p.to < yesterday ? p.to : yesterday, now };
  };
  app.get('/api/central/reports/execution', {
    config: { access: READERS },
    schema: {
      tags: ['central'],
      summary: 'Execution and bottlenecks across centers, per center and per department (by catalog code): received, decided, within the legal period, delivered, overdue, time per stage, weekly trend — over the closed days each center sent, with its own report\'s definitions',
      querystring: Type.Object({ from: Type.Optional(Day), to: Type.Optional(Day) }, { additionalProperties: false }),
    },
  }, async (req) => {
    const { p, through, now } = closedPeriod(req.query as { from?: string; to?: string });
    return governorateExecution(store.reportRows(p.from, p.to), p, through, now, config.timezone);
  });

  app.get('/api/central/reports/queue', {
    config: { access: READERS },
    schema: {
      tags: ['central'],
      summary: 'Queue statistics across centers over the closed days each center sent: tickets, served, waits, service and walk times per line, busiest hours, per day (no clerks; windows without the stretch running now)',
      querystring: Type.Object({ from: Type.Optional(Day), to: Type.Optional(Day) }, { additionalProperties: false }),
    },
  }, async (req) => {
    const { p, through } = closedPeriod(req.query as { from?: string; to?: string });
    return governorateQueue(store.reportRows(p.from, p.to), p, through);
  });

  const html = pageHtml('governorate', 'شبّاك — لوحة المحافظة', config.centerName, config.timezone);
  app.get('/governorate', { schema: { hide: true } }, async (_req, reply) =>
    reply.header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-cache').send(html));
};
