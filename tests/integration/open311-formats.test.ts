// Open311 GeoReport v2 in both formats (issue 14 item 4): every endpoint answers XML (the
// format the specification requires) and JSON by the resource's extension, with the same
// content, and each answer has the fields, element names and order of the specification's
// own examples (GeoReport v2: "GET Service List", "GET Service Definition", "POST Service
// Request", "GET Service Requests", "GET Service Request", errors; "Service Discovery").
// No usable Open311 client exists on the npm registry (see the report), so this is the
// comparison against the specification's examples. XML answers are parsed back (xmlbuilder2).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestHub, type TestHub } from '../helpers/hub.ts';
import { issueKey, items, parseXml, text } from '../helpers/open311.ts';

// The fields of the specification's examples, in their order.
const SERVICE = ['service_code', 'service_name', 'description', 'metadata', 'type', 'keywords', 'group'];
const DEFINITION = ['service_code', 'attributes'];
const ATTRIBUTE = ['variable', 'code', 'datatype', 'required', 'datatype_description', 'order', 'description', 'values'];
const REQUEST = ['service_request_id', 'status', 'status_notes', 'service_name', 'service_code', 'description', 'agency_responsible', 'service_notice',
  'requested_datetime', 'updated_datetime', 'expected_datetime', 'address', 'address_id', 'zipcode', 'lat', 'long', 'media_url'];
const CREATED = ['service_request_id', 'service_notice', 'account_id'];
const DISCOVERY = ['changeset', 'contact', 'key_service', 'endpoints'];
const ENDPOINT = ['specification', 'url', 'changeset', 'type', 'formats'];
// The spec's error is { code, description }; the hub adds its stable code and the Arabic text after them.
const ERROR = ['code', 'description', 'description_ar', 'error_code'];

/** A JSON value as its XML text: null → empty element, booleans and numbers as written. */
const asText = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

async function both(hub: TestHub, url: string, init: { method?: 'GET' | 'POST'; payload?: Record<string, string> } = {}) {
  const go = (ext: 'xml' | 'json') => hub.app.inject({
    method: init.method ?? 'GET', url: url.replace('{f}', ext),
    ...(init.payload ? { headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(init.payload).toString() } : {}),
  });
  const xml = await go('xml');
  const json = await go('json');
  assert.match(String(xml.headers['content-type']), /^text\/xml; charset=utf-8$/, url);
  assert.match(String(json.headers['content-type']), /^application\/json; charset=utf-8$/, url);
  return { xml, json, x: parseXml(xml.body), j: json.json() as unknown };
}

const ISO_OFFSET = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$/;

