import { and, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { changeEvents } from '../../db/schema/index.js';
import type { Caller } from '../../kernel/caller.js';
import { GROUP_CATEGORIES, type EventSelection } from '../../kernel/event-filter.js';
import { ALL_CATEGORIES, kindsHiding } from '../../kernel/protection.js';
import { markerInForceSql } from '../shared/protection-sql.js';

/**
 * The event filter (kernel/event-filter.ts) in SQL over `change_events`, and what a read must leave out
 * for a caller. `filterCondition` is the SQL twin of `matchesFilter`; tests compare the two.
 */

/**
 * Age at the event in whole years. `occurred_at at time zone 'UTC'` and `age(timestamp, timestamp)` are
 * immutable, so this expression can be indexed.
 */
export const eventAge = sql`extract(year from age(${changeEvents.occurredAt} at time zone 'UTC', ${changeEvents.birthDate}::timestamp))`;

/**
 * `column = value` for one value (the planner can then read the group's index in log order, no sort);
 * otherwise one text parameter split in SQL, so a list of any length costs one bind parameter and stays an
 * index condition. Values are validated (digits, letters, type names) so they never contain a comma.
 */
function oneOf(column: SQL | AnyColumn, values: readonly string[]): SQL {
  return values.length === 1 ? sql`${column} = ${values[0]}` : sql`${column} = any(string_to_array(${values.join(',')}::text, ','))`;
}

/** SQL twin of `matchesFilter` over `change_events`; undefined when nothing is restricted. */
export function filterCondition(selection: EventSelection): SQL | undefined {
  if (selection === 'NOTHING') return sql`false`;
  const { types, municipalityCodes, identifiers, ageRanges } = selection;
  const parts: SQL[] = [];
  if (types) parts.push(oneOf(changeEvents.type, types));
  if (municipalityCodes) {
    parts.push(sql`(${oneOf(changeEvents.municipalityAfter, municipalityCodes)} or ${oneOf(changeEvents.municipalityBefore, municipalityCodes)})`);
  }
  if (identifiers) parts.push(oneOf(changeEvents.identifier, identifiers));
  if (ageRanges) {
    const ranges = ageRanges.map((r) => sql`${eventAge} between ${r.minAge} and ${r.maxAge}`);
    parts.push(sql`(${changeEvents.birthDate} is not null and (${sql.join(ranges, sql` or `)}))`);
  }
  return parts.length ? and(...parts) : undefined;
}

/**
 * What a read must leave out for this caller, as SQL over `change_events`; undefined when nothing.
 * - Events about a person the policy excludes from the caller (a kind in force hides `'*'`) never appear,
 *   whatever the filter, also in an unfiltered read or a catch-all subscription.
 * - A filter group on a category (municipality → ADDRESS, age → BIRTH_DATE, identifier → IDENTITY) never
 *   matches the events of a person whose protection hides that category from the caller: the answer is the
 *   same whether or not the hidden value is the one probed. An identifier naming an excluded person is no
 *   error but simply matches nothing, as an identifier nobody has: an error for excluded persons alone
 *   would itself tell that the number belongs to one.
 * Protection is what is in force today (as `Person.protectionMarkers` and search read it), for events of
 * any age: an event recorded before the protection began restates data the protection now covers.
 * Events about no person (a reserve identity linked to none) carry nothing protected.
 */
export function protectionCondition(caller: Caller, selection: EventSelection): SQL | undefined {
  if (selection === 'NOTHING') return undefined;
  const categories = (Object.keys(GROUP_CATEGORIES) as (keyof typeof GROUP_CATEGORIES)[])
    .filter((g) => selection[g] !== undefined)
    .map((g) => GROUP_CATEGORIES[g]);
  const excluded = Object.entries(caller.hidden)
    .filter(([, hidden]) => hidden.includes(ALL_CATEGORIES))
    .map(([kind]) => kind);
  const kinds = [...new Set([...excluded, ...categories.flatMap((c) => kindsHiding(caller, c))])].sort();
  if (kinds.length === 0) return undefined;
  return sql`not exists (select 1 from protection_markers pm where pm.person_id = ${changeEvents.personId}
    and ${oneOf(sql`pm.kind`, kinds)}
    and ${markerInForceSql('pm')})`;
}
