// Treasury rules: piasters, receipt sequences, the two-person void, the daily close.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  canDecideVoid, canRequestVoid, formatPiasters, isPiasters, receiptLabel, sequenceFaults, sumPiasters, summarizeDay,
} from '../../hub/domain/money.ts';

describe('treasury rules', () => {
  test('amounts are whole piasters within range', () => {
    assert.ok(isPiasters(0) && isPiasters(123_456));
    for (const bad of [-1, 1.5, NaN, Infinity, '100', 2e9, null]) assert.equal(isPiasters(bad), false, String(bad));
    assert.equal(sumPiasters([50_000, 25, 75]), 50_100);
    assert.throws(() => sumPiasters([1, 0.5]));
    assert.equal(formatPiasters(123_456), '1,234.56 ج.م');
    assert.equal(formatPiasters(5, 'en'), 'EGP 0.05');
  });

  test('receipt labels and sequence faults', () => {
    assert.equal(receiptLabel(2026, 42), '2026/000042');
    assert.deepEqual(sequenceFaults([3, 1, 2]), { gaps: [], repeats: [] });
    assert.deepEqual(sequenceFaults([1, 2, 2, 5]), { gaps: [3, 4], repeats: [2] });
    assert.deepEqual(sequenceFaults([2]), { gaps: [1], repeats: [] });
  });

  test('a void needs a reason, an open day, and two different people', () => {
    const valid = { status: 'valid' as const, cashier: 'user:8', voidRequestedBy: null };
    const noReason = canRequestVoid(valid, '', false);
    assert.equal(!noReason.ok && noReason.code, 'REASON_REQUIRED');
    assert.deepEqual(canRequestVoid(valid, 'خطأ في قيمة الرسم', false), { ok: true });
    const closed = canRequestVoid(valid, 'خطأ في قيمة الرسم', true);
    assert.equal(!closed.ok && closed.code, 'DAY_CLOSED');
    const pending = { status: 'void_requested' as const, cashier: 'user:8', voidRequestedBy: 'user:8' };
    assert.equal(canRequestVoid(pending, 'مرة أخرى', false).ok, false);
    const same = canDecideVoid(pending, 'user:8');
    assert.equal(!same.ok && same.code, 'SAME_PERSON');
    assert.deepEqual(canDecideVoid(pending, 'user:1'), { ok: true });
    assert.equal(canDecideVoid(valid, 'user:1').ok, false, 'nothing to confirm without a request');
    assert.equal(canDecideVoid({ ...pending, status: 'voided' }, 'user:1').ok, false);
  });

  test('the daily close: totals by fee item, voided receipts apart, pending voids still counted', () => {
    const line = (code: string, amountPiasters: number) => ({ code, labelAr: code, amountPiasters });
    const s = summarizeDay([
      { number: 7, totalPiasters: 60_000, status: 'valid', lines: [line('REVIEW', 50_000), line('PERMIT', 10_000)] },
      { number: 8, totalPiasters: 50_000, status: 'voided', lines: [line('REVIEW', 50_000)] },
      { number: 9, totalPiasters: 15_000, status: 'void_requested', lines: [line('APPROVAL', 15_000)] },
      { number: 10, totalPiasters: 50_000, status: 'valid', lines: [line('REVIEW', 50_000)] },
    ]);
    assert.equal(s.receipts, 3);
    assert.equal(s.totalPiasters, 125_000);
    assert.deepEqual(s.byFeeItem.map((f) => [f.code, f.count, f.totalPiasters]), [['APPROVAL', 1, 15_000], ['PERMIT', 1, 10_000], ['REVIEW', 2, 100_000]]);
    assert.equal(s.voided, 1);
    assert.equal(s.voidedPiasters, 50_000);
    assert.equal(s.firstNumber, 7);
    assert.equal(s.lastNumber, 10);
    assert.equal(s.byFeeItem.reduce((a, f) => a + f.totalPiasters, 0), s.totalPiasters, 'the items add up to the total');
    assert.deepEqual(summarizeDay([]), { receipts: 0, totalPiasters: 0, byFeeItem: [], voided: 0, voidedPiasters: 0, firstNumber: null, lastNumber: null });
  });
});
