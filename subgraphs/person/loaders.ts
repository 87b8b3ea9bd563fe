import DataLoader from 'dataloader';
import { and, asc, desc, eq, isNotNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { ProtectionKind } from '../../kernel/protection.js';
import { contactDetails, personCitizenships, personIdentifiers, personNames, persons } from '../../db/schema/index.js';
import { anyOf, byKey, groupBy, keyList, perDatabase, traced } from '../shared/loaders.js';

/** A protection marker as the person row carries it. */
export interface MarkerRow {
  kind: ProtectionKind;
  validFrom: string | null;
  validTo: string | null;
}
/** The current name as the person row carries it. */
export interface CurrentName {
  givenNames: string | null;
  middleName: string | null;
  familyName: string | null;
  addressingName: string | null;
  validFrom: string | null;
}
/** A name the person had before the current one, with its period. */
export interface PreviousName extends CurrentName {
  personId: string;
  validTo: string | null;
}
/** A person row with its protection markers (all of them, historic too) and its current name. */
export type PersonRow = typeof persons.$inferSelect & { markers: MarkerRow[]; name: CurrentName | null };

/**
 * The gateway asks every person's protection markers on every request (masking), and most requests
 * ask the name: both come in the person row's own statement, wherever a person row is read, rather
 * than in statements of their own.
 */
const personMarkers = sql<
  MarkerRow[] | string
>`coalesce((select json_agg(json_build_object('kind', m.kind, 'validFrom', m.valid_from, 'validTo', m.valid_to) order by m.id)
  from protection_markers m where m.person_id = persons.id), '[]'::json)`;
const currentName = sql<CurrentName | string | null>`(select json_build_object('givenNames', n.given_names, 'middleName', n.middle_name,
  'familyName', n.family_name, 'addressingName', n.addressing_name, 'validFrom', n.valid_from)
  from person_names n where n.person_id = persons.id and n.valid_to is null order by n.id desc limit 1)`;

/** What to select for a `PersonRow`; `personRow` puts a selected row together. */
export const personColumns = { person: persons, markers: personMarkers, name: currentName };

/** postgres.js parses json; other drivers may hand over text. */
const json = <T>(value: T | string): T => (typeof value === 'string' ? (JSON.parse(value) as T) : value);

export function personRow(selected: { person: typeof persons.$inferSelect; markers: MarkerRow[] | string; name: CurrentName | string | null }): PersonRow {
  return { ...selected.person, markers: json(selected.markers), name: selected.name === null ? null : json(selected.name) };
}
export type IdentifierRow = typeof personIdentifiers.$inferSelect;
/** A citizenship the person has or had, with its period. */
export interface CitizenshipPeriodRow {
  personId: string;
  country: string;
  validFrom: string | null;
  validTo: string | null;
}
export type ContactRow = typeof contactDetails.$inferSelect;

/** The person domain's lookups by key, prepared once per database. */
export const personStatements = perDatabase((db) => ({
  persons: db
    .select(personColumns)
    .from(persons)
    .where(anyOf(persons.id, 'ids', 'uuid'))
    .prepare('persons_by_id'),
  identifiers: db
    .select()
    .from(personIdentifiers)
    .where(anyOf(personIdentifiers.personId, 'ids', 'uuid'))
    .prepare('person_identifiers_by_person'),
  /** Persons by any identifier value they have had (current or replaced), with the identifier row. */
  personsByIdentifier: db
    .select({ identifier: personIdentifiers, ...personColumns })
    .from(personIdentifiers)
    .innerJoin(persons, eq(persons.id, personIdentifiers.personId))
    .where(anyOf(personIdentifiers.value, 'values', 'text'))
    .prepare('persons_by_identifier'),
  /** Person id by any identifier value the person has had (current or replaced). */
  personIdsByIdentifier: db
    .select({ value: personIdentifiers.value, personId: personIdentifiers.personId })
    .from(personIdentifiers)
    .where(anyOf(personIdentifiers.value, 'values', 'text'))
    .prepare('person_ids_by_identifier'),
  /** Every ended name of the persons, newest first (`valid_to` set: `person_names_person_idx`). */
  previousNames: db
    .select({
      personId: personNames.personId,
      givenNames: personNames.givenNames,
      middleName: personNames.middleName,
      familyName: personNames.familyName,
      addressingName: personNames.addressingName,
      validFrom: personNames.validFrom,
      validTo: personNames.validTo,
    })
    .from(personNames)
    .where(and(anyOf(personNames.personId, 'ids', 'uuid'), isNotNull(personNames.validTo)))
    .orderBy(desc(personNames.validTo), desc(personNames.id))
    .prepare('previous_names_by_person'),
  /** Every citizenship period of the persons: current ones first (by country), then ended ones, latest end first. */
  citizenshipHistory: db
    .select({
      personId: personCitizenships.personId,
      country: personCitizenships.country,
      validFrom: personCitizenships.validFrom,
      validTo: personCitizenships.validTo,
    })
    .from(personCitizenships)
    .where(anyOf(personCitizenships.personId, 'ids', 'uuid'))
    .orderBy(sql`${personCitizenships.validTo} desc nulls first`, asc(personCitizenships.country), desc(personCitizenships.id))
    .prepare('citizenship_history_by_person'),
  contactDetails: db
    .select()
    .from(contactDetails)
    .where(anyOf(contactDetails.personId, 'ids', 'uuid'))
    .prepare('contact_details_by_person'),
}));

/** One SQL statement per table per request, however many persons a response holds. */
export function createPersonLoaders(db: Db) {
  const statements = personStatements(db);
  return {
    person: new DataLoader<string, PersonRow | null>(
      traced('person.person', async (ids) => {
        const rows = await statements.persons.execute({ ids: keyList(ids) });
        return byKey(ids, rows.map(personRow), (r) => r.id);
      }),
    ),
    identifiers: new DataLoader<string, IdentifierRow[]>(
      traced('person.identifiers', async (ids) => {
        const rows = await statements.identifiers.execute({ ids: keyList(ids) });
        return groupBy(ids, rows, (r) => r.personId);
      }),
    ),
    /** Person id by any identifier value the person has had (current or replaced). */
    personIdByIdentifier: new DataLoader<string, string | null>(
      traced('person.personIdByIdentifier', async (values) => {
        const rows = await statements.personIdsByIdentifier.execute({ values: keyList(values) });
        return byKey(values, rows, (r) => r.value).map((r) => r?.personId ?? null);
      }),
    ),
    previousNames: new DataLoader<string, PreviousName[]>(
      traced('person.previousNames', async (ids) => {
        const rows = await statements.previousNames.execute({ ids: keyList(ids) });
        return groupBy(ids, rows, (r) => r.personId);
      }),
    ),
    citizenshipHistory: new DataLoader<string, CitizenshipPeriodRow[]>(
      traced('person.citizenshipHistory', async (ids) => {
        const rows = await statements.citizenshipHistory.execute({ ids: keyList(ids) });
        return groupBy(ids, rows, (r) => r.personId);
      }),
    ),
    contactDetails: new DataLoader<string, ContactRow | null>(
      traced('person.contactDetails', async (ids) => {
        const rows = await statements.contactDetails.execute({ ids: keyList(ids) });
        return byKey(ids, rows, (r) => r.personId);
      }),
    ),
  };
}

export type PersonLoaders = ReturnType<typeof createPersonLoaders>;
