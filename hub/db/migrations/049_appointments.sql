-- Booked appointments merged into the day's queue (issue 14 item 3; rules in
-- hub/domain/appointments.ts, service in hub/services/appointments.ts).
--  appointment_settings: the center's rules, one row (slot length, bookings per window and
--    slot, the arrival window: no earlier than early_min before the slot, later than
--    late_min after it → an ordinary ticket, and how many days ahead one may book).
--    Opening days and hours are the center's (SHUBBAK_OPEN_DAYS/FROM/UNTIL, with a line's
--    own hours inside them); the official holidays are the catalog's `holidays` table.
--  appointments: one booking. The national ID is stored as the citizen register stores it
--    (14 ASCII digits, citizens.national_id); the mobile in the SMS outbox's international
--    form (20XXXXXXXXXX). A booking never checked in by slot end + late_min is a no-show
--    in the queue report (hub/services/reports/queue-stats.ts); it keeps status 'booked'.
CREATE TABLE appointment_settings (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  slot_min INTEGER NOT NULL DEFAULT 15 CHECK (slot_min BETWEEN 5 AND 240),
  per_window INTEGER NOT NULL DEFAULT 1 CHECK (per_window BETWEEN 0 AND 100),
  early_min INTEGER NOT NULL DEFAULT 10 CHECK (early_min BETWEEN 0 AND 240),
  late_min INTEGER NOT NULL DEFAULT 15 CHECK (late_min BETWEEN 0 AND 240),
  days_ahead INTEGER NOT NULL DEFAULT 14 CHECK (days_ahead BETWEEN 0 AND 90),
  updated_at INTEGER,
  updated_by TEXT
);
INSERT INTO appointment_settings (id) VALUES (1);

CREATE TABLE appointments (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE CHECK (length(code) = 8),   -- digits, the last a check digit (typed on the kiosk keypad)
  line TEXT NOT NULL REFERENCES lines(letter),
  day TEXT NOT NULL,                   -- Cairo day 'YYYY-MM-DD'
  slot_hm TEXT NOT NULL,               -- the slot's start, 'HH:MM' Cairo time
  slot_at INTEGER NOT NULL,            -- the slot's start instant (epoch ms)
  slot_end_at INTEGER NOT NULL,        -- its end (the slot length when booked)
  national_id TEXT NOT NULL CHECK (length(national_id) = 14),
  mobile TEXT NOT NULL,                -- 20XXXXXXXXXX
  status TEXT NOT NULL DEFAULT 'booked' CHECK (status IN ('booked', 'checked_in', 'no_show', 'cancelled')),
  late INTEGER NOT NULL DEFAULT 0 CHECK (late IN (0, 1)),  -- checked in later than late_min: an ordinary ticket
  ticket_id INTEGER REFERENCES tickets(id),
  created_at INTEGER NOT NULL,
  checked_in_at INTEGER,
  cancelled_at INTEGER
);
-- One live booking per person, line and day (the service refuses first; this is the floor).
CREATE UNIQUE INDEX appointments_one_a_day ON appointments (national_id, line, day) WHERE status <> 'cancelled';
CREATE INDEX appointments_slot ON appointments (line, slot_at) WHERE status <> 'cancelled';
CREATE INDEX appointments_ticket ON appointments (ticket_id) WHERE ticket_id IS NOT NULL;
CREATE INDEX appointments_day ON appointments (day);
