// Issue 15, fault 11 (the smaller ones; the quiet MQTT disconnect is in
// broker-quiet-disconnect.test.ts): backups in the same second no longer overwrite one
// file or leave .partial files; an uploaded polyglot is named by its detected type; a
// second file in one upload is refused; the public status lookup is limited for all
// addresses together and per inquiry number, not only per address.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { startTestHub } from '../helpers/hub.ts';
import { signIn } from '../helpers/staff.ts';
import { FakeClock } from '../helpers/clock.ts';
import { formatInquiry } from '../../hub/domain/inquiry-number.ts';
import { listBackupFiles } from '../../hub/services/backup.ts';
import { STATUS_LOOKUPS_GLOBAL_PER_MINUTE, STATUS_LOOKUPS_PER_INQUIRY_PER_HOUR } from '../../hub/routes/public/rate-limit.ts';
import { expectError, expectOk, fileInReview, multipart, PDF, type AttachmentReply } from './files-support.ts';
import { deviceActor } from '../../hub/domain/actor.ts';

describe('smaller faults', () => {
  test('backups taken in the same second are separate files, listed newest first, with no .partial left', async (t) => {
    const clock = new FakeClock(Date.parse('2026-11-29T10:00:00+02:00'));
    const hub = await startTestHub(t, { clock: clock.now });
    const a = await hub.ctx.backups.backup('manual');
    hub.ctx.queue.issue({ line: 'A', priority: false, by: deviceActor('kiosk-1') });
    const b = await hub.ctx.backups.backup('manual');
    const c = await hub.ctx.backups.backup('manual');
    assert.equal(a.error, null);
    assert.equal(b.error, null);
    assert.notEqual(a.file, b.file, 'the second backup of the second did not overwrite the first');
    assert.notEqual(b.file, c.file);
    const dir = hub.ctx.backups.dir;
    const listed = listBackupFiles(dir).map((f) => f.file);
    assert.deepEqual(listed, [c.file, b.file, a.file], 'newest first');
    assert.deepEqual(fs.readdirSync(dir).filter((n) => n.endsWith('.partial')), []);
    // A .partial left by a backup that died long ago is cleared by the next backup; a fresh one is not touched.
    const stale = path.join(dir, 'shubbak-2026-01-01T000000Z.db.partial');
    fs.writeFileSync(stale, 'x');
    fs.utimesSync(stale, new Date(Date.now() - 2 * 3600_000), new Date(Date.now() - 2 * 3600_000));
    await hub.ctx.backups.backup('manual');
    assert.equal(fs.existsSync(stale), false);
  });

  test('an uploaded polyglot is named by its detected type; a second file in one upload is refused', async (t) => {
    const hub = await startTestHub(t);
    const intake = await signIn(hub, 'intake');
    const file = await fileInReview(hub, intake);
    const url = `/api/files/${file.id}/attachments`;
    // A valid PDF header followed by a page: sniffed as PDF, uploaded as .html.
    const polyglot = Buffer.concat([PDF, Buffer.from('<html><script>alert(document.cookie)</script></html>')]);
    const a = expectOk<AttachmentReply>(await intake.inject({ method: 'POST', url, ...multipart({ filename: 'scan.html', contentType: 'text/html', bytes: polyglot }) }), 201);
    assert.equal(a.mime, 'application/pdf');
    assert.equal(a.name, 'scan.pdf', 'stored by detected type, not the .html it was uploaded as');
    const dl = await intake.inject({ method: 'GET', url: `${url}/${a.id}` });
    assert.match(String(dl.headers['content-disposition']), /scan\.pdf/);
    assert.doesNotMatch(String(dl.headers['content-disposition']), /\.html/);

    // Two files in one request: refused, and neither is stored.
    const boundary = `----two${randomBytes(6).toString('hex')}`;
    const part = (name: string) => Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/pdf\r\n\r\n`), PDF, Buffer.from('\r\n'),
    ]);
    const before = hub.ctx.db.prepare('SELECT count(*) FROM attachments').pluck().get();
    const two = await intake.inject({
      method: 'POST', url, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: Buffer.concat([part('one.pdf'), part('two.pdf'), Buffer.from(`--${boundary}--\r\n`)]),
    });
    const e = expectError(two, 400, 'ONE_DOCUMENT');
    assert.match(e.message, /مستند واحد/);
    assert.equal(hub.ctx.db.prepare('SELECT count(*) FROM attachments').pluck().get(), before);
  });

  test('status lookups are limited per inquiry number from any address, and for all addresses together', async (t) => {
    const clock = new FakeClock(Date.parse('2026-11-29T10:00:00+02:00'));
    const hub = await startTestHub(t, { clock: clock.now });
    const inquiry = formatInquiry('F', 2026, 42);
    let address = 0;
    const lookup = (q: string, nid4: string) => hub.app.inject({
      method: 'GET', url: `/api/public/status?inquiry=${encodeURIComponent(q)}&nid4=${nid4}`,
      remoteAddress: `10.0.${Math.floor(++address / 250)}.${address % 250}`, // a new address every time
    });
    // Many addresses sharing out one citizen's 10,000 possible digits: stopped after the per-inquiry limit.
    for (let i = 0; i < STATUS_LOOKUPS_PER_INQUIRY_PER_HOUR; i++) assert.equal((await lookup(inquiry, String(1000 + i))).statusCode, 404);
    const refused = await lookup(inquiry, '1999');
    expectError(refused, 429, 'RATE_LIMITED');
    // Another number is not affected.
    assert.equal((await lookup(formatInquiry('F', 2026, 43), '1234')).statusCode, 404);
    // An hour later the number can be asked again.
    clock.advance(3600_000);
    assert.equal((await lookup(inquiry, '2000')).statusCode, 404);

    // All addresses together: a sweep over many numbers from many addresses stops at the global limit.
    clock.advance(60_000);
    let ok = 0;
    let limited = 0;
    for (let i = 0; i < STATUS_LOOKUPS_GLOBAL_PER_MINUTE + 10; i++) {
      const r = await lookup(formatInquiry('F', 2026, 1000 + i), '1234');
      if (r.statusCode === 429) limited++;
      else ok++;
    }
    assert.equal(ok, STATUS_LOOKUPS_GLOBAL_PER_MINUTE);
    assert.equal(limited, 10);
    assert.ok(hub.app.statusLimits.global.refused >= 10);
  });
});
