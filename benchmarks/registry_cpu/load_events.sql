-- step staged (1,000,000 persons as a load stages them)
CREATE TEMP TABLE st AS SELECT p.id AS person_id, true AS is_new, true AS coverage, c.id AS coverage_id,
  k.code AS scheme_code, c.valid_from AS coverage_from, r.id IS NOT NULL AS registration, r.id AS registration_id,
  mu.code AS main_code, pu.code AS primary_code, ru.code AS referral_code, r.effective_from AS registered_from,
  coalesce(r.is_change, false) AS is_change
  FROM registry_person p JOIN registry_coverage c ON c.person_id = p.id AND c.valid_to IS NULL
  JOIN registry_scheme k ON k.id = c.scheme_id LEFT JOIN registry_registration r ON r.id = p.current_registration_id
  LEFT JOIN providers_healthunit mu ON mu.id = r.main_unit_id LEFT JOIN providers_healthunit pu ON pu.id = r.primary_unit_id
  LEFT JOIN providers_healthunit ru ON ru.id = r.referral_unit_id ORDER BY p.id LIMIT 1000000
-- step tables
CREATE TABLE ev_old (id bigserial PRIMARY KEY, person_id bigint, kind varchar(30), at timestamptz, actor_id int, detail jsonb);
CREATE TABLE ev_new (id bigserial PRIMARY KEY, person_id bigint, kind varchar(30), at timestamptz, actor_id int, detail jsonb)
-- step old: person_added
INSERT INTO ev_old (person_id, kind, at, actor_id, detail) SELECT person_id, 'person_added', now(), NULL, jsonb_build_object('source', CAST('import 1' AS TEXT)) FROM st WHERE is_new
-- step old: coverage_added
INSERT INTO ev_old (person_id, kind, at, actor_id, detail) SELECT person_id, 'coverage_added', now(), NULL, jsonb_build_object('coverage', coverage_id, 'scheme', scheme_code, 'valid_from', CAST(coverage_from AS TEXT), 'valid_to', NULL, 'source', CAST('import 1' AS TEXT)) FROM st WHERE coverage
-- step old: registered
INSERT INTO ev_old (person_id, kind, at, actor_id, detail) SELECT person_id, 'registered', now(), NULL, jsonb_build_object('registration', registration_id, 'main', main_code, 'primary', primary_code, 'referral', referral_code, 'effective_from', CAST(registered_from AS TEXT), 'change', is_change, 'source', CAST('import 1' AS TEXT)) FROM st WHERE registration
-- step new: person_added with scheme and units
INSERT INTO ev_new (person_id, kind, at, actor_id, detail) SELECT person_id, 'person_added', now(), NULL, jsonb_strip_nulls(jsonb_build_object('source', CAST('import 1' AS TEXT), 'scheme', scheme_code, 'coverage_from', CAST(coverage_from AS TEXT), 'main', CASE WHEN registration THEN main_code END, 'primary', CASE WHEN registration THEN primary_code END, 'referral', CASE WHEN registration THEN referral_code END, 'registered_from', CASE WHEN registration THEN CAST(registered_from AS TEXT) END)) FROM st WHERE is_new
-- step index old person_id
CREATE INDEX ON ev_old (person_id)
-- step index new person_id
CREATE INDEX ON ev_new (person_id)
-- step sizes
SELECT pg_total_relation_size('ev_old'), pg_total_relation_size('ev_new')
