/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** What an address is for. */
export type AddressKind =
  /** An address abroad after emigration (SE utlandsadress; CPR udrejse, record 005). */
  | 'FOREIGN'
  /** The registered residence (SE folkbokföringsadress; CPR bopælsadresse, record 002/003). */
  | 'REGISTERED'
  /** A separate postal address (SE särskild postadress; CPR kontaktadresse, record 006). */
  | 'SPECIAL_POSTAL';

/** An inclusive age range in whole years (CPR AgeRange StartAge/EndAge). */
export type AgeRangeInput = {
  /** Highest age, 0–999, not below `minAge`. */
  maxAge: number;
  /** Lowest age, 0–999. */
  minAge: number;
};

/** A death to annul. */
export type AnnulDeathInput = {
  /** folkreg's id of the person (`Person.id`). */
  personId: string | number;
};

/** A number to annul. */
export type AnnulIdentifierInput = {
  /** folkreg's id of the person (`Person.id`). */
  personId: string | number;
};

/** A person's citizenships from a day. */
export type ChangeCitizenshipsInput = {
  /** Every citizenship, ISO 3166-1 alpha-2 (`SE`, `DK` …); empty for a stateless person. */
  citizenships: Array<string>;
  /** folkreg's id of the person (`Person.id`). */
  personId: string | number;
  /** The day they take effect. */
  validFrom: string;
};

/** A civil-status change. */
export type ChangeCivilStatusInput = {
  /** The new civil status. */
  civilStatus: CivilStatus;
  /** The spouse or partner, when registered here: needed for both sides of a marriage or partnership; for an ending, the recorded partner is used. */
  partnerPersonId?: string | number | null | undefined;
  /** folkreg's id of the person (`Person.id`). */
  personId: string | number;
  /** The day it takes effect; becomes `civilStatusSince`. */
  since: string;
};

/**
 * Kinds of change events, with the CPR change code where CPR has one. Each value is marked with the
 * category of the fact whose date an event of this type carries in `ChangeEvent.occurredAt`.
 */
export type ChangeEventType =
  /** The current address was corrected (CPR A09). Its date is the address's `validFrom`. */
  | 'ADDRESS_CORRECTION'
  /** Citizenships changed (CPR record 010; SE medborgarskap; no CPR change code of its own). Its date is the day the new citizenships took effect. */
  | 'CITIZENSHIP_CHANGE'
  /** Civil status changed (CPR A24). Its date is `civilStatusSince`. */
  | 'CIVIL_STATUS_CHANGE'
  /** Contact details (phone, e-mail, language) changed. Its date is when the contact details changed. */
  | 'CONTACT_DETAILS_CHANGE'
  /** Died (CPR A21 Dødsfald). Its date is `statusDate`, the day of death. */
  | 'DEATH'
  /** A registered death was annulled (CPR A25 Annullation af dødsfald): the person has the life status they had before it again. Its date is when the annulment was registered. */
  | 'DEATH_ANNULLED'
  /** Registered as disappeared (CPR A02 Forsvinding). Its date is `statusDate`. */
  | 'DISAPPEARANCE'
  /** Emigrated (CPR A06 Udrejse). Its date is the foreign address's `emigrationDate`. */
  | 'EMIGRATION'
  /** A family relation was added or ended. Its date is the relation's `since` or `until`. */
  | 'FAMILY_RELATION_CHANGE'
  /** Placed under or released from guardianship (CPR A73). Its date is when the guardian relation began or ended. */
  | 'GUARDIANSHIP'
  /** The identifier was annulled (CPR A40). Its date is the identifier's `validTo`. */
  | 'IDENTIFIER_ANNULLED'
  /** The identifier was replaced by another (CPR P03). Its date is the new identifier's `validFrom`. */
  | 'IDENTIFIER_CHANGE'
  /** Re-entered the country (CPR A04 Genindrejse). Its date is the new address's `validFrom`. */
  | 'IMMIGRATION'
  /** Move to a new registered address (CPR A01 Flytning). Its date is the new address's `validFrom`. */
  | 'MOVE'
  /** Name changed (CPR A13 Navneændring). Its date is the new name's `validFrom`. */
  | 'NAME_CHANGE'
  /** A person was registered (birth or immigration with a new number). Its date is `registeredOn` (for a birth also the birth date, which the number itself holds). */
  | 'PERSON_REGISTERED'
  /** Protection added, changed or ended (CPR A33 Beskyttelse). Its date is the marker's `validFrom`/`validTo`, shown to everyone in `protectionMarkers`; IDENTITY is hidden only from callers the person is excluded from, who get no events of theirs. */
  | 'PROTECTION_CHANGE'
  /** Found again after disappearance (CPR A03 Genfinding). Its date is `statusDate`. */
  | 'REAPPEARANCE'
  /** A reserve identity was issued, changed, linked or unlinked. Its date is when the reserve identity was issued, changed, linked or unlinked. */
  | 'RESERVE_IDENTITY_CHANGE';

/** A person's new national number. */
export type ChangeIdentifierInput = {
  /** The new number, in any accepted form of the person's register. */
  identifier: string;
  /** folkreg's id of the person (`Person.id`). */
  personId: string | number;
  /** The day the new number takes effect. */
  validFrom: string;
};

/** A person's new name. */
export type ChangeNameInput = {
  /** The name as written on an envelope (CPR ADRNVN; SE aviseringsnamn); default `Family, Given`. */
  addressingName?: string | null | undefined;
  /** Family name (CPR EFTERNVN; SE efternamn). */
  familyName?: string | null | undefined;
  /** Given names (CPR FORNVN; SE förnamn). */
  givenNames?: string | null | undefined;
  /** Middle name (CPR MELNVN; SE mellannamn). */
  middleName?: string | null | undefined;
  /** folkreg's id of the person (`Person.id`). */
  personId: string | number;
  /** The day the new name takes effect. */
  validFrom: string;
};

/** Civil status: one enum for both registers' code sets. */
export type CivilStatus =
  /** Deceased (CPR D). */
  | 'DECEASED'
  /** Registered partnership dissolved (CPR O; SE SP skild partner). */
  | 'DISSOLVED_PARTNERSHIP'
  /** Divorced (CPR F; SE S skild). */
  | 'DIVORCED'
  /** Married (CPR G; SE G gift). */
  | 'MARRIED'
  /** Registered partner (CPR P; SE RP registrerad partner). */
  | 'REGISTERED_PARTNERSHIP'
  /** Surviving partner (CPR L; SE EP efterlevande partner). */
  | 'SURVIVING_PARTNER'
  /** Never married (CPR U; SE OG ogift). */
  | 'UNMARRIED'
  /** Widowed (CPR E; SE Ä änka/änkling). */
  | 'WIDOWED';

/** New contact details of a person. */
export type ContactDetailsInput = {
  /** E-mail address (kontaktuppgift e-post). */
  email?: string | null | undefined;
  /** folkreg's id of the person (`Person.id`). */
  personId: string | number;
  /** Phone number, digits with an optional leading `+` and spaces or dashes (kontaktuppgift telefon). */
  phone?: string | null | undefined;
  /** Preferred language as an ISO 639-1 code, e.g. `sv`, `da`, `en`. */
  preferredLanguage?: string | null | undefined;
  /** The `ContactDetails.version` you read; 0 when the person had no contact details. */
  version: number;
};

