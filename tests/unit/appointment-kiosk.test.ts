// The kiosk's "لدي حجز" (issue 14 item 3) in its pure state machine (kiosk/logic.ts): the
// booking button opens code entry on the keypad, the line buttons go dark meanwhile, eight
// digits and confirm send booking.checkIn, the hub's ticket prints with its slot, and the
// hub's refusal (too early, not found) is shown in Arabic and the kiosk is ready again.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runSteps } from '../helpers/steps.ts';
import { initialKioskState, kioskStep, NOTICES, type KioskEvent, type KioskState } from '../../kiosk/logic.ts';
import type { IssuedTicket, KioskConfig } from '@shubbak/protocol';

const config: KioskConfig = { kind: 'kiosk', center: 'مركز تجريبي', footer: 'شكرا', buttons: [{ key: 0, line: 'A' }] };
const booked: IssuedTicket = { number: 'A003', line: 'A', lineName: 'استلام الطلبات', ahead: 2, estimatedWaitMin: 10, issuedAt: 1_700_000_000_000, bookedSlot: '09:00' };
const feed = (events: KioskEvent[], from: KioskState = initialKioskState) => runSteps(kioskStep, events, from);
const ready = () => feed([{ type: 'online' }, { type: 'config', config }, { type: 'lineState', line: 'A', open: true }]).state;
const digits = (code: string): KioskEvent[] => [...code].map((d) => ({ type: 'digit', digit: Number(d) }));

describe('the kiosk: "لدي حجز" and the booking code', () => {
  test('the booking button opens code entry; line lamps go dark; eight digits + confirm send booking.checkIn', () => {
    let r = feed([{ type: 'booking' }], ready());
    assert.equal(r.state.phase, 'entering');
    assert.deepEqual(r.state.lamps, { 0: 'off' });
    assert.ok(r.effects.some((e) => e.type === 'notice' && e.notice === NOTICES.typeCode));
    // A line press while typing issues nothing.
    r = feed([...digits('1234'), { type: 'press', key: 0 }, { type: 'erase' }, ...digits('45678'), { type: 'digit', digit: 9 }], r.state);
    assert.ok(!r.effects.some((e) => e.type === 'issue'));
    assert.equal(r.state.code, '12345678', 'erase removed the 4, a ninth digit is ignored');
    r = feed([{ type: 'confirm' }], r.state);
    assert.deepEqual(r.effects.filter((e) => e.type === 'checkIn'), [{ type: 'checkIn', code: '12345678' }]);
    assert.equal(r.state.phase, 'requesting');
    // The hub's booked ticket prints with its slot, then the kiosk is ready, lamps on again.
    r = feed([{ type: 'issued', ticket: booked }], r.state);
    const print = r.effects.find((e) => e.type === 'print');
    assert.ok(print && print.type === 'print');
    assert.equal(print.content.number, 'A003');
    assert.equal(print.content.footer, 'حجز الساعة 09:00 — شكرا');
    r = feed([{ type: 'printed' }], r.state);
    assert.equal(r.state.phase, 'ready');
    assert.deepEqual(r.state.lamps, { 0: 'on' });
  });

  test('a short code is not sent; leaving returns to ready; a refusal is shown and the kiosk is ready again', () => {
    let r = feed([{ type: 'booking' }, ...digits('1234567'), { type: 'confirm' }], ready());
    assert.ok(!r.effects.some((e) => e.type === 'checkIn'));
    assert.equal(r.state.notice, NOTICES.shortCode);
    r = feed([{ type: 'leave' }], r.state);
    assert.equal(r.state.phase, 'ready');
    assert.equal(r.state.code, '');
    r = feed([{ type: 'booking' }, ...digits('87654321'), { type: 'confirm' },
      { type: 'issueFailed', code: 'BOOKING_TOO_EARLY', message: 'موعدك الساعة 11:00؛ تفضل بالحضور من الساعة 10:50' }], r.state);
    assert.equal(r.state.phase, 'ready');
    assert.deepEqual(r.state.notice, { ar: 'موعدك الساعة 11:00؛ تفضل بالحضور من الساعة 10:50', en: 'BOOKING_TOO_EARLY' });
  });

  test('offline or out of paper: the booking button is refused with the reason', () => {
    const off = feed([{ type: 'offline' }, { type: 'booking' }], ready());
    assert.equal(off.state.phase, 'ready');
    assert.equal(off.state.notice, NOTICES.offline);
    const paper = feed([{ type: 'printer', status: 'paper-out' }, { type: 'booking' }], ready());
    assert.equal(paper.state.notice, NOTICES.noPaper);
  });
});
