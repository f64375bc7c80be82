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
import type { CommitProjection } from '../services/commit-feed.ts';
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

/** One commit's public change, from the projection the MQTT publisher reads too. */
function queueChange(p: CommitProjection): QueueChange | null {
  if (!p.touchesQueue) return null;
  return { windows: p.windows(), lines: p.lines(), hall: p.hall(), announces: [...p.announces], at: p.at };
}

export const liveRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.hub;
  const queueFeed = new SseChannel();
  const staffFeed = new SseChannel();
  ctx.metrics.sseChannel('queue', () => queueFeed.size);
  ctx.metrics.sseChannel('staff', () => staffFeed.size);

  const onCommitted = (p: CommitProjection) => {
    // Only when a panel or TV is listening: the projection reads the states on first use.
    const change = queueFeed.size ? queueChange(p) : null;
    if (change) queueFeed.broadcast('change', change);
    const c = p.changes;
    if (staffFeed.size && (c.topics.size || c.devices.size || c.bindings)) {
      staffFeed.broadcast('change', { topics: [...c.topics], devices: p.deviceIds(), at: p.at } satisfies StaffChange);
    }
  };
  const onDeviceSeen = (id: string) => staffFeed.size && staffFeed.broadcast('change', { topics: [], devices: [id], at: ctx.clock() } satisfies StaffChange);
  const offCommits = ctx.commits.subscribe(onCommitted, (err) => app.log.error({ err }, 'live push failed'));
  ctx.bus.on('deviceSeen', onDeviceSeen);
  app.addHook('preClose', async () => {
    offCommits();
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
