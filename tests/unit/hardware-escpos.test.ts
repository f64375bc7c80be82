// ESC/POS bytes and real-time status parsing (pure).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { escpos, type MonoImage } from '@shubbak/hardware';

const image = (width: number, height: number): MonoImage => {
  const stride = Math.ceil(width / 8);
  const data = new Uint8Array(stride * height);
  for (let i = 0; i < data.length; i++) data[i] = i & 0xff;
  return { width, height, data };
};

describe('ESC/POS bytes and printer status', () => {
  test('GS v 0 bands: header per band, rows split, data in order', () => {
    const img = image(20, 5); // 3 bytes per row, last byte padded
    const bands = escpos.rasterBands(img, 2);
    assert.equal(bands.length, 3);
    assert.deepEqual([...bands[0].subarray(0, 8)], [0x1d, 0x76, 0x30, 0x00, 3, 0, 2, 0]);
    assert.deepEqual([...bands[2].subarray(0, 8)], [0x1d, 0x76, 0x30, 0x00, 3, 0, 1, 0]);
    assert.deepEqual(Buffer.concat(bands.map((b) => b.subarray(8))), Buffer.from(img.data));
  });

  test('a ticket job is init, printing area, centering, compact bands, feed, cut', () => {
    const img = image(576, 300); // every row inked from byte 1 on (byte 0 of row 0 is blank)
    const job = escpos.ticketJob(img, 128);
    assert.deepEqual([...job[0]], [0x1b, 0x40]);
    assert.deepEqual([...job[1]], [0x1d, 0x57, 576 & 0xff, 576 >> 8]);
    assert.deepEqual([...job[2]], [0x1b, 0x61, 1]);
    assert.deepEqual([...job.at(-2)!], [0x1b, 0x64, 3]);
    assert.deepEqual([...job.at(-1)!], [0x1d, 0x56, 0x42, 0x00]);
    const bands = job.slice(3, -2);
    assert.equal(bands.length, 3); // 300 rows in bands of 128, 128, 44
    assert.deepEqual([...bands[2].subarray(4, 8)], [72, 0, 44, 0]);
  });

  test('blank rows are fed with ESC J and bands are cropped evenly to their ink', () => {
    const stride = 72;
    const data = new Uint8Array(stride * 600);
    data[300 * stride + 30] = 0xff; // one inked row, bytes 30 and 40
    data[300 * stride + 40] = 0x01;
    const chunks = escpos.compactRaster({ width: 576, height: 600, data });
    // 300 blank rows: ESC J 255, ESC J 45; the band; 299 blank rows: ESC J 255, ESC J 44
    assert.deepEqual(chunks.map((c) => [...c.subarray(0, 3)]), [[0x1b, 0x4a, 255], [0x1b, 0x4a, 45], [0x1d, 0x76, 0x30], [0x1b, 0x4a, 255], [0x1b, 0x4a, 44]]);
    const band = chunks[2];
    // ink spans bytes 30..40 → 30 blank bytes left, 31 right → 30 cut from each side, 12 bytes wide
    assert.deepEqual([...band.subarray(4, 8)], [12, 0, 1, 0]);
    assert.deepEqual([...band.subarray(8)], [0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0]);
  });

  test('printer text: ASCII only, scale 1..8, spacing set to the scaled cell and restored', () => {
    assert.deepEqual([...escpos.textLine('A1', 6)], [0x1b, 0x33, 144, 0x1d, 0x21, 0x55, 0x41, 0x31, 0x0a, 0x1d, 0x21, 0, 0x1b, 0x32]);
    assert.throws(() => escpos.textLine('أ', 2), RangeError);
    assert.throws(() => escpos.textLine('A', 9), RangeError);
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
});
