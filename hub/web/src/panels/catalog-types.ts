// Shapes of the catalog API (hub/routes/catalog) as the panels read them.
export type Fee = {
  code: string; labelAr: string; labelEn: string; kind: 'fixed' | 'variable';
  amountPiasters: number | null; minPiasters: number | null; maxPiasters: number | null;
};
export type Service = {
  id: number; code: string; departmentId: number; nameAr: string; nameEn: string; legalPeriodDays: number; periodKind: string;
  requirementsAr: string; requirementsEn: string; active: boolean; version: number;
  checklist: { position: number; labelAr: string; labelEn: string; required: boolean }[];
  fees: Fee[];
};
export type Department = { id: number; code: string; nameAr: string; nameEn: string; active: boolean };
