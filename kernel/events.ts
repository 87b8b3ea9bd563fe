/** The change-event vocabulary: what the log (db/outbox.ts) writes and what filters and policies name. */

/**
 * Change-event types. The CPR change code (hændelse, cprbroker CprEvents.txt) is given where one exists;
 * the Swedish Navet aviseringar have no per-type code list we can cite.
 */
export const CHANGE_EVENT_TYPES = {
  PERSON_REGISTERED: null,
  MOVE: 'A01',
  DISAPPEARANCE: 'A02',
  REAPPEARANCE: 'A03',
  IMMIGRATION: 'A04',
  EMIGRATION: 'A06',
  ADDRESS_CORRECTION: 'A09',
  NAME_CHANGE: 'A13',
  DEATH: 'A21',
  /** A registered death annulled: CPR A25 "Annullation af aktuel civilstand (annullation af dødsfald)". */
  DEATH_ANNULLED: 'A25',
  CIVIL_STATUS_CHANGE: 'A24',
  PROTECTION_CHANGE: 'A33',
  IDENTIFIER_ANNULLED: 'A40',
  IDENTIFIER_CHANGE: 'P03',
  GUARDIANSHIP: 'A73',
  /** Citizenship (CPR record 010; SE medborgarskap): CPR has no change code of its own for it. */
  CITIZENSHIP_CHANGE: null,
  FAMILY_RELATION_CHANGE: null,
  CONTACT_DETAILS_CHANGE: null,
  RESERVE_IDENTITY_CHANGE: null,
} as const satisfies Record<string, string | null>;

export type ChangeEventType = keyof typeof CHANGE_EVENT_TYPES;

/** The change-event types as a list (what the log's `type` column may hold). */
export const CHANGE_EVENT_TYPE_NAMES = Object.keys(CHANGE_EVENT_TYPES) as [ChangeEventType, ...ChangeEventType[]];
