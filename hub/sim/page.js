// The simulator page: renders the device views streamed on /sim/events and posts presses.
const T = {
  ar: { title: 'محاكي المركز التكنولوجي — كل الأجهزة تعمل ببرامجها الحقيقية', kiosk: 'كشك التذاكر', paper: 'ورق الطابعة:', paperOk: 'متوفر',
    paperLow: 'قارب على النفاد', paperOut: 'نفد', noTicket: 'لم تُطبع تذكرة بعد', hall: 'لوحة صالة الانتظار', ticketCol: 'التذكرة', windowCol: 'الشباك',
    boards: 'لوحات الأرقام فوق الشبابيك', keypads: 'لوحات مفاتيح الشبابيك', window: 'شباك', offline: 'غير متصل', lastCall: 'آخر نداء:', lang: 'English',
    keys: ['التالي', 'إعادة النداء', 'لم يحضر', 'تحويل', 'إيقاف/استئناف · اضغط مطولاً للإنهاء'], printer: { ok: 'جاهزة', 'paper-low': 'الورق قليل', 'paper-out': 'نفد الورق', offline: 'لا ترد' } },
  en: { title: 'Center simulator — every device runs its real program', kiosk: 'Ticket kiosk', paper: 'Printer paper:', paperOk: 'loaded',
    paperLow: 'low', paperOut: 'out', noTicket: 'No ticket printed yet', hall: 'Waiting-hall board', ticketCol: 'Ticket', windowCol: 'Window',
    boards: 'Number boards above the windows', keypads: 'Window keypads', window: 'Window', offline: 'offline', lastCall: 'Last call:', lang: 'العربية',
    keys: ['Next', 'Recall', 'No-show', 'Transfer', 'Pause/Resume · hold to finish'], printer: { ok: 'ready', 'paper-low': 'paper low', 'paper-out': 'out of paper', offline: 'not answering' } },
};
let lang = localStorage.getItem('sim-lang') === 'en' ? 'en' : 'ar';
const views = new Map();
const $ = (id) => document.getElementById(id);
const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

async function post(path, body) {
  // A signed-in administrator away from the hub machine sends the CSRF token like the panels do.
  const csrf = /(?:^|; )shubbak_csrf=([^;]*)/.exec(document.cookie)?.[1];
  const headers = { 'content-type': 'application/json', ...(csrf ? { 'x-csrf-token': decodeURIComponent(csrf) } : {}) };
  const r = await fetch(path, { method: 'POST', headers, body: JSON.stringify(body) });
  if (!r.ok) {
    const e = await r.json().catch(() => null);
    alert(e?.error ? (lang === 'ar' ? e.error.message : e.error.messageEn || e.error.message) : r.statusText);
  }
}

function applyLang() {
  const t = T[lang];
  document.documentElement.lang = lang;
  document.documentElement.dir = lang === 'ar' ? 'rtl' : 'ltr';
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t[el.dataset.i18n];
  $('lang').textContent = t.lang;
  render();
}

function render() {
  const t = T[lang];
  const all = [...views.values()];
  const kiosk = all.find((v) => v.kind === 'kiosk');
  if (kiosk) {
    $('kiosk-id').textContent = kiosk.id;
    $('kiosk-dot').className = 'dot' + (kiosk.online ? ' on' : '');
    $('kiosk-buttons').innerHTML = kiosk.buttons.map((b) =>
      `<button class="kbtn lamp-${b.lamp}" data-device="${esc(kiosk.id)}" data-key="${b.key}" aria-label="${esc(b.line)}"><span class="letter">${esc(b.line)}</span>${esc(b.name)}</button>`).join('');
    $('kiosk-notice').textContent = kiosk.notice ?? '';
    $('kiosk-printer').textContent = '— ' + (t.printer[kiosk.printer] ?? kiosk.printer);
    for (const b of document.querySelectorAll('[data-paper]')) b.classList.toggle('sel', b.dataset.paper === kiosk.printer);
    if (kiosk.lastTicket) $('ticket').innerHTML = `<img alt="ticket" width="${kiosk.lastTicket.width / 2}" src="${kiosk.lastTicket.png}">`;
  }
  const hall = all.find((v) => v.kind === 'hall');
  if (hall) {
    $('hall-dot').className = 'dot' + (hall.online ? ' on' : '');
    $('hall-rows').innerHTML = hall.online ? hall.rows.map((r) => `<tr><td>${esc(r.ticket)}</td><td>${r.window}</td></tr>`).join('') : `<tr><td colspan="2">${t.offline}</td></tr>`;
    $('hall-call').textContent = hall.lastCall ? `${t.lastCall} ${hall.lastCall.words}` : '';
  }
  const byWindow = (a, b) => (a.window ?? 99) - (b.window ?? 99) || a.id.localeCompare(b.id);
  $('boards').innerHTML = all.filter((v) => v.kind === 'display').sort(byWindow).map((v) =>
    `<div class="dev" data-id="${esc(v.id)}"><h3><span class="dot${v.online ? ' on' : ''}"></span>${t.window} ${v.window ?? '?'} <small>${esc(v.id)}</small></h3>
     <div class="led${v.blink ? ' blink' : ''}${v.online ? '' : ' off'}">${esc(v.digits || ' ')}</div></div>`).join('');
  $('keypads').innerHTML = all.filter((v) => v.kind === 'keypad').sort(byWindow).map((v) =>
    `<div class="dev" data-id="${esc(v.id)}"><h3><span class="dot${v.online ? ' on' : ''}"></span>${t.window} ${v.window ?? '?'} <small>${esc(v.id)}</small></h3>
     <div class="led${v.online ? '' : ' off'}">${esc(v.digits || ' ')}</div>
     <div class="keys">${v.keys.map((k) => `<button class="key lamp-${k.lamp}" data-device="${esc(v.id)}" data-key="${k.key}">${esc(t.keys[k.key] ?? k.label)}</button>`).join('')}</div>
     <div class="msg">${esc(v.message ?? '')}</div></div>`).join('');
}

// A key held down for 0.6 s or more is sent as a long press (the keypad's Pause key held
// finishes the citizen at the window).
let downAt = 0;
document.addEventListener('pointerdown', (e) => { if (e.target.closest('button')) downAt = Date.now(); });

document.addEventListener('click', (e) => {
  const b = e.target.closest('button');
  if (!b) return;
  if (b.id === 'lang') {
    lang = lang === 'ar' ? 'en' : 'ar';
    localStorage.setItem('sim-lang', lang);
    applyLang();
  } else if (b.dataset.paper) {
    const kiosk = [...views.values()].find((v) => v.kind === 'kiosk');
    if (kiosk) void post('/sim/paper', { device: kiosk.id, state: b.dataset.paper });
  } else if (b.dataset.device) {
    const hold = downAt > 0 && Date.now() - downAt >= 600;
    downAt = 0;
    void post('/sim/press', { device: b.dataset.device, key: Number(b.dataset.key), ...(hold ? { hold: true } : {}) });
  }
});

let pending = false;
const events = new EventSource('/sim/events');
events.onopen = () => ($('conn').className = 'dot on');
events.onerror = () => ($('conn').className = 'dot');
events.onmessage = (m) => {
  const v = JSON.parse(m.data);
  views.set(v.id, v);
  if (!pending) {
    pending = true;
    requestAnimationFrame(() => { pending = false; render(); });
  }
};
applyLang();
