// Issue 16 item 3: a device's presence (online/offline as its connection comes and goes) is
// written in one transaction per turn of the event loop, not one commit with an fsync per
// connection: 200 devices reconnecting after a network cut held every command behind ~200
// fsyncs. The bus hears of each device after the commit that holds its presence.
// Real hub, real SQLite, real mqtt.js clients over TCP.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mqtt from 'mqtt';
import { startTestHub } from '../helpers/hub.ts';

describe('device presence under a reconnect storm', () => {
  test('many devices connecting at once are recorded in shared transactions, and heard after the commit', async (t) => {
    const hub = await startTestHub(t);
    const { ctx } = hub;
    const N = 30;
    const secrets = new Map<string, string>();
    ctx.uow.run(() => {
      for (let i = 0; i < N; i++) {
        const id = `storm-kiosk-${i}`;
        secrets.set(id, ctx.devices.register({ id, kind: 'kiosk', binding: { buttons: [{ key: 0, line: 'A' }] } }).secret);
      }
    });
    // Each presence write: inside a transaction or not (autocommit: one fsync each).
    const writes: { id: string; online: boolean; inside: boolean }[] = [];
    const seen = ctx.devices.seen.bind(ctx.devices);
    ctx.devices.seen = (id, online, fw) => {
      writes.push({ id, online, inside: ctx.uow.inside });
      seen(id, online, fw);
    };
    // When the bus tells of a device, its presence is already in the database.
    const heard: { id: string; online: boolean | undefined }[] = [];
    const onSeen = (id: string) => heard.push({ id, online: ctx.devices.info(id)?.online });
    ctx.bus.on('deviceSeen', onSeen);
    t.after(() => ctx.bus.off('deviceSeen', onSeen));

    const clients = await Promise.all([...secrets].map(([id, secret]) => mqtt.connectAsync(hub.mqttUrl, { clientId: id, username: id, password: secret, protocolVersion: 4, reconnectPeriod: 0 })));
    const until = async (pred: () => boolean) => {
      for (let i = 0; i < 200 && !pred(); i++) await new Promise((r) => setTimeout(r, 10));
      assert.ok(pred());
    };
    await until(() => [...secrets.keys()].every((id) => ctx.devices.info(id)?.online === true));
    const online = writes.filter((w) => w.id.startsWith('storm-') && w.online);
    assert.equal(online.length, N);
    assert.deepEqual(online.filter((w) => !w.inside).map((w) => w.id), [], 'every presence write inside a transaction');
    await until(() => heard.filter((h) => h.id.startsWith('storm-')).length >= N);
    assert.ok(heard.filter((h) => h.id.startsWith('storm-')).every((h) => h.online === true), 'heard after the commit');

    await Promise.all(clients.map((c) => c.endAsync()));
    await until(() => [...secrets.keys()].every((id) => ctx.devices.info(id)?.online === false));
    assert.ok(writes.filter((w) => w.id.startsWith('storm-') && !w.online).every((w) => w.inside));
  });
});
