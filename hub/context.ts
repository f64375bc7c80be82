// What every part of the hub shares: settings, clock, database, the unit of work, the
// change bus, and the services. Built once by createContext; passed explicitly.
import { EventEmitter } from 'node:events';
import path from 'node:path';
import type { HubConfig } from './config.ts';
import { openDatabase, type Db } from './db/connection.ts';
import type { Clock } from './domain/time.ts';
import { UnitOfWork, type ChangeSet } from './services/unit-of-work.ts';
import { QueueService } from './services/queue.ts';
import { DeviceService } from './services/devices.ts';
import { IdempotencyLog } from './services/idempotency.ts';

export type HubEvents = {
  /** A transaction committed with these changes: publish retained state, push to panels. */
  committed: [ChangeSet];
  /** A device's presence or health changed (not a queue transaction). */
  deviceSeen: [string];
};

export type HubContext = {
  config: HubConfig;
  clock: Clock;
  db: Db;
  uow: UnitOfWork;
  bus: EventEmitter<HubEvents>;
  queue: QueueService;
  devices: DeviceService;
  idempotency: IdempotencyLog;
};

export function createContext(config: HubConfig, clock: Clock): HubContext {
  const db = openDatabase(path.join(config.dataDir, 'shubbak.db'));
  const bus = new EventEmitter<HubEvents>();
  bus.setMaxListeners(100);
  const uow = new UnitOfWork(db, (changes) => bus.emit('committed', changes));
  const queue = new QueueService(db, uow, clock, config);
  const devices = new DeviceService(db, uow, clock, config);
  const idempotency = new IdempotencyLog(db, uow, clock);
  return { config, clock, db, uow, bus, queue, devices, idempotency };
}
