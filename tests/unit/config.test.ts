import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../hub/config.ts';

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
});
