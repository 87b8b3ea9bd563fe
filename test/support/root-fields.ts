/**
 * Every root field of the graph with the scopes it declares (`@requiresScopes`), and an operation that
 * selects it alone (`__typename` only, so no nested type's scope is needed). The ratchet test
 * (test/unit/authorization.test.ts) compares this table with the supergraph: a new root field fails it
 * until it is listed here with its scopes; the end-to-end table (test/e2e/authorization.test.ts) sends
 * each operation with and without those scopes.
 */
export interface RootField {
  scopes: string[][];
  /** The operation; `NOBODY` is an id no row has, so mutations reach their resolver and fail there. */
  operation: string;
  /**
   * Read scopes the operation needs besides: a field returning a type that declares its domain's read
   * scope (a reserve-id mutation returns a `ReserveIdentity`) needs that scope too, even for `__typename`.
   */
  alsoReads?: string[];
}

export const NOBODY = '00000000-0000-4000-8000-000000000000';
const typename = (field: string, args = '') => `${field}${args ? `(${args})` : ''} { __typename }`;
const query = (field: string, args?: string) => `query { ${typename(field, args)} }`;
const mutation = (field: string, args?: string) => `mutation { ${typename(field, args)} }`;
const scalarMutation = (field: string, args: string) => `mutation { ${field}(${args}) }`;

