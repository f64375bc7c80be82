// Starts one hub: database, services, HTTP app, embedded broker, retained state, timers.
// server.ts calls it with the environment's settings; tests call it with a temp dir and
// port 0, then talk to it over real TCP MQTT and HTTP.
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { checkMode, type HubConfig } from './config.ts';
import { createContext, type HubContext } from './context.ts';
import { buildApp, type AppOptions } from './app.ts';
import { createBroker, type HubBroker } from './broker/broker.ts';
import { StatePublisher } from './broker/publisher.ts';
import { publishHubStatus } from './broker/hub-status.ts';
import { seedDemo } from './db/seed.ts';
import { announceFirstAdmin, forgetSpentFirstAdmin } from './auth/first-admin.ts';
import { acquireHubLock, backupDirOf, dbPath } from './services/backup.ts';
import { checkDataPermissions, createPrivateFile } from './db/permissions.ts';
import { AlertWebhook } from './services/alert-webhook.ts';
import { localDay, systemClock, type Clock } from './domain/time.ts';

export type RunningHub = {
  ctx: HubContext;
  app: FastifyInstance;
  broker: HubBroker;
  httpPort: number;
  mqttPort: number;
  mqttUrl: string;
  httpUrl: string;
  /** Credentials file written by the demo seed on this start, if any. */
  seededDevicesFile: string | null;
  /** Publish the clock now (devices re-read the hub's time; tests move a fake clock). */
  publishClock(): void;
  close(): Promise<void>;
};

export type StartOptions = { clock?: Clock; logger?: AppOptions['logger'] };

export async function startHub(config: HubConfig, opts: StartOptions = {}): Promise<RunningHub> {
  const clock = opts.clock ?? systemClock;
  // Production (SHUBBAK_MODE) never runs the simulator nor seeds demo data or staff, whoever built the config.
  checkMode(config);
  // Data dir 0700, its files 0600, or no start (issue 15, fault 9; hub/db/permissions.ts).
  const fixed = checkDataPermissions(config.dataDir, backupDirOf(config), config.fixPermissions);
  // Held while the hub runs: the backup CLI refuses to restore over a live database.
  const releaseLock = acquireHubLock(config.dataDir);
  let ctx: HubContext;
  let app: FastifyInstance;
  try {
    // The database file is made 0600 before SQLite opens it: its WAL and SHM take its mode.
    createPrivateFile(dbPath(config.dataDir));
    ctx = createContext(config, clock);
    app = await buildApp(ctx, { logger: opts.logger });
    if (fixed.length) app.log.warn({ paths: fixed }, 'data file permissions tightened to 0700/0600 (SHUBBAK_FIX_PERMISSIONS)');
  } catch (err) {
    releaseLock();
    throw err;
  }
  let broker: HubBroker | null = null;
  try {
    ctx.devices.markAllOffline();
    ctx.queue.expirePastDays();

    broker = await createBroker(ctx, app.log);
    await app.listen({ port: config.httpPort, host: config.host });
    broker.attachWebSocket(app.server);
    const mqttPort = await broker.listenTcp(config.mqttPort, config.host);
    ctx.enrollment.mqttPort = mqttPort;
    const httpPort = (app.server.address() as { port: number }).port;
    const local = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
    const mqttUrl = `mqtt://${local}:${mqttPort}`;
    const httpUrl = `http://${local}:${httpPort}`;

    const hubSecret = ctx.devices.ensureHubSecret();
    if (hubSecret) writeSecretFile(path.join(config.dataDir, 'hub.secret'), hubSecret + '\n');
    // Staff: the first administrator (one-time password: printed once in the demo, a 0600 file in
    // production, auth/first-admin.ts); then the demo center, catalog and staff, all in one
    // transaction with their credentials files (hub/db/seed.ts).
    announceFirstAdmin(await ctx.staff.ensureFirstAdmin(), config);
    forgetSpentFirstAdmin(config, ctx.staff.findByUsername('admin'));
    const seededDevicesFile = config.seedDemo ? await seedDemo(ctx, { mqttUrl, websocketUrl: `ws://${local}:${httpPort}/mqtt` }) : null;
    const publisher = new StatePublisher(ctx, broker, app.log);
    await publisher.start();
    // The hub's own presence, once its state is out (issue 13; hub/broker/hub-status.ts).
    await publishHubStatus(broker, config.centerId, clock, true);

    // Housekeeping: forget command ids after 48 h; close yesterday's queue at midnight.
    let day = localDay(clock(), config.timezone);
    const timer = setInterval(() => {
      try {
        const today = localDay(clock(), config.timezone);
        if (today !== day) {
          day = today;
          ctx.queue.expirePastDays();
        }
        broker!.dispatcher.prune();
      } catch (err) {
        app.log.error({ err }, 'housekeeping failed');
      }
    }, 60_000);
    timer.unref();

    // Supervision: device alerts follow each presence/health report and a sweep each
    // minute (a device already down at opening time); the weekly backup runs on its own timer.
    const onDeviceSeen = (id: string) => {
      try {
        ctx.alerts.check(id);
      } catch (err) {
        app.log.error({ err, device: id }, 'device alert check failed');
      }
    };
    ctx.bus.on('deviceSeen', onDeviceSeen);
    const alertSweep = setInterval(() => {
      try {
        ctx.alerts.sweep();
      } catch (err) {
        app.log.error({ err }, 'device alert sweep failed');
      }
    }, 60_000);
    alertSweep.unref();
    // The optional alert webhook: every committed alert change, delivered in the background.
    const webhook = config.alertWebhookUrl
      ? new AlertWebhook({
        url: config.alertWebhookUrl, center: config.centerName, centerId: config.centerId, log: app.log,
        count: (result) => ctx.metrics.webhook.inc({ result }),
      })
      : null;
    const offWebhook = webhook ? ctx.alerts.onChange((c) => webhook.send(c, clock())) : () => {};
    const stopBackups = ctx.backups.schedule((err) => app.log.error({ err }, 'weekly backup failed'));
    // The reports' daily rollups: the closed days missing are made in the background, in
    // short slices (hub/services/reports/rollups.ts), on start and after midnight.
    const stopRollups = ctx.reports.schedule((err) => app.log.error({ err }, 'report rollups failed'));

    const b = broker;
    return {
      ctx, app, broker: b, httpPort, mqttPort, mqttUrl, httpUrl, seededDevicesFile,
      publishClock: () => publisher.publishClock(),
      async close() {
        clearInterval(timer);
        clearInterval(alertSweep);
        ctx.alerts.stop();
        offWebhook();
        webhook?.close();
        stopBackups();
        stopRollups();
        ctx.bus.off('deviceSeen', onDeviceSeen);
        publisher.stop();
        // Offline, retained, before the broker drops its connections: observers and bridges get it live.
        await publishHubStatus(b, config.centerId, clock, false).catch((err) => app.log.warn({ err }, 'hub offline status not published'));
        await b.close();
        await app.close();
        ctx.metrics.stop();
        ctx.db.close();
        releaseLock();
      },
    };
  } catch (err) {
    await broker?.close().catch(() => {});
    await app.close().catch(() => {});
    ctx.metrics.stop();
    ctx.db.close();
    releaseLock();
    throw err;
  }
}

function writeSecretFile(file: string, body: string): void {
  fs.writeFileSync(file, body, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
}
