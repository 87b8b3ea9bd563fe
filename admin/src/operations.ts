import { graphql } from './gql';

/**
 * Every operation the administration UI sends: each one registered as a trusted document of its client
 * (`npm run codegen:admin` writes gql/persisted-documents.json), and each asking for the data of one
 * scope's domain only, so that a missing scope costs one section, never the whole screen (a missing scope
 * refuses a whole operation: README "Authentication").
 */

export const SearchPersons = graphql(`
  query AdminSearchPersons($filter: PersonSearchFilter!, $after: String) {
    searchPersons(filter: $filter, first: 20, after: $after) {
      edges {
        node {
          id
          country
          identifier {
            kind
            display
            value
          }
          name {
            addressingName
          }
          birthDate
          status
          protectionMarkers {
            kind
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const PersonCore = graphql(`
  query AdminPerson($identifier: String!) {
    person(identifier: $identifier) {
      id
      country
      identifier {
        kind
        display
        value
      }
      identifiers {
        kind
        display
        current
        validFrom
        validTo
      }
      name {
        givenNames
        middleName
        familyName
        addressingName
      }
      previousNames {
        addressingName
        validFrom
        validTo
      }
      birthDate
      sex
      status
      statusDate
      civilStatus
      civilStatusSince
      civilStatusPartner {
        id
        identifier {
          display
          value
        }
        name {
          addressingName
        }
      }
      citizenships
      registeredOn
      registeringAuthority
      protectionMarkers(includeHistoric: true) {
        kind
        validFrom
        validTo
      }
      contactDetails {
        phone
        email
        preferredLanguage
        version
        updatedAt
      }
    }
  }
`);

export const PersonAddresses = graphql(`
  query AdminPersonAddresses($identifier: String!) {
    person(identifier: $identifier) {
      id
      addresses(includeHistoric: true) {
        kind
        current
        standardAddressLine
        careOf
        postalCode
        postalDistrict
        municipalityCode
        municipalityName
        countryCode
        validFrom
        validTo
      }
    }
  }
`);

export const PersonFamily = graphql(`
  query AdminPersonFamily($identifier: String!, $after: String) {
    person(identifier: $identifier) {
      id
      familyRelations(first: 20, after: $after) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            id
            kind
            since
            relativeName
            relativeBirthDate
            relative {
              id
              identifier {
                display
                value
              }
              name {
                addressingName
              }
            }
          }
        }
      }
    }
  }
`);

export const PersonReserveIdentities = graphql(`
  query AdminPersonReserveIdentities($identifier: String!) {
    person(identifier: $identifier) {
      id
      reserveIdentities(first: 50) {
        id
        kind
        value
        region
        givenNames
        familyName
        birthDate
        linkedAt
      }
    }
  }
`);

/** A change event as the person view and a pull list it. */
graphql(`
  fragment AdminChangeEventRow on ChangeEvent {
    type
    cprChangeCode
    occurredAt
    recordedAt
  }
`);

export const PersonEvents = graphql(`
  query AdminPersonEvents($identifier: String!, $country: Country) {
    changeEvents(first: 50, filter: { personIdentifiers: [$identifier], identifierCountry: $country }) {
      edges {
        node {
          ...AdminChangeEventRow
        }
      }
    }
  }
`);

export const UpdateContactDetails = graphql(`
  mutation AdminUpdateContactDetails($input: ContactDetailsInput!) {
    updateContactDetails(input: $input) {
      phone
      email
      preferredLanguage
      version
      updatedAt
    }
  }
`);

export const ReserveIdentityLookup = graphql(`
  query AdminReserveIdentity($identifier: String!) {
    reserveIdentity(identifier: $identifier, followLinks: false) {
      id
      kind
      value
      region
      issuedBy
      givenNames
      familyName
      birthDate
      sex
      statedAddress {
        streetAddress
        postalCode
        city
        country
      }
      mainIdentifier {
        kind
        value
      }
      links(includeHistoric: true) {
        target {
          kind
          value
        }
        linkedAt
        unlinkedAt
      }
    }
  }
`);

export const IssueNationalReserveId = graphql(`
  mutation AdminIssueNationalReserveId($input: ReserveIdentityDataInput!) {
    issueNationalReserveId(input: $input) {
      id
      kind
      value
    }
  }
