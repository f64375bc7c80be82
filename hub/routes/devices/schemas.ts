import Type from 'typebox';

export const DeviceIdParams = Type.Object({ id: Type.String({ pattern: '^[a-z0-9-]{1,40}$' }) });
// observer and bridge: identities for the outside, read-only (issue 13; protocol/README.md "Beyond one center").
export const DeviceKindSchema = Type.Union([
  Type.Literal('kiosk'), Type.Literal('keypad'), Type.Literal('display'), Type.Literal('hall'), Type.Literal('observer'), Type.Literal('bridge'),
]);
export const Binding = Type.Object({
  window: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 999 }), Type.Null()])),
  buttons: Type.Optional(Type.Union([Type.Array(Type.Object({ key: Type.Integer({ minimum: 0, maximum: 31 }), line: Type.String({ pattern: '^[A-Z]$' }) }), { maxItems: 16 }), Type.Null()])),
  transferTo: Type.Optional(Type.Union([Type.Array(Type.String({ pattern: '^[A-Z]$' }), { maxItems: 26 }), Type.Null()])),
  rows: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 10 }), Type.Null()])),
}, { additionalProperties: false });
export const RegisterDeviceBody = Type.Object({
  id: Type.String({ pattern: '^[a-z0-9-]{1,40}$' }),
  kind: DeviceKindSchema,
  label: Type.Optional(Type.String({ maxLength: 80 })),
  binding: Type.Optional(Binding),
}, { additionalProperties: false });
export const DeviceView = Type.Object({
  id: Type.String(), kind: DeviceKindSchema, label: Type.String(), binding: Binding, online: Type.Boolean(),
  fw: Type.Union([Type.String(), Type.Null()]), lastSeen: Type.Union([Type.Integer(), Type.Null()]),
  health: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]), healthAt: Type.Union([Type.Integer(), Type.Null()]),
  createdAt: Type.Integer(), secretSetAt: Type.Integer(),
});
export const DeviceWithSecret = Type.Object({ device: DeviceView, secret: Type.String({ description: 'shown once; stored only as a hash' }) });
