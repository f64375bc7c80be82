// What a machine-room operator's tools ask the hub (issue 15, "Operations"):
// GET /healthz  public: the process answers (liveness; restart it when this fails);
// GET /readyz   public: the hub can do its work — the database takes a durable write, the
//               MQTT broker is listening, the data dir's disk has more free space than
//               SHUBBAK_READY_MIN_FREE_MB (readiness; send no traffic while it is 503);
// GET /metrics  monitoring: Prometheus text format (hub/ops/metrics.ts), for the addresses
//               on SHUBBAK_METRICS_ALLOW (loopback by default).
import fs from 'node:fs';
import type { FastifyPluginAsync } from 'fastify';
import Type from 'typebox';

const Check = Type.Object({ ok: Type.Boolean(), detail: Type.Optional(Type.String()) });
const Ready = Type.Object({
  ready: Type.Boolean(),
  checks: Type.Object({ database: Check, broker: Check, disk: Check }),
});

type CheckResult = { ok: boolean; detail?: string };

export const opsRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.hub;
  const probe = ctx.db.prepare("INSERT INTO meta (key, value) VALUES ('ready_probe', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");

  app.get('/healthz', {
    config: { access: 'public' },
    schema: { tags: ['operations'], summary: 'Liveness: the hub process answers', response: { 200: Type.Object({ ok: Type.Literal(true) }) } },
  }, async () => ({ ok: true as const }));

  app.get('/readyz', {
    config: { access: 'public' },
    schema: {
      tags: ['operations'], summary: 'Readiness: database writable, broker listening, disk above its floor (503 when not)',
      response: { 200: Ready, 503: Ready },
    },
  }, async (_req, reply) => {
    const checks = { database: database(), broker: broker(), disk: disk() };
    const ready = checks.database.ok && checks.broker.ok && checks.disk.ok;
    return reply.status(ready ? 200 : 503).send({ ready, checks });
  });

  app.get('/metrics', {
    config: { access: 'monitoring' },
    schema: { tags: ['operations'], summary: 'Prometheus metrics (loopback only unless SHUBBAK_METRICS_ALLOW says otherwise)', produces: ['text/plain'] },
  }, async (_req, reply) => {
    const body = await ctx.metrics.registry.metrics();
    return reply.header('content-type', ctx.metrics.registry.contentType).header('cache-control', 'no-store').send(body);
  });

  /** A real, durable write (one meta row) in its own transaction: proves the file, the lock and the disk. */
  function database(): CheckResult {
    try {
      ctx.db.transaction(() => probe.run(String(ctx.clock())))();
      return { ok: true };
    } catch (err) {
      return { ok: false, detail: (err as Error).message };
    }
  }

  function broker(): CheckResult {
    return ctx.metrics.brokerListening() ? { ok: true } : { ok: false, detail: 'the MQTT broker is not listening' };
  }

  function disk(): CheckResult {
    try {
      const s = fs.statfsSync(ctx.config.dataDir);
      const freeMb = Math.floor((s.bavail * s.bsize) / 1048576);
      const floor = ctx.config.readyMinFreeMb;
      return freeMb >= floor ? { ok: true, detail: `${freeMb} MiB free` } : { ok: false, detail: `${freeMb} MiB free, less than ${floor} MiB` };
    } catch (err) {
      return { ok: false, detail: (err as Error).message };
    }
  }
};
