// How one text becomes the short_message fields of one or more submit_sm PDUs (pure).
//
// Every text is sent as UCS-2 (data_coding 0x08, SMPP 3.4 §5.2.19; 3GPP TS 23.038 §5): the
// Arabic the citizens read has no GSM 7-bit form, and one coding for all keeps the part
// count predictable (GSM 7-bit for Latin-only texts is not done). One part holds 70 UCS-2
// characters (140 octets). A longer text is split into parts of at most 67 characters, each
// behind a concatenation User Data Header (3GPP TS 23.040 §9.2.3.24.1, IEI 0x00, 8-bit
// reference): 05 00 03 <ref> <total> <seq>, with esm_class UDHI (0x40) set. A part never
// ends inside a surrogate pair, so a character outside the BMP is not cut in two.
export const DATA_CODING_UCS2 = 0x08;
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

export type SmPart = { shortMessage: Buffer; esmClass: number; dataCoding: number };

/** The PDUs' short_message octets for a text; `ref` is the 8-bit concatenation reference. */
export function encodeParts(text: string, ref: number): SmPart[] {
  const parts = splitUcs2(text);
  if (parts.length === 1) return [{ shortMessage: ucs2(parts[0]), esmClass: 0, dataCoding: DATA_CODING_UCS2 }];
  return parts.map((p, i) => ({
    shortMessage: Buffer.concat([Buffer.from([0x05, 0x00, 0x03, ref & 0xff, parts.length, i + 1]), ucs2(p)]),
    esmClass: ESM_CLASS_UDHI,
    dataCoding: DATA_CODING_UCS2,
  }));
}

export function partCount(text: string): number {
  return splitUcs2(text).length;
}
