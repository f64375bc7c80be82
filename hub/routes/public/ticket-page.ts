// The live ticket page on the phone (issue 14 item 1), reached from the QR code on the ticket:
//   GET /t/:token                          the page (HTML; 404 unknown, 410 after the ticket's day)
//   GET /api/public/tickets/:token/live    its live feed (SSE): this ticket's view on every change
// Public (config.access 'public'): the 128-bit token is the only key, and the view carries no
// personal data (hub/services/ticket-page.ts). The page's script and style are the small
// `ticket` bundle (hub/web/src/pages/ticket-page.ts), served from /assets like the panels'.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { ApiError } from '../../http/errors.ts';
import { TicketFeed } from '../../live/ticket-feed.ts';
import type { TicketPageView } from '../../services/ticket-page.ts';

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON inside a <script type="application/json"> block: nothing in it can close the block. */
function jsonInHtml(v: unknown): string {
  return JSON.stringify(v).replace(/</g, '\\u003c');
}

function shell(title: string, body: string, extraHead = ''): string {
  return `<!doctype html>
<html lang="ar" dir="rtl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="/assets/ticket.css">
${extraHead}</head>
<body>${body}</body>
</html>
`;
}

export function ticketPageHtml(view: TicketPageView, centerName: string, timezone: string): string {
  return shell(`تذكرة ${view.number} — شبّاك`,
    `<main id="ticket" data-center="${escapeHtml(centerName)}"><p class="center">${escapeHtml(centerName)}</p>` +
    `<p class="number" data-testid="ticket-number">${escapeHtml(view.number)}</p>` +
    `<noscript><p>افتح الصفحة في متصفح يدعم JavaScript لمتابعة دورك مباشرة.</p></noscript></main>` +
    `<script type="application/json" id="ticket-data">${jsonInHtml(view)}</script>`,
    `<meta name="shubbak-timezone" content="${escapeHtml(timezone)}">\n<script type="module" src="/assets/ticket.js"></script>\n`);
}

export function expiredHtml(number: string, centerName: string): string {
  return shell('انتهت صلاحية التذكرة — شبّاك',
    `<main class="gone" data-testid="ticket-expired"><p class="center">${escapeHtml(centerName)}</p>` +
    `<h1>انتهت صلاحية هذه التذكرة</h1><p class="number">${escapeHtml(number)}</p>` +
    `<p>كانت التذكرة صالحة حتى نهاية يوم إصدارها. إذا لم تُخدم، خذ تذكرة جديدة من الجهاز في المركز.</p>` +
    `<p lang="en" dir="ltr">This ticket has expired: it was valid until the end of the day it was issued.</p></main>`);
}

export function unknownHtml(centerName: string): string {
  return shell('تذكرة غير موجودة — شبّاك',
    `<main class="gone" data-testid="ticket-unknown"><p class="center">${escapeHtml(centerName)}</p>` +
    `<h1>لم نجد هذه التذكرة</h1><p>تأكد من مسح رمز QR المطبوع على تذكرتك كاملاً.</p>` +
    `<p lang="en" dir="ltr">No ticket at this address. Scan the QR code on your ticket again.</p></main>`);
}

const TokenParams = Type.Object({ token: Type.String({ maxLength: 64 }) });

export const ticketPageRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const ctx = app.hub;
  const { centerName, timezone } = ctx.config;
  const feed = new TicketFeed(ctx.ticketPages);
  ctx.metrics.sseChannel('ticket', () => feed.size);
  const offCommits = ctx.commits.subscribe((p) => feed.onCommit(p), (err) => app.log.error({ err }, 'ticket page push failed'));
  app.addHook('preClose', async () => {
    offCommits();
    feed.close();
  });

  app.get('/t/:token', {
    config: { access: 'public' },
    schema: { hide: true, params: TokenParams },
  }, async (req, reply) => {
    // The address is the ticket's key: never cached by a proxy, never kept by the browser.
    reply.header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store');
    const found = ctx.ticketPages.find(req.params.token);
    if (found.kind === 'unknown') return reply.status(404).send(unknownHtml(centerName));
    if (found.kind === 'expired') return reply.status(410).send(expiredHtml(found.number, centerName));
    return reply.send(ticketPageHtml(found.view, centerName, timezone));
  });

  app.get('/api/public/tickets/:token/live', {
    config: { access: 'public' },
    schema: { tags: ['public'], summary: "Event stream (SSE) of one ticket's public view (number, people ahead, wait, calling window)", params: TokenParams },
  }, (req, reply) => {
    const found = ctx.ticketPages.find(req.params.token);
    if (found.kind === 'unknown') throw new ApiError(404, 'NOT_FOUND', 'لا توجد تذكرة بهذا الرابط', undefined, 'No ticket at this address');
    if (found.kind === 'expired') throw new ApiError(410, 'TICKET_EXPIRED', 'انتهت صلاحية هذه التذكرة', undefined, 'This ticket has expired');
    if (!feed.open(req.params.token, found.view, req, reply)) {
      throw new ApiError(429, 'RATE_LIMITED', 'هذه التذكرة مفتوحة على أجهزة كثيرة', undefined, 'This ticket is open on too many devices');
    }
  });
};
