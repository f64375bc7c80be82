// What the HTTP log may say about a request (issue 15, "Operations"): a URL can carry a
// citizen's inquiry number (/api/files/by-inquiry/F-2026-000123-45, the public status
// lookup) or national-ID digits (/api/citizens?nationalId=…, ?nid4=…). The log keeps the
// route's shape and drops those values. Pure; app.ts installs it as pino's req serializer.

/** Query parameters whose values are personal: always replaced. */
const SECRET_PARAMS = /^(inquiry|nid4|nid|nationalid|national_id|q|search|phone|mobile|password|token|secret)$/i;
/** An inquiry number in any form a citizen may type: F-2026-000123-45, F202600012345, f 2026 …. */
const INQUIRY = /\b[FC][-\s]?\d{4}[-\s]?\d{1,6}[-\s]?\d{2}\b/gi;
/** Six or more digits in a row: national IDs, phone numbers (row ids and dates are shorter runs; the last four of an ID travel in a named parameter). */
const DIGITS = /\d{6,}/g;
/** A ticket page's public token (/t/<token>, /api/public/tickets/<token>/live): the key to that page (issue 14 item 1). */
const TICKET_TOKEN = /(\/t\/|\/api\/public\/tickets\/)[^/]+/g;

export const REDACTED = '[redacted]';

export function redactUrl(url: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(url.replace(/\+/g, ' '));
  } catch {
    decoded = url;
  }
  // Arabic-Indic and Persian digits count as digits.
  decoded = decoded.replace(/[\u0660-\u0669\u06F0-\u06F9]/g, (d) => String((d.charCodeAt(0) & 0xf) % 10));
  const q = decoded.indexOf('?');
  const path = q < 0 ? decoded : decoded.slice(0, q);
  const query = q < 0 ? null : decoded.slice(q + 1);
  const cleanPath = path.replace(TICKET_TOKEN, `$1${REDACTED}`).replace(INQUIRY, REDACTED).replace(DIGITS, REDACTED);
  if (query === null) return cleanPath;
  const cleanQuery = query.split('&').map((pair) => {
    const eq = pair.indexOf('=');
    const key = eq < 0 ? pair : pair.slice(0, eq);
    if (eq < 0) return key.replace(INQUIRY, REDACTED).replace(DIGITS, REDACTED);
    const value = pair.slice(eq + 1);
    return `${key}=${SECRET_PARAMS.test(key) ? REDACTED : value.replace(INQUIRY, REDACTED).replace(DIGITS, REDACTED)}`;
  }).join('&');
  return `${cleanPath}?${cleanQuery}`;
}

type LoggedRequest = { method: string; url: string; hostname?: string; ip?: string; socket?: { remotePort?: number } };

/** pino serializers for Fastify's request logs: the URL redacted, no headers (cookies, CSRF tokens). */
export const logSerializers = {
  req(req: LoggedRequest) {
    return { method: req.method, url: redactUrl(req.url), remoteAddress: req.ip, remotePort: req.socket?.remotePort };
  },
};
