-- step settings
SET LOCAL maintenance_work_mem = '256MB'
-- step old person first_name_th (plain)
CREATE INDEX x1 ON registry_person (first_name_th)
-- step old person last_name_th (plain)
CREATE INDEX x2 ON registry_person (last_name_th)
-- step old person last_name_en (plain)
CREATE INDEX x3 ON registry_person (last_name_en)
-- step old person citizen_id like
CREATE INDEX x4 ON registry_person (citizen_id varchar_pattern_ops)
-- step old person first_th_prefix
CREATE INDEX x5 ON registry_person (first_name_th varchar_pattern_ops)
-- step old person last_th_prefix
CREATE INDEX x6 ON registry_person (last_name_th varchar_pattern_ops)
-- step old person first_en_prefix
CREATE INDEX x7 ON registry_person ((UPPER(first_name_en::text)) text_pattern_ops)
-- step old person last_en_prefix
CREATE INDEX x8 ON registry_person ((UPPER(last_name_en::text)) text_pattern_ops)
-- step old registration main_unit (Meta)
CREATE INDEX x9 ON registry_registration (main_unit_id)
-- step old registration primary_unit (Meta)
CREATE INDEX x10 ON registry_registration (primary_unit_id)
-- step old registration person_id (FK)
CREATE INDEX x11 ON registry_registration (person_id)
-- step old coverage person, valid_from (Meta)
CREATE INDEX x12 ON registry_coverage (person_id, valid_from)
-- step old coverage person_id (FK)
CREATE INDEX x13 ON registry_coverage (person_id)
-- step new person last_th_order
CREATE INDEX y1 ON registry_person (last_name_th COLLATE "C", first_name_th COLLATE "C", id)
-- step new person first_th_order
CREATE INDEX y2 ON registry_person (first_name_th COLLATE "C", last_name_th COLLATE "C", id)
-- step new person last_en_order
CREATE INDEX y3 ON registry_person ((UPPER(last_name_en::text) COLLATE "C"), (UPPER(first_name_en::text) COLLATE "C"), id)
-- step new person first_en_order
CREATE INDEX y4 ON registry_person ((UPPER(first_name_en::text) COLLATE "C"), (UPPER(last_name_en::text) COLLATE "C"), id)
