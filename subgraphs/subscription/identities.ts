import { sql } from 'drizzle-orm';
import { selectRows, type Db } from '../../db/client.js';
import type { EventSelection } from '../../kernel/event-filter.js';

/**
 * A filter names persons by number; events carry the number the person had when the event was written.
 * So that a filter follows the person as `person(identifier:)` does — a replaced personnummer (a corrected
 * birth date, a samordningsnummer that became a personnummer) still selects the person's events, before and
 * after the change — its identifiers are widened to every identifier their persons have had.
 *
 * This reads the person domain's identity index (`person_identifiers`), read-only and in one statement of
 * its own, like the person facts other domains' writes read (subgraphs/shared/writes.ts): no query joins
 * it to this domain's tables. A number nobody has stays as given (it may be issued later).
 * What a match may reveal is governed apart from this, by the read's protection condition.
 */
export async function withPersonsIdentifiers(db: Db, selection: EventSelection): Promise<EventSelection> {
  if (selection === 'NOTHING' || !selection.identifiers?.length) return selection;
  const rows = await selectRows<{ value: string }>(
    db,
    sql`select distinct other.value from person_identifiers named
          join person_identifiers other on other.person_id = named.person_id
         where named.value in (select json_array_elements_text(${JSON.stringify(selection.identifiers)}::json))`,
  );
  const identifiers = [...new Set([...selection.identifiers, ...rows.map((r) => r.value)])];
  return identifiers.length === selection.identifiers.length ? selection : { ...selection, identifiers };
}
