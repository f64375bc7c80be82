// Money rules of the treasury: amounts in integer piasters (100 piasters = 1 pound), receipt
// numbers per year, the two-person void, and the cashier's daily close. Pure.

/** The largest single amount accepted anywhere (10 million pounds): far above any fee, far below 2^53. */
export const MAX_PIASTERS = 1_000_000_000;

export function isPiasters(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 && n <= MAX_PIASTERS;
}

/** Sum of amounts; throws if the total leaves the accepted range (a bug, not user input). */
export function sumPiasters(amounts: readonly number[]): number {
  let total = 0;
  for (const a of amounts) {
    if (!isPiasters(a)) throw new RangeError(`not an amount in piasters: ${a}`);
    total += a;
  }
  if (!Number.isSafeInteger(total)) throw new RangeError('total out of range');
  return total;
}

/** 123456 → '1,234.56 ج.م' (Arabic) or 'EGP 1,234.56'. */
export function formatPiasters(p: number, lang: 'ar' | 'en' = 'ar'): string {
  const sign = p < 0 ? '-' : '';
  const abs = Math.abs(p);
  // Thousands grouped by hand: toLocaleString would load ICU's number data (~7 MB, issue 10).
  const pounds = String(Math.trunc(abs / 100)).replace(/\B(?=(\d{3})+$)/g, ',');
  const text = `${sign}${pounds}.${String(abs % 100).padStart(2, '0')}`;
  return lang === 'ar' ? `${text} ج.م` : `EGP ${text}`;
}

/** Receipt numbers restart at 1 each year; printed as 2026/000123. */
export function receiptLabel(year: number, number: number): string {
  return `${year}/${String(number).padStart(6, '0')}`;
}

/** Missing and repeated numbers in a year's receipts (empty both = a clean sequence from 1). */
export function sequenceFaults(numbers: readonly number[]): { gaps: number[]; repeats: number[] } {
  const sorted = [...numbers].sort((a, b) => a - b);
  const gaps: number[] = [];
  const repeats: number[] = [];
  let expect = 1;
  for (const n of sorted) {
    if (n < expect) {
      repeats.push(n);
      continue;
    }
    while (expect < n) gaps.push(expect++);
    expect = n + 1;
  }
  return { gaps, repeats };
}

// ---- voids: two people ----
//
// A wrong receipt is never deleted. The cashier who holds the money asks for the void with a
// reason; the center manager confirms it (or turns it down). Two different people, two
// calls: the request sits visibly on the manager's screen until decided.

export type ReceiptStatus = 'valid' | 'void_requested' | 'voided';
export type VoidState = { status: ReceiptStatus; cashier: string; voidRequestedBy: string | null };
export type Verdict = { ok: true } | { ok: false; code: 'INVALID_TRANSITION' | 'SAME_PERSON' | 'DAY_CLOSED' | 'REASON_REQUIRED'; ar: string; en: string };

export const MIN_VOID_REASON = 5;

export function canRequestVoid(r: VoidState, reason: string, dayClosed: boolean): Verdict {
  if (r.status !== 'valid') {
    return { ok: false, code: 'INVALID_TRANSITION', ar: r.status === 'voided' ? 'الإيصال ملغى بالفعل' : 'طلب إلغاء هذا الإيصال قائم بالفعل', en: `receipt is ${r.status}` };
  }
  if (dayClosed) return { ok: false, code: 'DAY_CLOSED', ar: 'أُقفلت يومية الخزينة لهذا اليوم؛ لا يلغى إيصال بعد الإقفال', en: 'the cashier day is closed' };
  if (reason.trim().length < MIN_VOID_REASON) return { ok: false, code: 'REASON_REQUIRED', ar: 'اكتب سبب الإلغاء', en: 'a reason is required' };
  return { ok: true };
}

/** The manager confirms or declines; never the person who asked. */
export function canDecideVoid(r: VoidState, decider: string): Verdict {
  if (r.status !== 'void_requested') return { ok: false, code: 'INVALID_TRANSITION', ar: 'لا يوجد طلب إلغاء قائم لهذا الإيصال', en: 'no pending void request' };
  if (r.voidRequestedBy === decider) return { ok: false, code: 'SAME_PERSON', ar: 'لا يعتمد الإلغاء من طلبه؛ يلزم شخص ثانٍ', en: 'the requester cannot confirm their own void' };
  return { ok: true };
}

// ---- the daily close ----

export type CloseReceipt = {
  number: number; totalPiasters: number; status: ReceiptStatus;
  lines: readonly { code: string; labelAr: string; amountPiasters: number }[];
};
export type FeeTotal = { code: string; labelAr: string; count: number; totalPiasters: number };
export type CloseSummary = {
  receipts: number; totalPiasters: number; byFeeItem: FeeTotal[];
  voided: number; voidedPiasters: number; firstNumber: number | null; lastNumber: number | null;
};

/**
 * What the cashier hands over at the end of the day: valid receipts (a void still pending
 * counts: the money is in the drawer until the manager confirms), totals per fee item,
 * and the voided ones apart.
 */
export function summarizeDay(receipts: readonly CloseReceipt[]): CloseSummary {
  const byCode = new Map<string, FeeTotal>();
  let total = 0;
  let count = 0;
  let voided = 0;
  let voidedPiasters = 0;
  for (const r of receipts) {
    if (r.status === 'voided') {
      voided++;
      voidedPiasters += r.totalPiasters;
      continue;
    }
    count++;
    total += r.totalPiasters;
    for (const l of r.lines) {
      const t = byCode.get(l.code) ?? { code: l.code, labelAr: l.labelAr, count: 0, totalPiasters: 0 };
      t.count++;
      t.totalPiasters += l.amountPiasters;
      byCode.set(l.code, t);
    }
  }
  const numbers = receipts.map((r) => r.number);
  return {
    receipts: count, totalPiasters: total, byFeeItem: [...byCode.values()].sort((a, b) => a.code.localeCompare(b.code)),
    voided, voidedPiasters,
    firstNumber: numbers.length ? Math.min(...numbers) : null, lastNumber: numbers.length ? Math.max(...numbers) : null,
  };
}
