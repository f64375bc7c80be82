// Open311 test helpers: an api_key issued through the administrator's route (as a center
// would), and XML answers parsed back (xmlbuilder2) into plain objects, lists as arrays.
import assert from 'node:assert/strict';
import { convert } from 'xmlbuilder2';
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

/** Parse an XML answer: checks the UTF-8 declaration, returns { root: children }. */
export function parseXml(body: string): Record<string, unknown> {
  assert.match(body, /^<\?xml version="1\.0" encoding="UTF-8"\?>/, 'XML declaration with UTF-8 (GeoReport v2 "Encoding")');
  return convert(body, { format: 'object' }) as Record<string, unknown>;
}

/** A list element's items: xmlbuilder2 gives one child as an object, several as an array, none as {} / ''. */
export function items<T = Record<string, Xml>>(parent: unknown, name: string): T[] {
  if (!parent || typeof parent !== 'object') return [];
  const v = (parent as Record<string, unknown>)[name];
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]) as T[];
}

/** XML text of an element: an empty element parses as {} and reads as ''. */
export const text = (v: unknown): string => (typeof v === 'string' ? v : v && typeof v === 'object' && Object.keys(v).length === 0 ? '' : String(v));
