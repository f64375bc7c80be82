// ESC/POS bytes and real-time status parsing (pure).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escpos, type MonoImage } from '@shubbak/hardware';

const image = (width: number, height: number): MonoImage => {
  const stride = Math.ceil(width / 8);
  const data = new Uint8Array(stride * height);
  for (let i = 0; i < data.length; i++) data[i] = i & 0xff;
  return { width, height, data };
};

test('GS v 0 bands: header per band, rows split, data in order', () => {
  const img = image(20, 5); // 3 bytes per row, last byte padded
  const bands = escpos.rasterBands(img, 2);
  assert.equal(bands.length, 3);
  assert.deepEqual([...bands[0].subarray(0, 8)], [0x1d, 0x76, 0x30, 0x00, 3, 0, 2, 0]);
  assert.deepEqual([...bands[2].subarray(0, 8)], [0x1d, 0x76, 0x30, 0x00, 3, 0, 1, 0]);
  assert.deepEqual(Buffer.concat(bands.map((b) => b.subarray(8))), Buffer.from(img.data));
});

test('a ticket job is init, bands, feed, cut', () => {
  const job = escpos.ticketJob(image(576, 300), 128);
  assert.deepEqual([...job[0]], [0x1b, 0x40]);
  assert.equal(job.length, 1 + 3 + 2);
  assert.deepEqual([...job.at(-2)!], [0x1b, 0x64, 3]);
  assert.deepEqual([...job.at(-1)!], [0x1d, 0x56, 0x42, 0x00]);
  // 576 dots wide = 72 bytes: xL=72, xH=0; 300 rows in bands of 128, 128, 44
  assert.deepEqual([...job[3].subarray(4, 8)], [72, 0, 44, 0]);
});

test('a short image buffer is refused, not sent half-made', () => {
  assert.throws(() => escpos.rasterBands({ width: 16, height: 4, data: new Uint8Array(7) }), RangeError);
});

test('DLE EOT requests and status bytes', () => {
  assert.deepEqual([...escpos.statusRequest(4)], [0x10, 0x04, 0x04]);
  assert.equal(escpos.isStatusByte(0x12), true);
  assert.equal(escpos.isStatusByte(0x00), false);
  assert.equal(escpos.isStatusByte(0x92), false);
  assert.deepEqual(escpos.parseStatusByte(1, 0x12 | 0x08), { offline: true });
  assert.deepEqual(escpos.parseStatusByte(4, 0x12 | 0x0c), { paperLow: true, paperOut: false });
  assert.deepEqual(escpos.parseStatusByte(4, 0x12 | 0x6c), { paperLow: true, paperOut: true });
  assert.deepEqual(escpos.parseStatusByte(2, 0x12 | 0x04), { coverOpen: true, paperOut: false, error: false });
  assert.deepEqual(escpos.parseStatusByte(4, 0xff), {});
});

test('status summary: silence is offline, paper-out wins, near-end is paper-low', () => {
  assert.equal(escpos.summarizeStatus(0x12, 0x12), 'ok');
  assert.equal(escpos.summarizeStatus(null, null), 'offline');
  assert.equal(escpos.summarizeStatus(0x12, null), 'offline');
  assert.equal(escpos.summarizeStatus(0x1a, 0x7e), 'paper-out');
  assert.equal(escpos.summarizeStatus(0x12, 0x1e), 'paper-low');
  assert.equal(escpos.summarizeStatus(0x1a, 0x12), 'offline');
  assert.equal(escpos.summarizeStatus(0x12, 0x12, 0x16), 'offline'); // cover open
  assert.equal(escpos.summarizeStatus(0x12, 0x12, 0x32), 'paper-out'); // stopped at paper end
  assert.equal(escpos.summarizeStatus(0x00, 0x12), 'offline'); // garbage on the line
});
