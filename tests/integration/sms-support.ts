// A test SMSC, from the server side of the same `smpp` package the hub sends with: binds a
// transceiver (checking system_id and password), answers each submit_sm as the test's
// policy says (ESME_ROK with a message_id, a throttling error, or a dropped link before or
// after the answer), records what arrived, and sends delivery receipts (deliver_sm with
// esm_class 0x04). Ephemeral port on loopback; close() ends every session and the server.
// Also: a bounded waitFor, and a hub configured for it.
import type { TestContext } from 'node:test';
import type { AddressInfo } from 'node:net';
import smpp, { type PDU, type Session } from 'smpp';
import { startTestHub, type TestHub } from '../helpers/hub.ts';
import type { HubConfig } from '../../hub/config.ts';
import type { Clock } from '../../hub/domain/time.ts';

export type Received = {
  seq: number; dest: string; source: string; esmClass: number; dataCoding: number; text: string;
  /** Concatenation UDH (IEI 0x00): reference, total, sequence. */
  concat: { ref: number; total: number; seq: number } | null;
  messageId: string | null;
};
/** What the SMSC does with the n-th submit_sm (1-based, over the SMSC's whole life). */
export type Policy = (n: number, r: Received) => 'ok' | 'throttle' | 'queue_full' | 'drop_before_resp' | 'drop_after_resp' | 'invalid_dest';

export type TestSmsc = {
  port: number;
  received: Received[];
  binds: { systemId: string; password: string; ok: boolean }[];
  /** Submits acknowledged with ESME_ROK. */
  accepted(): Received[];
  policy: Policy;
  receipts: boolean;
  /** enquire_link PDUs received from the hub. */
  enquireLinks: number;
  /** From now on the sessions open at this moment answer nothing (TCP stays open: a hung SMSC, a silent NAT); new sessions are served. */
  silence(): void;
  /** The whole texts of the accepted messages (long ones reassembled from their UDH parts), per destination. */
  messages(): { dest: string; text: string; parts: number }[];
  close(): Promise<void>;
};

export const SYSTEM_ID = 'shubbak';
export const PASSWORD = 'secret12';

