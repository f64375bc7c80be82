// Commands from devices: validate, refuse stale ones, answer repeats from the command log,
// check what this device may do, execute through the queue service, reply.
//
// Commands that arrive together are executed in one SQLite transaction and answered after
// its single commit: the fsync that makes an answer durable is paid once per batch instead
// of once per command, and nothing is answered before it is on disk.
//
// Each command is isolated inside the batch (issue 15, fault 2): everything it does —
// execution and the remembered reply — runs in its own savepoint under its own catch, so
// a command that fails in any way is rolled back alone and answered INTERNAL alone; the
// other devices' commands in the batch still commit. Only a failed commit of the whole
// batch (disk full, I/O error) answers every command of it INTERNAL, since then nothing
// of it is on disk.
import {
  errorReply, okReply, parsePayload, validateCommand, COMMANDS_BY_KIND, ERROR_MESSAGES,
  type Command, type DeviceConfig, type Reply,
} from '@shubbak/protocol';
import type { HubContext } from '../context.ts';
import { DomainError, isContractCode } from '../domain/errors.ts';
import { deviceActor } from '../domain/actor.ts';

export type ReplySink = (deviceId: string, reply: Reply) => void;

type Pending = { deviceId: string; payload: Buffer; receivedAt: number };

export class CommandDispatcher {
  private queue: Pending[] = [];
  private scheduled = false;
  private readonly q;

  constructor(
    private readonly ctx: HubContext,
    private readonly sendReply: ReplySink,
    private readonly log: { error: (obj: unknown, msg: string) => void } = console,
  ) {
    this.q = {
      prune: ctx.db.prepare('DELETE FROM device_commands WHERE received_at < ?'),
    };
  }

