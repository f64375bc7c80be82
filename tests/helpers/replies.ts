// The one way tests read the hub's answers to device commands (issue 12, item 10).
// Through the typed client (protocol/device-link.ts), `link.command()` answers the result or
// throws a LinkError: `refused()` waits for that refusal and gives its code and message.
// A raw Reply (bytes sent by hand with rawClient) is read with `okResult()` / `refusalOf()`.
import assert from 'node:assert/strict';
import type { Reply } from '@shubbak/protocol';
import { LinkError } from '@shubbak/protocol/device-link';

type Ok = Extract<Reply, { ok: true }>;
type Err = Extract<Reply, { ok: false }>;

/** The result of a raw reply that must be ok. */
export function okResult(r: Reply): Ok['result'] {
  assert.equal(r.ok, true, `expected ok, got ${JSON.stringify(r)}`);
  return (r as Ok).result;
}

/** The error of a raw reply that must be a refusal. */
export function refusalOf(r: Reply): Err['error'] {
  assert.equal(r.ok, false, `expected an error, got ${JSON.stringify(r)}`);
  return (r as Err).error;
}

/** The hub's refusal of a typed command: its stable code and Arabic message. */
export async function refused(command: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    const result = await command;
    assert.fail(`expected a refusal, got ${JSON.stringify(result)}`);
  } catch (e) {
    if (!(e instanceof LinkError)) throw e;
    return { code: e.code, message: e.message };
  }
}
