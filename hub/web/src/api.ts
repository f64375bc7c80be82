// The REST client of the panels: JSON in and out, an idempotency key on every write (a
// retried click never acts twice), and the API's error body turned into ApiFailure.
export type ApiErrorBody = { error: { code: string; message: string; messageEn?: string; details?: { path: string; message: string }[] } };

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly messageEn?: string,
    readonly details?: { path: string; message: string }[],
  ) {
    super(message);
  }
}

/** Fired on window when the hub answers 401: the shell shows the login again. */
export const SESSION_EXPIRED = 'shubbak-session-expired';

export function newKey(): string {
  return crypto.randomUUID().replace(/-/g, '');
}

function readCookie(name: string): string | null {
  const hit = document.cookie.split('; ').find((c) => c.startsWith(`${name}=`));
  return hit ? decodeURIComponent(hit.slice(name.length + 1)) : null;
}

export async function api<T>(method: string, path: string, body?: unknown, opts: { key?: string } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const form = body instanceof FormData;
  if (body !== undefined && !form) headers['content-type'] = 'application/json';
  if (method !== 'GET') {
    headers['idempotency-key'] = opts.key ?? newKey();
    // Double-submit CSRF: the hub set this readable cookie at sign-in.
    const csrf = readCookie('shubbak_csrf');
    if (csrf) headers['x-csrf-token'] = csrf;
  }
  let res: Response;
  try {
    // A FormData body goes as multipart (the browser sets the boundary); anything else as JSON.
    const payload = body === undefined ? undefined : form ? body : JSON.stringify(body);
    res = await fetch(path, { method, headers, body: payload, credentials: 'same-origin' });
  } catch {
    throw new ApiFailure(0, 'NETWORK', 'تعذّر الاتصال بالخادم، تحقق من الشبكة', 'Cannot reach the hub, check the network');
  }
  const text = await res.text();
  const data = text ? (JSON.parse(text) as unknown) : undefined;
  if (!res.ok) {
    const e = (data as ApiErrorBody | undefined)?.error;
    if (res.status === 401 && !path.startsWith('/api/auth/login')) window.dispatchEvent(new Event(SESSION_EXPIRED));
    throw new ApiFailure(res.status, e?.code ?? 'ERROR', e?.message ?? 'خطأ غير متوقع', e?.messageEn, e?.details);
  }
  return data as T;
}
