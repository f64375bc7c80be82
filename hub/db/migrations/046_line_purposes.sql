-- What each line is for (issue 12 item 2): the back office sends a citizen with fees to
-- the line whose purpose is 'treasury' and a returning citizen to the 'delivery' line,
-- instead of the demo's letters B and C written in the code. At most one line per purpose.
ALTER TABLE lines ADD COLUMN purpose TEXT CHECK (purpose IS NULL OR purpose IN ('intake', 'treasury', 'delivery', 'citizen_service'));
CREATE UNIQUE INDEX lines_one_per_purpose ON lines (purpose) WHERE purpose IS NOT NULL;
-- A center set up before this migration kept the demo's lines (hub/db/seed.ts): their
-- purposes follow from their names, so files keep reaching the same lines after the upgrade.
-- Any other center sets its purposes on the administrator's Lines screen.
UPDATE lines SET purpose = 'intake' WHERE name_ar = 'استلام الطلبات';
UPDATE lines SET purpose = 'treasury' WHERE name_ar = 'الخزينة';
UPDATE lines SET purpose = 'delivery' WHERE name_ar = 'تسليم المعاملات';
UPDATE lines SET purpose = 'citizen_service' WHERE name_ar = 'خدمة المواطنين';
