// The SMPP 3.4 adapter: the one place the hub speaks to the operator's SMSC (the `smpp`
// package, node-smpp). It binds as a transceiver (bind_transceiver, SMPP 3.4 §4.1.5) to the
// configured host and port with the configured system_id and password, drains the outbox
// (hub/sms/outbox.ts) one submit_sm at a time, and takes delivery receipts on the same link
// (deliver_sm with esm_class "MC delivery receipt", §5.2.12; receipted_message_id and
// message_state TLVs, §5.3.2.12/§5.3.2.35, else the "id:… stat:…" text of Appendix B).
//
// Nothing sent twice, nothing lost — and the one window where the protocol cannot promise:
//  - a part is recorded as submitted (its message_id stored, parts_done advanced) only when
//    its submit_sm_resp with ESME_ROK arrives, in a SQLite transaction committed before the
//    next PDU is written. A long message resumes after its acknowledged parts, with the same
//    concatenation reference, so a drop in the middle never resends the parts already taken;
//  - at-least-once window: if the link drops (or no answer comes within
//    smsResponseTimeoutMs) after a submit_sm was written and before its submit_sm_resp was
//    read, the SMSC may or may not have taken it, and SMPP 3.4 gives no way to ask; that part
//    is submitted again after the reconnect. The window is kept as small as the protocol
//    allows: one outstanding submit_sm at a time (window size 1), so at most ONE part can be
//    duplicated per drop;
//  - throttling (ESME_RTHROTTLED, ESME_RMSGQFUL) and transient SMSC errors (ESME_RSYSERR,
//    ESME_RX_T_APPN) put the message back with an exponential backoff and hold the whole link
//    for that long (the SMSC asked us to slow down); a dropped link is rebound with the same
//    backoff. Other errors (a refused destination…) fail the message for good.
// A link that stops answering (the SMSC hung, a NAT or firewall silently dropped the TCP
// connection) is found by our own enquire_link (SMPP 3.4 §4.11) every smsEnquireLinkMs while
// bound: no enquire_link_resp within smsResponseTimeoutMs and the link is closed and rebound,
// exactly like a drop (a part in flight is offered again, acknowledged parts never are).
// While the kill switch is off (SHUBBAK_SMS_ENABLED=false or the administrator's pause)
// nothing is submitted; the link may stay bound for receipts of earlier messages.
// The link's state and counters (state(), stats) are read by /metrics (hub/ops).
import smpp, { type PDU, type Session } from 'smpp';
import type { HubConfig } from '../config.ts';
import { backoffMs, type SmsOutbox } from './outbox.ts';
import { encodeParts } from './encoding.ts';

type Log = { info(o: object, msg?: string): void; warn(o: object, msg?: string): void; error(o: object, msg?: string): void };

/** Worth another try later (SMPP 3.4 §5.1.3 command_status): throttling and transient errors. */
const RETRYABLE = new Set([smpp.ESME_RTHROTTLED, smpp.ESME_RMSGQFUL, smpp.ESME_RSYSERR, smpp.errors.ESME_RX_T_APPN ?? 0x64]);
const THROTTLE = new Set([smpp.ESME_RTHROTTLED, smpp.ESME_RMSGQFUL]);
/** How often an idle sender looks at the outbox (it is also woken after each commit). */
const IDLE_POLL_MS = 1000;
/** message_state (§5.2.28) → the receipt's stat word (Appendix B). */
const MESSAGE_STATES: Record<number, string> = { 1: 'ENROUTE', 2: 'DELIVRD', 3: 'EXPIRED', 4: 'DELETED', 5: 'UNDELIV', 6: 'ACCEPTD', 7: 'UNKNOWN', 8: 'REJECTD' };

function statusName(code: number): string {
  return Object.entries(smpp.errors).find(([, v]) => v === code)?.[0] ?? `0x${code.toString(16)}`;
}

/** Since start: binds, links lost, submit_sm written / acknowledged (parts), messages put back or refused for good, receipts by stat. */
export type SenderStats = {
  binds: number; drops: number; submits: number; accepted: number; retried: number; refused: number; receipts: number; enquireLinks: number;
  receiptsByStat: Record<string, number>;
};
export type LinkState = { bound: boolean; lastError: string | null; lastErrorAt: number | null };

export class SmppSender {
  private session: Session | null = null;
  private bound = false;
  private stopped = true;
  private inFlight: { id: number; part: number; timer: NodeJS.Timeout } | null = null;
  private timer: NodeJS.Timeout | null = null;
  private holdUntil = 0;
  private reconnects = 0;
  private enquire: { every: NodeJS.Timeout; waiting: NodeJS.Timeout | null } | null = null;
  private lastError: { why: string; at: number } | null = null;
  readonly stats: SenderStats = { binds: 0, drops: 0, submits: 0, accepted: 0, retried: 0, refused: 0, receipts: 0, enquireLinks: 0, receiptsByStat: {} };

  constructor(
    private readonly outbox: SmsOutbox,
    private readonly config: HubConfig,
    private readonly log: Log,
  ) {}

