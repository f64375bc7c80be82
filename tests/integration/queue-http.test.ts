// The queue over HTTP, as the staff panels use it, and MQTT over WebSocket.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mqtt from 'mqtt';
import { topics, type WindowState } from '@shubbak/protocol';
import { Recorder, startTestHub } from '../helpers/hub.ts';
import { signIn } from '../helpers/staff.ts';

describe('the queue over HTTP and MQTT over WebSocket', () => {
  test('reception issues a ticket; a repeated Idempotency-Key returns the same ticket', async (t) => {
    const hub = await startTestHub(t);
    const reception = await signIn(hub, 'reception');
    const issue = (key?: string) =>
      reception.inject({ method: 'POST', url: '/api/tickets', payload: { line: 'C', priority: true }, headers: key ? { 'idempotency-key': key } : {} });
    const r1 = await issue('panel-key-0001');
    assert.equal(r1.statusCode, 200, r1.body);
    assert.equal(r1.json().ticket.number, 'C001');
    assert.equal(r1.json().ticket.priority, true);
    const r2 = await issue('panel-key-0001');
    assert.deepEqual(r2.json(), r1.json());
    assert.equal((await issue()).json().ticket.number, 'C002');
    assert.equal((hub.ctx.db.prepare('SELECT count(*) AS n FROM tickets').get() as { n: number }).n, 2);
  });

  test('bad input: 400 with Arabic field messages, 404, 409, 413 — and nothing changes', async (t) => {
    const hub = await startTestHub(t);
    const reception = await signIn(hub, 'reception');
    const bad = await reception.inject({ method: 'POST', url: '/api/tickets', payload: { line: 'a', extra: 1 } });
    assert.equal(bad.statusCode, 400);
    const body = bad.json();
    assert.equal(body.error.code, 'VALIDATION');
    assert.match(body.error.message, /[\u0600-\u06FF]/);
    assert.ok(body.error.details.length >= 1);
    const unknownLine = await reception.inject({ method: 'POST', url: '/api/tickets', payload: { line: 'Q' } });
    assert.equal(unknownLine.statusCode, 404);
    assert.equal(unknownLine.json().error.code, 'NOT_FOUND');
    const manager = await signIn(hub, 'manager');
    assert.equal((await manager.inject({ method: 'PATCH', url: '/api/lines/B', payload: { open: false } })).statusCode, 200);
    const closed = await reception.inject({ method: 'POST', url: '/api/tickets', payload: { line: 'B' } });
    assert.equal(closed.statusCode, 409);
    assert.equal(closed.json().error.code, 'LINE_CLOSED');
    const huge = await reception.inject({ method: 'POST', url: '/api/tickets', payload: JSON.stringify({ line: 'A', pad: 'x'.repeat(100_000) }), headers: { 'content-type': 'application/json' } });
    assert.equal(huge.statusCode, 413);
    assert.equal(huge.json().error.code, 'TOO_LARGE');
    const noWindow = await manager.inject({ method: 'POST', url: '/api/windows/99/next' });
    assert.equal(noWindow.statusCode, 404);
    const notJson = await reception.inject({ method: 'POST', url: '/api/tickets', payload: '{"line":', headers: { 'content-type': 'application/json' } });
    assert.equal(notJson.statusCode, 400);
    assert.equal((hub.ctx.db.prepare('SELECT count(*) AS n FROM tickets').get() as { n: number }).n, 0);
  });

  test('a call made from a panel reaches the LED boards over MQTT at once', async (t) => {
    const hub = await startTestHub(t);
    const reception = await signIn(hub, 'reception');
    await reception.inject({ method: 'POST', url: '/api/tickets', payload: { line: 'A' } });
    await reception.inject({ method: 'POST', url: '/api/tickets', payload: { line: 'A' } });
    const board = await hub.rawClient({ clientId: 'led-1', username: 'led-1', password: hub.secretOf('led-1') });
    const rec = new Recorder(board);
    await board.subscribeAsync([topics.windowState(1), topics.hallAnnounce()], { qos: 1 });
    const intake = await signIn(hub, 'intake'); // sits at window 1
    const r = await intake.inject({ method: 'POST', url: '/api/windows/1/next' });
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(r.json().state.ticket, 'A001');
    assert.equal(r.json().queueEmpty, false);
    assert.equal((await rec.waitFor<WindowState>(topics.windowState(1), (s) => s.ticket === 'A001')).status, 'serving');
    await rec.waitFor(topics.hallAnnounce());
    // Start, transfer to the treasury, then the window is idle.
    assert.equal((await intake.inject({ method: 'POST', url: '/api/windows/1/start' })).statusCode, 200);
    const tr = await intake.inject({ method: 'POST', url: '/api/windows/1/transfer', payload: { toLine: 'B' } });
    assert.equal(tr.json().status, 'idle');
    // A clerk works only their own window; the manager may stand in anywhere.
    const other = await intake.inject({ method: 'POST', url: '/api/windows/2/next' });
    assert.equal(other.statusCode, 403);
    assert.equal(other.json().error.code, 'NOT_YOUR_WINDOW');
    const manager = await signIn(hub, 'manager');
    assert.equal((await manager.inject({ method: 'POST', url: '/api/windows/4/next' })).json().state.ticket, 'A001');
    const lines = (await manager.inject({ method: 'GET', url: '/api/lines' })).json();
    assert.equal(lines.find((l: { letter: string }) => l.letter === 'A').state.waiting, 1);
  });

  test('devices can use MQTT over WebSocket on the HTTP port', async (t) => {
    const hub = await startTestHub(t);
    const c = mqtt.connect(`ws://127.0.0.1:${hub.httpPort}/mqtt`, { clientId: 'kiosk-1', username: 'kiosk-1', password: hub.secretOf('kiosk-1'), protocolVersion: 4, reconnectPeriod: 0 });
    t.after(() => c.endAsync(true));
    await new Promise<void>((resolve, reject) => {
      c.once('connect', () => resolve());
      c.once('error', reject);
    });
    const rec = new Recorder(c);
    await c.subscribeAsync([topics.deviceReplies('kiosk-1'), topics.clock()], { qos: 1 });
    const { at } = await rec.waitFor<{ at: number }>(topics.clock());
    c.publish(topics.deviceCommands('kiosk-1'), JSON.stringify({ id: 'over-ws-0001', type: 'ticket.issue', line: 'D', at }), { qos: 1 });
    const reply = await rec.waitFor<{ ok: boolean; result: { ticket: { number: string } } }>(topics.deviceReplies('kiosk-1'));
    assert.equal(reply.ok, true);
    assert.equal(reply.result.ticket.number, 'D001');
  });

  test('OpenAPI describes the API at /docs', async (t) => {
    const hub = await startTestHub(t);
    const res = await hub.app.inject({ method: 'GET', url: '/docs/json' });
    assert.equal(res.statusCode, 200);
    const spec = res.json();
    assert.ok(spec.paths['/api/tickets'].post);
    assert.ok(spec.paths['/api/windows/{n}/next'].post);
    assert.ok(spec.paths['/api/devices'].post);
  });

  test('the administrator creates a window and changes the lines it serves; its keypad hears at once', async (t) => {
    const hub = await startTestHub(t);
    const keypad = await hub.device('keypad-3');
    assert.deepEqual(keypad.config && 'lines' in keypad.config ? keypad.config.lines : null, ['A', 'D']);
    const admin = await signIn(hub, 'admin');
    const changed = new Promise<unknown>((resolve) => keypad.on('config', (c) => c && 'lines' in c && c.lines?.join() === 'C' && resolve(c)));
    const r = await admin.inject({ method: 'PUT', url: '/api/windows/3', payload: { labelAr: 'شباك 3', labelEn: 'Window 3', lines: ['C'] } });
    assert.equal(r.statusCode, 200, r.body);
    await changed;
    const created = await admin.inject({ method: 'PUT', url: '/api/windows/7', payload: { labelAr: 'شباك 7', labelEn: 'Window 7', lines: ['B'] } });
    assert.equal(created.json().label, 'شباك 7');
    const windows = (await admin.inject({ method: 'GET', url: '/api/windows' })).json();
    assert.deepEqual(windows.find((w: { number: number }) => w.number === 7).lines, ['B']);
    const bad = await admin.inject({ method: 'PUT', url: '/api/windows/8', payload: { labelAr: 'x', labelEn: 'x', lines: ['Q'] } });
    assert.equal(bad.statusCode, 404);
    assert.equal((await admin.inject({ method: 'GET', url: '/api/windows' })).json().length, 7, 'nothing written on bad input');
    const reception = await signIn(hub, 'reception');
    assert.equal((await reception.inject({ method: 'PUT', url: '/api/windows/3', payload: { labelAr: 'x', labelEn: 'x', lines: ['A'] } })).statusCode, 403);
  });
});
