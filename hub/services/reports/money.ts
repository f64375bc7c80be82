// Money (issue 6): collections per cashier day and per fee item (valid receipts), and the
// voids with their reasons, over a period and the caller's departments. As for the other
// period reports, `moneyFacts` reads the sums of some cashier days — by service, so the
// department scope (a service's department, read now) is applied when reading out — and
// `MoneyTally` adds days into the report; a closed day's facts are kept (rollups.ts).
import type { Db } from '../../db/connection.ts';
import { receiptLabel } from '../../domain/money.ts';
import { scopeHas, type Period, type Scope } from './period.ts';

export type MoneyReport = {
  period: Period;
  totals: { amountPiasters: number; receipts: number; voids: number; voidedPiasters: number };
  daily: { day: string; receipts: number; amountPiasters: number }[];
  feeItems: { feeCode: string; label: string; count: number; amountPiasters: number }[];
  voids: { number: string; day: string; amountPiasters: number; reason: string; cashier: string; voidedBy: string | null; voidedAt: number | null }[];
};

/** The sums of cashier days, as plain JSON; each adds up across days. */
export type MoneyFacts = {
  /** Valid receipts: [day, service, receipts, piasters]. */
  d: [string, number, number, number][];
  /** Fee lines of valid receipts: [code, label, service, count, piasters]. */
  f: [string, string, number, number, number][];
  /** Voided receipts: [year, number, day, piasters, reason, cashier, voided by, voided at, service]. */
  v: [number, number, string, number, string | null, string, string | null, number | null, number][];
};

const JOIN = 'JOIN payment_orders o ON o.id = r.order_id';

export class MoneyQueries {
  readonly daily;
  readonly feeItems;
  readonly voids;
  readonly services;
  constructor(db: Db) {
    this.daily = db.prepare<[string, string], MoneyFacts['d'][number]>(
      `SELECT r.day, o.service_id, count(*), sum(r.total_piasters) FROM receipts r ${JOIN}
       WHERE r.day BETWEEN ? AND ? AND r.status <> 'voided' GROUP BY r.day, o.service_id`).raw();
    this.feeItems = db.prepare<[string, string], MoneyFacts['f'][number]>(
      `SELECT l.code, l.label_ar, o.service_id, count(*), sum(l.amount_piasters)
       FROM receipts r ${JOIN} JOIN payment_order_lines l ON l.order_id = r.order_id
       WHERE r.day BETWEEN ? AND ? AND r.status <> 'voided' GROUP BY l.code, l.label_ar, o.service_id`).raw();
    this.voids = db.prepare<[string, string], MoneyFacts['v'][number]>(
      `SELECT r.year, r.number, r.day, r.total_piasters, r.void_reason, r.cashier, r.voided_by, r.voided_at, o.service_id FROM receipts r ${JOIN}
       WHERE r.day BETWEEN ? AND ? AND r.status = 'voided'`).raw();
    this.services = db.prepare<[], [number, number]>('SELECT id, department_id FROM services').raw();
  }
}

/** The facts of the cashier days `from`..`to`. */
export function moneyFacts(q: MoneyQueries, span: { from: string; to: string }): MoneyFacts {
  return { d: q.daily.all(span.from, span.to), f: q.feeItems.all(span.from, span.to), v: q.voids.all(span.from, span.to) };
}

export class MoneyTally {
  private readonly facts: MoneyFacts[] = [];
  add(f: MoneyFacts): void {
    this.facts.push(f);
  }

  report(q: MoneyQueries, p: Period, scope: Scope): MoneyReport {
    const has = scopeHas(scope);
    const deptOf = new Map(q.services.all());
    const seen = (svc: number) => { const d = deptOf.get(svc); return d !== undefined && has(d); };
    const days = new Map<string, { receipts: number; amountPiasters: number }>();
    const fees = new Map<string, { feeCode: string; label: string; count: number; amountPiasters: number }>();
    const voided: MoneyFacts['v'] = [];
    for (const f of this.facts) {
      for (const [day, svc, n, amount] of f.d) {
        if (!seen(svc)) continue;
        const e = days.get(day);
        if (!e) days.set(day, { receipts: n, amountPiasters: amount });
        else { e.receipts += n; e.amountPiasters += amount; }
      }
      for (const [code, label, svc, n, amount] of f.f) {
        if (!seen(svc)) continue;
        const k = `${code}\u0000${label}`;
        const e = fees.get(k);
        if (!e) fees.set(k, { feeCode: code, label, count: n, amountPiasters: amount });
        else { e.count += n; e.amountPiasters += amount; }
      }
      for (const v of f.v) if (seen(v[8])) voided.push(v);
    }
    const daily = [...days].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([day, e]) => ({ day, ...e }));
    // The biggest first; equal sums by code and label.
    const feeItems = [...fees.values()].sort((a, b) => b.amountPiasters - a.amountPiasters
      || (a.feeCode < b.feeCode ? -1 : a.feeCode > b.feeCode ? 1 : 0) || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
    const voids = voided.sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(([year, number, day, total, reason, cashier, voidedBy, voidedAt]) => ({
      number: receiptLabel(year, number), day, amountPiasters: total, reason: reason ?? '', cashier, voidedBy, voidedAt,
    }));
    return {
      period: p,
      totals: {
        amountPiasters: daily.reduce((a, d) => a + d.amountPiasters, 0), receipts: daily.reduce((a, d) => a + d.receipts, 0),
        voids: voids.length, voidedPiasters: voids.reduce((a, v) => a + v.amountPiasters, 0),
      },
      daily, feeItems, voids,
    };
  }
}
