-- A name search of two or more words answered from the name words' own indexes (issue 21 item 4;
-- README "Benchmark").
--
-- person_name_words carries its person's current name search key(s) (`name_key`: person_names.search_key
-- of the current names, space-joined in byte order), INCLUDEd in both word indexes. Before, a search of
-- `anna lofgren` walked the driving word's run (`lofgren`, 1,430 persons at 1,000,000) and checked each
-- candidate's other words on their person_names row — an index probe and a heap fetch per candidate:
-- 5,776 buffers, 8.5–71 ms. Now the same test, `to_tsvector('simple', name_key) @@ to_tsquery(…)`, runs on
-- the index entry itself.
--
-- The key follows the names by the name triggers (0008, 0025, 0040), which already rebuild a person's
-- words from their current names in the statement that changes them; the persons trigger of 0040 is
-- unchanged (a move does not change the name). With one current name a person (what every writer
-- keeps), the test is the one it replaces; were there two, a query's words could be found one in each.
DROP INDEX IF EXISTS "person_name_words_word_idx";
--> statement-breakpoint
DROP INDEX IF EXISTS "person_name_words_municipality_idx";
--> statement-breakpoint
ALTER TABLE "person_name_words" ADD COLUMN "name_key" text;
--> statement-breakpoint
TRUNCATE "person_name_words";
--> statement-breakpoint
INSERT INTO person_name_words (person_id, word, prev_word, municipality_code, birth_date, country, name_key)
  SELECT d.person_id, d.word, lag(d.word) OVER (PARTITION BY d.person_id ORDER BY d.word COLLATE "C"), p.municipality_code, p.birth_date, p.country, k.name_key
    FROM (SELECT DISTINCT n.person_id, word
            FROM person_names n CROSS JOIN LATERAL regexp_split_to_table(n.search_key, '[[:space:][:punct:]]+') AS word
           WHERE n.valid_to IS NULL AND word <> '') d
    JOIN persons p ON p.id = d.person_id
    JOIN (SELECT n.person_id, string_agg(n.search_key, ' ' ORDER BY n.search_key COLLATE "C") AS name_key
            FROM person_names n WHERE n.valid_to IS NULL GROUP BY n.person_id) k ON k.person_id = d.person_id;
--> statement-breakpoint
CREATE INDEX "person_name_words_word_idx" ON "person_name_words" USING btree (("word" collate "C"), "person_id") INCLUDE ("prev_word", "birth_date", "country", "name_key");
--> statement-breakpoint
CREATE INDEX "person_name_words_municipality_idx" ON "person_name_words" USING btree ("municipality_code", ("word" collate "C"), "person_id") INCLUDE ("prev_word", "birth_date", "country", "name_key") WHERE "municipality_code" IS NOT NULL;
--> statement-breakpoint
-- The words of the given current names (person, search key; one person's names all in the arrays or none),
-- with the person's filter copies and name key: what both name triggers write once they know the names.
CREATE OR REPLACE FUNCTION folkreg_insert_person_name_words(person_ids uuid[], search_keys text[]) RETURNS void LANGUAGE sql AS $$
  WITH current_names AS (SELECT * FROM unnest(person_ids, search_keys) AS t(person_id, search_key))
  INSERT INTO person_name_words (person_id, word, prev_word, municipality_code, birth_date, country, name_key)
    SELECT d.person_id, d.word, lag(d.word) OVER (PARTITION BY d.person_id ORDER BY d.word COLLATE "C"), p.municipality_code, p.birth_date, p.country, k.name_key
      FROM (SELECT DISTINCT n.person_id, word
              FROM current_names n CROSS JOIN LATERAL regexp_split_to_table(n.search_key, '[[:space:][:punct:]]+') AS word
             WHERE word <> '') d
      JOIN persons p ON p.id = d.person_id
      JOIN (SELECT person_id, string_agg(search_key, ' ' ORDER BY search_key COLLATE "C") AS name_key FROM current_names GROUP BY person_id) k
        ON k.person_id = d.person_id
$$;
--> statement-breakpoint
-- An update of names: the changed persons' words rebuilt from their current names.
CREATE OR REPLACE FUNCTION folkreg_rebuild_person_name_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM person_name_words w USING (SELECT DISTINCT person_id FROM changed_names) c WHERE w.person_id = c.person_id;
  PERFORM folkreg_insert_person_name_words(array_agg(n.person_id), array_agg(n.search_key))
     FROM person_names n JOIN (SELECT DISTINCT person_id FROM changed_names) c ON c.person_id = n.person_id
    WHERE n.valid_to IS NULL;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- An insert of names: the new current names, and the other current names only of persons who had words
-- (the seed's bulk inserts of new persons never read person_names back).
CREATE OR REPLACE FUNCTION folkreg_add_person_name_words() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  had uuid[];
BEGIN
  WITH deleted AS (
    DELETE FROM person_name_words w USING (SELECT DISTINCT person_id FROM changed_names) c
     WHERE w.person_id = c.person_id RETURNING w.person_id
  )
  SELECT array_agg(DISTINCT person_id) INTO had FROM deleted;
  -- UNION: a person who had words has their new name in both (the table holds it by now).
  PERFORM folkreg_insert_person_name_words(array_agg(k.person_id), array_agg(k.search_key))
     FROM (SELECT n.person_id, n.search_key FROM changed_names n WHERE n.valid_to IS NULL
           UNION
           SELECT n.person_id, n.search_key FROM person_names n WHERE n.valid_to IS NULL AND n.person_id = ANY (had)) k;
  RETURN NULL;
END $$;
--> statement-breakpoint
ANALYZE person_name_words;
