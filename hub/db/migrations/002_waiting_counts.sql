-- How many wait in each line, kept by triggers in the same transaction as every visit
-- change, so issuing a ticket does not count the whole queue. Ticket order is still
-- decided by the visits_waiting index; these are only the counts.
ALTER TABLE lines ADD COLUMN waiting INTEGER NOT NULL DEFAULT 0;
ALTER TABLE lines ADD COLUMN waiting_priority INTEGER NOT NULL DEFAULT 0;

UPDATE lines SET
  waiting = (SELECT count(*) FROM visits v WHERE v.line = lines.letter AND v.status = 'waiting'),
  waiting_priority = (SELECT count(*) FROM visits v WHERE v.line = lines.letter AND v.status = 'waiting' AND v.priority = 1);

CREATE TRIGGER visits_waiting_insert AFTER INSERT ON visits WHEN NEW.status = 'waiting'
BEGIN
  UPDATE lines SET waiting = waiting + 1, waiting_priority = waiting_priority + NEW.priority WHERE letter = NEW.line;
END;

CREATE TRIGGER visits_waiting_leave AFTER UPDATE OF status ON visits WHEN OLD.status = 'waiting' AND NEW.status <> 'waiting'
BEGIN
  UPDATE lines SET waiting = waiting - 1, waiting_priority = waiting_priority - OLD.priority WHERE letter = OLD.line;
END;

CREATE TRIGGER visits_waiting_enter AFTER UPDATE OF status ON visits WHEN OLD.status <> 'waiting' AND NEW.status = 'waiting'
BEGIN
  UPDATE lines SET waiting = waiting + 1, waiting_priority = waiting_priority + NEW.priority WHERE letter = NEW.line;
END;