/** The register a person is kept in. */
export type Country =
  /** Denmark: CPR (Det Centrale Personregister). */
  | 'DK'
  /** Sweden: Skatteverket's folkbokföring. */
  | 'SE';

/** A protection marker to end. */
export type EndProtectionInput = {
  /** First day the protection is no longer in force. */
  endsOn: string;
  /** Which protection. */
  kind: ProtectionKind;
  /** folkreg's id of the person (`Person.id`). */
  personId: string | number;
};

/** Filter groups (CPR Abonnement FilterGroup). */
export type EventFilterGroup =
  /** Age ranges (CPR AgeRange). */
  | 'AGE_RANGE'
  /** Event types (CPR EventChangeCode). */
  | 'EVENT_TYPE'
  /** Municipality codes (CPR MunicipalityCode). */
  | 'MUNICIPALITY'
  /** Person identifiers (CPR PNR). */
  | 'PERSON';

/** How the relative is related to the person. */
export type FamilyRelationKind =
  /** The relative is the person's child (CPR record 014; Familie+ FAMMRK Barn). */
  | 'CHILD'
  /** The relative holds custody of the person (CPR record 016 forældremyndighed; SE vårdnadshavare). */
  | 'CUSTODY_HOLDER'
  /** The relative is the person's father (CPR record 015 PNRFAR; Familie+ FAMMRK Far). */
  | 'FATHER'
  /** The relative is the person's guardian (CPR record 017 værge; SE förmyndare/god man). */
  | 'GUARDIAN'
  /** The person holds custody of the relative (the reverse of CUSTODY_HOLDER). */
  | 'IN_CUSTODY_OF'
  /** The relative is the person's mother (CPR record 015 PNRMOR; Familie+ FAMMRK Mor). */
  | 'MOTHER'
  /** The relative is the person's registered partner (CPR CIVST P; SE registrerad partner). */
  | 'REGISTERED_PARTNER'
  /** The relative is the person's spouse (CPR record 012; Familie+ FAMMRK Ægtefælle). */
  | 'SPOUSE'
  /** The relative is the person's ward (the reverse of GUARDIAN). */
  | 'WARD';

/** Outcome of adding or removing one filter value (CPR Abonnement result codes). */
export type FilterChangeResult =
  /** Added. */
  | 'ADDED'
  /** Already present; nothing changed. */
  | 'ALREADY_EXISTED'
  /** Malformed value; nothing changed. `reason` says why. */
  | 'INVALID'
  /** Not present; nothing changed (CPR NON_EXISTING_PNR). */
  | 'NON_EXISTING'
  /** Removed. */
  | 'REMOVED';

/** Kinds of identifiers folkreg understands. */
export type IdentifierKind =
  /** Swedish samordningsnummer: a personnummer-shaped number with 60 added to the day. */
  | 'COORDINATION_NUMBER'
  /** Danish CPR number (personnummer i CPR). */
  | 'CPR_NUMBER'
  /** Swedish regional reserve ID (lokalt reservID) of a healthcare region. */
  | 'LOCAL_RESERVE_ID'
  /** Swedish national reserve ID (nationellt reservID, Inera Personuppgiftstjänsten). */
  | 'NATIONAL_RESERVE_ID'
  /** Swedish personnummer (Skatteverket). */
  | 'PERSONAL_IDENTITY_NUMBER';

/** A life event of a person on a day. */
export type LifeEventInput = {
  /** The day the event took effect; becomes `Person.statusDate`. */
  on: string;
  /** folkreg's id of the person (`Person.id`). */
  personId: string | number;
};

/** Life status of a person in the register. */
export type LifeStatus =
  /** Alive and registered (CPR STATUS 01/03/05/07/20). */
  | 'ACTIVE'
  /** The number was annulled (CPR STATUS 30; SPAR AS annullerat samordningsnummer). */
  | 'ANNULLED'
  /** Deceased (CPR STATUS 90; SPAR AV avliden). */
  | 'DECEASED'
  /** Disappeared (CPR STATUS 70 forsvundet; SPAR OB försvunnen). */
  | 'DISAPPEARED'
  /** Emigrated (CPR STATUS 80; SPAR UV utvandrad). */
  | 'EMIGRATED'
  /** The number was replaced by another (CPR STATUS 60; SPAR GN/GS gammalt nummer). */
  | 'REPLACED';

/** Criteria of a person search; all given ones must match. */
export type PersonSearchFilter = {
  /** Born on or after this date. */
  birthDateFrom?: string | null | undefined;
  /** Born on or before this date. */
  birthDateTo?: string | null | undefined;
  /** Only persons of this register. */
  country?: Country | null | undefined;
  /**
   * A personnummer or a prefix of one of at least the birth date: `YYYYMMDD`, `YYMMDD` (century as for a
   * 10-digit number; `YYMMDD+` for 100 and over), followed by up to all remaining digits, with or without
   * the separator after the date (`19560111-41`, `1956011141`, `560111-41`). Digits that fit two forms
   * (`2010101012`: the 12-digit prefix `20101010-12` and the whole 10-digit number) find both. A whole number
   * also finds a replaced one; a samordningsnummer matches only when given in full. With `country: DK`, a CPR
   * prefix `DDMMYY…` (`DDMMYY-SS…`).
   */
  identifierPrefix?: string | null | undefined;
  /** Municipality of registration: SE kommunkod (4 digits), DK kommunekode (3 digits) or CPR KOMKOD (zero-padded 4: `0101` is `101`). An unknown code is BAD_USER_INPUT (UNKNOWN_MUNICIPALITY). Searching by municipality needs the scope `address:read` besides `person:read` (FORBIDDEN, reason MISSING_SCOPE). */
  municipalityCode?: string | null | undefined;
  /** Name words, case- and diacritic-insensitive (`ostlund` finds Östlund); each word matches the start of a name word. At least 2 letters. */
  name?: string | null | undefined;
};

/** Kinds of identity protection. */
export type ProtectionKind =
  /** DK lokalvejviserbeskyttelse (CPR BESKYTTYPE 0002): not given to local directories. */
  | 'DK_LOCAL_DIRECTORY'
  /** DK markedsføringsbeskyttelse (CPR BESKYTTYPE 0003): no addressed marketing. */
  | 'DK_MARKETING'
  /** DK navne- og adressebeskyttelse (CPR BESKYTTYPE 0001): name and address hidden from private parties. */
  | 'DK_NAME_AND_ADDRESS'
  /** DK forskerbeskyttelse (CPR BESKYTTYPE 0004): no contact for research surveys. */
  | 'DK_RESEARCH'
  /** SE sekretessmarkering (Navet termkod 01003): release needs a harm test. */
  | 'SE_CONFIDENTIALITY_MARKING'
  /** SE skyddad folkbokföring (termkod 01020, formerly kvarskrivning): the address is never registered. */
  | 'SE_PROTECTED_REGISTRATION';

/** A person's death. */
export type RegisterDeathInput = {
  /** The day of death (CPR DOEDSDATO); becomes `Person.statusDate`. */
  diedOn: string;
  /** folkreg's id of the person (`Person.id`). */
  personId: string | number;
};

