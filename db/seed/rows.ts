/**
 * Row shapes the seed writes, keyed by SQL column name so a chunk can be sent as JSON to
 * `json_populate_recordset`. Optional fields are left out of the JSON and arrive as NULL.
 * Bigserial ids are filled in just before a chunk is written (see `assignIds` in index.ts);
 * `recorded_at` (and persons' `updated_at`), the same for every seeded row, are added by the INSERT.
 */

import type { IdentifierCountry, Sex } from '../../kernel/identifiers.js';
import type { AddressKind, CivilStatus, FamilyRelationKind } from '../../kernel/register-codes.js';
import type {
  addresses,
  changeEvents,
  contactDetails,
  familyRelations,
  personIdentifiers,
  personNames,
  persons,
  protectionMarkers,
  reserveIdentities,
  reserveIdentityLinks,
} from '../schema/index.js';

export type Country = IdentifierCountry;
export type { AddressKind, CivilStatus, Sex };
export type RelationKind = FamilyRelationKind;

/** A drizzle column key as its SQL name: `birthDate` → `birth_date` (every table names its columns so). */
type SqlName<K extends string> = K extends `${infer Head}${infer Tail}` ? `${Head extends Lowercase<Head> ? Head : `_${Lowercase<Head>}`}${SqlName<Tail>}` : K;

/** A value as the seed's JSON carries it: timestamps as ISO text. */
type JsonValue<V> = V extends Date ? string : V;

/**
 * A table's insert row as the seed writes it (the table's own `$inferInsert`): keyed by SQL column name,
 * NULL columns left out rather than null, timestamps as text.
 */
type SeedRow<T extends { $inferInsert: object }> = {
  [K in keyof T['$inferInsert'] as SqlName<K & string>]: JsonValue<Exclude<T['$inferInsert'][K], null>>;
};

/** Columns the INSERT fills the same for every seeded row (see `writeTable` in index.ts), or a trigger keeps. */
type Filled = 'recorded_at' | 'updated_at';

/** A person: always born on a known date, registered with a known civil status, since a known day. */
export type PersonRow = Omit<SeedRow<typeof persons>, Filled | 'municipality_code'> &
  Required<Pick<SeedRow<typeof persons>, 'id' | 'birth_date' | 'civil_status' | 'citizenships' | 'registered_on'>> & {
    /** The seed writes only what a personnummer's ninth digit or a CPR number's last gives. */
    sex: Sex;
    /** The life statuses the seed draws (never ANNULLED or REPLACED). */
    status: 'ACTIVE' | 'DECEASED' | 'EMIGRATED' | 'DISAPPEARED';
  };

/** A person's number: the seed issues no reserve IDs as person identifiers. */
export type IdentifierKind = 'PERSONAL_IDENTITY_NUMBER' | 'COORDINATION_NUMBER' | 'CPR_NUMBER';
export type IdentifierRow = Omit<SeedRow<typeof personIdentifiers>, Filled> & { kind: IdentifierKind };

export type NameRow = Omit<SeedRow<typeof personNames>, Filled> &
  Required<Pick<SeedRow<typeof personNames>, 'given_names' | 'family_name' | 'addressing_name'>>;

export { PROTECTION_KINDS, type ProtectionKind } from '../../kernel/protection.js';

/** A protection marker: the seed's always have a start day. */
export type MarkerRow = Omit<SeedRow<typeof protectionMarkers>, Filled> & Required<Pick<SeedRow<typeof protectionMarkers>, 'valid_from'>>;

export type ContactRow = SeedRow<typeof contactDetails> & Required<Pick<SeedRow<typeof contactDetails>, 'preferred_language' | 'version' | 'updated_at'>>;

export type AddressRow = Omit<SeedRow<typeof addresses>, Filled>;

export type RelationRow = Omit<SeedRow<typeof familyRelations>, Filled>;

export type ReserveIdentityRow = SeedRow<typeof reserveIdentities> &
  Required<Pick<SeedRow<typeof reserveIdentities>, 'id' | 'issued_by' | 'updated_at' | 'recorded_at'>> & {
    /** The regions whose reserve IDs the seed issues. */
    region?: 'SLL' | 'VGR';
  };

/** A link: the seed's reserve identities link to a personnummer or to a national reserve ID. */
export type ReserveLinkRow = SeedRow<typeof reserveIdentityLinks> &
  Required<Pick<SeedRow<typeof reserveIdentityLinks>, 'linked_at'>> & { target_kind: 'PERSONAL_IDENTITY_NUMBER' | 'NATIONAL_RESERVE_ID' };

/** A change event on its way to the outbox; `seq` breaks ties between events of the same instant. */
export type EventRow = Omit<SeedRow<typeof changeEvents>, 'id' | 'tx_id' | 'recorded_at' | 'details'> & {
  seq?: number;
  recorded_at: string;
  details: Record<string, unknown>;
};

/** Everything generated for one chunk of households, in the order it is written. */
export interface ChunkRows {
  persons: PersonRow[];
  identifiers: IdentifierRow[];
  names: NameRow[];
  markers: MarkerRow[];
  contacts: ContactRow[];
  addresses: AddressRow[];
  relations: RelationRow[];
  reserveIdentities: ReserveIdentityRow[];
  reserveLinks: ReserveLinkRow[];
  events: EventRow[];
}

export function emptyChunk(): ChunkRows {
  return {
    persons: [],
    identifiers: [],
    names: [],
    markers: [],
    contacts: [],
    addresses: [],
    relations: [],
    reserveIdentities: [],
    reserveLinks: [],
    events: [],
  };
}
