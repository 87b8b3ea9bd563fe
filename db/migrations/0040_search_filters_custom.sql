-- Name search combined with a municipality, a birth-date range or a country, answered from the name
-- words' own indexes at 1,000,000 persons (issue 21 item 4; README "Benchmark").
--
-- person_name_words carries copies of its person's municipality_code, birth_date and country. Before,
-- a name search with any of them joined persons per scanned word: a common prefix with a rare
-- municipality read every person of the prefix (`karl` + 2584: 22,234 words hashed against the
-- municipality's 1,508 persons, 478 buffers) and a name with a birth-date range fetched each candidate's
-- persons row (`karlsson` + 10 years: 232 heap probes, 933 buffers). Now
--  * person_name_words_municipality_idx (municipality_code, word, person_id) seeks straight to the
--    municipality's run of the prefix, already in the search's page order (word, person_id), and
--  * person_name_words_word_idx INCLUDEs birth_date and country, so those are tested on the index entry.
--
-- The copies follow persons by triggers, whoever writes: the name triggers (0008, 0025) read them from
-- persons when they (re)build a person's words, and an update of persons — a move through the address
-- trigger of 0006 (moveAddress, ingest, the seed), a birth-date correction — copies them to the person's
-- words in the same statement, so a search sees a move as soon as it commits. Statement-level with a
-- transition table: the seed's bulk updates cost one statement; an update that changes none of the
-- three (a life-status change, contact details) costs one probe of the words' primary key per person.
DROP INDEX IF EXISTS "person_name_words_word_idx";
--> statement-breakpoint
ALTER TABLE "person_name_words" ADD COLUMN "municipality_code" text, ADD COLUMN "birth_date" date, ADD COLUMN "country" char(2);
--> statement-breakpoint
TRUNCATE "person_name_words";
--> statement-breakpoint
INSERT INTO person_name_words (person_id, word, prev_word, municipality_code, birth_date, country)
  SELECT d.person_id, d.word, lag(d.word) OVER (PARTITION BY d.person_id ORDER BY d.word COLLATE "C"), p.municipality_code, p.birth_date, p.country
    FROM (SELECT DISTINCT n.person_id, word
            FROM person_names n CROSS JOIN LATERAL regexp_split_to_table(n.search_key, '[[:space:][:punct:]]+') AS word
           WHERE n.valid_to IS NULL AND word <> '') d
    JOIN persons p ON p.id = d.person_id;
--> statement-breakpoint
CREATE INDEX "person_name_words_word_idx" ON "person_name_words" USING btree (("word" collate "C"), "person_id") INCLUDE ("prev_word", "birth_date", "country");
--> statement-breakpoint
CREATE INDEX "person_name_words_municipality_idx" ON "person_name_words" USING btree ("municipality_code", ("word" collate "C"), "person_id") INCLUDE ("prev_word", "birth_date", "country") WHERE "municipality_code" IS NOT NULL;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION folkreg_rebuild_person_name_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM person_name_words w USING (SELECT DISTINCT person_id FROM changed_names) c WHERE w.person_id = c.person_id;
  INSERT INTO person_name_words (person_id, word, prev_word, municipality_code, birth_date, country)
    SELECT d.person_id, d.word, lag(d.word) OVER (PARTITION BY d.person_id ORDER BY d.word COLLATE "C"), p.municipality_code, p.birth_date, p.country
      FROM (SELECT DISTINCT n.person_id, word
              FROM person_names n
              JOIN (SELECT DISTINCT person_id FROM changed_names) c ON c.person_id = n.person_id
              CROSS JOIN LATERAL regexp_split_to_table(n.search_key, '[[:space:][:punct:]]+') AS word
             WHERE n.valid_to IS NULL AND word <> '') d
      JOIN persons p ON p.id = d.person_id;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION folkreg_add_person_name_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  WITH had AS (
    DELETE FROM person_name_words w USING (SELECT DISTINCT person_id FROM changed_names) c
     WHERE w.person_id = c.person_id RETURNING w.person_id
  )
  INSERT INTO person_name_words (person_id, word, prev_word, municipality_code, birth_date, country)
    SELECT d.person_id, d.word, lag(d.word) OVER (PARTITION BY d.person_id ORDER BY d.word COLLATE "C"), p.municipality_code, p.birth_date, p.country
      FROM (SELECT DISTINCT k.person_id, word
              FROM (SELECT n.person_id, n.search_key FROM changed_names n WHERE n.valid_to IS NULL
                    UNION ALL
                    SELECT n.person_id, n.search_key FROM person_names n
                     WHERE n.valid_to IS NULL AND n.person_id IN (SELECT person_id FROM had)) k
              CROSS JOIN LATERAL regexp_split_to_table(k.search_key, '[[:space:][:punct:]]+') AS word
             WHERE word <> '') d
      JOIN persons p ON p.id = d.person_id;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION folkreg_sync_name_word_filters() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE person_name_words w
     SET municipality_code = n.municipality_code, birth_date = n.birth_date, country = n.country
    FROM changed_persons n
   WHERE w.person_id = n.id
     AND (w.municipality_code, w.birth_date, w.country) IS DISTINCT FROM (n.municipality_code, n.birth_date, n.country);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER persons_sync_name_word_filters AFTER UPDATE ON persons
  REFERENCING NEW TABLE AS changed_persons FOR EACH STATEMENT EXECUTE FUNCTION folkreg_sync_name_word_filters();
--> statement-breakpoint
ANALYZE person_name_words;
