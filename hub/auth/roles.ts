// The staff roles of the center's rules (DESIGN.md §2), and what a route may declare
// about who can reach it. Every /api route declares `config.access`; app.ts refuses to
// start if one does not, so no route is open by accident.

export const ROLES = [
  'manager', // مدير المركز التكنولوجي
  'reception', // الاستقبال والاستعلام
  'intake', // شبابيك استلام الطلبات
  'representative', // مندوبو الإدارات
  'revenue', // موظف الإيرادات (شباك الخزينة)
  'cashier', // موظف الخزينة
  'delivery', // شبابيك تسليم المعاملات
  'citizen_service', // شباك خدمة المواطنين
  'supervisor', // مشرفو النظام
  'information', // مركز المعلومات
  'admin', // مدير النظام
] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_NAMES: Record<Role, { ar: string; en: string }> = {
  manager: { ar: 'مدير المركز التكنولوجي', en: 'Center manager' },
  reception: { ar: 'الاستقبال والاستعلام', en: 'Reception & inquiry' },
  intake: { ar: 'شباك استلام الطلبات', en: 'Intake window' },
  representative: { ar: 'مندوب الإدارة', en: 'Department representative' },
  revenue: { ar: 'موظف الإيرادات', en: 'Revenue clerk' },
  cashier: { ar: 'موظف الخزينة', en: 'Cashier' },
  delivery: { ar: 'شباك تسليم المعاملات', en: 'Delivery window' },
  citizen_service: { ar: 'شباك خدمة المواطنين', en: 'Citizen service window' },
  supervisor: { ar: 'مشرف النظام', en: 'System supervisor' },
  information: { ar: 'مركز المعلومات', en: 'Information center' },
  admin: { ar: 'مدير النظام', en: 'Administrator' },
};

/**
 * Who may call a route:
 * - 'public': anyone (status lookup, TV page data, Open311 reads, health probes);
 * - 'monitoring': machines on the metrics allow-list (SHUBBAK_METRICS_ALLOW, loopback by
 *   default) — a Prometheus server scrapes without a staff session;
 * - 'open311_key': an application holding a live Open311 api_key the administrator issued
 *   (sent as the api_key field or query parameter; GeoReport v2 "POST Service Request");
 * - 'kiosk_screen': a kiosk's touch screen paired with its kiosk device (the kiosk-screen
 *   session cookie, hub/services/kiosk-screens.ts); request.kioskDevice is that kiosk;
 * - a list of roles: a signed-in staff user holding one of them.
 */
export type RouteAccess = 'public' | 'monitoring' | 'open311_key' | 'kiosk_screen' | readonly Role[];

/** The signed-in staff member, as every route sees it on request.user. */
export type StaffUser = {
  id: number;
  username: string;
  name: string;
  role: Role;
  /** Departments this user is limited to (representatives, supervisors); null = all. */
  departmentIds: number[] | null;
  /** The window this clerk sits at today, if any. */
  window: number | null;
};

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    user: StaffUser | null;
  }
}
