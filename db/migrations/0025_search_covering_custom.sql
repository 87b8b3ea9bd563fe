-- Search at 1,000,000 persons: every row a page looks at answered from one index, no probe per row.
--
-- person_name_words.prev_word: the word before this one among the same person's words, in byte order
-- (collate "C"), NULL for the first. The words starting with a prefix are one contiguous run in that
-- order, so "no smaller word of this person starts with the prefix" (each person once, at the first
-- matching word) is `prev_word IS NULL OR prev_word NOT LIKE prefix%` on the row itself: the name
-- search's anti-join, one index probe per scanned row, becomes a filter on the index entry (INCLUDE).
-- Kept by the same statement-level triggers as the words: a touched person's words are rebuilt whole.
DROP INDEX IF EXISTS "person_name_words_word_idx";
--> statement-breakpoint
ALTER TABLE "person_name_words" ADD COLUMN "prev_word" text;
--> statement-breakpoint
TRUNCATE "person_name_words";
--> statement-breakpoint
INSERT INTO person_name_words (person_id, word, prev_word)
  SELECT person_id, word, lag(word) OVER (PARTITION BY person_id ORDER BY word COLLATE "C")
    FROM (SELECT DISTINCT n.person_id, word
            FROM person_names n CROSS JOIN LATERAL regexp_split_to_table(n.search_key, '[[:space:][:punct:]]+') AS word
           WHERE n.valid_to IS NULL AND word <> '') d;
--> statement-breakpoint
CREATE INDEX "person_name_words_word_idx" ON "person_name_words" USING btree (("word" collate "C"), "person_id") INCLUDE ("prev_word");
--> statement-breakpoint
CREATE OR REPLACE FUNCTION folkreg_rebuild_person_name_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM person_name_words w USING (SELECT DISTINCT person_id FROM changed_names) c WHERE w.person_id = c.person_id;
  INSERT INTO person_name_words (person_id, word, prev_word)
    SELECT person_id, word, lag(word) OVER (PARTITION BY person_id ORDER BY word COLLATE "C")
      FROM (SELECT DISTINCT n.person_id, word
              FROM person_names n
              JOIN (SELECT DISTINCT person_id FROM changed_names) c ON c.person_id = n.person_id
              CROSS JOIN LATERAL regexp_split_to_table(n.search_key, '[[:space:][:punct:]]+') AS word
             WHERE n.valid_to IS NULL AND word <> '') d;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- An inserted name: its persons' words from the inserted rows; a person who had words already (a second
-- current name) gets them rebuilt whole, with the rows already there, so prev_word sees every word. The
-- seed's chunks (4,000 new persons a statement) read nothing but the inserted rows.
CREATE OR REPLACE FUNCTION folkreg_add_person_name_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  WITH had AS (
    DELETE FROM person_name_words w USING (SELECT DISTINCT person_id FROM changed_names) c
     WHERE w.person_id = c.person_id RETURNING w.person_id
  )
  INSERT INTO person_name_words (person_id, word, prev_word)
    SELECT person_id, word, lag(word) OVER (PARTITION BY person_id ORDER BY word COLLATE "C")
      FROM (SELECT DISTINCT k.person_id, word
              FROM (SELECT n.person_id, n.search_key FROM changed_names n WHERE n.valid_to IS NULL
                    UNION ALL
                    SELECT n.person_id, n.search_key FROM person_names n
                     WHERE n.valid_to IS NULL AND n.person_id IN (SELECT person_id FROM had)) k
              CROSS JOIN LATERAL regexp_split_to_table(k.search_key, '[[:space:][:punct:]]+') AS word
             WHERE word <> '') d;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- Identifier prefix search matches current identifiers only (valid_to IS NULL) of one kind: a partial
-- index of those, carrying the kind, answers the range without visiting the table.
CREATE INDEX "person_identifiers_current_prefix_idx" ON "person_identifiers" USING btree (("value" collate "C"), "person_id") INCLUDE ("kind") WHERE "valid_to" IS NULL;
