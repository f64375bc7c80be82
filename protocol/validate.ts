// Bytes on a topic → a typed message, or a structured error that says why not.
import type { TSchema } from 'typebox';
import { checkerFor } from './schema-check.ts';
import { parseTopic, type ParsedTopic } from './topics.ts';
import {
  Clock, DeviceAlerts, DeviceConfig, DeviceHealth, DeviceStatus, HallAnnounce, HallCalls, HubStatus, LineState, MAX_PAYLOAD_BYTES, WindowState,
} from './messages.ts';
import type {
  Clock as ClockT, DeviceConfig as DeviceConfigT, DeviceHealth as DeviceHealthT, DeviceStatus as DeviceStatusT,
  HallAnnounce as HallAnnounceT, HallCalls as HallCallsT, LineState as LineStateT, WindowState as WindowStateT,
  HubStatus as HubStatusT, DeviceAlerts as DeviceAlertsT,
} from './messages.ts';
import { COMMAND_ID, CommandResults, CommandSchemas, PrintRequest, Reply, type Command, type CommandType, type ErrorCode, type PrintRequest as PrintRequestT, type Reply as ReplyT } from './commands.ts';

export type ValidationError = {
  code: Extract<ErrorCode, 'BAD_REQUEST' | 'UNKNOWN_COMMAND'>;
  message: string;
  details: { path: string; message: string }[];
  /** The command id, when one could be read even though the rest is wrong. */
  commandId: string | null;
};

export type Message =
  | { kind: 'status'; deviceId: string; payload: DeviceStatusT }
  | { kind: 'health'; deviceId: string; payload: DeviceHealthT }
  | { kind: 'command'; deviceId: string; payload: Command }
  | { kind: 'reply'; deviceId: string; payload: ReplyT }
  | { kind: 'config'; deviceId: string; payload: DeviceConfigT }
  | { kind: 'print'; deviceId: string; payload: PrintRequestT }
  | { kind: 'windowState'; window: number; payload: WindowStateT }
  | { kind: 'lineState'; line: string; payload: LineStateT }
  | { kind: 'hallCalls'; payload: HallCallsT }
  | { kind: 'hallAnnounce'; payload: HallAnnounceT }
  | { kind: 'clock'; payload: ClockT }
  | { kind: 'alerts'; deviceId: string; payload: DeviceAlertsT }
  | { kind: 'hubStatus'; payload: HubStatusT };

export type Validated = { ok: true; message: Message } | { ok: false; error: ValidationError };

// The checkers come from ./schema-check.ts: typebox's Compile from source, precompiled code in
// the built device programs (scripts/build-schemas.ts).
function check(schema: TSchema, value: unknown): { path: string; message: string }[] {
  const c = checkerFor(schema);
  if (c.check(value)) return [];
  return c.errors(value).slice(0, 8);
}

const COMMAND_ID_RE = new RegExp(COMMAND_ID);

function fail(code: ValidationError['code'], message: string, details: ValidationError['details'] = [], commandId: string | null = null): Validated {
  return { ok: false, error: { code, message, details, commandId } };
}

/** Parse JSON bytes of at most MAX_PAYLOAD_BYTES into a plain object. */
export function parsePayload(bytes: Uint8Array | string): { ok: true; value: Record<string, unknown> } | { ok: false; message: string } {
  const size = typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.byteLength;
  if (size > MAX_PAYLOAD_BYTES) return { ok: false, message: `payload is ${size} bytes, more than ${MAX_PAYLOAD_BYTES}` };
  let value: unknown;
  try {
    value = JSON.parse(typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('utf8'));
  } catch {
    return { ok: false, message: 'payload is not valid JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, message: 'payload is not a JSON object' };
  return { ok: true, value: value as Record<string, unknown> };
}

/** Validate a command object (already parsed from JSON). */
export function validateCommand(value: Record<string, unknown>): { ok: true; command: Command } | { ok: false; error: ValidationError } {
  const id = typeof value.id === 'string' && COMMAND_ID_RE.test(value.id) ? value.id : null;
  const type = value.type;
  // Own properties only: `type in CommandSchemas` also matched "__proto__", "toString",
  // "constructor" (PROTOCOL.md: a type not among the table's own names is UNKNOWN_COMMAND).
  if (typeof type !== 'string' || !Object.hasOwn(CommandSchemas, type)) {
    if (typeof type !== 'string') {
      return { ok: false, error: { code: 'BAD_REQUEST', message: 'type is missing', details: [{ path: '/type', message: 'required string' }], commandId: id } };
    }
    return { ok: false, error: { code: 'UNKNOWN_COMMAND', message: `unknown command type "${type.slice(0, 40)}"`, details: [], commandId: id } };
  }
  const details = check(CommandSchemas[type as CommandType], value);
  if (details.length) return { ok: false, error: { code: 'BAD_REQUEST', message: 'command does not fit its schema', details, commandId: id } };
  return { ok: true, command: value as Command };
}

/** Check a reply's result against its command's result schema; the mismatches, empty when it fits. */
export function checkResult(type: CommandType, result: unknown): { path: string; message: string }[] {
  return check(CommandResults[type], result);
}

const SCHEMAS = {
  status: DeviceStatus,
  health: DeviceHealth,
  replies: Reply,
  config: DeviceConfig,
  print: PrintRequest,
  windowState: WindowState,
  lineState: LineState,
  hallCalls: HallCalls,
  hallAnnounce: HallAnnounce,
  clock: Clock,
  alerts: DeviceAlerts,
  hubStatus: HubStatus,
} as const;

/** The single entry point: which topic, which bytes → typed message or structured error. */
export function validate(topic: string, bytes: Uint8Array | string): Validated {
  const parsed: ParsedTopic | null = parseTopic(topic);
  if (!parsed) return fail('BAD_REQUEST', `topic "${topic.slice(0, 120)}" is not part of the contract`);
  const body = parsePayload(bytes);
  if (!body.ok) return fail('BAD_REQUEST', body.message);
  const value = body.value;

  if (parsed.kind === 'device') {
    const { deviceId, sub } = parsed;
    if (sub === 'commands') {
      const c = validateCommand(value);
      return c.ok ? { ok: true, message: { kind: 'command', deviceId, payload: c.command } } : { ok: false, error: c.error };
    }
    const details = check(SCHEMAS[sub], value);
    if (details.length) return fail('BAD_REQUEST', `${sub} payload does not fit its schema`, details);
    const kind = sub === 'replies' ? 'reply' : sub;
    return { ok: true, message: { kind, deviceId, payload: value } as Message };
  }
  const details = check(SCHEMAS[parsed.kind], value);
  if (details.length) return fail('BAD_REQUEST', `${parsed.kind} payload does not fit its schema`, details);
  return { ok: true, message: { ...parsed, payload: value } as Message };
}