  /** Called for every PUBLISH on devices/{id}/commands that the broker accepted. */
  submit(deviceId: string, payload: Buffer): void {
    this.queue.push({ deviceId, payload, receivedAt: performance.now() });
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Forget command ids older than the window in which a repeat must be recognised (≥ 24 h). */
  prune(keepMs = 48 * 3600_000): number {
    return this.q.prune.run(this.ctx.clock() - keepMs).changes;
  }

  flush(): void {
    this.scheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (!batch.length) return;
    let replies: [string, Reply][] = [];
    // The validated type of each command, for the metrics ('invalid' when it did not validate).
    const types: string[] = batch.map(() => 'invalid');
    try {
      this.ctx.uow.run(() => {
        replies = batch.map((p, i) => [p.deviceId, this.isolated(p, (t) => (types[i] = t))] as [string, Reply]);
      });
    } catch (err) {
      // The batch's commit failed (disk full, I/O error): nothing is acknowledged as done.
      this.log.error({ err }, 'command batch failed');
      const at = this.ctx.clock();
      replies = batch.map((p) => [p.deviceId, errorReply(commandIdOf(p.payload), 'INTERNAL', at)]);
    }
    replies.forEach(([deviceId, reply], i) => {
      this.sendReply(deviceId, reply);
      this.ctx.metrics.command(types[i], reply.ok ? 'ok' : reply.error.code, batch[i].receivedAt);
    });
  }

  /**
   * One command in its own savepoint: whatever goes wrong with it (a bug, a constraint, a
   * failed write of its reply) rolls back only what it did and answers only its sender.
   * `typed` learns the command's validated type, for the metrics.
   */
  private isolated(p: Pending, typed: (type: string) => void): Reply {
    try {
      return this.ctx.uow.run(() => this.handleOne(p, typed));
    } catch (err) {
      this.log.error({ err, deviceId: p.deviceId }, 'command failed');
      return errorReply(commandIdOf(p.payload), 'INTERNAL', this.ctx.clock());
    }
  }

  private handleOne({ deviceId, payload }: Pending, typed: (type: string) => void): Reply {
    const now = this.ctx.clock();
    const body = parsePayload(payload);
    // Not a JSON object: its id (if any) is only a guess from the bytes, so the refusal is
    // answered and not stored — the device may send that id again, correctly this time.
    if (!body.ok) return errorReply(commandIdOf(payload), 'BAD_REQUEST', now, [{ path: '/', message: body.message }]);
    const id = readableId(body.value.id);
    // A refusal whose id cannot be read is answered and never stored (there is no key).
    if (id === null) {
      const v = validateCommand(body.value);
      return v.ok ? errorReply(null, 'BAD_REQUEST', now) : errorReply(null, v.error.code, now, v.error.details);
    }
    // An id seen before gets the first answer, not a second execution (PROTOCOL.md "Exactly once").
    const earlier = this.ctx.idempotency.lookup<Reply>(deviceId, id);
    if (earlier) return earlier;

    const v = validateCommand(body.value);
    let reply: Reply;
    let type = typeof body.value.type === 'string' ? body.value.type.slice(0, 40) : '?';
    if (!v.ok) {
      // Remembered like any other reply: a repeat of the id gets this answer again.
      reply = errorReply(id, v.error.code, now, v.error.details);
    } else {
      const cmd = v.command;
      type = cmd.type;
      typed(cmd.type);
      // `at` is a finite integer by the schema; checked again here because a NaN would pass
      // the comparison below (|now − NaN| > ttl is false).
      if (!Number.isSafeInteger(cmd.at) || Math.abs(now - cmd.at) > this.ctx.config.commandTtlMs) {
        reply = errorReply(id, 'STALE', now);
      } else {
        try {
          const result = this.ctx.uow.run(() => this.execute(deviceId, cmd));
          reply = result === QUEUE_EMPTY ? errorReply(id, 'QUEUE_EMPTY', now) : okReply(id, result, now);
        } catch (err) {
          // A refusal outside the device contract's codes cannot be a device's answer: INTERNAL, like any fault.
          if (!(err instanceof DomainError) || !isContractCode(err.code)) throw err; // → isolated(): INTERNAL, this command only
          reply = errorReply(id, err.code, now, err.details, err.message);
        }
      }
    }
    this.ctx.idempotency.remember(deviceId, id, type, reply);
    return reply;
  }

  private execute(deviceId: string, cmd: Command): Record<string, unknown> | typeof QUEUE_EMPTY {
    const { queue, devices } = this.ctx;
    const kind = devices.kindOf(deviceId);
    if (!kind || !COMMANDS_BY_KIND[kind]?.includes(cmd.type)) throw new DomainError('FORBIDDEN', `${ERROR_MESSAGES.FORBIDDEN.ar}: ${cmd.type}`);
    const config = devices.configOf(deviceId);
    if (!config) throw new DomainError('NOT_PROVISIONED');
    const by = deviceActor(deviceId);

    if (config.kind === 'kiosk') {
      switch (cmd.type) {
        case 'ticket.issue':
          if (!config.buttons.some((b) => b.line === cmd.line)) throw new DomainError('FORBIDDEN', 'هذه الخدمة ليست على أزرار هذا الكشك');
        {
          const ticket = queue.issue({ line: cmd.line, priority: cmd.priority, by });
          // A mobile typed at the kiosk's screen: checked and queued in this command's savepoint,
          // exactly as at reception (hub/sms/triggers.ts); a bad one → INVALID_MOBILE, no ticket.
          if (cmd.mobile !== undefined) this.ctx.sms.triggers.subscribeTicket(ticket, cmd.mobile);
          return { ticket };
        }
        case 'ticket.cancel':
          return { ticket: queue.cancel({ number: cmd.number, reason: cmd.reason, by, onlyIssuedBy: by }) };
        case 'booking.checkIn': // "لدي حجز" + the code on the keypad (issue 14 item 3)
          return { ticket: this.ctx.appointments.checkIn(cmd.code, by).ticket };
      }
    }
    if (config.kind === 'keypad') {
      const n = config.window;
      switch (cmd.type) {
        case 'window.next': {
          const r = queue.next(n, by);
          return r.empty ? QUEUE_EMPTY : r.state;
        }
        case 'window.recall':
          return queue.recall(n, by);
        case 'window.noShow':
          return queue.noShow(n, by);
        case 'window.transfer':
          if (!allowedTransfer(config, cmd.toLine)) throw new DomainError('FORBIDDEN', 'التحويل لهذه الخدمة غير مسموح من هذا الشباك');
          return queue.transfer(n, cmd.toLine, by);
        case 'window.pause':
          return queue.pause(n, by);
        case 'window.resume':
          return queue.resume(n, by);
        case 'window.finish':
          return queue.finish(n, by);
      }
    }
    throw new DomainError('FORBIDDEN');
  }
}

/**
 * "Next" on an empty queue still finishes the ticket at the window (that change commits);
 * the device is told QUEUE_EMPTY. A throw would roll the finish back, hence a marker.
 */
const QUEUE_EMPTY = Symbol('queue empty');

function allowedTransfer(config: Extract<DeviceConfig, { kind: 'keypad' }>, line: string): boolean {
  return config.transferTo.includes(line);
}

const COMMAND_ID_RE = /^[A-Za-z0-9_-]{8,64}$/;

function readableId(v: unknown): string | null {
  return typeof v === 'string' && COMMAND_ID_RE.test(v) ? v : null;
}

function commandIdOf(payload: Buffer): string | null {
  const m = /"id"\s*:\s*"([A-Za-z0-9_-]{8,64})"/.exec(payload.subarray(0, 4096).toString('utf8'));
  return m ? m[1] : null;
}
