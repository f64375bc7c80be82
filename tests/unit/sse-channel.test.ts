// The live feeds' SSE channel when the hub stops (hub/live/sse.ts). Found in CI: a TV page's
// EventSource reconnected on its kept-alive socket right after close() had ended its stream;
// the channel opened a new stream that nothing would end, and the hub's stop waited on that
// connection forever (the whole test run hung in tests/browser/journey.test.ts).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import Fastify from 'fastify';
import { SseChannel } from '../../hub/live/sse.ts';

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
});
