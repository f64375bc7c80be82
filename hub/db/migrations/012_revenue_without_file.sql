-- Revenues without a file (issue 11 item 9): the revenue window may issue a payment order
-- with no case file only for the catalog items marked so (housing rent, inspection fees …);
-- a building permit's fees are charged on its file after the technical review, never alone.
ALTER TABLE services ADD COLUMN without_file INTEGER NOT NULL DEFAULT 0 CHECK (without_file IN (0, 1));

-- The demo catalog's one such item, on installations seeded before this flag existed.
UPDATE services SET without_file = 1 WHERE code = 'HOUSING-RENT' AND demo = 1;
