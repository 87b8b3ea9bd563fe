-- Every event about a person carries that person (issue 14): reserve-identity events were written without
-- one, so the gateway could not mask them and event filters could not treat them as the person's.
-- 1. Links to a person's number name the person (the write path sets it from now on).
UPDATE reserve_identity_links l SET target_person_id = i.person_id
  FROM person_identifiers i
 WHERE l.target_person_id IS NULL
   AND l.target_kind IN ('PERSONAL_IDENTITY_NUMBER', 'COORDINATION_NUMBER', 'CPR_NUMBER')
   AND i.value = l.target_value;
--> statement-breakpoint
-- 2. Reserve-identity events get the person they concern, as the write path now sets it: LINKED and UNLINKED
-- the person the link pointed at (a person's number, or a reserve identity resolving to a person through
-- its current links); every other event (ISSUED, REGISTERED, UPDATED) the person the identity resolves to
-- now — linking adopts the events written while the identity resolved to nobody.
WITH RECURSIVE chain(start_value, target_kind, target_value, target_person_id, depth) AS (
  SELECT r.value, l.target_kind, l.target_value, l.target_person_id, 0
    FROM reserve_identities r JOIN reserve_identity_links l ON l.reserve_identity_id = r.id AND l.unlinked_at IS NULL
  UNION ALL
  SELECT c.start_value, l.target_kind, l.target_value, l.target_person_id, c.depth + 1
    FROM chain c
    JOIN reserve_identities r ON r.value = c.target_value
    JOIN reserve_identity_links l ON l.reserve_identity_id = r.id AND l.unlinked_at IS NULL
   WHERE c.depth < 8
), resolved AS (
  SELECT DISTINCT ON (start_value) start_value AS value, target_person_id AS person_id
    FROM chain
   WHERE target_kind IN ('PERSONAL_IDENTITY_NUMBER', 'COORDINATION_NUMBER', 'CPR_NUMBER') AND target_person_id IS NOT NULL
   ORDER BY start_value, depth DESC
), subject AS (
  SELECT e.id,
         CASE
           WHEN e.details->>'action' IN ('LINKED', 'UNLINKED') THEN coalesce(
             (SELECT i.person_id FROM person_identifiers i
               WHERE i.value = e.details->>'targetValue'
                 AND e.details->>'targetKind' IN ('PERSONAL_IDENTITY_NUMBER', 'COORDINATION_NUMBER', 'CPR_NUMBER')
               LIMIT 1),
             (SELECT rs.person_id FROM resolved rs WHERE rs.value = e.details->>'targetValue'))
           ELSE (SELECT rs.person_id FROM resolved rs WHERE rs.value = e.identifier)
         END AS person_id
    FROM change_events e
   WHERE e.type = 'RESERVE_IDENTITY_CHANGE' AND e.person_id IS NULL
)
UPDATE change_events e SET person_id = s.person_id FROM subject s WHERE e.id = s.id AND s.person_id IS NOT NULL;
