import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, centralNatsAuth, loadConfig } from '../../hub/config.ts';
import { governorateLink } from '../../hub/federation/central-link.ts';

describe("the hub's settings", () => {
  test('defaults are complete and valid', () => {
    const c = loadConfig({});
    assert.equal(c.httpPort, 8080);
    assert.equal(c.mqttPort, 1883);
    assert.equal(c.timezone, 'Africa/Cairo');
    assert.equal(c.commandTtlMs, 10_000);
    assert.equal(c.simulate, true);
  });

  test('a bad value names the variable', () => {
    assert.throws(() => loadConfig({ SHUBBAK_HTTP_PORT: 'eighty' }), (e: unknown) => e instanceof ConfigError && /SHUBBAK_HTTP_PORT/.test((e as Error).message));
    assert.throws(() => loadConfig({ SHUBBAK_MQTT_PORT: '70000' }), /between 0 and 65535/);
    assert.throws(() => loadConfig({ SHUBBAK_TZ: 'Mars/Olympus' }), /time zone/);
    assert.throws(() => loadConfig({ SHUBBAK_SIMULATE: 'maybe' }), /true or false/);
    assert.throws(() => loadConfig({ SHUBBAK_LOG_LEVEL: 'loud' }), /SHUBBAK_LOG_LEVEL/);
    assert.equal(loadConfig({ SHUBBAK_SIMULATE: 'off' }).simulate, false);
  });

  test('SHUBBAK_MODE: demo by default (npm start); production turns the simulator and the demo seed off and refuses them', () => {
    const demo = loadConfig({});
    assert.equal(demo.mode, 'demo');
    assert.equal(demo.seedDemo, true);
    const prod = loadConfig({ SHUBBAK_MODE: 'production', SHUBBAK_CENTER_ID: 'giza-dokki' });
    assert.equal(prod.mode, 'production');
    assert.equal(prod.simulate, false);
    assert.equal(prod.seedDemo, false);
    assert.throws(() => loadConfig({ SHUBBAK_MODE: 'production', SHUBBAK_SIMULATE: 'true' }), (e: unknown) => e instanceof ConfigError && /SHUBBAK_SIMULATE.*production/.test((e as Error).message));
    assert.throws(() => loadConfig({ SHUBBAK_MODE: 'production', SHUBBAK_SEED_DEMO: 'on' }), /SHUBBAK_SEED_DEMO.*production/);
    // Overrides (tests, scripts) cannot slip past it either.
    assert.throws(() => loadConfig({ SHUBBAK_MODE: 'production', SHUBBAK_CENTER_ID: 'giza-dokki' }, { simulate: true }), /SHUBBAK_SIMULATE/);
    assert.throws(() => loadConfig({ SHUBBAK_MODE: 'prod' }), (e: unknown) => e instanceof ConfigError && /SHUBBAK_MODE must be one of demo, production/.test((e as Error).message));
  });

  test('SHUBBAK_CENTER_ID: the demo has one; production must set it; a bad id stops the hub naming the variable (issue 13)', () => {
    assert.equal(loadConfig({}).centerId, 'demo-center');
    assert.equal(loadConfig({ SHUBBAK_CENTER_ID: ' giza-dokki ' }).centerId, 'giza-dokki');
    assert.equal(loadConfig({ SHUBBAK_MODE: 'production', SHUBBAK_CENTER_ID: 'giza-dokki' }).centerId, 'giza-dokki');
    assert.throws(() => loadConfig({ SHUBBAK_MODE: 'production' }), (e: unknown) => e instanceof ConfigError && /SHUBBAK_CENTER_ID must be set/.test((e as Error).message));
    for (const bad of ['Giza', 'giza dokki', '-giza', 'x'.repeat(41), 'giza/dokki', 'مركز']) {
      assert.throws(() => loadConfig({ SHUBBAK_CENTER_ID: bad }), (e: unknown) => e instanceof ConfigError && /SHUBBAK_CENTER_ID must be a-z/.test((e as Error).message), bad);
    }
  });

  test('SHUBBAK_CENTRAL_NATS: the center\'s own account, required in production; a password without a central tier stops the hub (issue 13)', () => {
    const prod = { SHUBBAK_MODE: 'production', SHUBBAK_CENTER_ID: 'giza-dokki', SHUBBAK_CENTRAL_NATS: 'tls://central-1.giza.gov.eg:4222,tls://central-2.giza.gov.eg:4222' };
    assert.throws(() => loadConfig(prod), (e: unknown) => e instanceof ConfigError && /SHUBBAK_CENTRAL_NATS_PASSWORD must be set with SHUBBAK_CENTRAL_NATS in production/.test((e as Error).message));
    assert.throws(() => loadConfig({ SHUBBAK_CENTRAL_NATS_PASSWORD: 's3cret' }), (e: unknown) => e instanceof ConfigError && /SHUBBAK_CENTRAL_NATS_PASSWORD is set but SHUBBAK_CENTRAL_NATS is not/.test((e as Error).message));
    assert.throws(() => loadConfig({ SHUBBAK_MODE: 'production', SHUBBAK_CENTER_ID: 'giza-dokki', SHUBBAK_CENTRAL_NATS_PASSWORD: 's3cret' }), /SHUBBAK_CENTRAL_NATS_PASSWORD is set but SHUBBAK_CENTRAL_NATS is not/);
    assert.throws(() => loadConfig({ SHUBBAK_CENTRAL_NATS: 'http://127.0.0.1:4222' }), (e: unknown) => e instanceof ConfigError && /SHUBBAK_CENTRAL_NATS must be tls:\/\/host:port/.test((e as Error).message));
    // The account: the user defaults to center-<id>, the user the governorate makes per center.
    const c = loadConfig({ ...prod, SHUBBAK_CENTRAL_NATS_PASSWORD: 's3cret' });
    assert.deepEqual(c.centralNats, ['tls://central-1.giza.gov.eg:4222', 'tls://central-2.giza.gov.eg:4222']);
    assert.deepEqual(centralNatsAuth(c), { user: 'center-giza-dokki', pass: 's3cret' });
    assert.deepEqual(centralNatsAuth(loadConfig({ ...prod, SHUBBAK_CENTRAL_NATS_USER: ' dokki-1 ', SHUBBAK_CENTRAL_NATS_PASSWORD: 's3cret' })), { user: 'dokki-1', pass: 's3cret' });
    // The demo may use a central tier without accounts; a center on its own has none.
    const demo = loadConfig({ SHUBBAK_CENTRAL_NATS: 'nats://127.0.0.1:4222' });
    assert.deepEqual(demo.centralNats, ['nats://127.0.0.1:4222']);
    assert.equal(centralNatsAuth(demo), null);
    assert.equal(loadConfig({}).centralNats, null);
  });

  test('SHUBBAK_GOVERNORATE_NATS: the governorate view\'s reader link; tls:// and a password in production (issue 13, item 4)', () => {
    const prod = { SHUBBAK_MODE: 'production', SHUBBAK_CENTER_ID: 'giza-governorate' };
    assert.throws(() => loadConfig({ ...prod, SHUBBAK_GOVERNORATE_NATS: 'tls://central-1.giza.gov.eg:4222' }), (e: unknown) => e instanceof ConfigError && /SHUBBAK_GOVERNORATE_NATS must be tls:\/\/ URLs with SHUBBAK_GOVERNORATE_NATS_PASSWORD/.test((e as Error).message));
    assert.throws(() => loadConfig({ ...prod, SHUBBAK_GOVERNORATE_NATS: 'nats://10.0.0.5:4222', SHUBBAK_GOVERNORATE_NATS_PASSWORD: 's3cret' }), /SHUBBAK_GOVERNORATE_NATS must be tls:\/\/ URLs/);
    assert.throws(() => loadConfig({ SHUBBAK_GOVERNORATE_NATS_PASSWORD: 's3cret' }), /SHUBBAK_GOVERNORATE_NATS_PASSWORD is set but SHUBBAK_GOVERNORATE_NATS is not/);
    assert.throws(() => loadConfig({ SHUBBAK_GOVERNORATE_NATS: 'nats://127.0.0.1:4222', SHUBBAK_GOVERNORATE_NATS_CA: '/etc/ca.pem' }), /SHUBBAK_GOVERNORATE_NATS_CA is set but SHUBBAK_GOVERNORATE_NATS is not tls/);
    const c = loadConfig({ ...prod, SHUBBAK_GOVERNORATE_NATS: 'tls://central-1.giza.gov.eg:4222', SHUBBAK_GOVERNORATE_NATS_PASSWORD: 's3cret' });
    assert.deepEqual(governorateLink(c), { urls: ['tls://central-1.giza.gov.eg:4222'], account: { user: 'governorate', pass: 's3cret' }, tls: {} });
    assert.equal(governorateLink(loadConfig({ SHUBBAK_GOVERNORATE_NATS: 'nats://127.0.0.1:4222', SHUBBAK_GOVERNORATE_NATS_USER: 'reader' })).account, null);
    assert.equal(loadConfig({}).governorateNats, null);
  });
});
