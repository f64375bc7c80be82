// Device program settings (shared protocol/device-env.ts + each program's pins): bad
// values stop the program at start with the setting's name.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DeviceConfigError } from '@shubbak/protocol/device-env';
import { loadKioskConfig } from '../../kiosk/config.ts';
import { loadKeypadConfig } from '../../counter-keypad/config.ts';
import { loadDisplayConfig } from '../../display/config.ts';

const base = { SHUBBAK_DEVICE_SECRET: 's3cret', SHUBBAK_HUB_URL: 'mqtt://10.0.0.2:1883' };

describe('device program settings', () => {
  test('defaults for a Pi and values from the environment', () => {
    const k = loadKioskConfig({ ...base });
    assert.equal(k.env.deviceId, 'kiosk-1');
    assert.equal(k.env.io, 'firmata', 'the default is the Arduino with StandardFirmata (any Pi, the Pi 5 included)');
    assert.deepEqual(k.buttonPins, [2, 3, 4, 5]);
    const r = loadKioskConfig({ ...base, SHUBBAK_IO: 'raspi' });
    assert.deepEqual(r.buttonPins, ['GPIO5', 'GPIO6', 'GPIO13', 'GPIO19']);
    assert.equal(k.paper, '80mm');
    const f = loadKioskConfig({ ...base, SHUBBAK_IO: 'firmata', SHUBBAK_BUTTON_PINS: '2,3', SHUBBAK_LAMP_PINS: '8,9', SHUBBAK_PAPER: '58mm' });
    assert.deepEqual(f.buttonPins, [2, 3]);
    assert.equal(f.paper, '58mm');
    assert.equal(loadDisplayConfig({ ...base, SHUBBAK_DEVICE_ID: 'hall-1' }).kind, 'hall');
    assert.equal(loadDisplayConfig({ ...base, SHUBBAK_DEVICE_ID: 'led-2' }).kind, 'display');
    assert.equal(loadKeypadConfig({ ...base, SHUBBAK_IO: 'sim' }).keyPins.length, 5);
  });

  test('the secret and hub URL can come from the demo devices.json or a config file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shubbak-devenv-'));
    try {
      const devices = path.join(dir, 'devices.json');
      fs.writeFileSync(devices, JSON.stringify({ mqttUrl: 'mqtt://127.0.0.1:1999', devices: [{ id: 'keypad-2', secret: 'from-file' }] }));
      const k = loadKeypadConfig({ SHUBBAK_DEVICE_ID: 'keypad-2', SHUBBAK_DEVICES_FILE: devices });
      assert.equal(k.env.secret, 'from-file');
      assert.equal(k.env.hubUrl, 'mqtt://127.0.0.1:1999');
      const cfgFile = path.join(dir, 'kiosk.json');
      fs.writeFileSync(cfgFile, JSON.stringify({ SHUBBAK_DEVICE_ID: 'kiosk-7', SHUBBAK_DEVICE_SECRET: 'x', SHUBBAK_PRINTER_BAUD: 115200 }));
      const c = loadKioskConfig({ SHUBBAK_DEVICE_CONFIG: cfgFile, SHUBBAK_DEVICE_ID: 'kiosk-8' });
      assert.equal(c.env.deviceId, 'kiosk-8', 'the environment wins over the file');
      assert.equal(c.printerBaud, 115200);
      assert.throws(() => loadKeypadConfig({ SHUBBAK_DEVICE_ID: 'keypad-9', SHUBBAK_DEVICES_FILE: devices }), /has no device keypad-9/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('bad settings are refused with the name of the setting', () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ SHUBBAK_DEVICE_ID: 'Kiosk 1' }, /SHUBBAK_DEVICE_ID/],
      [{ SHUBBAK_IO: 'gpio' }, /SHUBBAK_IO/],
      [{ SHUBBAK_HUB_URL: 'http://hub' }, /SHUBBAK_HUB_URL/],
      [{ SHUBBAK_PAPER: 'A4' }, /SHUBBAK_PAPER/],
      [{ SHUBBAK_BUTTON_PINS: '2,x' }, /SHUBBAK_BUTTON_PINS/],
      [{ SHUBBAK_BUTTON_PINS: '2,3', SHUBBAK_LAMP_PINS: '8' }, /SHUBBAK_LAMP_PINS/],
      [{ SHUBBAK_PRINTER_BAUD: '12' }, /SHUBBAK_PRINTER_BAUD/],
      [{ SHUBBAK_DEVICE_CONFIG: '/nonexistent/x.json' }, /SHUBBAK_DEVICE_CONFIG/],
    ];
    for (const [env, re] of cases) assert.throws(() => loadKioskConfig({ ...base, ...env }), (e: Error) => e instanceof DeviceConfigError && re.test(e.message), JSON.stringify(env));
    assert.throws(() => loadKioskConfig({ SHUBBAK_HUB_URL: 'mqtt://h:1' }), /secret is missing/);
    assert.throws(() => loadDisplayConfig({ ...base, SHUBBAK_DISPLAY_KIND: 'tv' }), /SHUBBAK_DISPLAY_KIND/);
  });

  test('the booking keypad (issue 14 item 3): off by default; on = the default pins; a pin list of 8; Firmata only; no pin twice', () => {
    assert.equal(loadKioskConfig({ ...base }).booking, null, 'without the setting the kiosk has no keypad');
    assert.deepEqual(loadKioskConfig({ ...base, SHUBBAK_BOOKING_KEYPAD: 'on' }).booking, { button: 6, rows: [12, 13, 14, 15], cols: [16, 17, 18] });
    assert.deepEqual(loadKioskConfig({ ...base, SHUBBAK_BOOKING_PINS: '12,6,7,14,15,16,17,18' }).booking, { button: 12, rows: [6, 7, 14, 15], cols: [16, 17, 18] });
    assert.throws(() => loadKioskConfig({ ...base, SHUBBAK_BOOKING_KEYPAD: 'yes' }), /SHUBBAK_BOOKING_KEYPAD must be on or off/);
    assert.throws(() => loadKioskConfig({ ...base, SHUBBAK_BOOKING_PINS: '6,7,12,14' }), /SHUBBAK_BOOKING_PINS must list 8 Firmata pin numbers/);
    assert.throws(() => loadKioskConfig({ ...base, SHUBBAK_BOOKING_PINS: '2,7,12,14,15,16,17,18' }), /pin 2 is used twice/, 'a line button pin');
    assert.throws(() => loadKioskConfig({ ...base, SHUBBAK_BOOKING_PINS: '6,7,7,14,15,16,17,18' }), /pin 7 is used twice/);
    assert.throws(() => loadKioskConfig({ ...base, SHUBBAK_IO: 'raspi', SHUBBAK_BOOKING_KEYPAD: 'on' }), (e: Error) => e instanceof DeviceConfigError && /needs SHUBBAK_IO=firmata/.test(e.message));
    assert.throws(() => loadKioskConfig({ ...base, SHUBBAK_IO: 'sim', SHUBBAK_BOOKING_KEYPAD: 'on' }), /needs SHUBBAK_IO=firmata/);
  });
});
