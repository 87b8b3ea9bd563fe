import DataLoader from 'dataloader';
import { and, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { contactDetails, personIdentifiers, personNames, persons } from '../../db/schema/index.js';
import { anyOf, byKey, groupBy, keyList, perDatabase } from '../shared/loaders.js';

/** A protection marker as the person row carries it. */
export interface MarkerRow {
  kind: string;
  validFrom: string | null;
  validTo: string | null;
}
/** A person row with its protection markers (all of them, historic too). */
export type PersonRow = typeof persons.$inferSelect & { markers: MarkerRow[] };

/**
 * The gateway asks every person's protection markers on every request (masking): they come in the
 * person row's own statement, wherever a person row is read, rather than in one of their own.
 */
export const personMarkers = sql<MarkerRow[] | string>`coalesce((select json_agg(json_build_object('kind', m.kind, 'validFrom', m.valid_from, 'validTo', m.valid_to) order by m.id)
  from protection_markers m where m.person_id = persons.id), '[]'::json)`;

/** A selected person and its `personMarkers` as one row (postgres.js parses json; other drivers may hand over text). */
export function personWithMarkers(person: typeof persons.$inferSelect, markers: MarkerRow[] | string): PersonRow {
  return { ...person, markers: typeof markers === 'string' ? (JSON.parse(markers) as MarkerRow[]) : markers };
}
export type IdentifierRow = typeof personIdentifiers.$inferSelect;
export type NameRow = typeof personNames.$inferSelect;
export type ContactRow = typeof contactDetails.$inferSelect;

/** The person domain's lookups by key, prepared once per database. */
export const personStatements = perDatabase((db) => ({
  persons: db.select({ person: persons, markers: personMarkers }).from(persons).where(anyOf(persons.id, 'ids', 'uuid')).prepare('persons_by_id'),
  identifiers: db.select().from(personIdentifiers).where(anyOf(personIdentifiers.personId, 'ids', 'uuid')).prepare('person_identifiers_by_person'),
  currentNames: db
    .select()
    .from(personNames)
    .where(and(anyOf(personNames.personId, 'ids', 'uuid'), isNull(personNames.validTo)))
    .prepare('current_names_by_person'),
  /** Person id by any identifier value the person has had (current or replaced). */
  personIdsByIdentifier: db
    .select({ value: personIdentifiers.value, personId: personIdentifiers.personId })
    .from(personIdentifiers)
    .where(anyOf(personIdentifiers.value, 'values', 'text'))
    .prepare('person_ids_by_identifier'),
  contactDetails: db.select().from(contactDetails).where(anyOf(contactDetails.personId, 'ids', 'uuid')).prepare('contact_details_by_person'),
}));

/** One SQL statement per table per request, however many persons a response holds. */
export function createPersonLoaders(db: Db) {
  const statements = personStatements(db);
  return {
    person: new DataLoader<string, PersonRow | null>(async (ids) => {
      const rows = await statements.persons.execute({ ids: keyList(ids) });
      return byKey(ids, rows.map((r) => personWithMarkers(r.person, r.markers)), (r) => r.id);
    }),
    identifiers: new DataLoader<string, IdentifierRow[]>(async (ids) => {
      const rows = await statements.identifiers.execute({ ids: keyList(ids) });
      return groupBy(ids, rows, (r) => r.personId);
    }),
    currentName: new DataLoader<string, NameRow | null>(async (ids) => {
      const rows = await statements.currentNames.execute({ ids: keyList(ids) });
      return byKey(ids, rows, (r) => r.personId);
    }),
    /** Person id by any identifier value the person has had (current or replaced). */
    personIdByIdentifier: new DataLoader<string, string | null>(async (values) => {
      const rows = await statements.personIdsByIdentifier.execute({ values: keyList(values) });
      return byKey(values, rows, (r) => r.value).map((r) => r?.personId ?? null);
    }),
    contactDetails: new DataLoader<string, ContactRow | null>(async (ids) => {
      const rows = await statements.contactDetails.execute({ ids: keyList(ids) });
      return byKey(ids, rows, (r) => r.personId);
    }),
  };
}

export type PersonLoaders = ReturnType<typeof createPersonLoaders>;
