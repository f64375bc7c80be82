// The live ticket page's rules (hub/domain/ticket-page.ts, issue 14 item 1): the public token
// is 128 random bits in base64url (22 characters, never the same twice), anything else is not
// a token; the page lives until the end of the ticket's day in Cairo time, not 24 hours.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isPublicToken, newPublicToken, ticketPageExpired, ticketPageExpiresAt, TOKEN_BYTES } from '../../hub/domain/ticket-page.ts';
import { ticketLink } from '../../hub/services/ticket-link.ts';
import { redactUrl } from '../../hub/http/log-redaction.ts';

describe("the live ticket page's rules", () => {
  test('a public token is 128 random bits, base64url, and unique', () => {
    assert.equal(TOKEN_BYTES * 8, 128);
    const seen = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      const t = newPublicToken();
      assert.match(t, /^[A-Za-z0-9_-]{22}$/);
      assert.ok(isPublicToken(t));
      seen.add(t);
    }
    assert.equal(seen.size, 10_000);
    // The bytes come from the random source given, all of them.
    assert.equal(newPublicToken((n) => Buffer.alloc(n, 0xff)), '_____________________w');
    for (const bad of ['', 'abc', 'A'.repeat(21), 'A'.repeat(23), 'A'.repeat(21) + '=', 'A'.repeat(21) + '/', 'A'.repeat(21) + '+', '../../etc/passwd']) {
      assert.equal(isPublicToken(bad), false, bad);
    }
  });

  test('the page expires at the end of the ticket\'s Cairo day', () => {
    const tz = 'Africa/Cairo';
    // 30 Nov 2026: Cairo is UTC+2 (no summer time in winter) → the day ends at 22:00 UTC.
    assert.equal(ticketPageExpiresAt('2026-11-30', tz), Date.parse('2026-11-30T22:00:00Z'));
    assert.equal(ticketPageExpired('2026-11-30', Date.parse('2026-11-30T21:59:59.999Z'), tz), false);
    assert.equal(ticketPageExpired('2026-11-30', Date.parse('2026-11-30T22:00:00Z'), tz), true);
    // Issued at 23:30 Cairo time (21:30 UTC): half an hour left, not 24 hours.
    assert.equal(ticketPageExpired('2026-11-30', Date.parse('2026-11-30T21:30:00Z') + 31 * 60_000, tz), true);
    // Summer time (UTC+3 on 1 Jul 2026): the day ends at 21:00 UTC.
    assert.equal(ticketPageExpiresAt('2026-07-01', tz), Date.parse('2026-07-01T21:00:00Z'));
    assert.equal(ticketPageExpired('2026-07-01', Date.parse('2026-07-01T21:30:00Z'), tz), true);
    // Month and year ends.
    assert.equal(ticketPageExpiresAt('2026-12-31', tz), Date.parse('2026-12-31T22:00:00Z'));
    // Any later day is expired.
    assert.equal(ticketPageExpired('2026-11-29', Date.parse('2026-11-30T10:00:00Z'), tz), true);
    assert.equal(ticketPageExpired('2026-11-30', Date.parse('2026-11-30T10:00:00Z'), tz), false);
  });

  test('the public link is the base, /t/ and the token', () => {
    assert.equal(ticketLink('https://center.example.gov.eg', 'abc'), 'https://center.example.gov.eg/t/abc');
    assert.equal(ticketLink('https://center.example.gov.eg/shubbak/', 'abc'), 'https://center.example.gov.eg/shubbak/t/abc');
  });

  test('the HTTP log never keeps a ticket page token', () => {
    assert.equal(redactUrl('/t/XI9uwHnk0c2mk5zOP2dFfQ'), '/t/[redacted]');
    assert.equal(redactUrl('/t/XI9uwHnk0c2mk5zOP2dFfQ?lang=en'), '/t/[redacted]?lang=en');
    assert.equal(redactUrl('/api/public/tickets/XI9uwHnk0c2mk5zOP2dFfQ/live'), '/api/public/tickets/[redacted]/live');
    assert.equal(redactUrl('/tv'), '/tv');
  });
});
