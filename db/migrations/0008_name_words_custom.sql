-- person_name_words: the distinct words of each person's current name search key (person_names.search_key,
-- valid_to IS NULL). Statement-level triggers, so a bulk insert (the seed) costs one statement.
-- Inserted current names add their words; an update (a name ended or corrected) rebuilds the words of the
-- persons it touched from their current names. Whichever order a name change ends the old row and
-- inserts the new one in, the words end up those of the current name.
CREATE OR REPLACE FUNCTION folkreg_add_person_name_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO person_name_words (person_id, word)
    SELECT DISTINCT n.person_id, word
      FROM changed_names n CROSS JOIN LATERAL regexp_split_to_table(n.search_key, '[[:space:][:punct:]]+') AS word
     WHERE n.valid_to IS NULL AND word <> ''
    ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION folkreg_rebuild_person_name_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM person_name_words w USING (SELECT DISTINCT person_id FROM changed_names) c WHERE w.person_id = c.person_id;
  INSERT INTO person_name_words (person_id, word)
    SELECT DISTINCT n.person_id, word
      FROM person_names n
      JOIN (SELECT DISTINCT person_id FROM changed_names) c ON c.person_id = n.person_id
      CROSS JOIN LATERAL regexp_split_to_table(n.search_key, '[[:space:][:punct:]]+') AS word
     WHERE n.valid_to IS NULL AND word <> ''
    ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER person_names_sync_words_ins AFTER INSERT ON person_names
  REFERENCING NEW TABLE AS changed_names FOR EACH STATEMENT EXECUTE FUNCTION folkreg_add_person_name_words();
--> statement-breakpoint
CREATE TRIGGER person_names_sync_words_upd AFTER UPDATE ON person_names
  REFERENCING NEW TABLE AS changed_names FOR EACH STATEMENT EXECUTE FUNCTION folkreg_rebuild_person_name_words();
--> statement-breakpoint
INSERT INTO person_name_words (person_id, word)
  SELECT DISTINCT n.person_id, word
    FROM person_names n CROSS JOIN LATERAL regexp_split_to_table(n.search_key, '[[:space:][:punct:]]+') AS word
   WHERE n.valid_to IS NULL AND word <> ''
  ON CONFLICT DO NOTHING;
