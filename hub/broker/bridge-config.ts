// The Mosquitto bridge section that mirrors one center's outward topics into a central
// broker (issue 13, items 1–2; protocol/README.md "Beyond one center"). Pure text: the operator pastes it into
// the central broker's config, and the tests start Debian's mosquitto with exactly this.
//
// Why each line (Mosquitto 2.0, mosquitto.conf(5)):
// - try_private true: connect with the bridge bit (protocol 0x84). The hub's broker then
//   marks the bridge's subscriptions retain-as-published, so live updates of retained state
//   arrive flagged retained and the central copy follows the center instead of freezing.
// - remote_clientid `{bridge id}.central`: a client id of the bridge identity's own, so the
//   bridge never takes over a device's connection (the hub accepts `{id}` or `{id}.{suffix}`
//   only with that id's credentials).
// - topic … in: the hub's side is read-only for a bridge; `in` only subscribes there. Each
//   outward filter is listed as it is (the hub refuses any other filter, e.g. `#`).
// - notifications local-only, on centers/{center}/bridge/state: "1" while the link is up,
//   "0" when it drops — including when the hub dies and cannot say so itself. Published on
//   the central broker only: the bridge may not publish on the hub.
import { OUTWARD_FILTERS, ROOT } from '@shubbak/protocol';

export type BridgeConfigOptions = {
  centerId: string;
  /** host:port of the center's hub broker. */
  hub: string;
  clientId: string;
  username: string;
  password: string;
  /** Defaults to every outward filter. */
  filters?: readonly string[];
  /** Seconds between reconnect attempts (Mosquitto's restart_timeout). */
  restartSeconds?: number;
};

/** Where a center's topics land on the central broker: centers/{center}/shubbak/v1/…. */
export function centralPrefix(centerId: string): string {
  return `centers/${centerId}/`;
}

export function bridgeConfig(o: BridgeConfigOptions): string {
  const filters = o.filters ?? OUTWARD_FILTERS;
  const lines = [
    `connection shubbak-${o.centerId}`,
    `address ${o.hub}`,
    'bridge_protocol_version mqttv311',
    'try_private true',
    `remote_clientid ${o.clientId}`,
    `remote_username ${o.username}`,
    `remote_password ${o.password}`,
    'cleansession true',
    'start_type automatic',
    `restart_timeout ${o.restartSeconds ?? 10}`,
    'notifications true',
    'notifications_local_only true',
    `notification_topic ${centralPrefix(o.centerId)}bridge/state`,
  ];
  for (const f of filters) {
    if (!f.startsWith(ROOT + '/')) throw new Error(`bridge filter outside ${ROOT}: ${f}`);
    // topic <pattern> in <qos> <local prefix> <remote prefix>: subscribes to remote prefix + pattern on the hub.
    lines.push(`topic ${f.slice(ROOT.length + 1)} in 1 ${centralPrefix(o.centerId)}${ROOT}/ ${ROOT}/`);
  }
  return lines.join('\n');
}
