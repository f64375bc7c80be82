// The live ticket page on the phone (/t/<token>, issue 14 item 1): plain DOM, no framework,
// so the whole page stays a few KB over a slow 3G-like link (the test asserts < 50 KB gzip).
// The hub renders the ticket's view into the page (#ticket-data); then the ticket's own SSE
// stream (/api/public/tickets/<token>/live, hub/live/ticket-feed.ts) pushes each change.
// Arabic by default and right-to-left, English by the switch (kept on the phone). When the
// ticket is called: "دورك الآن — الشباك ٣", a beep (Web Audio) and a vibration.
import { aheadIn, countIn } from '@shubbak/protocol/arabic-plural';
import './ticket-page.css';

type State = 'waiting' | 'called' | 'serving' | 'parked' | 'done' | 'missed' | 'cancelled';
/** hub/services/ticket-page.ts, TicketPageView. */
type View = {
  number: string; line: string; lineAr: string; lineEn: string; state: State; ahead: number | null; waitMin: number | null;
  window: number | null; windowAr: string | null; windowEn: string | null; calledAt: number | null; expiresAt: number;
};
type Lang = 'ar' | 'en';

const INDIC = '٠١٢٣٤٥٦٧٨٩';
const indic = (s: string) => s.replace(/[0-9]/g, (d) => INDIC[Number(d)]);

const WORDS = {
  ar: {
    switchTo: 'English', live: 'يتحدث تلقائيًا', offline: 'انقطع الاتصال… نعيد المحاولة', line: 'الخدمة',
    turn: (w: string) => `دورك الآن — الشباك ${w}`, serving: (w: string) => `أنت الآن عند الشباك ${w}`,
    waitNone: 'الانتظار المتوقع: أقل من دقيقة', wait: (m: number) => `الانتظار المتوقع: نحو ${countIn('ar', m, 'minuteGenitive', indic)}`,
    parked: 'ملفك قيد الإجراء؛ ستُنادى بالرقم نفسه عند عودته', done: 'تمت خدمتك، شكرًا لزيارتك',
    missed: 'فاتك دورك عند النداء؛ راجع موظف الاستقبال', cancelled: 'أُلغيت هذه التذكرة',
    sound: 'تفعيل التنبيه بالصوت والاهتزاز', soundOn: 'التنبيه مفعّل', expires: 'صالحة حتى نهاية اليوم',
  },
  en: {
    switchTo: 'العربية', live: 'Updates by itself', offline: 'Connection lost… retrying', line: 'Service',
    turn: (w: string) => `It's your turn — window ${w}`, serving: (w: string) => `You are at window ${w}`,
    waitNone: 'Estimated wait: under a minute', wait: (m: number) => `Estimated wait: about ${countIn('en', m, 'minute')}`,
    parked: 'Your file is being processed; you will be called again with the same number', done: 'You have been served. Thank you',
    missed: 'You missed your call; please ask at reception', cancelled: 'This ticket was cancelled',
    sound: 'Turn on sound and vibration alerts', soundOn: 'Alerts on', expires: 'Valid until the end of the day',
  },
} as const;

const dataEl = document.getElementById('ticket-data');
const main = document.getElementById('ticket');
if (dataEl && main) start(JSON.parse(dataEl.textContent ?? '{}') as View, main);

