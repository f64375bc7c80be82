// Every MQTT topic of the device contract (PROTOCOL.md). This is the only file that
// spells topic strings: everyone else builds and parses them through these functions.

export const ROOT = 'shubbak/v1';

export const DEVICE_ID = /^[a-z0-9-]{1,40}$/;
export const LINE_LETTER = /^[A-Z]$/;

export const isDeviceId = (id: string): boolean => DEVICE_ID.test(id);
export const isLineLetter = (l: string): boolean => LINE_LETTER.test(l);
export const isWindowNumber = (n: number): boolean => Number.isInteger(n) && n >= 1 && n <= 999;

export const topics = {
  deviceStatus: (id: string) => `${ROOT}/devices/${id}/status`,
  deviceHealth: (id: string) => `${ROOT}/devices/${id}/health`,
  deviceCommands: (id: string) => `${ROOT}/devices/${id}/commands`,
  deviceReplies: (id: string) => `${ROOT}/devices/${id}/replies`,
  deviceConfig: (id: string) => `${ROOT}/devices/${id}/config`,
  /**
   * Hub → kiosk, not retained, QoS 1: print a ticket the hub issued as this kiosk from its
   * touch screen (issue 14 item 2; payload PrintRequest, protocol/commands.ts). An addition to v1.
   */
  devicePrint: (id: string) => `${ROOT}/devices/${id}/print`,
  windowState: (n: number) => `${ROOT}/windows/${n}/state`,
  lineState: (letter: string) => `${ROOT}/lines/${letter}/state`,
  hallCalls: () => `${ROOT}/hall/calls`,
  hallAnnounce: () => `${ROOT}/hall/announce`,
  clock: () => `${ROOT}/clock`,
  /** Retained while the device has open alerts (hub → observers); cleared when none is left. */
  deviceAlerts: (id: string) => `${ROOT}/alerts/${id}`,
  allAlerts: () => `${ROOT}/alerts/#`,
  /** Subscription filters a device uses for the public state. */
  allWindowStates: () => `${ROOT}/windows/+/state`,
  allLineStates: () => `${ROOT}/lines/+/state`,
  hallAll: () => `${ROOT}/hall/#`,
  allDeviceStatus: () => `${ROOT}/devices/+/status`,
  allDeviceHealth: () => `${ROOT}/devices/+/health`,
  allDeviceCommands: () => `${ROOT}/devices/+/commands`,
  /**
   * The hub's own presence (issue 13): retained `{"online":true,"center":…,"version":…,"at":…}`
   * from its start, `{"online":false,…}` on a clean stop. See protocol/README.md "Beyond one center".
   */
  hubStatus: () => `${ROOT}/hub/status`,
} as const;

/**
 * What a center shows the outside (issue 13, item 2): state, presence, announcements, open
 * alerts and the hub's status — never commands, replies or configs. The filters an
 * observer or a bridge may subscribe to (hub/broker/access.ts) and a bridge mirrors.
 */
export const OUTWARD_FILTERS: readonly string[] = [
  topics.allWindowStates(), topics.allLineStates(), topics.hallAll(), topics.allDeviceStatus(), topics.allDeviceHealth(),
  topics.allAlerts(), topics.hubStatus(),
];

export type DeviceTopicKind = 'status' | 'health' | 'commands' | 'replies' | 'config' | 'print';

export type ParsedTopic =
  | { kind: 'device'; sub: DeviceTopicKind; deviceId: string }
  | { kind: 'windowState'; window: number }
  | { kind: 'lineState'; line: string }
  | { kind: 'hallCalls' }
  | { kind: 'hallAnnounce' }
  | { kind: 'clock' }
  | { kind: 'alerts'; deviceId: string }
  | { kind: 'hubStatus' };

const DEVICE_SUBS = new Set<DeviceTopicKind>(['status', 'health', 'commands', 'replies', 'config', 'print']);

/** Topic string → what it names, or null for anything outside the contract. */
export function parseTopic(topic: string): ParsedTopic | null {
  if (!topic.startsWith(ROOT + '/')) return null;
  const parts = topic.slice(ROOT.length + 1).split('/');
  const [a, b, c] = parts;
  if (parts.length === 3 && a === 'devices' && isDeviceId(b) && DEVICE_SUBS.has(c as DeviceTopicKind)) {
    return { kind: 'device', sub: c as DeviceTopicKind, deviceId: b };
  }
  if (parts.length === 3 && a === 'windows' && c === 'state' && /^[1-9][0-9]{0,2}$/.test(b)) {
    return { kind: 'windowState', window: Number(b) };
  }
  if (parts.length === 3 && a === 'lines' && c === 'state' && isLineLetter(b)) {
    return { kind: 'lineState', line: b };
  }
  if (parts.length === 2 && a === 'hall' && b === 'calls') return { kind: 'hallCalls' };
  if (parts.length === 2 && a === 'hall' && b === 'announce') return { kind: 'hallAnnounce' };
  if (parts.length === 1 && a === 'clock') return { kind: 'clock' };
  if (parts.length === 2 && a === 'alerts' && isDeviceId(b)) return { kind: 'alerts', deviceId: b };
  if (parts.length === 2 && a === 'hub' && b === 'status') return { kind: 'hubStatus' };
  return null;
}

/** A topic (not a filter) the outside may read: see OUTWARD_FILTERS. */
export function isOutwardTopic(topic: string): boolean {
  const t = parseTopic(topic);
  if (!t) return false;
  if (t.kind === 'device') return t.sub === 'status' || t.sub === 'health';
  return t.kind !== 'clock';
}
