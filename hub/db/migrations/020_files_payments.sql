-- Case files (inquiry numbers, checklist results, attachments, stage history) and the
-- treasury (payment orders, receipts numbered per year, voids, daily closes) — issue 4, part B.
-- Times are epoch milliseconds; days 'YYYY-MM-DD' (Cairo); money integer piasters.

CREATE TABLE files (
  id INTEGER PRIMARY KEY,
  inquiry TEXT NOT NULL UNIQUE,          -- canonical inquiry number with check digits (hub/domain/inquiry-number.ts)
  service_id INTEGER NOT NULL REFERENCES services(id),
  department_id INTEGER NOT NULL REFERENCES departments(id), -- the service's department when registered
  citizen_id INTEGER NOT NULL REFERENCES citizens(id),
  ticket_id INTEGER REFERENCES tickets(id), -- the queue ticket the citizen came with, if any
  status TEXT NOT NULL CHECK (status IN ('registered', 'technical_review', 'returned', 'refused', 'awaiting_payment', 'paid',
                                         'reviewed', 'approved', 'with_department', 'decided', 'ready', 'delivered')),
  fees_piasters INTEGER CHECK (fees_piasters >= 0), -- set by the technical review
  due_day TEXT,                          -- last day of the legal period, from the dispatch to the department
  decision TEXT CHECK (decision IN ('accepted', 'refused')),
  decision_reason TEXT,
  public_note TEXT,                      -- what the citizen reads on the status page
  approved_by TEXT, approved_at INTEGER, signature TEXT, stamp TEXT,
  delivered_to_name TEXT, delivered_to_national_id TEXT, delivered_id_document TEXT, delivered_at INTEGER, delivered_by TEXT,
  registered_at INTEGER NOT NULL,
  registered_by TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 1     -- optimistic lock: a stale update gets 409
);
CREATE INDEX files_status ON files (department_id, status);
CREATE INDEX files_citizen ON files (citizen_id);
CREATE INDEX files_ticket ON files (ticket_id);

CREATE TABLE file_counters (
  year INTEGER PRIMARY KEY,
  last INTEGER NOT NULL
);

-- The intake window's formal review against the service's checklist.
CREATE TABLE file_checklist (
  file_id INTEGER NOT NULL REFERENCES files(id),
  position INTEGER NOT NULL,
  label_ar TEXT NOT NULL,
  required INTEGER NOT NULL CHECK (required IN (0, 1)),
  present INTEGER NOT NULL CHECK (present IN (0, 1)),
  note TEXT,
  PRIMARY KEY (file_id, position)
) WITHOUT ROWID;

-- The fees fixed by the technical review (fixed items at their amount, variable ones as entered).
CREATE TABLE file_fees (
  file_id INTEGER NOT NULL REFERENCES files(id),
  code TEXT NOT NULL,
  position INTEGER NOT NULL,             -- the fee schedule's order
  label_ar TEXT NOT NULL,
  label_en TEXT NOT NULL,
  amount_piasters INTEGER NOT NULL CHECK (amount_piasters >= 0),
  PRIMARY KEY (file_id, code)
) WITHOUT ROWID;

-- Every stage change: who, when, from what to what, and why.
CREATE TABLE file_events (
  id INTEGER PRIMARY KEY,
  file_id INTEGER NOT NULL REFERENCES files(id),
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  actor_role TEXT NOT NULL,
  action TEXT NOT NULL,                  -- register, forward, review, pay, approve, ...
  from_status TEXT,
  to_status TEXT NOT NULL,
  note TEXT,
  public INTEGER NOT NULL DEFAULT 0 CHECK (public IN (0, 1))
);
CREATE INDEX file_events_file ON file_events (file_id, id);

-- Documents received, stored by content hash under <dataDir>/attachments (never the web root).
CREATE TABLE attachments (
  id INTEGER PRIMARY KEY,
  file_id INTEGER NOT NULL REFERENCES files(id),
  sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
  size INTEGER NOT NULL CHECK (size > 0),
  mime TEXT NOT NULL CHECK (mime IN ('application/pdf', 'image/jpeg', 'image/png')),
  name TEXT NOT NULL,                    -- the uploaded name, reduced to a safe base name, for display only
  label TEXT,                            -- which checklist document it is
  uploaded_at INTEGER NOT NULL,
  uploaded_by TEXT NOT NULL
);
CREATE INDEX attachments_file ON attachments (file_id);

-- إذن دفع: for a file's fees, or for revenues not tied to a file (housing, inspection fees).
CREATE TABLE payment_orders (
  id INTEGER PRIMARY KEY,
  file_id INTEGER REFERENCES files(id),
  service_id INTEGER NOT NULL REFERENCES services(id),
  payer_name TEXT NOT NULL,
  payer_national_id TEXT,
  reference TEXT,                        -- housing unit, meter or account number for revenues
  status TEXT NOT NULL CHECK (status IN ('open', 'paid', 'cancelled')),
  total_piasters INTEGER NOT NULL CHECK (total_piasters > 0),
  issued_at INTEGER NOT NULL,
  issued_by TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX payment_orders_file ON payment_orders (file_id);
CREATE INDEX payment_orders_status ON payment_orders (status);
-- At most one open or paid order per file: a file is not charged twice.
CREATE UNIQUE INDEX payment_orders_one_per_file ON payment_orders (file_id) WHERE file_id IS NOT NULL AND status IN ('open', 'paid');

CREATE TABLE payment_order_lines (
  order_id INTEGER NOT NULL REFERENCES payment_orders(id),
  code TEXT NOT NULL,
  position INTEGER NOT NULL,             -- the fee schedule's order
  label_ar TEXT NOT NULL,
  label_en TEXT NOT NULL,
  amount_piasters INTEGER NOT NULL CHECK (amount_piasters >= 0),
  PRIMARY KEY (order_id, code)
) WITHOUT ROWID;

-- The last receipt number per year: updated in the same transaction as the receipt, so the
-- numbers have no gap and no repeat.
CREATE TABLE receipt_counters (
  year INTEGER PRIMARY KEY,
  last INTEGER NOT NULL
);

-- إيصال: never deleted; a wrong one is voided (cashier asks, manager confirms).
CREATE TABLE receipts (
  id INTEGER PRIMARY KEY,
  year INTEGER NOT NULL,
  number INTEGER NOT NULL,
  order_id INTEGER NOT NULL REFERENCES payment_orders(id),
  day TEXT NOT NULL,                     -- the cashier day it belongs to
  total_piasters INTEGER NOT NULL CHECK (total_piasters > 0),
  cashier TEXT NOT NULL,
  window INTEGER,
  collected_at INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'valid' CHECK (status IN ('valid', 'void_requested', 'voided')),
  void_reason TEXT,
  void_requested_by TEXT, void_requested_at INTEGER,
  voided_by TEXT, voided_at INTEGER,
  UNIQUE (year, number)
);
CREATE INDEX receipts_cashier_day ON receipts (cashier, day);
CREATE INDEX receipts_order ON receipts (order_id);
CREATE TRIGGER receipts_no_delete BEFORE DELETE ON receipts
BEGIN SELECT RAISE(ABORT, 'receipts are never deleted; void them'); END;

-- The cashier's daily close: the totals handed over, frozen.
CREATE TABLE cash_closes (
  id INTEGER PRIMARY KEY,
  cashier TEXT NOT NULL,
  day TEXT NOT NULL,
  closed_at INTEGER NOT NULL,
  receipts INTEGER NOT NULL,
  total_piasters INTEGER NOT NULL,
  summary_json TEXT NOT NULL,
  UNIQUE (cashier, day)
);
