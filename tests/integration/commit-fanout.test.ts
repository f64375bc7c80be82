// Issue 12, item 6: one change fan-out per commit. What a committed transaction changed is
// handed on after the commit; a listener that fails there (a bug in a panel feed, a broken
// publish) is logged and changes nothing that was answered: the command did commit, so its
// device must hear ok — an INTERNAL would make it retry a command that was executed.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { topics, type Reply } from '@shubbak/protocol';
import { CommandDispatcher } from '../../hub/broker/dispatch.ts';
import { startTestHub } from '../helpers/hub.ts';
import { serviceContext } from '../helpers/services.ts';
import { staffActor } from '../../hub/domain/actor.ts';

type Sent = { deviceId: string; reply: Reply };

describe('one change fan-out per commit', () => {
  test('a commit listener that throws does not change the reply of the batch that committed', async (t) => {
    // Service level: the dispatcher over the context, no broker (its replies are collected).
    const ctx = await serviceContext(t);
    const sent: Sent[] = [];
    const d = new CommandDispatcher(ctx, (deviceId, reply) => sent.push({ deviceId, reply }), { error: () => {} });
    const failures: unknown[] = [];
    ctx.commits.subscribe(() => {
      throw new Error('a broken listener');
    }, (err) => failures.push(err));
    const now = ctx.clock();
    d.submit('kiosk-1', Buffer.from(JSON.stringify({ id: 'fanout-issue-1', type: 'ticket.issue', line: 'A', at: now })));
    d.submit('kiosk-1', Buffer.from(JSON.stringify({ id: 'fanout-issue-2', type: 'ticket.issue', line: 'B', at: now })));
    d.flush();
    assert.deepEqual(sent.map((s) => [s.reply.id, s.reply.ok]), [['fanout-issue-1', true], ['fanout-issue-2', true]], JSON.stringify(sent));
    assert.equal(ctx.db.prepare('SELECT count(*) FROM tickets').pluck().get(), 2);
    // A repeat of the id gets the same (ok) answer from the command log, not a second ticket.
    d.submit('kiosk-1', Buffer.from(JSON.stringify({ id: 'fanout-issue-1', type: 'ticket.issue', line: 'A', at: now })));
    d.flush();
    assert.equal(sent[2].reply.ok, true);
    assert.equal(ctx.db.prepare('SELECT count(*) FROM tickets').pluck().get(), 2);
    assert.equal(failures.length, 1, 'one commit, its failure went to the listener\'s own error handler (the repeat commits nothing)');
  });

  test('a commit listener that throws does not fail the service call, nor starve the other listeners', async (t) => {
    const hub = await startTestHub(t);
    const failures: unknown[] = [];
    hub.ctx.commits.subscribe(() => {
      throw new Error('a broken listener');
    }, (err) => failures.push(err));
    const seen: number[][] = [];
    hub.ctx.commits.subscribe((p) => seen.push([...p.changes.windows]));
    // An HTTP-side write (the clerk's panel) goes through the same commit.
    const state = hub.ctx.queue.pause(2, staffActor({ id: 1 }));
    assert.equal(state.status, 'paused');
    assert.deepEqual(seen, [[2]]);
    assert.equal(failures.length, 1);
    // … and the board still gets the new state over MQTT (the publisher is a listener too).
    const board = await hub.rawClient({ clientId: 'led-3', username: 'led-3', password: hub.secretOf('led-3') });
    const got = new Promise<string>((resolve) => board.on('message', (_t, p) => {
      const s = JSON.parse(p.toString()) as { status: string };
      if (s.status === 'paused') resolve(s.status);
    }));
    await board.subscribeAsync(topics.windowState(3), { qos: 1 });
    hub.ctx.queue.pause(3, staffActor({ id: 1 }));
    assert.equal(await got, 'paused');
  });

  test("binding changes travel in the commit: a window's new lines reach its keypad's config, once per commit", async (t) => {
    const hub = await startTestHub(t);
    const keypad = await hub.rawClient({ clientId: 'keypad-1', username: 'keypad-1', password: hub.secretOf('keypad-1') });
    const configs: { lines?: string[] }[] = [];
    keypad.on('message', (_t, p) => p.length && configs.push(JSON.parse(p.toString()) as { lines?: string[] }));
    await keypad.subscribeAsync(topics.deviceConfig('keypad-1'), { qos: 1 });
    await waitFor(() => configs.length === 1);
    assert.deepEqual(configs[0].lines, ['A']);
    const projected: string[][] = [];
    hub.ctx.commits.subscribe((p) => projected.push(p.deviceIds()));
    // The command path reads the cached config: it must not serve the old binding after the commit.
    hub.ctx.queue.saveWindow({ number: 1, labelAr: 'شباك 1', labelEn: 'Window 1', lines: ['A', 'B'] });
    assert.deepEqual((hub.ctx.devices.configOf('keypad-1') as { lines: string[] }).lines, ['A', 'B']);
    assert.equal(projected.length, 1);
    assert.ok(projected[0].includes('keypad-1') && projected[0].includes('kiosk-1'), JSON.stringify(projected));
    await waitFor(() => configs.length === 2);
    assert.deepEqual(configs[1].lines, ['A', 'B']);
    // A binding change that rolls back changes nothing anyone sees.
    assert.throws(() => hub.ctx.uow.run(() => {
      hub.ctx.queue.saveWindow({ number: 1, labelAr: 'شباك 1', labelEn: 'Window 1', lines: ['C'] });
      throw new Error('rolled back');
    }));
    assert.equal(projected.length, 1);
    assert.deepEqual((hub.ctx.devices.configOf('keypad-1') as { lines: string[] }).lines, ['A', 'B']);
  });

  async function waitFor(pred: () => boolean, ms = 5000): Promise<void> {
    const end = Date.now() + ms;
    while (!pred()) {
      if (Date.now() > end) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 10));
    }
  }
});
