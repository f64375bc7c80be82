// Issue 15, fault 8: in the default demo, anyone on the center's network could open /sim
// and, without signing in, issue tickets, call and no-show citizens, pause a window and
// set the kiosk out of paper. /sim now answers only loopback clients and a signed-in
// administrator (whose presses carry the CSRF token).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestHub } from '../helpers/hub.ts';
import { signIn } from '../helpers/staff.ts';
import { isLoopback } from '../../hub/sim/routes.ts';

const REMOTE = '192.168.1.50';

describe('who may open the simulator', () => {
  test('/sim refuses a visitor from the network, serves this machine and a signed-in administrator', async (t) => {
    const hub = await startTestHub(t, { config: { simulate: true } });
    const press = { device: 'kiosk-1', key: 0 };
    for (const req of [
      { method: 'GET' as const, url: '/sim' },
      { method: 'GET' as const, url: '/sim/page.js' },
      { method: 'GET' as const, url: '/sim/events' },
      { method: 'POST' as const, url: '/sim/press', payload: press },
      { method: 'POST' as const, url: '/sim/paper', payload: { device: 'kiosk-1', state: 'paper-out' } },
    ]) {
      const r = await hub.app.inject({ ...req, remoteAddress: REMOTE });
      assert.equal(r.statusCode, 403, `${req.method} ${req.url} from the network: ${r.statusCode}`);
      assert.equal(r.json().error.code, 'SIM_LOCAL_ONLY');
      assert.match(r.json().error.message, /[\u0600-\u06FF]/);
    }
    // A signed-in clerk is not enough.
    const clerk = await signIn(hub, 'intake');
    assert.equal((await clerk.inject({ method: 'GET', url: '/sim', remoteAddress: REMOTE })).statusCode, 403);

    // This machine: the page, and presses reach the simulator (not running here: 503, past the guard).
    assert.equal((await hub.app.inject({ method: 'GET', url: '/sim', remoteAddress: '127.0.0.1' })).statusCode, 200);
    assert.equal((await hub.app.inject({ method: 'GET', url: '/sim', remoteAddress: '::1' })).statusCode, 200);
    assert.equal((await hub.app.inject({ method: 'POST', url: '/sim/press', payload: press, remoteAddress: '127.0.0.1' })).statusCode, 503);

    // A signed-in administrator from the network: the page, and presses with the CSRF token only.
    const admin = await signIn(hub, 'admin');
    assert.equal((await admin.inject({ method: 'GET', url: '/sim', remoteAddress: REMOTE })).statusCode, 200);
    assert.equal((await admin.inject({ method: 'POST', url: '/sim/press', payload: press, remoteAddress: REMOTE })).statusCode, 503);
    const noCsrf = await admin.inject({ method: 'POST', url: '/sim/press', payload: press, remoteAddress: REMOTE, headers: { 'x-csrf-token': 'wrong' } });
    assert.equal(noCsrf.statusCode, 403);
  });

  test('loopback is 127.0.0.0/8 and ::1 (also IPv4-mapped), nothing else', () => {
    for (const ip of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1']) assert.equal(isLoopback(ip), true, ip);
    for (const ip of ['192.168.1.50', '10.0.0.1', '::ffff:192.168.1.5', '0.0.0.0', '', undefined, '127.0.0.1.evil']) assert.equal(isLoopback(ip), false, String(ip));
  });
});
