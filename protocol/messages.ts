// Payload schemas for every topic of the contract, and one map from topic kind to schema.
import Type from 'typebox';

/** Payloads are at most 4 KiB of UTF-8 JSON. */
export const MAX_PAYLOAD_BYTES = 4096;

export const DEVICE_KINDS = ['kiosk', 'keypad', 'display', 'hall'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

/**
 * Identities for the outside (issue 13, item 2), registered like devices but never a
 * device: an `observer` (a dashboard, Node-RED, Home Assistant) reads state, presence,
 * announcements, alerts, the hub's status and the clock; a `bridge` reads the center's
 * outward topics (OUTWARD_FILTERS) and nothing else. Neither may publish anything.
 */
export const OUTSIDE_KINDS = ['observer', 'bridge'] as const;
export type OutsideKind = (typeof OUTSIDE_KINDS)[number];
/** Every kind of identity the hub registers. */
export const IDENTITY_KINDS = [...DEVICE_KINDS, ...OUTSIDE_KINDS] as const;
export type IdentityKind = DeviceKind | OutsideKind;
export const isOutsideKind = (k: string): k is OutsideKind => (OUTSIDE_KINDS as readonly string[]).includes(k);

/** A center's stable id (SHUBBAK_CENTER_ID), carried in what the hub sends outward. */
export const CENTER_ID = /^[a-z0-9][a-z0-9-]{0,39}$/;
const CenterId = Type.String({ pattern: CENTER_ID.source });

const Line = Type.String({ pattern: '^[A-Z]$' });
const EpochMs = Type.Integer({ minimum: 0 });
const Seq = Type.Integer({ minimum: 0 });

export const DeviceStatus = Type.Union([
  Type.Object({
    online: Type.Literal(true),
    kind: Type.Union([Type.Literal('kiosk'), Type.Literal('keypad'), Type.Literal('display'), Type.Literal('hall')]),
    fw: Type.String({ maxLength: 32 }),
  }),
  Type.Object({ online: Type.Literal(false) }),
]);
export type DeviceStatus = Type.Static<typeof DeviceStatus>;

export const PRINTER_STATES = ['ok', 'paper-low', 'paper-out', 'offline'] as const;
export type PrinterState = (typeof PRINTER_STATES)[number];

/**
 * Paper low still prints; only out of paper or a silent printer stops a kiosk. The kiosk's
 * lamps (kiosk/logic.ts) and the hub's check before its touch screen issues a ticket
 * (hub/services/kiosk-screens.ts) follow this one rule; an unknown state cannot print.
 */
export const canPrint = (p: PrinterState | undefined | null): boolean => p === 'ok' || p === 'paper-low';

/**
 * Kind-specific; the kiosk reports its printer, any device may add more fields. `board` is
 * the controller (the Arduino on USB): offline with a stable code (PORT_NOT_FOUND,
 * PORT_ACCESS, PORT_BUSY, PORT_OPEN_FAILED, PORT_LOST, NO_HANDSHAKE) and an Arabic message.
 */
export const DeviceHealth = Type.Object({
  printer: Type.Optional(Type.Union([Type.Literal('ok'), Type.Literal('paper-low'), Type.Literal('paper-out'), Type.Literal('offline')])),
  board: Type.Optional(Type.Object({
    state: Type.Union([Type.Literal('ok'), Type.Literal('offline')]),
    code: Type.Optional(Type.String({ maxLength: 40 })),
    message: Type.Optional(Type.String({ maxLength: 300 })),
  })),
});
export type DeviceHealth = Type.Static<typeof DeviceHealth> & Record<string, unknown>;

export const KioskConfig = Type.Object({
  kind: Type.Literal('kiosk'),
  center: Type.String(),
  buttons: Type.Array(Type.Object({ key: Type.Integer({ minimum: 0 }), line: Line })),
  footer: Type.String(),
});
export const KeypadConfig = Type.Object({
  kind: Type.Literal('keypad'),
  window: Type.Integer({ minimum: 1 }),
  transferTo: Type.Array(Line),
  /** Addition: the lines this window serves, so the keypad can show how many wait. */
  lines: Type.Optional(Type.Array(Line)),
});
export const DisplayConfig = Type.Object({ kind: Type.Literal('display'), window: Type.Integer({ minimum: 1 }) });
export const HallConfig = Type.Object({ kind: Type.Literal('hall'), rows: Type.Integer({ minimum: 1, maximum: 10 }) });
export const DeviceConfig = Type.Union([KioskConfig, KeypadConfig, DisplayConfig, HallConfig]);
export type KioskConfig = Type.Static<typeof KioskConfig>;
export type KeypadConfig = Type.Static<typeof KeypadConfig>;
export type DisplayConfig = Type.Static<typeof DisplayConfig>;
export type HallConfig = Type.Static<typeof HallConfig>;
export type DeviceConfig = Type.Static<typeof DeviceConfig>;

export const WINDOW_STATUSES = ['idle', 'serving', 'paused', 'closed'] as const;
export type WindowStatus = (typeof WINDOW_STATUSES)[number];

export const WindowState = Type.Object({
  window: Type.Integer({ minimum: 1 }),
  label: Type.String(),
  status: Type.Union([Type.Literal('idle'), Type.Literal('serving'), Type.Literal('paused'), Type.Literal('closed')]),
  ticket: Type.Union([Type.String(), Type.Null()]),
  line: Type.Union([Line, Type.Null()]),
  calledAt: Type.Union([EpochMs, Type.Null()]),
  seq: Seq,
});
export type WindowState = Type.Static<typeof WindowState>;

export const LineState = Type.Object({
  line: Line,
  name: Type.String(),
  open: Type.Boolean(),
  waiting: Type.Integer({ minimum: 0 }),
  estimatedWaitMin: Type.Integer({ minimum: 0 }),
  seq: Seq,
});
export type LineState = Type.Static<typeof LineState>;

export const HallCall = Type.Object({ ticket: Type.String(), window: Type.Integer({ minimum: 1 }), at: EpochMs });
export type HallCall = Type.Static<typeof HallCall>;
export const HallCalls = Type.Object({ calls: Type.Array(HallCall, { maxItems: 10 }), seq: Seq });
export type HallCalls = Type.Static<typeof HallCalls>;

export const HallAnnounce = Type.Object({
  ticket: Type.String(),
  window: Type.Integer({ minimum: 1 }),
  at: EpochMs,
  recall: Type.Boolean(),
});
export type HallAnnounce = Type.Static<typeof HallAnnounce>;

export const Clock = Type.Object({ at: EpochMs });
export type Clock = Type.Static<typeof Clock>;

/**
 * The hub's own presence on hub/status (retained). `at` is when this was published: the
 * start, or the clean stop. A hub that dies cannot say so; see protocol/README.md.
 */
export const HubStatus = Type.Object({
  online: Type.Boolean(),
  center: CenterId,
  version: Type.String({ maxLength: 40 }),
  at: EpochMs,
});
export type HubStatus = Type.Static<typeof HubStatus>;

/** A device's open alerts on alerts/{id} (retained while any is open; an empty payload clears it). */
export const DeviceAlerts = Type.Object({
  deviceId: Type.String(),
  center: Type.Optional(CenterId),
  alerts: Type.Array(Type.Object({ id: Type.Integer(), kind: Type.String(), severity: Type.String(), messageAr: Type.String() })),
  at: EpochMs,
});
export type DeviceAlerts = Type.Static<typeof DeviceAlerts>;
