-- Open311 GeoReport v2 (issue 14 item 4): the api_keys the administrator issues to the
-- applications that may file complaints, and what a GeoReport submission may carry
-- beyond the window's complaint (address_id, the service's declared attributes).
--
-- A key is shown once when issued; only its SHA-256 is kept (the key is 32 random bytes,
-- so a fast hash is enough: nothing to guess), with a short prefix to tell keys apart in
-- the list. A revoked key stays, so the audit and the complaints it filed still name it.
CREATE TABLE open311_keys (
  id INTEGER PRIMARY KEY,
  label TEXT NOT NULL,                   -- who holds it: 'تطبيق المحافظة', 'FixMyStreet Cairo'
  key_hash TEXT NOT NULL UNIQUE,         -- hex SHA-256 of the key
  prefix TEXT NOT NULL,                  -- the key's first 8 characters, for people
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  revoked_at INTEGER,
  revoked_by TEXT
);

-- GeoReport's address_id (the jurisdiction's address repository id) as sent, and the
-- values of the service's declared attributes (JSON object code → value or values).
ALTER TABLE complaints ADD COLUMN address_id TEXT;
ALTER TABLE complaints ADD COLUMN attributes TEXT;
-- Which key filed an Open311 complaint (null for the window's); a key's last use and count
-- of complaints are read from here.
ALTER TABLE complaints ADD COLUMN open311_key_id INTEGER REFERENCES open311_keys(id);
