-- One-time device enrollment codes (issue 10 item 5; hub/services/enrollment.ts). Only the
-- SHA-256 of a code is kept; a code is good for 15 minutes and one use, and issuing a new
-- one for the same device revokes the one before.
CREATE TABLE device_enrollments (
  id INTEGER PRIMARY KEY,
  code_hash TEXT NOT NULL UNIQUE,
  device_id TEXT NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER,
  used_from TEXT,
  revoked_at INTEGER,
  created_by TEXT NOT NULL
);
CREATE INDEX device_enrollments_device ON device_enrollments (device_id);
