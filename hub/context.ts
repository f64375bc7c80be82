// What every part of the hub shares: settings, clock, database, the unit of work, the
// change bus, and the services. Built once by createContext; passed explicitly.
import { EventEmitter } from 'node:events';
import path from 'node:path';
import type { HubConfig } from './config.ts';
import { openDatabase, type Db } from './db/connection.ts';
import type { Clock } from './domain/time.ts';
import { UnitOfWork } from './services/unit-of-work.ts';
import { CommitFeed } from './services/commit-feed.ts';
import { QueueService } from './services/queue.ts';
import { TicketLinks } from './services/ticket-link.ts';
import { TicketPageService } from './services/ticket-page.ts';
import { DeviceService } from './services/devices.ts';
import { IdempotencyLog } from './services/idempotency.ts';
import { ReportService } from './services/reports/index.ts';
import { AlertService } from './services/alerts.ts';
import { BackupService } from './services/backup.ts';
import { AuditLog } from './services/audit.ts';
import { StaffService } from './services/staff.ts';
import { CatalogService } from './services/catalog.ts';
import { CitizenService } from './services/citizens.ts';
import { PublicStatusRegistry } from './services/public-status.ts';
import { ComplaintService } from './services/complaints.ts';
import { Open311KeyService } from './services/open311-keys.ts';
import { MeetingService } from './services/meetings.ts';
import { InspectionService } from './services/inspections.ts';
import { FileService } from './services/files.ts';
import { AttachmentService } from './services/attachments.ts';
import { PaymentService } from './services/payments.ts';
import { EnrollmentService, type BrokerListeners } from './services/enrollment.ts';
import { HubMetrics } from './ops/metrics.ts';
import { SmsOutbox } from './sms/outbox.ts';
import { SmsTriggers } from './sms/triggers.ts';
import { SmsRetention } from './sms/retention.ts';
import { KioskScreens } from './services/kiosk-screens.ts';
import { AppointmentService } from './services/appointments.ts';

export type HubEvents = {
  /** A device's presence or health changed (not a queue transaction). */
  deviceSeen: [string];
};

export type HubContext = {
  config: HubConfig;
  clock: Clock;
  db: Db;
  uow: UnitOfWork;
  /** Each commit's changes, projected once, for the MQTT publisher and the live feeds. */
  commits: CommitFeed;
  bus: EventEmitter<HubEvents>;
  queue: QueueService;
  /** Tickets' public links (/t/<token>): the QR codes and the SMS (services/ticket-link.ts). */
  ticketLinks: TicketLinks;
  /** The live ticket page's view of one ticket by its public token (services/ticket-page.ts). */
  ticketPages: TicketPageService;
  devices: DeviceService;
  idempotency: IdempotencyLog;
  reports: ReportService;
  alerts: AlertService;
  backups: BackupService;
  audit: AuditLog;
  staff: StaffService;
  catalog: CatalogService;
  citizens: CitizenService;
  publicStatus: PublicStatusRegistry;
  complaints: ComplaintService;
  /** Open311 api_keys the administrator issues (issue 14 item 4). */
  open311Keys: Open311KeyService;
  meetings: MeetingService;
  inspections: InspectionService;
  files: FileService;
  attachments: AttachmentService;
  payments: PaymentService;
  enrollment: EnrollmentService;
  metrics: HubMetrics;
  /** SMS to citizens (hub/sms/): the outbox and what queues into it; the SMPP sender is started by hub.ts. */
  sms: { outbox: SmsOutbox; triggers: SmsTriggers; retention: SmsRetention };
  /** A kiosk's touch screen paired with its kiosk (issue 14 item 2; services/kiosk-screens.ts). */
  kioskScreens: KioskScreens;
  /** Booked appointments merged into the queue (issue 14 item 3). */
  appointments: AppointmentService;
};

