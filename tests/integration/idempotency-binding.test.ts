// Issue 15, fault 3: an Idempotency-Key is bound to its user, its route and a hash of its
// request. Collecting order 2 with the key used for order 1 used to answer 201 with order
// 1's receipt while order 2 stayed unpaid; the same key on another route gave a 500. Now
// the same key with a different request is refused: 422, code IDEMPOTENCY_KEY_REUSED, an
// Arabic message, and nothing is done.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startTestHub } from '../helpers/hub.ts';
import { signIn } from '../helpers/staff.ts';
import { expectError, expectOk, service, type CollectReply, type OrderReply } from './files-support.ts';

describe('an Idempotency-Key is bound to its user, route and request', () => {
  test('the same Idempotency-Key for a different order, route or user is refused with 422, and nothing is paid', async (t) => {
    const hub = await startTestHub(t);
    const revenue = await signIn(hub, 'revenue');
    const cashier = await signIn(hub, 'cashier');
    const rent = service(hub, 'HOUSING-RENT');
    const order = async (piasters: number) => expectOk<OrderReply>(await revenue.inject({
      method: 'POST', url: '/api/revenue/orders',
      payload: { serviceId: rent.id, fees: [{ code: rent.fees[0].code, amountPiasters: piasters }], payerName: 'مستأجر الوحدة' },
    }), 201);
    const o1 = await order(7_500);
    const o2 = await order(9_000);
    const key = { 'idempotency-key': 'cashier-key-0001' };

    const r1 = expectOk<CollectReply>(await cashier.inject({ method: 'POST', url: `/api/payments/orders/${o1.id}/collect`, headers: key }), 201);
    // A true retry still gets the first answer.
    const again = expectOk<CollectReply>(await cashier.inject({ method: 'POST', url: `/api/payments/orders/${o1.id}/collect`, headers: key }), 201);
    assert.equal(again.receipt.id, r1.receipt.id);

    // Order 2 with order 1's key: refused, not "paid" with order 1's receipt.
    const reused = expectError(await cashier.inject({ method: 'POST', url: `/api/payments/orders/${o2.id}/collect`, headers: key }), 422, 'IDEMPOTENCY_KEY_REUSED');
    assert.match(reused.message, /[\u0600-\u06FF]/, 'an Arabic message');
    const receipts = hub.ctx.db.prepare('SELECT count(*) FROM receipts').pluck().get();
    assert.equal(receipts, 1, 'no receipt for order 2');
    const status2 = hub.ctx.db.prepare('SELECT status FROM payment_orders WHERE id = ?').pluck().get(o2.id);
    assert.notEqual(status2, 'paid');

    // The same body with a different body field is a different request too.
    expectError(await cashier.inject({ method: 'POST', url: `/api/payments/orders/${o1.id}/collect`, headers: key, payload: { window: 5 } }), 422, 'IDEMPOTENCY_KEY_REUSED');

    // The same key on another route: 422, not a 500.
    expectError(await cashier.inject({ method: 'POST', url: '/api/windows/5/pause', headers: key }), 422, 'IDEMPOTENCY_KEY_REUSED');
    assert.equal(hub.ctx.db.prepare('SELECT status FROM windows WHERE number = 5').pluck().get() !== 'paused', true, 'the pause did not run');

    // Another user's key space is their own: the same key from the revenue clerk is a new request.
    const o3 = expectOk<OrderReply>(await revenue.inject({
      method: 'POST', url: '/api/revenue/orders', headers: key,
      payload: { serviceId: rent.id, fees: [{ code: rent.fees[0].code, amountPiasters: 1_000 }], payerName: 'مستأجر آخر' },
    }), 201);
    assert.ok(o3.id > o2.id);
  });
});
