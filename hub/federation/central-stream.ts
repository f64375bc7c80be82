// The central tier's JetStream stream (issue 13, item 3): where every center's outbox rows
// land in the governorate's NATS cluster. One stream, CENTER_EVENTS, on subjects
// centers.<centerId>.<kind> (kind: state, event, alerts, report), file storage, three replicas (a
// row the stream acknowledged is on a quorum of the three nodes' disks, so one node's
// kill -9 loses nothing), and a duplicate window: each row is published with the message
// id `<centerId>:<seq>`, so a row sent again after a lost acknowledgement (a hub killed
// between the PubAck and marking the row sent) is stored once. Past the window, a consumer
// still drops a seq it already has for that center (the sequence only grows).
//
// Made by whoever sets up the central tier (scripts/nats-cluster.ts for tests and the bench;
// an operator with the same function), never by a hub: a center's credentials publish to
// its own subjects only.
import type { Socket } from 'node:net';
import type { JetStreamManager, StreamConfig } from 'nats';
import { NodeTransport } from 'nats/lib/src/node_transport.js';

// The nats client (2.29) removes every listener of its socket at steps of its handshake
// (after the TCP connect, after the server's INFO, on close) and adds its own a moment
// later: an ECONNRESET landing in such a gap — a node that accepts and resets while it
// starts or fails over; seen here while the test cluster formed — is an 'error' event with
// no listener, which ends the whole process. The hub must never die of its central tier, so
// every socket the client dials keeps one listener that ignores errors: the client still
// learns of the failure from 'close' (and its own listener, when attached) and reconnects.
const keepAlive = (): void => {};
type Dial = (hp: unknown) => Promise<Socket>;
const proto = (NodeTransport as { prototype: { dial: Dial; __shubbakGuard?: true } }).prototype;
if (!proto.__shubbakGuard) {
  const dial = proto.dial;
  proto.dial = function (this: unknown, hp: unknown) {
    const d = dial.call(this, hp);
    void d.then((socket) => {
      socket.on('error', keepAlive);
      const removeAll = socket.removeAllListeners.bind(socket);
      socket.removeAllListeners = ((...args: Parameters<Socket['removeAllListeners']>) => {
        removeAll(...args);
        if (args[0] === undefined || args[0] === 'error') socket.on('error', keepAlive);
        return socket;
      }) as Socket['removeAllListeners'];
    }, () => {});
    return d;
  };
  proto.__shubbakGuard = true;
}

export const CENTER_STREAM = 'CENTER_EVENTS';

/** An outbox row's kind: a public state's new value, a domain event, the open device alerts, a closed day's report facts. */
export type CentralKind = 'state' | 'event' | 'alerts' | 'report';

/** A center id as subject token: the config allows [a-z0-9-] (hub/config.ts), which NATS takes as is. */
export const centerSubject = (centerId: string, kind: CentralKind) => `centers.${centerId}.${kind}`;

/** Central deduplication key of one outbox row (the stream's Nats-Msg-Id). */
export const centralMsgId = (centerId: string, seq: number) => `${centerId}:${seq}`;

/** The duplicate window: a resend within it is dropped by the stream itself. */
export const DUPLICATE_WINDOW_MS = 2 * 3600_000;

export function centerStreamConfig(replicas = 3): Partial<StreamConfig> {
  return {
    name: CENTER_STREAM,
    subjects: ['centers.*.*'],
    storage: 'file' as StreamConfig['storage'],
    retention: 'limits' as StreamConfig['retention'],
    num_replicas: replicas,
    duplicate_window: DUPLICATE_WINDOW_MS * 1_000_000, // nanoseconds
    discard: 'old' as StreamConfig['discard'],
    max_age: 0,
  };
}

/** Create the stream, or bring an existing one's settings to these; returns its config as stored. */
export async function ensureCenterStream(jsm: JetStreamManager, replicas = 3): Promise<StreamConfig> {
  const want = centerStreamConfig(replicas);
  try {
    const info = await jsm.streams.info(CENTER_STREAM);
    return (await jsm.streams.update(CENTER_STREAM, { ...info.config, ...want })).config;
  } catch (err) {
    if (!/stream not found/i.test((err as Error).message)) throw err;
    return (await jsm.streams.add(want)).config;
  }
}
