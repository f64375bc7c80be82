// Polling until something holds, for tests whose subject has no event to wait on (a row the
// hub writes once per event-loop turn, a stream a cluster fills): one helper, one message.
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves once cond() is true; rejects with what was awaited after timeoutMs, or with cond()'s own error. */
export async function until(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 5000, everyMs = 50): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out (${timeoutMs} ms) waiting for ${what}`);
    await sleep(everyMs);
  }
}
