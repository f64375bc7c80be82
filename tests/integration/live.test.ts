// The live feed (hub/live): a real hub, a real SSE client over HTTP, real MQTT devices.
import { describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { startTestHub } from '../helpers/hub.ts';
import { signIn } from '../helpers/staff.ts';
import { CSRF_HEADER, SESSION_COOKIE } from '../../hub/auth/guard.ts';

type Frame = { event: string; data: any };

/** A minimal EventSource over fetch: collects frames, lets a test wait for one. */
async function openStream(t: TestContext, url: string, headers: Record<string, string> = {}) {
  const ac = new AbortController();
  t.after(() => ac.abort());
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: ac.signal });
  const frames: Frame[] = [];
  const waiters: { pred: (f: Frame) => boolean; resolve: (f: Frame) => void }[] = [];
  if (res.ok && res.body) {
    void (async () => {
      const decoder = new TextDecoder();
      let buf = '';
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          buf += decoder.decode(chunk, { stream: true });
          let i;
          while ((i = buf.indexOf('\n\n')) >= 0) {
            const block = buf.slice(0, i);
            buf = buf.slice(i + 2);
            const event = /^event: (.*)$/m.exec(block)?.[1];
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (!event || data === undefined) continue;
            const f = { event, data: JSON.parse(data) };
            frames.push(f);
            for (const w of [...waiters]) if (w.pred(f)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(f); }
          }
        }
      } catch { /* aborted */ }
    })();
  }
  return {
    res,
    frames,
    waitFor(pred: (f: Frame) => boolean, ms = 3000): Promise<Frame> {
      const hit = frames.find(pred);
      if (hit) return Promise.resolve(hit);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching frame in ${ms} ms; got ${JSON.stringify(frames.map((f) => f.event))}`)), ms);
        waiters.push({ pred, resolve: (f) => { clearTimeout(timer); resolve(f); } });
      });
    },
  };
}

describe('the live feed over SSE', () => {
  test('the public queue stream: a snapshot, then a keypad call over MQTT arrives as one change', async (t) => {
    const hub = await startTestHub(t);
    const kiosk = await hub.device('kiosk-1');
    assert.equal((await kiosk.request('ticket.issue', { line: 'A' })).ok, true);

    const stream = await openStream(t, `${hub.httpUrl}/api/live/queue`);
    assert.equal(stream.res.status, 200);
    assert.match(stream.res.headers.get('content-type') ?? '', /^text\/event-stream/);
    const snap = await stream.waitFor((f) => f.event === 'snapshot');
    assert.equal(snap.data.windows.length, 6);
    assert.deepEqual(snap.data.windows.find((w: any) => w.window === 1).lines, ['A']);
    assert.equal(snap.data.lines.find((l: any) => l.line === 'A').waiting, 1);

    const keypad = await hub.device('keypad-1');
    assert.equal((await keypad.request('window.next', {})).ok, true);
    const change = await stream.waitFor((f) => f.event === 'change' && f.data.announces.length > 0);
    assert.equal(change.data.windows[0].window, 1);
    assert.equal(change.data.windows[0].ticket, 'A001');
    assert.equal(change.data.windows[0].status, 'serving');
    assert.equal(change.data.lines.find((l: any) => l.line === 'A').waiting, 0);
    assert.deepEqual(change.data.hall.calls[0], { ticket: 'A001', window: 1, at: change.data.hall.calls[0].at });
    assert.equal(change.data.announces[0].ticket, 'A001');
    assert.equal(change.data.announces[0].recall, false);
  });

  test('a call made through the REST API is pushed to the stream too', async (t) => {
    const hub = await startTestHub(t);
    const reception = await signIn(hub, 'reception');
    const intake = await signIn(hub, 'intake');
    const stream = await openStream(t, `${hub.httpUrl}/api/live/queue`);
    await stream.waitFor((f) => f.event === 'snapshot');
    const issued = await reception.inject({ method: 'POST', url: '/api/tickets', payload: { line: 'A' } });
    assert.equal(issued.statusCode, 200, issued.body);
    const waiting = await stream.waitFor((f) => f.event === 'change' && f.data.lines.some((l: any) => l.line === 'A' && l.waiting === 1));
    assert.equal(waiting.data.announces.length, 0);
    const next = await intake.inject({ method: 'POST', url: '/api/windows/1/next' });
    assert.equal(next.statusCode, 200, next.body);
    const called = await stream.waitFor((f) => f.event === 'change' && f.data.windows.some((w: any) => w.window === 1 && w.ticket === 'A001'));
    assert.equal(called.data.announces[0].window, 1);
  });

  test('the staff stream needs a session and carries device presence', async (t) => {
    const hub = await startTestHub(t);
    const anonymous = await fetch(`${hub.httpUrl}/api/live/staff`);
    assert.equal(anonymous.status, 401);
    assert.equal(((await anonymous.json()) as any).error.code, 'UNAUTHENTICATED');

    const manager = await signIn(hub, 'manager');
    const stream = await openStream(t, `${hub.httpUrl}/api/live/staff`, {
      cookie: `${SESSION_COOKIE}=${manager.sessionToken}`, [CSRF_HEADER]: manager.csrfToken,
    });
    assert.equal(stream.res.status, 200);
    await stream.waitFor((f) => f.event === 'hello');
    await hub.device('led-3');
    const seen = await stream.waitFor((f) => f.event === 'change' && f.data.devices.includes('led-3'));
    assert.deepEqual(seen.data.topics, []);
  });

  test('back-office topics marked in a unit of work reach the staff stream after commit, not after a rollback', async (t) => {
    const hub = await startTestHub(t);
    const manager = await signIn(hub, 'manager');
    const stream = await openStream(t, `${hub.httpUrl}/api/live/staff`, { cookie: `${SESSION_COOKIE}=${manager.sessionToken}` });
    await stream.waitFor((f) => f.event === 'hello');
    assert.throws(() => hub.ctx.uow.run(() => {
      hub.ctx.uow.topic('payments');
      throw new Error('rolled back');
    }));
    hub.ctx.uow.run(() => hub.ctx.uow.topic('files'));
    const f = await stream.waitFor((x) => x.event === 'change' && x.data.topics.length > 0);
    assert.deepEqual(f.data.topics, ['files']);
    assert.equal(stream.frames.some((x) => x.data.topics?.includes('payments')), false);
  });

  test('open streams do not keep the hub from closing', async (t) => {
    const hub = await startTestHub(t);
    const stream = await openStream(t, `${hub.httpUrl}/api/live/queue`);
    await stream.waitFor((f) => f.event === 'snapshot');
    await hub.close(); // resolves only if the SSE responses were ended
  });
});
