// The hub's own presence on shubbak/v1/hub/status (issue 13, item 2): retained
// `{"online":true,"center":…,"version":…,"at":…}` once the retained state is out at start,
// `{"online":false,…}` on a clean stop, before the broker closes, so connected observers
// and bridges get it live and the central copy keeps it.
//
// What "will" means for an embedded broker: the hub cannot leave a last will with itself,
// and when it dies its broker dies with it. So a direct subscriber learns it from its own
// connection dropping, and a bridge from its link's notification (centers/{center}/bridge/state
// "0": hub/broker/bridge-config.ts); the retained "online" a central broker still holds then
// is read together with that notification. After a crash the next start says online again.
import { topics, type HubStatus } from '@shubbak/protocol';
import hubPackage from '../package.json' with { type: 'json' };
import type { Clock } from '../domain/time.ts';
import type { HubBroker } from './broker.ts';

export const HUB_VERSION: string = hubPackage.version;

export function hubStatus(online: boolean, centerId: string, at: number): HubStatus {
  return { online, center: centerId, version: HUB_VERSION, at };
}

export function publishHubStatus(broker: HubBroker, centerId: string, clock: Clock, online: boolean): Promise<void> {
  return broker.publish(topics.hubStatus(), JSON.stringify(hubStatus(online, centerId, clock())), { qos: 1, retain: true });
}
