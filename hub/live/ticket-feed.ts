// Live push for the ticket page on the phone (issue 14 item 1): one SSE channel per public
// token, so a phone only ever receives its own ticket's view (number, people ahead, wait,
// the window that called it) and never another ticket's or anyone's personal data. After
// each commit that touched the queue, every token with a listener gets its view again, sent
// only when it changed. Channels with no listener left are dropped on the next commit.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CommitProjection } from '../services/commit-feed.ts';
import type { TicketPageService, TicketPageView } from '../services/ticket-page.ts';
import { SseChannel, refuseStopping } from './sse.ts';

/** Streams one token may hold at once (a phone, its reconnects, a second tab): no more. */
export const STREAMS_PER_TICKET = 8;

export class TicketFeed {
  private readonly channels = new Map<string, { channel: SseChannel; last: string }>();
  private closed = false;

  constructor(private readonly pages: TicketPageService) {}

  /** Open streams over all tickets (metrics). */
  get size(): number {
    let n = 0;
    for (const c of this.channels.values()) n += c.channel.size;
    return n;
  }

  /** False when this token already has its share of streams. */
  open(token: string, view: TicketPageView, req: FastifyRequest, reply: FastifyReply): boolean {
    // After close() a reconnecting phone must not get a fresh channel nothing will end.
    if (this.closed) {
      refuseStopping(reply);
      return true;
    }
    let c = this.channels.get(token);
    if (c && c.channel.size >= STREAMS_PER_TICKET) return false;
    if (!c) this.channels.set(token, (c = { channel: new SseChannel(), last: JSON.stringify(view) }));
    c.channel.open(req, reply, { event: 'ticket', data: view });
    return true;
  }

  onCommit(p: CommitProjection): void {
    if (!this.channels.size || !p.touchesQueue) return;
    for (const [token, c] of this.channels) {
      if (c.channel.size === 0) {
        c.channel.close();
        this.channels.delete(token);
        continue;
      }
      const found = this.pages.find(token);
      if (found.kind !== 'found') {
        // Past its day: the page reloads and shows "expired" (410).
        c.channel.broadcast('expired', {});
        c.channel.close();
        this.channels.delete(token);
        continue;
      }
      const json = JSON.stringify(found.view);
      if (json === c.last) continue;
      c.last = json;
      c.channel.broadcast('ticket', found.view);
    }
  }

  close(): void {
    this.closed = true;
    for (const c of this.channels.values()) c.channel.close();
    this.channels.clear();
  }
}
