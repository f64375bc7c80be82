// The alert webhook (issue 15): every committed alert change (raised, reopened,
// acknowledged, resolved) is POSTed as JSON to SHUBBAK_ALERT_WEBHOOK_URL — a chat bridge,
// a ticketing system, the governorate's monitoring. This is the hub's only outgoing HTTP
// adapter for alerts.
//
// It never blocks the hub: changes go into a bounded in-memory queue and one background
// loop delivers them in order; a failed delivery (network error, timeout, non-2xx) is
// retried with exponential backoff (1 s, 2 s, 4 s … at most 60 s) up to `maxAttempts`,
// then dropped and counted. A full queue drops its oldest change. The URL is never
// logged (it may carry a token): only its host.
import type { AlertChange } from './alerts.ts';

export type WebhookOptions = {
  url: string;
  center: string;
  /** The center's stable id (SHUBBAK_CENTER_ID, issue 13). */
  centerId: string;
  log: { warn: (o: unknown, m?: string) => void };
  count: (result: 'delivered' | 'failed' | 'dropped') => void;
  timeoutMs?: number;
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  maxQueue?: number;
};

export class AlertWebhook {
  /** Changes waiting; the one being delivered is taken out (`current`), so overflow never drops it mid-flight. */
  private readonly queue: { body: string; attempts: number }[] = [];
  private current: { body: string; attempts: number } | null = null;
  private running = false;
  private closed = false;
  private timer: NodeJS.Timeout | null = null;
  private wake: (() => void) | null = null;
  private inFlight: AbortController | null = null;
  private readonly host: string;

  constructor(private readonly o: WebhookOptions) {
    this.host = new URL(o.url).host;
  }

  /** Queue one change; returns at once. */
  send(change: AlertChange, at: number): void {
    if (this.closed) return;
    const body = JSON.stringify({ center: this.o.center, centerId: this.o.centerId, event: change.event, alert: change.alert, at });
    this.queue.push({ body, attempts: 0 });
    while (this.queue.length > (this.o.maxQueue ?? 1000)) {
      this.queue.shift();
      this.o.count('dropped');
    }
    if (!this.running) void this.loop();
  }

  /** Changes not yet delivered. */
  get pending(): number {
    return this.queue.length + (this.current ? 1 : 0);
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.wake?.();
    this.inFlight?.abort();
  }

  private async loop(): Promise<void> {
    this.running = true;
    try {
      while (!this.closed && (this.current || this.queue.length)) {
        const item = (this.current ??= this.queue.shift()!);
        item.attempts++;
        if (await this.post(item.body)) {
          this.current = null;
          this.o.count('delivered');
          continue;
        }
        this.o.count('failed');
        if (item.attempts >= (this.o.maxAttempts ?? 8)) {
          this.current = null;
          this.o.count('dropped');
          this.o.log.warn({ host: this.host, attempts: item.attempts }, 'alert webhook: gave up on one alert');
          continue;
        }
        const delay = Math.min((this.o.baseDelayMs ?? 1000) * 2 ** (item.attempts - 1), this.o.maxDelayMs ?? 60_000);
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          this.timer = setTimeout(resolve, delay);
          this.timer.unref();
        });
        this.wake = null;
      }
    } finally {
      this.running = false;
    }
  }

  private async post(body: string): Promise<boolean> {
    const ac = new AbortController();
    this.inFlight = ac;
    const timeout = setTimeout(() => ac.abort(), this.o.timeoutMs ?? 5000);
    timeout.unref();
    try {
      const res = await fetch(this.o.url, {
        method: 'POST', body, signal: ac.signal, redirect: 'error',
        headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'shubbak-hub' },
      });
      await res.body?.cancel().catch(() => {});
      if (res.ok) return true;
      this.o.log.warn({ host: this.host, status: res.status }, 'alert webhook: refused');
      return false;
    } catch (err) {
      if (!this.closed) this.o.log.warn({ host: this.host, err: (err as Error).name }, 'alert webhook: not delivered');
      return false;
    } finally {
      clearTimeout(timeout);
      this.inFlight = null;
    }
  }
}
