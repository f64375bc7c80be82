// Administrator: staff accounts — create one (its one-time password is shown once),
// reset a password, deactivate — with role, departments and window.
import { LitElement, html } from 'lit';
import { api } from '../api.ts';
import { LangController, currentLang } from '../i18n/index.ts';
import { shared } from '../components/shared-styles.ts';
import { showError } from '../components/sh-toast.ts';
import type { Department } from './catalog-types.ts';
// The hub's own role list and names (a plain module with no runtime imports).
import { ROLES, ROLE_NAMES, type Role } from '../../../auth/roles.ts';

type User = { id: number; username: string; name: string; role: string; departmentIds: number[] | null; window: number | null; active: boolean; mustChangePassword: boolean };

const L = {
  ar: { title: 'المستخدمون', add: 'مستخدم جديد', username: 'اسم الدخول', name: 'الاسم', role: 'الدور', dept: 'الإدارات', window: 'الشباك', create: 'إنشاء', reset: 'كلمة مرور جديدة', deactivate: 'إيقاف', inactive: 'موقوف', otp: 'كلمة المرور المؤقتة (تظهر مرة واحدة، سلّمها للموظف):' },
  en: { title: 'Users', add: 'New user', username: 'Username', name: 'Name', role: 'Role', dept: 'Departments', window: 'Window', create: 'Create', reset: 'New password', deactivate: 'Deactivate', inactive: 'inactive', otp: 'One-time password (shown once, hand it to the user):' },
};

export class ShUsers extends LitElement {
  static override properties = { users: { state: true }, departments: { state: true }, otp: { state: true } };
  declare users: User[];
  declare departments: Department[];
  declare otp: { username: string; password: string } | null;
  static override styles = shared;

  constructor() {
    super();
    this.users = [];
    this.departments = [];
    this.otp = null;
    new LangController(this);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      [this.users, this.departments] = await Promise.all([api<User[]>('GET', '/api/users'), api<Department[]>('GET', '/api/departments')]);
    } catch (err) {
      showError(err);
    }
  }

  private async create(e: Event): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const f = new FormData(form);
    const window = Number(f.get('window'));
    try {
      const r = await api<{ user: User; password: string }>('POST', '/api/users', {
        username: String(f.get('username')).trim(), name: String(f.get('name')).trim(), role: String(f.get('role')),
        departmentIds: f.getAll('dept').map(Number), window: window || null,
      });
      this.otp = { username: r.user.username, password: r.password };
      form.reset();
      await this.load();
    } catch (err) {
      showError(err);
    }
  }

  private async reset(u: User): Promise<void> {
    try {
      const r = await api<{ password: string }>('POST', `/api/users/${u.id}/reset-password`);
      this.otp = { username: u.username, password: r.password };
    } catch (err) {
      showError(err);
    }
  }

  private async deactivate(u: User): Promise<void> {
    try {
      await api('POST', `/api/users/${u.id}/deactivate`);
      await this.load();
    } catch (err) {
      showError(err);
    }
  }

  override render() {
    const s = L[currentLang()];
    const en = currentLang() === 'en';
    const deptName = (id: number) => { const d = this.departments.find((x) => x.id === id); return d ? (en ? d.nameEn : d.nameAr) : String(id); };
    return html`
      <section class="card">
        <h2>${s.add}</h2>
        <form class="row" @submit=${this.create}>
          <label>${s.username}<input name="username" required pattern="[a-z][a-z0-9._-]{2,31}" class="ltr"></label>
          <label>${s.name}<input name="name" required minlength="2"></label>
          <label>${s.role}<select name="role">${ROLES.map((r) => html`<option value=${r}>${ROLE_NAMES[r][currentLang()]}</option>`)}</select></label>
          <label>${s.dept}<select name="dept" multiple size="3">${this.departments.map((d) => html`<option value=${d.id}>${en ? d.nameEn : d.nameAr}</option>`)}</select></label>
          <label>${s.window}<input name="window" type="number" min="1" max="999" style="width: 5rem"></label>
          <button class="primary">${s.create}</button>
        </form>
        ${this.otp ? html`<p role="status" data-testid="one-time-password">${s.otp} <b class="ltr">${this.otp.username}</b> <code class="ltr">${this.otp.password}</code></p>` : null}
      </section>
      <section class="card">
        <h2>${s.title}</h2>
        <table>
          <thead><tr><th>${s.username}</th><th>${s.name}</th><th>${s.role}</th><th>${s.dept}</th><th>${s.window}</th><th></th></tr></thead>
          <tbody>${this.users.map((u) => html`
            <tr data-user=${u.username}>
              <td class="ltr">${u.username}</td><td>${u.name} ${u.active ? null : html`<span class="pill bad">${s.inactive}</span>`}</td><td>${ROLE_NAMES[u.role as Role]?.[currentLang()] ?? u.role}</td>
              <td>${(u.departmentIds ?? []).map(deptName).join('، ')}</td><td>${u.window ?? '—'}</td>
              <td class="row"><button @click=${() => this.reset(u)}>${s.reset}</button>${u.active ? html`<button class="danger" @click=${() => this.deactivate(u)}>${s.deactivate}</button>` : null}</td>
            </tr>`)}
          </tbody>
        </table>
      </section>`;
  }
}
customElements.define('sh-users', ShUsers);
