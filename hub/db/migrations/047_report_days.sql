-- Daily rollups of the reports (issue 12 item 11): each closed local day's counts, sums and
-- histograms, kept as the JSON the report adds up (hub/services/reports/rollups.ts), so a
-- report over two years reads ~24 closed months and the days at its edges instead of a
-- million visits. A day (or month: day holds 'YYYY-MM') is stored only
-- once it is over; it is deleted here, by triggers, whenever a fact it was made from changes
-- afterwards (a parked visit cancelled the next morning, a stretch of a window that ends
-- after midnight, a file moved to another department...), and made again when next needed.
CREATE TABLE report_days (
  kind TEXT NOT NULL,                  -- 'queue' | 'execution' | 'money'
  day TEXT NOT NULL,                   -- local day 'YYYY-MM-DD', or a whole month 'YYYY-MM'
  start_at INTEGER NOT NULL,           -- the day's instants [start_at, end_at)
  end_at INTEGER NOT NULL,
  version INTEGER NOT NULL,            -- the facts' format; another version is ignored and rebuilt
  facts TEXT NOT NULL,
  PRIMARY KEY (kind, day)
);
-- The days and months holding an instant: start_at within the 32 days before it.
CREATE INDEX report_days_span ON report_days (kind, start_at, end_at);

-- Windows' stretches longer than a day (a weekend, a holiday closed) are found through
-- this index; shorter ones by their start (window_status_log_from).
CREATE INDEX window_status_log_long ON window_status_log (to_at, from_at, window, status, clerk) WHERE to_at - from_at > 86400000;

-- Queue: tickets by their day (and its month), visits by the instant they entered the
-- line, stretches by the days they overlap.
CREATE TRIGGER report_days_ticket_in AFTER INSERT ON tickets BEGIN
  DELETE FROM report_days WHERE kind = 'queue' AND day IN (NEW.day, substr(NEW.day, 1, 7));
END;
CREATE TRIGGER report_days_ticket_out AFTER DELETE ON tickets BEGIN
  DELETE FROM report_days WHERE kind = 'queue' AND day IN (OLD.day, substr(OLD.day, 1, 7));
END;
CREATE TRIGGER report_days_visit_in AFTER INSERT ON visits BEGIN
  DELETE FROM report_days WHERE kind = 'queue' AND start_at <= NEW.queued_at AND start_at > NEW.queued_at - 2764800000 AND end_at > NEW.queued_at;
END;
CREATE TRIGGER report_days_visit_change AFTER UPDATE OF line, status, queued_at, called_at, started_at, ended_at, window, served_by ON visits BEGIN
  DELETE FROM report_days WHERE kind = 'queue' AND start_at <= NEW.queued_at AND start_at > NEW.queued_at - 2764800000 AND end_at > NEW.queued_at;
  DELETE FROM report_days WHERE kind = 'queue' AND start_at <= OLD.queued_at AND start_at > OLD.queued_at - 2764800000 AND end_at > OLD.queued_at;
END;
CREATE TRIGGER report_days_visit_out AFTER DELETE ON visits BEGIN
  DELETE FROM report_days WHERE kind = 'queue' AND start_at <= OLD.queued_at AND start_at > OLD.queued_at - 2764800000 AND end_at > OLD.queued_at;
END;
CREATE TRIGGER report_days_stretch_in AFTER INSERT ON window_status_log BEGIN
  DELETE FROM report_days WHERE kind = 'queue' AND start_at < NEW.to_at AND start_at > NEW.from_at - 2764800000 AND end_at > NEW.from_at;
END;

-- Execution: files by when they were registered, stage changes and stays by when they
-- happened; a file's department, service or due day changed afterwards touches the days
-- of its registration, decision and delivery.
CREATE TRIGGER report_days_file_in AFTER INSERT ON files BEGIN
  DELETE FROM report_days WHERE kind = 'execution' AND start_at <= NEW.registered_at AND start_at > NEW.registered_at - 2764800000 AND end_at > NEW.registered_at;
