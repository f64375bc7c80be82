// A file's documents: upload (multipart, one document per request) and download, both
// behind the file's roles and department scope. The multipart parser is registered in
// this plugin only, so no other route accepts multipart bodies.
import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { Role } from '../../auth/roles.ts';
import { ApiError } from '../../http/errors.ts';
import { MAX_ATTACHMENT_BYTES } from '../../services/attachments.ts';
import { deskRoles } from '../../domain/file-actions.ts';
import { FILE_ROLES } from '../files/routes.ts';
import { AttachmentSchema } from '../files/schemas.ts';

export const ATTACHMENT_ROLES = {
  upload: deskRoles('upload'),
  read: FILE_ROLES.read,
};

const ONE_DOCUMENT = 'مستند واحد في كل طلب؛ ارفع كل مستند على حدة';
const TOO_LARGE = `حجم المستند أكبر من ${MAX_ATTACHMENT_BYTES / 1024 / 1024} ميجابايت`;

export const attachmentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { attachments } = app.hub;
  await app.register(multipart, { limits: { fileSize: MAX_ATTACHMENT_BYTES, files: 2, fields: 4, fieldSize: 1000, parts: 6, headerPairs: 100 } });

  app.post('/files/:id/attachments', {
    config: { access: ATTACHMENT_ROLES.upload },
    schema: { tags: ['files'], summary: 'Attach a document (PDF, JPEG or PNG by content; multipart field "file", optional field "label")',
      consumes: ['multipart/form-data'], params: Type.Object({ id: Type.Integer({ minimum: 1 }) }), response: { 201: AttachmentSchema } },
  }, async (req, reply) => {
    if (!req.isMultipart()) throw new ApiError(415, 'UNSUPPORTED_MEDIA', 'أرسل المستند كنموذج multipart/form-data', undefined, 'Send multipart/form-data');
    // Every part is read: a second file is refused, not silently dropped (issue 15, fault 11).
    let upload: { bytes: Buffer; filename: string } | null = null;
    let label: string | null = null;
    try {
      for await (const part of req.parts()) {
        if (part.type === 'file') {
          if (upload) {
            part.file.resume();
            throw new ApiError(400, 'ONE_DOCUMENT', ONE_DOCUMENT, [{ path: '/file', message: ONE_DOCUMENT }], 'One document per request');
          }
          upload = { bytes: await part.toBuffer(), filename: part.filename };
        } else if (part.fieldname === 'label') {
          label = String(part.value);
        }
      }
    } catch (err) {
      throw mapMultipartError(err);
    }
    if (!upload) throw new ApiError(400, 'VALIDATION', 'لم يرفق أي مستند', [{ path: '/file', message: 'لم يرفق أي مستند' }]);
    const { bytes } = upload;
    return reply.status(201).send(attachments.add(req.params.id, { bytes, name: upload.filename, label }, req.user!));
  });

  app.get('/files/:id/attachments/:attachmentId', {
    config: { access: ATTACHMENT_ROLES.read },
    schema: { tags: ['files'], summary: 'Download a document (staff only, within scope)',
      params: Type.Object({ id: Type.Integer({ minimum: 1 }), attachmentId: Type.Integer({ minimum: 1 }) }) },
  }, async (req, reply) => {
    const { info, stream } = attachments.open(req.params.id, req.params.attachmentId, req.user!);
    // The stored type (judged by content) and no sniffing: a PDF is never run as a page.
    void reply
      .header('content-type', info.mime)
      .header('content-length', info.size)
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'; sandbox")
      .header('cache-control', 'private, no-store')
      .header('content-disposition', `attachment; filename="document"; filename*=UTF-8''${encodeURIComponent(info.name)}`);
    return reply.send(stream);
  });
};

function mapMultipartError(err: unknown): ApiError | unknown {
  if (err instanceof ApiError) return err;
  const code = (err as { code?: string }).code;
  if (code === 'FST_REQ_FILE_TOO_LARGE') return new ApiError(413, 'TOO_LARGE', TOO_LARGE, [{ path: '/file', message: TOO_LARGE }], 'Document too large');
  if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') {
    return new ApiError(400, 'VALIDATION', 'مستند واحد في كل طلب', [{ path: '/file', message: 'مستند واحد في كل طلب' }], 'One document per request');
  }
  if (code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') return new ApiError(415, 'UNSUPPORTED_MEDIA', 'أرسل المستند كنموذج multipart/form-data');
  return err;
}