describe('Open311 GeoReport v2 in XML and JSON', () => {
  test('GeoReport v2 XML and JSON: discovery, services, a definition, submission, list, one request, errors — same content, the spec\'s shapes', async (t) => {
    const hub = await startTestHub(t);
    const { key } = await issueKey(hub);

    // Service discovery.
    {
      const { xml, x, j } = await both(hub, '/open311/discovery.{f}');
      assert.equal(xml.statusCode, 200);
      const d = x.discovery as Record<string, unknown>;
      assert.deepEqual(Object.keys(d), DISCOVERY);
      const [ep] = items<Record<string, unknown>>(d.endpoints, 'endpoint');
      assert.deepEqual(Object.keys(ep), ENDPOINT);
      assert.equal(ep.specification, 'http://wiki.open311.org/GeoReport_v2');
      assert.match(String(ep.url), /\/open311\/v2$/);
      assert.match(String(ep.changeset), ISO_OFFSET);
      assert.deepEqual(items(ep.formats, 'format'), ['text/xml', 'application/json']);
      const jd = j as { endpoints: { url: string; formats: string[] }[] };
      assert.deepEqual(Object.keys(jd), DISCOVERY);
      assert.deepEqual(jd.endpoints[0].formats, ['text/xml', 'application/json']);
      assert.equal(jd.endpoints[0].url, ep.url);
    }

    // Service list.
    const services = await both(hub, '/open311/v2/services.{f}');
    {
      const xs = items<Record<string, unknown>>(services.x.services, 'service');
      const js = services.j as Record<string, unknown>[];
      assert.ok(js.length >= 4);
      assert.equal(xs.length, js.length);
      js.forEach((s, i) => {
        assert.deepEqual(Object.keys(s), SERVICE);
        assert.deepEqual(Object.keys(xs[i]), SERVICE);
        for (const k of SERVICE) assert.equal(text(xs[i][k]), asText(s[k]), `service ${i} ${k}`);
        assert.ok(['realtime', 'batch', 'blackbox'].includes(String(s.type)));
        assert.equal(typeof s.metadata, 'boolean');
      });
      assert.ok(js.some((s) => s.service_code === 'ENG' && s.metadata === true));
    }

    // A service definition, with a list attribute and its values.
    {
      const { x, j } = await both(hub, '/open311/v2/services/ENG.{f}');
      const def = x.service_definition as Record<string, unknown>;
      assert.deepEqual(Object.keys(def), DEFINITION);
      const xa = items<Record<string, unknown>>(def.attributes, 'attribute');
      const ja = (j as { attributes: Record<string, unknown>[] }).attributes;
      assert.deepEqual(Object.keys(j as object), DEFINITION);
      assert.equal(xa.length, ja.length);
      ja.forEach((a, i) => {
        assert.deepEqual(Object.keys(a), ATTRIBUTE);
        assert.deepEqual(Object.keys(xa[i]), ATTRIBUTE);
        for (const k of ATTRIBUTE.filter((k) => k !== 'values')) assert.equal(text(xa[i][k]), asText(a[k]), `attribute ${i} ${k}`);
        const xv = items<Record<string, unknown>>(xa[i].values, 'value');
        assert.deepEqual(xv.map((v) => [v.key, v.name]), (a.values as { key: string; name: string }[]).map((v) => [v.key, v.name]));
        assert.ok(['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist'].includes(String(a.datatype)));
      });
      const hazard = ja.find((a) => a.code === 'hazard')!;
      assert.equal(hazard.datatype, 'singlevaluelist');
      assert.equal(hazard.required, true);
      assert.ok((hazard.values as unknown[]).length >= 2);
    }

    // Submission, answered in each format (two complaints: one per format).
    const payload = { api_key: key, service_code: 'CLEAN', description: 'Garbage piled at the corner <of> "Gomhoreya" & 26th of July St.', lat: '30.0444', long: '31.2357' };
    const created = await both(hub, '/open311/v2/requests.{f}', { method: 'POST', payload });
    assert.equal(created.xml.statusCode, 201, created.xml.body);
    assert.equal(created.json.statusCode, 201, created.json.body);
    const [xc] = items<Record<string, unknown>>(created.x.service_requests, 'request');
    const [jc] = created.j as Record<string, unknown>[];
    assert.deepEqual(Object.keys(xc), CREATED);
    assert.deepEqual(Object.keys(jc), CREATED);
    assert.equal(text(xc.account_id), '');
    assert.equal(jc.account_id, null);
    assert.match(String(xc.service_request_id), /^C-\d{4}-\d{6}-\d\d$/);

    // One request, and the list.
    const one = await both(hub, `/open311/v2/requests/${xc.service_request_id}.{f}`);
    {
      const [xr] = items<Record<string, unknown>>(one.x.service_requests, 'request');
      const [jr] = one.j as Record<string, unknown>[];
      assert.deepEqual(Object.keys(xr), REQUEST);
      assert.deepEqual(Object.keys(jr), REQUEST);
      for (const k of REQUEST) assert.equal(text(xr[k]), asText(jr[k]), `request ${k}`);
      // Text that needs escaping in XML comes back whole.
      assert.equal(xr.description, payload.description);
      assert.equal(jr.lat, 30.0444);
      for (const k of ['requested_datetime', 'updated_datetime', 'expected_datetime']) assert.match(String(jr[k]), ISO_OFFSET);
    }
    {
      const list = await both(hub, '/open311/v2/requests.{f}');
      const xl = items<Record<string, unknown>>(list.x.service_requests, 'request');
      const jl = list.j as Record<string, unknown>[];
      assert.equal(jl.length, 2);
      assert.deepEqual(xl.map((r) => r.service_request_id), jl.map((r) => r.service_request_id));
      // An empty list is an empty root element / array.
      const none = await both(hub, '/open311/v2/requests.{f}?service_code=LEGAL');
      assert.deepEqual(none.j, []);
      assert.deepEqual(items(none.x.service_requests, 'request'), []);
    }

    // A description with characters XML 1.0 cannot carry (a stray control character, U+FFFE) does not break
    // the XML list for everyone: they are left out of the XML text; the JSON keeps the text as sent.
    {
      const odd = 'Bins overflowing\u0001 near the \uFFFEschool gate';
      const r = await hub.app.inject({ method: 'POST', url: '/open311/v2/requests.json', payload: { api_key: key, service_code: 'CLEAN', description: odd, address_string: 'School St.' } });
      assert.equal(r.statusCode, 201, r.body);
      const id = r.json()[0].service_request_id;
      const xml = await hub.app.inject({ method: 'GET', url: '/open311/v2/requests.xml' });
      assert.equal(xml.statusCode, 200);
      assert.doesNotMatch(xml.body, /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u, 'only XML 1.0 characters');
      const got = items<Record<string, string>>(parseXml(xml.body).service_requests, 'request').find((x) => x.service_request_id === id)!;
      assert.equal(got.description, 'Bins overflowing near the school gate');
      assert.equal((await hub.app.inject({ method: 'GET', url: `/open311/v2/requests/${id}.json` })).json()[0].description, odd);
    }

    // Errors: the spec's shape in each format.
    for (const url of ['/open311/v2/requests/C-2026-000099-00.{f}', '/open311/v2/services/NOPE.{f}', '/open311/v2/requests.{f}?start_date=yesterday']) {
      const e = await both(hub, url);
      assert.ok(e.xml.statusCode >= 400 && e.xml.statusCode < 500, url);
      assert.equal(e.json.statusCode, e.xml.statusCode);
      const [xe] = items<Record<string, unknown>>(e.x.errors, 'error');
      const [je] = e.j as Record<string, unknown>[];
      assert.deepEqual(Object.keys(xe), ERROR);
      assert.deepEqual(Object.keys(je), ERROR);
      assert.equal(je.code, e.json.statusCode);
      assert.equal(xe.code, String(e.xml.statusCode));
      assert.equal(xe.description, je.description);
      assert.match(String(je.description), /^[\x20-\x7E]+$/, 'the description is English');
      assert.match(String(je.description_ar), /[\u0600-\u06FF]/);
    }
  });
});