`);

export const RegisterLocalReserveId = graphql(`
  mutation AdminRegisterLocalReserveId($identifier: String!, $input: ReserveIdentityDataInput) {
    registerLocalReserveId(identifier: $identifier, input: $input) {
      id
      kind
      value
    }
  }
`);

export const UpdateReserveIdentity = graphql(`
  mutation AdminUpdateReserveIdentity($id: ID!, $input: ReserveIdentityDataInput!) {
    updateReserveIdentity(id: $id, input: $input) {
      id
      value
    }
  }
`);

export const LinkReserveIdentity = graphql(`
  mutation AdminLinkReserveIdentity($id: ID!, $to: String!) {
    linkReserveIdentity(id: $id, to: $to) {
      id
      value
      mainIdentifier {
        kind
        value
      }
    }
  }
`);

export const UnlinkReserveIdentity = graphql(`
  mutation AdminUnlinkReserveIdentity($id: ID!) {
    unlinkReserveIdentity(id: $id) {
      id
      value
    }
  }
`);

/** What a register write answers: the person's life status after it (the person view reads the rest again). */
graphql(`
  fragment AdminRegisterChange on RegisterChangePayload {
    person {
      id
      status
    }
  }
`);

// The life events (scope register:write): each takes its mutation's own input, built by the form.
export const RegisterDeath = graphql(`
  mutation AdminRegisterDeath($input: RegisterDeathInput!) {
    registerDeath(input: $input) {
      ...AdminRegisterChange
    }
  }
`);

export const AnnulDeath = graphql(`
  mutation AdminAnnulDeath($input: AnnulDeathInput!) {
    annulDeath(input: $input) {
      ...AdminRegisterChange
    }
  }
`);

export const RegisterDisappearance = graphql(`
  mutation AdminRegisterDisappearance($input: LifeEventInput!) {
    registerDisappearance(input: $input) {
      ...AdminRegisterChange
    }
  }
`);

export const RegisterReappearance = graphql(`
  mutation AdminRegisterReappearance($input: LifeEventInput!) {
    registerReappearance(input: $input) {
      ...AdminRegisterChange
    }
  }
`);

export const StartProtection = graphql(`
  mutation AdminStartProtection($input: StartProtectionInput!) {
    startProtection(input: $input) {
      ...AdminRegisterChange
    }
  }
`);

export const EndProtection = graphql(`
  mutation AdminEndProtection($input: EndProtectionInput!) {
    endProtection(input: $input) {
      ...AdminRegisterChange
    }
  }
`);

export const ChangeName = graphql(`
  mutation AdminChangeName($input: ChangeNameInput!) {
    changeName(input: $input) {
      ...AdminRegisterChange
    }
  }
`);

export const ChangeCivilStatus = graphql(`
  mutation AdminChangeCivilStatus($input: ChangeCivilStatusInput!) {
    changeCivilStatus(input: $input) {
      ...AdminRegisterChange
    }
  }
`);

export const ChangeIdentifier = graphql(`
  mutation AdminChangeIdentifier($input: ChangeIdentifierInput!) {
    changeIdentifier(input: $input) {
      ...AdminRegisterChange
    }
  }
`);

export const AnnulIdentifier = graphql(`
  mutation AdminAnnulIdentifier($input: AnnulIdentifierInput!) {
    annulIdentifier(input: $input) {
      ...AdminRegisterChange
    }
  }
`);

export const ChangeCitizenships = graphql(`
  mutation AdminChangeCitizenships($input: ChangeCitizenshipsInput!) {
    changeCitizenships(input: $input) {
      ...AdminRegisterChange
    }
  }
`);

/** The folkreg id of the person a number names: the partner of a civil-status change. */
export const PersonId = graphql(`
  query AdminPersonId($identifier: String!) {
    person(identifier: $identifier) {
      id
    }
  }
`);

export const EventSubscriptions = graphql(`
  query AdminEventSubscriptions {
    eventSubscriptions {
      id
      name
      catchAll
      createdAt
      acknowledgedCursor
      filters {
        types
        municipalityCodes
        personIdentifiers
        ageRanges {
          minAge
          maxAge
        }
      }
    }
  }
