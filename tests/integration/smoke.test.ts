import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestHub } from '../helpers/hub.ts';

describe('the hub starts and answers', () => {
  test('a kiosk issues a ticket and a keypad calls it', async (t) => {
    const hub = await startTestHub(t);
    const kiosk = await hub.device('kiosk-1');
    const r = await kiosk.request('ticket.issue', { line: 'A' });
    assert.equal(r.ok, true);
    const keypad = await hub.device('keypad-1');
    const n = await keypad.request('window.next', {});
    assert.equal(n.ok, true);
    assert.ok(n.ok && n.result.ticket === "A001");
  });
});
