import type { ChangeEventRow } from '../../db/outbox.js';
import type { ChangeEventType } from '../../kernel/events.js';

/** The members of the SDL's `ChangeEventDetails` union. */
type DetailsTypename =
  'AddressChangeDetails' | 'NameChangeDetails' | 'ContactDetailsChangeDetails' | 'FamilyRelationChangeDetails' | 'ReserveIdentityChangeDetails';

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
};

const FAMILY_ACTIONS = ['ADDED', 'ENDED'];
const RESERVE_ACTIONS = ['ISSUED', 'REGISTERED', 'UPDATED', 'LINKED', 'UNLINKED'];

/** A member of the `ChangeEventDetails` union, named by its `__typename`. */
export interface TypedDetails {
  __typename: DetailsTypename;
  [field: string]: unknown;
}

export function typedDetails(event: ChangeEventRow): TypedDetails | null {
  const typename = MEMBER_OF_TYPE[event.type];
  if (!typename) return null;
  const d = (event.details ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  const oneOf = (v: unknown, allowed: string[]) => (typeof v === 'string' && allowed.includes(v) ? v : null);
  switch (typename) {
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
