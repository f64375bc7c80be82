-- Complaints, the public meeting day (لقاء الجماهير) and the manager's inspections.

CREATE TABLE complaints (
  id INTEGER PRIMARY KEY,
  inquiry TEXT NOT NULL UNIQUE,          -- the citizen's inquiry number (with check digit)
  citizen_id INTEGER REFERENCES citizens(id), -- null only for Open311 submissions without a national ID
  contact_name TEXT,                     -- Open311 submitter without a citizen record
  contact_phone TEXT,
  department_id INTEGER NOT NULL REFERENCES departments(id),
  channel TEXT NOT NULL CHECK (channel IN ('window', 'open311')),
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  address TEXT,
  lat REAL,
  long REAL,
  status TEXT NOT NULL CHECK (status IN ('registered', 'with_department', 'answered', 'closed')),
  due_day TEXT NOT NULL,                 -- last day of the period to answer, 'YYYY-MM-DD' (Cairo)
  response TEXT,                         -- the department's answer (internal record)
  public_note TEXT,                      -- what the citizen may read on the status page
  registered_at INTEGER NOT NULL,
  registered_by TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  closed_at INTEGER,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX complaints_department ON complaints (department_id, status);
CREATE INDEX complaints_citizen ON complaints (citizen_id);

-- The numbers handed out per year: the only source of new complaint numbers.
CREATE TABLE complaint_counters (
  year INTEGER PRIMARY KEY,
  last INTEGER NOT NULL
);

-- Every step of a complaint, with the notes the citizen may see marked public.
CREATE TABLE complaint_events (
  id INTEGER PRIMARY KEY,
  complaint_id INTEGER NOT NULL REFERENCES complaints(id),
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  event TEXT NOT NULL,                   -- registered, forwarded, answered, closed
  from_status TEXT,
  to_status TEXT NOT NULL,
  note TEXT,
  public INTEGER NOT NULL DEFAULT 0 CHECK (public IN (0, 1))
);
CREATE INDEX complaint_events_complaint ON complaint_events (complaint_id, id);

CREATE TABLE meetings (
  id INTEGER PRIMARY KEY,
  day TEXT NOT NULL UNIQUE,              -- 'YYYY-MM-DD'
  title_ar TEXT NOT NULL,
  capacity INTEGER NOT NULL CHECK (capacity BETWEEN 1 AND 1000),
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'held', 'cancelled')),
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL
);

CREATE TABLE meeting_registrations (
  id INTEGER PRIMARY KEY,
  meeting_id INTEGER NOT NULL REFERENCES meetings(id),
  citizen_id INTEGER NOT NULL REFERENCES citizens(id),
  position INTEGER NOT NULL,             -- order of speaking: order of registration
  subject TEXT NOT NULL,
  registered_at INTEGER NOT NULL,
  registered_by TEXT NOT NULL,
  outcome TEXT,
  outcome_at INTEGER,
  outcome_by TEXT,
  UNIQUE (meeting_id, citizen_id),       -- no double registration
  UNIQUE (meeting_id, position)
);

-- The manager's surprise inspections of files and complaints.
CREATE TABLE inspections (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  inspector TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  note TEXT
);
CREATE INDEX inspections_entity ON inspections (entity, entity_id);
