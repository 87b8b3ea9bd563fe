/**
 * What an ingested change says about one person: the register's state for them as the source holds it
 * now, and the events it reports. Both feeds (CPR extracts, `cpr.ts`; the NDJSON import, `ndjson.ts`)
 * read into this shape, and one core (`apply.ts`) writes it. `undefined` for a part means the feed said
 * nothing about it (left as it is); a CPR 001 record replaces what folkreg holds, so the CPR reader
 * gives every part (an absent 004 means no protection).
 */
import type { ChangeEventType } from '../kernel/events.js';
import type { ProtectionKind } from '../kernel/protection.js';
import type { CivilStatus, FamilyRelationKind, LifeStatus, RecordedSex, RegisterCountry } from '../kernel/register-codes.js';

/** Where a fact came from in the file, for report lines. */
export interface Origin {
  readonly offset: number;
  readonly line: number | null;
  readonly recordType: string | null;
}

/** A name, with the day it began (and, for a previous name, the day it ended). */
export interface NameState {
  readonly givenNames: string | null;
  readonly middleName: string | null;
  readonly familyName: string | null;
  readonly addressingName: string | null;
  readonly validFrom: string | null;
  readonly validTo?: string | null;
}

/** The registered (DK) address: the Danish fields of records 002 and 003. */
export interface AddressState {
  /** The stored form (DK: 3 digits), a municipality of the reference list. */
  readonly municipalityCode: string;
  readonly countyCode: string | null;
  readonly roadCode: string | null;
  readonly streetName: string | null;
  readonly houseNumber: string | null;
  readonly floor: string | null;
  readonly sideDoor: string | null;
  readonly buildingNumber: string | null;
  readonly locality: string | null;
  readonly postalCode: string | null;
  readonly postalDistrict: string | null;
  readonly careOf: string | null;
  readonly standardAddressLine: string | null;
  readonly validFrom: string | null;
}

/** A foreign address (CPR 005: the country left for and up to five lines). */
export interface ForeignAddressState {
  readonly countryCode: string;
  readonly lines: readonly string[];
  readonly emigrationDate: string | null;
}

/** A relative named by number, or, when the source has no number, by name and birth date. */
export interface RelativeRef {
  readonly identifier: string | null;
  readonly name: string | null;
  readonly birthDate: string | null;
}

export interface RelationState {
  readonly kind: FamilyRelationKind;
  readonly relative: RelativeRef;
  readonly validFrom: string | null;
  /** Set for a relation that has ended (CPR 029 a former spouse, 016 a custody that ended): kept as history. */
  readonly validTo?: string | null;
}

/** One event the source reports (CPR 099), kept once per person by its `key`. */
export interface EventState {
  readonly type: ChangeEventType;
  /** The source's own code (CPR HAENDELSE), kept with the event. */
  readonly code: string | null;
  /** CPR AFLEDTMRK: set when the person is affected by another person's event. */
  readonly derived: string | null;
  readonly occurredAt: Date;
  /** What makes the event the same event when a file is read again. */
  readonly key: string;
}

/** A citizenship with its period (`validTo` exclusive, null while held). */
export interface CitizenshipPeriodState {
  readonly country: string;
  readonly validFrom: string | null;
  readonly validTo: string | null;
}

export interface PersonState {
  readonly country: RegisterCountry;
  /** The current number, canonical (CPR `DDMMYYSSSS`, SE `YYYYMMDDNNNC`). */
  readonly identifier: string;
  readonly registeringAuthority: string;
  readonly status: LifeStatus;
  readonly statusDate: string | null;
  readonly sex: RecordedSex;
  readonly birthDate: string | null;
  /** Numbers the person had before (CPR 022), which keep finding them. */
  readonly previousIdentifiers?: readonly { readonly value: string; readonly validFrom: string | null; readonly validTo: string | null }[];
  readonly name?: NameState | null;
  readonly previousNames?: readonly NameState[];
  /** null: no registered address (emigrated, disappeared …). */
  readonly address?: AddressState | null;
  readonly foreignAddress?: ForeignAddressState | null;
  readonly protections?: readonly { readonly kind: ProtectionKind; readonly validFrom: string | null; readonly validTo: string | null }[];
  /** The current citizenships (ISO 3166-1 alpha-2); undefined: the source does not say (left as held). */
  readonly citizenships?: readonly string[];
  /**
   * Citizenship periods the source states (CPR 010's start of each current one, 027 the ended ones): a
   * current one (`validTo` null) dates a country of `citizenships`; an ended one is kept as history.
   */
  readonly citizenshipPeriods?: readonly CitizenshipPeriodState[];
  /** `partner` undefined: the feed does not say (the NDJSON import): the link held is kept. */
  readonly civilStatus?: { readonly status: CivilStatus | null; readonly since: string | null; readonly partner?: RelativeRef | null };
  /** Children, parents and custody: every current relation of these kinds (others are left as they are). */
  readonly relations?: readonly RelationState[];
  readonly events: readonly EventState[];
}

/** The relation kinds a CPR extract states in full (012 spouse/partner, 014 children, 015 parents, 016 custody). */
export const STATED_RELATION_KINDS: readonly FamilyRelationKind[] = ['MOTHER', 'FATHER', 'CHILD', 'SPOUSE', 'REGISTERED_PARTNER', 'CUSTODY_HOLDER'];
