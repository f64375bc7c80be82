// Which panels each role sees, in tab order. A role's first panel opens after sign-in.
import { html, type TemplateResult } from 'lit';
import type { Me, Role } from '../session.ts';
import type { FileStatus } from './file-types.ts';
import './sh-reception.ts';
import './sh-floor.ts';
import './sh-admin-devices.ts';
import './sh-catalog.ts';
import './sh-meetings.ts';
import './sh-users.ts';
import './sh-complaints.ts';
import './sh-inspection.ts';
import './sh-intake.ts';
import './sh-file-desk.ts';
import './sh-cashier.ts';
import './sh-revenue-order.ts';
import './sh-void-approvals.ts';
import './sh-admin-services.ts';
import './sh-admin-center.ts';
import '../components/sh-window-console.ts';
import '../pages/sh-status.ts';

export type Panel = { id: string; ar: string; en: string; render: (me: Me, window: number | null) => TemplateResult };

const windowConsole: Panel = {
  id: 'window', ar: 'الشباك', en: 'Window',
  render: (_me, w) => (w ? html`<sh-window-console .window=${w}></sh-window-console>` : html`<p class="muted">—</p>`),
};

/** A file desk listing some stages, beside the window console when the role has a window. */
const desk = (id: string, ar: string, en: string, statuses: FileStatus[], withConsole: boolean): Panel => ({
  id, ar, en,
  render: (me, w) => html`
    ${withConsole && w ? html`<sh-window-console .window=${w}></sh-window-console>` : null}
    <sh-file-desk .role=${me.role} .userName=${me.name} .statuses=${statuses} .window=${withConsole && w ? w : 0}></sh-file-desk>`,
});

const intake: Panel = {
  id: 'window', ar: 'الشباك', en: 'Window',
  render: (me, w) => html`
    ${w ? html`<sh-window-console .window=${w}></sh-window-console>` : null}
    <sh-intake-register .window=${w ?? 0} @registered=${(e: CustomEvent<{ id: number }>) => {
      const host = (e.target as HTMLElement).parentNode as ParentNode;
      void host.querySelector('sh-file-desk')?.open(e.detail.id);
    }}></sh-intake-register>
    <sh-file-desk .role=${me.role} .userName=${me.name} .statuses=${['returned'] as FileStatus[]} .window=${w ?? 0}></sh-file-desk>`,
};
const cashier: Panel = {
  id: 'window', ar: 'الشباك', en: 'Window',
  render: (_me, w) => html`${w ? html`<sh-window-console .window=${w}></sh-window-console>` : null}<sh-cashier .window=${w ?? 0}></sh-cashier>`,
};
const review = desk('review', 'المراجعة الفنية', 'Technical review', ['technical_review', 'approved', 'with_department', 'decided'], false);
const approvalDesk = desk('approvals', 'الاعتماد', 'Approvals', ['paid', 'reviewed'], false);
const approvals: Panel = { ...approvalDesk, render: (me, w) => html`${approvalDesk.render(me, w)}<sh-void-approvals></sh-void-approvals>` };
const otherRevenue: Panel = { id: 'revenue', ar: 'إيرادات أخرى', en: 'Other revenue', render: () => html`<sh-revenue-order></sh-revenue-order>` };
const revenue = desk('window', 'الشباك', 'Window', ['awaiting_payment'], true);
const delivery = desk('window', 'الشباك', 'Window', ['ready'], true);
const supervision = desk('files', 'ملفات الإدارات', 'Department files', ['technical_review', 'awaiting_payment', 'paid', 'reviewed', 'approved', 'with_department', 'decided', 'ready', 'returned'], false);
const fileLookup = desk('files', 'الملفات', 'Files', [], false);
const issue: Panel = { id: 'issue', ar: 'إصدار تذكرة', en: 'Issue ticket', render: () => html`<sh-reception></sh-reception>` };
const floor: Panel = { id: 'floor', ar: 'الصالة الآن', en: 'Live floor', render: (me) => html`<sh-floor .canManage=${me.role === 'manager' || me.role === 'admin'}></sh-floor>` };
const catalog: Panel = { id: 'catalog', ar: 'دليل الخدمات', en: 'Service catalog', render: () => html`<sh-catalog></sh-catalog>` };
const lookup: Panel = { id: 'lookup', ar: 'الاستعلام', en: 'Status lookup', render: () => html`<sh-status embedded></sh-status>` };
const meetings: Panel = { id: 'meetings', ar: 'لقاء الجماهير', en: 'Public meeting', render: () => html`<sh-meetings></sh-meetings>` };
const complaints: Panel = { id: 'complaints', ar: 'الشكاوى', en: 'Complaints', render: (me) => html`<sh-complaints .role=${me.role}></sh-complaints>` };
const inspection: Panel = { id: 'inspection', ar: 'تفتيش مفاجئ', en: 'Inspection', render: () => html`<sh-inspection></sh-inspection>` };
// Loaded on first use: the charts library is most of the bundle and most clerks never open reports.
const reports: Panel = {
  id: 'reports', ar: 'التقارير', en: 'Reports',
  render: (me) => {
    void import('../reports/sh-reports.ts');
    return html`<sh-reports .me=${me}></sh-reports>`;
  },
};
const users: Panel = { id: 'users', ar: 'المستخدمون', en: 'Users', render: () => html`<sh-users></sh-users>` };
const services: Panel = { id: 'services', ar: 'الخدمات والرسوم', en: 'Services and fees', render: () => html`<sh-admin-services></sh-admin-services>` };
const center: Panel = { id: 'center', ar: 'إعداد المركز', en: 'Center setup', render: () => html`<sh-admin-center></sh-admin-center>` };
const devices: Panel = { id: 'devices', ar: 'الأجهزة', en: 'Devices', render: () => html`<sh-admin-devices></sh-admin-devices>` };

export const PANELS: Record<Role, Panel[]> = {
  manager: [floor, approvals, inspection, supervision, complaints, meetings, windowConsole, catalog, reports],
  reception: [issue, fileLookup, catalog, lookup],
  intake: [intake, catalog],
  representative: [review, complaints],
  revenue: [revenue, otherRevenue],
  cashier: [cashier],
  delivery: [delivery],
  citizen_service: [windowConsole, complaints, meetings, issue],
  supervisor: [supervision, complaints, floor, reports],
  information: [floor, fileLookup, reports],
  admin: [users, services, center, devices, floor],
};

/** Roles that sit at a window and call tickets. */
export const WINDOW_ROLES: Role[] = ['intake', 'revenue', 'cashier', 'delivery', 'citizen_service', 'manager'];
