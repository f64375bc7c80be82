// The public meeting day (لقاء الجماهير): meeting dates with a capacity, citizens
// registered at the citizen service window with their subject (once per meeting, in
// order, never beyond capacity), the printable list, and the outcome of each case.
import type { Db } from '../db/connection.ts';
import { localDay, type Clock } from '../domain/time.ts';
import { DomainError } from '../domain/errors.ts';
import type { AuditLog } from './audit.ts';
import type { CitizenInput, CitizenService } from './citizens.ts';
import type { UnitOfWork } from './unit-of-work.ts';

export type MeetingStatus = 'open' | 'held' | 'cancelled';
export type Meeting = { id: number; day: string; titleAr: string; capacity: number; status: MeetingStatus; registered: number; createdAt: number };
export type Registration = {
  id: number; meetingId: number; position: number; citizenId: number; citizenName: string; nationalIdLast4: string; mobile: string | null;
  subject: string; registeredAt: number; outcome: string | null; outcomeAt: number | null;
};

type MeetingRow = { id: number; day: string; title_ar: string; capacity: number; status: MeetingStatus; created_at: number; registered: number };
type RegRow = {
  id: number; meeting_id: number; position: number; citizen_id: number; name: string; national_id: string; mobile: string | null;
  subject: string; registered_at: number; outcome: string | null; outcome_at: number | null;
};

const toMeeting = (r: MeetingRow): Meeting => ({ id: r.id, day: r.day, titleAr: r.title_ar, capacity: r.capacity, status: r.status, registered: r.registered, createdAt: r.created_at });
const toReg = (r: RegRow): Registration => ({
  id: r.id, meetingId: r.meeting_id, position: r.position, citizenId: r.citizen_id, citizenName: r.name, nationalIdLast4: r.national_id.slice(-4),
  mobile: r.mobile, subject: r.subject, registeredAt: r.registered_at, outcome: r.outcome, outcomeAt: r.outcome_at,
});

const MEETING_SQL = `SELECT m.*, (SELECT count(*) FROM meeting_registrations r WHERE r.meeting_id = m.id) AS registered FROM meetings m`;
const REG_SQL = `SELECT r.*, c.name, c.national_id, c.mobile FROM meeting_registrations r JOIN citizens c ON c.id = r.citizen_id`;

export class MeetingService {
  constructor(
    private readonly db: Db,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    private readonly citizens: CitizenService,
    private readonly timeZone: string,
  ) {}

  list(opts: { fromDay?: string } = {}): Meeting[] {
    return this.db.prepare<[string], MeetingRow>(`${MEETING_SQL} WHERE m.day >= ? ORDER BY m.day`).all(opts.fromDay ?? '0000-00-00').map(toMeeting);
  }

  get(id: number): Meeting {
    const r = this.db.prepare<[number], MeetingRow>(`${MEETING_SQL} WHERE m.id = ?`).get(id);
    if (!r) throw new DomainError('MEETING_NOT_FOUND', 'موعد اللقاء غير موجود', { en: 'No such meeting' });
    return toMeeting(r);
  }

  private today(): string {
    return localDay(this.clock(), this.timeZone);
  }

  create(input: { day: string; titleAr: string; capacity: number }, actor: string): Meeting {
    if (input.day < this.today()) throw new DomainError('VALIDATION', 'لا يمكن تحديد لقاء في يوم مضى', { details: [{ path: '/day', message: 'لا يمكن تحديد لقاء في يوم مضى' }] });
    return this.uow.run(() => {
      if (this.db.prepare('SELECT 1 FROM meetings WHERE day = ?').get(input.day)) {
        throw new DomainError('MEETING_EXISTS', 'يوجد لقاء محدد في هذا اليوم', { details: [{ path: '/day', message: 'يوجد لقاء محدد في هذا اليوم' }] });
      }
      const id = Number(this.db.prepare('INSERT INTO meetings (day, title_ar, capacity, created_at, created_by) VALUES (?, ?, ?, ?, ?)')
        .run(input.day, input.titleAr, input.capacity, this.clock(), actor).lastInsertRowid);
      const after = this.get(id);
      this.audit.append({ actor, action: 'meeting.create', entity: 'meeting', entityId: id, after });
      return after;
    });
  }

