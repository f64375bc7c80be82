-- A line's own rules, set on the administrator's Lines screen (issue 11, item 17):
-- whether priority tickets (elderly, disabled) are called first on it, and its own
-- opening hours in center time ('HH:MM'; NULL = the center's hours). The kiosk refuses a
-- ticket outside a line's hours with LINE_CLOSED, as for a line closed by hand.
ALTER TABLE lines ADD COLUMN priority_first INTEGER NOT NULL DEFAULT 1 CHECK (priority_first IN (0, 1));
ALTER TABLE lines ADD COLUMN open_from TEXT CHECK (open_from IS NULL OR open_from GLOB '[0-2][0-9]:[0-5][0-9]');
ALTER TABLE lines ADD COLUMN open_until TEXT CHECK (open_until IS NULL OR open_until GLOB '[0-2][0-9]:[0-5][0-9]');
