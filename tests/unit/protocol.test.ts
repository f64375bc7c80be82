import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isOutwardTopic, parseTopic, topics, validate, validateCommand, MAX_PAYLOAD_BYTES } from '@shubbak/protocol';
import { mayPublish, maySubscribe } from '../../hub/broker/access.ts';

describe("the protocol's topics and schemas", () => {
  test('topics build and parse back', () => {
    assert.equal(topics.windowState(3), 'shubbak/v1/windows/3/state');
    assert.deepEqual(parseTopic(topics.windowState(3)), { kind: 'windowState', window: 3 });
    assert.deepEqual(parseTopic(topics.lineState('A')), { kind: 'lineState', line: 'A' });
    assert.deepEqual(parseTopic(topics.deviceCommands('kiosk-1')), { kind: 'device', sub: 'commands', deviceId: 'kiosk-1' });
    assert.deepEqual(parseTopic(topics.hallCalls()), { kind: 'hallCalls' });
    assert.deepEqual(parseTopic(topics.clock()), { kind: 'clock' });
    for (const bad of ['shubbak/v1/windows/0/state', 'shubbak/v1/windows/x/state', 'shubbak/v1/lines/a/state', 'shubbak/v2/clock',
      'shubbak/v1/devices/Kiosk/status', 'shubbak/v1/devices/k/other', 'shubbak/v1/#', 'shubbak/v1/windows/+/state', 'shubbak/v1/clock/x']) {
      assert.equal(parseTopic(bad), null, bad);
    }
  });

  test('validate returns typed messages or structured errors', () => {
    const ok = validate(topics.deviceCommands('kiosk-1'), JSON.stringify({ id: 'abcdefgh', type: 'ticket.issue', line: 'A', at: 1 }));
    assert.equal(ok.ok, true);
    assert.ok(ok.ok && ok.message.kind === 'command' && ok.message.payload.type === 'ticket.issue');

    const wrong = validate(topics.deviceCommands('kiosk-1'), JSON.stringify({ id: 'abcdefgh', type: 'ticket.issue', line: 'AA', at: 1 }));
    assert.ok(!wrong.ok && wrong.error.code === 'BAD_REQUEST' && wrong.error.commandId === 'abcdefgh');
    assert.ok(!wrong.ok && wrong.error.details.some((d) => d.path === '/line'));

    const unknown = validate(topics.deviceCommands('kiosk-1'), JSON.stringify({ id: 'abcdefgh', type: 'nope', at: 1 }));
    assert.ok(!unknown.ok && unknown.error.code === 'UNKNOWN_COMMAND');
    const shortId = validateCommand({ id: 'short', type: 'window.next', at: 1 });
    assert.ok(!shortId.ok && shortId.error.code === 'BAD_REQUEST' && shortId.error.commandId === null);
    const noType = validateCommand({ id: 'abcdefgh', at: 1 });
    assert.ok(!noType.ok && noType.error.code === 'BAD_REQUEST');
    const transferNoLine = validateCommand({ id: 'abcdefgh', type: 'window.transfer', at: 1 });
    assert.ok(!transferNoLine.ok);
    const cancelReason = validateCommand({ id: 'abcdefgh', type: 'ticket.cancel', number: 'A012', reason: 'bored', at: 1 });
    assert.ok(!cancelReason.ok, 'only print-failed is a reason');

    assert.ok(!validate(topics.deviceStatus('kiosk-1'), '{"online":true}').ok, 'online status needs kind and fw');
    assert.ok(validate(topics.deviceStatus('kiosk-1'), '{"online":false}').ok);
    assert.ok(validate(topics.deviceHealth('kiosk-1'), '{"printer":"paper-out","temp":41}').ok);
    assert.ok(!validate(topics.deviceHealth('kiosk-1'), '{"printer":"jammed"}').ok);
    assert.ok(!validate('shubbak/v1/nowhere', '{}').ok);
    assert.ok(!validate(topics.clock(), 'null').ok);
    assert.ok(!validate(topics.clock(), '"x"').ok);
    const big = validate(topics.deviceHealth('kiosk-1'), JSON.stringify({ pad: 'x'.repeat(MAX_PAYLOAD_BYTES) }));
    assert.ok(!big.ok && /more than 4096/.test(big.error.message));
    const ws = validate(topics.windowState(2), JSON.stringify({ window: 2, label: 'شباك 2', status: 'serving', ticket: 'A001', line: 'A', calledAt: 5, seq: 3 }));
    assert.ok(ws.ok && ws.message.kind === 'windowState' && ws.message.window === 2);
  });
});

// Hub → kiosk: print a ticket issued at the kiosk's touch screen (issue 14 item 2).
describe('the print request (devices/{id}/print)', () => {
  const ticket = { number: 'A012', line: 'A', lineName: 'استلام الطلبات', ahead: 3, estimatedWaitMin: 9, issuedAt: 1_700_000_000_000, link: 'https://hub/t/abc' };

  test('its topic parses back; its payload is an IssuedTicket with the hub time, and nothing else fits', () => {
    assert.equal(topics.devicePrint('kiosk-1'), 'shubbak/v1/devices/kiosk-1/print');
    assert.deepEqual(parseTopic(topics.devicePrint('kiosk-1')), { kind: 'device', sub: 'print', deviceId: 'kiosk-1' });
    const ok = validate(topics.devicePrint('kiosk-1'), JSON.stringify({ ticket, at: 5 }));
    assert.ok(ok.ok && ok.message.kind === 'print' && ok.message.deviceId === 'kiosk-1' && ok.message.payload.ticket.number === 'A012');
    for (const bad of [{ ticket }, { ticket: { ...ticket, line: 'a' }, at: 5 }, { ticket: { number: 'A012' }, at: 5 }, { at: 5 }]) {
      const v = validate(topics.devicePrint('kiosk-1'), JSON.stringify(bad));
      assert.ok(!v.ok && v.error.code === 'BAD_REQUEST', JSON.stringify(bad));
    }
  });

  test('a kiosk reads only its own; no device may publish one; it never goes outward', () => {
    assert.equal(maySubscribe('kiosk-1', 'kiosk', topics.devicePrint('kiosk-1')), true);
    assert.equal(maySubscribe('kiosk-1', 'kiosk', topics.devicePrint('kiosk-2')), false);
    assert.equal(maySubscribe('kiosk-1', 'kiosk', 'shubbak/v1/devices/+/print'), false);
    assert.equal(maySubscribe('keypad-1', 'keypad', topics.devicePrint('keypad-1')), false, 'only a kiosk prints');
    assert.equal(maySubscribe('obs-1', 'observer', topics.devicePrint('kiosk-1')), false);
    assert.equal(mayPublish('kiosk-1', 'kiosk', topics.devicePrint('kiosk-1')), false, 'a kiosk cannot ask itself (or another) to print');
    assert.equal(mayPublish('hub', null, topics.devicePrint('kiosk-1')), true);
    assert.equal(isOutwardTopic(topics.devicePrint('kiosk-1')), false);
  });
});
