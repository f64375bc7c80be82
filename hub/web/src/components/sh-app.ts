// The staff shell (/): sign-in, the one-time password change, then the panels the
// user's role allows, with a language toggle and the window the clerk sits at. A 401
// from any call (the session expired) brings the sign-in back with a message.
// The open tab is in the URL (?tab=floor): each tab change is a history entry, so the
// browser's Back button returns to the previous tab instead of leaving the application,
// and a reload or a shared link opens the same tab.
import { LitElement, css, html } from 'lit';
import { SESSION_EXPIRED, api } from '../api.ts';
import { LangController, centerName, currentLang, setLang, t } from '../i18n/index.ts';
import { PANELS, WINDOW_ROLES } from '../panels/registry.ts';
import { changePassword, login, logout, whoAmI, type Me } from '../session.ts';
import { shared } from './shared-styles.ts';
import { showError } from './sh-toast.ts';

const WINDOW_KEY = 'shubbak.window';
const TAB_PARAM = 'tab';

/** The tab named in the address bar, if any. */
function tabInUrl(): string | null {
  return new URLSearchParams(location.search).get(TAB_PARAM);
}

/** The current address with ?tab= set (other parameters kept). */
function urlWithTab(tab: string): string {
  const q = new URLSearchParams(location.search);
  q.set(TAB_PARAM, tab);
  return `${location.pathname}?${q}${location.hash}`;
}

export class ShApp extends LitElement {
  static override properties = { me: { state: true }, ready: { state: true }, tab: { state: true }, notice: { state: true }, window: { state: true }, windows: { state: true } };
  declare me: Me | null;
  declare ready: boolean;
  declare tab: string;
  declare notice: string | null;
  declare window: number | null;
  /** The center's windows as the hub has them (GET /api/windows), for the window picker. */
  declare windows: { number: number; labelAr: string; labelEn: string }[];

  static override styles = [shared, css`
    :host { min-height: 100vh; background: #f3f6f8; }
    header { display: flex; flex-wrap: wrap; align-items: center; gap: 1rem; padding: 0.6rem 1.2rem; background: #0b6e4f; color: #fff; }
    header h1 { font-size: 1.3rem; margin: 0; }
    header .who { margin-inline-start: auto; display: flex; gap: 0.6rem; align-items: center; }
    header button { background: transparent; color: #fff; border-color: #ffffff88; padding: 0.3rem 0.8rem; }
    nav { display: flex; gap: 0.25rem; padding: 0.5rem 1.2rem 0; border-block-end: 1px solid #d5dde3; background: #fff; }
    nav button { border: none; border-block-end: 3px solid transparent; border-radius: 0; background: none; }
    nav button[aria-selected='true'] { border-block-end-color: #0b6e4f; font-weight: 700; }
    /* Wide enough for a worklist beside a file on a 1366-pixel office screen. */
    main { padding: 1.2rem; max-width: 84rem; margin: 0 auto; }
    .login { max-width: 24rem; margin: 4rem auto; }
    .login form { display: grid; gap: 0.8rem; }
    .notice { background: #fff1c9; padding: 0.6rem 1rem; border-radius: 8px; margin-block-end: 1rem; }
    @media print { header, nav { display: none; } main { padding: 0; } :host { background: #fff; } }
  `];

  constructor() {
    super();
    this.me = null;
    this.ready = false;
    this.tab = '';
    this.notice = null;
    const saved = Number(localStorage.getItem(WINDOW_KEY));
    this.window = saved > 0 ? saved : null;
    this.windows = [];
    new LangController(this);
  }

  private readonly onExpired = () => {
    if (!this.me) return;
    this.me = null;
    this.notice = t('sessionExpired');
  };

  /** Back / Forward: show the tab the history entry names (the role's first when none). */
  private readonly onPopState = () => {
    if (!this.me) return;
    const panels = PANELS[this.me.role];
    const wanted = tabInUrl();
    this.tab = panels.find((p) => p.id === wanted)?.id ?? panels[0]?.id ?? '';
  };

  /** Open a tab: a new history entry, so Back returns here. */
  private openTab(id: string): void {
    if (id === this.tab) return;
    this.tab = id;
    history.pushState({ tab: id }, '', urlWithTab(id));
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener(SESSION_EXPIRED, this.onExpired);
    window.addEventListener('popstate', this.onPopState);
    void whoAmI().then((me) => {
      this.signedIn(me);
      this.ready = true;
    });
  }

  override disconnectedCallback(): void {
    window.removeEventListener(SESSION_EXPIRED, this.onExpired);
    window.removeEventListener('popstate', this.onPopState);
    super.disconnectedCallback();
  }