function start(first: View, main: HTMLElement): void {
  let view = first;
  let online = true;
  let lang: Lang = new URLSearchParams(location.search).get('lang') === 'en' || localStorage.getItem('shubbak.ticket.lang') === 'en' ? 'en' : 'ar';
  let audio: AudioContext | null = null;
  const center = main.dataset.center ?? '';

  const el = <K extends keyof HTMLElementTagNameMap>(tag: K, cls: string, text = '', testid = ''): HTMLElementTagNameMap[K] => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    if (testid) e.dataset.testid = testid;
    return e;
  };

  function render(): void {
    const w = WORDS[lang];
    const n = (x: number) => (lang === 'ar' ? indic(String(x)) : String(x));
    document.documentElement.lang = lang;
    document.documentElement.dir = lang === 'ar' ? 'rtl' : 'ltr';
    const sw = el('button', 'lang', w.switchTo, 'lang-switch');
    sw.type = 'button';
    sw.lang = lang === 'ar' ? 'en' : 'ar';
    sw.addEventListener('click', () => {
      lang = lang === 'ar' ? 'en' : 'ar';
      localStorage.setItem('shubbak.ticket.lang', lang);
      render();
    });
    const head = el('header', '');
    head.append(el('p', 'center', center), sw);
    const status = el('section', `status ${view.state}`, '', 'ticket-status');
    status.setAttribute('aria-live', 'assertive');
    const win = view.window === null ? '' : n(view.window);
    switch (view.state) {
      case 'waiting':
        status.append(el('p', 'ahead', aheadIn(lang, view.ahead ?? 0, lang === 'ar' ? indic : undefined), 'ticket-ahead'),
          el('p', 'wait', view.waitMin ? w.wait(view.waitMin) : w.waitNone, 'ticket-wait'));
        break;
      case 'called': status.append(el('p', 'turn', w.turn(win), 'ticket-turn')); break;
      case 'serving': status.append(el('p', 'turn', w.serving(win), 'ticket-turn')); break;
      default: status.append(el('p', 'note', w[view.state]));
    }
    const body: HTMLElement[] = [head, el('p', 'number', view.number, 'ticket-number'),
      el('p', 'line', `${w.line}: ${lang === 'ar' ? view.lineAr : view.lineEn}`), status];
    if (!audio || audio.state !== 'running') {
      const b = el('button', 'sound', w.sound, 'sound-on');
      b.type = 'button';
      b.addEventListener('click', enableAlerts);
      body.push(b);
    } else body.push(el('p', 'foot', w.soundOn));
    body.push(el('p', `foot ${online ? '' : 'offline'}`, `${online ? w.live : w.offline} · ${w.expires}`, 'ticket-live'));
    main.replaceChildren(...body);
  }

  /** Browsers let a page sound and vibrate after a tap: this tap also plays a short test beep. */
  function enableAlerts(): void {
    try {
      audio ??= new AudioContext();
      void audio.resume().then(render);
    } catch { /* no Web Audio: vibration and the screen remain */ }
    navigator.vibrate?.(50);
    beep(1);
  }

  function beep(times: number): void {
    try {
      audio ??= new AudioContext();
      if (audio.state === 'suspended') void audio.resume();
      for (let i = 0; i < times; i++) {
        const t = audio.currentTime + i * 0.45;
        const osc = audio.createOscillator();
        const gain = audio.createGain();
        osc.frequency.value = 880;
        gain.gain.setValueAtTime(0.0001, t);
        gain.gain.exponentialRampToValueAtTime(0.5, t + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.35);
        osc.connect(gain).connect(audio.destination);
        osc.start(t);
        osc.stop(t + 0.4);
      }
    } catch { /* no Web Audio */ }
  }

  function update(next: View): void {
    const called = next.state === 'called' && next.calledAt !== null && next.calledAt !== view.calledAt;
    view = next;
    render();
    if (called) {
      beep(3);
      navigator.vibrate?.([400, 150, 400, 150, 400]);
    }
  }

  // Past the ticket's day the hub answers 410 with the "expired" page.
  const left = view.expiresAt - Date.now();
  setTimeout(() => location.reload(), Math.min(Math.max(left, 0) + 1000, 2 ** 31 - 1));

  const token = location.pathname.split('/').pop() ?? '';
  const es = new EventSource(`/api/public/tickets/${encodeURIComponent(token)}/live`);
  es.addEventListener('ticket', (e) => {
    online = true;
    update(JSON.parse((e as MessageEvent<string>).data) as View);
  });
  es.addEventListener('expired', () => location.reload());
  es.addEventListener('error', () => {
    if (!online) return;
    online = false;
    render();
  });
  render();
}
