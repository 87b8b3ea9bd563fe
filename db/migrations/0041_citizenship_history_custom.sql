-- Citizenship history (issue 18; README "Keeping the register current"): every citizenship a person has
-- had, with its period (`valid_from` inclusive, `valid_to` exclusive, null = current; null `valid_from` =
-- not known), like names and markers.
--
-- persons.citizenships stays the current set, and the one every reader and writer already uses (the row
-- the guard masks, the seed, the test fixtures, the NDJSON import and the files). The periods follow it:
-- the current periods (valid_to null) are kept by triggers on persons, whoever writes, in the writer's
-- statement — a person inserted with citizenships gets one open period per country (start unknown), an
-- update of the set ends the periods of dropped countries on the register's date and opens one for each
-- new country. Writers that know the days (changeCitizenships, the CPR ingest's 010/027) write the periods
-- first and then the set, so the trigger finds the two in step and does nothing. Deriving the set from
-- the periods instead would have needed the same trigger the other way round (the seed and the fixtures
-- insert persons with their set) and a second write per person row read.
CREATE TABLE "person_citizenships" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"person_id" uuid NOT NULL,
	"country" char(2) NOT NULL,
	"valid_from" date,
	"valid_to" date,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "person_citizenships_country_ck" CHECK ("country" ~ '^[A-Z]{2}$'),
	CONSTRAINT "person_citizenships_range_ck" CHECK ("valid_from" IS NULL OR "valid_to" IS NULL OR "valid_from" < "valid_to")
);
--> statement-breakpoint
ALTER TABLE "person_citizenships" ADD CONSTRAINT "person_citizenships_person_id_persons_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."persons"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "person_citizenships_person_idx" ON "person_citizenships" USING btree ("person_id", "valid_to");
--> statement-breakpoint
-- One current period per country and person: what the triggers and the writers' upserts rely on.
CREATE UNIQUE INDEX "person_citizenships_current_uq" ON "person_citizenships" USING btree ("person_id", "country") WHERE "valid_to" IS NULL;
--> statement-breakpoint
-- Backfill. What is known of the past is in the CITIZENSHIP_CHANGE events changeCitizenships wrote
-- (details: validFrom, from, to): each country a change added starts on its validFrom, each it dropped
-- ends there. Ended periods from the drops; current periods from persons.citizenships, started on the
-- day of the last change that added the country, else not known.
CREATE TEMPORARY TABLE citizenship_steps AS
  SELECT e.person_id, e.id, (e.details->>'validFrom')::date AS on_day, s.country, s.added
    FROM change_events e
    CROSS JOIN LATERAL (
      SELECT c AS country, true AS added FROM jsonb_array_elements_text(e.details->'to') c
       WHERE NOT (e.details->'from') ? c
      UNION ALL
      SELECT c, false FROM jsonb_array_elements_text(e.details->'from') c
       WHERE NOT (e.details->'to') ? c
    ) s
   WHERE e.type = 'CITIZENSHIP_CHANGE' AND e.person_id IS NOT NULL
     AND jsonb_typeof(e.details->'from') = 'array' AND jsonb_typeof(e.details->'to') = 'array'
     AND e.details->>'validFrom' ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' AND s.country ~ '^[A-Z]{2}$';
--> statement-breakpoint
INSERT INTO person_citizenships (person_id, country, valid_from, valid_to)
  SELECT d.person_id, d.country, CASE WHEN a.on_day < d.on_day THEN a.on_day END, d.on_day
    FROM citizenship_steps d
    LEFT JOIN LATERAL (
      SELECT s.on_day FROM citizenship_steps s
       WHERE s.person_id = d.person_id AND s.country = d.country AND s.added AND s.id < d.id
         AND NOT EXISTS (SELECT 1 FROM citizenship_steps x
                          WHERE x.person_id = d.person_id AND x.country = d.country AND NOT x.added AND x.id > s.id AND x.id < d.id)
       ORDER BY s.id DESC LIMIT 1
    ) a ON true
   WHERE NOT d.added;
--> statement-breakpoint
INSERT INTO person_citizenships (person_id, country, valid_from)
  SELECT DISTINCT ON (p.id, c.country) p.id, c.country,
         (SELECT s.on_day FROM citizenship_steps s
           WHERE s.person_id = p.id AND s.country = c.country AND s.added
             AND NOT EXISTS (SELECT 1 FROM citizenship_steps x WHERE x.person_id = p.id AND x.country = c.country AND NOT x.added AND x.id > s.id)
           ORDER BY s.id DESC LIMIT 1)
    FROM persons p CROSS JOIN LATERAL unnest(p.citizenships) AS c(country)
   WHERE c.country ~ '^[A-Z]{2}$';
--> statement-breakpoint
DROP TABLE citizenship_steps;
--> statement-breakpoint
-- Persons inserted with citizenships (the seed, the fixtures, an ingest creating a person): one current
-- period per country, start not known. Statement-level: the seed's multi-row inserts cost one statement.
CREATE OR REPLACE FUNCTION folkreg_citizenships_of_new_persons() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO person_citizenships (person_id, country)
    SELECT DISTINCT n.id, c FROM new_persons n CROSS JOIN LATERAL unnest(n.citizenships) AS c;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER persons_citizenship_periods_insert AFTER INSERT ON persons
  REFERENCING NEW TABLE AS new_persons FOR EACH STATEMENT EXECUTE FUNCTION folkreg_citizenships_of_new_persons();
--> statement-breakpoint
-- An update of the set: the periods of dropped countries end on the register's date (Europe/Stockholm,
-- kernel/register-date.ts, not the session's current_date); one that began that day or later was never
-- in force and goes. A new country opens a period, start not known. Row-level and only when the set
-- changed: the many updates of persons that leave it alone (status, municipality, civil status) cost
-- nothing here. A writer that knows the days has written the periods already: nothing left to do.
CREATE OR REPLACE FUNCTION folkreg_citizenship_periods_follow() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  today date := (now() AT TIME ZONE 'Europe/Stockholm')::date;
BEGIN
  DELETE FROM person_citizenships
   WHERE person_id = NEW.id AND valid_to IS NULL AND NOT (country = ANY (NEW.citizenships)) AND valid_from >= today;
  UPDATE person_citizenships SET valid_to = today
   WHERE person_id = NEW.id AND valid_to IS NULL AND NOT (country = ANY (NEW.citizenships));
  INSERT INTO person_citizenships (person_id, country)
    SELECT DISTINCT NEW.id, c FROM unnest(NEW.citizenships) AS c
     WHERE NOT EXISTS (SELECT 1 FROM person_citizenships h WHERE h.person_id = NEW.id AND h.country = c AND h.valid_to IS NULL);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER persons_citizenship_periods_update AFTER UPDATE OF citizenships ON persons
  FOR EACH ROW WHEN (OLD.citizenships IS DISTINCT FROM NEW.citizenships) EXECUTE FUNCTION folkreg_citizenship_periods_follow();
