// The public booking page (/book, issue 14 item 3): Arabic, right-to-left, phone-first, plain
// DOM (its own tiny bundle, no panel code). The citizen picks a service line and a day, sees
// the free slots (GET /api/public/appointments/slots), books with national ID and mobile
// (POST /api/public/appointments) and gets the booking code on screen and by SMS; a booking
// is cancelled with its code and the national ID. Every refusal shows the hub's Arabic message.
type Line = { letter: string; nameAr: string };
type Slot = { hm: string; free: number };
type ApiError = { error?: { code: string; message: string } };

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

async function call<T>(method: string, url: string, body?: unknown): Promise<T> {
  const res = await fetch(url, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
  const json = await res.json().catch(() => ({})) as T & ApiError;
  if (!res.ok) throw new Error(json.error?.message ?? 'تعذر الاتصال بالمركز، حاول مرة أخرى');
  return json;
}

function say(id: string, text: string, ok = false): void {
  const el = $(id);
  el.textContent = text;
  el.className = ok ? 'msg ok' : 'msg';
}

/** Refill the slots; `keepMessage` after a booking or cancel, so its answer stays on screen. */
async function loadSlots(keepMessage = false): Promise<void> {
  const line = $<HTMLSelectElement>('line').value;
  const day = $<HTMLInputElement>('day').value;
  const select = $<HTMLSelectElement>('time');
  select.replaceChildren();
  if (!line || !day) return;
  try {
    const { slots } = await call<{ slots: Slot[] }>('GET', `/api/public/appointments/slots?line=${encodeURIComponent(line)}&day=${encodeURIComponent(day)}`);
    const free = slots.filter((s) => s.free > 0);
    for (const s of free) select.append(new Option(`${s.hm} (متاح ${s.free})`, s.hm));
    if (!free.length) say('book-msg', 'لا توجد مواعيد متاحة في هذا اليوم، اختر يومًا آخر');
    else if (!keepMessage) say('book-msg', '');
  } catch (err) {
    say('book-msg', (err as Error).message);
  }
}

async function start(): Promise<void> {
  const lines = await call<Line[]>('GET', '/api/public/appointments/lines').catch(() => [] as Line[]);
  const select = $<HTMLSelectElement>('line');
  for (const l of lines) select.append(new Option(l.nameAr, l.letter));
  const day = $<HTMLInputElement>('day');
  day.value = new Intl.DateTimeFormat('en-CA', { timeZone: document.querySelector<HTMLMetaElement>('meta[name="shubbak-timezone"]')?.content ?? 'Africa/Cairo' }).format(Date.now());
  select.addEventListener('change', () => void loadSlots());
  day.addEventListener('change', () => void loadSlots());
  await loadSlots();

  $<HTMLFormElement>('book').addEventListener('submit', async (e) => {
    e.preventDefault();
    const f = e.target as HTMLFormElement;
    const data = Object.fromEntries(new FormData(f)) as Record<string, string>;
    try {
      const b = await call<{ code: string; lineName: string; day: string; time: string }>('POST', '/api/public/appointments', data);
      $('code').textContent = b.code;
      say('book-msg', `تم الحجز: ${b.lineName} يوم ${b.day} الساعة ${b.time}. احتفظ برقم الحجز، وسيصلك برسالة نصية.`, true);
      $('done').hidden = false;
      await loadSlots(true);
    } catch (err) {
      say('book-msg', (err as Error).message);
    }
  });

  $<HTMLFormElement>('cancel').addEventListener('submit', async (e) => {
    e.preventDefault();
    const data = Object.fromEntries(new FormData(e.target as HTMLFormElement)) as Record<string, string>;
    try {
      const b = await call<{ day: string; time: string }>('POST', '/api/public/appointments/cancel', data);
      say('cancel-msg', `أُلغي حجز يوم ${b.day} الساعة ${b.time}`, true);
      await loadSlots(true);
    } catch (err) {
      say('cancel-msg', (err as Error).message);
    }
  });
}

void start();
