-- persons.status / status_date follow the person's life events (CPR STATUS; SE avregistrering): an
-- EMIGRATION makes an active person EMIGRATED from the day they left, an IMMIGRATION makes them ACTIVE
-- again, DEATH → DECEASED, DISAPPEARANCE → DISAPPEARED, REAPPEARANCE → ACTIVE. Kept here, in the database,
-- by whoever writes the event (the address subgraph's moveAddress, the seed, a CPR extract), in the same
-- transaction as the event, like persons.municipality_code is kept from the addresses (migration 0006): no
-- subgraph writes another domain's table and no query joins across domains. A statement-level trigger
-- reads the new events themselves: per person the last life event in log order, applied only from a
-- status it can follow (an EMIGRATION never revives a DECEASED person). The day is the event's
-- `details.validFrom` (a move's `movedOn`), else the UTC day of `occurred_at`.
CREATE OR REPLACE FUNCTION folkreg_life_status_from_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE persons p
     SET status = ev.status, status_date = ev.status_date, updated_at = now()
    FROM (SELECT DISTINCT ON (e.person_id) e.person_id, e.type,
                 CASE e.type WHEN 'EMIGRATION' THEN 'EMIGRATED' WHEN 'IMMIGRATION' THEN 'ACTIVE' WHEN 'DEATH' THEN 'DECEASED'
                             WHEN 'DISAPPEARANCE' THEN 'DISAPPEARED' WHEN 'REAPPEARANCE' THEN 'ACTIVE' END AS status,
                 coalesce(CASE WHEN e.details->>'validFrom' ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN (e.details->>'validFrom')::date END,
                          (e.occurred_at AT TIME ZONE 'UTC')::date) AS status_date
            FROM new_events e
           WHERE e.person_id IS NOT NULL AND e.type IN ('EMIGRATION', 'IMMIGRATION', 'DEATH', 'DISAPPEARANCE', 'REAPPEARANCE')
           ORDER BY e.person_id, e.tx_id DESC, e.id DESC) ev
   WHERE p.id = ev.person_id
     AND p.status = ANY (CASE ev.type WHEN 'EMIGRATION' THEN ARRAY['ACTIVE'] WHEN 'IMMIGRATION' THEN ARRAY['EMIGRATED']
                                      WHEN 'DEATH' THEN ARRAY['ACTIVE', 'EMIGRATED', 'DISAPPEARED']
                                      WHEN 'DISAPPEARANCE' THEN ARRAY['ACTIVE'] WHEN 'REAPPEARANCE' THEN ARRAY['DISAPPEARED'] END);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER change_events_life_status AFTER INSERT ON change_events
  REFERENCING NEW TABLE AS new_events FOR EACH STATEMENT EXECUTE FUNCTION folkreg_life_status_from_events();
--> statement-breakpoint
-- Persons who emigrated or came back through moveAddress before this migration: the same rule over the log.
UPDATE persons p
   SET status = ev.status, status_date = ev.status_date, updated_at = now()
  FROM (SELECT DISTINCT ON (e.person_id) e.person_id, e.type,
               CASE e.type WHEN 'EMIGRATION' THEN 'EMIGRATED' ELSE 'ACTIVE' END AS status,
               coalesce(CASE WHEN e.details->>'validFrom' ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN (e.details->>'validFrom')::date END,
                        (e.occurred_at AT TIME ZONE 'UTC')::date) AS status_date
          FROM change_events e
         WHERE e.person_id IS NOT NULL AND e.type IN ('EMIGRATION', 'IMMIGRATION', 'DEATH', 'DISAPPEARANCE', 'REAPPEARANCE')
         ORDER BY e.person_id, e.tx_id DESC, e.id DESC) ev
 WHERE p.id = ev.person_id
   AND ((ev.type = 'EMIGRATION' AND p.status = 'ACTIVE') OR (ev.type = 'IMMIGRATION' AND p.status = 'EMIGRATED'));
