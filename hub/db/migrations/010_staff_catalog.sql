-- Staff, sessions, the service catalog, citizens and the audit trail (issue 4, part A).
-- Times are epoch milliseconds; days are 'YYYY-MM-DD' in the center's zone; money is
-- integer piasters.

CREATE TABLE departments (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,           -- 'ENG', used by Open311 as service_code
  name_ar TEXT NOT NULL,
  name_en TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  demo INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1))
);

CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE COLLATE NOCASE,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('manager', 'reception', 'intake', 'representative', 'revenue', 'cashier',
                                     'delivery', 'citizen_service', 'supervisor', 'information', 'admin')),
  password_hash TEXT NOT NULL,         -- scrypt$N$r$p$salt$hash (see hub/auth/password.ts)
  must_change_password INTEGER NOT NULL DEFAULT 1 CHECK (must_change_password IN (0, 1)),
  window INTEGER REFERENCES windows(number) ON DELETE SET NULL,
  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  demo INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1)),
  version INTEGER NOT NULL DEFAULT 1,  -- optimistic lock for admin edits
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  password_changed_at INTEGER
);

-- A representative or supervisor sees only the departments listed here.
CREATE TABLE user_departments (
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  department_id INTEGER NOT NULL REFERENCES departments(id),
  PRIMARY KEY (user_id, department_id)
) WITHOUT ROWID;

-- A signed-in browser. The cookie carries a random token; only its sha256 is stored, so
-- a copy of the database does not hand out live sessions.
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,         -- absolute end (a working day)
  ip TEXT NOT NULL DEFAULT '',
  user_agent TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions (user_id);

-- Failed sign-ins per (username, address), for throttling guessers.
CREATE TABLE login_failures (
  key TEXT PRIMARY KEY,                -- lower(username) || '|' || ip
  failures INTEGER NOT NULL,
  first_at INTEGER NOT NULL,
  locked_until INTEGER
) WITHOUT ROWID;

CREATE TABLE services (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  department_id INTEGER NOT NULL REFERENCES departments(id),
  name_ar TEXT NOT NULL,
  name_en TEXT NOT NULL,
  legal_period_days INTEGER NOT NULL CHECK (legal_period_days BETWEEN 0 AND 3650),
  period_kind TEXT NOT NULL DEFAULT 'calendar' CHECK (period_kind IN ('calendar', 'working')),
  requirements_ar TEXT NOT NULL DEFAULT '',
  requirements_en TEXT NOT NULL DEFAULT '',
  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  demo INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1)),
  version INTEGER NOT NULL DEFAULT 1,
  updated_at INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX services_department ON services (department_id);

-- The documents the intake window checks, in order.
CREATE TABLE service_checklist_items (
  service_id INTEGER NOT NULL REFERENCES services(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  label_ar TEXT NOT NULL,
  label_en TEXT NOT NULL DEFAULT '',
  required INTEGER NOT NULL DEFAULT 1 CHECK (required IN (0, 1)),
  PRIMARY KEY (service_id, position)
) WITHOUT ROWID;

-- Fees by law: fixed, or entered by the representative within [min, max].
CREATE TABLE service_fee_items (
  service_id INTEGER NOT NULL REFERENCES services(id) ON DELETE CASCADE,
  code TEXT NOT NULL,
  position INTEGER NOT NULL DEFAULT 0,
  label_ar TEXT NOT NULL,
  label_en TEXT NOT NULL DEFAULT '',
  kind TEXT NOT NULL CHECK (kind IN ('fixed', 'variable')),
  amount_piasters INTEGER CHECK (amount_piasters >= 0),
  min_piasters INTEGER CHECK (min_piasters >= 0),
  max_piasters INTEGER CHECK (max_piasters >= 0),
  PRIMARY KEY (service_id, code),
  CHECK ((kind = 'fixed' AND amount_piasters IS NOT NULL)
      OR (kind = 'variable' AND min_piasters IS NOT NULL AND max_piasters IS NOT NULL AND min_piasters <= max_piasters))
) WITHOUT ROWID;

-- Official holidays: not working days for legal periods counted in working days.
CREATE TABLE holidays (
  day TEXT PRIMARY KEY CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
  name_ar TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE citizens (
  id INTEGER PRIMARY KEY,
  national_id TEXT NOT NULL UNIQUE CHECK (length(national_id) = 14),
  name TEXT NOT NULL,
  mobile TEXT,
  birth_date TEXT NOT NULL,            -- from the national ID
  governorate_code TEXT NOT NULL,
  gender TEXT NOT NULL CHECK (gender IN ('male', 'female')),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

-- Append-only, hash-chained: each row commits to the previous one (hub/domain/audit-chain.ts).
CREATE TABLE audit_events (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,                 -- 'user:5', 'device:kiosk-1', 'citizen:open311', 'system'
  action TEXT NOT NULL,                -- 'complaint.register', 'user.create', ...
  entity TEXT NOT NULL,                -- 'complaint', 'user', 'file', ...
  entity_id TEXT NOT NULL,
  before_json TEXT,
  after_json TEXT,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL UNIQUE
);
CREATE INDEX audit_entity ON audit_events (entity, entity_id, id);
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
