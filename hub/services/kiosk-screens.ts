// The kiosk's touch screen (issue 14 item 2: "a mobile number at the kiosk screen, where the
// kiosk has one"): who the page /kiosk-screen acts as, and the ticket it issues.
//
// Access model — a kiosk-screen session bound to one kiosk device:
//  - the screen is paired once by the technician who installs it, with the kiosk's device id
//    and secret (the same credentials the kiosk's program uses on MQTT, in its env file);
//    the hub answers a random 256-bit token in an httpOnly, SameSite=Strict cookie and keeps
//    only its SHA-256 (migration 050). No staff account sits logged in on a public machine,
//    and the secret never stays in the browser;
//  - the session acts as that kiosk and nothing more (routes declare access 'kiosk_screen'):
//    it reads the kiosk's buttons and issues tickets for those lines only, under the kiosk's
//    own actor key (device:<id>), exactly what the kiosk may do over MQTT;
//  - it ends when the kiosk's secret is rotated (or the kiosk re-enrolled), when the kiosk is
//    removed, or when the screen is unpaired: an administrator's rotation revokes a stolen
//    cookie the same way it revokes a stolen secret.
//
// The paper (issue 14 item 2 gap): a ticket from the screen comes out of the same kiosk's
// printer. Before issuing, the hub refuses when the kiosk's program is not connected
// (KIOSK_OFFLINE) or its last reported printer state cannot print (PRINTER_UNAVAILABLE:
// paper out, printer silent, never reported) — nothing is issued and no SMS queued. The
// ticket is then handed to the unit of work as a print request, published to the kiosk on
// devices/{id}/print only once the transaction committed (hub/broker/publisher.ts); the
// kiosk prints it as its own and cancels the number if the print fails ("no print, no
// ticket", kiosk/logic.ts). A repeated request (same Idempotency-Key) answers the first
// ticket and prints nothing again.
import { createHash, randomBytes } from 'node:crypto';
import { canPrint, type IssuedTicket } from '@shubbak/protocol';
import type { Db } from '../db/connection.ts';
import { deviceActor } from '../domain/actor.ts';
import { DomainError } from '../domain/errors.ts';
import type { Clock } from '../domain/time.ts';
import type { SmsTriggers } from '../sms/triggers.ts';
import type { DeviceService } from './devices.ts';
import type { QueueService } from './queue.ts';
import type { UnitOfWork } from './unit-of-work.ts';

const hash = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

export type KioskScreenLine = { line: string; name: string; nameEn: string; open: boolean; waiting: number; estimatedWaitMin: number };

export class KioskScreens {
  private readonly q;

  constructor(
    private readonly db: Db,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly devices: DeviceService,
    private readonly queue: QueueService,
    private readonly sms: SmsTriggers,
  ) {
    this.q = {
      insert: db.prepare('INSERT INTO kiosk_screen_sessions (token_hash, device_id, secret_set_at, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?)'),
      find: db.prepare<[string], { device_id: string }>(`SELECT s.device_id FROM kiosk_screen_sessions s JOIN devices d ON d.id = s.device_id
        WHERE s.token_hash = ? AND d.kind = 'kiosk' AND d.secret_set_at = s.secret_set_at`),
      remove: db.prepare('DELETE FROM kiosk_screen_sessions WHERE token_hash = ?'),
    };
  }

  /** Pair a screen with a kiosk: its id and secret → a session token (INVALID_CREDENTIALS otherwise, nothing stored). */
  pair(deviceId: string, secret: string): { token: string; deviceId: string } {
    const row = this.devices.verify(deviceId, secret);
    if (!row || row.kind !== 'kiosk') {
      throw new DomainError('INVALID_CREDENTIALS', 'رقم الكشك أو الرمز السري غير صحيح', { en: 'Unknown kiosk or wrong secret' });
    }
    const token = randomBytes(32).toString('base64url');
    const now = this.clock();
    this.uow.run(() => this.q.insert.run(hash(token), row.id, row.secret_set_at, now, now));
    return { token, deviceId: row.id };
  }

  /** The kiosk a token acts as, or null (unknown, unpaired, secret rotated, kiosk removed). */
  session(token: string): string | null {
    return this.q.find.get(hash(token))?.device_id ?? null;
  }

  unpair(token: string): void {
    this.uow.run(() => this.q.remove.run(hash(token)));
  }

  /** What the screen shows: the center and the kiosk's buttons as lines with their live state. */
  view(deviceId: string): { deviceId: string; center: string; lines: KioskScreenLine[] } {
    const config = this.devices.configOf(deviceId);
    if (!config || config.kind !== 'kiosk') throw new DomainError('NOT_PROVISIONED');
    const names = new Map(this.queue.lines().map((l) => [l.letter, l]));
    const lines = [...config.buttons].sort((a, b) => a.key - b.key).flatMap((b) => {
      const l = names.get(b.line);
      if (!l) return [];
      const s = this.queue.lineState(b.line);
      return [{ line: b.line, name: l.nameAr, nameEn: l.nameEn, open: s.open, waiting: s.waiting, estimatedWaitMin: s.estimatedWaitMin }];
    });
    return { deviceId, center: config.center, lines };
  }

  /**
   * A ticket from the screen: the same rule as the kiosk's ticket.issue over MQTT
   * (hub/broker/dispatch.ts) — only a line on the kiosk's buttons, issued under the kiosk's
   * actor — and a mobile checked and queued in the same transaction (INVALID_MOBILE → no ticket).
   * Call inside the caller's transaction (the route's idempotency.once).
   */
  issue(deviceId: string, a: { line: string; mobile?: string }): IssuedTicket {
    const config = this.devices.configOf(deviceId);
    if (!config || config.kind !== 'kiosk') throw new DomainError('NOT_PROVISIONED');
    if (!config.buttons.some((b) => b.line === a.line)) throw new DomainError('FORBIDDEN', 'هذه الخدمة ليست على أزرار هذا الكشك');
    this.assertCanPrint(deviceId);
    const ticket = this.queue.issue({ line: a.line, by: deviceActor(deviceId) });
    if (a.mobile !== undefined && a.mobile !== '') this.sms.subscribeTicket(ticket, a.mobile);
    // Published to the kiosk after the commit; dropped with a rollback (a bad mobile).
    this.uow.print(deviceId, ticket);
    return ticket;
  }

  /**
   * No print, no ticket: the screen issues only while its kiosk's program is connected and
   * its printer, as last reported (devices/{id}/health), can print.
   */
  private assertCanPrint(deviceId: string): void {
    const info = this.devices.info(deviceId);
    if (!info?.online) {
      throw new DomainError('KIOSK_OFFLINE', 'الكشك غير متصل بالخادم الآن فلا يمكنه طباعة التذكرة، برجاء التوجه إلى الاستقبال', {
        en: 'The kiosk is offline and cannot print the ticket',
      });
    }
    if (!canPrint(info.health?.printer)) {
      throw new DomainError('PRINTER_UNAVAILABLE', 'طابعة الكشك غير جاهزة الآن فلا يمكن إصدار تذكرة، برجاء التوجه إلى الاستقبال', {
        en: 'The kiosk\'s printer cannot print (out of paper or not answering)',
      });
    }
  }
}
