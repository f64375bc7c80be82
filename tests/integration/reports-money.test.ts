// Collections over hand-built receipts: per cashier day and per fee item (voided
// receipts excluded), voids listed with their reasons, and the supervisor's scope.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { HubContext } from '../../hub/context.ts';
import { startTestHub } from '../helpers/hub.ts';
import { serviceContext } from '../helpers/services.ts';
import { FakeClock } from '../helpers/clock.ts';
import { get, signIn } from './reports-support.ts';

/** Five receipts over two departments: one voided, one before the period. */
function handBuiltReceipts(ctx: HubContext): void {
  const db = ctx.db;
  const [d1, d2] = db.prepare('SELECT id FROM departments ORDER BY id LIMIT 2').pluck().all() as number[];
  const svc = (dept: number) => db.prepare('SELECT id FROM services WHERE department_id = ? ORDER BY id LIMIT 1').pluck().get(dept) as number;
  const order = db.prepare("INSERT INTO payment_orders (service_id, payer_name, status, total_piasters, issued_at, issued_by) VALUES (?, 'مواطن', 'paid', ?, 0, 'test')");
  const line = db.prepare("INSERT INTO payment_order_lines (order_id, code, position, label_ar, label_en, amount_piasters) VALUES (?, ?, ?, ?, '', ?)");
  const receipt = db.prepare(
    `INSERT INTO receipts (year, number, order_id, day, total_piasters, cashier, collected_at, status, void_reason, voided_by, voided_at)
     VALUES (2026, ?, ?, ?, ?, 'user:5', 0, ?, ?, ?, ?)`);
  let n = 0;
  const pay = (service: number, day: string, lines: [string, string, number][], voidReason?: string) => {
    const total = lines.reduce((a, l) => a + l[2], 0);
    const o = Number(order.run(service, total).lastInsertRowid);
    lines.forEach(([code, label, amount], i) => line.run(o, code, i, label, amount));
    receipt.run(++n, o, day, total, voidReason ? 'voided' : 'valid', voidReason ?? null, voidReason ? 'user:1' : null, voidReason ? 1 : null);
  };
  pay(svc(d1), '2026-11-22', [['FORM', 'رسم النموذج', 1000], ['REVIEW', 'رسم المراجعة', 25050]]);
  pay(svc(d1), '2026-11-22', [['FORM', 'رسم النموذج', 1000]]);
  pay(svc(d2), '2026-11-23', [['FORM', 'رسم النموذج', 1000], ['STAMP', 'دمغة', 90]]);
  pay(svc(d2), '2026-11-23', [['STAMP', 'دمغة', 90]], 'خطأ في اسم المواطن'); // voided: not collected
  pay(svc(d1), '2026-10-31', [['FORM', 'رسم النموذج', 1000]]); // before the period
}

const at = (iso: string) => new FakeClock(Date.parse(iso)).now;

describe('the money report', () => {
  test('money: collections per day and fee item, voids with reasons (service level)', async (t) => {
    const ctx = await serviceContext(t, { clock: at('2026-11-29T10:00:00+02:00') });
    handBuiltReceipts(ctx);
    const m = ctx.reports.money({ from: '2026-11-01', to: '2026-11-30' }, null);
    // 22 Nov: 26 050 + 1 000 = 27 050; 23 Nov: 1 090 (the voided 90 does not count).
    assert.deepEqual(m.daily, [{ day: '2026-11-22', receipts: 2, amountPiasters: 27050 }, { day: '2026-11-23', receipts: 1, amountPiasters: 1090 }]);
    assert.deepEqual(m.totals, { amountPiasters: 28140, receipts: 3, voids: 1, voidedPiasters: 90 });
    assert.deepEqual(m.feeItems.map((f) => [f.feeCode, f.count, f.amountPiasters]), [['REVIEW', 1, 25050], ['FORM', 3, 3000], ['STAMP', 1, 90]]);
    assert.deepEqual(m.voids.map((v) => [v.number, v.reason, v.amountPiasters]), [['2026/000004', 'خطأ في اسم المواطن', 90]]);
  });

  test('money over HTTP: a supervisor sees only their departments, and the CSV of voids', async (t) => {
    const hub = await startTestHub(t, { clock: at('2026-11-29T10:00:00+02:00'), config: { passwordCost: 10 } });
    handBuiltReceipts(hub.ctx);
    const [, d2] = hub.ctx.db.prepare('SELECT id FROM departments ORDER BY id LIMIT 2').pluck().all() as number[];
    const sup = await signIn(hub, 'super4', 'supervisor', [d2]);
    const scoped = (await get(hub, sup, '/api/reports/money?from=2026-11-01&to=2026-11-30')).json();
    assert.deepEqual(scoped.totals, { amountPiasters: 1090, receipts: 1, voids: 1, voidedPiasters: 90 });
    const csv = await get(hub, sup, '/api/reports/money?from=2026-11-01&to=2026-11-30&format=csv&table=voids');
    assert.match(csv.body, /2026\/000004,2026-11-23,90,خطأ في اسم المواطن/);
  });
});
