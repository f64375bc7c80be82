// Attachments: the type is judged by content, the size is limited, names cannot reach the
// disk, bytes live under the data dir by hash, and downloads need a signed-in user in scope.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { MAX_ATTACHMENT_BYTES, safeName, sniffMime } from '../../hub/services/attachments.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';
import { signIn } from '../helpers/staff.ts';
import { expectError, expectOk, fileInReview, JPEG, multipart, PDF, PNG, type AttachmentReply, type FileReply } from './files-support.ts';

function blobs(hub: TestHub): string[] {
  const root = path.join(hub.dataDir, 'attachments');
  if (!fs.existsSync(root)) return [];
  return fs.readdirSync(root, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => path.join(d.parentPath ?? (d as any).path, d.name));
}
const rows = (hub: TestHub) => (hub.ctx.db.prepare('SELECT count(*) AS n FROM attachments').get() as { n: number }).n;

describe('attachments: type by content, size, names, scope', () => {
  test('content decides the type; the declared type and the name do not', () => {
    assert.equal(sniffMime(PDF), 'application/pdf');
    assert.equal(sniffMime(PNG), 'image/png');
    assert.equal(sniffMime(JPEG), 'image/jpeg');
    assert.equal(sniffMime(Buffer.from('MZ\x90\x00')), null);
    assert.equal(sniffMime(Buffer.from('<html><script>alert(1)</script>')), null);
    assert.equal(sniffMime(Buffer.from('%PD')), null);
    assert.equal(sniffMime(Buffer.alloc(0)), null);
    assert.equal(safeName('../../etc/passwd.pdf', 'application/pdf'), 'passwd.pdf');
    assert.equal(safeName('..\\..\\windows\\win.ini', 'application/pdf'), 'win.pdf'); // the content's extension, not the name's (issue 15)
    assert.equal(safeName('..', 'image/png'), 'document.png');
    assert.equal(safeName('\u202Efdp.exe', 'application/pdf'), 'fdp.pdf');
    assert.equal(safeName(undefined, 'image/jpeg'), 'document.jpg');
  });

  test('upload and download: stored by hash under the data dir, served only to staff in scope', async (t) => {
    const hub = await startTestHub(t);
    const intake = await signIn(hub, 'intake');
    const file = await fileInReview(hub, intake);
    const url = `/api/files/${file.id}/attachments`;

    const pdf = expectOk<AttachmentReply>(await intake.inject({ method: 'POST', url, ...multipart({ filename: '../../../../etc/passwd.pdf', contentType: 'text/plain', bytes: PDF }, { label: 'سند الملكية' }) }), 201);
    assert.equal(pdf.mime, 'application/pdf', 'judged by content, not the declared text/plain');
    assert.equal(pdf.name, 'passwd.pdf');
    assert.equal(pdf.label, 'سند الملكية');
    assert.equal(pdf.sha256, createHash('sha256').update(PDF).digest('hex'));
    const png = expectOk<AttachmentReply>(await intake.inject({ method: 'POST', url, ...multipart({ filename: 'scan.pdf', contentType: 'application/pdf', bytes: PNG }) }), 201);
    assert.equal(png.mime, 'image/png');
    const jpg = expectOk<AttachmentReply>(await intake.inject({ method: 'POST', url, ...multipart({ filename: 'صورة البطاقة.jpg', contentType: 'image/jpeg', bytes: JPEG }) }), 201);
    assert.equal(jpg.name, 'صورة البطاقة.jpg');
    // The same document twice: two records, one copy on disk.
    expectOk(await intake.inject({ method: 'POST', url, ...multipart({ filename: 'again.pdf', contentType: 'application/pdf', bytes: PDF }) }), 201);
    const stored = blobs(hub);
    assert.equal(stored.length, 3);
    for (const f of stored) {
      assert.ok(f.startsWith(path.join(hub.dataDir, 'attachments') + path.sep));
      assert.match(path.basename(f), /^[0-9a-f]{64}$/);
    }
    assert.ok(!fs.existsSync(path.join(hub.dataDir, 'etc')) && !fs.existsSync(path.join(hub.dataDir, '..', 'etc', 'passwd.pdf')));

    // Download as staff in scope: the exact bytes, the stored type, no sniffing.
    const res = await intake.inject({ method: 'GET', url: `${url}/${pdf.id}` });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.rawPayload, PDF);
    assert.equal(res.headers['content-type'], 'application/pdf');
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.match(String(res.headers['content-disposition']), /^attachment;/);

    // Not without a session, not outside the department scope, not through another file.
    expectError(await hub.app.inject({ method: 'GET', url: `${url}/${pdf.id}` }), 401);
    const otherRep = await signIn(hub, 'representative2'); // LIC, PROP — the file is ENG
    expectError(await otherRep.inject({ method: 'GET', url: `${url}/${pdf.id}` }), 403, 'OUT_OF_SCOPE');
    const rep = await signIn(hub, 'representative');
    assert.equal((await rep.inject({ method: 'GET', url: `${url}/${pdf.id}` })).statusCode, 200);
    const other = await fileInReview(hub, intake, 'CERT-FIT');
    expectError(await intake.inject({ method: 'GET', url: `/api/files/${other.id}/attachments/${pdf.id}` }), 404);
    expectError(await intake.inject({ method: 'GET', url: `${url}/99999` }), 404);
    // No static route reaches the store.
    assert.equal((await hub.app.inject({ method: 'GET', url: `/attachments/${pdf.sha256.slice(0, 2)}/${pdf.sha256}` })).statusCode, 404);
    expectError(await intake.inject({ method: 'GET', url: `/api/files/${file.id}/attachments/..%2F..%2Fshubbak.db` }), 400);

    const detail = expectOk<FileReply>(await intake.inject({ method: 'GET', url: `/api/files/${file.id}` }));
    assert.equal(detail.attachments.length, 4);
    assert.deepEqual(hub.ctx.audit.history('file', file.id).filter((a) => a.action === 'file.attach').length, 4);
  });

  test('wrong types, oversize bodies and malformed uploads are refused and store nothing', async (t) => {
    const hub = await startTestHub(t);
    const intake = await signIn(hub, 'intake');
    const file = await fileInReview(hub, intake);
    const url = `/api/files/${file.id}/attachments`;
    const before = { rows: rows(hub), blobs: blobs(hub).length };

    const exe = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00'), Buffer.alloc(200, 1)]);
    const e1 = expectError(await intake.inject({ method: 'POST', url, ...multipart({ filename: 'document.pdf', contentType: 'application/pdf', bytes: exe }) }), 415, 'UNSUPPORTED_TYPE');
    assert.match(e1.message, /PDF/);
    const html = Buffer.from('<!doctype html><script>alert(1)</script>');
    expectError(await intake.inject({ method: 'POST', url, ...multipart({ filename: 'photo.png', contentType: 'image/png', bytes: html }) }), 415, 'UNSUPPORTED_TYPE');
    expectError(await intake.inject({ method: 'POST', url, ...multipart({ filename: 'empty.pdf', contentType: 'application/pdf', bytes: Buffer.alloc(0) }) }), 400, 'EMPTY_FILE');

    // One byte over the limit, with a valid PDF header.
    const big = Buffer.concat([PDF, Buffer.alloc(MAX_ATTACHMENT_BYTES + 1 - PDF.length, 0x20)]);
    const e2 = expectError(await intake.inject({ method: 'POST', url, ...multipart({ filename: 'big.pdf', contentType: 'application/pdf', bytes: big }) }), 413, 'TOO_LARGE');
    assert.match(e2.message, /ميجابايت/);
    // Exactly at the limit is fine.
    const atLimit = Buffer.concat([PDF, Buffer.alloc(MAX_ATTACHMENT_BYTES - PDF.length, 0x20)]);
    const ok = expectOk<AttachmentReply>(await intake.inject({ method: 'POST', url, ...multipart({ filename: 'limit.pdf', contentType: 'application/pdf', bytes: atLimit }) }), 201);
    assert.equal(ok.size, MAX_ATTACHMENT_BYTES);

    // Not multipart, or no file part, or two files.
    expectError(await intake.inject({ method: 'POST', url, payload: { file: 'JVBERi0=' } }), 415);
    const noFile = multipart({ field: 'other', filename: 'x.pdf', contentType: 'application/pdf', bytes: PDF });
    const noFileBody = noFile.payload.toString('latin1').replace(/; filename="x.pdf"\r\nContent-Type: application\/pdf/, '');
    expectError(await intake.inject({ method: 'POST', url, headers: noFile.headers, payload: Buffer.from(noFileBody, 'latin1') }), 400);

    // Only the one good upload changed anything; the hub still answers.
    assert.equal(rows(hub), before.rows + 1);
    assert.equal(blobs(hub).length, before.blobs + 1);
    assert.equal((await hub.app.inject({ method: 'GET', url: '/api/lines' })).statusCode, 200);

    // Closed files take no more documents; other roles may not upload.
    const cashier = await signIn(hub, 'cashier');
    expectError(await cashier.inject({ method: 'POST', url, ...multipart({ filename: 'a.pdf', contentType: 'application/pdf', bytes: PDF }) }), 403);
  });
});