END;
CREATE TRIGGER report_days_file_change AFTER UPDATE OF department_id, service_id, registered_at, due_day ON files
WHEN OLD.department_id IS NOT NEW.department_id OR OLD.service_id IS NOT NEW.service_id
  OR OLD.registered_at IS NOT NEW.registered_at OR OLD.due_day IS NOT NEW.due_day
BEGIN
  DELETE FROM report_days WHERE kind = 'execution' AND start_at <= OLD.registered_at AND start_at > OLD.registered_at - 2764800000 AND end_at > OLD.registered_at;
  DELETE FROM report_days WHERE kind = 'execution' AND start_at <= NEW.registered_at AND start_at > NEW.registered_at - 2764800000 AND end_at > NEW.registered_at;
  DELETE FROM report_days WHERE rowid IN (
    SELECT r.rowid FROM file_events e JOIN report_days r ON r.kind = 'execution' AND r.start_at <= e.at AND r.start_at > e.at - 2764800000 AND r.end_at > e.at
    WHERE e.file_id = NEW.id AND e.to_status IN ('decided', 'delivered'));
END;
CREATE TRIGGER report_days_file_event_in AFTER INSERT ON file_events BEGIN
  DELETE FROM report_days WHERE kind = 'execution' AND start_at <= NEW.at AND start_at > NEW.at - 2764800000 AND end_at > NEW.at;
END;
CREATE TRIGGER report_days_file_event_change AFTER UPDATE OF file_id, from_status, to_status, at ON file_events BEGIN
  DELETE FROM report_days WHERE kind = 'execution' AND start_at <= NEW.at AND start_at > NEW.at - 2764800000 AND end_at > NEW.at;
  DELETE FROM report_days WHERE kind = 'execution' AND start_at <= OLD.at AND start_at > OLD.at - 2764800000 AND end_at > OLD.at;
END;
CREATE TRIGGER report_days_stay_in AFTER INSERT ON file_stays BEGIN
  DELETE FROM report_days WHERE kind = 'execution' AND start_at <= NEW.to_at AND start_at > NEW.to_at - 2764800000 AND end_at > NEW.to_at;
END;

-- Money: receipts by their cashier day (issued, or voided later), and its month ('YYYY-MM').
CREATE TRIGGER report_days_receipt_in AFTER INSERT ON receipts BEGIN
  DELETE FROM report_days WHERE kind = 'money' AND day IN (NEW.day, substr(NEW.day, 1, 7));
END;
CREATE TRIGGER report_days_receipt_change AFTER UPDATE ON receipts BEGIN
  DELETE FROM report_days WHERE kind = 'money' AND day IN (OLD.day, NEW.day, substr(OLD.day, 1, 7), substr(NEW.day, 1, 7));
END;
-- A receipt's fee lines and its order's service (the scope) are read with it.
CREATE TRIGGER report_days_order_change AFTER UPDATE OF service_id ON payment_orders BEGIN
  DELETE FROM report_days WHERE kind = 'money' AND day IN (SELECT day FROM receipts WHERE order_id = NEW.id UNION SELECT substr(day, 1, 7) FROM receipts WHERE order_id = NEW.id);
END;
CREATE TRIGGER report_days_fee_line_in AFTER INSERT ON payment_order_lines BEGIN
  DELETE FROM report_days WHERE kind = 'money' AND day IN (SELECT day FROM receipts WHERE order_id = NEW.order_id UNION SELECT substr(day, 1, 7) FROM receipts WHERE order_id = NEW.order_id);
END;
CREATE TRIGGER report_days_fee_line_change AFTER UPDATE ON payment_order_lines BEGIN
  DELETE FROM report_days WHERE kind = 'money' AND day IN (SELECT day FROM receipts WHERE order_id IN (OLD.order_id, NEW.order_id) UNION SELECT substr(day, 1, 7) FROM receipts WHERE order_id IN (OLD.order_id, NEW.order_id));
END;
CREATE TRIGGER report_days_fee_line_out AFTER DELETE ON payment_order_lines BEGIN
  DELETE FROM report_days WHERE kind = 'money' AND day IN (SELECT day FROM receipts WHERE order_id = OLD.order_id UNION SELECT substr(day, 1, 7) FROM receipts WHERE order_id = OLD.order_id);
END;