/** Personal data of a reserve identity. */
export type ReserveIdentityDataInput = {
  /** Birth date, if known. */
  birthDate?: string | null | undefined;
  /** Family name, if known. */
  familyName?: string | null | undefined;
  /** Given names, if known. */
  givenNames?: string | null | undefined;
  /** Sex, if known. */
  sex?: Sex | null | undefined;
  /** The address the person stated (uppgiven adress). */
  statedAddress?: StatedAddressInput | null | undefined;
};

/** Kinds of reserve identity. */
export type ReserveIdentityKind =
  /** Local reserve ID of a healthcare region (lokalt reservID). */
  | 'LOCAL_RESERVE_ID'
  /** National reserve ID (nationellt reservID, format XXYYMMDDNNGC). */
  | 'NATIONAL_RESERVE_ID';

/** Legal sex. */
export type Sex =
  /** Female (CPR KOEN K; even ninth digit of a personnummer). */
  | 'FEMALE'
  /** Male (CPR KOEN M; odd ninth digit of a personnummer). */
  | 'MALE'
  /** Not recorded. */
  | 'UNKNOWN';

/** A protection marker to start. */
export type StartProtectionInput = {
  /** Which protection; SE kinds for Swedish persons, DK kinds for Danish ones. */
  kind: ProtectionKind;
  /** folkreg's id of the person (`Person.id`). */
  personId: string | number;
  /** First day in force. */
  validFrom: string;
  /** First day no longer in force (CPR SLET_DT); leave out for an open-ended marker. */
  validTo?: string | null | undefined;
};

/** An address as the person stated it (uppgiven adress), unverified. */
export type StatedAddressInput = {
  /** City (postort). */
  city?: string | null | undefined;
  /** ISO 3166-1 alpha-2 country code. */
  country?: string | null | undefined;
  /** Postal code. */
  postalCode?: string | null | undefined;
  /** Street and number, or the address line. */
  streetAddress?: string | null | undefined;
};

export type AdminSearchPersonsQueryVariables = Exact<{
  filter: PersonSearchFilter;
  after?: string | null | undefined;
}>;


export type AdminSearchPersonsQuery = { searchPersons: { edges: Array<{ node: { id: string, country: Country, birthDate: string | null, status: LifeStatus | null, identifier: { kind: IdentifierKind, display: string | null, value: string | null } | null, name: { addressingName: string | null } | null, protectionMarkers: Array<{ kind: ProtectionKind }> } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type AdminPersonQueryVariables = Exact<{
  identifier: string;
}>;


export type AdminPersonQuery = { person: { id: string, country: Country, birthDate: string | null, sex: Sex | null, status: LifeStatus | null, statusDate: string | null, civilStatus: CivilStatus | null, civilStatusSince: string | null, citizenships: Array<string> | null, registeredOn: string | null, registeringAuthority: string | null, identifier: { kind: IdentifierKind, display: string | null, value: string | null } | null, identifiers: Array<{ kind: IdentifierKind, display: string | null, current: boolean, validFrom: string | null, validTo: string | null }> | null, name: { givenNames: string | null, middleName: string | null, familyName: string | null, addressingName: string | null } | null, previousNames: Array<{ addressingName: string | null, validFrom: string | null, validTo: string | null }> | null, civilStatusPartner: { id: string, identifier: { display: string | null, value: string | null } | null, name: { addressingName: string | null } | null } | null, protectionMarkers: Array<{ kind: ProtectionKind, validFrom: string | null, validTo: string | null }>, contactDetails: { phone: string | null, email: string | null, preferredLanguage: string | null, version: number, updatedAt: string | null } | null } | null };

export type AdminPersonAddressesQueryVariables = Exact<{
  identifier: string;
}>;


export type AdminPersonAddressesQuery = { person: { id: string, addresses: Array<{ kind: AddressKind, current: boolean | null, standardAddressLine: string | null, careOf: string | null, postalCode: string | null, postalDistrict: string | null, municipalityCode: string | null, municipalityName: string | null, countryCode: string | null, validFrom: string | null, validTo: string | null }> | null } | null };

export type AdminPersonFamilyQueryVariables = Exact<{
  identifier: string;
  after?: string | null | undefined;
}>;


export type AdminPersonFamilyQuery = { person: { id: string, familyRelations: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, kind: FamilyRelationKind, since: string | null, relativeName: string | null, relativeBirthDate: string | null, relative: { id: string, identifier: { display: string | null, value: string | null } | null, name: { addressingName: string | null } | null } | null } }> } | null } | null };

export type AdminPersonReserveIdentitiesQueryVariables = Exact<{
  identifier: string;
}>;


export type AdminPersonReserveIdentitiesQuery = { person: { id: string, reserveIdentities: Array<{ id: string, kind: ReserveIdentityKind, value: string | null, region: string | null, givenNames: string | null, familyName: string | null, birthDate: string | null, linkedAt: string | null }> | null } | null };

export type AdminChangeEventRowFragment = { type: ChangeEventType, cprChangeCode: string | null, occurredAt: string | null, recordedAt: string };

export type AdminPersonEventsQueryVariables = Exact<{
  identifier: string;
  country?: Country | null | undefined;
}>;


export type AdminPersonEventsQuery = { changeEvents: { edges: Array<{ node: { type: ChangeEventType, cprChangeCode: string | null, occurredAt: string | null, recordedAt: string } }> } };

export type AdminUpdateContactDetailsMutationVariables = Exact<{
  input: ContactDetailsInput;
}>;


export type AdminUpdateContactDetailsMutation = { updateContactDetails: { phone: string | null, email: string | null, preferredLanguage: string | null, version: number, updatedAt: string | null } };

export type AdminReserveIdentityQueryVariables = Exact<{
  identifier: string;
}>;


export type AdminReserveIdentityQuery = { reserveIdentity: { id: string, kind: ReserveIdentityKind, value: string | null, region: string | null, issuedBy: string | null, givenNames: string | null, familyName: string | null, birthDate: string | null, sex: Sex | null, statedAddress: { streetAddress: string | null, postalCode: string | null, city: string | null, country: string | null } | null, mainIdentifier: { kind: IdentifierKind, value: string | null } | null, links: Array<{ linkedAt: string, unlinkedAt: string | null, target: { kind: IdentifierKind, value: string | null } }> } | null };

export type AdminIssueNationalReserveIdMutationVariables = Exact<{
  input: ReserveIdentityDataInput;
}>;


export type AdminIssueNationalReserveIdMutation = { issueNationalReserveId: { id: string, kind: ReserveIdentityKind, value: string | null } };

export type AdminRegisterLocalReserveIdMutationVariables = Exact<{
  identifier: string;
  input?: ReserveIdentityDataInput | null | undefined;
}>;


export type AdminRegisterLocalReserveIdMutation = { registerLocalReserveId: { id: string, kind: ReserveIdentityKind, value: string | null } };

export type AdminUpdateReserveIdentityMutationVariables = Exact<{
  id: string | number;
  input: ReserveIdentityDataInput;
}>;


export type AdminUpdateReserveIdentityMutation = { updateReserveIdentity: { id: string, value: string | null } };

export type AdminLinkReserveIdentityMutationVariables = Exact<{
  id: string | number;
  to: string;
}>;


export type AdminLinkReserveIdentityMutation = { linkReserveIdentity: { id: string, value: string | null, mainIdentifier: { kind: IdentifierKind, value: string | null } | null } };

export type AdminUnlinkReserveIdentityMutationVariables = Exact<{
  id: string | number;
}>;