`);

export const CreateEventSubscription = graphql(`
  mutation AdminCreateEventSubscription($name: String, $catchAll: Boolean) {
    createEventSubscription(input: { name: $name, catchAll: $catchAll }) {
      id
    }
  }
`);

export const DeleteEventSubscription = graphql(`
  mutation AdminDeleteEventSubscription($id: ID!) {
    deleteEventSubscription(subscriptionId: $id)
  }
`);

export const SetCatchAll = graphql(`
  mutation AdminSetCatchAll($id: ID!, $catchAll: Boolean!) {
    setEventSubscriptionCatchAll(subscriptionId: $id, catchAll: $catchAll) {
      id
      catchAll
    }
  }
`);

// What a filter change answers per item (CPR Abonnement's result codes), shown as a table of results.
graphql(`
  fragment AdminFilterChange on EventFilterChange {
    value
    result
    reason
  }
`);

graphql(`
  fragment AdminPersonFilterChange on PersonFilterChange {
    value: input
    result
    reason
  }
`);

export const AddEventTypeFilters = graphql(`
  mutation AdminAddEventTypeFilters($id: ID!, $types: [ChangeEventType!]!) {
    addEventTypeFilters(subscriptionId: $id, types: $types) {
      ...AdminFilterChange
    }
  }
`);

export const RemoveEventTypeFilters = graphql(`
  mutation AdminRemoveEventTypeFilters($id: ID!, $types: [ChangeEventType!]!) {
    removeEventTypeFilters(subscriptionId: $id, types: $types) {
      ...AdminFilterChange
    }
  }
`);

export const AddMunicipalityFilters = graphql(`
  mutation AdminAddMunicipalityFilters($id: ID!, $codes: [String!]!) {
    addMunicipalityFilters(subscriptionId: $id, municipalityCodes: $codes) {
      ...AdminFilterChange
    }
  }
`);

export const RemoveMunicipalityFilters = graphql(`
  mutation AdminRemoveMunicipalityFilters($id: ID!, $codes: [String!]!) {
    removeMunicipalityFilters(subscriptionId: $id, municipalityCodes: $codes) {
      ...AdminFilterChange
    }
  }
`);

export const AddPersonFilters = graphql(`
  mutation AdminAddPersonFilters($id: ID!, $identifiers: [String!]!) {
    addPersonFilters(subscriptionId: $id, personIdentifiers: $identifiers) {
      ...AdminPersonFilterChange
    }
  }
`);

export const RemovePersonFilters = graphql(`
  mutation AdminRemovePersonFilters($id: ID!, $identifiers: [String!]!) {
    removePersonFilters(subscriptionId: $id, personIdentifiers: $identifiers) {
      ...AdminPersonFilterChange
    }
  }
`);

export const AddAgeRangeFilters = graphql(`
  mutation AdminAddAgeRangeFilters($id: ID!, $ranges: [AgeRangeInput!]!) {
    addAgeRangeFilters(subscriptionId: $id, ageRanges: $ranges) {
      value
      minAge
      maxAge
      result
      reason
    }
  }
`);

export const RemoveAllFilters = graphql(`
  mutation AdminRemoveAllFilters($id: ID!, $group: EventFilterGroup!) {
    removeAllFilters(subscriptionId: $id, group: $group) {
      removedCount
    }
  }
`);

export const PullEvents = graphql(`
  query AdminPullEvents($id: ID!, $after: String) {
    changeEvents(subscriptionId: $id, after: $after, first: 20) {
      edges {
        node {
          ...AdminChangeEventRow
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const AcknowledgeEvents = graphql(`
  mutation AdminAcknowledgeEvents($id: ID!, $cursor: String!) {
    acknowledgeEvents(subscriptionId: $id, cursor: $cursor) {
      advanced
      subscription {
        id
        acknowledgedCursor
      }
    }
  }
`);

export const AuditEvents = graphql(`
  query AdminAuditEvents($personId: ID, $subject: String, $after: String) {
    auditEvents(personId: $personId, subject: $subject, first: 50, after: $after) {
      edges {
        node {
          at
          subject
          client
          purpose
          operationName
          fields
          person {
            id
            identifier {
              display
            }
            name {
              addressingName
            }
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);
