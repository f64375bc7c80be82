-- The queue side: lines, windows, tickets and their history, devices, command log.
-- Times are epoch milliseconds; days are 'YYYY-MM-DD' in the center's zone.

CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
INSERT INTO meta (key, value) VALUES ('hall_seq', '0');

CREATE TABLE lines (
  letter TEXT PRIMARY KEY CHECK (length(letter) = 1 AND letter BETWEEN 'A' AND 'Z'),
  name_ar TEXT NOT NULL,
  name_en TEXT NOT NULL,
  open INTEGER NOT NULL DEFAULT 1 CHECK (open IN (0, 1)),
  sort INTEGER NOT NULL DEFAULT 0,
  seq INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE windows (
  number INTEGER PRIMARY KEY CHECK (number BETWEEN 1 AND 999),
  label_ar TEXT NOT NULL,
  label_en TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'idle' CHECK (status IN ('idle', 'serving', 'paused', 'closed')),
  current_visit INTEGER REFERENCES visits(id),
  clerk TEXT,                          -- who is at the window now ('user:12'), if known
  status_since INTEGER NOT NULL DEFAULT 0,
  seq INTEGER NOT NULL DEFAULT 0
);

-- Which lines a window serves (it calls the best of their heads: priority, then the longest wait).
CREATE TABLE window_lines (
  window INTEGER NOT NULL REFERENCES windows(number) ON DELETE CASCADE,
  line TEXT NOT NULL REFERENCES lines(letter),
  PRIMARY KEY (window, line)
);

-- The last number issued per line and day: the only source of new numbers.
CREATE TABLE ticket_counters (
  day TEXT NOT NULL,
  letter TEXT NOT NULL,
  last INTEGER NOT NULL,
  PRIMARY KEY (day, letter)
) WITHOUT ROWID;

-- A ticket is what the citizen holds: a letter and a daily number.
CREATE TABLE tickets (
  id INTEGER PRIMARY KEY,
  day TEXT NOT NULL,
  letter TEXT NOT NULL,
  number INTEGER NOT NULL,
  label TEXT NOT NULL,                 -- 'A012'
  priority INTEGER NOT NULL DEFAULT 0 CHECK (priority IN (0, 1)),
  issued_at INTEGER NOT NULL,
  issued_by TEXT NOT NULL,             -- 'device:kiosk-1' | 'user:5'
  cancelled_at INTEGER,
  cancel_reason TEXT,
  file_id INTEGER,                     -- the case file it came for, once registered
  UNIQUE (day, letter, number)         -- no number twice a day on a line
);

-- A visit is one stay of a ticket in one line's queue, from entering it to leaving it.
-- A transfer ends one visit and starts another in the new line with the same ticket.
CREATE TABLE visits (
  id INTEGER PRIMARY KEY,
  ticket_id INTEGER NOT NULL REFERENCES tickets(id),
  line TEXT NOT NULL REFERENCES lines(letter),
  status TEXT NOT NULL CHECK (status IN ('waiting', 'called', 'serving', 'done', 'no_show', 'transferred', 'parked', 'cancelled')),
  priority INTEGER NOT NULL DEFAULT 0,  -- copied from the ticket: priority visits are called first
  queued_at INTEGER NOT NULL,          -- the order key within the line
  called_at INTEGER,
  last_call_at INTEGER,                -- the latest call or recall, for the boards to blink
  started_at INTEGER,
  ended_at INTEGER,
  window INTEGER REFERENCES windows(number),
  served_by TEXT,
  recalls INTEGER NOT NULL DEFAULT 0,
  no_shows INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX visits_waiting ON visits (line, priority DESC, queued_at, id) WHERE status = 'waiting';
CREATE INDEX visits_ticket ON visits (ticket_id);
CREATE INDEX visits_line_ended ON visits (line, ended_at) WHERE status = 'done';

-- Every change of a visit, for the history and the statistics.
CREATE TABLE visit_events (
  id INTEGER PRIMARY KEY,
  visit_id INTEGER NOT NULL REFERENCES visits(id),
  at INTEGER NOT NULL,
  event TEXT NOT NULL,                 -- issued, called, recalled, started, done, no_show, requeued, transferred, parked, cancelled
  window INTEGER,
  actor TEXT NOT NULL
);
CREATE INDEX visit_events_visit ON visit_events (visit_id);
CREATE INDEX visit_events_at ON visit_events (at);

-- Calls as shown on the hall board (the newest ten of the day are published).
CREATE TABLE calls (
  id INTEGER PRIMARY KEY,
  day TEXT NOT NULL,
  at INTEGER NOT NULL,
  label TEXT NOT NULL,
  window INTEGER NOT NULL,
  recall INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX calls_day ON calls (day, id);

CREATE TABLE devices (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('kiosk', 'keypad', 'display', 'hall')),
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

-- Exactly once: every command id a device sent, with the reply it got.
CREATE TABLE device_commands (
  device_id TEXT NOT NULL,
  command_id TEXT NOT NULL,
  type TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  reply TEXT NOT NULL,
  PRIMARY KEY (device_id, command_id)
) WITHOUT ROWID;
CREATE INDEX device_commands_received ON device_commands (received_at);
