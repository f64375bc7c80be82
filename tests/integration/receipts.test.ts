// Receipt numbers under load: a thousand collections fired at once get a thousand
// consecutive numbers — no gap, no repeat — and a second collection of the same order
// never makes a second receipt. Numbers restart each year.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sequenceFaults } from '../../hub/domain/money.ts';
import { FakeClock } from '../helpers/clock.ts';
import { startTestHub } from '../helpers/hub.ts';
import { signIn } from '../helpers/staff.ts';
import { expectOk, service, type CollectReply, type DayReportReply, type OrderReply } from './files-support.ts';

describe('receipt numbers under load', () => {
  test('1,000 concurrent collections produce receipts 1..1000 of the year, each order paid once', async (t) => {
    const clock = new FakeClock(Date.parse('2026-12-31T08:00:00Z')); // 10:00 Cairo, the last day of the year
    const hub = await startTestHub(t, { clock: clock.now });
    const revenue = await signIn(hub, 'revenue');
    const cashier = await signIn(hub, 'cashier');
    const rent = service(hub, 'HOUSING-RENT');
    const code = rent.fees[0].code;

    const N = 1000;
    const orders = await Promise.all(Array.from({ length: N }, (_, i) => revenue.inject({
      method: 'POST', url: '/api/revenue/orders',
      payload: { serviceId: rent.id, fees: [{ code, amountPiasters: 100 + i }], payerName: `مستأجر الوحدة ${i + 1}`, reference: `وحدة ${i + 1}` },
    })));
    const ids = orders.map((r) => expectOk<OrderReply>(r, 201).id);

    // Every order once, plus a second attempt at every tenth order, all at the same time.
    const attempts = [...ids, ...ids.filter((_, i) => i % 10 === 0)];
    const results = await Promise.all(attempts.map((id) => cashier.inject({ method: 'POST', url: `/api/payments/orders/${id}/collect` })));
    const created = results.filter((r) => r.statusCode === 201).map((r) => r.json());
    const refused = results.filter((r) => r.statusCode !== 201);
    assert.equal(created.length, N);
    assert.equal(refused.length, N / 10);
    for (const r of refused) assert.equal(r.json().error.code, 'ALREADY_PAID');

    const numbers = created.map((c) => c.receipt.number as number);
    assert.deepEqual(sequenceFaults(numbers), { gaps: [], repeats: [] });
    assert.equal(Math.min(...numbers), 1);
    assert.equal(Math.max(...numbers), N);
    assert.equal(new Set(created.map((c) => c.receipt.orderId)).size, N, 'one receipt per order');
    // The database agrees: N rows, numbers 1..N, every order paid, each receipt's amount its order's.
    const db = hub.ctx.db;
    const agg = db.prepare('SELECT count(*) AS n, min(number) AS lo, max(number) AS hi, count(DISTINCT number) AS d FROM receipts WHERE year = 2026').get() as Record<string, number>;
    assert.deepEqual(agg, { n: N, lo: 1, hi: N, d: N });
    assert.equal((db.prepare("SELECT count(*) AS n FROM payment_orders WHERE status = 'paid'").get() as { n: number }).n, N);
    assert.equal((db.prepare('SELECT count(*) AS n FROM receipts r JOIN payment_orders o ON o.id = r.order_id WHERE r.total_piasters != o.total_piasters').get() as { n: number }).n, 0);
    assert.equal(hub.ctx.audit.verify().ok, true);

    // The cashier's day adds up.
    const day = expectOk<DayReportReply>(await cashier.inject({ method: 'GET', url: '/api/payments/day' }));
    assert.equal(day.summary.receipts, N);
    assert.equal(day.summary.totalPiasters, Array.from({ length: N }, (_, i) => 100 + i).reduce((a, b) => a + b, 0));

    // A new year starts again at 1.
    clock.set(Date.parse('2027-01-01T07:00:00Z'));
    const cashier2 = await signIn(hub, 'cashier');
    const revenue2 = await signIn(hub, 'revenue');
    const o = expectOk<OrderReply>(await revenue2.inject({ method: 'POST', url: '/api/revenue/orders', payload: { serviceId: rent.id, fees: [{ code, amountPiasters: 5000 }], payerName: 'مستأجر جديد' } }), 201);
    const first = expectOk<CollectReply>(await cashier2.inject({ method: 'POST', url: `/api/payments/orders/${o.id}/collect` }), 201);
    assert.equal(first.receipt.label, '2027/000001');
  });
});
