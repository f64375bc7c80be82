// Starts one hub: database, services, HTTP app, embedded broker, retained state, timers.
// server.ts calls it with the environment's settings; tests call it with a temp dir and
// port 0, then talk to it over real TCP MQTT and HTTP.
import fs from 'node:fs';
import path from 'node:path';
import http from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { checkMode, type HubConfig } from './config.ts';
import { createContext, type HubContext } from './context.ts';
import type { BrokerListeners } from './services/enrollment.ts';
import { buildApp, type AppOptions } from './app.ts';
import { createBroker, type HubBroker } from './broker/broker.ts';
import { StatePublisher } from './broker/publisher.ts';
import { publishHubStatus } from './broker/hub-status.ts';
import { Outbox } from './federation/outbox.ts';
import type { Forwarder } from './federation/forwarder.ts';
import { seedDemo } from './db/seed.ts';
import { announceFirstAdmin, forgetSpentFirstAdmin } from './auth/first-admin.ts';
import { acquireHubLock, backupDirOf, dbPath } from './services/backup.ts';
import { checkDataPermissions, createPrivateFile } from './db/permissions.ts';
import { AlertWebhook } from './services/alert-webhook.ts';
import type { SmppSender } from './sms/smpp-sender.ts';
import { localDay, systemClock, type Clock } from './domain/time.ts';
import { CenterTls, type TlsMaterial } from './tls/center-ca.ts';
import { looksLikeTlsHello, secureContextOptions, serverOptions, watchTlsServer } from './tls/listeners.ts';
import { addressMatcher } from './auth/guard.ts';
import { reachableHost } from './services/ticket-link.ts';
import { centralLink, governorateLink } from './federation/central-link.ts';
import { CentralStore } from './central/store.ts';
import type { CentralConsumer } from './central/consumer.ts';
import { closeWithin, trackSockets, type SocketTracker } from './ops/sockets.ts';

export type RunningHub = {
  ctx: HubContext;
  app: FastifyInstance;
  broker: HubBroker;
  /** Plain ports: everything in the demo; loopback only (the hub's own tools) with TLS. */
  httpPort: number;
  mqttPort: number;
  mqttUrl: string;
  httpUrl: string;
  /** With TLS (issue 17): HTTPS (panels, API, wss /mqtt) and MQTT over TLS; null without. */
  tls: null | {
    httpsPort: number; mqttsPort: number; httpsUrl: string; mqttsUrl: string; caCert: string; notAfter(): number;
    /** The twice-daily check, now: renew the certificate if due and serve it to new connections; true if it changed. */
    renew(): boolean;
  };
  /** Credentials file written by the demo seed on this start, if any. */
  seededDevicesFile: string | null;
  /** The SMPP sender (hub/sms/smpp-sender.ts), when an SMSC is configured. */
  smsSender: SmppSender | null;
  /** Publish the clock now (devices re-read the hub's time; tests move a fake clock). */
  publishClock(): void;
  /** The outbox's forwarder to the central tier (SHUBBAK_CENTRAL_NATS), or null. */
  central: Forwarder | null;
  /** The governorate's view (SHUBBAK_GOVERNORATE_NATS): its store and its stream consumer, or null. */
  governorate: { store: CentralStore; consumer: CentralConsumer } | null;
  close(): Promise<void>;
};

export type StartOptions = { clock?: Clock; logger?: AppOptions['logger'] };