  start(): void {
    if (!this.stopped) return;
    if (!this.config.smsHost) throw new Error('no SMSC configured (SHUBBAK_SMS_HOST)');
    this.stopped = false;
    this.connect();
  }

  /** Unbind politely if bound, then close; waits at most a second. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.clearTimer();
    this.stopEnquireLink();
    if (this.inFlight) clearTimeout(this.inFlight.timer);
    const s = this.session;
    this.session = null;
    if (!s) return;
    await new Promise<void>((resolve) => {
      const done = setTimeout(() => {
        s.destroy();
        resolve();
      }, 1000);
      s.socket.once('close', () => {
        clearTimeout(done);
        resolve();
      });
      if (this.bound && s.unbind({}, () => s.close())) return;
      s.destroy();
    });
    this.bound = false;
  }

  /** Something was queued or the switch changed: look at the outbox now. */
  wake(): void {
    if (this.stopped || !this.bound || this.inFlight) return;
    if (Date.now() < this.holdUntil) return;
    this.schedule(0);
  }

  get isBound(): boolean {
    return this.bound;
  }

  /** Bound or not, and why the link last went down (for /metrics). */
  state(): LinkState {
    return { bound: this.bound, lastError: this.lastError?.why ?? null, lastErrorAt: this.lastError?.at ?? null };
  }

  /** While bound: an enquire_link every smsEnquireLinkMs; no answer in time → the link is dropped. */
  private startEnquireLink(session: Session): void {
    this.stopEnquireLink();
    const every = setInterval(() => {
      if (this.session !== session || !this.enquire || this.enquire.waiting) return;
      const waiting = setTimeout(() => this.drop(session, 'no enquire_link_resp'), this.config.smsResponseTimeoutMs);
      waiting.unref?.();
      this.enquire.waiting = waiting;
      this.stats.enquireLinks++;
      session.enquire_link({}, () => {
        clearTimeout(waiting);
        if (this.enquire?.waiting === waiting) this.enquire.waiting = null;
      });
    }, this.config.smsEnquireLinkMs);
    every.unref?.();
    this.enquire = { every, waiting: null };
  }

