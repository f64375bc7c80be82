-- The outbox to the governorate's central tier (issue 13, item 3; hub/federation/outbox.ts):
-- written in the same transaction as the change it reports, so nothing committed is lost
-- when the link or the hub dies; forwarded in seq order, at least once (the central stream
-- drops a seq it already has). seq is the center's own sequence: AUTOINCREMENT never reuses
-- one, even after the rows before it are pruned.
CREATE TABLE outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,          -- 'state' (a public topic's new state), 'event' (a domain event), 'alerts' (the open device alerts)
  topic TEXT NOT NULL,         -- state: the contract topic, e.g. shubbak/v1/windows/3/state; event: its type, e.g. ticket.called, file.approve
  payload TEXT NOT NULL,       -- JSON
  at INTEGER NOT NULL,
  sent_at INTEGER
);
CREATE INDEX outbox_unsent ON outbox (seq) WHERE sent_at IS NULL;
