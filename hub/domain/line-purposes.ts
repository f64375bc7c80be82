// What a line is for in the center's flow (DESIGN.md §2): the back office asks for "the
// treasury line" or "the delivery line", never for a letter, so a center whose treasury
// is line T works like the demo whose treasury is B (issue 12 item 2). At most one line
// has each purpose (lines.purpose, migration 046); a line may have none (a department's
// own line). No imports, so the panels' bundle names the purposes too (Lines screen).

export const LINE_PURPOSES = ['intake', 'treasury', 'delivery', 'citizen_service'] as const;
export type LinePurpose = (typeof LINE_PURPOSES)[number];

export const LINE_PURPOSE_WORDS: Record<LinePurpose, { ar: string; en: string }> = {
  intake: { ar: 'استلام الطلبات', en: 'Application intake' },
  treasury: { ar: 'الخزينة', en: 'Treasury' },
  delivery: { ar: 'تسليم المعاملات', en: 'Delivery' },
  citizen_service: { ar: 'خدمة المواطنين', en: 'Citizen service' },
};
