// The live feeds' SSE channel when the hub stops (hub/live/sse.ts). Found in CI: a TV page's
// EventSource reconnected on its kept-alive socket right after close() had ended its stream;
// the channel opened a new stream that nothing would end, and the hub's stop waited on that
// connection forever (the whole test run hung in tests/browser/journey.test.ts). Found again
// in CI on 1 Dec 2026 for the phone ticket page: TicketFeed (hub/live/ticket-feed.ts) made a
// fresh channel for a phone that reconnected after close(), and the run hung in
// tests/browser/phone-ticket.test.ts until CI's 90 minutes were gone.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import Fastify from 'fastify';
import { SseChannel } from '../../hub/live/sse.ts';
import { TicketFeed } from '../../hub/live/ticket-feed.ts';
import type { TicketPageService, TicketPageView } from '../../hub/services/ticket-page.ts';

function get(port: number): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: '/live' }, resolve).on('error', reject);
  });
}

describe('the SSE channel when the hub stops', () => {
  test('a stream asked for after the channel closed is refused (503, connection close), never held open', async (t) => {
    const channel = new SseChannel();
    const app = Fastify();
    app.get('/live', (req, reply) => channel.open(req, reply, { event: 'hello', data: {} }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    t.after(async () => { app.server.closeAllConnections(); await app.close(); });
    const port = (app.server.address() as { port: number }).port;

    const open = await get(port);
    assert.equal(open.statusCode, 200);
    assert.equal(channel.size, 1);
    const ended = new Promise<void>((resolve) => open.on('end', resolve));
    open.resume();
    channel.close();
    await ended; // the stopping hub ends the streams it has

    const late = await get(port);
    late.resume();
    assert.equal(late.statusCode, 503);
    assert.equal(late.headers.connection, 'close');
    assert.equal(channel.size, 0);
  });

  test('a phone\'s ticket stream asked for after the ticket feed closed is refused too, never held open', async (t) => {
    const feed = new TicketFeed({} as TicketPageService);
    const view = { number: 'A001' } as unknown as TicketPageView;
    const app = Fastify();
    app.get('/live', (req, reply) => { feed.open('tok', view, req, reply); });
    await app.listen({ port: 0, host: '127.0.0.1' });
    t.after(async () => { app.server.closeAllConnections(); await app.close(); });
    const port = (app.server.address() as { port: number }).port;

    const open = await get(port);
    assert.equal(open.statusCode, 200);
    assert.equal(feed.size, 1);
    const ended = new Promise<void>((resolve) => open.on('end', resolve));
    open.resume();
    feed.close();
    await ended;

    const late = await get(port);
    late.resume();
    assert.equal(late.statusCode, 503);
    assert.equal(late.headers.connection, 'close');
    assert.equal(feed.size, 0, 'no stream is left for the stopping server to wait on');
  });
});
