-- SMS to citizens over SMPP 3.4 (issue 14 item 2; hub/sms/). Three tables:
--  sms_subscriptions: a mobile number given at reception (with a ticket) or at intake (with
--    a file); the triggers (hub/sms/triggers.ts) compare what they already told it with the
--    queue's and the file's state inside each committing transaction.
--  sms_outbox: one message to send, written in the same transaction as the event that
--    causes it, so a committed event always has its message and a rolled-back one never;
--    the sender (hub/sms/smpp-sender.ts) drains it and records what the SMSC answered.
--  sms_parts: one row per submit_sm the SMSC acknowledged (a long message has several),
--    with the message_id of its submit_sm_resp and the delivery receipt of its deliver_sm.
CREATE TABLE sms_subscriptions (
  id INTEGER PRIMARY KEY,
  mobile TEXT NOT NULL,                -- international form 20XXXXXXXXXX
  ticket_id INTEGER REFERENCES tickets(id),
  file_id INTEGER REFERENCES files(id),
  day TEXT NOT NULL,                   -- Cairo day it was given
  called_visit INTEGER,                -- the visit whose call was last announced
  ahead_visit INTEGER,                 -- the visit whose "N ahead" was last announced
  file_status TEXT,                    -- the file stage last announced
  done INTEGER NOT NULL DEFAULT 0,     -- nothing more to tell (ticket finished)
  created_at INTEGER NOT NULL,
  CHECK ((ticket_id IS NULL) <> (file_id IS NULL))
);
CREATE INDEX sms_subscriptions_active ON sms_subscriptions (done, day) WHERE ticket_id IS NOT NULL;
CREATE INDEX sms_subscriptions_files ON sms_subscriptions (file_id) WHERE file_id IS NOT NULL;

CREATE TABLE sms_outbox (
  id INTEGER PRIMARY KEY,
  mobile TEXT NOT NULL,                -- 20XXXXXXXXXX
  text TEXT NOT NULL,
  kind TEXT NOT NULL,                  -- issued | ahead | called | file_stage | ...
  ticket_id INTEGER REFERENCES tickets(id),
  file_id INTEGER REFERENCES files(id),
  day TEXT NOT NULL,                   -- Cairo day it was queued (the daily cap counts by it)
  -- queued: waiting to be (re)submitted; submitted: every part acknowledged by submit_sm_resp;
  -- failed: refused for good or out of attempts; capped: over the number's daily cap, never sent;
  -- expired: a queue message still waiting when its day ended (the kill switch was on)
  state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'submitted', 'failed', 'capped', 'expired')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  expires_at INTEGER,                  -- null: no end (a file's news waits for the link)
  concat_ref INTEGER,                  -- the 8-bit reference of its concatenation UDH (long messages)
  parts_total INTEGER NOT NULL,
  parts_done INTEGER NOT NULL DEFAULT 0,  -- parts acknowledged; a retry resumes after them
  last_error TEXT,
  receipt_state TEXT,                  -- DELIVRD when every part is, else the last part's stat
  created_at INTEGER NOT NULL,
  submitted_at INTEGER,
  receipt_at INTEGER
);
CREATE INDEX sms_outbox_due ON sms_outbox (next_attempt_at) WHERE state = 'queued';
CREATE INDEX sms_outbox_cap ON sms_outbox (mobile, day);

CREATE TABLE sms_parts (
  outbox_id INTEGER NOT NULL REFERENCES sms_outbox(id),
  part INTEGER NOT NULL,               -- 1-based
  message_id TEXT NOT NULL,
  submitted_at INTEGER NOT NULL,
  receipt_state TEXT,
  receipt_at INTEGER,
  PRIMARY KEY (outbox_id, part)
);
CREATE INDEX sms_parts_message ON sms_parts (message_id);

-- The runtime switch and the center's setting, changed by the administrator (PUT /api/sms/settings).
CREATE TABLE sms_settings (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  paused INTEGER NOT NULL DEFAULT 0,
  ahead_alert INTEGER NOT NULL DEFAULT 3,
  updated_at INTEGER,
  updated_by TEXT
);
INSERT INTO sms_settings (id) VALUES (1);
