// The embedded MQTT broker (aedes): TCP on its own port and MQTT-over-WebSocket on the
// HTTP server's /mqtt path. This is the hub's only MQTT I/O module: it wires the access
// hooks, feeds device publishes to the dispatcher and the registry, and is what the
// publisher writes through.
import net from 'node:net';
import tls from 'node:tls';
import { createRequire } from 'node:module';
import type { Server as HttpServer, IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { Aedes, type AedesPublishPacket, type Client } from 'aedes';
import { WebSocketServer, createWebSocketStream } from 'ws';
import { parseTopic, validate, MAX_PAYLOAD_BYTES } from '@shubbak/protocol';
import type { HubContext } from '../context.ts';
import { authenticate, createAccess, deviceIdOf, HUB_ID } from './access.ts';
import { CommandDispatcher } from './dispatch.ts';
import { guardPacketSize, MAX_MQTT_PACKET_BYTES } from './packet-limit.ts';
import { holdAck, installAckHold } from './ack-hold.ts';
import { looksLikeTlsHello, secureContextOptions, serverOptions, watchTlsServer } from '../tls/listeners.ts';
import type { TlsMaterial } from '../tls/center-ca.ts';
import { DeviceRateLimiter, newStats, SessionQueueLimit, type BrokerStats, type QueuePersistence } from './limits.ts';
import { indexRetained, type RetainedPersistence } from './retained-index.ts';
import { trackSockets, type SocketTracker } from '../ops/sockets.ts';

/** Largest WebSocket message /mqtt accepts: a few MQTT packets of at most 16 KiB. */
export const MAX_WS_MESSAGE_BYTES = 4 * MAX_MQTT_PACKET_BYTES;

/** mqemitter's in-flight limit: high enough that it never queues (see createBroker). */
export const MQ_CONCURRENCY = 1_000_000;

/** Where a rate-limited publish goes: a topic outside the contract that no client may subscribe to. */
const DROPPED_TOPIC = '$shubbak/dropped';

export type Logger = { info: (o: unknown, m?: string) => void; warn: (o: unknown, m?: string) => void; error: (o: unknown, m?: string) => void };

export type HubBroker = {
  aedes: Aedes;
  dispatcher: CommandDispatcher;
  /** Counters for the operator (rate-limited publishes, dropped queued messages, …): plain numbers. */
  stats: BrokerStats;
  /** Messages queued right now for one session (client id). */
  queuedFor(clientId: string): number;
  /** Remove offline persistent sessions not seen for the expiry; returns how many. */
  expireSessions(): Promise<number>;
  /** Publish as the hub (bypasses the device ACL). Resolves when handed to subscribers. */
  publish(topic: string, payload: string | Buffer, opts: { qos: 0 | 1; retain: boolean }): Promise<void>;
  listenTcp(port: number, host: string): Promise<number>;
  /** MQTT over TLS (issue 17): the same broker behind a TLS server; returns the port. */
  listenTls(port: number, host: string, material: TlsMaterial, handshakeTimeoutMs: number): Promise<number>;
  /** A renewed certificate for the TLS listener: new connections get it, live ones keep theirs. */
  setTlsMaterial(material: TlsMaterial): void;
  /** MQTT over WebSocket on the server's path; `accept` may refuse an upgrade (the plain port with TLS: the hub's own machine only). */
  attachWebSocket(server: HttpServer, path?: string, accept?: (req: IncomingMessage) => boolean): void;
  close(): Promise<void>;
};

/**
 * aedes writes packets with mqtt-packet, which pre-builds a Buffer for each of the 65536
 * two-byte numbers on the first packet: ~8 MB of the hub's heap, for numbers it can write
 * as it goes (issue 10: memory). The switch is mqtt-packet's own, on the copy aedes loads.
 */
function noMqttNumberCache(): void {
  const fromAedes = createRequire(createRequire(import.meta.url).resolve('aedes'));
  (fromAedes('mqtt-packet') as { writeToStream: { cacheNumbers: boolean } }).writeToStream.cacheNumbers = false;
}

export async function createBroker(ctx: HubContext, log: Logger): Promise<HubBroker> {
  noMqttNumberCache();
  installAckHold();
  const aedes = await Aedes.createBroker({
    id: 'shubbak-hub',
    maxClientsIdLength: 64,
    heartbeatInterval: 60_000,
    connectTimeout: 10_000,
    drainTimeout: 10_000,
    // aedes hands each publish to mqemitter, which queues beyond `concurrency` (default 100)
    // and drains its queue recursively whenever a delivery completes synchronously: a burst
    // of a few thousand messages in one turn (the replies to a large command batch after a
    // stall) overflowed the stack and took the hub down ("Maximum call stack size exceeded",
    // mcollina/mqemitter#204; seen in `npm run bench` under an open-loop background load).
    // With a limit no burst reaches, nothing is queued there, so nothing recurses; the
    // connections' own flow control (TCP, one packet at a time per client) still applies.
    concurrency: MQ_CONCURRENCY,
  });
  aedes.authenticate = authenticate((id, secret) => (id === HUB_ID ? ctx.devices.verifyHub(secret) : ctx.devices.verify(id, secret) !== null));
  const connected = () => (aedes as unknown as { clients: Record<string, Client> }).clients;
  const stats = newStats();
  const limiter = new DeviceRateLimiter({ reportsPerSec: ctx.config.deviceReportsPerSec, commandsPerSec: ctx.config.deviceCommandsPerSec });
  const { authorizePublish, authorizeSubscribe } = createAccess((id) => ctx.devices.kindOf(id));
  aedes.authorizePublish = (client, packet, cb) => {
    // Over-size payloads on a device's own topics get an answer, not a silent drop: the
    // dispatcher replies BAD_REQUEST. Elsewhere the ACL decides.
    authorizePublish(client, packet, (err) => {
      if (err || !client || deviceIdOf(client.id) === HUB_ID) return cb(err);
      // Per-device rate limit (issue 15, fault 7): over the limit, the publish is acknowledged
      // but diverted to a topic nobody may subscribe to — not written, not passed on, counted.
      const t = parseTopic(packet.topic);
      const kind = t?.kind === 'device' && t.sub === 'commands' ? 'command' : 'report';
      if (!limiter.take(deviceIdOf(client.id), kind)) {
        stats.rateLimited++;
        packet.topic = DROPPED_TOPIC;
        packet.retain = false;
        packet.payload = Buffer.alloc(0);
      } else if (kind === 'command' && packet.qos === 1 && t?.kind === 'device' && t.deviceId === deviceIdOf(client.id)) {
        // The dispatcher answers it: its PUBACK goes out with the reply (ack-hold.ts).
        holdAck(client.conn, packet.messageId!);
      }
      cb(null);
    });
  };
  aedes.authorizeSubscribe = authorizeSubscribe;

  // Offline persistent sessions: a capped queue each, removed when not seen for the expiry
  // (issue 15, fault 5). Presence times are the hub's clock; sessions live in memory, so a
  // restart forgets them anyway.
  const sessions = new SessionQueueLimit((aedes as unknown as { persistence: QueuePersistence }).persistence, ctx.config.mqttMaxQueued, stats);
  // A SUBSCRIBE's retained messages found by a topic tree, not a scan of all (issue 10).
  indexRetained((aedes as unknown as { persistence: RetainedPersistence }).persistence);
  const offlineSince = new Map<string, number>();
  const expiryMs = ctx.config.mqttSessionExpiryHours * 3600_000;
  const expireSessions = async (): Promise<number> => {
    const now = ctx.clock();
    let n = 0;
    for (const [id, since] of offlineSince) {
      if (now - since < expiryMs || connected()[id]) continue;
      offlineSince.delete(id);
      await sessions.removeSession(id);
      stats.expiredSessions++;
      n++;
    }
    return n;
  };
  const expiryTimer = setInterval(() => void expireSessions().catch((err) => log.error({ err }, 'session expiry failed')), 3600_000);
  expiryTimer.unref();

  // Rotation, removal and rebinding close the device's live connections at once (PROTOCOL.md
  // "Who may do what"; issue 15, fault 6): an old secret or binding stops working now.
  const stopRevocations = ctx.devices.onRevoked((deviceId) => {
    limiter.forget(deviceId);
    const clients = connected();
    for (const id of Object.keys(clients)) {
      if (deviceIdOf(id) !== deviceId) continue;
      stats.revokedConnections++;
      clients[id].close();
    }
  });

  // Retained state goes out with the retain flag set (issue 13, item 1): aedes stores it,
  // a late subscriber gets it on subscribing, and a connection that asks for retain as
  // published — a bridge (MQTT 3.1.1 with the bridge bit, as Mosquitto's bridge connects;
  // mqtt-packet then marks its subscriptions retain-as-published) — gets every live update
  // flagged retained, so its own broker's copy follows the center instead of freezing at
  // connect time. Plain subscribers get live messages with the flag cleared, as MQTT 3.1.1
  // requires (3.3.1.3).
  //
  // Ordering: aedes numbers each packet when publish() is called and a client drops a
  // packet numbered below one it already got from the same broker id (its de-duplication,
  // made for clusters). A retained publish first waits for the retained store, so a later
  // unretained one (an announcement, a reply) could overtake it and the newer state would
  // be dropped as a "duplicate". So the hub numbers its packets itself, in two sequences of
  // their own: retained ones (which all take the same path through the store, so they stay
  // in order among themselves) and the rest; neither can make a client drop the other's.
  let retainedCounter = 0;
  let liveCounter = 0;
  const RETAINED_SEQ = `${aedes.id}/hub-retained`;
  const LIVE_SEQ = `${aedes.id}/hub`;
  const publish: HubBroker['publish'] = (topic, payload, opts) =>
    new Promise<void>((resolve, reject) => {
      const packet = {
        cmd: 'publish' as const, topic, payload: typeof payload === 'string' ? Buffer.from(payload) : payload, qos: opts.qos, retain: opts.retain, dup: false,
        brokerId: opts.retain ? RETAINED_SEQ : LIVE_SEQ, brokerCounter: opts.retain ? ++retainedCounter : ++liveCounter,
      };
      aedes.publish(packet as AedesPublishPacket, (err) => (err ? reject(err) : resolve()));
    });

  const dispatcher = new CommandDispatcher(
    ctx,
    (deviceId, reply) => {
      publish(`shubbak/v1/devices/${deviceId}/replies`, JSON.stringify(reply), { qos: 1, retain: false }).catch((err) =>
        log.error({ err }, 'reply publish failed'),
      );
    },
    { error: (o, m) => log.error(o, m) },
  );

  aedes.on('publish', (packet: AedesPublishPacket, client: Client | null) => {
    if (!client || deviceIdOf(client.id) === HUB_ID) return; // the hub's own publishes
    try {
      onDevicePublish(ctx, dispatcher, deviceIdOf(client.id), packet, log);
    } catch (err) {
      log.error({ err, topic: packet.topic }, 'device publish handling failed');
    }
  });
  // Presence follows the device's main connection (client id = device id).
  aedes.on('clientReady', (client) => offlineSince.delete(client.id));
  aedes.on('clientDisconnect', (client) => {
    if (!client.clean) offlineSince.set(client.id, ctx.clock());
  });
  // Presence is written once per turn of the event loop, every device that came or went in
  // it in one transaction, and heard by the bus after that commit. One commit (an fsync)
  // per connection blocked the event loop for each: 200 devices reconnecting after a
  // network cut held every command behind ~200 fsyncs (issue 16 item 3: 1.7 s of the
  // hub's --cpu-prof while the bench's 200 devices connected).
  const presence = new Map<string, boolean>();
  let presenceDue = false;
  const flushPresence = () => {
    presenceDue = false;
    if (!presence.size) return;
    const batch = [...presence];
    presence.clear();
    try {
      ctx.uow.run(() => {
        for (const [id, online] of batch) ctx.devices.seen(id, online);
      });
    } catch (err) {
      log.error({ err }, 'device presence write failed');
      return;
    }
    for (const [id] of batch) ctx.bus.emit('deviceSeen', id);
  };
  const seen = (id: string, online: boolean) => {
    presence.delete(id); // the latest state, in the order devices changed
    presence.set(id, online);
    if (!presenceDue) {
      presenceDue = true;
      setImmediate(flushPresence);
    }
  };
  aedes.on('clientReady', (client) => {
    if (client.id !== deviceIdOf(client.id) || client.id === HUB_ID) return;
    seen(client.id, true);
  });
  aedes.on('clientDisconnect', (client) => {
    if (client.id !== deviceIdOf(client.id) || client.id === HUB_ID) return;
    seen(client.id, false);
  });
  aedes.on('clientError', (client, err) => log.warn({ client: client?.id, err: err.message }, 'mqtt client error'));
  aedes.on('connectionError', (client, err) => log.warn({ client: client?.id, err: err.message }, 'mqtt connection refused'));

  const refuse = (from: string | undefined) => (err: Error) => log.warn({ from, err: err.message }, 'mqtt connection closed: packet too large');
  const servers: net.Server[] = [];
  const tlsServers: tls.Server[] = [];
  const wss: WebSocketServer[] = [];
  const sockets: SocketTracker[] = [];
  const listen = (server: net.Server, port: number, host: string) => new Promise<number>((resolve, reject) => {
    servers.push(server);
    sockets.push(trackSockets(server));
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as net.AddressInfo).port));
  });

  // Queued messages and the limits' counters are kept where they happen (limits.ts); read at scrape time.
  ctx.metrics.bindBroker({
    clients: () => aedes.connectedClients,
    queued: () => stats.queued,
    counters: () => stats,
    listening: () => servers.length > 0 && servers.every((s) => s.listening),
  });

  return {
    aedes,
    dispatcher,
    stats,
    queuedFor: (clientId) => sessions.queuedFor(clientId),
    expireSessions,
    publish,
    async listenTcp(port, host) {
      // noDelay: without TCP_NODELAY every QoS 1 round trip waits ~40–90 ms on Nagle.
      const server = net.createServer({ noDelay: true }, (socket) => {
        // A TLS hello on the plain port (a device set up for mqtts:// pointed at 1883): aedes
        // would refuse it as a malformed CONNECT anyway; it is counted as what it is.
        socket.once('data', (first: Buffer) => {
          if (!looksLikeTlsHello(first)) return;
          ctx.metrics.tlsRefused.inc({ listener: 'mqtt', reason: 'tls_on_plain' });
          socket.destroy();
        });
        aedes.handle(guardPacketSize(socket, refuse(socket.remoteAddress)));
      });
      return listen(server, port, host);
    },
    async listenTls(port, host, material, handshakeTimeoutMs) {
      // Handshake first (bounded by handshakeTimeout), then the same path as plain TCP.
      const server = tls.createServer({ ...serverOptions(material, handshakeTimeoutMs), noDelay: true }, (socket) => {
        aedes.handle(guardPacketSize(socket, refuse(socket.remoteAddress)));
      });
      watchTlsServer(server, 'mqtts', (listener, reason) => ctx.metrics.tlsRefused.inc({ listener, reason }));
      tlsServers.push(server);
      return listen(server, port, host);
    },
    setTlsMaterial(material) {
      for (const s of tlsServers) s.setSecureContext(secureContextOptions(material));
    },
    attachWebSocket(server, path = '/mqtt', accept = () => true) {
      // maxPayload: ws reads a frame's announced length from its header and closes with 1009
      // before buffering anything larger; its default (100 MiB) let connections that never
      // sent CONNECT hold hundreds of MiB (issue 15, fault 4). The MQTT packet guard behind
      // it still limits each packet; a message may carry a few packets, hence the margin.
      const ws = new WebSocketServer({ noServer: true, maxPayload: MAX_WS_MESSAGE_BYTES, handleProtocols: (p) => (p.has('mqtt') ? 'mqtt' : false) });
      wss.push(ws);
      server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
        if (new URL(req.url ?? '/', 'http://x').pathname !== path) {
          // The hub has no other WebSocket endpoint: answer, do not leave the socket open.
          if (server.listenerCount('upgrade') === 1) socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
          return;
        }
        if (!accept(req)) {
          socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
          return;
        }
        ws.handleUpgrade(req, socket, head, (conn) => {
          const stream = createWebSocketStream(conn);
          stream.on('error', () => conn.terminate());
          aedes.handle(guardPacketSize(stream, refuse(req.socket.remoteAddress)), req);
        });
      });
    },
    async close() {
      clearInterval(expiryTimer);
      stopRevocations();
      for (const w of wss) w.close();
      // Stop accepting first, then let aedes drop the connected clients: a server's close
      // callback waits for its last connection, so awaiting it first hangs with devices online.
      const stopped = servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve())));
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      // aedes ended its clients; what is left never became one (no CONNECT yet, or still in
      // the TLS handshake) and would hold the close for minutes (hub/ops/sockets.ts).
      for (const t of sockets) t.destroyAll();
      await Promise.all(stopped);
      dispatcher.flush();
      flushPresence(); // the last disconnects, before the database closes
    },
  };
}