export type AdminUnlinkReserveIdentityMutation = { unlinkReserveIdentity: { id: string, value: string | null } };

export type AdminRegisterChangeFragment = { person: { id: string, status: LifeStatus | null } };

export type AdminRegisterDeathMutationVariables = Exact<{
  input: RegisterDeathInput;
}>;


export type AdminRegisterDeathMutation = { registerDeath: { person: { id: string, status: LifeStatus | null } } };

export type AdminAnnulDeathMutationVariables = Exact<{
  input: AnnulDeathInput;
}>;


export type AdminAnnulDeathMutation = { annulDeath: { person: { id: string, status: LifeStatus | null } } };

export type AdminRegisterDisappearanceMutationVariables = Exact<{
  input: LifeEventInput;
}>;


export type AdminRegisterDisappearanceMutation = { registerDisappearance: { person: { id: string, status: LifeStatus | null } } };

export type AdminRegisterReappearanceMutationVariables = Exact<{
  input: LifeEventInput;
}>;


export type AdminRegisterReappearanceMutation = { registerReappearance: { person: { id: string, status: LifeStatus | null } } };

export type AdminStartProtectionMutationVariables = Exact<{
  input: StartProtectionInput;
}>;


export type AdminStartProtectionMutation = { startProtection: { person: { id: string, status: LifeStatus | null } } };

export type AdminEndProtectionMutationVariables = Exact<{
  input: EndProtectionInput;
}>;


export type AdminEndProtectionMutation = { endProtection: { person: { id: string, status: LifeStatus | null } } };

export type AdminChangeNameMutationVariables = Exact<{
  input: ChangeNameInput;
}>;


export type AdminChangeNameMutation = { changeName: { person: { id: string, status: LifeStatus | null } } };

export type AdminChangeCivilStatusMutationVariables = Exact<{
  input: ChangeCivilStatusInput;
}>;


export type AdminChangeCivilStatusMutation = { changeCivilStatus: { person: { id: string, status: LifeStatus | null } } };

export type AdminChangeIdentifierMutationVariables = Exact<{
  input: ChangeIdentifierInput;
}>;


export type AdminChangeIdentifierMutation = { changeIdentifier: { person: { id: string, status: LifeStatus | null } } };

export type AdminAnnulIdentifierMutationVariables = Exact<{
  input: AnnulIdentifierInput;
}>;


export type AdminAnnulIdentifierMutation = { annulIdentifier: { person: { id: string, status: LifeStatus | null } } };

export type AdminChangeCitizenshipsMutationVariables = Exact<{
  input: ChangeCitizenshipsInput;
}>;


export type AdminChangeCitizenshipsMutation = { changeCitizenships: { person: { id: string, status: LifeStatus | null } } };

export type AdminPersonIdQueryVariables = Exact<{
  identifier: string;
}>;


export type AdminPersonIdQuery = { person: { id: string } | null };

export type AdminEventSubscriptionsQueryVariables = Exact<{ [key: string]: never; }>;


export type AdminEventSubscriptionsQuery = { eventSubscriptions: Array<{ id: string, name: string | null, catchAll: boolean, createdAt: string, acknowledgedCursor: string | null, filters: { types: Array<ChangeEventType>, municipalityCodes: Array<string>, personIdentifiers: Array<string>, ageRanges: Array<{ minAge: number, maxAge: number }> } }> };

export type AdminCreateEventSubscriptionMutationVariables = Exact<{
  name?: string | null | undefined;
  catchAll?: boolean | null | undefined;
}>;


export type AdminCreateEventSubscriptionMutation = { createEventSubscription: { id: string } };

export type AdminDeleteEventSubscriptionMutationVariables = Exact<{
  id: string | number;
}>;


export type AdminDeleteEventSubscriptionMutation = { deleteEventSubscription: string };

export type AdminSetCatchAllMutationVariables = Exact<{
  id: string | number;
  catchAll: boolean;
}>;


export type AdminSetCatchAllMutation = { setEventSubscriptionCatchAll: { id: string, catchAll: boolean } };

export type AdminFilterChangeFragment = { value: string | null, result: FilterChangeResult, reason: string | null };

export type AdminPersonFilterChangeFragment = { result: FilterChangeResult, reason: string | null, value: string };

export type AdminAddEventTypeFiltersMutationVariables = Exact<{
  id: string | number;
  types: Array<ChangeEventType> | ChangeEventType;
}>;


export type AdminAddEventTypeFiltersMutation = { addEventTypeFilters: Array<{ value: string | null, result: FilterChangeResult, reason: string | null }> };

export type AdminRemoveEventTypeFiltersMutationVariables = Exact<{
  id: string | number;
  types: Array<ChangeEventType> | ChangeEventType;
}>;


export type AdminRemoveEventTypeFiltersMutation = { removeEventTypeFilters: Array<{ value: string | null, result: FilterChangeResult, reason: string | null }> };

export type AdminAddMunicipalityFiltersMutationVariables = Exact<{
  id: string | number;
  codes: Array<string> | string;
}>;


export type AdminAddMunicipalityFiltersMutation = { addMunicipalityFilters: Array<{ value: string | null, result: FilterChangeResult, reason: string | null }> };

export type AdminRemoveMunicipalityFiltersMutationVariables = Exact<{
  id: string | number;
  codes: Array<string> | string;
}>;


export type AdminRemoveMunicipalityFiltersMutation = { removeMunicipalityFilters: Array<{ value: string | null, result: FilterChangeResult, reason: string | null }> };

export type AdminAddPersonFiltersMutationVariables = Exact<{
  id: string | number;
  identifiers: Array<string> | string;
}>;


export type AdminAddPersonFiltersMutation = { addPersonFilters: Array<{ result: FilterChangeResult, reason: string | null, value: string }> };

export type AdminRemovePersonFiltersMutationVariables = Exact<{
  id: string | number;
  identifiers: Array<string> | string;
}>;


export type AdminRemovePersonFiltersMutation = { removePersonFilters: Array<{ result: FilterChangeResult, reason: string | null, value: string }> };

export type AdminAddAgeRangeFiltersMutationVariables = Exact<{
  id: string | number;
  ranges: Array<AgeRangeInput> | AgeRangeInput;
}>;


export type AdminAddAgeRangeFiltersMutation = { addAgeRangeFilters: Array<{ value: string | null, minAge: number | null, maxAge: number | null, result: FilterChangeResult, reason: string | null }> };

export type AdminRemoveAllFiltersMutationVariables = Exact<{
  id: string | number;
  group: EventFilterGroup;
}>;


export type AdminRemoveAllFiltersMutation = { removeAllFilters: { removedCount: number } };

export type AdminPullEventsQueryVariables = Exact<{
  id: string | number;
  after?: string | null | undefined;
}>;


