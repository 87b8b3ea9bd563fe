import DataLoader from 'dataloader';
import { and, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { contactDetails, personIdentifiers, personNames, persons, protectionMarkers } from '../../db/schema/index.js';
import { byKey, groupBy } from '../shared/loaders.js';

/** A protection marker as the person row carries it. */
export interface MarkerRow {
  kind: string;
  validFrom: string | null;
  validTo: string | null;
}
/**
 * A person row; `markers` rides along when the row was loaded by the person loader (a row primed from
 * elsewhere has none, and the markers loader stands in).
 */
export type PersonRow = typeof persons.$inferSelect & { markers?: MarkerRow[] };
export type IdentifierRow = typeof personIdentifiers.$inferSelect;
export type NameRow = typeof personNames.$inferSelect;
export type ProtectionRow = typeof protectionMarkers.$inferSelect;
export type ContactRow = typeof contactDetails.$inferSelect;

/** One SQL statement per table per request, however many persons a response holds. */
export function createPersonLoaders(db: Db) {
  return {
    // The gateway asks every person's protection markers on every request (masking): they come in the
    // person row's own statement rather than one of their own.
    person: new DataLoader<string, PersonRow | null>(async (ids) => {
      const rows = await db
        .select({
          person: persons,
          markers: sql<MarkerRow[]>`coalesce((select json_agg(json_build_object('kind', m.kind, 'validFrom', m.valid_from, 'validTo', m.valid_to) order by m.id)
            from protection_markers m where m.person_id = persons.id), '[]'::json)`,
        })
        .from(persons)
        .where(inArray(persons.id, [...ids]));
      return byKey(ids, rows.map((r) => ({ ...r.person, markers: parseJson(r.markers) })), (r) => r.id);
    }),
    identifiers: new DataLoader<string, IdentifierRow[]>(async (ids) => {
      const rows = await db.select().from(personIdentifiers).where(inArray(personIdentifiers.personId, [...ids]));
      return groupBy(ids, rows, (r) => r.personId);
    }),
    currentName: new DataLoader<string, NameRow | null>(async (ids) => {
      const rows = await db
        .select()
        .from(personNames)
        .where(and(inArray(personNames.personId, [...ids]), isNull(personNames.validTo)));
      return byKey(ids, rows, (r) => r.personId);
    }),
    /** Person id by any identifier value the person has had (current or replaced). */
    personIdByIdentifier: new DataLoader<string, string | null>(async (values) => {
      const rows = await db
        .select({ value: personIdentifiers.value, personId: personIdentifiers.personId })
        .from(personIdentifiers)
        .where(inArray(personIdentifiers.value, [...values]));
      return byKey(values, rows, (r) => r.value).map((r) => r?.personId ?? null);
    }),
    contactDetails: new DataLoader<string, ContactRow | null>(async (ids) => {
      const rows = await db.select().from(contactDetails).where(inArray(contactDetails.personId, [...ids]));
      return byKey(ids, rows, (r) => r.personId);
    }),
    protectionMarkers: new DataLoader<string, ProtectionRow[]>(async (ids) => {
      const rows = await db.select().from(protectionMarkers).where(inArray(protectionMarkers.personId, [...ids]));
      return groupBy(ids, rows, (r) => r.personId);
    }),
  };
}

export type PersonLoaders = ReturnType<typeof createPersonLoaders>;

/** postgres.js parses json columns; other drivers may hand over the text. */
function parseJson<T>(value: T | string): T {
  return typeof value === 'string' ? (JSON.parse(value) as T) : value;
}
