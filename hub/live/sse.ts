// Server-sent events: one long HTTP response per panel, text frames pushed by the hub.
// Chosen over WebSocket because the panels only listen (commands go through the REST
// API, with its validation, roles and idempotency keys), EventSource reconnects by
// itself, and SSE passes through any HTTP proxy as a plain GET.
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Comment frames keep idle connections open through proxies and detect dead sockets. */
export const HEARTBEAT_MS = 15_000;

export class SseChannel {
  private readonly clients = new Set<FastifyReply>();
  private readonly heartbeat: NodeJS.Timeout;
  private closed = false;

  constructor() {
    this.heartbeat = setInterval(() => this.writeAll(': ping\n\n'), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  get size(): number {
    return this.clients.size;
  }

  /** Take over the reply as an event stream; `first` is sent before any broadcast. */
  open(req: FastifyRequest, reply: FastifyReply, first: { event: string; data: unknown }): void {
    if (this.closed) return refuseStopping(reply);
    reply.hijack();
    req.socket.setNoDelay(true);
    reply.raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    // A reconnecting EventSource waits this long (ms) before trying again.
    reply.raw.write(`retry: 1000\n${frame(first.event, first.data)}`);
    this.clients.add(reply);
    const drop = () => this.clients.delete(reply);
    req.raw.on('close', drop);
    reply.raw.on('error', drop);
  }

  /** Send one event to every client; the frame is serialized once. */
  broadcast(event: string, data: unknown): void {
    if (this.clients.size) this.writeAll(frame(event, data));
  }

  /** End every stream (the hub is stopping), so the HTTP server can close. */
  close(): void {
    this.closed = true;
    clearInterval(this.heartbeat);
    for (const c of this.clients) c.raw.end();
    this.clients.clear();
  }

  private writeAll(text: string): void {
    for (const c of this.clients) {
      if (c.raw.destroyed) this.clients.delete(c);
      else c.raw.write(text);
    }
  }
}

/**
 * The hub is stopping: an EventSource that reconnected on a kept-alive socket after the
 * feed's close() ended its stream must not get a new one, or the HTTP server waits for it
 * forever. 503 + connection: close; the browser tries again when the hub is back.
 */
export function refuseStopping(reply: FastifyReply): void {
  reply.hijack();
  reply.raw.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '1', connection: 'close' });
  reply.raw.end('hub stopping');
}

export function frame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
