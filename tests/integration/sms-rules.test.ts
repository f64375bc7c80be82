// The SMS rules (issue 14 item 2) through the hub's HTTP API: who gets which message and
// when (issue, N ahead, called, a file's stages), Egyptian numbers refused or normalised,
// the per-number daily cap, the kill switch (config and the administrator's), a queue
// message that outlives its day, and the texts' number agreement.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { signIn } from '../helpers/staff.ts';
import { FakeClock } from '../helpers/clock.ts';
import { hubWithSmsc, outbox, startSmsc, waitFor } from './sms-support.ts';
import { CITIZEN, expectError, expectOk, type FileReply, type NextReply, type SmsOutboxReply, type SmsSettingsReply, type TicketReply } from './files-support.ts';
import { internationalMobile } from '../../hub/sms/numbers.ts';
import { aheadText, issuedText } from '../../hub/sms/templates.ts';
import { encodeParts, splitUcs2 } from '../../hub/sms/encoding.ts';

describe('who gets which SMS, and when', () => {
  test('Egyptian mobile numbers: 01[0125]XXXXXXXX in any usual writing → 2001…; anything else refused', () => {
    for (const [input, want] of [
      ['01012345678', '201012345678'], ['0111 234 5678', '201112345678'], ['+201212345678', '201212345678'], ['00201512345678', '201512345678'],
      ['٠١٠١٢٣٤٥٦٧٨', '201012345678'], ['010-1234-5678', '201012345678'],
    ]) assert.equal(internationalMobile(input), want, input);
    for (const bad of ['01312345678', '0101234567', '010123456789', '0223456789', '201012345678', '', 'abc', '+2001012345678']) {
      assert.equal(internationalMobile(bad), null, bad);
    }
  });

  test('a bad mobile is refused with INVALID_MOBILE and an Arabic message, and nothing is issued, registered or queued', async (t) => {
    const hub = await hubWithSmsc(t, null);
    const reception = await signIn(hub, 'reception');
    const tickets = () => (hub.ctx.db.prepare('SELECT count(*) AS n FROM tickets').get() as { n: number }).n;
    const before = tickets();
    for (const mobile of ['01312345678', '012345', 'تليفون']) {
      const e = expectError(await reception.inject({ method: 'POST', url: '/api/tickets', payload: { line: 'A', mobile } }), 400, 'INVALID_MOBILE');
      assert.match(e.message, /رقم المحمول غير صحيح/);
    }
    assert.equal(tickets(), before, 'no ticket');
    // The next good ticket takes the next number: the refused ones used none.
    const ok = expectOk<TicketReply>(await reception.inject({ method: 'POST', url: '/api/tickets', payload: { line: 'A' } }));
    assert.equal(ok.ticket.number, 'A001');

    const intake = await signIn(hub, 'intake');
    const svc = hub.ctx.catalog.serviceByCode('BLD-PERMIT')!;
    const files = () => (hub.ctx.db.prepare('SELECT count(*) AS n FROM files').get() as { n: number }).n;
    expectError(await intake.inject({ method: 'POST', url: '/api/files', payload: {
      serviceId: svc.id, citizen: CITIZEN, checklist: svc.checklist.map((c) => ({ position: c.position, present: true })), window: null, mobile: '0109',
    } }), 400, 'INVALID_MOBILE');
    assert.equal(files(), 0);
    assert.deepEqual(outbox(hub), []);
  });

  test('issue, N ahead (the center\'s setting), called once per call; a recall is not another SMS; nothing for tickets without a number', async (t) => {
    const hub = await hubWithSmsc(t, null);
    const reception = await signIn(hub, 'reception');
    const manager = await signIn(hub, 'manager');
    const admin = await signIn(hub, 'admin');
    expectOk(await admin.inject({ method: 'PUT', url: '/api/sms/settings', payload: { aheadAlert: 2 } }));
    for (let i = 0; i < 4; i++) expectOk<TicketReply>(await reception.inject({ method: 'POST', url: '/api/tickets', payload: { line: 'C' } }));
    const mine = expectOk<TicketReply>(await reception.inject({ method: 'POST', url: '/api/tickets', payload: { line: 'C', mobile: '01012345678' } })).ticket;
    assert.equal(mine.ahead, 4);
    let rows = outbox(hub);
    assert.deepEqual(rows.map((r) => r.kind), ['issued']);
    assert.match(rows[0].text, /أمامك 4 أشخاص/);

    const next = async () => expectOk<NextReply>(await manager.inject({ method: 'POST', url: '/api/windows/6/next' }));
    await next(); // 3 ahead: nothing yet
    assert.equal(outbox(hub).length, 1);
    await next(); // 2 ahead: the "N ahead" message
    rows = outbox(hub);
    assert.deepEqual(rows.map((r) => r.kind), ['issued', 'ahead']);
    assert.match(rows[1].text, new RegExp(`التذكرة ${mine.number}: أمامك شخصان`));
    await next();
    await next(); // nobody ahead: no second "ahead"
    assert.equal(outbox(hub).length, 2);
    const called = await next();
    assert.equal(called.state.ticket, mine.number);
    rows = outbox(hub);
    assert.deepEqual(rows.map((r) => r.kind), ['issued', 'ahead', 'called']);
    assert.equal(rows[2].text, `حان دورك: التذكرة ${mine.number}، توجه إلى الشباك رقم 6.`);
    expectOk(await manager.inject({ method: 'POST', url: '/api/windows/6/recall' }));
    assert.equal(outbox(hub).length, 3, 'a recall is not a new SMS');
    // Transferred to another line: a new place in that line (told, being within N), and its call there is a new SMS.
    expectOk(await manager.inject({ method: 'POST', url: '/api/windows/6/transfer', payload: { toLine: 'A' } }));
    expectOk(await manager.inject({ method: 'POST', url: '/api/windows/1/next' }));
    rows = outbox(hub);
    assert.deepEqual(rows.map((r) => r.kind), ['issued', 'ahead', 'called', 'ahead', 'called']);
    assert.match(rows[3].text, /أنت التالي/);
    assert.match(rows[4].text, /الشباك رقم 1\./);
    assert.ok(rows.every((r) => r.mobile === '201012345678' && r.state === 'queued'));
  });

  test('an SMS trigger that fails never fails the call that caused it', async (t) => {
    const hub = await hubWithSmsc(t, null);
    const reception = await signIn(hub, 'reception');
    const manager = await signIn(hub, 'manager');
    const mine = expectOk<TicketReply>(await reception.inject({ method: 'POST', url: '/api/tickets', payload: { line: 'D', mobile: '01012345678' } })).ticket;
    const box = hub.ctx.sms.outbox;
    const enqueue = box.enqueue;
    box.enqueue = () => {
      throw new Error('disk full (test)');
    };
    t.after(() => {
      box.enqueue = enqueue;
    });
    const errors: unknown[] = [];
    const origError = console.error;
    console.error = (...a: unknown[]) => void errors.push(a);
    try {
      const called = expectOk<NextReply>(await manager.inject({ method: 'POST', url: '/api/windows/3/next' }));
      assert.equal(called.state.ticket, mine.number);
    } finally {
      console.error = origError;
    }
    assert.equal(errors.length, 1);
    assert.deepEqual(outbox(hub).map((r) => r.kind), ['issued']);
    // The subscription's own marks were rolled back with the failed check.
    assert.equal((hub.ctx.db.prepare('SELECT called_visit FROM sms_subscriptions').get() as { called_visit: number | null }).called_visit, null);
  });

  test('a file registered with a mobile: SMS at registration and at the stages told, ready for delivery above all', async (t) => {
    const hub = await hubWithSmsc(t, null);
    const eng = hub.ctx.catalog.departmentByCode('ENG')!;
    const svc = hub.ctx.catalog.createService({
      code: 'SITE-VISIT', departmentId: eng.id, nameAr: 'طلب معاينة موقع', nameEn: 'Site visit request', legalPeriodDays: 7, periodKind: 'working',
      checklist: [{ labelAr: 'طلب المعاينة' }], fees: [],
    }, 'system');
    const intake = await signIn(hub, 'intake');
    const rep = await signIn(hub, 'representative');
    const manager = await signIn(hub, 'manager');
    let f = expectOk<FileReply>(await intake.inject({ method: 'POST', url: '/api/files', payload: {
      serviceId: svc.id, citizen: CITIZEN, checklist: [{ position: svc.checklist[0].position, present: true }], window: null, mobile: '01512345678',
    } }), 201);
    f = expectOk<FileReply>(await intake.inject({ method: 'POST', url: `/api/files/${f.id}/forward`, payload: {} }));
    f = expectOk<FileReply>(await rep.inject({ method: 'POST', url: `/api/files/${f.id}/review`, payload: { fees: [], signature: 'م. خالد فؤاد' } }));
    f = expectOk<FileReply>(await manager.inject({ method: 'POST', url: `/api/files/${f.id}/approve`, payload: { signature: 'م. هشام', stamp: 'ختم المركز' } }));
    f = expectOk<FileReply>(await rep.inject({ method: 'POST', url: `/api/files/${f.id}/dispatch`, payload: {} }));
    f = expectOk<FileReply>(await rep.inject({ method: 'POST', url: `/api/files/${f.id}/decide`, payload: { decision: 'accepted' } }));
    f = expectOk<FileReply>(await rep.inject({ method: 'POST', url: `/api/files/${f.id}/ready`, payload: {} }));
    const rows = outbox(hub);
    assert.ok(rows.every((r) => r.kind === 'file_stage' && r.mobile === '201512345678'));
    assert.deepEqual(rows.map((r) => r.text), [
      `ملفك رقم ${f.inquiryDisplay}: تم تسجيل الطلب.`,
      `ملفك رقم ${f.inquiryDisplay}: لدى الإدارة المختصة للبت فيه.`,
      `ملفك رقم ${f.inquiryDisplay}: صدر قرار الإدارة المختصة.`,
      `ملفك رقم ${f.inquiryDisplay} جاهز للتسليم. توجه إلى شباك تسليم المعاملات بالمركز ومعك بطاقة الرقم القومي.`,
    ]);
    // A file registered without a mobile gets nothing.
    expectOk(await intake.inject({ method: 'POST', url: '/api/files', payload: { serviceId: svc.id, citizen: CITIZEN, checklist: [{ position: svc.checklist[0].position, present: true }], window: null } }), 201);
    assert.equal(outbox(hub).length, rows.length);
  });

  test('the daily cap per number: beyond it messages are recorded as capped and never sent; other numbers are not affected', async (t) => {
    const smsc = await startSmsc(t);
    const hub = await hubWithSmsc(t, smsc, { smsDailyCap: 2 });
    const reception = await signIn(hub, 'reception');
    for (const mobile of ['01012345678', '01012345678', '+201012345678', '01112345678']) {
      expectOk(await reception.inject({ method: 'POST', url: '/api/tickets', payload: { line: 'B', mobile } }));
    }
    await waitFor('the uncapped ones submitted', () => outbox(hub).filter((r) => r.state === 'submitted').length === 3);
    assert.deepEqual(outbox(hub).map((r) => [r.mobile, r.state]), [
      ['201012345678', 'submitted'], ['201012345678', 'submitted'], ['201012345678', 'capped'], ['201112345678', 'submitted'],
    ]);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(smsc.messages().filter((m) => m.dest === '201012345678').length, 2);
  });

  test('the kill switch: paused by the administrator, nothing is submitted and messages wait; resumed, they go; off in the config, nothing goes', async (t) => {
    const smsc = await startSmsc(t);
    const hub = await hubWithSmsc(t, smsc);
    const admin = await signIn(hub, 'admin');
    const reception = await signIn(hub, 'reception');
    expectError(await reception.inject({ method: 'PUT', url: '/api/sms/settings', payload: { paused: true } }), 403);
    const s = expectOk<SmsSettingsReply>(await admin.inject({ method: 'PUT', url: '/api/sms/settings', payload: { paused: true } }));
    assert.deepEqual(s, { paused: true, aheadAlert: 3, enabledByConfig: true, sending: false });
    expectOk(await reception.inject({ method: 'POST', url: '/api/tickets', payload: { line: 'A', mobile: '01012345678' } }));
    await waitFor('bound', () => hub.smsSender?.isBound === true);
    await new Promise((r) => setTimeout(r, 1500)); // longer than the idle poll: it would have gone by now
    assert.equal(smsc.received.length, 0);
    assert.equal(outbox(hub)[0].state, 'queued');
    expectOk(await admin.inject({ method: 'PUT', url: '/api/sms/settings', payload: { paused: false } }));
    await waitFor('sent once resumed', () => outbox(hub)[0].state === 'submitted');
    assert.equal(smsc.messages().length, 1);
    const list = expectOk<SmsOutboxReply>(await admin.inject({ method: 'GET', url: '/api/sms/outbox' }));
    assert.equal(list[0].state, 'submitted');
    assert.deepEqual(list[0].messageIds, smsc.accepted().map((r) => r.messageId));

    const smsc2 = await startSmsc(t);
    const off = await hubWithSmsc(t, smsc2, { smsEnabled: false });
    const r2 = await signIn(off, 'reception');
    expectOk(await r2.inject({ method: 'POST', url: '/api/tickets', payload: { line: 'A', mobile: '01012345678' } }));
    await waitFor('bound', () => off.smsSender?.isBound === true);
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(smsc2.received.length, 0);
    assert.equal(outbox(off)[0].state, 'queued');
    assert.equal(expectOk<SmsSettingsReply>(await signIn(off, 'admin').then((a) => a.inject({ method: 'GET', url: '/api/sms/settings' }))).sending, false);
  });

  // Issue 16 item 3: the before-commit check closed old days' subscriptions with an UPDATE at
  // every queue change (and made a new savepoint wrapper each time). Fails before: the close
  // ran at each of the three tickets of the day.
  test('yesterday\'s ticket subscriptions are closed once, at the first queue change of a new day, not at every commit', async (t) => {
    const clock = new FakeClock(Date.parse('2026-12-01T08:00:00Z')); // a Tuesday, 10:00 in Cairo
    const hub = await hubWithSmsc(t, null, {}, undefined, clock.now);
    let reception = await signIn(hub, 'reception');
    const closeOld = (hub.ctx.sms.triggers as unknown as { q: { closeOld: { run(day: string): unknown } } }).q.closeOld;
    const closes: string[] = [];
    const run = closeOld.run.bind(closeOld);
    closeOld.run = (day: string) => {
      closes.push(day);
      return run(day);
    };
    const issue = async () => expectOk<TicketReply>(await reception.inject({ method: 'POST', url: '/api/tickets', payload: { line: 'A', mobile: '01012345678' } }));
    for (let i = 0; i < 3; i++) await issue();
    assert.deepEqual(closes, ['2026-12-01']);
    clock.advance(24 * 3600_000);
    reception = await signIn(hub, 'reception'); // yesterday's session has ended
    await issue();
    await issue();
    assert.deepEqual(closes, ['2026-12-01', '2026-12-02']);
    const subs = hub.ctx.db.prepare('SELECT day, done FROM sms_subscriptions ORDER BY id').all() as { day: string; done: number }[];
    assert.deepEqual(subs.map((r) => `${r.day} ${r.done}`), ['2026-12-01 1', '2026-12-01 1', '2026-12-01 1', '2026-12-02 0', '2026-12-02 0']);
  });

  test('a queue message still waiting when its day is over expires instead of going out late; a file\'s news does not', async (t) => {
    const hub = await hubWithSmsc(t, null);
    const reception = await signIn(hub, 'reception');
    expectOk(await reception.inject({ method: 'POST', url: '/api/tickets', payload: { line: 'A', mobile: '01012345678' } }));
    const { outbox: box } = hub.ctx.sms;
    const row = box.row(outbox(hub)[0].id)!;
    assert.equal(row.expires_at, box.endOfToday());
    assert.ok(row.expires_at! > Date.now() && row.expires_at! - Date.now() <= 24 * 3600_000 + 3600_000);
    hub.ctx.uow.run(() => {
      hub.ctx.uow.topic('test');
      box.enqueue({ mobile: '201012345678', text: 'خبر ملف', kind: 'file_stage' });
    });
    assert.equal(box.nextDue(row.expires_at!)?.kind, 'file_stage');
    assert.deepEqual(outbox(hub).map((r) => r.state), ['expired', 'queued']);
  });

  test('texts: number agreement from the plural helper, and the UCS-2 split never cuts a character', () => {
    const cases: [number, RegExp][] = [[0, /لا أحد أمامك/], [1, /أمامك شخص واحد/], [2, /أمامك شخصان/], [3, /أمامك 3 أشخاص/], [11, /أمامك 11 شخصًا/], [100, /أمامك 100 شخص\./]];
    for (const [n, re] of cases) assert.match(issuedText({ center: 'مركز', label: 'A007', lineName: 'خدمات', ahead: n }), re, String(n));
    assert.match(aheadText({ label: 'A007', ahead: 0 }), /أنت التالي/);
    assert.match(issuedText({ center: 'مركز', label: 'A007', lineName: 'خدمات', ahead: 1, link: 'https://x/t/abc' }), /تابع دورك: https:\/\/x\/t\/abc$/);
    assert.doesNotMatch(issuedText({ center: 'مركز', label: 'A007', lineName: 'خدمات', ahead: 1 }), /تابع/);

    assert.equal(splitUcs2('ا'.repeat(70)).length, 1);
    assert.deepEqual(splitUcs2('ا'.repeat(71)).map((p) => p.length), [67, 4]);
    const emoji = 'ب'.repeat(66) + '😀' + 'ج'.repeat(10); // the pair would straddle 67
    const parts = splitUcs2(emoji);
    assert.equal(parts.join(''), emoji);
    assert.equal(parts[0].length, 66);
    const enc = encodeParts('ا'.repeat(71), 0xab);
    assert.deepEqual([...enc[1].shortMessage.subarray(0, 6)], [5, 0, 3, 0xab, 2, 2]);
    assert.equal(enc[1].shortMessage.length, 6 + 4 * 2);
    assert.equal(encodeParts('نص', 1)[0].shortMessage.toString('hex'), '06460635');
  });
});
