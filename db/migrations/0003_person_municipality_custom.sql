-- persons.municipality_code: the person domain's copy of the municipality of the registered address
-- (SE folkbokföringskommun, CPR KOMKOD), so the person subgraph searches by municipality without
-- joining the address domain. Kept here, in the database, by whatever writes addresses (the address
-- subgraph, the seed, fixtures): statement-level triggers, one UPDATE per statement however many rows.
CREATE OR REPLACE FUNCTION folkreg_sync_person_municipality() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE persons p
     SET municipality_code = cur.municipality_code
    FROM (SELECT ids.person_id,
                 (SELECT a.municipality_code FROM addresses a
                   WHERE a.person_id = ids.person_id AND a.kind = 'REGISTERED'
                     AND (a.valid_from IS NULL OR a.valid_from <= current_date)
                     AND (a.valid_to IS NULL OR a.valid_to > current_date)
                   ORDER BY a.valid_from DESC NULLS LAST, a.id DESC LIMIT 1) AS municipality_code
            FROM (SELECT DISTINCT person_id FROM changed_addresses) ids) cur
   WHERE p.id = cur.person_id AND p.municipality_code IS DISTINCT FROM cur.municipality_code;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER addresses_sync_person_municipality_ins AFTER INSERT ON addresses
  REFERENCING NEW TABLE AS changed_addresses FOR EACH STATEMENT EXECUTE FUNCTION folkreg_sync_person_municipality();
--> statement-breakpoint
CREATE TRIGGER addresses_sync_person_municipality_upd AFTER UPDATE ON addresses
  REFERENCING NEW TABLE AS changed_addresses FOR EACH STATEMENT EXECUTE FUNCTION folkreg_sync_person_municipality();
--> statement-breakpoint
UPDATE persons p SET municipality_code = a.municipality_code
  FROM (SELECT DISTINCT ON (person_id) person_id, municipality_code FROM addresses
         WHERE kind = 'REGISTERED' AND (valid_from IS NULL OR valid_from <= current_date)
           AND (valid_to IS NULL OR valid_to > current_date)
         ORDER BY person_id, valid_from DESC NULLS LAST, id DESC) a
 WHERE p.id = a.person_id;
