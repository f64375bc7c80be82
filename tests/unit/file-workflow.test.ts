// The file workflow: who may move a file from which stage to which, and time per stage.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ROLES } from '../../hub/auth/roles.ts';
import {
  actionsFor, FILE_ACTIONS, FILE_STATUSES, rolesFor, stageSpans, timeByStatus, transition, type FileAction, type FileStatus,
} from '../../hub/domain/file-workflow.ts';

const walk = (steps: [FileAction, Parameters<typeof transition>[2], { feesPiasters?: number }?][]): FileStatus => {
  let s: FileStatus = 'registered';
  for (const [action, actor, ctx] of steps) {
    const r = transition(s, action, actor, ctx);
    assert.ok(r.ok, `${action} by ${actor} from ${s}: ${r.ok ? '' : r.en}`);
    s = r.to;
  }
  return s;
};

describe('the file workflow', () => {
  test('the journey with fees: registered → … → delivered', () => {
    assert.equal(walk([
      ['forward', 'intake'], ['review', 'representative', { feesPiasters: 60_000 }], ['pay', 'cashier'], ['approve', 'manager'],
      ['dispatch', 'representative'], ['decide', 'representative'], ['mark_ready', 'representative'], ['deliver', 'delivery'],
    ]), 'delivered');
  });

  test('without fees the treasury is skipped: technical review → reviewed → approved', () => {
    const r = transition('technical_review', 'review', 'representative', { feesPiasters: 0 });
    assert.deepEqual(r, { ok: true, to: 'reviewed' });
    assert.equal(transition('reviewed', 'pay', 'cashier').ok, false);
    assert.deepEqual(transition('reviewed', 'approve', 'manager'), { ok: true, to: 'approved' });
    assert.deepEqual(transition('technical_review', 'review', 'representative', { feesPiasters: 1 }), { ok: true, to: 'awaiting_payment' });
  });

  test('return for documents and resubmit; refuse is final', () => {
    assert.equal(walk([['forward', 'intake'], ['return', 'representative'], ['resubmit', 'intake']]), 'technical_review');
    assert.equal(walk([['forward', 'intake'], ['refuse', 'representative']]), 'refused');
    for (const a of FILE_ACTIONS) assert.equal(transition('refused', a, 'manager').ok, false, a);
    for (const a of FILE_ACTIONS) assert.equal(transition('delivered', a, 'manager').ok, false, a);
  });

  test('roles are checked before stages, and each role gets the refusal it deserves', () => {
    const cashierApproves = transition('paid', 'approve', 'cashier');
    assert.equal(cashierApproves.ok, false);
    assert.equal(!cashierApproves.ok && cashierApproves.reason, 'FORBIDDEN');
    const tooEarly = transition('registered', 'approve', 'manager');
    assert.equal(!tooEarly.ok && tooEarly.reason, 'INVALID_TRANSITION');
    assert.match(!tooEarly.ok ? tooEarly.ar : '', /لا يمكن/);
    // Only the manager approves; only the representative signs the technical review.
    assert.deepEqual(rolesFor('approve'), ['manager']);
    assert.deepEqual(rolesFor('review'), ['representative']);
    // The system (a receipt, a void) is never a route role.
    assert.ok(!rolesFor('pay').includes('system' as never));
    assert.equal(transition('paid', 'reopen_payment', 'cashier').ok, false);
    assert.deepEqual(transition('paid', 'reopen_payment', 'system'), { ok: true, to: 'awaiting_payment' });
  });

  test('every (status, action, role) either moves to a known status or says why not', () => {
    for (const s of FILE_STATUSES) for (const a of FILE_ACTIONS) for (const r of ROLES) {
      const t = transition(s, a, r, { feesPiasters: 100 });
      if (t.ok) {
        assert.ok(FILE_STATUSES.includes(t.to));
        assert.ok(actionsFor(s, r).includes(a));
      } else {
        assert.ok(t.ar.length > 5 && t.en.length > 5);
        assert.ok(!actionsFor(s, r).includes(a));
      }
    }
    assert.deepEqual(actionsFor('technical_review', 'representative'), ['return', 'refuse', 'review']);
    assert.deepEqual(actionsFor('ready', 'admin'), []);
  });

  test('time in each stage from the history; a stage visited twice adds up', () => {
    const events = [
      { at: 1000, toStatus: 'registered' as const, actor: 'user:3' },
      { at: 4000, toStatus: 'technical_review' as const, actor: 'user:3' },
      { at: 5000, toStatus: 'returned' as const, actor: 'user:5' },
      { at: 9000, toStatus: 'technical_review' as const, actor: 'user:3' },
    ];
    const spans = stageSpans(events, 10_000);
    assert.deepEqual(spans.map((s) => [s.status, s.ms, s.until]), [
      ['registered', 3000, 4000], ['technical_review', 1000, 5000], ['returned', 4000, 9000], ['technical_review', 1000, null],
    ]);
    assert.equal(spans[2].enteredBy, 'user:5');
    assert.deepEqual(timeByStatus(spans), { registered: 3000, technical_review: 2000, returned: 4000 });
  });
});