  private signedIn(me: Me | null): void {
    this.me = me;
    if (!me) return;
    this.notice = null;
    // The tab in the address (a reload, a link) when this role has it, else the role's first;
    // the entry is replaced, not added, so Back from the first tab leaves as it came.
    const panels = PANELS[me.role];
    this.tab = panels.find((p) => p.id === tabInUrl())?.id ?? panels[0]?.id ?? '';
    if (this.tab) history.replaceState({ tab: this.tab }, '', urlWithTab(this.tab));
    if (me.window) this.window = me.window;
    if (WINDOW_ROLES.includes(me.role)) void this.loadWindows();
  }

  /** The picker offers the windows this center has, not a fixed 1–12. */
  private async loadWindows(): Promise<void> {
    try {
      this.windows = (await api<{ number: number; labelAr: string; labelEn: string }[]>('GET', '/api/windows'))
        .map((w) => ({ number: w.number, labelAr: w.labelAr, labelEn: w.labelEn }));
    } catch (err) {
      showError(err);
    }
  }

  private async submitLogin(e: Event): Promise<void> {
    e.preventDefault();
    const f = new FormData(e.target as HTMLFormElement);
    try {
      this.signedIn(await login(String(f.get('username')), String(f.get('password'))));
    } catch (err) {
      showError(err);
    }
  }

  private async submitPassword(e: Event): Promise<void> {
    e.preventDefault();
    const f = new FormData(e.target as HTMLFormElement);
    try {
      await changePassword(String(f.get('current')), String(f.get('next')));
      this.signedIn(await whoAmI());
    } catch (err) {
      showError(err);
    }
  }

  private async signOut(): Promise<void> {
    await logout();
    this.me = null;
  }

  private setWindow(n: number): void {
    this.window = n > 0 ? n : null;
    if (this.window) localStorage.setItem(WINDOW_KEY, String(this.window));
  }

  private langButton() {
    return html`<button class="lang" @click=${() => setLang(currentLang() === 'ar' ? 'en' : 'ar')}>${t('language')}</button>`;
  }

  override render() {
    if (!this.ready) return html`<main>${t('loading')}</main>`;
    const en = currentLang() === 'en';
    if (!this.me) {
      return html`
        <header><h1>${t('appName')}</h1><span>${centerName}</span><span class="who">${this.langButton()}</span></header>
        <section class="card login">
          ${this.notice ? html`<div class="notice" role="status">${this.notice}</div>` : null}
          <h2>${t('login')}</h2>
          <form @submit=${this.submitLogin}>
            <label>${t('username')}<input name="username" autocomplete="username" required class="ltr"></label>
            <label>${t('password')}<input name="password" type="password" autocomplete="current-password" required class="ltr"></label>
            <button class="primary">${t('login')}</button>
          </form>
        </section>`;
    }
    const me = this.me;
    if (me.mustChangePassword) {
      return html`
        <header><h1>${t('appName')}</h1><span class="who">${me.name} ${this.langButton()}</span></header>
        <section class="card login">
          <h2>${en ? 'Choose a new password' : 'اختر كلمة مرور جديدة'}</h2>
          <form @submit=${this.submitPassword}>
            <label>${t('password')}<input name="current" type="password" autocomplete="current-password" required class="ltr"></label>
            <label>${en ? 'New password' : 'كلمة المرور الجديدة'}<input name="next" type="password" autocomplete="new-password" required minlength="10" class="ltr"></label>
            <button class="primary">${en ? 'Save' : 'حفظ'}</button>
          </form>
        </section>`;
    }
    const panels = PANELS[me.role];
    const panel = panels.find((p) => p.id === this.tab) ?? panels[0];
    const atWindow = WINDOW_ROLES.includes(me.role);
    return html`
      <header>
        <h1>${t('appName')}</h1>
        <span>${en ? me.roleName.en : me.roleName.ar}</span>
        ${atWindow ? html`<label class="inline">${t('chooseWindow')}
          <select data-testid="window-select" @change=${(e: Event) => this.setWindow(Number((e.target as HTMLSelectElement).value))}>
            <option value="0">—</option>
            ${this.windows.map((w) => html`<option value=${w.number} title=${en ? w.labelEn : w.labelAr} ?selected=${this.window === w.number}>${w.number}</option>`)}
          </select></label>` : null}
        <span class="who"><span data-testid="user-name">${me.name}</span>${this.langButton()}<button @click=${this.signOut}>${t('logout')}</button></span>
      </header>
      ${panels.length > 1 ? html`<nav role="tablist">${panels.map((p) => html`
        <button role="tab" aria-selected=${p === panel} data-tab=${p.id} @click=${() => this.openTab(p.id)}>${en ? p.en : p.ar}</button>`)}</nav>` : null}
      <main>${panel ? panel.render(me, this.window) : html`<p class="muted">${t('noPanel')}</p>`}</main>`;
  }
}
customElements.define('sh-app', ShApp);