export async function startHub(config: HubConfig, opts: StartOptions = {}): Promise<RunningHub> {
  const clock = opts.clock ?? systemClock;
  // Production (SHUBBAK_MODE) never runs the simulator nor seeds demo data or staff, whoever built the config.
  checkMode(config);
  // The central tier's link: its CA file is read now, before anything listens (federation/central-link.ts).
  const link = config.centralNats ? centralLink(config) : null;
  // The governorate's reader link, checked the same way (hub/central/).
  const govLink = config.governorateNats ? governorateLink(config) : null;
  // Data dir 0700, its files 0600, or no start (issue 15, fault 9; hub/db/permissions.ts).
  const fixed = checkDataPermissions(config.dataDir, backupDirOf(config), config.fixPermissions);
  // Held while the hub runs: the backup CLI refuses to restore over a live database.
  const releaseLock = acquireHubLock(config.dataDir);
  let ctx: HubContext;
  let app: FastifyInstance;
  let appSockets: SocketTracker | null = null;
  // TLS (issue 17): the center CA and server certificate are made (or renewed) before the
  // HTTPS app exists; what that logs is held until the app's logger is there.
  const early: [string, unknown, string?][] = [];
  let tlsLog: { info: (o: unknown, m?: string) => void; warn: (o: unknown, m?: string) => void } = {
    info: (o, m) => void early.push(['info', o, m]), warn: (o, m) => void early.push(['warn', o, m]),
  };
  const centerTls = config.tls ? new CenterTls(config, clock, { info: (o, m) => tlsLog.info(o, m), warn: (o, m) => tlsLog.warn(o, m) }) : null;
  let material: TlsMaterial | null = null;
  // Where the broker listens, once it does: enrollment replies read it (hub/services/enrollment.ts).
  let listeners: BrokerListeners = { mqttPort: 0, tls: null };
  let tlsListener: BrokerListeners['tls'] = null;
  // The hub's own address once it listens: the default base of the tickets' public links.
  let ownUrl = '';
  // The governorate's central store (hub/central/store.ts), beside the hub's own database.
  let centralStore: CentralStore | null = null;
  try {
    material = centerTls?.current() ?? null;
    // The database file is made 0600 before SQLite opens it: its WAL and SHM take its mode.
    createPrivateFile(dbPath(config.dataDir));
    ctx = createContext(config, clock, { listeners: () => listeners, ownUrl: () => ownUrl });
    if (govLink) centralStore = new CentralStore(path.join(config.dataDir, 'central.db'), clock);
    app = await buildApp(ctx, {
      logger: opts.logger, https: material ? serverOptions(material, config.tlsHandshakeTimeoutMs) : undefined, central: centralStore ?? undefined,
    });
    // Its sockets, so a stop is not held by one that never became a request (hub/ops/sockets.ts).
    appSockets = trackSockets(app.server);
    if (fixed.length) app.log.warn({ paths: fixed }, 'data file permissions tightened to 0700/0600 (SHUBBAK_FIX_PERMISSIONS)');
    const log = app.log;
    tlsLog = { info: (o, m) => log.info(o, m), warn: (o, m) => log.warn(o, m) };
    for (const [level, o, m] of early) (level === 'warn' ? log.warn : log.info).call(log, o, m);
  } catch (err) {
    centralStore?.close();
    releaseLock();
    throw err;
  }
  let broker: HubBroker | null = null;
  let plain: http.Server | null = null;
  let renewTimer: NodeJS.Timeout | undefined;
  try {
    ctx.devices.markAllOffline();
    ctx.queue.expirePastDays();

    broker = await createBroker(ctx, app.log);
    const local = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
    let httpPort: number;
    let mqttPort: number;
    let tlsInfo: RunningHub['tls'] = null;
    if (material) {
      // HTTPS on httpsPort; plain HTTP serves loopback and redirects everyone else; plain MQTT on loopback only.
      const m0 = material;
      await app.listen({ port: config.httpsPort, host: config.host });
      watchTlsServer(app.server as unknown as import('node:tls').Server, 'https', (listener, reason) => ctx.metrics.tlsRefused.inc({ listener, reason }));
      broker.attachWebSocket(app.server);
      const httpsPort = (app.server.address() as { port: number }).port;
      plain = plainHttpServer(app, ctx, () => httpsPort);
      httpPort = await new Promise<number>((resolve, reject) => {
        plain!.once('error', reject);
        plain!.listen(config.httpPort, config.host, () => resolve((plain!.address() as { port: number }).port));
      });
      broker.attachWebSocket(plain, '/mqtt', (req) => isOwnMachine(req.socket.remoteAddress));
      mqttPort = await broker.listenTcp(config.mqttPort, plainHost(config.host));
      const mqttsPort = await broker.listenTls(config.mqttsPort, config.host, m0, config.tlsHandshakeTimeoutMs);
      let served = m0;
      ctx.metrics.bindTls(() => served.notAfter);
      // Twice a day: a renewed certificate goes to both TLS listeners without a restart;
      // connections already open keep theirs.
      const renew = (): boolean => {
        try {
          const next = centerTls!.current();
          if (next.cert === served.cert) return false;
          served = next;
          (app.server as unknown as import('node:tls').Server).setSecureContext(secureContextOptions(next));
          broker!.setTlsMaterial(next);
          app.log.info({ notAfter: new Date(next.notAfter).toISOString() }, 'TLS listeners now serve the renewed certificate');
          return true;
        } catch (err) {
          app.log.error({ err }, 'TLS certificate renewal failed (the current certificate is still served)');
          return false;
        }
      };
      renewTimer = setInterval(renew, 12 * 3600_000);
      renewTimer.unref();
      tlsListener = { mqttsPort, caCert: m0.ca };
      tlsInfo = {
        httpsPort, mqttsPort, caCert: m0.ca, notAfter: () => served.notAfter, renew,
        httpsUrl: `https://${urlHost(local)}:${httpsPort}`, mqttsUrl: `mqtts://${urlHost(local)}:${mqttsPort}`,
      };
    } else {
      await app.listen({ port: config.httpPort, host: config.host });
      broker.attachWebSocket(app.server);
      mqttPort = await broker.listenTcp(config.mqttPort, config.host);
      httpPort = (app.server.address() as { port: number }).port;
    }
    listeners = { mqttPort, tls: tlsListener };
    const mqttUrl = `mqtt://${local}:${mqttPort}`;
    const httpUrl = `http://${local}:${httpPort}`;
    ownUrl = tlsInfo ? `https://${urlHost(reachableHost(config.host))}:${tlsInfo.httpsPort}` : `http://${urlHost(reachableHost(config.host))}:${httpPort}`;

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
    // The governorate's central tier, when there is one: the outbox is written in each
    // command's own transaction and forwarded beside the queue to its JetStream stream
    // (hub/federation/). Loaded only then: a center on its own does not carry the nats
    // client in its heap (issue 10).
    const outbox = config.centralNats ? new Outbox(ctx.db, clock, ctx.queue) : null;
    const federation = outbox ? await import('./federation/forwarder.ts') : null;
    const forwarder = outbox && federation && link ? new federation.Forwarder(outbox, config.centerId, link, app.log) : null;
    const offOutboxCommits = outbox ? ctx.uow.beforeCommit((c) => outbox.record(c)) : () => {};
    // Each closed day the reports keep goes too, for the governorate's reports (issue 13 item 4).
    const offOutboxDays = outbox ? outbox.sendClosedDays(ctx.reports, config.timezone) : () => {};
    const offOutbox = () => {
      offOutboxCommits();
      offOutboxDays();
    };
    forwarder?.start();
    // The governorate's view: the CENTER_EVENTS stream read into the central store (hub/central/).
    const consumer = centralStore && govLink ? new (await import('./central/consumer.ts')).CentralConsumer(centralStore, govLink, app.log) : null;
    consumer?.start();

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
        outbox?.prune();
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
    // SMS over SMPP (hub/sms/): only with an SMSC configured; woken by every commit (new messages, the switch).
    // Loaded only then: a center without an SMSC does not carry the smpp client (and iconv-lite) in its heap (issue 10).
    const smsSender = config.smsHost ? new (await import('./sms/smpp-sender.ts')).SmppSender(ctx.sms.outbox, config, app.log.child({ part: 'sms' })) : null;
    const offSms = smsSender ? ctx.commits.subscribe(() => smsSender.wake(), (err) => app.log.error({ err }, 'sms wake failed')) : () => {};
    ctx.metrics.bindSms(smsSender);
    smsSender?.start();
    // Mobile numbers past SHUBBAK_SMS_RETENTION_DAYS are erased at start and then daily (hub/sms/retention.ts).
    const stopSmsRetention = ctx.sms.retention.schedule((err) => app.log.error({ err }, 'SMS number retention failed'));

    const b = broker;
    return {
      ctx, app, broker: b, httpPort, mqttPort, mqttUrl, httpUrl, tls: tlsInfo, seededDevicesFile, smsSender,
      publishClock: () => publisher.publishClock(),
      central: forwarder,
      governorate: centralStore && consumer ? { store: centralStore, consumer } : null,
      async close() {
        clearInterval(timer);
        clearInterval(alertSweep);
        clearInterval(renewTimer);
        await closePlain(plain);
        ctx.alerts.stop();
        offWebhook();
        webhook?.close();
        stopBackups();
        stopRollups();
        offSms();
        stopSmsRetention();
        await smsSender?.stop();
        ctx.bus.off('deviceSeen', onDeviceSeen);
        offOutbox();
        await forwarder?.stop();
        await consumer?.stop();
        publisher.stop();
        // Offline, retained, before the broker drops its connections: observers and bridges get it live.
        await publishHubStatus(b, config.centerId, clock, false).catch((err) => app.log.warn({ err }, 'hub offline status not published'));
        await b.close();
        await closeWithin(() => app.close(), appSockets!);
        ctx.metrics.stop();
        ctx.db.close();
        centralStore?.close();
        releaseLock();
      },
    };
  } catch (err) {
    clearInterval(renewTimer);
    await closePlain(plain).catch(() => {});
    await broker?.close().catch(() => {});
    if (appSockets) await closeWithin(() => app.close(), appSockets).catch(() => {});
    else await app?.close().catch(() => {});
    ctx.metrics.stop();
    ctx.db.close();
    centralStore?.close();
    releaseLock();
    throw err;
  }
}