/** What the hub knows only once it listens, read (never pushed) by the services that need it. */
export type HubRuntime = {
  listeners: () => BrokerListeners;
  /** The hub's own base URL (http(s)://host:port) once it listens: the default of the tickets' public links. */
  ownUrl?: () => string;
};

export function createContext(config: HubConfig, clock: Clock, runtime: HubRuntime = { listeners: () => ({ mqttPort: 0, tls: null }) }): HubContext {
  const db = openDatabase(path.join(config.dataDir, 'shubbak.db'));
  const bus = new EventEmitter<HubEvents>();
  bus.setMaxListeners(100);
  // Every commit's change set goes to the feed (built just below, before any write can commit).
  const uow = new UnitOfWork(db, (changes) => commits.deliver(changes));
  const ticketLinks = new TicketLinks(db, config.publicUrl, runtime.ownUrl ?? (() => ''));
  const queue = new QueueService(db, uow, clock, config, ticketLinks);
  const ticketPages = new TicketPageService(db, queue, clock, config);
  const devices = new DeviceService(db, uow, clock, config);
  const commits = new CommitFeed(queue, devices, clock);
  const idempotency = new IdempotencyLog(db, uow, clock);
  const audit = new AuditLog(db, uow, clock);
  const staff = new StaffService(db, uow, clock, config, audit);
  const catalog = new CatalogService(db, uow, clock, audit, config.timezone);
  const citizens = new CitizenService(db, uow, clock, audit, config.timezone);
  const publicStatus = new PublicStatusRegistry();
  const complaints = new ComplaintService(db, uow, clock, audit, catalog, citizens, config.timezone);
  const open311Keys = new Open311KeyService(db, uow, clock, audit);
  const meetings = new MeetingService(db, uow, clock, audit, citizens, config.timezone);
  const inspections = new InspectionService(db, uow, clock, audit);
  inspections.register('complaint', (id) => {
    const c = /^\d+$/.test(id) ? complaints.find(Number(id)) : complaints.byInquiry(id);
    return c ? { id: c.id, record: c } : null;
  });
  const files = new FileService(db, uow, clock, audit, catalog, citizens, queue, config.timezone);
  inspections.register('file', (id) => {
    const f = files.find(/^\d+$/.test(id) ? { id: Number(id) } : { inquiry: id });
    return f ? { id: f.id, record: files.detail(f, null) } : null;
  });
  // The public status page finds complaints and files by inquiry number (wired here, not by the services themselves).
  publicStatus.register('complaint', (inquiry) => complaints.statusRecord(inquiry));
  publicStatus.register('file', (inquiry) => files.statusRecord(inquiry));
  const attachments = new AttachmentService(db, uow, clock, audit, files, config.dataDir);
  const payments = new PaymentService(db, uow, clock, audit, catalog, citizens, files, config.timezone);
  const enrollment = new EnrollmentService(db, uow, clock, devices, audit, runtime.listeners);
  const reports = new ReportService(db, clock, config);
  const alerts = new AlertService(db, uow, clock, config);
  const backups = new BackupService(db, clock, config);
  const metrics = new HubMetrics(db, clock);
  const smsOutbox = new SmsOutbox(db, uow, clock, config);
  // The texts carry the ticket's public page link (services/ticket-link.ts, issue 14 item 1).
  const smsTriggers = new SmsTriggers(db, uow, clock, config, smsOutbox, (id) => ticketLinks.forTicket(id));
  smsTriggers.install();
  const sms = { outbox: smsOutbox, triggers: smsTriggers, retention: new SmsRetention(db, clock, config) };
  const kioskScreens = new KioskScreens(db, uow, clock, devices, queue, smsTriggers);
  const appointments = new AppointmentService(db, uow, clock, config, queue, smsOutbox);
  return { appointments, kioskScreens, sms, metrics, config, clock, db, uow, commits, bus, queue, ticketLinks, ticketPages, devices, idempotency, audit, staff, catalog, citizens, publicStatus, complaints, open311Keys, meetings, inspections, files, attachments, payments, enrollment, reports, alerts, backups };
}
