import type { ChangeEventRow } from '../../db/outbox.js';
import type { ChangeEventType } from '../../kernel/events.js';

/** The members of the SDL's `ChangeEventDetails` union. */
export type DetailsTypename =
  | 'AddressChangeDetails'
  | 'NameChangeDetails'
  | 'ContactDetailsChangeDetails'
  | 'FamilyRelationChangeDetails'
  | 'ReserveIdentityChangeDetails'
  | 'LifeStatusChangeDetails'
  | 'CivilStatusChangeDetails'
  | 'ProtectionChangeDetails'
  | 'IdentifierChangeDetails'
  | 'CitizenshipChangeDetails';

/**
 * Turns an event's flat `details` JSON (the convention every writer follows, see the common brief) into
 * the member of the `ChangeEventDetails` union its type calls for. Unknown or malformed values come back
 * as null rather than failing the whole event.
 */
const MEMBER_OF_TYPE: Partial<Record<ChangeEventType, DetailsTypename>> = {
  MOVE: 'AddressChangeDetails',
  EMIGRATION: 'AddressChangeDetails',
  IMMIGRATION: 'AddressChangeDetails',
  ADDRESS_CORRECTION: 'AddressChangeDetails',
  NAME_CHANGE: 'NameChangeDetails',
  CONTACT_DETAILS_CHANGE: 'ContactDetailsChangeDetails',
  FAMILY_RELATION_CHANGE: 'FamilyRelationChangeDetails',
  RESERVE_IDENTITY_CHANGE: 'ReserveIdentityChangeDetails',
  DEATH: 'LifeStatusChangeDetails',
  DEATH_ANNULLED: 'LifeStatusChangeDetails',
  DISAPPEARANCE: 'LifeStatusChangeDetails',
  REAPPEARANCE: 'LifeStatusChangeDetails',
  CIVIL_STATUS_CHANGE: 'CivilStatusChangeDetails',
  PROTECTION_CHANGE: 'ProtectionChangeDetails',
  IDENTIFIER_CHANGE: 'IdentifierChangeDetails',
  IDENTIFIER_ANNULLED: 'IdentifierChangeDetails',
  CITIZENSHIP_CHANGE: 'CitizenshipChangeDetails',
};

/** The life status before and after each life event, where the event itself does not record it. */
const LIFE_STATUS: Partial<Record<ChangeEventType, { before: string | null; after: string | null }>> = {
  DEATH: { before: null, after: 'DECEASED' },
  DEATH_ANNULLED: { before: 'DECEASED', after: null },
  DISAPPEARANCE: { before: 'ACTIVE', after: 'DISAPPEARED' },
  REAPPEARANCE: { before: 'DISAPPEARED', after: 'ACTIVE' },
};
/** Protection actions as writers record them: the register's writes STARTED / ENDED, the seed ADDED. */
const PROTECTION_ACTIONS: Readonly<Record<string, string>> = { STARTED: 'STARTED', ADDED: 'STARTED', ENDED: 'ENDED' };

/** Every member of the union (each the details of at least one event type). */
export const DETAILS_TYPENAMES: readonly DetailsTypename[] = [...new Set(Object.values(MEMBER_OF_TYPE))];

const FAMILY_ACTIONS = ['ADDED', 'ENDED'];
const RESERVE_ACTIONS = ['ISSUED', 'REGISTERED', 'UPDATED', 'LINKED', 'UNLINKED'];

/**
 * A member of the `ChangeEventDetails` union, named by its `__typename`; `ownerId` (no field of the SDL)
 * is the event's person, whose markers mask its fields in the subgraph's second line (`index.ts`).
 */
export interface TypedDetails extends Member {
  ownerId: string | null;
}

interface Member {
  __typename: DetailsTypename;
  [field: string]: unknown;
}

export function typedDetails(event: ChangeEventRow): TypedDetails | null {
  const typed = memberOf(event);
  return typed && { ...typed, ownerId: event.personId };
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function memberOf(event: ChangeEventRow): Member | null {
  const typename = MEMBER_OF_TYPE[event.type];
  if (!typename) return null;
  const d = (event.details ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  const day = (v: unknown) => (typeof v === 'string' && DAY.test(v) ? v : null);
  const oneOf = (v: unknown, allowed: string[]) => (typeof v === 'string' && allowed.includes(v) ? v : null);
  const codes = (v: unknown) => (Array.isArray(v) ? v.filter((c): c is string => typeof c === 'string') : null);
  switch (typename) {
    case 'LifeStatusChangeDetails': {
      const implied = LIFE_STATUS[event.type]!;
      const annulment = event.type === 'DEATH_ANNULLED';
      return {
        __typename: typename,
        statusBefore: implied.before ?? str(d.statusBefore),
        statusAfter: implied.after ?? str(d.restoredStatus),
        validFrom: annulment ? day(d.restoredStatusDate) : day(d.validFrom),
        annulledDeathOn: annulment ? day(d.annulledDeathOn) : null,
      };
    }
    case 'CivilStatusChangeDetails': {
      const partner = str(d.partnerPersonId);
      return {
        __typename: typename,
        civilStatusBefore: str(d.from),
        civilStatusAfter: str(d.to),
        validFrom: day(d.validFrom),
        partner: partner ? { __typename: 'Person', id: partner } : null,
      };
    }
    case 'ProtectionChangeDetails':
      return {
        __typename: typename,
        protectionAction: PROTECTION_ACTIONS[str(d.action) ?? ''] ?? null,
        protectionKind: str(d.kind),
        validFrom: day(d.validFrom),
        validTo: day(d.validTo),
      };
    case 'IdentifierChangeDetails': {
      const annulled = event.type === 'IDENTIFIER_ANNULLED';
      return {
        __typename: typename,
        identifierAction: annulled ? 'ANNULLED' : 'CHANGED',
        previousIdentifier: annulled ? null : (str(d.previousIdentifier) ?? str(d.previous)),
        identifierKind: annulled ? null : str(d.identifierKind),
        validFrom: annulled ? null : day(d.validFrom),
        validTo: annulled ? day(d.validTo) : null,
      };
    }
    case 'CitizenshipChangeDetails':
      return { __typename: typename, citizenshipsBefore: codes(d.from), citizenshipsAfter: codes(d.to), validFrom: day(d.validFrom) };
    case 'AddressChangeDetails':
      return { __typename: typename, addressKind: str(d.addressKind), validFrom: str(d.validFrom) };
    case 'NameChangeDetails':
      return { __typename: typename, validFrom: str(d.validFrom) };
    case 'ContactDetailsChangeDetails':
      return {
        __typename: typename,
        version: Number.isInteger(d.version) ? d.version : null,
        changedFields: Array.isArray(d.changedFields) ? d.changedFields.filter((f) => typeof f === 'string') : null,
      };
    case 'FamilyRelationChangeDetails': {
      const relative = str(d.relativePersonId);
      return {
        __typename: typename,
        relationAction: oneOf(d.action, FAMILY_ACTIONS),
        relationKind: str(d.relationKind),
        relationId: d.relationId == null ? null : String(d.relationId),
        relativePerson: relative ? { __typename: 'Person', id: relative } : null,
      };
    }
    default:
      return {
        __typename: typename,
        reserveIdentityAction: oneOf(d.action, RESERVE_ACTIONS),
        reserveIdentityId: str(d.reserveIdentityId),
        reserveIdentityKind: str(d.reserveIdentityKind),
        targetKind: str(d.targetKind),
        targetValue: str(d.targetValue),
      };
  }
}