function writeSecretFile(file: string, body: string): void {
  fs.writeFileSync(file, body, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
}

/** The hub's own tools: a socket from exactly 127.0.0.1 or ::1 (not the rest of 127/8, so a test can play a LAN browser from 127.0.0.2). */
function isOwnMachine(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}
const isLoopback = addressMatcher('loopback');

/** Where plain MQTT listens once TLS is on: the configured address if it is loopback, else 127.0.0.1. */
export function plainHost(host: string): string {
  return isLoopback(host) ? host : '127.0.0.1';
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * The plain HTTP port beside HTTPS (issue 17): the hub's own tools on this machine
 * (loopback) get the whole app; anyone else is sent to HTTPS — GET and HEAD with a
 * redirect (a browser typing the old address), other methods refused, so nothing is
 * processed in clear. A TLS hello on this port is counted and dropped.
 */
function plainHttpServer(app: FastifyInstance, ctx: HubContext, httpsPort: () => number): http.Server {
  const server = http.createServer({ noDelay: true }, (req, res) => {
    if (isOwnMachine(req.socket.remoteAddress)) return app.routing(req, res);
    let host: string;
    try {
      host = new URL(`http://${req.headers.host ?? ''}`).hostname;
      if (!host) throw new Error('no host');
    } catch {
      res.writeHead(400, { 'content-type': 'application/json; charset=utf-8', connection: 'close' });
      res.end(JSON.stringify({ error: { code: 'BAD_REQUEST', message: 'الطلب غير صالح', messageEn: 'bad Host header' } }));
      return;
    }
    const target = `https://${host}:${httpsPort()}${req.url?.startsWith('/') ? req.url : '/'}`;
    if (req.method === 'GET' || req.method === 'HEAD') {
      res.writeHead(301, { location: target, 'content-length': '0', connection: 'close' });
    } else {
      res.writeHead(403, { 'content-type': 'application/json; charset=utf-8', connection: 'close' });
      res.write(JSON.stringify({ error: { code: 'TLS_REQUIRED', message: 'يجب الاتصال بالخادم عبر اتصال آمن (HTTPS)', messageEn: `use HTTPS: ${target}` } }));
    }
    res.end();
  });
  server.on('clientError', (err: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Socket) => {
    if (err.rawPacket && looksLikeTlsHello(err.rawPacket)) ctx.metrics.tlsRefused.inc({ listener: 'http', reason: 'tls_on_plain' });
    socket.destroy();
  });
  return server;
}

async function closePlain(server: http.Server | null): Promise<void> {
  if (!server?.listening) return;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
}
