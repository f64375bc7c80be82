-- Every finished stay of a file in a stage (from the event that began it to the one that
-- ended it), kept by a trigger as the file moves on, so "how long do files wait in each
-- stage" over a month reads one index range instead of pairing up a hundred thousand
-- events. The stage history itself stays in file_events (part B's table).
CREATE TABLE file_stays (
  file_id INTEGER NOT NULL,
  department_id INTEGER NOT NULL,
  status TEXT NOT NULL,
  from_at INTEGER NOT NULL,
  to_at INTEGER NOT NULL
);
CREATE INDEX file_stays_ended ON file_stays (to_at, department_id, status, from_at);

CREATE TRIGGER file_events_stay AFTER INSERT ON file_events
BEGIN
  INSERT INTO file_stays (file_id, department_id, status, from_at, to_at)
  SELECT NEW.file_id, (SELECT department_id FROM files WHERE id = NEW.file_id), p.to_status, p.at, NEW.at
  FROM file_events p WHERE p.file_id = NEW.file_id AND p.id < NEW.id ORDER BY p.id DESC LIMIT 1;
END;

-- The stays of the history already recorded.
INSERT INTO file_stays (file_id, department_id, status, from_at, to_at)
SELECT e.file_id, f.department_id, e.prev_status, e.prev_at, e.at
FROM (SELECT file_id, at, lag(to_status) OVER w AS prev_status, lag(at) OVER w AS prev_at
      FROM file_events WINDOW w AS (PARTITION BY file_id ORDER BY id)) e
JOIN files f ON f.id = e.file_id
WHERE e.prev_status IS NOT NULL;