export const ROOT_FIELDS: Record<string, RootField> = {
  'Query.person': { scopes: [['person:read']], operation: query('person', 'identifier: "191212121212"') },
  'Query.persons': { scopes: [['person:read']], operation: query('persons', 'identifiers: ["191212121212"]') },
  'Query.searchPersons': { scopes: [['person:read']], operation: query('searchPersons', 'filter: { name: "Östlund" }') },
  'Query.reserveIdentity': { scopes: [['reserve-id:read']], operation: query('reserveIdentity', 'identifier: "22121212AB06"') },
  'Query.auditEvents': { scopes: [['audit:read']], operation: query('auditEvents') },
  'Query.changeEvents': { scopes: [['events:read']], operation: query('changeEvents', 'first: 1') },
  'Query.changeEventsHead': { scopes: [['events:read']], operation: 'query { changeEventsHead }' },
  'Query.eventSubscriptions': { scopes: [['events:read'], ['events:subscribe']], operation: query('eventSubscriptions') },
  'Query.eventSubscription': { scopes: [['events:read'], ['events:subscribe']], operation: query('eventSubscription', `id: "${NOBODY}"`) },

  'Mutation.updateContactDetails': {
    scopes: [['person:write']],
    operation: mutation('updateContactDetails', `input: { personId: "${NOBODY}", version: 1, email: "a@example.org" }`),
  },
  'Mutation.registerDeath': { scopes: [['register:write']], operation: mutation('registerDeath', `input: { personId: "${NOBODY}", diedOn: "2025-06-01" }`) },
  'Mutation.annulDeath': { scopes: [['register:write']], operation: mutation('annulDeath', `input: { personId: "${NOBODY}" }`) },
  'Mutation.registerDisappearance': {
    scopes: [['register:write']],
    operation: mutation('registerDisappearance', `input: { personId: "${NOBODY}", on: "2025-06-01" }`),
  },
  'Mutation.registerReappearance': {
    scopes: [['register:write']],
    operation: mutation('registerReappearance', `input: { personId: "${NOBODY}", on: "2025-06-01" }`),
  },
  'Mutation.changeCivilStatus': {
    scopes: [['register:write']],
    operation: mutation('changeCivilStatus', `input: { personId: "${NOBODY}", civilStatus: DIVORCED, since: "2025-06-01" }`),
  },
  'Mutation.changeIdentifier': {
    scopes: [['register:write']],
    operation: mutation('changeIdentifier', `input: { personId: "${NOBODY}", identifier: "191212121212", validFrom: "2025-06-01" }`),
  },
  'Mutation.annulIdentifier': { scopes: [['register:write']], operation: mutation('annulIdentifier', `input: { personId: "${NOBODY}" }`) },
  'Mutation.changeCitizenships': {
    scopes: [['register:write']],
    operation: mutation('changeCitizenships', `input: { personId: "${NOBODY}", citizenships: ["SE"], validFrom: "2025-06-01" }`),
  },
  'Mutation.changeName': {
    scopes: [['register:write']],
    operation: mutation('changeName', `input: { personId: "${NOBODY}", givenNames: "Ny", familyName: "Namn", validFrom: "2025-06-01" }`),
  },
  'Mutation.startProtection': {
    scopes: [['register:write']],
    operation: mutation('startProtection', `input: { personId: "${NOBODY}", kind: DK_MARKETING, validFrom: "2025-06-01" }`),
  },
  'Mutation.endProtection': {
    scopes: [['register:write']],
    operation: mutation('endProtection', `input: { personId: "${NOBODY}", kind: DK_MARKETING, endsOn: "2025-06-01" }`),
  },
  'Mutation.moveAddress': {
    scopes: [['address:write']],
    operation: mutation(
      'moveAddress',
      `input: { personId: "${NOBODY}", movedOn: "2025-06-01", address: { countryCode: "SE", municipalityCode: "0180", streetName: "Storgatan", houseNumber: "1", postalCode: "111 22", postalDistrict: "Stockholm" } }`,
    ),
  },
  'Mutation.recordFamilyRelation': {
    scopes: [['family:write']],
    operation: mutation('recordFamilyRelation', `input: { personId: "${NOBODY}", kind: CHILD, relativePersonId: "${NOBODY}" }`),
  },
  'Mutation.endFamilyRelation': {
    scopes: [['family:write']],
    operation: mutation('endFamilyRelation', `input: { relationId: "${NOBODY}", until: "2025-06-01" }`),
  },
  'Mutation.issueNationalReserveId': {
    scopes: [['reserve-id:write']],
    operation: mutation('issueNationalReserveId', 'input: { givenNames: "Okänd", familyName: "Reserv", birthDate: "1990-01-01", sex: FEMALE }'),
    alsoReads: ['reserve-id:read'],
  },
  'Mutation.registerLocalReserveId': {
    scopes: [['reserve-id:write']],
    operation: mutation('registerLocalReserveId', 'identifier: "not-a-reserve-id"'),
    alsoReads: ['reserve-id:read'],
  },
  'Mutation.updateReserveIdentity': {
    scopes: [['reserve-id:write']],
    operation: mutation('updateReserveIdentity', `id: "${NOBODY}", input: { givenNames: "Okänd" }`),
    alsoReads: ['reserve-id:read'],
  },
  'Mutation.linkReserveIdentity': {
    scopes: [['reserve-id:write']],
    operation: mutation('linkReserveIdentity', `id: "${NOBODY}", to: "191212121212"`),
    alsoReads: ['reserve-id:read'],
  },
  'Mutation.unlinkReserveIdentity': {
    scopes: [['reserve-id:write']],
    operation: mutation('unlinkReserveIdentity', `id: "${NOBODY}"`),
    alsoReads: ['reserve-id:read'],
  },
  'Mutation.createEventSubscription': {
    scopes: [['events:subscribe']],
    operation: mutation('createEventSubscription', 'input: { name: "ratchet", catchAll: true }'),
  },
  'Mutation.deleteEventSubscription': { scopes: [['events:subscribe']], operation: scalarMutation('deleteEventSubscription', `subscriptionId: "${NOBODY}"`) },
  'Mutation.setEventSubscriptionCatchAll': {
    scopes: [['events:subscribe']],
    operation: mutation('setEventSubscriptionCatchAll', `subscriptionId: "${NOBODY}", catchAll: true`),
  },
  'Mutation.addPersonFilters': {
    scopes: [['events:subscribe']],
    operation: mutation('addPersonFilters', `subscriptionId: "${NOBODY}", personIdentifiers: ["191212121212"]`),
  },
  'Mutation.removePersonFilters': {
    scopes: [['events:subscribe']],
    operation: mutation('removePersonFilters', `subscriptionId: "${NOBODY}", personIdentifiers: ["191212121212"]`),
  },
  'Mutation.addAgeRangeFilters': {
    scopes: [['events:subscribe']],
    operation: mutation('addAgeRangeFilters', `subscriptionId: "${NOBODY}", ageRanges: [{ minAge: 18, maxAge: 30 }]`),
  },
  'Mutation.removeAgeRangeFilters': {
    scopes: [['events:subscribe']],
    operation: mutation('removeAgeRangeFilters', `subscriptionId: "${NOBODY}", ageRanges: [{ minAge: 18, maxAge: 30 }]`),
  },
  'Mutation.addMunicipalityFilters': {
    scopes: [['events:subscribe']],
    operation: mutation('addMunicipalityFilters', `subscriptionId: "${NOBODY}", municipalityCodes: ["0180"]`),
  },
  'Mutation.removeMunicipalityFilters': {
    scopes: [['events:subscribe']],
    operation: mutation('removeMunicipalityFilters', `subscriptionId: "${NOBODY}", municipalityCodes: ["0180"]`),
  },
  'Mutation.addEventTypeFilters': { scopes: [['events:subscribe']], operation: mutation('addEventTypeFilters', `subscriptionId: "${NOBODY}", types: [MOVE]`) },
  'Mutation.removeEventTypeFilters': {
    scopes: [['events:subscribe']],
    operation: mutation('removeEventTypeFilters', `subscriptionId: "${NOBODY}", types: [MOVE]`),
  },
  'Mutation.removeAllFilters': { scopes: [['events:subscribe']], operation: mutation('removeAllFilters', `subscriptionId: "${NOBODY}", group: PERSON`) },
  'Mutation.acknowledgeEvents': { scopes: [['events:subscribe']], operation: mutation('acknowledgeEvents', `subscriptionId: "${NOBODY}", cursor: "x"`) },
  'Mutation.setEventSubscriptionWebhook': {
    scopes: [['events:subscribe']],
    operation: mutation('setEventSubscriptionWebhook', `subscriptionId: "${NOBODY}", endpoint: "https://hooks.example/x"`),
  },
  'Mutation.removeEventSubscriptionWebhook': {
    scopes: [['events:subscribe']],
    operation: mutation('removeEventSubscriptionWebhook', `subscriptionId: "${NOBODY}"`),
  },
  'Mutation.resumeEventSubscriptionWebhook': {
    scopes: [['events:subscribe']],
    operation: mutation('resumeEventSubscriptionWebhook', `subscriptionId: "${NOBODY}"`),
  },

  'Subscription.changeEvents': { scopes: [['events:read']], operation: 'subscription { changeEvents { type } }' },
};

/**
 * Root fields of the supergraph that are `@inaccessible`: not in the API, so no client can send them (the
 * gateway's webhook workers call the subscription subgraph's lease operations directly); their scopes.
 */
export const INTERNAL_ROOT_FIELDS: Record<string, string[][]> = {
  'Mutation.claimWebhookDeliveries': [['webhooks:deliver']],
  'Mutation.completeWebhookDelivery': [['webhooks:deliver']],
};

/** Types whose every field-returning-them needs the type's domain read scope (the domain split). */
export const TYPE_SCOPES: Record<string, string[][]> = {
  Person: [['person:read']],
  Address: [['address:read']],
  FamilyRelation: [['family:read']],
  FamilyRelationConnection: [['family:read']],
  ReserveIdentity: [['reserve-id:read']],
};

/** Every scope the graph declares, plus the protected-identity entitlement: "all the others" in tests. */
export const ALL_SCOPES = [
  ...new Set([...Object.values(ROOT_FIELDS), ...Object.values(TYPE_SCOPES).map((scopes) => ({ scopes }))].flatMap((f) => f.scopes.flat())),
  'person:unrestricted',
].sort();