export async function startSmsc(t: TestContext, opts: { policy?: Policy; receipts?: boolean } = {}): Promise<TestSmsc> {
  const received: Received[] = [];
  const binds: TestSmsc['binds'] = [];
  let n = 0;
  let ids = 0;
  const sessions = new Set<Session>();
  const silent = new WeakSet<Session>();
  const smsc: TestSmsc = {
    port: 0, received, binds, policy: opts.policy ?? (() => 'ok'), receipts: opts.receipts ?? true, enquireLinks: 0,
    silence() {
      for (const s of sessions) silent.add(s);
    },
    accepted: () => received.filter((r) => r.messageId !== null),
    messages() {
      const out: { dest: string; text: string; parts: number }[] = [];
      const groups = new Map<string, Received[]>();
      for (const r of smsc.accepted()) {
        if (!r.concat) out.push({ dest: r.dest, text: r.text, parts: 1 });
        else {
          const key = `${r.dest}/${r.concat.ref}`;
          groups.set(key, [...(groups.get(key) ?? []), r]);
        }
      }
      for (const g of groups.values()) {
        const total = g[0].concat!.total;
        const bySeq = new Map(g.map((r) => [r.concat!.seq, r.text]));
        if (bySeq.size !== total) continue; // incomplete: not a message (yet)
        out.push({ dest: g[0].dest, text: [...Array(total).keys()].map((i) => bySeq.get(i + 1)).join(''), parts: total });
      }
      return out;
    },
    async close() {
      for (const s of sessions) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = smpp.createServer((session: Session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
    session.on('error', () => {});
    session.on('bind_transceiver', (pdu: PDU) => {
      const ok = pdu.system_id === SYSTEM_ID && pdu.password === PASSWORD;
      binds.push({ systemId: pdu.system_id, password: pdu.password, ok });
      session.send(pdu.response({ command_status: ok ? 0 : smpp.ESME_RBINDFAIL, system_id: 'test-smsc' }));
    });
    session.on('enquire_link', (pdu: PDU) => {
      smsc.enquireLinks++;
      if (!silent.has(session)) session.send(pdu.response());
    });
    session.on('unbind', (pdu: PDU) => {
      if (silent.has(session)) return;
      session.send(pdu.response());
      session.close();
    });
    session.on('submit_sm', (pdu: PDU) => {
      if (silent.has(session)) {
        received.push({ seq: 0, dest: pdu.destination_addr, source: pdu.source_addr, esmClass: pdu.esm_class, dataCoding: pdu.data_coding, text: '(unanswered)', concat: null, messageId: null });
        return;
      }
      n += 1;
      const sm = pdu.short_message as { udh?: Buffer[]; message: string | Buffer };
      // The package's decoder has read the UDH off and the UCS-2 (data_coding 8) octets as text.
      const text = typeof sm.message === 'string' ? sm.message : sm.message.toString('latin1');
      const h = sm.udh?.find((u) => u[0] === 0x00);
      const r: Received = {
        seq: n, dest: pdu.destination_addr, source: pdu.source_addr, esmClass: pdu.esm_class, dataCoding: pdu.data_coding, text,
        concat: h ? { ref: h[2], total: h[3], seq: h[4] } : null, messageId: null,
      };
      received.push(r);
      const what = smsc.policy(n, r);
      if (what === 'drop_before_resp') {
        session.destroy();
        return;
      }
      if (what === 'throttle' || what === 'queue_full' || what === 'invalid_dest') {
        const status = { throttle: smpp.ESME_RTHROTTLED, queue_full: smpp.ESME_RMSGQFUL, invalid_dest: smpp.ESME_RINVDSTADR }[what];
        session.send(pdu.response({ command_status: status }));
        return;
      }
      const messageId = `M${++ids}`;
      r.messageId = messageId;
      session.send(pdu.response({ message_id: messageId }), () => {
        if (what === 'drop_after_resp') {
          session.destroy();
          return;
        }
        if (!smsc.receipts) return;
        setTimeout(() => {
          if (session.socket.destroyed) return;
          const stamp = '2611301200';
          session.deliver_sm({
            source_addr: pdu.destination_addr, destination_addr: pdu.source_addr, esm_class: 0x04,
            short_message: `id:${messageId} sub:001 dlvrd:001 submit date:${stamp} done date:${stamp} stat:DELIVRD err:000 text:`,
            receipted_message_id: messageId, message_state: 2,
          });
        }, 5);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  smsc.port = (server.address() as AddressInfo).port;
  t.after(() => smsc.close());
  return smsc;
}

/** Poll until pred() is true, or fail after timeoutMs (no test waits forever). */
export async function waitFor(what: string, pred: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A test hub whose SMS sender talks to the test SMSC, with short retry times. */
export async function hubWithSmsc(t: TestContext, smsc: TestSmsc | null, config: Partial<HubConfig> = {}, dataDir?: string, clock?: Clock): Promise<TestHub> {
  return startTestHub(t, {
    dataDir, clock,
    config: {
      smsHost: smsc ? '127.0.0.1' : null, smsPort: smsc?.port ?? 2775, smsSystemId: SYSTEM_ID, smsPassword: PASSWORD,
      smsRetryBaseMs: 50, smsRetryMaxMs: 400, smsResponseTimeoutMs: 2000, smsEnquireLinkMs: 60_000, ...config,
    },
  });
}

export type OutboxView = { id: number; mobile: string; kind: string; text: string; state: string; attempts: number; partsTotal: number; partsDone: number; receiptState: string | null; messageIds: string[]; lastError: string | null };

export function outbox(hub: TestHub): OutboxView[] {
  return (hub.ctx.db.prepare(`SELECT o.*, (SELECT json_group_array(message_id) FROM (SELECT message_id FROM sms_parts p WHERE p.outbox_id = o.id ORDER BY part)) AS ids
    FROM sms_outbox o ORDER BY id`).all() as Record<string, any>[]).map((r) => ({
    id: r.id, mobile: r.mobile, kind: r.kind, text: r.text, state: r.state, attempts: r.attempts, partsTotal: r.parts_total, partsDone: r.parts_done,
    receiptState: r.receipt_state, messageIds: JSON.parse(r.ids), lastError: r.last_error,
  }));
}
