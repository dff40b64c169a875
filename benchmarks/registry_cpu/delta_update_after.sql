-- step shipped index set (English order indexes partial, as migration 0007 now builds them)
DROP INDEX registry_person_last_en_order, registry_person_first_en_order;
CREATE INDEX y3 ON registry_person ((UPPER(last_name_en::text) COLLATE "C"), (UPPER(first_name_en::text) COLLATE "C"), id) WHERE last_name_en <> '';
CREATE INDEX y4 ON registry_person ((UPPER(first_name_en::text) COLLATE "C"), (UPPER(last_name_en::text) COLLATE "C"), id) WHERE first_name_en <> ''
-- step new index set (8 indexes): update 840,000 persons, a last name changes (no HOT)
UPDATE registry_person SET last_name_th = last_name_th || 'x', current_registration_id = current_registration_id WHERE id % 10 < 7
