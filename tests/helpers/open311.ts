// Open311 test helpers: an api_key issued through the administrator's route (as a center
// would), and XML answers parsed back (xmlbuilder2) into plain objects, lists as arrays.
import assert from 'node:assert/strict';
import { create } from 'xmlbuilder2';
import type { TestHub } from './hub.ts';
import { signIn } from './staff.ts';

export async function issueKey(hub: TestHub, label = 'تطبيق المحافظة'): Promise<{ key: string; id: number }> {
  const admin = await signIn(hub, 'admin');
  const res = await admin.inject({ method: 'POST', url: '/api/open311/keys', payload: { label } });
  assert.equal(res.statusCode, 201, res.body);
  const { key, record } = res.json() as { key: string; record: { id: number } };
  return { key, id: record.id };
}

type Xml = string | { [k: string]: Xml | Xml[] };

/** An element as a plain value: its text when it has no child elements, else its children by name (repeated → array). */
function toValue(el: Element): Xml {
  const kids = Array.from(el.childNodes).filter((n): n is Element => n.nodeType === 1);
  if (!kids.length) return el.textContent ?? '';
  const out: { [k: string]: Xml | Xml[] } = {};
  for (const k of kids) {
    const v = toValue(k);
    const prev = out[k.nodeName];
    out[k.nodeName] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

/** Parse an XML answer (xmlbuilder2's DOM, entities decoded): checks the UTF-8 declaration, returns { root: children }. */
export function parseXml(body: string): Record<string, unknown> {
  assert.match(body, /^<\?xml version="1\.0" encoding="UTF-8"\?>/, 'XML declaration with UTF-8 (GeoReport v2 "Encoding")');
  const root = create(body).root().node as unknown as Element;
  return { [root.nodeName]: toValue(root) };
}

/** A list element's items: one child reads as a value, several as an array, none as ''. */
export function items<T = Record<string, Xml>>(parent: unknown, name: string): T[] {
  if (!parent || typeof parent !== 'object') return [];
  const v = (parent as Record<string, unknown>)[name];
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]) as T[];
}

/** XML text of an element (an empty element is ''). */
export const text = (v: unknown): string => (typeof v === 'string' ? v : String(v));
