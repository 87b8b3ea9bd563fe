/**
 * Row shapes the seed writes, keyed by SQL column name so a chunk can be sent as JSON to
 * `json_populate_recordset`. Optional fields are left out of the JSON and arrive as NULL.
 * Bigserial ids are filled in just before a chunk is written (see `assignIds` in index.ts);
 * `recorded_at` (and persons' `updated_at`), the same for every seeded row, are added by the INSERT.
 */

import type { IdentifierCountry, Sex } from '../../kernel/identifiers.js';
import type { ProtectionKind } from '../../kernel/protection.js';

export type Country = IdentifierCountry;
export type { Sex };

export interface PersonRow {
  id: string;
  country: Country;
  birth_date: string;
  sex: Sex;
  status: 'ACTIVE' | 'DECEASED' | 'EMIGRATED' | 'DISAPPEARED';
  status_date?: string;
  civil_status: CivilStatus;
  civil_status_since?: string;
  citizenships: string[];
  registering_authority: string;
  registered_on: string;
}

export type CivilStatus =
  'UNMARRIED' | 'MARRIED' | 'DIVORCED' | 'WIDOWED' | 'REGISTERED_PARTNERSHIP' | 'DISSOLVED_PARTNERSHIP' | 'SURVIVING_PARTNER' | 'DECEASED';

export type IdentifierKind = 'PERSONAL_IDENTITY_NUMBER' | 'COORDINATION_NUMBER' | 'CPR_NUMBER';

export interface IdentifierRow {
  id?: number;
  person_id: string;
  kind: IdentifierKind;
  value: string;
  valid_from?: string;
  valid_to?: string;
}

export interface NameRow {
  id?: number;
  person_id: string;
  given_names: string;
  middle_name?: string;
  family_name: string;
  addressing_name: string;
  search_key: string;
  valid_from?: string;
  valid_to?: string;
}

export { PROTECTION_KINDS, type ProtectionKind } from '../../kernel/protection.js';

export interface MarkerRow {
  id?: number;
  person_id: string;
  kind: ProtectionKind;
  valid_from: string;
  valid_to?: string;
}

export interface ContactRow {
  person_id: string;
  phone?: string;
  email?: string;
  preferred_language: string;
  version: number;
  updated_at: string;
}

export type AddressKind = 'REGISTERED' | 'SPECIAL_POSTAL' | 'FOREIGN';

export interface AddressRow {
  id?: number;
  person_id: string;
  kind: AddressKind;
  country_code: string;
  municipality_code?: string;
  county_code?: string;
  road_code?: string;
  street_name?: string;
  house_number?: string;
  floor?: string;
  side_door?: string;
  building_number?: string;
  locality?: string;
  postal_code?: string;
  postal_district?: string;
  care_of?: string;
  delivery_lines?: string[];
  standard_address_line?: string;
  emigration_date?: string;
  valid_from?: string;
  valid_to?: string;
}

export type RelationKind = 'MOTHER' | 'FATHER' | 'CHILD' | 'SPOUSE' | 'REGISTERED_PARTNER' | 'CUSTODY_HOLDER' | 'IN_CUSTODY_OF' | 'GUARDIAN' | 'WARD';

export interface RelationRow {
  id?: number;
  person_id: string;
  kind: RelationKind;
  relative_person_id?: string;
  relative_name?: string;
  relative_birth_date?: string;
  valid_from?: string;
  valid_to?: string;
}

export interface ReserveIdentityRow {
  id: string;
  kind: 'NATIONAL_RESERVE_ID' | 'LOCAL_RESERVE_ID';
  region?: 'SLL' | 'VGR';
  value: string;
  given_names?: string;
  family_name?: string;
  birth_date?: string;
  sex?: Sex | 'UNKNOWN';
  stated_address?: string;
  stated_postal_code?: string;
  stated_city?: string;
  stated_country?: string;
  issued_by: string;
  updated_at: string;
  recorded_at: string;
}

export interface ReserveLinkRow {
  id?: number;
  reserve_identity_id: string;
  target_kind: 'PERSONAL_IDENTITY_NUMBER' | 'NATIONAL_RESERVE_ID';
  target_value: string;
  target_person_id?: string;
  linked_at: string;
  unlinked_at?: string;
}

/** A change event on its way to the outbox; `seq` breaks ties between events of the same instant. */
export interface EventRow {
  seq?: number;
  type: string;
  person_id?: string;
  identifier?: string;
  occurred_at: string;
  recorded_at: string;
  municipality_before?: string;
  municipality_after?: string;
  birth_date?: string;
  details: Record<string, unknown>;
}

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
