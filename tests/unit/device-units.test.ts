// The device programs' systemd units: the service user reaches the Arduino's serial port
// (dialout), and no group that a plain Debian lacks (gpio, spi) is required — systemd
// refuses to start a unit whose SupplementaryGroups names a missing group.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');
const UNITS = ['kiosk/kiosk.service', 'counter-keypad/counter-keypad.service', 'display/display.service', 'display/hall.service'];

describe("the device programs' systemd units", () => {
  for (const unit of UNITS) {
    test(`${unit}: runs as shubbak in dialout, no Pi-only group required`, () => {
      const text = fs.readFileSync(path.join(ROOT, unit), 'utf8');
      assert.match(text, /^User=shubbak$/m);
      const groups = /^SupplementaryGroups=(.*)$/m.exec(text)?.[1].split(/\s+/) ?? [];
      assert.ok(groups.includes('dialout'), `${unit} joins dialout`);
      assert.ok(!groups.includes('gpio') && !groups.includes('spi'), `${unit} does not require gpio/spi`);
    });
    // Issue 10: glibc's eight arenas per core cost ~3 MB a program on Node 24 (its worker threads
    // each take one); the hub's unit has said two since the memory work began.
    test(`${unit}: two malloc arenas, as the hub`, () => {
      const text = fs.readFileSync(path.join(ROOT, unit), 'utf8');
      assert.match(text, /^Environment=.*\bMALLOC_ARENA_MAX=2\b/m);
    });
  }
});