function onDevicePublish(ctx: HubContext, dispatcher: CommandDispatcher, clientId: string, packet: AedesPublishPacket, log: Logger): void {
  const t = parseTopic(packet.topic);
  if (t?.kind !== 'device' || t.deviceId !== clientId) return;
  if (t.sub === 'commands') {
    // Size, JSON and schema are checked by the dispatcher so that every refusal is a reply.
    dispatcher.submit(clientId, packet.payload as Buffer);
    return;
  }
  const payload = packet.payload as Buffer;
  if (payload.length > MAX_PAYLOAD_BYTES) {
    log.warn({ device: clientId, topic: packet.topic, bytes: payload.length }, 'oversized device payload ignored');
    return;
  }
  const v = validate(packet.topic, payload);
  if (!v.ok) {
    log.warn({ device: clientId, topic: packet.topic, error: v.error }, 'invalid device payload ignored');
    return;
  }
  const m = v.message;
  if (m.kind === 'status') {
    ctx.devices.seen(clientId, m.payload.online, m.payload.online ? m.payload.fw : undefined);
    ctx.bus.emit('deviceSeen', clientId);
  } else if (m.kind === 'health') {
    ctx.devices.recordHealth(clientId, m.payload);
    ctx.bus.emit('deviceSeen', clientId);
  }
}