  /** Change the capacity or the status (held after the day, or cancelled). */
  update(id: number, patch: { capacity?: number; status?: MeetingStatus }, actor: string): Meeting {
    return this.uow.run(() => {
      const before = this.get(id);
      if (patch.capacity !== undefined && patch.capacity < before.registered) {
        throw new DomainError('CONFLICT', `المسجلون بالفعل ${before.registered}: لا يمكن تقليل العدد عن ذلك`, { details: [{ path: '/capacity', message: 'أقل من عدد المسجلين' }] });
      }
      if (patch.status && before.status !== 'open' && patch.status !== before.status) {
        throw new DomainError('INVALID_TRANSITION', 'لا يمكن تغيير حالة لقاء انعقد أو أُلغي', { en: 'Meeting already held or cancelled' });
      }
      this.db.prepare('UPDATE meetings SET capacity = ?, status = ? WHERE id = ?').run(patch.capacity ?? before.capacity, patch.status ?? before.status, id);
      const after = this.get(id);
      this.audit.append({ actor, action: 'meeting.update', entity: 'meeting', entityId: id, before, after });
      return after;
    });
  }

  /** Register a citizen with their subject: once per meeting, within capacity, while it is open and not past. */
  register(meetingId: number, citizen: CitizenInput, subject: string, actor: string): Registration {
    return this.uow.run(() => {
      const m = this.get(meetingId);
      if (m.status !== 'open' || m.day < this.today()) {
        throw new DomainError('MEETING_CLOSED', 'التسجيل في هذا اللقاء مغلق', { en: 'Registration for this meeting is closed' });
      }
      const { citizen: c } = this.citizens.findOrCreate(citizen, actor);
      if (this.db.prepare('SELECT 1 FROM meeting_registrations WHERE meeting_id = ? AND citizen_id = ?').get(meetingId, c.id)) {
        throw new DomainError('ALREADY_REGISTERED', 'المواطن مسجل بالفعل في هذا اللقاء', { en: 'Already registered for this meeting' });
      }
      if (m.registered >= m.capacity) throw new DomainError('MEETING_FULL', 'اكتمل العدد المحدد لهذا اللقاء', { en: 'The meeting is full' });
      const position = (this.db.prepare<[number], { p: number | null }>('SELECT max(position) AS p FROM meeting_registrations WHERE meeting_id = ?').get(meetingId)!.p ?? 0) + 1;
      const id = Number(this.db.prepare(`INSERT INTO meeting_registrations (meeting_id, citizen_id, position, subject, registered_at, registered_by)
        VALUES (?, ?, ?, ?, ?, ?)`).run(meetingId, c.id, position, subject, this.clock(), actor).lastInsertRowid);
      const reg = this.registration(meetingId, id);
      this.audit.append({ actor, action: 'meeting.register', entity: 'meeting', entityId: meetingId, after: { registrationId: id, citizenId: c.id, position, subject } });
      return reg;
    });
  }

  registration(meetingId: number, id: number): Registration {
    const r = this.db.prepare<[number, number], RegRow>(`${REG_SQL} WHERE r.meeting_id = ? AND r.id = ?`).get(meetingId, id);
    if (!r) throw new DomainError('NOT_FOUND', 'التسجيل غير موجود');
    return toReg(r);
  }

  /** The printable list, in speaking order. */
  printable(meetingId: number): { meeting: Meeting; registrations: Registration[] } {
    const meeting = this.get(meetingId);
    return { meeting, registrations: this.db.prepare<[number], RegRow>(`${REG_SQL} WHERE r.meeting_id = ? ORDER BY r.position`).all(meetingId).map(toReg) };
  }

  recordOutcome(meetingId: number, registrationId: number, outcome: string, actor: string): Registration {
    return this.uow.run(() => {
      const m = this.get(meetingId);
      if (m.status === 'cancelled') throw new DomainError('INVALID_TRANSITION', 'اللقاء ملغى', { en: 'The meeting was cancelled' });
      if (m.day > this.today()) throw new DomainError('INVALID_TRANSITION', 'لم ينعقد اللقاء بعد', { en: 'The meeting has not taken place yet' });
      const before = this.registration(meetingId, registrationId);
      this.db.prepare('UPDATE meeting_registrations SET outcome = ?, outcome_at = ?, outcome_by = ? WHERE id = ?').run(outcome, this.clock(), actor, registrationId);
      const after = this.registration(meetingId, registrationId);
      this.audit.append({ actor, action: 'meeting.outcome', entity: 'meeting', entityId: meetingId, before: { registrationId, outcome: before.outcome }, after: { registrationId, outcome } });
      return after;
    });
  }
}
