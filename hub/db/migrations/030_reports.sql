-- Supervision (issue 6): window status history, device alerts, the backup register, and
-- the indexes the reports need over two years of data.

-- Each finished stretch of a window in one status (idle, serving, paused, closed), so the
-- reports can add up paused and idle time per window and clerk. Written by a trigger, so
-- the queue service does not have to know the reports exist.
CREATE TABLE window_status_log (
  id INTEGER PRIMARY KEY,
  window INTEGER NOT NULL,
  status TEXT NOT NULL,
  clerk TEXT,
  from_at INTEGER NOT NULL,
  to_at INTEGER NOT NULL
);
-- Read by period start; stretches are short (a call, a break, a night closed), so a
-- period's stretches start at most a few days before it. Covers the sums by window and clerk.
CREATE INDEX window_status_log_from ON window_status_log (from_at, to_at, window, status, clerk);

-- The queue service restamps status_since on each call even when the status stays
-- 'serving', so a stretch ends at either change.
CREATE TRIGGER windows_status_history AFTER UPDATE OF status, status_since ON windows
WHEN OLD.status_since > 0 AND (OLD.status IS NOT NEW.status OR OLD.status_since IS NOT NEW.status_since)
BEGIN
  INSERT INTO window_status_log (window, status, clerk, from_at, to_at)
  VALUES (OLD.number, OLD.status, OLD.clerk, OLD.status_since, NEW.status_since);
END;

-- Alerts for the supervisors: a device offline during opening hours, a printer out of
-- paper. One open alert per device and kind; resolving stamps resolved_at.
CREATE TABLE device_alerts (
  id INTEGER PRIMARY KEY,
  device_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('offline', 'paper_out', 'paper_low', 'printer_offline')),
  raised_at INTEGER NOT NULL,
  resolved_at INTEGER,
  acknowledged_at INTEGER,
  acknowledged_by TEXT,
  detail TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX device_alerts_open ON device_alerts (device_id, kind) WHERE resolved_at IS NULL;
CREATE INDEX device_alerts_raised ON device_alerts (raised_at);

-- Every backup taken: where, how big, and what the check found.
CREATE TABLE backups (
  id INTEGER PRIMARY KEY,
  file TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  finished_at INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  integrity TEXT NOT NULL,             -- 'ok' or the first problem integrity_check found
  row_counts TEXT NOT NULL,            -- JSON {table: rows}
  trigger TEXT NOT NULL,               -- 'schedule' | 'manual' | 'cli'
  register_file TEXT,                  -- the printable register of the week's files
  error TEXT
);

-- Queue statistics read visits by the time they entered a line; this covers the columns
-- they need so a month's range is read from the index alone.
CREATE INDEX visits_report ON visits (queued_at, line, status, called_at, started_at, ended_at, window, served_by);

-- Tickets per line and hour are counted from the index alone.
CREATE INDEX tickets_report ON tickets (day, letter, issued_at);

-- Execution and money reports over two years of files (hub/services/reports.ts).
-- Files received in a period, by department and service.
CREATE INDEX files_registered ON files (registered_at, department_id, service_id);
-- A period's stage changes of one kind (decisions, deliveries) and the files they touch.
CREATE INDEX file_events_status_at ON file_events (to_status, at, file_id);
-- Overdue now: files at the department by due day.
CREATE INDEX files_due ON files (status, due_day);
-- Collections by cashier day; voids by when they were voided.
CREATE INDEX receipts_day ON receipts (day, status, total_piasters, order_id);
CREATE INDEX receipts_voided ON receipts (voided_at) WHERE voided_at IS NOT NULL;
