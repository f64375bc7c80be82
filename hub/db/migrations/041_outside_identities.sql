-- Identities for the outside (issue 13, item 2): a read-only `observer` (dashboards, Node-RED,
-- Home Assistant) and a `bridge` (a central broker mirroring the center's outward topics) are
-- registered like devices — one secret, rotation and removal close their connections — so
-- devices.kind admits them. SQLite cannot change a CHECK in place: the table is rebuilt.
-- Dropping the old table runs its ON DELETE CASCADE into device_enrollments (foreign keys
-- are on), so the enrollments are kept aside and put back.
CREATE TEMP TABLE keep_enrollments AS SELECT * FROM device_enrollments;

CREATE TABLE devices_new (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('kiosk', 'keypad', 'display', 'hall', 'observer', 'bridge')),
  label TEXT NOT NULL DEFAULT '',
  secret_hash TEXT NOT NULL,           -- sha256 of a 256-bit random secret (see services/devices.ts)
  window INTEGER REFERENCES windows(number) ON DELETE SET NULL,
  buttons TEXT,                        -- kiosk: JSON [{key, line}]
  transfer_to TEXT,                    -- keypad: JSON ["B", "C"]
  rows INTEGER,                        -- hall board
  created_at INTEGER NOT NULL,
  secret_set_at INTEGER NOT NULL,
  online INTEGER NOT NULL DEFAULT 0,
  fw TEXT,
  last_seen INTEGER,
  health TEXT,                         -- JSON as last published by the device
  health_at INTEGER
);
INSERT INTO devices_new SELECT id, kind, label, secret_hash, window, buttons, transfer_to, rows, created_at, secret_set_at,
  online, fw, last_seen, health, health_at FROM devices;
DROP TABLE devices;
ALTER TABLE devices_new RENAME TO devices;

INSERT INTO device_enrollments SELECT * FROM keep_enrollments;
DROP TABLE keep_enrollments;