export type AdminPullEventsQuery = { changeEvents: { edges: Array<{ node: { type: ChangeEventType, cprChangeCode: string | null, occurredAt: string | null, recordedAt: string } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type AdminAcknowledgeEventsMutationVariables = Exact<{
  id: string | number;
  cursor: string;
}>;


export type AdminAcknowledgeEventsMutation = { acknowledgeEvents: { advanced: boolean, subscription: { id: string, acknowledgedCursor: string | null } } };

export type AdminAuditEventsQueryVariables = Exact<{
  personId?: string | number | null | undefined;
  subject?: string | null | undefined;
  after?: string | null | undefined;
}>;


export type AdminAuditEventsQuery = { auditEvents: { edges: Array<{ node: { at: string, subject: string, client: string | null, purpose: string | null, operationName: string | null, fields: Array<string>, person: { id: string, identifier: { display: string | null } | null, name: { addressingName: string | null } | null } } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export const AdminChangeEventRowFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AdminChangeEventRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ChangeEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"cprChangeCode"}},{"kind":"Field","name":{"kind":"Name","value":"occurredAt"}},{"kind":"Field","name":{"kind":"Name","value":"recordedAt"}}]}}]} as unknown as DocumentNode<AdminChangeEventRowFragment, unknown>;
export const AdminRegisterChangeFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AdminRegisterChange"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RegisterChangePayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"person"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]} as unknown as DocumentNode<AdminRegisterChangeFragment, unknown>;
export const AdminFilterChangeFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AdminFilterChange"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"EventFilterChange"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"result"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}}]}}]} as unknown as DocumentNode<AdminFilterChangeFragment, unknown>;
export const AdminPersonFilterChangeFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AdminPersonFilterChange"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PersonFilterChange"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","alias":{"kind":"Name","value":"value"},"name":{"kind":"Name","value":"input"}},{"kind":"Field","name":{"kind":"Name","value":"result"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}}]}}]} as unknown as DocumentNode<AdminPersonFilterChangeFragment, unknown>;
export const AdminSearchPersonsDocument = {"__meta__":{"hash":"sha256:747f5e4f307ee1ff2304188dec617daaeb4f11ed3d8cd5fbd218755eb487e376"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AdminSearchPersons"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"PersonSearchFilter"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"searchPersons"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"20"}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"country"}},{"kind":"Field","name":{"kind":"Name","value":"identifier"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"display"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}},{"kind":"Field","name":{"kind":"Name","value":"name"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"addressingName"}}]}},{"kind":"Field","name":{"kind":"Name","value":"birthDate"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"protectionMarkers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]} as unknown as DocumentNode<AdminSearchPersonsQuery, AdminSearchPersonsQueryVariables>;
export const AdminPersonDocument = {"__meta__":{"hash":"sha256:6ce92cebb86555d8c5a07a4e3060bd8c4b9cbf94ceaf708cd4ba9d2ed1c0f756"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AdminPerson"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"identifier"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"person"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"identifier"},"value":{"kind":"Variable","name":{"kind":"Name","value":"identifier"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"country"}},{"kind":"Field","name":{"kind":"Name","value":"identifier"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"display"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}},{"kind":"Field","name":{"kind":"Name","value":"identifiers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"display"}},{"kind":"Field","name":{"kind":"Name","value":"current"}},{"kind":"Field","name":{"kind":"Name","value":"validFrom"}},{"kind":"Field","name":{"kind":"Name","value":"validTo"}}]}},{"kind":"Field","name":{"kind":"Name","value":"name"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"givenNames"}},{"kind":"Field","name":{"kind":"Name","value":"middleName"}},{"kind":"Field","name":{"kind":"Name","value":"familyName"}},{"kind":"Field","name":{"kind":"Name","value":"addressingName"}}]}},{"kind":"Field","name":{"kind":"Name","value":"previousNames"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"addressingName"}},{"kind":"Field","name":{"kind":"Name","value":"validFrom"}},{"kind":"Field","name":{"kind":"Name","value":"validTo"}}]}},{"kind":"Field","name":{"kind":"Name","value":"birthDate"}},{"kind":"Field","name":{"kind":"Name","value":"sex"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"statusDate"}},{"kind":"Field","name":{"kind":"Name","value":"civilStatus"}},{"kind":"Field","name":{"kind":"Name","value":"civilStatusSince"}},{"kind":"Field","name":{"kind":"Name","value":"civilStatusPartner"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"identifier"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"display"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}},{"kind":"Field","name":{"kind":"Name","value":"name"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"addressingName"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"citizenships"}},{"kind":"Field","name":{"kind":"Name","value":"registeredOn"}},{"kind":"Field","name":{"kind":"Name","value":"registeringAuthority"}},{"kind":"Field","name":{"kind":"Name","value":"protectionMarkers"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"includeHistoric"},"value":{"kind":"BooleanValue","value":true}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"validFrom"}},{"kind":"Field","name":{"kind":"Name","value":"validTo"}}]}},{"kind":"Field","name":{"kind":"Name","value":"contactDetails"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"phone"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"preferredLanguage"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]}}]}}]} as unknown as DocumentNode<AdminPersonQuery, AdminPersonQueryVariables>;
export const AdminPersonAddressesDocument = {"__meta__":{"hash":"sha256:5d88a51827957fc7f0c09e4f9144982eb4e7b94dc849e342ea7882baccab35bc"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AdminPersonAddresses"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"identifier"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"person"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"identifier"},"value":{"kind":"Variable","name":{"kind":"Name","value":"identifier"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"addresses"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"includeHistoric"},"value":{"kind":"BooleanValue","value":true}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"current"}},{"kind":"Field","name":{"kind":"Name","value":"standardAddressLine"}},{"kind":"Field","name":{"kind":"Name","value":"careOf"}},{"kind":"Field","name":{"kind":"Name","value":"postalCode"}},{"kind":"Field","name":{"kind":"Name","value":"postalDistrict"}},{"kind":"Field","name":{"kind":"Name","value":"municipalityCode"}},{"kind":"Field","name":{"kind":"Name","value":"municipalityName"}},{"kind":"Field","name":{"kind":"Name","value":"countryCode"}},{"kind":"Field","name":{"kind":"Name","value":"validFrom"}},{"kind":"Field","name":{"kind":"Name","value":"validTo"}}]}}]}}]}}]} as unknown as DocumentNode<AdminPersonAddressesQuery, AdminPersonAddressesQueryVariables>;
export const AdminPersonFamilyDocument = {"__meta__":{"hash":"sha256:549bddf4cc1211659f85f26cc02927e3acad138fe87550050b5582215e7ae89c"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AdminPersonFamily"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"identifier"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"person"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"identifier"},"value":{"kind":"Variable","name":{"kind":"Name","value":"identifier"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"familyRelations"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"20"}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"since"}},{"kind":"Field","name":{"kind":"Name","value":"relativeName"}},{"kind":"Field","name":{"kind":"Name","value":"relativeBirthDate"}},{"kind":"Field","name":{"kind":"Name","value":"relative"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"identifier"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"display"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}},{"kind":"Field","name":{"kind":"Name","value":"name"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"addressingName"}}]}}]}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<AdminPersonFamilyQuery, AdminPersonFamilyQueryVariables>;
export const AdminPersonReserveIdentitiesDocument = {"__meta__":{"hash":"sha256:6bd2896261cb751b869d5b4eef4dd9290fffa79ba47addbb3d243a6a9656dd2a"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AdminPersonReserveIdentities"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"identifier"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"person"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"identifier"},"value":{"kind":"Variable","name":{"kind":"Name","value":"identifier"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"reserveIdentities"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"50"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"region"}},{"kind":"Field","name":{"kind":"Name","value":"givenNames"}},{"kind":"Field","name":{"kind":"Name","value":"familyName"}},{"kind":"Field","name":{"kind":"Name","value":"birthDate"}},{"kind":"Field","name":{"kind":"Name","value":"linkedAt"}}]}}]}}]}}]} as unknown as DocumentNode<AdminPersonReserveIdentitiesQuery, AdminPersonReserveIdentitiesQueryVariables>;
export const AdminPersonEventsDocument = {"__meta__":{"hash":"sha256:3bc4a0ceb5cb74b30667a38a54e448225a0fb209749ee7198eea4fa5a6db9cb1"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AdminPersonEvents"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"identifier"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"country"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Country"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"changeEvents"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"50"}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"personIdentifiers"},"value":{"kind":"ListValue","values":[{"kind":"Variable","name":{"kind":"Name","value":"identifier"}}]}},{"kind":"ObjectField","name":{"kind":"Name","value":"identifierCountry"},"value":{"kind":"Variable","name":{"kind":"Name","value":"country"}}}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"AdminChangeEventRow"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AdminChangeEventRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ChangeEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"cprChangeCode"}},{"kind":"Field","name":{"kind":"Name","value":"occurredAt"}},{"kind":"Field","name":{"kind":"Name","value":"recordedAt"}}]}}]} as unknown as DocumentNode<AdminPersonEventsQuery, AdminPersonEventsQueryVariables>;
export const AdminUpdateContactDetailsDocument = {"__meta__":{"hash":"sha256:891faacf2df794b2dac00a178c49d0516eb7e7006f1e06d019eb1354d79e610b"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AdminUpdateContactDetails"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ContactDetailsInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateContactDetails"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"phone"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"preferredLanguage"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]}}]} as unknown as DocumentNode<AdminUpdateContactDetailsMutation, AdminUpdateContactDetailsMutationVariables>;
export const AdminReserveIdentityDocument = {"__meta__":{"hash":"sha256:bf03f16adbb374959b01f1f253343e73521f5eaea875361f8c6fa9b9bc96a78c"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AdminReserveIdentity"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"identifier"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reserveIdentity"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"identifier"},"value":{"kind":"Variable","name":{"kind":"Name","value":"identifier"}}},{"kind":"Argument","name":{"kind":"Name","value":"followLinks"},"value":{"kind":"BooleanValue","value":false}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"region"}},{"kind":"Field","name":{"kind":"Name","value":"issuedBy"}},{"kind":"Field","name":{"kind":"Name","value":"givenNames"}},{"kind":"Field","name":{"kind":"Name","value":"familyName"}},{"kind":"Field","name":{"kind":"Name","value":"birthDate"}},{"kind":"Field","name":{"kind":"Name","value":"sex"}},{"kind":"Field","name":{"kind":"Name","value":"statedAddress"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"streetAddress"}},{"kind":"Field","name":{"kind":"Name","value":"postalCode"}},{"kind":"Field","name":{"kind":"Name","value":"city"}},{"kind":"Field","name":{"kind":"Name","value":"country"}}]}},{"kind":"Field","name":{"kind":"Name","value":"mainIdentifier"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}},{"kind":"Field","name":{"kind":"Name","value":"links"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"includeHistoric"},"value":{"kind":"BooleanValue","value":true}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"target"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}},{"kind":"Field","name":{"kind":"Name","value":"linkedAt"}},{"kind":"Field","name":{"kind":"Name","value":"unlinkedAt"}}]}}]}}]}}]} as unknown as DocumentNode<AdminReserveIdentityQuery, AdminReserveIdentityQueryVariables>;
export const AdminIssueNationalReserveIdDocument = {"__meta__":{"hash":"sha256:ac1945de09ebdfb7ee6310c786735a5d726fe1b2cd4ab7c9b9aa5233070b0642"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AdminIssueNationalReserveId"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ReserveIdentityDataInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"issueNationalReserveId"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}}]}}]} as unknown as DocumentNode<AdminIssueNationalReserveIdMutation, AdminIssueNationalReserveIdMutationVariables>;
export const AdminRegisterLocalReserveIdDocument = {"__meta__":{"hash":"sha256:4677dfb04712fafd347b636951cf6a980a90f16581060b9872e59e08071fd985"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AdminRegisterLocalReserveId"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"identifier"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ReserveIdentityDataInput"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"registerLocalReserveId"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"identifier"},"value":{"kind":"Variable","name":{"kind":"Name","value":"identifier"}}},{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}}]}}]} as unknown as DocumentNode<AdminRegisterLocalReserveIdMutation, AdminRegisterLocalReserveIdMutationVariables>;
export const AdminUpdateReserveIdentityDocument = {"__meta__":{"hash":"sha256:9cc840926a81865df6eb156bd0a908aca74ce2ee517be348be39d5cab90e4a1a"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AdminUpdateReserveIdentity"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ReserveIdentityDataInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateReserveIdentity"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}}]}}]} as unknown as DocumentNode<AdminUpdateReserveIdentityMutation, AdminUpdateReserveIdentityMutationVariables>;
export const AdminLinkReserveIdentityDocument = {"__meta__":{"hash":"sha256:67f86c6f37d0c81f986ea5a5ec7103d6562fd8ad2cb528ca6ae72daea3819978"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AdminLinkReserveIdentity"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"to"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"linkReserveIdentity"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"to"},"value":{"kind":"Variable","name":{"kind":"Name","value":"to"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"mainIdentifier"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}}]}}]}}]} as unknown as DocumentNode<AdminLinkReserveIdentityMutation, AdminLinkReserveIdentityMutationVariables>;
export const AdminUnlinkReserveIdentityDocument = {"__meta__":{"hash":"sha256:9a7d67e310f3ceb0a3b66c736b35aaaa1aae863959160fbce41dc1c0cb3913c7"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AdminUnlinkReserveIdentity"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"unlinkReserveIdentity"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}}]}}]} as unknown as DocumentNode<AdminUnlinkReserveIdentityMutation, AdminUnlinkReserveIdentityMutationVariables>;
export const AdminRegisterDeathDocument = {"__meta__":{"hash":"sha256:b773185612a12c6d59e1ec2c08eddb55d2b5e53fbf2ddf9df62474ccc69abc5d"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AdminRegisterDeath"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RegisterDeathInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"registerDeath"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"AdminRegisterChange"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AdminRegisterChange"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RegisterChangePayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"person"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]} as unknown as DocumentNode<AdminRegisterDeathMutation, AdminRegisterDeathMutationVariables>;
export const AdminAnnulDeathDocument = {"__meta__":{"hash":"sha256:f61d4e1b166f4f4214505e51edaa6deddf4c22bcc18ad420d12ca45410d6b4c8"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AdminAnnulDeath"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"AnnulDeathInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"annulDeath"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"AdminRegisterChange"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AdminRegisterChange"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RegisterChangePayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"person"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]} as unknown as DocumentNode<AdminAnnulDeathMutation, AdminAnnulDeathMutationVariables>;
export const AdminRegisterDisappearanceDocument = {"__meta__":{"hash":"sha256:d7ab1498c95ee1b9c9341ed47fd5f6d19577674ef395e1246208a96814e55cbc"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AdminRegisterDisappearance"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"LifeEventInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"registerDisappearance"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"AdminRegisterChange"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AdminRegisterChange"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RegisterChangePayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"person"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]} as unknown as DocumentNode<AdminRegisterDisappearanceMutation, AdminRegisterDisappearanceMutationVariables>;
export const AdminRegisterReappearanceDocument = {"__meta__":{"hash":"sha256:c1cd982b1c087143daa730cbaae5b7d4227585ab8714ecfb9a65b0b9aadb50cf"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AdminRegisterReappearance"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"LifeEventInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"registerReappearance"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"AdminRegisterChange"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AdminRegisterChange"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RegisterChangePayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"person"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]} as unknown as DocumentNode<AdminRegisterReappearanceMutation, AdminRegisterReappearanceMutationVariables>;
export const AdminStartProtectionDocument = {"__meta__":{"hash":"sha256:052e56fb7e6967515a93d7fae17905fc6bf9449bc94a6904375cf43d3c8612f2"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AdminStartProtection"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"StartProtectionInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"startProtection"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"AdminRegisterChange"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AdminRegisterChange"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RegisterChangePayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"person"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]} as unknown as DocumentNode<AdminStartProtectionMutation, AdminStartProtectionMutationVariables>;
export const AdminEndProtectionDocument = {"__meta__":{"hash":"sha256:21970b0d7b23f29498c401f8765c093c22b957dfe1b90f29ee685ac2a49e5b9f"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AdminEndProtection"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"EndProtectionInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"endProtection"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"AdminRegisterChange"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AdminRegisterChange"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RegisterChangePayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"person"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]} as unknown as DocumentNode<AdminEndProtectionMutation, AdminEndProtectionMutationVariables>;
export const AdminChangeNameDocument = {"__meta__":{"hash":"sha256:27f738c8f5509cb56fbade1fa6cf79959035aaf680649e003e52f5775187f807"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AdminChangeName"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ChangeNameInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"changeName"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"AdminRegisterChange"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AdminRegisterChange"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RegisterChangePayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"person"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]} as unknown as DocumentNode<AdminChangeNameMutation, AdminChangeNameMutationVariables>;
export const AdminChangeCivilStatusDocument = {"__meta__":{"hash":"sha256:db345b59ee3c59bf08cf4b408ebbd05d30ce914b0ba0ecc0ed5c3f0aeffef77a"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AdminChangeCivilStatus"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ChangeCivilStatusInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"changeCivilStatus"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"AdminRegisterChange"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AdminRegisterChange"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RegisterChangePayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"person"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]} as unknown as DocumentNode<AdminChangeCivilStatusMutation, AdminChangeCivilStatusMutationVariables>;
export const AdminChangeIdentifierDocument = {"__meta__":{"hash":"sha256:c776f999d18ffb461ca32b4cb1043305d6a93f7249de24ca09b07c38e24a259a"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AdminChangeIdentifier"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ChangeIdentifierInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"changeIdentifier"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"AdminRegisterChange"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AdminRegisterChange"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RegisterChangePayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"person"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]} as unknown as DocumentNode<AdminChangeIdentifierMutation, AdminChangeIdentifierMutationVariables>;
export const AdminAnnulIdentifierDocument = {"__meta__":{"hash":"sha256:de6f03af1bf9cc335301978acd63119785eb84471b043005fcd1fddfa3efb241"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AdminAnnulIdentifier"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"AnnulIdentifierInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"annulIdentifier"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"AdminRegisterChange"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AdminRegisterChange"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RegisterChangePayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"person"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]} as unknown as DocumentNode<AdminAnnulIdentifierMutation, AdminAnnulIdentifierMutationVariables>;
export const AdminChangeCitizenshipsDocument = {"__meta__":{"hash":"sha256:0222d12b3e96491c126a8f52a17cb9836ef95cbe3030f461dd747816fb9f4549"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AdminChangeCitizenships"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ChangeCitizenshipsInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"changeCitizenships"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"AdminRegisterChange"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AdminRegisterChange"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RegisterChangePayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"person"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]} as unknown as DocumentNode<AdminChangeCitizenshipsMutation, AdminChangeCitizenshipsMutationVariables>;
export const AdminPersonIdDocument = {"__meta__":{"hash":"sha256:8113076d911a90237cecee6530724f8632c5b79f092aaae7f128123a704a538b"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AdminPersonId"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"identifier"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"person"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"identifier"},"value":{"kind":"Variable","name":{"kind":"Name","value":"identifier"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]} as unknown as DocumentNode<AdminPersonIdQuery, AdminPersonIdQueryVariables>;
export const AdminEventSubscriptionsDocument = {"__meta__":{"hash":"sha256:ed0e6c62ef6a02ca7e19094c3461ef6c0039dd7b8faae8c1a57d16c36774246f"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AdminEventSubscriptions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"eventSubscriptions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"catchAll"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"acknowledgedCursor"}},{"kind":"Field","name":{"kind":"Name","value":"filters"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"types"}},{"kind":"Field","name":{"kind":"Name","value":"municipalityCodes"}},{"kind":"Field","name":{"kind":"Name","value":"personIdentifiers"}},{"kind":"Field","name":{"kind":"Name","value":"ageRanges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"minAge"}},{"kind":"Field","name":{"kind":"Name","value":"maxAge"}}]}}]}}]}}]}}]} as unknown as DocumentNode<AdminEventSubscriptionsQuery, AdminEventSubscriptionsQueryVariables>;
export const AdminCreateEventSubscriptionDocument = {"__meta__":{"hash":"sha256:2c0ad2fc448bf2f3663f6862f07d6723717dc86d65467a6a06b89e696174a869"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AdminCreateEventSubscription"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"name"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"catchAll"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Boolean"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createEventSubscription"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"name"},"value":{"kind":"Variable","name":{"kind":"Name","value":"name"}}},{"kind":"ObjectField","name":{"kind":"Name","value":"catchAll"},"value":{"kind":"Variable","name":{"kind":"Name","value":"catchAll"}}}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]} as unknown as DocumentNode<AdminCreateEventSubscriptionMutation, AdminCreateEventSubscriptionMutationVariables>;
export const AdminDeleteEventSubscriptionDocument = {"__meta__":{"hash":"sha256:b48f975bc132a66049aece1b90a8204642b6c13368213950eb9934820e9886fb"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AdminDeleteEventSubscription"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteEventSubscription"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"subscriptionId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}]}]}}]} as unknown as DocumentNode<AdminDeleteEventSubscriptionMutation, AdminDeleteEventSubscriptionMutationVariables>;
export const AdminSetCatchAllDocument = {"__meta__":{"hash":"sha256:89c2534d4320151fa99eccf1292a47b5e72e4bdf8921963ad13e22d33d1fcd2d"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AdminSetCatchAll"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"catchAll"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Boolean"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"setEventSubscriptionCatchAll"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"subscriptionId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"catchAll"},"value":{"kind":"Variable","name":{"kind":"Name","value":"catchAll"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"catchAll"}}]}}]}}]} as unknown as DocumentNode<AdminSetCatchAllMutation, AdminSetCatchAllMutationVariables>;
export const AdminAddEventTypeFiltersDocument = {"__meta__":{"hash":"sha256:322e002ac11e25bb02d95ec0abfbcaec407c82b69db38a361c14dabe4b28a102"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AdminAddEventTypeFilters"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"types"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ChangeEventType"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"addEventTypeFilters"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"subscriptionId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"types"},"value":{"kind":"Variable","name":{"kind":"Name","value":"types"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"AdminFilterChange"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AdminFilterChange"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"EventFilterChange"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"result"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}}]}}]} as unknown as DocumentNode<AdminAddEventTypeFiltersMutation, AdminAddEventTypeFiltersMutationVariables>;
export const AdminRemoveEventTypeFiltersDocument = {"__meta__":{"hash":"sha256:b10ca885541e1e741de4b687d7d534d1ec8d3beef078cf998fa5546c7ddcd867"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AdminRemoveEventTypeFilters"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"types"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ChangeEventType"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"removeEventTypeFilters"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"subscriptionId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"types"},"value":{"kind":"Variable","name":{"kind":"Name","value":"types"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"AdminFilterChange"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AdminFilterChange"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"EventFilterChange"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"result"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}}]}}]} as unknown as DocumentNode<AdminRemoveEventTypeFiltersMutation, AdminRemoveEventTypeFiltersMutationVariables>;
export const AdminAddMunicipalityFiltersDocument = {"__meta__":{"hash":"sha256:f87945ad99ce2b18a8d28b00f8605bf3c5faff0a26192d3cf3eb7dd4f55cd091"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AdminAddMunicipalityFilters"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"codes"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"addMunicipalityFilters"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"subscriptionId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"municipalityCodes"},"value":{"kind":"Variable","name":{"kind":"Name","value":"codes"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"AdminFilterChange"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AdminFilterChange"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"EventFilterChange"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"result"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}}]}}]} as unknown as DocumentNode<AdminAddMunicipalityFiltersMutation, AdminAddMunicipalityFiltersMutationVariables>;
export const AdminRemoveMunicipalityFiltersDocument = {"__meta__":{"hash":"sha256:2e029e0dc49aea021843d6acb14f80091cb0043626946146bf2eefc1c9984bb6"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AdminRemoveMunicipalityFilters"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"codes"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"removeMunicipalityFilters"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"subscriptionId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"municipalityCodes"},"value":{"kind":"Variable","name":{"kind":"Name","value":"codes"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"AdminFilterChange"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AdminFilterChange"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"EventFilterChange"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"result"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}}]}}]} as unknown as DocumentNode<AdminRemoveMunicipalityFiltersMutation, AdminRemoveMunicipalityFiltersMutationVariables>;
export const AdminAddPersonFiltersDocument = {"__meta__":{"hash":"sha256:964d36f2e0c7cf5d52259650a5900340e6f42b91388eb902dfc33eeca18ae4cf"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AdminAddPersonFilters"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"identifiers"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"addPersonFilters"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"subscriptionId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"personIdentifiers"},"value":{"kind":"Variable","name":{"kind":"Name","value":"identifiers"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"AdminPersonFilterChange"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AdminPersonFilterChange"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PersonFilterChange"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","alias":{"kind":"Name","value":"value"},"name":{"kind":"Name","value":"input"}},{"kind":"Field","name":{"kind":"Name","value":"result"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}}]}}]} as unknown as DocumentNode<AdminAddPersonFiltersMutation, AdminAddPersonFiltersMutationVariables>;
export const AdminRemovePersonFiltersDocument = {"__meta__":{"hash":"sha256:1c15c3c1fbc3b0934be2787044703a9df82fbef0d9b2a08179c03b9b5eeced88"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AdminRemovePersonFilters"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"identifiers"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"removePersonFilters"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"subscriptionId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"personIdentifiers"},"value":{"kind":"Variable","name":{"kind":"Name","value":"identifiers"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"AdminPersonFilterChange"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AdminPersonFilterChange"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PersonFilterChange"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","alias":{"kind":"Name","value":"value"},"name":{"kind":"Name","value":"input"}},{"kind":"Field","name":{"kind":"Name","value":"result"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}}]}}]} as unknown as DocumentNode<AdminRemovePersonFiltersMutation, AdminRemovePersonFiltersMutationVariables>;
export const AdminAddAgeRangeFiltersDocument = {"__meta__":{"hash":"sha256:aeb5c5f08be71b40b4c07d4baa7bbe87c5cba408c773acf42c18d77cca797343"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AdminAddAgeRangeFilters"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"ranges"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"AgeRangeInput"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"addAgeRangeFilters"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"subscriptionId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"ageRanges"},"value":{"kind":"Variable","name":{"kind":"Name","value":"ranges"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"minAge"}},{"kind":"Field","name":{"kind":"Name","value":"maxAge"}},{"kind":"Field","name":{"kind":"Name","value":"result"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}}]}}]}}]} as unknown as DocumentNode<AdminAddAgeRangeFiltersMutation, AdminAddAgeRangeFiltersMutationVariables>;
export const AdminRemoveAllFiltersDocument = {"__meta__":{"hash":"sha256:e0ca638ff71d67270adef3ea720d1d9286d69cc1d07c73958cb7aaa0a16f0f22"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AdminRemoveAllFilters"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"group"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"EventFilterGroup"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"removeAllFilters"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"subscriptionId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"group"},"value":{"kind":"Variable","name":{"kind":"Name","value":"group"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"removedCount"}}]}}]}}]} as unknown as DocumentNode<AdminRemoveAllFiltersMutation, AdminRemoveAllFiltersMutationVariables>;
export const AdminPullEventsDocument = {"__meta__":{"hash":"sha256:606335dc986879040acc1963baf03d2da23e7582800c16231164913fe31a262c"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AdminPullEvents"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"changeEvents"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"subscriptionId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"20"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"AdminChangeEventRow"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AdminChangeEventRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ChangeEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"cprChangeCode"}},{"kind":"Field","name":{"kind":"Name","value":"occurredAt"}},{"kind":"Field","name":{"kind":"Name","value":"recordedAt"}}]}}]} as unknown as DocumentNode<AdminPullEventsQuery, AdminPullEventsQueryVariables>;
export const AdminAcknowledgeEventsDocument = {"__meta__":{"hash":"sha256:3cf5f065c3c21509693149c81993728afb998a566ec8c6c406479e5c64af4e3f"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AdminAcknowledgeEvents"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"cursor"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"acknowledgeEvents"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"subscriptionId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"cursor"},"value":{"kind":"Variable","name":{"kind":"Name","value":"cursor"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"advanced"}},{"kind":"Field","name":{"kind":"Name","value":"subscription"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"acknowledgedCursor"}}]}}]}}]}}]} as unknown as DocumentNode<AdminAcknowledgeEventsMutation, AdminAcknowledgeEventsMutationVariables>;
export const AdminAuditEventsDocument = {"__meta__":{"hash":"sha256:e5513de54dc41b383a85d109b7de1a81d14f0bc21d2a1c8ca251bc056cd75da1"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AdminAuditEvents"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"personId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"subject"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"auditEvents"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"personId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"personId"}}},{"kind":"Argument","name":{"kind":"Name","value":"subject"},"value":{"kind":"Variable","name":{"kind":"Name","value":"subject"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"50"}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"subject"}},{"kind":"Field","name":{"kind":"Name","value":"client"}},{"kind":"Field","name":{"kind":"Name","value":"purpose"}},{"kind":"Field","name":{"kind":"Name","value":"operationName"}},{"kind":"Field","name":{"kind":"Name","value":"fields"}},{"kind":"Field","name":{"kind":"Name","value":"person"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"identifier"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"display"}}]}},{"kind":"Field","name":{"kind":"Name","value":"name"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"addressingName"}}]}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]} as unknown as DocumentNode<AdminAuditEventsQuery, AdminAuditEventsQueryVariables>;