// The treasury over HTTP: revenue orders without a file, validation of amounts, the
// two-person void (never a delete), a file reopened for payment by a void, and the
// cashier's daily close with totals by fee item.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FakeClock } from '../helpers/clock.ts';
import { startTestHub } from '../helpers/hub.ts';
import { signIn } from '../helpers/staff.ts';
import { expectError, expectOk, fileInReview, service, type CollectReply, type DailyCloseReply, type DayReportReply, type FileReply, type OrderReply, type ReceiptReply } from './files-support.ts';

describe('the treasury over HTTP', () => {
  test('revenue orders: fees within the schedule, clear field errors, nothing written on bad input', async (t) => {
    const hub = await startTestHub(t);
    const revenue = await signIn(hub, 'revenue');
    const intake = await signIn(hub, 'intake');
    const rent = service(hub, 'HOUSING-RENT');
    const code = rent.fees[0].code;
    const count = () => (hub.ctx.db.prepare('SELECT count(*) AS n FROM payment_orders').get() as { n: number }).n;

    expectError(await hub.app.inject({ method: 'POST', url: '/api/revenue/orders', payload: {} }), 401);
    expectError(await intake.inject({ method: 'POST', url: '/api/revenue/orders', payload: { serviceId: rent.id, fees: [{ code, amountPiasters: 500 }], payerName: 'مستأجر' } }), 403);
    const tooMuch = expectError(await revenue.inject({ method: 'POST', url: '/api/revenue/orders', payload: { serviceId: rent.id, fees: [{ code, amountPiasters: 999_999_999 }], payerName: 'مستأجر الوحدة' } }), 400, 'VALIDATION');
    assert.equal(tooMuch.details![0].path, `/fees/${code}`);
    assert.match(tooMuch.message, /بين/);
    expectError(await revenue.inject({ method: 'POST', url: '/api/revenue/orders', payload: { serviceId: rent.id, fees: [{ code: 'NOPE', amountPiasters: 100 }], payerName: 'مستأجر الوحدة' } }), 400);
    expectError(await revenue.inject({ method: 'POST', url: '/api/revenue/orders', payload: { serviceId: rent.id, fees: [{ code, amountPiasters: 12.5 }], payerName: 'مستأجر الوحدة' } }), 400);
    expectError(await revenue.inject({ method: 'POST', url: '/api/revenue/orders', payload: { serviceId: rent.id, fees: [{ code, amountPiasters: 500 }], payerName: 'مستأجر الوحدة', payerNationalId: '123' } }), 400, 'INVALID_NATIONAL_ID');
    expectError(await revenue.inject({ method: 'POST', url: '/api/revenue/orders', payload: { serviceId: 99_999, fees: [], payerName: 'مستأجر الوحدة' } }), 404);
    assert.equal(count(), 0);

    const o = expectOk<OrderReply>(await revenue.inject({ method: 'POST', url: '/api/revenue/orders', payload: {
      serviceId: rent.id, fees: [{ code, amountPiasters: 123_450 }], payerName: 'سعاد  محمد   حسن', payerNationalId: '٢٩٠٠١٠١١٢٣٤٥٦٧', reference: 'عمارة 12 شقة 4',
    } }), 201);
    assert.equal(o.fileId, null);
    assert.equal(o.totalPiasters, 123_450);
    assert.equal(o.payerName, 'سعاد محمد حسن');
    assert.equal(o.payerNationalId, '29001011234567');
    assert.equal(o.status, 'open');
    assert.deepEqual(hub.ctx.audit.history('payment_order', o.id).map((a) => a.action), ['payment_order.issue']);
  });

  test('a void takes two people and never deletes; a voided file payment reopens the file', async (t) => {
    const hub = await startTestHub(t);
    const intake = await signIn(hub, 'intake');
    const rep = await signIn(hub, 'representative');
    const revenue = await signIn(hub, 'revenue');
    const cashier = await signIn(hub, 'cashier');
    const manager = await signIn(hub, 'manager');
    const conn = service(hub, 'UTIL-CONN'); // one fixed fee
    let file = await fileInReview(hub, intake, 'UTIL-CONN');
    file = expectOk<FileReply>(await rep.inject({ method: 'POST', url: `/api/files/${file.id}/review`, payload: { fees: [], signature: 'م. خالد فؤاد' } }));
    assert.equal(file.status, 'awaiting_payment');
    assert.equal(file.feesPiasters, conn.fees[0].amountPiasters);
    const order = expectOk<OrderReply>(await revenue.inject({ method: 'POST', url: `/api/files/${file.id}/payment-order` }), 201);
    const { receipt } = expectOk<CollectReply>(await cashier.inject({ method: 'POST', url: `/api/payments/orders/${order.id}/collect` }), 201);
    assert.equal(hub.ctx.files.find({ id: file.id })!.status, 'paid');

    // The manager cannot void alone, the cashier cannot confirm, and a reason is required.
    expectError(await manager.inject({ method: 'POST', url: `/api/payments/receipts/${receipt.id}/void-decision`, payload: { confirm: true } }), 409, 'INVALID_TRANSITION');
    expectError(await cashier.inject({ method: 'POST', url: `/api/payments/receipts/${receipt.id}/void-request`, payload: { reason: ' ' } }), 400);
    const asked = expectOk<ReceiptReply>(await cashier.inject({ method: 'POST', url: `/api/payments/receipts/${receipt.id}/void-request`, payload: { reason: 'حُصّل الرسم من الشخص الخطأ' } }));
    assert.equal(asked.status, 'void_requested');
    expectError(await cashier.inject({ method: 'POST', url: `/api/payments/receipts/${receipt.id}/void-decision`, payload: { confirm: true } }), 403);
    expectError(await cashier.inject({ method: 'POST', url: `/api/payments/receipts/${receipt.id}/void-request`, payload: { reason: 'مرة ثانية' } }), 409);

    const voided = expectOk<ReceiptReply>(await manager.inject({ method: 'POST', url: `/api/payments/receipts/${receipt.id}/void-decision`, payload: { confirm: true, note: 'راجعت الدفتر' } }));
    assert.equal(voided.status, 'voided');
    assert.equal(voided.voidedBy, `user:${manager.user.id}`);
    assert.equal(voided.voidRequestedBy, `user:${cashier.user.id}`);
    assert.equal(voided.number, receipt.number, 'the receipt keeps its number');
    assert.equal(expectOk<ReceiptReply>(await manager.inject({ method: 'GET', url: `/api/payments/receipts/${receipt.id}` })).status, 'voided');
    assert.throws(() => hub.ctx.db.prepare('DELETE FROM receipts WHERE id = ?').run(receipt.id), /never deleted/);
    assert.equal(expectOk<OrderReply>(await manager.inject({ method: 'GET', url: `/api/payments/orders/${order.id}` })).status, 'cancelled');
    const reopened = expectOk<FileReply>(await manager.inject({ method: 'GET', url: `/api/files/${file.id}` }));
    assert.equal(reopened.status, 'awaiting_payment');
    assert.equal(reopened.events.at(-1)?.action, 'reopen_payment');
    assert.equal(reopened.events.at(-1)?.actor, 'system');

    // A new order, a new receipt with the next number: the voided number is not reused.
    const order2 = expectOk<OrderReply>(await revenue.inject({ method: 'POST', url: `/api/files/${file.id}/payment-order` }), 201);
    const second = expectOk<CollectReply>(await cashier.inject({ method: 'POST', url: `/api/payments/orders/${order2.id}/collect` }), 201);
    assert.equal(second.receipt.number, receipt.number + 1);
    assert.deepEqual(hub.ctx.audit.history('receipt', receipt.id).map((a) => a.action), ['receipt.issue', 'receipt.void_request', 'receipt.void']);

    // Declining a request leaves the receipt valid. Once the manager approved the file, its receipt can no longer be voided.
    expectOk(await cashier.inject({ method: 'POST', url: `/api/payments/receipts/${second.receipt.id}/void-request`, payload: { reason: 'ظننت القيمة خطأ' } }));
    assert.equal(expectOk<ReceiptReply>(await manager.inject({ method: 'POST', url: `/api/payments/receipts/${second.receipt.id}/void-decision`, payload: { confirm: false } })).status, 'valid');
    expectOk(await manager.inject({ method: 'POST', url: `/api/files/${file.id}/approve`, payload: { signature: 'م. هشام', stamp: 'ختم المركز' } }));
    expectError(await cashier.inject({ method: 'POST', url: `/api/payments/receipts/${second.receipt.id}/void-request`, payload: { reason: 'خطأ في القيمة' } }), 409, 'FILE_ADVANCED');
    assert.equal(hub.ctx.audit.verify().ok, true);
  });

  test('the daily close: totals by fee item, then no more collections or voids that day', async (t) => {
    const clock = new FakeClock(Date.parse('2026-03-02T07:00:00Z'));
    const hub = await startTestHub(t, { clock: clock.now });
    const revenue = await signIn(hub, 'revenue');
    const cashier = await signIn(hub, 'cashier');
    const manager = await signIn(hub, 'manager');
    const rent = service(hub, 'HOUSING-RENT');
    // Two fee schedules in one day: the shop licence's inspection fee is marked here as paid
    // without a file (issue 11 item 9: only marked items are revenues without a file).
    hub.ctx.db.prepare("UPDATE services SET without_file = 1 WHERE code = 'SHOP-LIC'").run();
    const shop = service(hub, 'SHOP-LIC');
    const variable = shop.fees.find((f) => f.kind === 'variable')!;
    const fixed = shop.fees.find((f) => f.kind === 'fixed')!;
    const issue = async (serviceId: number, fees: { code: string; amountPiasters: number }[]) =>
      expectOk<OrderReply>(await revenue.inject({ method: 'POST', url: '/api/revenue/orders', payload: { serviceId, fees, payerName: 'دافع تجريبي' } }), 201);
    const a = await issue(rent.id, [{ code: rent.fees[0].code, amountPiasters: 30_000 }]);
    const b = await issue(shop.id, [{ code: variable.code, amountPiasters: 50_000 }]);
    const c = await issue(rent.id, [{ code: rent.fees[0].code, amountPiasters: 20_000 }]);
    const open = await issue(rent.id, [{ code: rent.fees[0].code, amountPiasters: 10_000 }]);
    const receipts = [];
    for (const o of [a, b, c]) receipts.push(expectOk<CollectReply>(await cashier.inject({ method: 'POST', url: `/api/payments/orders/${o.id}/collect` }), 201).receipt);
    // c is voided before the close.
    expectOk(await cashier.inject({ method: 'POST', url: `/api/payments/receipts/${receipts[2].id}/void-request`, payload: { reason: 'قيمة خاطئة' } }));
    expectOk(await manager.inject({ method: 'POST', url: `/api/payments/receipts/${receipts[2].id}/void-decision`, payload: { confirm: true } }));

    const close = expectOk<DailyCloseReply>(await cashier.inject({ method: 'POST', url: '/api/payments/day/close' }), 201);
    assert.equal(close.day, '2026-03-02');
    assert.equal(close.summary.receipts, 2);
    assert.equal(close.summary.totalPiasters, 30_000 + fixed.amountPiasters! + 50_000);
    assert.deepEqual(close.summary.byFeeItem.map((f: { code: string; totalPiasters: number }) => [f.code, f.totalPiasters]).sort(),
      [[rent.fees[0].code, 30_000], [fixed.code, fixed.amountPiasters], [variable.code, 50_000]].sort());
    assert.equal(close.summary.voided, 1);
    assert.equal(close.summary.voidedPiasters, 20_000);

    expectError(await cashier.inject({ method: 'POST', url: '/api/payments/day/close' }), 409, 'DAY_CLOSED');
    expectError(await cashier.inject({ method: 'POST', url: `/api/payments/orders/${open.id}/collect` }), 409, 'DAY_CLOSED');
    expectError(await cashier.inject({ method: 'POST', url: `/api/payments/receipts/${receipts[0].id}/void-request`, payload: { reason: 'بعد الإقفال' } }), 409, 'DAY_CLOSED');
    const report = expectOk<DayReportReply>(await manager.inject({ method: 'GET', url: `/api/payments/day?cashier=user:${cashier.user.id}&day=2026-03-02` }));
    assert.deepEqual(report.closed?.summary, close.summary);
    expectError(await cashier.inject({ method: 'GET', url: `/api/payments/day?cashier=user:${manager.user.id}` }), 403);

    // The next morning the same cashier collects again, into the same yearly sequence.
    clock.advance(86_400_000);
    const cashierNextDay = await signIn(hub, 'cashier');
    const next = expectOk<CollectReply>(await cashierNextDay.inject({ method: 'POST', url: `/api/payments/orders/${open.id}/collect` }), 201);
    assert.equal(next.receipt.number, 4);
    assert.equal(next.receipt.day, '2026-03-03');
  });

  test('a retried collection or registration with the same Idempotency-Key gets the first answer, not a second receipt or file', async (t) => {
    const hub = await startTestHub(t);
    const revenue = await signIn(hub, 'revenue');
    const cashier = await signIn(hub, 'cashier');
    const intake = await signIn(hub, 'intake');
    const rent = service(hub, 'HOUSING-RENT');
    const headers = { 'idempotency-key': 'order-retry-0001' };
    const payload = { serviceId: rent.id, fees: [{ code: rent.fees[0].code, amountPiasters: 7_500 }], payerName: 'مستأجر الوحدة' };
    const o1 = expectOk<OrderReply>(await revenue.inject({ method: 'POST', url: '/api/revenue/orders', headers, payload }), 201);
    const o2 = expectOk<OrderReply>(await revenue.inject({ method: 'POST', url: '/api/revenue/orders', headers, payload }), 201);
    assert.equal(o2.id, o1.id);
    const key = { 'idempotency-key': 'collect-retry-0001' };
    const [r1, r2] = await Promise.all([1, 2].map(() => cashier.inject({ method: 'POST', url: `/api/payments/orders/${o1.id}/collect`, headers: key })));
    assert.equal(expectOk<CollectReply>(r1, 201).receipt.id, expectOk<CollectReply>(r2, 201).receipt.id);
    assert.equal((hub.ctx.db.prepare('SELECT count(*) AS n FROM receipts').get() as { n: number }).n, 1);
    expectError(await cashier.inject({ method: 'POST', url: `/api/payments/orders/${o1.id}/collect`, headers: { 'idempotency-key': 'bad key!' } }), 400);

    const permit = service(hub, 'BLD-PERMIT');
    const reg = { serviceId: permit.id, citizen: { nationalId: '29001011234567', name: 'محمود عبد الرحمن علي' }, checklist: permit.checklist.map((c) => ({ position: c.position, present: true })), window: null };
    const f1 = expectOk<FileReply>(await intake.inject({ method: 'POST', url: '/api/files', headers: { 'idempotency-key': 'register-0001' }, payload: reg }), 201);
    const f2 = expectOk<FileReply>(await intake.inject({ method: 'POST', url: '/api/files', headers: { 'idempotency-key': 'register-0001' }, payload: reg }), 201);
    assert.equal(f2.inquiry, f1.inquiry);
    assert.equal((hub.ctx.db.prepare('SELECT count(*) AS n FROM files').get() as { n: number }).n, 1);
  });
});
