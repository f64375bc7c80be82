// The broker's authenticate / authorize hooks: a device connects only as itself, with its
// secret, publishes only its own status, health and commands, and subscribes only to its
// own config and replies (a kiosk also its print requests) plus the public state
// (PROTOCOL.md, "Who may do what"; protocol/README.md).
// Identities for the outside (issue 13, item 2) publish nothing: an observer reads the
// outward topics and the clock, a bridge the outward topics only (protocol OUTWARD_FILTERS);
// neither ever sees a command, a reply or a config.
import type { AuthenticateError, Client, PublishPacket, Subscription } from 'aedes';
import { isOutsideKind, isOutwardTopic, OUTWARD_FILTERS, parseTopic, topics, type IdentityKind } from '@shubbak/protocol';

export type CredentialCheck = (id: string, secret: string) => boolean;
/** The registered kind of an identity (device, observer, bridge); null when unknown. */
export type KindOf = (id: string) => IdentityKind | null;

/** The hub's own identity: client ids 'hub' and 'hub.{suffix}'. */
export const HUB_ID = 'hub';

const NOT_AUTHORIZED = 5;

function refused(message: string): AuthenticateError {
  return Object.assign(new Error(message), { returnCode: NOT_AUTHORIZED }) as AuthenticateError;
}

export function authenticate(check: CredentialCheck) {
  return (client: Client, username: Readonly<string | undefined>, password: Readonly<Buffer | undefined>,
    done: (error: AuthenticateError | null, success: boolean | null) => void): void => {
    // The client id must be the device id (or '{id}.{suffix}' for a second connection of
    // the same device, e.g. mosquitto_sub beside mosquitto_pub): the ACL trusts the id.
    if (!username || !password || deviceIdOf(client.id) !== username) return done(refused('not authorized'), false);
    if (!check(username, password.toString('utf8'))) return done(refused('not authorized'), false);
    done(null, true);
  };
}

/** The device a client id belongs to: 'kiosk-1' and 'kiosk-1.sub' are both kiosk-1. */
export function deviceIdOf(clientId: string): string {
  const dot = clientId.indexOf('.');
  return dot < 0 ? clientId : clientId.slice(0, dot);
}

const DEVICE_MAY_PUBLISH = new Set(['status', 'health', 'commands']);

export function mayPublish(clientId: string, kind: IdentityKind | null, topic: string): boolean {
  if (clientId === HUB_ID) return true;
  if (!kind || isOutsideKind(kind)) return false; // observers and bridges only read
  const t = parseTopic(topic);
  return t?.kind === 'device' && t.deviceId === clientId && DEVICE_MAY_PUBLISH.has(t.sub);
}

/** Public topics any device may subscribe to, as filters or as single topics. */
const PUBLIC_FILTERS = new Set([
  topics.allWindowStates(), topics.allLineStates(), topics.hallAll(), topics.hallCalls(), topics.hallAnnounce(), topics.clock(),
]);
const OUTWARD = new Set(OUTWARD_FILTERS);

/** clientId: the identity (device id, 'hub'); kind: its registered kind. */
export function maySubscribe(clientId: string, kind: IdentityKind | null, filter: string): boolean {
  if (clientId === HUB_ID) return true;
  if (!kind) return false;
  if (isOutsideKind(kind)) {
    // A filter exactly as listed, or one topic of the outward set (no other wildcard).
    if (OUTWARD.has(filter)) return true;
    if (kind === 'observer' && filter === topics.clock()) return true;
    return !/[+#]/.test(filter) && isOutwardTopic(filter);
  }
  if (PUBLIC_FILTERS.has(filter)) return true;
  const t = parseTopic(filter); // wildcards other than the public filters above never parse
  if (!t) return false;
  // A kiosk also reads its own print requests (devices/{id}/print, issue 14 item 2).
  if (t.kind === 'device') return t.deviceId === clientId && (t.sub === 'config' || t.sub === 'replies' || (t.sub === 'print' && kind === 'kiosk'));
  return t.kind === 'windowState' || t.kind === 'lineState' || t.kind === 'hallCalls' || t.kind === 'hallAnnounce' || t.kind === 'clock';
}

/** The authorize hooks for aedes, asking the registry for each identity's kind. */
export function createAccess(kindOf: KindOf) {
  const kindOfClient = (clientId: string) => {
    const id = deviceIdOf(clientId);
    return id === HUB_ID ? null : kindOf(id);
  };
  return {
    authorizePublish(client: Client | null, packet: PublishPacket, callback: (error?: Error | null) => void): void {
      // client is null only for a will that aedes publishes for a client long gone: it was
      // authorized when that client connected (storeWill runs after authenticate).
      if (!client) return callback(null);
      if (mayPublish(deviceIdOf(client.id), kindOfClient(client.id), packet.topic)) return callback(null);
      // MQTT 3.1.1 has no way to refuse one PUBLISH: the broker closes the connection.
      callback(new Error(`${client.id} may not publish to ${packet.topic}`));
    },
    authorizeSubscribe(client: Client, sub: Subscription, callback: (error: Error | null, subscription?: Subscription | null) => void): void {
      // A null subscription answers that filter with a failure code, keeping the connection.
      callback(null, maySubscribe(deviceIdOf(client.id), kindOfClient(client.id), sub.topic) ? sub : null);
    },
  };
}
