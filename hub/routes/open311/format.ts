// The wire formats of Open311 GeoReport v2 (issue 14 item 4): every answer as XML (the
// format the specification requires) or JSON (optional, offered too), chosen by the
// resource's extension (".xml" / ".json", spec "Format Support"); the request bodies as
// JSON or HTML-form encoding, where fields repeat (attribute[code][]=…).
// XML is built with xmlbuilder2, which escapes text; the element names of lists follow the
// specification's examples (services/service, service_requests/request, errors/error,
// attributes/attribute, values/value, endpoints/endpoint, formats/format), UTF-8 with the
// XML declaration as the spec's "Encoding" section asks.
// xmlbuilder2 and the DOM under it (@oozcitak/*: ~130 modules, ~1 MB of source held in the
// heap) load at the first XML answer, not at the hub's start: most centers never get an
// Open311 XML request (issue 10: memory; measured with `npm run bench -- --only=memory`).
import { createRequire } from 'node:module';

type XmlBuilder2 = typeof import('xmlbuilder2');
type XMLBuilder = ReturnType<XmlBuilder2['create']>;
let xmlbuilder2: XmlBuilder2 | null = null;
const xml = (): XmlBuilder2 => (xmlbuilder2 ??= createRequire(import.meta.url)('xmlbuilder2') as XmlBuilder2);
export type Format = 'xml' | 'json';

export const CONTENT_TYPE: Record<Format, string> = {
  xml: 'text/xml; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

/** The format a URL asks for: JSON for ".json", else XML (the format every client must get). */
export function formatOfUrl(url: string): Format {
  const path = url.split('?')[0];
  return path.endsWith('.json') ? 'json' : 'xml';
}

/** "C-2026-000001-00.json" → { base, format }; null for another extension. */
export function splitExtension(name: string): { base: string; format: Format } | null {
  const m = /^(.+)\.(xml|json)$/.exec(name);
  return m ? { base: m[1], format: m[2] as Format } : null;
}

/** The element each list's items are written as. */
const ITEM: Record<string, string> = {
  services: 'service', service_requests: 'request', errors: 'error', attributes: 'attribute',
  values: 'value', endpoints: 'endpoint', formats: 'format',
};

/**
 * Characters XML 1.0 cannot carry (its "Char" production: C0 controls but tab/LF/CR,
 * U+FFFE/U+FFFF, lone surrogates) are dropped from text: a citizen's description with a stray
 * control character must not make the list unreadable for every client.
 */
// eslint-disable-next-line no-control-regex
const NOT_XML_CHAR = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
export const xmlText = (s: string): string => s.replace(NOT_XML_CHAR, '');

type Value = string | number | boolean | null | undefined | Value[] | { [k: string]: Value };

function put(parent: XMLBuilder, name: string, v: Value): void {
  if (Array.isArray(v)) {
    const list = parent.ele(name);
    const item = ITEM[name] ?? 'item';
    for (const x of v) put(list, item, x);
    return;
  }
  const el = parent.ele(name);
  if (v === null || v === undefined) return;
  if (typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) put(el, k, x);
    return;
  }
  el.txt(xmlText(String(v)));
}

/** An XML document with `root` holding `value` (a list's items under ITEM names). */
export function toXml(root: string, value: Value): string {
  const doc = xml().create({ version: '1.0', encoding: 'UTF-8' });
  put(doc, root, value);
  return doc.end({ prettyPrint: false });
}

/** The list's root element in XML (the JSON is the bare array). */
export const ROOT = { services: 'services', requests: 'service_requests', errors: 'errors' } as const;

/**
 * An HTML form body as fields, a repeated field (or one named with a trailing "[]") as a
 * list, so a multivaluelist attribute keeps all its values. The body is UTF-8 (spec).
 */
export function parseForm(body: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(body)) {
    const prev = out[k];
    if (prev === undefined) out[k] = k.endsWith('[]') ? [v] : v;
    else out[k] = Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

/**
 * The attribute values of a submission: form fields attribute[code] (and attribute[code][]),
 * or a JSON body's "attribute" object { code: value | [values] }.
 */
export function attributesOf(body: Record<string, unknown>): Record<string, string | string[]> {
  const out: Record<string, string[]> = {};
  const add = (code: string, v: unknown) => {
    const list = (Array.isArray(v) ? v : [v]).filter((x) => x !== null && x !== undefined && typeof x !== 'object').map(String);
    (out[code] ??= []).push(...list);
  };
  for (const [k, v] of Object.entries(body)) {
    const m = /^attribute\[([^\][]{1,64})\](\[\d*\])?$/.exec(k);
    if (m) add(m[1], v);
  }
  const nested = body.attribute;
  if (nested && typeof nested === 'object' && !Array.isArray(nested)) {
    for (const [k, v] of Object.entries(nested as Record<string, unknown>)) if (k.length <= 64) add(k, v);
  }
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.length === 1 ? v[0] : v]));
}
