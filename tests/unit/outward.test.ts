// The outside's view of a center (issue 13, item 2), as pure rules: which topics are
// outward, what each identity may publish and subscribe to (hub/broker/access.ts), and the
// Mosquitto bridge section protocol/README.md shows (hub/broker/bridge-config.ts writes it).
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isOutwardTopic, OUTWARD_FILTERS, topics, validate } from '@shubbak/protocol';
import { mayPublish, maySubscribe } from '../../hub/broker/access.ts';
import { bridgeConfig } from '../../hub/broker/bridge-config.ts';

describe("the outside's view of a center", () => {
  test('outward topics: state, presence, announcements, alerts and the hub status; never commands, replies, configs or the clock', () => {
    for (const t of [topics.windowState(3), topics.lineState('A'), topics.hallCalls(), topics.hallAnnounce(), topics.deviceStatus('kiosk-1'),
      topics.deviceHealth('kiosk-1'), topics.deviceAlerts('led-2'), topics.hubStatus()]) assert.equal(isOutwardTopic(t), true, t);
    for (const t of [topics.deviceCommands('kiosk-1'), topics.deviceReplies('kiosk-1'), topics.deviceConfig('kiosk-1'), topics.clock(),
      'shubbak/v1/hub/other', 'shubbak/v1/alerts/Bad_Id', '$shubbak/dropped']) assert.equal(isOutwardTopic(t), false, t);
  });

  test('who may do what: devices as before, observers and bridges read only, the hub everything', () => {
    for (const kind of ['observer', 'bridge'] as const) {
      for (const t of [topics.deviceCommands('x'), topics.deviceStatus('x'), topics.windowState(1), topics.hubStatus()]) assert.equal(mayPublish('x', kind, t), false, `${kind} publishes ${t}`);
      for (const f of OUTWARD_FILTERS) assert.equal(maySubscribe('x', kind, f), true, `${kind} reads ${f}`);
      for (const f of ['#', 'shubbak/v1/#', topics.allDeviceCommands(), 'shubbak/v1/devices/+/replies', 'shubbak/v1/devices/+/config',
        topics.deviceReplies('x'), topics.deviceConfig('x'), 'shubbak/v1/+/+/state']) assert.equal(maySubscribe('x', kind, f), false, `${kind} reads ${f}`);
    }
    assert.equal(maySubscribe('x', 'observer', topics.clock()), true);
    assert.equal(maySubscribe('x', 'bridge', topics.clock()), false);
    // Devices: unchanged (PROTOCOL.md), and no alerts or other devices' status.
    assert.equal(mayPublish('kiosk-1', 'kiosk', topics.deviceCommands('kiosk-1')), true);
    assert.equal(mayPublish('kiosk-1', 'kiosk', topics.deviceCommands('kiosk-2')), false);
    assert.equal(maySubscribe('kiosk-1', 'kiosk', topics.deviceReplies('kiosk-1')), true);
    assert.equal(maySubscribe('kiosk-1', 'kiosk', topics.allAlerts()), false);
    assert.equal(maySubscribe('kiosk-1', 'kiosk', topics.deviceAlerts('kiosk-1')), false);
    assert.equal(maySubscribe('kiosk-1', 'kiosk', topics.allDeviceStatus()), false);
    // An id the registry does not know may do nothing.
    assert.equal(maySubscribe('ghost', null, topics.windowState(1)), false);
    assert.equal(mayPublish('ghost', null, topics.deviceStatus('ghost')), false);
    assert.equal(maySubscribe('hub', null, '#'), true);
  });

  test('hub/status payloads validate; a wrong center id does not', () => {
    assert.equal(validate(topics.hubStatus(), JSON.stringify({ online: true, center: 'giza-dokki', version: '0.1.0', at: 1 })).ok, true);
    assert.equal(validate(topics.hubStatus(), JSON.stringify({ online: true, center: 'Giza Dokki', version: '0.1.0', at: 1 })).ok, false);
  });

  test("protocol/README.md's bridge section is exactly what bridgeConfig writes", () => {
    const readme = fs.readFileSync(path.join(import.meta.dirname, '../../protocol/README.md'), 'utf8');
    const block = /\*\*A Mosquitto bridge\*\*[\s\S]*?```\n([\s\S]*?)\n```/.exec(readme)?.[1];
    assert.ok(block, 'the README shows a bridge section');
    assert.equal(block, bridgeConfig({ centerId: 'giza-dokki', hub: '<hub address>:1883', clientId: 'gov-bridge.central', username: 'gov-bridge', password: "<the bridge's secret>" }));
  });
});
