import DataLoader from 'dataloader';
import { and, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { contactDetails, personIdentifiers, personNames, persons, protectionMarkers } from '../../db/schema/index.js';
import { byKey, groupBy } from '../shared/loaders.js';

export type PersonRow = typeof persons.$inferSelect;
export type IdentifierRow = typeof personIdentifiers.$inferSelect;
export type NameRow = typeof personNames.$inferSelect;
export type ProtectionRow = typeof protectionMarkers.$inferSelect;
export type ContactRow = typeof contactDetails.$inferSelect;

/** One SQL statement per table per request, however many persons a response holds. */
export function createPersonLoaders(db: Db) {
  return {
    person: new DataLoader<string, PersonRow | null>(async (ids) => {
      const rows = await db.select().from(persons).where(inArray(persons.id, [...ids]));
      return byKey(ids, rows, (r) => r.id);
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
