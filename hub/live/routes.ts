// Live push to the panels and the hall TV (see sse.ts for why SSE).
//
// GET /api/live/queue  public: the same data as the retained MQTT topics — window and
//   line states, the hall's last calls, and each announcement — as a snapshot on connect
//   and then one `change` event per committed transaction.
// GET /api/live/staff  staff only: names of back-office topics a transaction touched
//   (ctx.uow.topic('files') …) and devices whose presence changed; panels refetch what
//   they show. Rows themselves stay behind the role-checked REST routes.
import type { FastifyPluginAsync } from 'fastify';
import type { HallAnnounce, HallCalls, LineState, WindowState } from '@shubbak/protocol';
import { ROLES } from '../auth/roles.ts';
import type { HubContext } from '../context.ts';
import type { ChangeSet } from '../services/unit-of-work.ts';
import { SseChannel } from './sse.ts';

export type QueueSnapshot = {
  windows: (WindowState & { lines: string[]; labelEn: string })[];
  lines: (LineState & { nameEn: string })[];
  hall: HallCalls;
  at: number;
};
export type QueueChange = { windows: WindowState[]; lines: LineState[]; hall: HallCalls | null; announces: HallAnnounce[]; at: number };
export type StaffChange = { topics: string[]; devices: string[]; at: number };

export function queueSnapshot(ctx: HubContext): QueueSnapshot {
  const { queue } = ctx;
  return {
    windows: queue.windowNumbers().map((n) => {
      const info = queue.windowInfo(n);
      return { ...queue.windowState(n), lines: info.lines, labelEn: info.labelEn };
    }),
    lines: queue.lines().map((l) => ({ ...queue.lineState(l.letter), nameEn: l.nameEn })),
    hall: queue.hallCalls(),
    at: ctx.clock(),
  };
}

function queueChange(ctx: HubContext, c: ChangeSet): QueueChange | null {
  if (!c.windows.size && !c.lines.size && !c.hall && !c.announces.length) return null;
  const { queue } = ctx;
  return {
    windows: [...c.windows].map((n) => queue.windowState(n)),
    lines: [...c.lines].map((l) => queue.lineState(l)),
    hall: c.hall ? queue.hallCalls() : null,
    announces: c.announces,
    at: ctx.clock(),
  };
}

export const liveRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.hub;
  const queueFeed = new SseChannel();
  const staffFeed = new SseChannel();
  ctx.metrics.sseChannel('queue', () => queueFeed.size);
  ctx.metrics.sseChannel('staff', () => staffFeed.size);

  const onCommitted = (c: ChangeSet) => {
    try {
      // Reading the states costs queries: only when a panel or TV is listening.
      const change = queueFeed.size ? queueChange(ctx, c) : null;
      if (change) queueFeed.broadcast('change', change);
      if (staffFeed.size && (c.topics.size || c.devices.size)) {
        staffFeed.broadcast('change', { topics: [...c.topics], devices: [...c.devices], at: ctx.clock() } satisfies StaffChange);
      }
    } catch (err) {
      app.log.error({ err }, 'live push failed');
    }
  };
  const onDeviceSeen = (id: string) => staffFeed.size && staffFeed.broadcast('change', { topics: [], devices: [id], at: ctx.clock() } satisfies StaffChange);
  ctx.bus.on('committed', onCommitted);
  ctx.bus.on('deviceSeen', onDeviceSeen);
  app.addHook('preClose', async () => {
    ctx.bus.off('committed', onCommitted);
    ctx.bus.off('deviceSeen', onDeviceSeen);
    queueFeed.close();
    staffFeed.close();
  });

  app.get('/live/queue', {
    config: { access: 'public' },
    schema: { tags: ['live'], summary: 'Event stream (SSE): window, line and hall state — snapshot, then one change event per transaction' },
  }, (req, reply) => {
    queueFeed.open(req, reply, { event: 'snapshot', data: queueSnapshot(ctx) });
  });

  app.get('/live/staff', {
    config: { access: ROLES },
    schema: { tags: ['live'], summary: 'Event stream (SSE) for staff: back-office topics and devices that changed' },
  }, (req, reply) => {
    staffFeed.open(req, reply, { event: 'hello', data: { topics: [], devices: [], at: ctx.clock() } satisfies StaffChange });
  });
};
