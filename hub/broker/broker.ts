// The embedded MQTT broker (aedes): TCP on its own port and MQTT-over-WebSocket on the
// HTTP server's /mqtt path. This is the hub's only MQTT I/O module: it wires the access
// hooks, feeds device publishes to the dispatcher and the registry, and is what the
// publisher writes through.
import net from 'node:net';
import { createRequire } from 'node:module';
import type { Server as HttpServer, IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { Aedes, type AedesPublishPacket, type Client } from 'aedes';
import { WebSocketServer, createWebSocketStream } from 'ws';
import { parseTopic, validate, MAX_PAYLOAD_BYTES } from '@shubbak/protocol';
import type { HubContext } from '../context.ts';
import { authenticate, authorizePublish, authorizeSubscribe, deviceIdOf, HUB_ID } from './access.ts';
import { CommandDispatcher } from './dispatch.ts';
import { guardPacketSize } from './packet-limit.ts';

export type Logger = { info: (o: unknown, m?: string) => void; warn: (o: unknown, m?: string) => void; error: (o: unknown, m?: string) => void };

export type HubBroker = {
  aedes: Aedes;
  dispatcher: CommandDispatcher;
  /** Publish as the hub (bypasses the device ACL). Resolves when handed to subscribers. */
  publish(topic: string, payload: string | Buffer, opts: { qos: 0 | 1; retain: boolean }): Promise<void>;
  listenTcp(port: number, host: string): Promise<number>;
  attachWebSocket(server: HttpServer, path?: string): void;
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
  const aedes = await Aedes.createBroker({
    id: 'shubbak-hub',
    maxClientsIdLength: 64,
    heartbeatInterval: 60_000,
    connectTimeout: 10_000,
    drainTimeout: 10_000,
  });
  aedes.authenticate = authenticate((id, secret) => (id === HUB_ID ? ctx.devices.verifyHub(secret) : ctx.devices.verify(id, secret) !== null));
  aedes.authorizePublish = (client, packet, cb) => {
    // Over-size payloads on a device's own topics get an answer, not a silent drop: the
    // dispatcher replies BAD_REQUEST. Elsewhere the ACL decides.
    authorizePublish(client, packet, cb);
  };
  aedes.authorizeSubscribe = authorizeSubscribe;

  // aedes numbers every packet when publish() is called, and a client drops a packet
  // numbered below one it already got. A retained publish first waits for the retained
  // store, so a later publish (an announcement, a reply) could overtake it and the newer
  // state would be dropped as a "duplicate". So the hub stores retained state itself and
  // then publishes it as a live message: packets are numbered in the order they go out,
  // and nothing has to wait for anything else.
  const persistence = (aedes as unknown as { persistence: { storeRetained(p: object): Promise<void> } }).persistence;
  const emit = (topic: string, payload: Buffer, qos: 0 | 1) =>
    new Promise<void>((resolve, reject) =>
      aedes.publish({ cmd: 'publish', topic, payload, qos, retain: false, dup: false }, (err) => (err ? reject(err) : resolve())),
    );
  const publish: HubBroker['publish'] = async (topic, payload, opts) => {
    const buf = typeof payload === 'string' ? Buffer.from(payload) : payload;
    if (opts.retain) await persistence.storeRetained({ cmd: 'publish', topic, payload: buf, qos: opts.qos, retain: true, dup: false });
    await emit(topic, buf, opts.qos);
  };

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
  aedes.on('clientReady', (client) => {
    if (client.id !== deviceIdOf(client.id) || client.id === HUB_ID) return;
    ctx.devices.seen(client.id, true);
    ctx.bus.emit('deviceSeen', client.id);
  });
  aedes.on('clientDisconnect', (client) => {
    if (client.id !== deviceIdOf(client.id) || client.id === HUB_ID) return;
    ctx.devices.seen(client.id, false);
    ctx.bus.emit('deviceSeen', client.id);
  });
  aedes.on('clientError', (client, err) => log.warn({ client: client?.id, err: err.message }, 'mqtt client error'));
  aedes.on('connectionError', (client, err) => log.warn({ client: client?.id, err: err.message }, 'mqtt connection refused'));

  // Messages queued for subscribers (QoS 1, not yet acknowledged), counted as the
  // persistence takes and releases them, for the metrics: the in-memory store keeps them
  // in a private field, and a count at scrape time would walk every queue.
  let queued = 0;
  const store = (aedes as unknown as { persistence: Record<string, (...a: never[]) => Promise<unknown>> }).persistence;
  const enqueue = store.outgoingEnqueue.bind(store);
  const enqueueCombi = store.outgoingEnqueueCombi.bind(store);
  const clear = store.outgoingClearMessageId.bind(store);
  store.outgoingEnqueue = ((sub: never, packet: never) => {
    queued++;
    return enqueue(sub, packet);
  }) as never;
  store.outgoingEnqueueCombi = ((subs: never[], packet: never) => {
    queued += subs.length;
    return enqueueCombi(subs as never, packet);
  }) as never;
  store.outgoingClearMessageId = (async (client: never, packet: never) => {
    const found = await clear(client, packet);
    if (found) queued = Math.max(0, queued - 1);
    return found;
  }) as never;

  const refuse = (from: string | undefined) => (err: Error) => log.warn({ from, err: err.message }, 'mqtt connection closed: packet too large');
  const servers: net.Server[] = [];
  const wss: WebSocketServer[] = [];

  ctx.metrics.bindBroker({
    clients: () => aedes.connectedClients,
    queued: () => queued,
    listening: () => servers.length > 0 && servers.every((s) => s.listening),
  });

  return {
    aedes,
    dispatcher,
    publish,
    async listenTcp(port, host) {
      // noDelay: without TCP_NODELAY every QoS 1 round trip waits ~40–90 ms on Nagle.
      const server = net.createServer({ noDelay: true }, (socket) => aedes.handle(guardPacketSize(socket, refuse(socket.remoteAddress))));
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve());
      });
      return (server.address() as net.AddressInfo).port;
    },
    attachWebSocket(server, path = '/mqtt') {
      const ws = new WebSocketServer({ noServer: true, handleProtocols: (p) => (p.has('mqtt') ? 'mqtt' : false) });
      wss.push(ws);
      server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
        if (new URL(req.url ?? '/', 'http://x').pathname !== path) return;
        ws.handleUpgrade(req, socket, head, (conn) => {
          const stream = createWebSocketStream(conn);
          stream.on('error', () => conn.terminate());
          aedes.handle(guardPacketSize(stream, refuse(req.socket.remoteAddress)), req);
        });
      });
    },
    async close() {
      for (const w of wss) w.close();
      // Stop accepting first, then let aedes drop the connected clients: a server's close
      // callback waits for its last connection, so awaiting it first hangs with devices online.
      const stopped = servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve())));
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await Promise.all(stopped);
      dispatcher.flush();
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
