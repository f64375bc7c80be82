// The link to the governorate's central tier over TLS (issue 13; hub/federation/central-link.ts):
// with tls:// URLs the hub forwards its outbox only to nodes whose certificate, for the
// URL's host, is signed by SHUBBAK_CENTRAL_NATS_CA; a node signed by another CA, or a node
// that offers no TLS, gets neither the center's password nor a single event, and the rows
// wait in the outbox (nothing is lost). Production refuses a central tier in clear, and a
// bad CA file stops the start before anything listens. Against Debian's nats-server
// (scripts/nats-cluster.ts with { tls: true }: client ports demand TLS).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect } from 'nats';
import { startNatsCluster, type NatsCluster } from '../../scripts/nats-cluster.ts';
import { startTestHub, tempDataDir, type TestHub } from '../helpers/hub.ts';
import { CENTER_STREAM } from '../../hub/federation/central-stream.ts';
import { ConfigError, checkMode, loadConfig } from '../../hub/config.ts';
import { startHub } from '../../hub/hub.ts';
import { makeCaCert, newPrivateKey } from '../../hub/tls/openssl.ts';

const CENTER = 'demo-center';

const unsent = (hub: TestHub) => (hub.ctx.db.prepare('SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL').get() as { n: number }).n;
const rows = (hub: TestHub) => (hub.ctx.db.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n;

async function cluster(t: import('node:test').TestContext, tls: boolean): Promise<NatsCluster> {
  const c = await startNatsCluster({ centers: [CENTER], tls });
  t.after(() => c.stop());
  await c.ready();
  await c.centerStream();
  return c;
}

/** This center's messages in the stream, read by the governorate's operator (over TLS when the tier has it). */
async function stored(c: NatsCluster): Promise<number> {
  const nc = await connect({ servers: c.natsUrls, timeout: 5000, ...c.admin, ...(c.tls ? { tls: c.tls } : {}) });
  try {
    const jsm = await nc.jetstreamManager({ timeout: 10_000 });
    const info = await jsm.streams.info(CENTER_STREAM, { subjects_filter: `centers.${CENTER}.>` });
    return Object.values(info.state.subjects ?? {}).reduce((a, b) => a + b, 0);
  } finally {
    await nc.close();
  }
}

async function work(hub: TestHub): Promise<void> {
  const kiosk = await hub.device('kiosk-1');
  for (let i = 0; i < 3; i++) await kiosk.command('ticket.issue', { line: 'A' });
}

async function until(what: string, cond: () => Promise<boolean> | boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** A CA that did not sign the tier's certificates. */
function otherCa(): string {
  const file = path.join(tempDataDir(), 'other-ca.pem');
  fs.writeFileSync(file, makeCaCert(newPrivateKey(), 'Someone else', 'Not the governorate', 30));
  return file;
}

describe('the link to the central tier over TLS', () => {
  test('tls:// with the governorate CA: every row is stored; signed by another CA: nothing sent, the rows wait', { timeout: 120_000 }, async (t) => {
    const c = await cluster(t, true);
    assert.ok(c.natsUrls.every((u) => u.startsWith('tls://')));
    const account = { centralNatsUser: c.center(CENTER).user, centralNatsPassword: c.center(CENTER).pass };

    // Trusting another CA: the node's certificate is refused before CONNECT (no password sent).
    const wary = await startTestHub(t, { dataDir: tempDataDir(), config: { centralNats: c.natsUrls, centralNatsCaFile: otherCa(), ...account } });
    await work(wary);
    await sleep(2000);
    assert.ok(rows(wary) > 0);
    assert.equal(unsent(wary), rows(wary), 'nothing marked sent');
    assert.equal(wary.central!.forwarded, 0);
    assert.equal(await stored(c), 0, 'nothing reached the stream');
    await wary.close();

    // The governorate's CA: everything arrives, over TLS.
    const hub = await startTestHub(t, { dataDir: tempDataDir(), config: { centralNats: c.natsUrls, centralNatsCaFile: c.caFile!, ...account } });
    await work(hub);
    await until('every row sent', () => rows(hub) > 0 && unsent(hub) === 0);
    assert.equal(await stored(c), rows(hub));
    assert.equal(hub.central!.forwarded, rows(hub));
  });

  test('tls:// to a tier that offers no TLS: refused by the hub, nothing sent, the rows wait', { timeout: 120_000 }, async (t) => {
    const c = await cluster(t, false);
    const urls = c.natsUrls.map((u) => u.replace('nats://127.0.0.1', 'tls://localhost'));
    const hub = await startTestHub(t, { dataDir: tempDataDir(), config: { centralNats: urls, centralNatsUser: c.center(CENTER).user, centralNatsPassword: c.center(CENTER).pass } });
    await work(hub);
    await sleep(2000);
    assert.ok(rows(hub) > 0);
    assert.equal(unsent(hub), rows(hub));
    assert.equal(await stored(c), 0);
  });

  test('production refuses a central tier in clear; mixed URLs, a CA without tls://, and a bad CA file are refused', async () => {
    const prod = { SHUBBAK_MODE: 'production', SHUBBAK_CENTER_ID: 'giza-dokki', SHUBBAK_SIMULATE: 'false', SHUBBAK_SEED_DEMO: 'false', SHUBBAK_CENTRAL_NATS_PASSWORD: 'x' };
    assert.throws(() => checkMode(loadConfig({ ...prod, SHUBBAK_CENTRAL_NATS: 'nats://central-1:4222' })), (e: Error) => e instanceof ConfigError && /tls:\/\/ URLs in production/.test(e.message));
    assert.doesNotThrow(() => checkMode(loadConfig({ ...prod, SHUBBAK_CENTRAL_NATS: 'tls://central-1:4222,tls://central-2:4222' })));
    assert.throws(() => loadConfig({ SHUBBAK_CENTRAL_NATS: 'tls://central-1:4222,nats://central-2:4222' }), (e: Error) => e instanceof ConfigError && /mixes/.test(e.message));
    assert.throws(() => loadConfig({ SHUBBAK_CENTRAL_NATS: 'http://central-1:4222' }), ConfigError);
    // The nats client checks a certificate for the URL's name; for an address it would check "localhost".
    assert.throws(() => loadConfig({ SHUBBAK_CENTRAL_NATS: 'tls://10.20.0.5:4222' }), (e: Error) => e instanceof ConfigError && /DNS name/.test(e.message));
    assert.throws(() => loadConfig({ SHUBBAK_CENTRAL_NATS: 'tls://[fd00::5]:4222' }), (e: Error) => e instanceof ConfigError && /DNS name/.test(e.message));
    assert.throws(() => checkMode(loadConfig({ SHUBBAK_CENTRAL_NATS: 'nats://central-1:4222', SHUBBAK_CENTRAL_NATS_CA: '/etc/shubbak/central-ca.pem' })),
      (e: Error) => e instanceof ConfigError && /SHUBBAK_CENTRAL_NATS_CA/.test(e.message));

    // A CA file that is not a certificate: the start stops with a message, before anything listens.
    const dataDir = tempDataDir();
    const bad = path.join(dataDir, 'central-ca.pem');
    fs.writeFileSync(bad, 'not a certificate', { mode: 0o600 });
    const config = loadConfig({}, { dataDir, host: '127.0.0.1', httpPort: 0, mqttPort: 0, httpsPort: 0, mqttsPort: 0, simulate: false, logLevel: 'silent', passwordCost: 10, centralNats: ['tls://localhost:1'], centralNatsCaFile: bad });
    await assert.rejects(startHub(config), (e: Error) => e instanceof ConfigError && /SHUBBAK_CENTRAL_NATS_CA .* is not a readable PEM certificate/.test(e.message));
    // Nothing was left holding the data directory: a good start follows.
    const hub = await startHub({ ...config, centralNats: null, centralNatsCaFile: null });
    await hub.close();
  });
});
