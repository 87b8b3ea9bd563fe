-- The life-status trigger of migration 0010 also follows DEATH_ANNULLED (CPR A25, annullation af
-- dødsfald): a deceased person gets back the status and status date they had before the death, which
-- the annulment event carries (`details.restoredStatus`, `details.restoredStatusDate`: the writer reads
-- them from the DEATH event it annuls). Everything else is as in 0010.
CREATE OR REPLACE FUNCTION folkreg_life_status_from_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE persons p
     SET status = ev.status, status_date = ev.status_date, updated_at = now()
    FROM (SELECT DISTINCT ON (e.person_id) e.person_id, e.type,
                 CASE e.type WHEN 'EMIGRATION' THEN 'EMIGRATED' WHEN 'IMMIGRATION' THEN 'ACTIVE' WHEN 'DEATH' THEN 'DECEASED'
                             WHEN 'DISAPPEARANCE' THEN 'DISAPPEARED' WHEN 'REAPPEARANCE' THEN 'ACTIVE'
                             WHEN 'DEATH_ANNULLED' THEN
                               CASE WHEN e.details->>'restoredStatus' IN ('ACTIVE', 'EMIGRATED', 'DISAPPEARED') THEN e.details->>'restoredStatus' ELSE 'ACTIVE' END
                 END AS status,
                 CASE WHEN e.type = 'DEATH_ANNULLED' THEN
                        CASE WHEN e.details->>'restoredStatusDate' ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN (e.details->>'restoredStatusDate')::date END
                      ELSE coalesce(CASE WHEN e.details->>'validFrom' ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN (e.details->>'validFrom')::date END,
                                    (e.occurred_at AT TIME ZONE 'UTC')::date)
                 END AS status_date
            FROM new_events e
           WHERE e.person_id IS NOT NULL
             AND e.type IN ('EMIGRATION', 'IMMIGRATION', 'DEATH', 'DISAPPEARANCE', 'REAPPEARANCE', 'DEATH_ANNULLED')
           ORDER BY e.person_id, e.tx_id DESC, e.id DESC) ev
   WHERE p.id = ev.person_id
     AND p.status = ANY (CASE ev.type WHEN 'EMIGRATION' THEN ARRAY['ACTIVE'] WHEN 'IMMIGRATION' THEN ARRAY['EMIGRATED']
                                      WHEN 'DEATH' THEN ARRAY['ACTIVE', 'EMIGRATED', 'DISAPPEARED']
                                      WHEN 'DISAPPEARANCE' THEN ARRAY['ACTIVE'] WHEN 'REAPPEARANCE' THEN ARRAY['DISAPPEARED']
                                      WHEN 'DEATH_ANNULLED' THEN ARRAY['DECEASED'] END);
  RETURN NULL;
END $$;
