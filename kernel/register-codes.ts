/**
 * The register's coded values that have no module of their own: what the tables store (drizzle `text`
 * columns typed with `enum`) and the SDL's enums of the same name list. Protection kinds are in
 * protection.ts, identifier kinds in identifiers.ts, change-event types in events.ts.
 */

/** The two registers: SE (Skatteverket's folkbokföring) and DK (CPR). */
export const REGISTER_COUNTRIES = ['SE', 'DK'] as const;
/** SDL `Country`. */
export type RegisterCountry = (typeof REGISTER_COUNTRIES)[number];

/** Legal sex as recorded (CPR KOEN; SE the personnummer's ninth digit); SDL `Sex`. */
export const SEXES = ['MALE', 'FEMALE', 'UNKNOWN'] as const;
/** SDL `Sex`. */
export type RecordedSex = (typeof SEXES)[number];

/** Life status (CPR STATUS; SPAR avregistrering); SDL `LifeStatus`. */
export const LIFE_STATUSES = ['ACTIVE', 'DECEASED', 'EMIGRATED', 'DISAPPEARED', 'ANNULLED', 'REPLACED'] as const;
/** SDL `LifeStatus`. */
export type LifeStatus = (typeof LIFE_STATUSES)[number];

/** Civil status, one set for both registers' codes; SDL `CivilStatus`. */
export const CIVIL_STATUSES = [
  'UNMARRIED',
  'MARRIED',
  'DIVORCED',
  'WIDOWED',
  'REGISTERED_PARTNERSHIP',
  'DISSOLVED_PARTNERSHIP',
  'SURVIVING_PARTNER',
  'DECEASED',
] as const;
/** SDL `CivilStatus`. */
export type CivilStatus = (typeof CIVIL_STATUSES)[number];

/** Kinds of address (SE folkbokföringsadress / särskild postadress / utlandsadress); SDL `AddressKind`. */
export const ADDRESS_KINDS = ['REGISTERED', 'SPECIAL_POSTAL', 'FOREIGN'] as const;
/** SDL `AddressKind`. */
export type AddressKind = (typeof ADDRESS_KINDS)[number];

/** Kinds of family relation (CPR records 012–016); SDL `FamilyRelationKind`. */
export const FAMILY_RELATION_KINDS = [
  'MOTHER',
  'FATHER',
  'CHILD',
  'SPOUSE',
  'REGISTERED_PARTNER',
  'CUSTODY_HOLDER',
  'IN_CUSTODY_OF',
  'GUARDIAN',
  'WARD',
] as const;
/** SDL `FamilyRelationKind`. */
export type FamilyRelationKind = (typeof FAMILY_RELATION_KINDS)[number];

/** The groups a durable subscription's filters fall in (CPR Abonnement FilterGroup: PNR, AgeRange, MunicipalityCode, EventChangeCode); SDL `EventFilterGroup`. */
export const FILTER_GROUPS = ['PERSON', 'AGE_RANGE', 'MUNICIPALITY', 'EVENT_TYPE'] as const;
/** SDL `EventFilterGroup`. */
export type FilterGroup = (typeof FILTER_GROUPS)[number];
