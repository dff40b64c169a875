-- step old index set (12 indexes): drop the 4 order indexes, add the 8 of before
DROP INDEX registry_person_last_th_order, registry_person_first_th_order, registry_person_last_en_order, registry_person_first_en_order;
CREATE INDEX x1 ON registry_person (first_name_th); CREATE INDEX x2 ON registry_person (last_name_th);
CREATE INDEX x3 ON registry_person (last_name_en); CREATE INDEX x4 ON registry_person (citizen_id varchar_pattern_ops);
CREATE INDEX x5 ON registry_person (first_name_th varchar_pattern_ops); CREATE INDEX x6 ON registry_person (last_name_th varchar_pattern_ops);
CREATE INDEX x7 ON registry_person ((UPPER(first_name_en::text)) text_pattern_ops);
CREATE INDEX x8 ON registry_person ((UPPER(last_name_en::text)) text_pattern_ops)
-- step old index set: update 840,000 persons, a last name changes (no HOT)
UPDATE registry_person SET last_name_th = last_name_th || 'x', current_registration_id = current_registration_id WHERE id % 10 < 7
