-- One event per stage change (issue 11 item 1). A change that also tells the citizen
-- something (the due date at dispatch, a decision's or a ready file's public note) used to
-- write a second, same-status event; the reports counted events, so one file showed as
-- decided twice and spent two stays in a stage. The note for the citizen now rides on the
-- change's own event (public_note), and a same-status event — the old duplicates, kept as
-- history — never begins or ends a stage stay.
ALTER TABLE file_events ADD COLUMN public_note TEXT;

DROP TRIGGER file_events_stay;
CREATE TRIGGER file_events_stay AFTER INSERT ON file_events WHEN NEW.from_status IS NOT NEW.to_status
BEGIN
  INSERT INTO file_stays (file_id, department_id, status, from_at, to_at)
  SELECT NEW.file_id, (SELECT department_id FROM files WHERE id = NEW.file_id), p.to_status, p.at, NEW.at
  FROM file_events p WHERE p.file_id = NEW.file_id AND p.id < NEW.id AND p.from_status IS NOT p.to_status
  ORDER BY p.id DESC LIMIT 1;
END;

-- The stays again, from the stage changes only.
DELETE FROM file_stays;
INSERT INTO file_stays (file_id, department_id, status, from_at, to_at)
SELECT e.file_id, f.department_id, e.prev_status, e.prev_at, e.at
FROM (SELECT file_id, at, lag(to_status) OVER w AS prev_status, lag(at) OVER w AS prev_at
      FROM file_events WHERE from_status IS NOT to_status WINDOW w AS (PARTITION BY file_id ORDER BY id)) e
JOIN files f ON f.id = e.file_id
WHERE e.prev_status IS NOT NULL;