  private stopEnquireLink(): void {
    if (!this.enquire) return;
    clearInterval(this.enquire.every);
    if (this.enquire.waiting) clearTimeout(this.enquire.waiting);
    this.enquire = null;
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(ms: number): void {
    this.clearTimer();
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      const s = this.session;
      if (s) this.guard(s, () => this.pump());
    }, Math.max(0, ms));
    this.timer.unref?.();
  }

  /**
   * Socket callbacks run outside any request: an unexpected failure (the database full or
   * locked…) is logged and the link made again, never thrown into the event loop (which
   * would take the hub down). What was not recorded is retried: at least once, as above.
   */
  private guard(session: Session, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.log.error({ err }, 'SMS sender failed; the link is made again');
      try {
        this.drop(session, 'sender error');
      } catch (err2) {
        this.log.error({ err: err2 }, 'SMS sender could not recover');
      }
    }
  }

  private connect(): void {
    if (this.stopped) return;
    const session = smpp.connect({ host: this.config.smsHost!, port: this.config.smsPort });
    this.session = session;
    let bindTimer: NodeJS.Timeout | null = null;
    session.on('connect', () => {
      // A link that died silently (a NAT forgetting it) is found by TCP keepalive, or at the latest by the next submit's timeout.
      session.socket.setKeepAlive(true, 30_000);
      bindTimer = setTimeout(() => this.drop(session, 'no bind_resp'), this.config.smsResponseTimeoutMs);
      session.bind_transceiver({
        system_id: this.config.smsSystemId, password: this.config.smsPassword, system_type: this.config.smsSystemType, interface_version: 0x34,
      }, (pdu) => {
        if (bindTimer) clearTimeout(bindTimer);
        if (this.session !== session) return;
        if (pdu.command_status !== 0) {
          this.log.error({ status: statusName(pdu.command_status) }, 'SMSC refused the bind');
          this.drop(session, `bind refused: ${statusName(pdu.command_status)}`);
          return;
        }
        this.bound = true;
        this.reconnects = 0;
        this.stats.binds++;
        this.startEnquireLink(session);
        this.log.info({ host: this.config.smsHost, port: this.config.smsPort }, 'SMSC bound (transceiver)');
        this.schedule(Math.max(0, this.holdUntil - Date.now()));
      });
    });
    session.on('deliver_sm', (pdu: PDU) => this.guard(session, () => this.onDeliver(session, pdu)));
    session.on('enquire_link', (pdu: PDU) => session.send(pdu.response()));
    session.on('unbind', (pdu: PDU) => {
      session.send(pdu.response());
      this.drop(session, 'SMSC unbound');
    });
    session.on('error', (err: Error) => this.drop(session, err.message));
    session.on('close', () => {
      if (bindTimer) clearTimeout(bindTimer);
      this.drop(session, 'link closed');
    });
  }

  /** The link is gone (or must go): the part in flight is retried, the link made again after a backoff. */
  private drop(session: Session, why: string): void {
    if (this.session !== session) return;
    this.session = null;
    const wasBound = this.bound;
    this.bound = false;
    this.clearTimer();
    this.stopEnquireLink();
    this.lastError = { why, at: Date.now() };
    session.destroy();
    if (this.inFlight) {
      clearTimeout(this.inFlight.timer);
      const { id } = this.inFlight;
      this.inFlight = null;
      // Submitted but not acknowledged: the at-least-once window (see the header). If even
      // this cannot be written, the row stays queued and is offered again all the same.
      try {
        this.outbox.retryLater(id, `link dropped before submit_sm_resp (${why})`);
      } catch (err) {
        this.log.error({ err, id }, 'SMS retry not recorded');
      }
    }
    if (wasBound) this.stats.drops++;
    if (this.stopped) return;
    this.reconnects++;
    const delay = backoffMs(this.reconnects, this.config.smsRetryBaseMs, this.config.smsRetryMaxMs);
    this.log.warn({ why, retryInMs: delay }, 'SMSC link down');
    const t = setTimeout(() => this.connect(), delay);
    t.unref?.();
    this.timer = t;
  }

  private pump(): void {
    const session = this.session;
    if (this.stopped || !this.bound || !session || this.inFlight) return;
    const now = Date.now();
    if (now < this.holdUntil) return this.schedule(this.holdUntil - now);
    if (!this.outbox.sending) return this.schedule(IDLE_POLL_MS);
    const row = this.outbox.nextDue();
    if (!row) {
      const at = this.outbox.nextDueAt();
      return this.schedule(at === null ? IDLE_POLL_MS : Math.min(IDLE_POLL_MS, Math.max(0, at - now)));
    }
    const parts = encodeParts(row.text, row.concat_ref ?? 0);
    const part = row.parts_done + 1;
    const p = parts[part - 1];
    const timer = setTimeout(() => this.drop(session, 'no submit_sm_resp'), this.config.smsResponseTimeoutMs);
    this.inFlight = { id: row.id, part, timer };
    const written = session.submit_sm({
      source_addr_ton: 5, source_addr_npi: 0, source_addr: this.config.smsSourceAddr, // alphanumeric sender (§5.2.5)
      dest_addr_ton: 1, dest_addr_npi: 1, destination_addr: row.mobile, // international, E.164
      esm_class: p.esmClass, data_coding: p.dataCoding, short_message: p.shortMessage,
      registered_delivery: 1, // a receipt on final outcome (§5.2.17)
    }, (resp) => this.guard(session, () => this.onSubmitResp(session, row.id, part, resp)));
    if (!written) this.drop(session, 'socket not writable');
    else this.stats.submits++;
  }

  private onSubmitResp(session: Session, id: number, part: number, resp: PDU): void {
    if (!this.inFlight || this.inFlight.id !== id || this.inFlight.part !== part || this.session !== session) return;
    clearTimeout(this.inFlight.timer);
    this.inFlight = null;
    const status = resp.command_status;
    if (status === 0) {
      this.outbox.partSubmitted(id, part, String(resp.message_id ?? ''));
      this.stats.accepted++;
      this.schedule(0);
    } else if (RETRYABLE.has(status)) {
      const delay = this.outbox.retryLater(id, statusName(status));
      this.stats.retried++;
      // Throttling is the SMSC's, not the message's: hold the whole link.
      if (THROTTLE.has(status)) this.holdUntil = Date.now() + delay;
      this.log.warn({ id, status: statusName(status), retryInMs: delay }, 'SMS put back');
      this.schedule(THROTTLE.has(status) ? delay : 0);
    } else {
      this.outbox.failed(id, statusName(status));
      this.stats.refused++;
      this.log.warn({ id, status: statusName(status) }, 'SMS refused by the SMSC');
      this.schedule(0);
    }
  }

  private onDeliver(session: Session, pdu: PDU): void {
    session.send(pdu.response());
    const esm = Number(pdu.esm_class ?? 0);
    if ((esm & 0x3c) !== 0x04) return; // a citizen's reply (mobile originated): not handled
    const text = receiptText(pdu.short_message);
    const messageId = pdu.receipted_message_id ? String(pdu.receipted_message_id) : /id:(\S+)/i.exec(text)?.[1];
    const stat = pdu.message_state !== undefined ? MESSAGE_STATES[Number(pdu.message_state)] : /stat:(\w+)/i.exec(text)?.[1]?.toUpperCase();
    if (!messageId || !stat) {
      this.log.warn({ text }, 'delivery receipt without id or stat');
      return;
    }
    this.stats.receipts++;
    this.stats.receiptsByStat[stat] = (this.stats.receiptsByStat[stat] ?? 0) + 1;
    if (this.outbox.receipt(messageId, stat) === null) this.log.warn({ messageId }, 'receipt for an unknown message');
  }
}

function receiptText(sm: unknown): string {
  if (typeof sm === 'string') return sm;
  if (Buffer.isBuffer(sm)) return sm.toString('latin1');
  if (sm && typeof sm === 'object' && 'message' in sm) return receiptText((sm as { message: unknown }).message);
  return '';
}
