// The staff shell (/), the waiting-hall TV (/tv), the public status page (/status), and
// the bundled assets (/assets/*) from hub/web/bundle.ts (built in memory, or prebuilt in
// dist/web for the built hub). The pages are one HTML shell; the bundle picks the screen
// from <body data-page>.
import type { FastifyPluginAsync } from 'fastify';
import { webBundle } from '../../web/bundle.ts';

const PAGES = {
  '/': { page: 'app', title: 'شبّاك — لوحات الموظفين' },
  '/tv': { page: 'tv', title: 'شبّاك — شاشة صالة الانتظار' },
  '/status': { page: 'status', title: 'شبّاك — الاستعلام عن طلب' },
  // A kiosk's touch screen (hub/routes/kiosk-screen): the shell only; its data needs the pairing.
  '/kiosk-screen': { page: 'kiosk', title: 'شبّاك — احجز دورك' },
} as const;

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function pageHtml(page: string, title: string, centerName: string, timezone: string): string {
  return `<!doctype html>
<html lang="ar" dir="rtl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="shubbak-center" content="${escapeHtml(centerName)}">
<meta name="shubbak-timezone" content="${escapeHtml(timezone)}">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="/assets/styles.css">
<script type="module" src="/assets/app.js"></script>
</head>
<body data-page="${page}"><noscript>يحتاج هذا التطبيق إلى تفعيل JavaScript</noscript></body>
</html>
`;
}

export const webRoutes: FastifyPluginAsync = async (app) => {
  const bundle = await webBundle();
  const { centerName, timezone } = app.hub.config;

  for (const [url, p] of Object.entries(PAGES)) {
    const html = pageHtml(p.page, p.title, centerName, timezone);
    app.get(url, { schema: { hide: true } }, async (_req, reply) =>
      reply.header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-cache').send(html));
  }

  // Browsers ask for it on every page; an empty answer keeps the logs clean.
  app.get('/favicon.ico', { schema: { hide: true } }, async (_req, reply) => reply.status(204).send());

  app.get<{ Params: { '*': string } }>('/assets/*', { schema: { hide: true } }, async (req, reply) => {
    const asset = bundle.get(req.params['*']);
    if (!asset) return reply.callNotFound();
    // Fonts and chunks carry a content hash in their name; app.js and styles.css are revalidated.
    const immutable = req.params['*'].startsWith('fonts/') || req.params['*'].startsWith('chunks/');
    reply.header('content-type', asset.contentType).header('etag', asset.etag)
      .header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    if (req.headers['if-none-match'] === asset.etag) return reply.status(304).send();
    return reply.send(Buffer.from(asset.body.buffer, asset.body.byteOffset, asset.body.byteLength));
  });
};
