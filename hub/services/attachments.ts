// Documents received with a file (PDF, JPEG, PNG). The type is decided by the content's
// first bytes, never by the name or the declared type; the bytes are stored once per
// content hash under <dataDir>/attachments (outside anything the web server serves), and
// the uploaded name is kept only as a display label, reduced to a safe base name.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { StaffUser } from '../auth/roles.ts';
import type { Db } from '../db/connection.ts';
import type { Clock } from '../domain/time.ts';
import { DomainError } from '../domain/errors.ts';
import { deskActionOpen } from '../domain/file-actions.ts';
import type { AuditLog } from './audit.ts';
import type { AttachmentInfo, FileService } from './files.ts';
import type { UnitOfWork } from './unit-of-work.ts';
import { staffKey } from '../domain/actor.ts';

export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;
export const MAX_ATTACHMENTS_PER_FILE = 40;

export type AttachmentMime = 'application/pdf' | 'image/jpeg' | 'image/png';

/**
 * The three signatures we accept (three fixed prefixes: a library such as file-type would
 * add hundreds of formats we must then refuse anyway).
 */
export function sniffMime(bytes: Uint8Array): AttachmentMime | null {
  const starts = (sig: number[]) => bytes.length >= sig.length && sig.every((b, i) => bytes[i] === b);
  if (starts([0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf'; // %PDF-
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  return null;
}

const EXTENSIONS: Record<AttachmentMime, string[]> = {
  'application/pdf': ['.pdf'],
  'image/png': ['.png'],
  'image/jpeg': ['.jpg', '.jpeg'],
};

/**
 * A display name only: no directories, no control or bidi-override characters, bounded
 * length — and the extension of the type the content was judged to be (issue 15, fault 11:
 * a PDF/HTML polyglot uploaded as "x.html" kept its .html, and a downloaded copy opened as
 * a page). A name whose extension does not fit the content gets the content's.
 */
export function safeName(raw: string | undefined, mime: AttachmentMime): string {
  const base = (raw ?? '').split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069"<>|:*?]/g, '').replace(/^\.+/, '').trim().slice(0, 120);
  const exts = EXTENSIONS[mime];
  if (!clean) return `document${exts[0]}`;
  const dot = clean.lastIndexOf('.');
  const ext = dot > 0 ? clean.slice(dot).toLowerCase() : '';
  if (exts.includes(ext)) return clean;
  const stem = (dot > 0 ? clean.slice(0, dot) : clean).replace(/[.\s]+$/, '') || 'document';
  return `${stem}${exts[0]}`;
}

type Row = { id: number; file_id: number; sha256: string; size: number; mime: AttachmentMime; name: string; label: string | null; uploaded_at: number; uploaded_by: string };

export class AttachmentService {
  private readonly root: string;

  constructor(
    private readonly db: Db,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    private readonly files: FileService,
    dataDir: string,
  ) {
    this.root = path.join(dataDir, 'attachments');
  }

  /** Where the bytes of a hash live: <root>/ab/abcdef… (the hash is checked to be hex first). */
  private pathOf(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('bad content hash');
    return path.join(this.root, sha256.slice(0, 2), sha256);
  }

  /** Write the bytes durably (temp file, fsync, rename) unless the same content is already stored. */
  private storeBytes(sha256: string, bytes: Buffer): void {
    const target = this.pathOf(sha256);
    if (fs.existsSync(target)) return;
    fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
    const tmp = `${target}.${process.pid}.${Date.now()}.tmp`;
    const fd = fs.openSync(tmp, 'wx', 0o600);
    try {
      fs.writeSync(fd, bytes);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, target);
  }

  add(fileId: number, upload: { bytes: Buffer; name?: string; label?: string | null }, user: StaffUser): AttachmentInfo {
    const file = this.files.scoped(fileId, user);
    if (!deskActionOpen('upload', file.status)) {
      throw new DomainError('INVALID_TRANSITION', 'لا تضاف مستندات لملف منتهٍ', { en: 'The file is closed' });
    }
    const { bytes } = upload;
    if (bytes.length === 0) throw new DomainError('EMPTY_FILE', 'الملف المرفوع فارغ', { details: [{ path: '/file', message: 'الملف المرفوع فارغ' }] });
    if (bytes.length > MAX_ATTACHMENT_BYTES) {
      throw new DomainError('TOO_LARGE', `حجم المستند أكبر من ${MAX_ATTACHMENT_BYTES / 1024 / 1024} ميجابايت`, { details: [{ path: '/file', message: 'حجم المستند أكبر من المسموح' }] });
    }
    const mime = sniffMime(bytes);
    if (!mime) {
      throw new DomainError('UNSUPPORTED_TYPE', 'نوع المستند غير مقبول؛ المقبول PDF أو JPEG أو PNG', { en: 'Only PDF, JPEG and PNG are accepted (judged by content)', details: [{ path: '/file', message: 'نوع المستند غير مقبول؛ المقبول PDF أو JPEG أو PNG' }] });
    }
    const count = this.db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM attachments WHERE file_id = ?').get(fileId)!.n;
    if (count >= MAX_ATTACHMENTS_PER_FILE) throw new DomainError('TOO_MANY_ATTACHMENTS', 'تجاوز الملف الحد الأقصى لعدد المستندات');
    const label = upload.label?.trim().slice(0, 200) || null;
    const name = safeName(upload.name, mime);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    // The bytes first: a crash between the two leaves an unreferenced blob, never a row without bytes.
    this.storeBytes(sha256, bytes);
    const actor = staffKey(user);
    return this.uow.run(() => {
      const now = this.clock();
      const id = Number(this.db.prepare('INSERT INTO attachments (file_id, sha256, size, mime, name, label, uploaded_at, uploaded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(fileId, sha256, bytes.length, mime, name, label, now, actor).lastInsertRowid);
      const info: AttachmentInfo = { id, sha256, size: bytes.length, mime, name, label, uploadedAt: now, uploadedBy: actor };
      this.audit.append({ actor, action: 'file.attach', entity: 'file', entityId: fileId, after: info });
      this.uow.topic('files');
      return info;
    });
  }

  /** An attachment for download, after the caller's scope on its file is checked. */
  open(fileId: number, attachmentId: number, user: StaffUser): { info: AttachmentInfo; stream: fs.ReadStream } {
    this.files.scoped(fileId, user);
    const r = this.db.prepare<[number, number], Row>('SELECT * FROM attachments WHERE id = ? AND file_id = ?').get(attachmentId, fileId);
    if (!r) throw new DomainError('ATTACHMENT_NOT_FOUND', 'المستند غير موجود', { en: 'No such attachment' });
    const info: AttachmentInfo = { id: r.id, sha256: r.sha256, size: r.size, mime: r.mime, name: r.name, label: r.label, uploadedAt: r.uploaded_at, uploadedBy: r.uploaded_by };
    return { info, stream: fs.createReadStream(this.pathOf(r.sha256)) };
  }
}
