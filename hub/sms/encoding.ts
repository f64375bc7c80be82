// How one text becomes the short_message fields of one or more submit_sm PDUs (pure).
//
// Two codings (SMPP 3.4 §5.2.19 data_coding; 3GPP TS 23.038 §4, §6.2.1):
//  - GSM 7-bit default alphabet (data_coding 0x00, "SMSC default alphabet") for a text whose
//    every character is in the GSM 03.38 default table or its extension table (an extension
//    character takes two septets: ESC 0x1B + its code). short_message carries one septet
//    per octet (unpacked, the usual SMPP form; the SMSC packs for the air). One part holds
//    160 septets; a longer text goes in parts of at most 153 septets behind the UDH below
//    (7 septets of the 140 octets are the header's). A part never ends between an ESC and
//    its character.
//  - UCS-2 (data_coding 0x08) for everything else — the Arabic the citizens read: one part
//    holds 70 characters (140 octets), a longer text parts of at most 67 characters. A part
//    never ends inside a surrogate pair, so a character outside the BMP is not cut in two.
// A long message's parts carry a concatenation User Data Header (3GPP TS 23.040
// §9.2.3.24.1, IEI 0x00, 8-bit reference): 05 00 03 <ref> <total> <seq>, with esm_class
// UDHI (0x40) set.
export const DATA_CODING_UCS2 = 0x08;
export const DATA_CODING_GSM7 = 0x00;
export const GSM_SINGLE_SEPTETS = 160;
export const GSM_CONCAT_SEPTETS = 153;
export const ESM_CLASS_UDHI = 0x40;
export const SINGLE_PART_CHARS = 70;
export const CONCAT_PART_CHARS = 67;
/** A concatenated message has at most 255 parts (one octet); our texts are far shorter. */
export const MAX_PARTS = 255;

/** The text's UCS-2 parts, as strings (before the header). */
export function splitUcs2(text: string): string[] {
  if (text.length <= SINGLE_PART_CHARS) return [text];
  const parts: string[] = [];
  let i = 0;
  while (i < text.length) {
    let end = Math.min(i + CONCAT_PART_CHARS, text.length);
    // Do not cut a surrogate pair: a high surrogate last goes with its low one to the next part.
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
    parts.push(text.slice(i, end));
    i = end;
  }
  if (parts.length > MAX_PARTS) throw new RangeError(`an SMS of ${parts.length} parts is too long`);
  return parts;
}

export function ucs2(text: string): Buffer {
  const le = Buffer.from(text, 'utf16le');
  return le.swap16(); // UCS-2 / UTF-16 big-endian on the wire
}

// GSM 03.38 default alphabet, position = septet value (3GPP TS 23.038 §6.2.1); 0x1B is the
// escape to the extension table and is not a character of its own.
const GSM_BASIC = '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?'
  + '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
/** The extension table (§6.2.1.1): character → the septet after ESC. */
const GSM_EXTENSION: Record<string, number> = { '\f': 0x0a, '^': 0x14, '{': 0x28, '}': 0x29, '\\': 0x2f, '[': 0x3c, '~': 0x3d, ']': 0x3e, '|': 0x40, '€': 0x65 };
const GSM_ESC = 0x1b;
const GSM_INDEX = new Map([...GSM_BASIC].map((c, i) => [c, i] as const).filter(([, i]) => i !== GSM_ESC));

/** The text as GSM 7-bit septets (one per octet), or null when a character is not in the alphabet. */
export function gsm7Septets(text: string): number[] | null {
  const out: number[] = [];
  for (const c of text) {
    const basic = GSM_INDEX.get(c);
    if (basic !== undefined) out.push(basic);
    else if (c in GSM_EXTENSION) out.push(GSM_ESC, GSM_EXTENSION[c]);
    else return null;
  }
  return out;
}

/** Septets in parts: one of ≤ 160, else parts of ≤ 153 that never end on an ESC. */
export function splitGsm7(septets: number[]): number[][] {
  if (septets.length <= GSM_SINGLE_SEPTETS) return [septets];
  const parts: number[][] = [];
  let i = 0;
  while (i < septets.length) {
    let end = Math.min(i + GSM_CONCAT_SEPTETS, septets.length);
    // An ESC last would leave its character in the next part: both go there. (No extension
    // code is 0x1B, so every ESC in the septets starts a pair.)
    if (end < septets.length && septets[end - 1] === GSM_ESC) end -= 1;
    parts.push(septets.slice(i, end));
    i = end;
  }
  if (parts.length > MAX_PARTS) throw new RangeError(`an SMS of ${parts.length} parts is too long`);
  return parts;
}

export type SmPart = { shortMessage: Buffer; esmClass: number; dataCoding: number };

const udh = (ref: number, total: number, seq: number) => Buffer.from([0x05, 0x00, 0x03, ref & 0xff, total, seq]);

/** The PDUs' short_message octets for a text; `ref` is the 8-bit concatenation reference. */
export function encodeParts(text: string, ref: number): SmPart[] {
  const septets = gsm7Septets(text);
  if (septets) {
    const parts = splitGsm7(septets);
    if (parts.length === 1) return [{ shortMessage: Buffer.from(parts[0]), esmClass: 0, dataCoding: DATA_CODING_GSM7 }];
    return parts.map((p, i) => ({ shortMessage: Buffer.concat([udh(ref, parts.length, i + 1), Buffer.from(p)]), esmClass: ESM_CLASS_UDHI, dataCoding: DATA_CODING_GSM7 }));
  }
  const parts = splitUcs2(text);
  if (parts.length === 1) return [{ shortMessage: ucs2(parts[0]), esmClass: 0, dataCoding: DATA_CODING_UCS2 }];
  return parts.map((p, i) => ({ shortMessage: Buffer.concat([udh(ref, parts.length, i + 1), ucs2(p)]), esmClass: ESM_CLASS_UDHI, dataCoding: DATA_CODING_UCS2 }));
}

export function partCount(text: string): number {
  const septets = gsm7Septets(text);
  return septets ? splitGsm7(septets).length : splitUcs2(text).length;
}
