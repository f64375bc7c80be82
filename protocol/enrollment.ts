// The enrollment contract between the hub and a device being installed (issue 10 item 5):
// an administrator issues a one-time code for a registered device; on the Pi,
// `shubbak-device enroll http://hub:8080 CODE` posts the code to POST /api/enroll and gets
// back, once, what the device program needs to connect (its id, a fresh secret, the
// broker's address). Shared by the hub (routes/enroll) and the device CLI
// (protocol/shubbak-device.ts), so both read the same shapes and the same error codes.
import Type from 'typebox';

export const DEVICE_KINDS = ['kiosk', 'keypad', 'display', 'hall'] as const;
export const EnrollKind = Type.Union([Type.Literal('kiosk'), Type.Literal('keypad'), Type.Literal('display'), Type.Literal('hall')]);

/**
 * The code's shape as typed: 8 symbols of Crockford's base32 (no I, L, O, U, so nothing
 * reads as another symbol), shown as XXXX-XXXX. 40 bits: with 10 tries per address per
 * 15 minutes and a code that lives 15 minutes, guessing one is hopeless.
 */
export const ENROLL_CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const ENROLL_CODE_LENGTH = 8;

/** The request body. The code is checked by the hub, not the schema, so a malformed one counts as a wrong guess. */
export const EnrollRequest = Type.Object({
  code: Type.String({ minLength: 1, maxLength: 64 }),
  /** The role the CLI is installing; a code for another kind of device is refused and stays valid. */
  kind: Type.Optional(EnrollKind),
}, { additionalProperties: false });
export type EnrollRequest = Type.Static<typeof EnrollRequest>;

export const EnrollResponse = Type.Object({
  deviceId: Type.String({ pattern: '^[a-z0-9-]{1,40}$' }),
  kind: EnrollKind,
  /** The device's new secret (256 random bits, base64url); the hub keeps only its hash. */
  secret: Type.String({ pattern: '^[A-Za-z0-9_-]{20,100}$' }),
  /** The broker as the device should reach it: the host the CLI used, the hub's MQTT port. */
  mqttUrl: Type.String({ pattern: '^mqtts?://[A-Za-z0-9.:\\[\\]-]+$' }),
  /**
   * The center's CA certificate (PEM) once the hub speaks TLS (issue 17); null until then.
   * The CLI writes it beside the env file when present.
   */
  caCert: Type.Union([Type.String({ maxLength: 16384 }), Type.Null()]),
});
export type EnrollResponse = Type.Static<typeof EnrollResponse>;

/** Why an enrollment was refused: stable codes, one message in each language. */
export const ENROLL_ERRORS = {
  ENROLL_CODE_INVALID: {
    status: 400,
    ar: 'رمز التسجيل غير صحيح. تأكد من الرمز كما يظهر في لوحة الإدارة',
    en: 'The enrollment code is not valid. Check it against the one shown in the admin panel',
  },
  ENROLL_CODE_USED: {
    status: 409,
    ar: 'رمز التسجيل استُخدم من قبل. اطلب رمزًا جديدًا من مدير النظام',
    en: 'The enrollment code has already been used. Ask the administrator for a new one',
  },
  ENROLL_CODE_EXPIRED: {
    status: 410,
    ar: 'انتهت صلاحية رمز التسجيل (١٥ دقيقة). اطلب رمزًا جديدًا من مدير النظام',
    en: 'The enrollment code has expired (15 minutes). Ask the administrator for a new one',
  },
  ENROLL_WRONG_KIND: {
    status: 409,
    ar: 'هذا الرمز لجهاز من نوع آخر. لم يُستخدم الرمز، استخدمه على الجهاز الصحيح',
    en: 'This code is for another kind of device. The code was not used; use it on the right device',
  },
  ENROLL_LOCKED: {
    status: 429,
    ar: 'محاولات خاطئة كثيرة من هذا العنوان. انتظر ١٥ دقيقة ثم حاول مرة أخرى',
    en: 'Too many wrong codes from this address. Wait 15 minutes and try again',
  },
} as const;
export type EnrollErrorCode = keyof typeof ENROLL_ERRORS;

/** Valid for 15 minutes; 10 wrong codes from one address lock it out for 15 minutes (issue 10). */
export const ENROLL_CODE_TTL_MS = 15 * 60_000;
export const ENROLL_MAX_FAILURES = 10;
export const ENROLL_LOCKOUT_MS = 15 * 60_000;
