// SMS over SMPP 3.4 against an SMSC started here from the `smpp` package's server side
// (tests/integration/sms-support.ts): bind as transceiver, submit_sm, delivery receipts
// stored, throttling answered for a while, an Arabic long message reassembled from its UDH
// parts, the link dropped mid-queue (nothing lost, nothing sent twice), a restart.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { signIn } from '../helpers/staff.ts';
import { hubWithSmsc, outbox, startSmsc, waitFor, SYSTEM_ID, PASSWORD } from './sms-support.ts';
import type { TestHub } from '../helpers/hub.ts';
import { CONCAT_PART_CHARS, GSM_CONCAT_SEPTETS, GSM_SINGLE_SEPTETS, encodeParts, gsm7Septets, partCount, splitGsm7 } from '../../hub/sms/encoding.ts';

/** One series of the hub's /metrics (Prometheus text), or undefined. */
async function metric(hub: TestHub, series: string): Promise<number | undefined> {
  const res = await hub.app.inject({ method: 'GET', url: '/metrics' });
  assert.equal(res.statusCode, 200);
  const line = res.body.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/** Queue messages the way the triggers do: inside a transaction (one that changes something, so the sender is woken). */
function enqueue(hub: TestHub, msgs: { mobile: string; text: string }[]): number[] {
  return hub.ctx.uow.run(() => {
    hub.ctx.uow.topic('sms-test');
    return msgs.map((m) => hub.ctx.sms.outbox.enqueue({ ...m, kind: 'file_stage' }));
  });
}

const LONG_AR = 'السيد المواطن، نحيطكم علمًا بأن طلبكم الخاص بترخيص البناء قد تمت مراجعته فنيًا واعتماده من مدير المركز، '
  + 'وأُحيل إلى الإدارة الهندسية للبت فيه. سيصلكم إشعار آخر عندما يصبح جاهزًا للتسليم بشباك تسليم المعاملات. 🙏 شكرًا لانتظاركم.';

describe('SMS over SMPP 3.4', () => {
  test('a ticket issued with a mobile: bind_transceiver, submit_sm in UCS-2, message_id and the DELIVRD receipt stored on the row', async (t) => {
    const smsc = await startSmsc(t);
    const hub = await hubWithSmsc(t, smsc);
    const reception = await signIn(hub, 'reception');
    const res = await reception.inject({ method: 'POST', url: '/api/tickets', payload: { line: 'A', mobile: '٠١٠١٢٣٤٥٦٧٨' } });
    assert.equal(res.statusCode, 200, res.body);
    const label = res.json().ticket.number;
    await waitFor('the receipt', () => outbox(hub)[0]?.receiptState === 'DELIVRD');

    assert.deepEqual(smsc.binds, [{ systemId: SYSTEM_ID, password: PASSWORD, ok: true }]);
    const [row] = outbox(hub);
    assert.equal(row.state, 'submitted');
    assert.equal(row.mobile, '201012345678');
    assert.equal(row.kind, 'issued');
    const got = smsc.messages();
    assert.equal(got.length, 1);
    assert.equal(got[0].dest, '201012345678');
    assert.equal(got[0].text, row.text);
    assert.match(got[0].text, new RegExp(`تذكرتك رقم ${label}`));
    assert.match(got[0].text, /لا أحد أمامك/);
    // The ticket's public page (issue 14 item 1), the same link the reception's reply carries.
    const link = res.json().ticket.link;
    assert.match(link, /\/t\/[A-Za-z0-9_-]{16,}$/);
    assert.ok(got[0].text.endsWith(`تابع دورك: ${link}`), got[0].text);
    assert.ok(smsc.received.every((r) => r.dataCoding === 0x08 && r.source === 'Shubbak'));
    assert.deepEqual(row.messageIds, smsc.accepted().map((r) => r.messageId));
    assert.equal((hub.ctx.db.prepare('SELECT count(*) AS n FROM sms_parts WHERE receipt_state = ?').get('DELIVRD') as { n: number }).n, row.partsTotal);
  });

  test('a wrong password: the bind is refused, nothing is marked sent, and the sender keeps trying', async (t) => {
    const smsc = await startSmsc(t);
    const hub = await hubWithSmsc(t, smsc, { smsPassword: 'wrong' });
    enqueue(hub, [{ mobile: '201012345678', text: 'اختبار' }]);
    await waitFor('two refused binds', () => smsc.binds.length >= 2);
    assert.ok(smsc.binds.every((b) => !b.ok));
    assert.equal(smsc.received.length, 0);
    assert.equal(outbox(hub)[0].state, 'queued');
    // /metrics: the link is down, why, and one message waits.
    assert.equal(await metric(hub, 'shubbak_sms_link_up'), 0);
    assert.equal(await metric(hub, 'shubbak_sms_queue_depth'), 1);
    assert.ok((await metric(hub, 'shubbak_sms_link_last_error_timestamp_seconds{reason="bind refused: ESME_RBINDFAIL"}') ?? 0) > 0, 'the last error with its reason');
    assert.equal(await metric(hub, 'shubbak_sms_total{what="accepted"}'), 0);
  });

  test('ESME_RMSGQFUL then ESME_RTHROTTLED for a while: the message waits with a growing backoff, is submitted once accepted, and delivered', async (t) => {
    const arrivals: number[] = [];
    const smsc = await startSmsc(t, { policy: (n) => (arrivals.push(Date.now()), n === 1 ? 'queue_full' : n <= 4 ? 'throttle' : 'ok') });
    const hub = await hubWithSmsc(t, smsc);
    const [id] = enqueue(hub, [{ mobile: '201112345678', text: 'ملفك رقم F-2026-000001-00: جاهز للتسليم.' }]);
    await waitFor('delivery after the throttling', () => outbox(hub)[0].receiptState === 'DELIVRD');
    const row = outbox(hub)[0];
    assert.equal(row.id, id);
    assert.equal(row.state, 'submitted');
    assert.equal(row.attempts, 4, 'four refusals counted');
    assert.equal(smsc.received.length, 5, 'the same message offered five times');
    assert.equal(smsc.accepted().length, 1, 'accepted once');
    assert.equal(new Set(smsc.received.map((r) => r.text)).size, 1);
    // Exponential: each wait at least base × 2^(k-1) (50, 100, 200, 400 ms; lower bounds only).
    const waits = arrivals.slice(1).map((a, i) => a - arrivals[i]);
    [50, 100, 200, 400].forEach((min, i) => assert.ok(waits[i] >= min - 5, `wait ${i + 1} was ${waits[i]} ms, backoff ${min}`));
  });

  test('an Arabic long message goes as UCS-2 parts behind a concatenation UDH and is reassembled on the SMSC side equal to the original', async (t) => {
    const smsc = await startSmsc(t);
    const hub = await hubWithSmsc(t, smsc);
    assert.ok(LONG_AR.length > 2 * CONCAT_PART_CHARS);
    enqueue(hub, [{ mobile: '201512345678', text: LONG_AR }, { mobile: '201512345678', text: LONG_AR + ' (نسخة ثانية)' }]);
    await waitFor('both submitted', () => outbox(hub).every((r) => r.state === 'submitted'));
    const rows = outbox(hub);
    const parts = smsc.accepted();
    assert.equal(parts.length, rows[0].partsTotal + rows[1].partsTotal);
    assert.ok(rows[0].partsTotal >= 3);
    for (const p of parts) {
      assert.equal(p.dataCoding, 0x08);
      assert.equal(p.esmClass & 0x40, 0x40, 'UDHI set');
      assert.ok(p.concat && p.text.length <= CONCAT_PART_CHARS);
    }
    assert.notEqual(parts[0].concat!.ref, parts.at(-1)!.concat!.ref, 'two messages, two references');
    const texts = smsc.messages().map((m) => m.text).sort();
    assert.deepEqual(texts, [LONG_AR, LONG_AR + ' (نسخة ثانية)'].sort());
    assert.equal(rows[0].messageIds.length, rows[0].partsTotal);
  });

  test('a text in the GSM 03.38 alphabet goes as GSM 7-bit (data_coding 0): 160 septets in one part, a longer one in parts of at most 153, reassembled on the SMSC side; Arabic stays UCS-2', async (t) => {
    const smsc = await startSmsc(t);
    const hub = await hubWithSmsc(t, smsc);
    // Exactly 160 septets: one part.
    const one = 'Your ticket A012 at the Technological Center: 4 people ahead. Track it at https://hub.example/t/pScn7Zyd0KbjETUxrHs68g @ window 3 - thanks!'.padEnd(GSM_SINGLE_SEPTETS, '.');
    assert.equal(gsm7Septets(one)!.length, 160);
    // Long, with extension characters (two septets each: ESC + code) and Latin letters of the table.
    const long = 'Dear citizen, your file F-2026-000123-45 {building permit} is ready: fee 150 € [paid]. '
      + 'Bring your national ID ~ the receipt | Ä Ö Ñ Ü é è à Ç £ ¥ § ¿ ¡ _ ^ \\ and come to the delivery window. '
      + 'Opening hours: Sunday to Thursday, 9:00 to 15:00. This message was sent by the center\'s queue system; please do not reply to it.';
    assert.ok(gsm7Septets(long)!.length > 2 * GSM_CONCAT_SEPTETS, 'three parts at least');
    const mixed = 'Ticket A012 — تذكرتك';
    enqueue(hub, [{ mobile: '201012345670', text: one }, { mobile: '201012345671', text: long }, { mobile: '201012345672', text: mixed }]);
    await waitFor('all submitted', () => outbox(hub).every((r) => r.state === 'submitted'));
    const byDest = (d: string) => smsc.accepted().filter((r) => r.dest === d);
    const [single] = byDest('201012345670');
    assert.equal(single.dataCoding, 0x00);
    assert.equal(single.concat, null);
    assert.equal(single.text, one);
    const parts = byDest('201012345671');
    assert.equal(parts.length, outbox(hub)[1].partsTotal);
    assert.ok(parts.length >= 3, `${parts.length} parts`);
    for (const p of parts) {
      assert.equal(p.dataCoding, 0x00, 'GSM 7-bit');
      assert.equal(p.esmClass & 0x40, 0x40, 'UDHI set');
      assert.ok(gsm7Septets(p.text)!.length <= GSM_CONCAT_SEPTETS, `part ${p.concat!.seq}: ${gsm7Septets(p.text)!.length} septets`);
    }
    assert.equal(smsc.messages().find((m) => m.dest === '201012345671')!.text, long, 'reassembled by the SMSC\'s own GSM decoder');
    // One character outside the alphabet (the dash, the Arabic): the whole text is UCS-2.
    assert.deepEqual(byDest('201012345672').map((r) => [r.dataCoding, r.text]), [[0x08, mixed]]);
  });

  test('GSM 7-bit parts never split an escape pair (ESC + its character)', () => {
    // 152 plain septets, then '€' (ESC 0x65): the pair would straddle 153 → it starts part 2.
    const text = 'x'.repeat(152) + '€' + 'y'.repeat(100);
    const parts = splitGsm7(gsm7Septets(text)!);
    assert.deepEqual(parts.map((p) => p.length), [152, 102]);
    assert.equal(parts[1][0], 0x1b);
    assert.equal(partCount(text), 2);
    assert.equal(partCount('x'.repeat(160)), 1);
    assert.equal(partCount('x'.repeat(159) + '€'), 2, '161 septets');
    assert.equal(partCount('ب'.repeat(70)), 1);
    assert.equal(partCount('ب'.repeat(71)), 2);
    const [p] = encodeParts('@A€', 0);
    assert.deepEqual([...p.shortMessage], [0x00, 0x41, 0x1b, 0x65]);
  });

  test('the link dropped mid-queue, after an answer and between a submit and its answer: after reconnecting nothing is lost and nothing acknowledged is sent twice', async (t) => {
    // The SMSC drops the link after answering the 3rd submit, after answering the long
    // message's part 2, and between its part 3 and the answer (each once). Which row goes
    // when after a reconnect may vary; what must hold does not.
    const dropped = new Set<string>();
    const once = (key: string) => !dropped.has(key) && !!dropped.add(key);
    const smsc = await startSmsc(t, {
      policy: (n, r) => (n === 3 && once('3') ? 'drop_after_resp'
        : r.concat?.seq === 2 && once('p2') ? 'drop_after_resp'
        : r.concat?.seq === 3 && once('p3') ? 'drop_before_resp' : 'ok'),
    });
    const hub = await hubWithSmsc(t, smsc);
    const texts = ['رسالة 1', 'رسالة 2', 'رسالة 3', 'رسالة 4', LONG_AR, 'رسالة 6', 'رسالة 7', 'رسالة 8'];
    const ids = enqueue(hub, texts.map((text, i) => ({ mobile: `2010123456${String(i).padStart(2, '0')}`, text })));
    await waitFor('every message submitted', () => outbox(hub).every((r) => r.state === 'submitted'), 20_000);

    assert.ok(smsc.binds.length >= 4, `rebound after each drop (${smsc.binds.length} binds)`);
    // Per row on the SMSC side: each whole message exactly once…
    const got = smsc.messages();
    assert.deepEqual(got.map((m) => m.text).sort(), [...texts].sort());
    for (const row of outbox(hub)) assert.equal(got.filter((m) => m.dest === row.mobile).length, 1, `row ${row.id} once`);
    // …and each acknowledged part accepted once: parts 1-2 of the long message were not resent after the drop.
    const keys = smsc.accepted().map((r) => `${r.dest}/${r.concat?.seq ?? 0}`);
    assert.equal(new Set(keys).size, keys.length);
    // The one part written but never answered (the long message's part 3) is the only one
    // offered twice: the at-least-once window.
    const offered = smsc.received.map((r) => `${r.dest}/${r.concat?.seq ?? 0}`);
    const twice = offered.filter((k, i) => offered.indexOf(k) !== i);
    const long = outbox(hub).find((r) => r.id === ids[4])!;
    assert.deepEqual(twice, [`${long.mobile}/3`]);
    // Retried for the unanswered part; once more if the next part was already written onto the
    // link the SMSC had just closed (never received, so not a duplicate).
    assert.ok(long.attempts === 1 || long.attempts === 2, `attempts ${long.attempts}`);
    assert.match(long.lastError ?? '', /^$/);
  });

  test('an SMSC that stops answering (the TCP link still open) is found by our enquire_link, closed and rebound; nothing queued is lost or sent twice', async (t) => {
    const smsc = await startSmsc(t);
    const hub = await hubWithSmsc(t, smsc, { smsEnquireLinkMs: 200, smsResponseTimeoutMs: 400 });
    enqueue(hub, [{ mobile: '201012345601', text: 'before 1' }, { mobile: '201012345602', text: 'before 2' }]);
    await waitFor('the first two submitted', () => outbox(hub).every((r) => r.state === 'submitted'));
    await waitFor('an enquire_link answered', () => smsc.enquireLinks >= 1);
    assert.equal(smsc.binds.length, 1);
    assert.equal(hub.smsSender!.state().bound, true);

    // Idle and silent: only our enquire_link can notice.
    smsc.silence();
    await waitFor('a second bind after the silent idle link was dropped', () => smsc.binds.length >= 2, 10_000);
    assert.equal(hub.smsSender!.state().lastError, 'no enquire_link_resp');
    // Silent again, now with messages queued: the one written onto it goes unanswered (the at-least-once window), the rest wait.
    await waitFor('bound again', () => hub.smsSender!.state().bound);
    smsc.silence();
    enqueue(hub, [{ mobile: '201012345603', text: 'during 3' }, { mobile: '201012345604', text: 'during 4' }]);
    await waitFor('a third bind', () => smsc.binds.length >= 3, 10_000);
    await waitFor('everything submitted on the new link', () => outbox(hub).every((r) => r.state === 'submitted'), 10_000);
    enqueue(hub, [{ mobile: '201012345605', text: 'after 5' }]);
    await waitFor('the last one submitted', () => outbox(hub).every((r) => r.state === 'submitted'));

    const got = smsc.messages().map((m) => m.text).sort();
    assert.deepEqual(got, ['after 5', 'before 1', 'before 2', 'during 3', 'during 4'], 'each message accepted exactly once');
    const accepted = smsc.accepted().map((r) => r.dest);
    assert.equal(new Set(accepted).size, accepted.length, 'nothing acknowledged was sent again');
    // What the silent SMSC never answered is at most the one submit in flight (window size 1).
    assert.ok(smsc.received.filter((r) => r.messageId === null).length <= 1, 'at most the one submit in flight went unanswered');
    const state = hub.smsSender!.state();
    assert.equal(state.bound, true);
    assert.match(state.lastError ?? '', /no (enquire_link_resp|submit_sm_resp)/);
    // /metrics: bound again, the queue empty, the counters since start.
    await waitFor('every receipt', () => smsc.accepted().length === 5 && outbox(hub).every((r) => r.receiptState === 'DELIVRD'));
    assert.equal(await metric(hub, 'shubbak_sms_link_up'), 1);
    assert.equal(await metric(hub, 'shubbak_sms_queue_depth'), 0);
    assert.equal(await metric(hub, 'shubbak_sms_total{what="accepted"}'), 5);
    assert.equal(await metric(hub, 'shubbak_sms_total{what="binds"}'), smsc.binds.length);
    assert.equal(await metric(hub, 'shubbak_sms_total{what="drops"}'), 2);
    assert.ok((await metric(hub, 'shubbak_sms_total{what="enquire_links"}') ?? 0) >= 2, 'enquire_links counted');
    assert.equal(await metric(hub, 'shubbak_sms_receipts_total{stat="DELIVRD"}'), 5);
  });

  test('the outbox survives a restart: messages queued while no SMSC was reachable go out from the next start', async (t) => {
    const first = await hubWithSmsc(t, null);
    const reception = await signIn(first, 'reception');
    for (const m of ['01012345678', '01112345678']) {
      assert.equal((await reception.inject({ method: 'POST', url: '/api/tickets', payload: { line: 'B', mobile: m } })).statusCode, 200);
    }
    assert.deepEqual(outbox(first).map((r) => r.state), ['queued', 'queued']);
    const dataDir = first.dataDir;
    await first.close();

    const smsc = await startSmsc(t);
    const second = await hubWithSmsc(t, smsc, {}, dataDir);
    await waitFor('both submitted after the restart', () => outbox(second).every((r) => r.state === 'submitted'));
    assert.deepEqual(smsc.messages().map((m) => m.dest).sort(), ['201012345678', '201112345678']);
  });
});
