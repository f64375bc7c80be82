// ShubbakFirmata (hardware/firmware/): the committed .hex is what its C source compiles to
// with Debian's avr-gcc (the build record names compiler, flags and SHA-256), and the
// MAX7219 bus picks its transport by the firmware the board reports — the sysex on
// ShubbakFirmata, bit-banging on StandardFirmata — with the sysex bytes checked here.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { buildFirmware, compilerVersion, FIRMWARE_HEX, FIRMWARE_RECORD, CFLAGS } from '../../scripts/firmware.ts';
import { Max7219Bus, MAX7219_SYSEX } from '../../hardware/max7219-bus.ts';

type Record_ = { compiler: string; flags: string[]; sha256: string; flashBytes: number };
const record = JSON.parse(fs.readFileSync(FIRMWARE_RECORD, 'utf8')) as Record_;

/** A firmata-io-shaped IO that records what the bus sends. */
function fakeIo(firmwareName?: string) {
  const sent: number[][] = [];
  const portWrites: number[] = [];
  const io = {
    ports: [0, 0, 0],
    firmware: firmwareName ? { name: firmwareName, version: { major: 1, minor: 0 } } : undefined,
    pinMode() {},
    digitalWrite() {},
    updateDigitalPort(pin: number) {
      return pin >> 3;
    },
    writeDigitalPort(port: number) {
      portWrites.push(port);
    },
    sysexCommand(m: number[]) {
      sent.push(m);
    },
  };
  return { io, sent, portWrites };
}

describe('ShubbakFirmata build and the MAX7219 bus that uses it', () => {
  test('the committed hex matches its build record (SHA-256) and fits the Uno beside its bootloader', () => {
    const hex = fs.readFileSync(FIRMWARE_HEX);
    assert.equal(createHash('sha256').update(hex).digest('hex'), record.sha256);
    assert.deepEqual(record.flags, CFLAGS);
    assert.ok(record.flashBytes > 1000 && record.flashBytes <= 32_256, `${record.flashBytes} bytes`);
  });

  const compiler = compilerVersion();
  test('rebuilding from source with avr-gcc gives the same hex', { skip: compiler ? (compiler === record.compiler ? false : `avr-gcc is "${compiler}", the hex was built with "${record.compiler}"`) : 'avr-gcc not installed (scripts/setup.sh installs gcc-avr)' }, () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fw-test-'));
    try {
      const { hex, record: rebuilt } = buildFirmware(dir);
      assert.equal(rebuilt.sha256, record.sha256, 'the source and the committed hex disagree: run npm run firmware');
      assert.equal(hex, fs.readFileSync(FIRMWARE_HEX, 'utf8'));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('on ShubbakFirmata the frames of one turn go out as one sysex, 3 bytes a word, the value\'s bit 7 beside the register', async () => {
    const { io, sent, portWrites } = fakeIo('ShubbakFirmata');
    const bus = new Max7219Bus(io, { data: 11, clock: 13, cs: 10 });
    portWrites.length = 0;
    assert.equal(bus.mode, 'sysex');
    bus.frame([0x0c01, 0x0c01]); // shutdown register = 1 on both chips
    bus.frame([0x01ff, 0x0280]); // digit0 = 0xff on chip 0, digit1 = 0x80 on chip 1
    assert.equal(sent.length, 0, 'nothing sent before the turn ends');
    await Promise.resolve();
    assert.deepEqual(sent, [[MAX7219_SYSEX, 10, 13, 11, 2, 0, 0x0c, 1, 1, 0x0c, 1, 0, 0x11, 0x7f, 1, 0x12, 0x00]]);
    assert.ok(sent[0].every((b) => b >= 0 && b <= 0x7f), 'every data byte is 7-bit');
    assert.deepEqual(portWrites, [], 'no bit-banging');
    bus.frame([0x0c00, 0x0c00]);
    bus.flushQueued(); // a driver closing: sent now, before the board is closed
    assert.equal(sent.length, 2);
    await Promise.resolve();
    assert.equal(sent.length, 2, 'and not again at the end of the turn');
  });

  test('a long update is cut between frames so each sysex fits the firmware\'s buffer', async () => {
    const { io, sent } = fakeIo('ShubbakFirmata');
    const bus = new Max7219Bus(io, { data: 11, clock: 13, cs: 10 });
    for (let f = 0; f < 30; f++) bus.frame(Array.from({ length: 6 }, () => 0x0100 | f)); // 180 words
    await Promise.resolve();
    assert.equal(sent.length, 2);
    for (const m of sent) {
      assert.equal((m.length - 5) % (3 * 6), 0, 'whole frames only');
      assert.ok(m.length <= 400, `${m.length} bytes`);
    }
    assert.equal(sent.reduce((n, m) => n + (m.length - 5) / 3, 0), 180);
  });

  test('on StandardFirmata (or no firmware name) the bus bit-bangs port messages, as before', () => {
    for (const name of ['StandardFirmata.ino', undefined]) {
      const { io, sent, portWrites } = fakeIo(name);
      const bus = new Max7219Bus(io, { data: 11, clock: 13, cs: 10 });
      assert.equal(bus.mode, 'port');
      portWrites.length = 0;
      bus.frame([0x0c01]);
      assert.equal(portWrites.length, 33, 'two port messages a bit and the latch');
      assert.deepEqual(sent, []);
    }
  });
});
