-- persons.municipality_code: the person domain's copy of the municipality of the registered address
-- (SE folkbokföringskommun, CPR KOMKOD), so the person subgraph searches by municipality without
-- joining the address domain. Kept here, in the database, whoever writes addresses (the address
-- subgraph, the seed, fixtures): statement-level triggers that read the changed rows themselves, and
-- look the address table up only for persons whose registered address ended without a successor.
CREATE OR REPLACE FUNCTION folkreg_sync_person_municipality() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE persons p SET municipality_code = cur.municipality_code
    FROM (SELECT DISTINCT ON (person_id) person_id, municipality_code FROM changed_addresses
           WHERE kind = 'REGISTERED' AND (valid_from IS NULL OR valid_from <= current_date)
             AND (valid_to IS NULL OR valid_to > current_date)
           ORDER BY person_id, valid_from DESC NULLS LAST, id DESC) cur
   WHERE p.id = cur.person_id AND p.municipality_code IS DISTINCT FROM cur.municipality_code;
  UPDATE persons p
     SET municipality_code = (SELECT a.municipality_code FROM addresses a
                               WHERE a.person_id = p.id AND a.kind = 'REGISTERED'
                                 AND (a.valid_from IS NULL OR a.valid_from <= current_date)
                                 AND (a.valid_to IS NULL OR a.valid_to > current_date)
                               ORDER BY a.valid_from DESC NULLS LAST, a.id DESC LIMIT 1)
   WHERE p.id IN (SELECT person_id FROM changed_addresses WHERE kind = 'REGISTERED' AND valid_to <= current_date)
     AND p.id NOT IN (SELECT person_id FROM changed_addresses WHERE kind = 'REGISTERED'
                        AND (valid_from IS NULL OR valid_from <= current_date) AND (valid_to IS NULL OR valid_to > current_date))
     AND p.municipality_code IS NOT NULL;
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
