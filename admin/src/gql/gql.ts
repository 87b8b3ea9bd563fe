/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query AdminSearchPersons($filter: PersonSearchFilter!, $after: String) {\n    searchPersons(filter: $filter, first: 20, after: $after) {\n      edges {\n        node {\n          id\n          country\n          identifier {\n            kind\n            display\n            value\n          }\n          name {\n            addressingName\n          }\n          birthDate\n          status\n          protectionMarkers {\n            kind\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.AdminSearchPersonsDocument,
    "\n  query AdminPerson($identifier: String!) {\n    person(identifier: $identifier) {\n      id\n      country\n      identifier {\n        kind\n        display\n        value\n      }\n      identifiers {\n        kind\n        display\n        current\n        validFrom\n        validTo\n      }\n      name {\n        givenNames\n        middleName\n        familyName\n        addressingName\n      }\n      previousNames {\n        addressingName\n        validFrom\n        validTo\n      }\n      birthDate\n      sex\n      status\n      statusDate\n      civilStatus\n      civilStatusSince\n      civilStatusPartner {\n        id\n        identifier {\n          display\n          value\n        }\n        name {\n          addressingName\n        }\n      }\n      citizenships\n      registeredOn\n      registeringAuthority\n      protectionMarkers(includeHistoric: true) {\n        kind\n        validFrom\n        validTo\n      }\n      contactDetails {\n        phone\n        email\n        preferredLanguage\n        version\n        updatedAt\n      }\n    }\n  }\n": typeof types.AdminPersonDocument,
    "\n  query AdminPersonAddresses($identifier: String!) {\n    person(identifier: $identifier) {\n      id\n      addresses(includeHistoric: true) {\n        kind\n        current\n        standardAddressLine\n        careOf\n        postalCode\n        postalDistrict\n        municipalityCode\n        municipalityName\n        countryCode\n        validFrom\n        validTo\n      }\n    }\n  }\n": typeof types.AdminPersonAddressesDocument,
    "\n  query AdminPersonFamily($identifier: String!, $after: String) {\n    person(identifier: $identifier) {\n      id\n      familyRelations(first: 20, after: $after) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        edges {\n          node {\n            id\n            kind\n            since\n            relativeName\n            relativeBirthDate\n            relative {\n              id\n              identifier {\n                display\n                value\n              }\n              name {\n                addressingName\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.AdminPersonFamilyDocument,
    "\n  query AdminPersonReserveIdentities($identifier: String!) {\n    person(identifier: $identifier) {\n      id\n      reserveIdentities(first: 50) {\n        id\n        kind\n        value\n        region\n        givenNames\n        familyName\n        birthDate\n        linkedAt\n      }\n    }\n  }\n": typeof types.AdminPersonReserveIdentitiesDocument,
    "\n  fragment AdminChangeEventRow on ChangeEvent {\n    type\n    cprChangeCode\n    occurredAt\n    recordedAt\n  }\n": typeof types.AdminChangeEventRowFragmentDoc,
    "\n  query AdminPersonEvents($identifier: String!, $country: Country) {\n    changeEvents(first: 50, filter: { personIdentifiers: [$identifier], identifierCountry: $country }) {\n      edges {\n        node {\n          ...AdminChangeEventRow\n        }\n      }\n    }\n  }\n": typeof types.AdminPersonEventsDocument,
    "\n  mutation AdminUpdateContactDetails($input: ContactDetailsInput!) {\n    updateContactDetails(input: $input) {\n      phone\n      email\n      preferredLanguage\n      version\n      updatedAt\n    }\n  }\n": typeof types.AdminUpdateContactDetailsDocument,
    "\n  query AdminReserveIdentity($identifier: String!) {\n    reserveIdentity(identifier: $identifier, followLinks: false) {\n      id\n      kind\n      value\n      region\n      issuedBy\n      givenNames\n      familyName\n      birthDate\n      sex\n      statedAddress {\n        streetAddress\n        postalCode\n        city\n        country\n      }\n      mainIdentifier {\n        kind\n        value\n      }\n      links(includeHistoric: true) {\n        target {\n          kind\n          value\n        }\n        linkedAt\n        unlinkedAt\n      }\n    }\n  }\n": typeof types.AdminReserveIdentityDocument,
    "\n  mutation AdminIssueNationalReserveId($input: ReserveIdentityDataInput!) {\n    issueNationalReserveId(input: $input) {\n      id\n      kind\n      value\n    }\n  }\n": typeof types.AdminIssueNationalReserveIdDocument,
    "\n  mutation AdminRegisterLocalReserveId($identifier: String!, $input: ReserveIdentityDataInput) {\n    registerLocalReserveId(identifier: $identifier, input: $input) {\n      id\n      kind\n      value\n    }\n  }\n": typeof types.AdminRegisterLocalReserveIdDocument,
    "\n  mutation AdminUpdateReserveIdentity($id: ID!, $input: ReserveIdentityDataInput!) {\n    updateReserveIdentity(id: $id, input: $input) {\n      id\n      value\n    }\n  }\n": typeof types.AdminUpdateReserveIdentityDocument,
    "\n  mutation AdminLinkReserveIdentity($id: ID!, $to: String!) {\n    linkReserveIdentity(id: $id, to: $to) {\n      id\n      value\n      mainIdentifier {\n        kind\n        value\n      }\n    }\n  }\n": typeof types.AdminLinkReserveIdentityDocument,
    "\n  mutation AdminUnlinkReserveIdentity($id: ID!) {\n    unlinkReserveIdentity(id: $id) {\n      id\n      value\n    }\n  }\n": typeof types.AdminUnlinkReserveIdentityDocument,
    "\n  fragment AdminRegisterChange on RegisterChangePayload {\n    person {\n      id\n      status\n    }\n  }\n": typeof types.AdminRegisterChangeFragmentDoc,
    "\n  mutation AdminRegisterDeath($input: RegisterDeathInput!) {\n    registerDeath(input: $input) {\n      ...AdminRegisterChange\n    }\n  }\n": typeof types.AdminRegisterDeathDocument,
    "\n  mutation AdminAnnulDeath($input: AnnulDeathInput!) {\n    annulDeath(input: $input) {\n      ...AdminRegisterChange\n    }\n  }\n": typeof types.AdminAnnulDeathDocument,
    "\n  mutation AdminRegisterDisappearance($input: LifeEventInput!) {\n    registerDisappearance(input: $input) {\n      ...AdminRegisterChange\n    }\n  }\n": typeof types.AdminRegisterDisappearanceDocument,
    "\n  mutation AdminRegisterReappearance($input: LifeEventInput!) {\n    registerReappearance(input: $input) {\n      ...AdminRegisterChange\n    }\n  }\n": typeof types.AdminRegisterReappearanceDocument,
    "\n  mutation AdminStartProtection($input: StartProtectionInput!) {\n    startProtection(input: $input) {\n      ...AdminRegisterChange\n    }\n  }\n": typeof types.AdminStartProtectionDocument,
    "\n  mutation AdminEndProtection($input: EndProtectionInput!) {\n    endProtection(input: $input) {\n      ...AdminRegisterChange\n    }\n  }\n": typeof types.AdminEndProtectionDocument,
    "\n  mutation AdminChangeName($input: ChangeNameInput!) {\n    changeName(input: $input) {\n      ...AdminRegisterChange\n    }\n  }\n": typeof types.AdminChangeNameDocument,
    "\n  mutation AdminChangeCivilStatus($input: ChangeCivilStatusInput!) {\n    changeCivilStatus(input: $input) {\n      ...AdminRegisterChange\n    }\n  }\n": typeof types.AdminChangeCivilStatusDocument,
    "\n  mutation AdminChangeIdentifier($input: ChangeIdentifierInput!) {\n    changeIdentifier(input: $input) {\n      ...AdminRegisterChange\n    }\n  }\n": typeof types.AdminChangeIdentifierDocument,
    "\n  mutation AdminAnnulIdentifier($input: AnnulIdentifierInput!) {\n    annulIdentifier(input: $input) {\n      ...AdminRegisterChange\n    }\n  }\n": typeof types.AdminAnnulIdentifierDocument,
    "\n  mutation AdminChangeCitizenships($input: ChangeCitizenshipsInput!) {\n    changeCitizenships(input: $input) {\n      ...AdminRegisterChange\n    }\n  }\n": typeof types.AdminChangeCitizenshipsDocument,
    "\n  query AdminPersonId($identifier: String!) {\n    person(identifier: $identifier) {\n      id\n    }\n  }\n": typeof types.AdminPersonIdDocument,
    "\n  query AdminEventSubscriptions {\n    eventSubscriptions {\n      id\n      name\n      catchAll\n      createdAt\n      acknowledgedCursor\n      filters {\n        types\n        municipalityCodes\n        personIdentifiers\n        ageRanges {\n          minAge\n          maxAge\n        }\n      }\n    }\n  }\n": typeof types.AdminEventSubscriptionsDocument,
    "\n  mutation AdminCreateEventSubscription($name: String, $catchAll: Boolean) {\n    createEventSubscription(input: { name: $name, catchAll: $catchAll }) {\n      id\n    }\n  }\n": typeof types.AdminCreateEventSubscriptionDocument,
    "\n  mutation AdminDeleteEventSubscription($id: ID!) {\n    deleteEventSubscription(subscriptionId: $id)\n  }\n": typeof types.AdminDeleteEventSubscriptionDocument,
    "\n  mutation AdminSetCatchAll($id: ID!, $catchAll: Boolean!) {\n    setEventSubscriptionCatchAll(subscriptionId: $id, catchAll: $catchAll) {\n      id\n      catchAll\n    }\n  }\n": typeof types.AdminSetCatchAllDocument,
    "\n  fragment AdminFilterChange on EventFilterChange {\n    value\n    result\n    reason\n  }\n": typeof types.AdminFilterChangeFragmentDoc,
    "\n  fragment AdminPersonFilterChange on PersonFilterChange {\n    value: input\n    result\n    reason\n  }\n": typeof types.AdminPersonFilterChangeFragmentDoc,
    "\n  mutation AdminAddEventTypeFilters($id: ID!, $types: [ChangeEventType!]!) {\n    addEventTypeFilters(subscriptionId: $id, types: $types) {\n      ...AdminFilterChange\n    }\n  }\n": typeof types.AdminAddEventTypeFiltersDocument,
    "\n  mutation AdminRemoveEventTypeFilters($id: ID!, $types: [ChangeEventType!]!) {\n    removeEventTypeFilters(subscriptionId: $id, types: $types) {\n      ...AdminFilterChange\n    }\n  }\n": typeof types.AdminRemoveEventTypeFiltersDocument,
    "\n  mutation AdminAddMunicipalityFilters($id: ID!, $codes: [String!]!) {\n    addMunicipalityFilters(subscriptionId: $id, municipalityCodes: $codes) {\n      ...AdminFilterChange\n    }\n  }\n": typeof types.AdminAddMunicipalityFiltersDocument,
    "\n  mutation AdminRemoveMunicipalityFilters($id: ID!, $codes: [String!]!) {\n    removeMunicipalityFilters(subscriptionId: $id, municipalityCodes: $codes) {\n      ...AdminFilterChange\n    }\n  }\n": typeof types.AdminRemoveMunicipalityFiltersDocument,
    "\n  mutation AdminAddPersonFilters($id: ID!, $identifiers: [String!]!) {\n    addPersonFilters(subscriptionId: $id, personIdentifiers: $identifiers) {\n      ...AdminPersonFilterChange\n    }\n  }\n": typeof types.AdminAddPersonFiltersDocument,
    "\n  mutation AdminRemovePersonFilters($id: ID!, $identifiers: [String!]!) {\n    removePersonFilters(subscriptionId: $id, personIdentifiers: $identifiers) {\n      ...AdminPersonFilterChange\n    }\n  }\n": typeof types.AdminRemovePersonFiltersDocument,
    "\n  mutation AdminAddAgeRangeFilters($id: ID!, $ranges: [AgeRangeInput!]!) {\n    addAgeRangeFilters(subscriptionId: $id, ageRanges: $ranges) {\n      value\n      minAge\n      maxAge\n      result\n      reason\n    }\n  }\n": typeof types.AdminAddAgeRangeFiltersDocument,
    "\n  mutation AdminRemoveAllFilters($id: ID!, $group: EventFilterGroup!) {\n    removeAllFilters(subscriptionId: $id, group: $group) {\n      removedCount\n    }\n  }\n": typeof types.AdminRemoveAllFiltersDocument,
    "\n  query AdminPullEvents($id: ID!, $after: String) {\n    changeEvents(subscriptionId: $id, after: $after, first: 20) {\n      edges {\n        node {\n          ...AdminChangeEventRow\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.AdminPullEventsDocument,
    "\n  mutation AdminAcknowledgeEvents($id: ID!, $cursor: String!) {\n    acknowledgeEvents(subscriptionId: $id, cursor: $cursor) {\n      advanced\n      subscription {\n        id\n        acknowledgedCursor\n      }\n    }\n  }\n": typeof types.AdminAcknowledgeEventsDocument,
    "\n  query AdminAuditEvents($personId: ID, $subject: String, $after: String) {\n    auditEvents(personId: $personId, subject: $subject, first: 50, after: $after) {\n      edges {\n        node {\n          at\n          subject\n          client\n          purpose\n          operationName\n          fields\n          person {\n            id\n            identifier {\n              display\n            }\n            name {\n              addressingName\n            }\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.AdminAuditEventsDocument,
};
const documents: Documents = {
    "\n  query AdminSearchPersons($filter: PersonSearchFilter!, $after: String) {\n    searchPersons(filter: $filter, first: 20, after: $after) {\n      edges {\n        node {\n          id\n          country\n          identifier {\n            kind\n            display\n            value\n          }\n          name {\n            addressingName\n          }\n          birthDate\n          status\n          protectionMarkers {\n            kind\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.AdminSearchPersonsDocument,
    "\n  query AdminPerson($identifier: String!) {\n    person(identifier: $identifier) {\n      id\n      country\n      identifier {\n        kind\n        display\n        value\n      }\n      identifiers {\n        kind\n        display\n        current\n        validFrom\n        validTo\n      }\n      name {\n        givenNames\n        middleName\n        familyName\n        addressingName\n      }\n      previousNames {\n        addressingName\n        validFrom\n        validTo\n      }\n      birthDate\n      sex\n      status\n      statusDate\n      civilStatus\n      civilStatusSince\n      civilStatusPartner {\n        id\n        identifier {\n          display\n          value\n        }\n        name {\n          addressingName\n        }\n      }\n      citizenships\n      registeredOn\n      registeringAuthority\n      protectionMarkers(includeHistoric: true) {\n        kind\n        validFrom\n        validTo\n      }\n      contactDetails {\n        phone\n        email\n        preferredLanguage\n        version\n        updatedAt\n      }\n    }\n  }\n": types.AdminPersonDocument,
    "\n  query AdminPersonAddresses($identifier: String!) {\n    person(identifier: $identifier) {\n      id\n      addresses(includeHistoric: true) {\n        kind\n        current\n        standardAddressLine\n        careOf\n        postalCode\n        postalDistrict\n        municipalityCode\n        municipalityName\n        countryCode\n        validFrom\n        validTo\n      }\n    }\n  }\n": types.AdminPersonAddressesDocument,
    "\n  query AdminPersonFamily($identifier: String!, $after: String) {\n    person(identifier: $identifier) {\n      id\n      familyRelations(first: 20, after: $after) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        edges {\n          node {\n            id\n            kind\n            since\n            relativeName\n            relativeBirthDate\n            relative {\n              id\n              identifier {\n                display\n                value\n              }\n              name {\n                addressingName\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n": types.AdminPersonFamilyDocument,
    "\n  query AdminPersonReserveIdentities($identifier: String!) {\n    person(identifier: $identifier) {\n      id\n      reserveIdentities(first: 50) {\n        id\n        kind\n        value\n        region\n        givenNames\n        familyName\n        birthDate\n        linkedAt\n      }\n    }\n  }\n": types.AdminPersonReserveIdentitiesDocument,
    "\n  fragment AdminChangeEventRow on ChangeEvent {\n    type\n    cprChangeCode\n    occurredAt\n    recordedAt\n  }\n": types.AdminChangeEventRowFragmentDoc,
    "\n  query AdminPersonEvents($identifier: String!, $country: Country) {\n    changeEvents(first: 50, filter: { personIdentifiers: [$identifier], identifierCountry: $country }) {\n      edges {\n        node {\n          ...AdminChangeEventRow\n        }\n      }\n    }\n  }\n": types.AdminPersonEventsDocument,
    "\n  mutation AdminUpdateContactDetails($input: ContactDetailsInput!) {\n    updateContactDetails(input: $input) {\n      phone\n      email\n      preferredLanguage\n      version\n      updatedAt\n    }\n  }\n": types.AdminUpdateContactDetailsDocument,
    "\n  query AdminReserveIdentity($identifier: String!) {\n    reserveIdentity(identifier: $identifier, followLinks: false) {\n      id\n      kind\n      value\n      region\n      issuedBy\n      givenNames\n      familyName\n      birthDate\n      sex\n      statedAddress {\n        streetAddress\n        postalCode\n        city\n        country\n      }\n      mainIdentifier {\n        kind\n        value\n      }\n      links(includeHistoric: true) {\n        target {\n          kind\n          value\n        }\n        linkedAt\n        unlinkedAt\n      }\n    }\n  }\n": types.AdminReserveIdentityDocument,
    "\n  mutation AdminIssueNationalReserveId($input: ReserveIdentityDataInput!) {\n    issueNationalReserveId(input: $input) {\n      id\n      kind\n      value\n    }\n  }\n": types.AdminIssueNationalReserveIdDocument,
    "\n  mutation AdminRegisterLocalReserveId($identifier: String!, $input: ReserveIdentityDataInput) {\n    registerLocalReserveId(identifier: $identifier, input: $input) {\n      id\n      kind\n      value\n    }\n  }\n": types.AdminRegisterLocalReserveIdDocument,
    "\n  mutation AdminUpdateReserveIdentity($id: ID!, $input: ReserveIdentityDataInput!) {\n    updateReserveIdentity(id: $id, input: $input) {\n      id\n      value\n    }\n  }\n": types.AdminUpdateReserveIdentityDocument,
    "\n  mutation AdminLinkReserveIdentity($id: ID!, $to: String!) {\n    linkReserveIdentity(id: $id, to: $to) {\n      id\n      value\n      mainIdentifier {\n        kind\n        value\n      }\n    }\n  }\n": types.AdminLinkReserveIdentityDocument,
    "\n  mutation AdminUnlinkReserveIdentity($id: ID!) {\n    unlinkReserveIdentity(id: $id) {\n      id\n      value\n    }\n  }\n": types.AdminUnlinkReserveIdentityDocument,
    "\n  fragment AdminRegisterChange on RegisterChangePayload {\n    person {\n      id\n      status\n    }\n  }\n": types.AdminRegisterChangeFragmentDoc,
    "\n  mutation AdminRegisterDeath($input: RegisterDeathInput!) {\n    registerDeath(input: $input) {\n      ...AdminRegisterChange\n    }\n  }\n": types.AdminRegisterDeathDocument,
    "\n  mutation AdminAnnulDeath($input: AnnulDeathInput!) {\n    annulDeath(input: $input) {\n      ...AdminRegisterChange\n    }\n  }\n": types.AdminAnnulDeathDocument,
    "\n  mutation AdminRegisterDisappearance($input: LifeEventInput!) {\n    registerDisappearance(input: $input) {\n      ...AdminRegisterChange\n    }\n  }\n": types.AdminRegisterDisappearanceDocument,
    "\n  mutation AdminRegisterReappearance($input: LifeEventInput!) {\n    registerReappearance(input: $input) {\n      ...AdminRegisterChange\n    }\n  }\n": types.AdminRegisterReappearanceDocument,
    "\n  mutation AdminStartProtection($input: StartProtectionInput!) {\n    startProtection(input: $input) {\n      ...AdminRegisterChange\n    }\n  }\n": types.AdminStartProtectionDocument,
    "\n  mutation AdminEndProtection($input: EndProtectionInput!) {\n    endProtection(input: $input) {\n      ...AdminRegisterChange\n    }\n  }\n": types.AdminEndProtectionDocument,
    "\n  mutation AdminChangeName($input: ChangeNameInput!) {\n    changeName(input: $input) {\n      ...AdminRegisterChange\n    }\n  }\n": types.AdminChangeNameDocument,
    "\n  mutation AdminChangeCivilStatus($input: ChangeCivilStatusInput!) {\n    changeCivilStatus(input: $input) {\n      ...AdminRegisterChange\n    }\n  }\n": types.AdminChangeCivilStatusDocument,
    "\n  mutation AdminChangeIdentifier($input: ChangeIdentifierInput!) {\n    changeIdentifier(input: $input) {\n      ...AdminRegisterChange\n    }\n  }\n": types.AdminChangeIdentifierDocument,
    "\n  mutation AdminAnnulIdentifier($input: AnnulIdentifierInput!) {\n    annulIdentifier(input: $input) {\n      ...AdminRegisterChange\n    }\n  }\n": types.AdminAnnulIdentifierDocument,
    "\n  mutation AdminChangeCitizenships($input: ChangeCitizenshipsInput!) {\n    changeCitizenships(input: $input) {\n      ...AdminRegisterChange\n    }\n  }\n": types.AdminChangeCitizenshipsDocument,
    "\n  query AdminPersonId($identifier: String!) {\n    person(identifier: $identifier) {\n      id\n    }\n  }\n": types.AdminPersonIdDocument,
    "\n  query AdminEventSubscriptions {\n    eventSubscriptions {\n      id\n      name\n      catchAll\n      createdAt\n      acknowledgedCursor\n      filters {\n        types\n        municipalityCodes\n        personIdentifiers\n        ageRanges {\n          minAge\n          maxAge\n        }\n      }\n    }\n  }\n": types.AdminEventSubscriptionsDocument,
    "\n  mutation AdminCreateEventSubscription($name: String, $catchAll: Boolean) {\n    createEventSubscription(input: { name: $name, catchAll: $catchAll }) {\n      id\n    }\n  }\n": types.AdminCreateEventSubscriptionDocument,
    "\n  mutation AdminDeleteEventSubscription($id: ID!) {\n    deleteEventSubscription(subscriptionId: $id)\n  }\n": types.AdminDeleteEventSubscriptionDocument,
    "\n  mutation AdminSetCatchAll($id: ID!, $catchAll: Boolean!) {\n    setEventSubscriptionCatchAll(subscriptionId: $id, catchAll: $catchAll) {\n      id\n      catchAll\n    }\n  }\n": types.AdminSetCatchAllDocument,
    "\n  fragment AdminFilterChange on EventFilterChange {\n    value\n    result\n    reason\n  }\n": types.AdminFilterChangeFragmentDoc,
    "\n  fragment AdminPersonFilterChange on PersonFilterChange {\n    value: input\n    result\n    reason\n  }\n": types.AdminPersonFilterChangeFragmentDoc,
    "\n  mutation AdminAddEventTypeFilters($id: ID!, $types: [ChangeEventType!]!) {\n    addEventTypeFilters(subscriptionId: $id, types: $types) {\n      ...AdminFilterChange\n    }\n  }\n": types.AdminAddEventTypeFiltersDocument,
    "\n  mutation AdminRemoveEventTypeFilters($id: ID!, $types: [ChangeEventType!]!) {\n    removeEventTypeFilters(subscriptionId: $id, types: $types) {\n      ...AdminFilterChange\n    }\n  }\n": types.AdminRemoveEventTypeFiltersDocument,
    "\n  mutation AdminAddMunicipalityFilters($id: ID!, $codes: [String!]!) {\n    addMunicipalityFilters(subscriptionId: $id, municipalityCodes: $codes) {\n      ...AdminFilterChange\n    }\n  }\n": types.AdminAddMunicipalityFiltersDocument,
    "\n  mutation AdminRemoveMunicipalityFilters($id: ID!, $codes: [String!]!) {\n    removeMunicipalityFilters(subscriptionId: $id, municipalityCodes: $codes) {\n      ...AdminFilterChange\n    }\n  }\n": types.AdminRemoveMunicipalityFiltersDocument,
    "\n  mutation AdminAddPersonFilters($id: ID!, $identifiers: [String!]!) {\n    addPersonFilters(subscriptionId: $id, personIdentifiers: $identifiers) {\n      ...AdminPersonFilterChange\n    }\n  }\n": types.AdminAddPersonFiltersDocument,
    "\n  mutation AdminRemovePersonFilters($id: ID!, $identifiers: [String!]!) {\n    removePersonFilters(subscriptionId: $id, personIdentifiers: $identifiers) {\n      ...AdminPersonFilterChange\n    }\n  }\n": types.AdminRemovePersonFiltersDocument,
    "\n  mutation AdminAddAgeRangeFilters($id: ID!, $ranges: [AgeRangeInput!]!) {\n    addAgeRangeFilters(subscriptionId: $id, ageRanges: $ranges) {\n      value\n      minAge\n      maxAge\n      result\n      reason\n    }\n  }\n": types.AdminAddAgeRangeFiltersDocument,
    "\n  mutation AdminRemoveAllFilters($id: ID!, $group: EventFilterGroup!) {\n    removeAllFilters(subscriptionId: $id, group: $group) {\n      removedCount\n    }\n  }\n": types.AdminRemoveAllFiltersDocument,
    "\n  query AdminPullEvents($id: ID!, $after: String) {\n    changeEvents(subscriptionId: $id, after: $after, first: 20) {\n      edges {\n        node {\n          ...AdminChangeEventRow\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.AdminPullEventsDocument,
    "\n  mutation AdminAcknowledgeEvents($id: ID!, $cursor: String!) {\n    acknowledgeEvents(subscriptionId: $id, cursor: $cursor) {\n      advanced\n      subscription {\n        id\n        acknowledgedCursor\n      }\n    }\n  }\n": types.AdminAcknowledgeEventsDocument,
    "\n  query AdminAuditEvents($personId: ID, $subject: String, $after: String) {\n    auditEvents(personId: $personId, subject: $subject, first: 50, after: $after) {\n      edges {\n        node {\n          at\n          subject\n          client\n          purpose\n          operationName\n          fields\n          person {\n            id\n            identifier {\n              display\n            }\n            name {\n              addressingName\n            }\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.AdminAuditEventsDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminSearchPersons($filter: PersonSearchFilter!, $after: String) {\n    searchPersons(filter: $filter, first: 20, after: $after) {\n      edges {\n        node {\n          id\n          country\n          identifier {\n            kind\n            display\n            value\n          }\n          name {\n            addressingName\n          }\n          birthDate\n          status\n          protectionMarkers {\n            kind\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query AdminSearchPersons($filter: PersonSearchFilter!, $after: String) {\n    searchPersons(filter: $filter, first: 20, after: $after) {\n      edges {\n        node {\n          id\n          country\n          identifier {\n            kind\n            display\n            value\n          }\n          name {\n            addressingName\n          }\n          birthDate\n          status\n          protectionMarkers {\n            kind\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminPerson($identifier: String!) {\n    person(identifier: $identifier) {\n      id\n      country\n      identifier {\n        kind\n        display\n        value\n      }\n      identifiers {\n        kind\n        display\n        current\n        validFrom\n        validTo\n      }\n      name {\n        givenNames\n        middleName\n        familyName\n        addressingName\n      }\n      previousNames {\n        addressingName\n        validFrom\n        validTo\n      }\n      birthDate\n      sex\n      status\n      statusDate\n      civilStatus\n      civilStatusSince\n      civilStatusPartner {\n        id\n        identifier {\n          display\n          value\n        }\n        name {\n          addressingName\n        }\n      }\n      citizenships\n      registeredOn\n      registeringAuthority\n      protectionMarkers(includeHistoric: true) {\n        kind\n        validFrom\n        validTo\n      }\n      contactDetails {\n        phone\n        email\n        preferredLanguage\n        version\n        updatedAt\n      }\n    }\n  }\n"): (typeof documents)["\n  query AdminPerson($identifier: String!) {\n    person(identifier: $identifier) {\n      id\n      country\n      identifier {\n        kind\n        display\n        value\n      }\n      identifiers {\n        kind\n        display\n        current\n        validFrom\n        validTo\n      }\n      name {\n        givenNames\n        middleName\n        familyName\n        addressingName\n      }\n      previousNames {\n        addressingName\n        validFrom\n        validTo\n      }\n      birthDate\n      sex\n      status\n      statusDate\n      civilStatus\n      civilStatusSince\n      civilStatusPartner {\n        id\n        identifier {\n          display\n          value\n        }\n        name {\n          addressingName\n        }\n      }\n      citizenships\n      registeredOn\n      registeringAuthority\n      protectionMarkers(includeHistoric: true) {\n        kind\n        validFrom\n        validTo\n      }\n      contactDetails {\n        phone\n        email\n        preferredLanguage\n        version\n        updatedAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminPersonAddresses($identifier: String!) {\n    person(identifier: $identifier) {\n      id\n      addresses(includeHistoric: true) {\n        kind\n        current\n        standardAddressLine\n        careOf\n        postalCode\n        postalDistrict\n        municipalityCode\n        municipalityName\n        countryCode\n        validFrom\n        validTo\n      }\n    }\n  }\n"): (typeof documents)["\n  query AdminPersonAddresses($identifier: String!) {\n    person(identifier: $identifier) {\n      id\n      addresses(includeHistoric: true) {\n        kind\n        current\n        standardAddressLine\n        careOf\n        postalCode\n        postalDistrict\n        municipalityCode\n        municipalityName\n        countryCode\n        validFrom\n        validTo\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminPersonFamily($identifier: String!, $after: String) {\n    person(identifier: $identifier) {\n      id\n      familyRelations(first: 20, after: $after) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        edges {\n          node {\n            id\n            kind\n            since\n            relativeName\n            relativeBirthDate\n            relative {\n              id\n              identifier {\n                display\n                value\n              }\n              name {\n                addressingName\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query AdminPersonFamily($identifier: String!, $after: String) {\n    person(identifier: $identifier) {\n      id\n      familyRelations(first: 20, after: $after) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        edges {\n          node {\n            id\n            kind\n            since\n            relativeName\n            relativeBirthDate\n            relative {\n              id\n              identifier {\n                display\n                value\n              }\n              name {\n                addressingName\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminPersonReserveIdentities($identifier: String!) {\n    person(identifier: $identifier) {\n      id\n      reserveIdentities(first: 50) {\n        id\n        kind\n        value\n        region\n        givenNames\n        familyName\n        birthDate\n        linkedAt\n      }\n    }\n  }\n"): (typeof documents)["\n  query AdminPersonReserveIdentities($identifier: String!) {\n    person(identifier: $identifier) {\n      id\n      reserveIdentities(first: 50) {\n        id\n        kind\n        value\n        region\n        givenNames\n        familyName\n        birthDate\n        linkedAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AdminChangeEventRow on ChangeEvent {\n    type\n    cprChangeCode\n    occurredAt\n    recordedAt\n  }\n"): (typeof documents)["\n  fragment AdminChangeEventRow on ChangeEvent {\n    type\n    cprChangeCode\n    occurredAt\n    recordedAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminPersonEvents($identifier: String!, $country: Country) {\n    changeEvents(first: 50, filter: { personIdentifiers: [$identifier], identifierCountry: $country }) {\n      edges {\n        node {\n          ...AdminChangeEventRow\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query AdminPersonEvents($identifier: String!, $country: Country) {\n    changeEvents(first: 50, filter: { personIdentifiers: [$identifier], identifierCountry: $country }) {\n      edges {\n        node {\n          ...AdminChangeEventRow\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminUpdateContactDetails($input: ContactDetailsInput!) {\n    updateContactDetails(input: $input) {\n      phone\n      email\n      preferredLanguage\n      version\n      updatedAt\n    }\n  }\n"): (typeof documents)["\n  mutation AdminUpdateContactDetails($input: ContactDetailsInput!) {\n    updateContactDetails(input: $input) {\n      phone\n      email\n      preferredLanguage\n      version\n      updatedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminReserveIdentity($identifier: String!) {\n    reserveIdentity(identifier: $identifier, followLinks: false) {\n      id\n      kind\n      value\n      region\n      issuedBy\n      givenNames\n      familyName\n      birthDate\n      sex\n      statedAddress {\n        streetAddress\n        postalCode\n        city\n        country\n      }\n      mainIdentifier {\n        kind\n        value\n      }\n      links(includeHistoric: true) {\n        target {\n          kind\n          value\n        }\n        linkedAt\n        unlinkedAt\n      }\n    }\n  }\n"): (typeof documents)["\n  query AdminReserveIdentity($identifier: String!) {\n    reserveIdentity(identifier: $identifier, followLinks: false) {\n      id\n      kind\n      value\n      region\n      issuedBy\n      givenNames\n      familyName\n      birthDate\n      sex\n      statedAddress {\n        streetAddress\n        postalCode\n        city\n        country\n      }\n      mainIdentifier {\n        kind\n        value\n      }\n      links(includeHistoric: true) {\n        target {\n          kind\n          value\n        }\n        linkedAt\n        unlinkedAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminIssueNationalReserveId($input: ReserveIdentityDataInput!) {\n    issueNationalReserveId(input: $input) {\n      id\n      kind\n      value\n    }\n  }\n"): (typeof documents)["\n  mutation AdminIssueNationalReserveId($input: ReserveIdentityDataInput!) {\n    issueNationalReserveId(input: $input) {\n      id\n      kind\n      value\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminRegisterLocalReserveId($identifier: String!, $input: ReserveIdentityDataInput) {\n    registerLocalReserveId(identifier: $identifier, input: $input) {\n      id\n      kind\n      value\n    }\n  }\n"): (typeof documents)["\n  mutation AdminRegisterLocalReserveId($identifier: String!, $input: ReserveIdentityDataInput) {\n    registerLocalReserveId(identifier: $identifier, input: $input) {\n      id\n      kind\n      value\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminUpdateReserveIdentity($id: ID!, $input: ReserveIdentityDataInput!) {\n    updateReserveIdentity(id: $id, input: $input) {\n      id\n      value\n    }\n  }\n"): (typeof documents)["\n  mutation AdminUpdateReserveIdentity($id: ID!, $input: ReserveIdentityDataInput!) {\n    updateReserveIdentity(id: $id, input: $input) {\n      id\n      value\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminLinkReserveIdentity($id: ID!, $to: String!) {\n    linkReserveIdentity(id: $id, to: $to) {\n      id\n      value\n      mainIdentifier {\n        kind\n        value\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation AdminLinkReserveIdentity($id: ID!, $to: String!) {\n    linkReserveIdentity(id: $id, to: $to) {\n      id\n      value\n      mainIdentifier {\n        kind\n        value\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminUnlinkReserveIdentity($id: ID!) {\n    unlinkReserveIdentity(id: $id) {\n      id\n      value\n    }\n  }\n"): (typeof documents)["\n  mutation AdminUnlinkReserveIdentity($id: ID!) {\n    unlinkReserveIdentity(id: $id) {\n      id\n      value\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AdminRegisterChange on RegisterChangePayload {\n    person {\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  fragment AdminRegisterChange on RegisterChangePayload {\n    person {\n      id\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminRegisterDeath($input: RegisterDeathInput!) {\n    registerDeath(input: $input) {\n      ...AdminRegisterChange\n    }\n  }\n"): (typeof documents)["\n  mutation AdminRegisterDeath($input: RegisterDeathInput!) {\n    registerDeath(input: $input) {\n      ...AdminRegisterChange\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminAnnulDeath($input: AnnulDeathInput!) {\n    annulDeath(input: $input) {\n      ...AdminRegisterChange\n    }\n  }\n"): (typeof documents)["\n  mutation AdminAnnulDeath($input: AnnulDeathInput!) {\n    annulDeath(input: $input) {\n      ...AdminRegisterChange\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminRegisterDisappearance($input: LifeEventInput!) {\n    registerDisappearance(input: $input) {\n      ...AdminRegisterChange\n    }\n  }\n"): (typeof documents)["\n  mutation AdminRegisterDisappearance($input: LifeEventInput!) {\n    registerDisappearance(input: $input) {\n      ...AdminRegisterChange\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminRegisterReappearance($input: LifeEventInput!) {\n    registerReappearance(input: $input) {\n      ...AdminRegisterChange\n    }\n  }\n"): (typeof documents)["\n  mutation AdminRegisterReappearance($input: LifeEventInput!) {\n    registerReappearance(input: $input) {\n      ...AdminRegisterChange\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminStartProtection($input: StartProtectionInput!) {\n    startProtection(input: $input) {\n      ...AdminRegisterChange\n    }\n  }\n"): (typeof documents)["\n  mutation AdminStartProtection($input: StartProtectionInput!) {\n    startProtection(input: $input) {\n      ...AdminRegisterChange\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminEndProtection($input: EndProtectionInput!) {\n    endProtection(input: $input) {\n      ...AdminRegisterChange\n    }\n  }\n"): (typeof documents)["\n  mutation AdminEndProtection($input: EndProtectionInput!) {\n    endProtection(input: $input) {\n      ...AdminRegisterChange\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminChangeName($input: ChangeNameInput!) {\n    changeName(input: $input) {\n      ...AdminRegisterChange\n    }\n  }\n"): (typeof documents)["\n  mutation AdminChangeName($input: ChangeNameInput!) {\n    changeName(input: $input) {\n      ...AdminRegisterChange\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminChangeCivilStatus($input: ChangeCivilStatusInput!) {\n    changeCivilStatus(input: $input) {\n      ...AdminRegisterChange\n    }\n  }\n"): (typeof documents)["\n  mutation AdminChangeCivilStatus($input: ChangeCivilStatusInput!) {\n    changeCivilStatus(input: $input) {\n      ...AdminRegisterChange\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminChangeIdentifier($input: ChangeIdentifierInput!) {\n    changeIdentifier(input: $input) {\n      ...AdminRegisterChange\n    }\n  }\n"): (typeof documents)["\n  mutation AdminChangeIdentifier($input: ChangeIdentifierInput!) {\n    changeIdentifier(input: $input) {\n      ...AdminRegisterChange\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminAnnulIdentifier($input: AnnulIdentifierInput!) {\n    annulIdentifier(input: $input) {\n      ...AdminRegisterChange\n    }\n  }\n"): (typeof documents)["\n  mutation AdminAnnulIdentifier($input: AnnulIdentifierInput!) {\n    annulIdentifier(input: $input) {\n      ...AdminRegisterChange\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminChangeCitizenships($input: ChangeCitizenshipsInput!) {\n    changeCitizenships(input: $input) {\n      ...AdminRegisterChange\n    }\n  }\n"): (typeof documents)["\n  mutation AdminChangeCitizenships($input: ChangeCitizenshipsInput!) {\n    changeCitizenships(input: $input) {\n      ...AdminRegisterChange\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminPersonId($identifier: String!) {\n    person(identifier: $identifier) {\n      id\n    }\n  }\n"): (typeof documents)["\n  query AdminPersonId($identifier: String!) {\n    person(identifier: $identifier) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminEventSubscriptions {\n    eventSubscriptions {\n      id\n      name\n      catchAll\n      createdAt\n      acknowledgedCursor\n      filters {\n        types\n        municipalityCodes\n        personIdentifiers\n        ageRanges {\n          minAge\n          maxAge\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query AdminEventSubscriptions {\n    eventSubscriptions {\n      id\n      name\n      catchAll\n      createdAt\n      acknowledgedCursor\n      filters {\n        types\n        municipalityCodes\n        personIdentifiers\n        ageRanges {\n          minAge\n          maxAge\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminCreateEventSubscription($name: String, $catchAll: Boolean) {\n    createEventSubscription(input: { name: $name, catchAll: $catchAll }) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation AdminCreateEventSubscription($name: String, $catchAll: Boolean) {\n    createEventSubscription(input: { name: $name, catchAll: $catchAll }) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminDeleteEventSubscription($id: ID!) {\n    deleteEventSubscription(subscriptionId: $id)\n  }\n"): (typeof documents)["\n  mutation AdminDeleteEventSubscription($id: ID!) {\n    deleteEventSubscription(subscriptionId: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminSetCatchAll($id: ID!, $catchAll: Boolean!) {\n    setEventSubscriptionCatchAll(subscriptionId: $id, catchAll: $catchAll) {\n      id\n      catchAll\n    }\n  }\n"): (typeof documents)["\n  mutation AdminSetCatchAll($id: ID!, $catchAll: Boolean!) {\n    setEventSubscriptionCatchAll(subscriptionId: $id, catchAll: $catchAll) {\n      id\n      catchAll\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AdminFilterChange on EventFilterChange {\n    value\n    result\n    reason\n  }\n"): (typeof documents)["\n  fragment AdminFilterChange on EventFilterChange {\n    value\n    result\n    reason\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AdminPersonFilterChange on PersonFilterChange {\n    value: input\n    result\n    reason\n  }\n"): (typeof documents)["\n  fragment AdminPersonFilterChange on PersonFilterChange {\n    value: input\n    result\n    reason\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminAddEventTypeFilters($id: ID!, $types: [ChangeEventType!]!) {\n    addEventTypeFilters(subscriptionId: $id, types: $types) {\n      ...AdminFilterChange\n    }\n  }\n"): (typeof documents)["\n  mutation AdminAddEventTypeFilters($id: ID!, $types: [ChangeEventType!]!) {\n    addEventTypeFilters(subscriptionId: $id, types: $types) {\n      ...AdminFilterChange\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminRemoveEventTypeFilters($id: ID!, $types: [ChangeEventType!]!) {\n    removeEventTypeFilters(subscriptionId: $id, types: $types) {\n      ...AdminFilterChange\n    }\n  }\n"): (typeof documents)["\n  mutation AdminRemoveEventTypeFilters($id: ID!, $types: [ChangeEventType!]!) {\n    removeEventTypeFilters(subscriptionId: $id, types: $types) {\n      ...AdminFilterChange\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminAddMunicipalityFilters($id: ID!, $codes: [String!]!) {\n    addMunicipalityFilters(subscriptionId: $id, municipalityCodes: $codes) {\n      ...AdminFilterChange\n    }\n  }\n"): (typeof documents)["\n  mutation AdminAddMunicipalityFilters($id: ID!, $codes: [String!]!) {\n    addMunicipalityFilters(subscriptionId: $id, municipalityCodes: $codes) {\n      ...AdminFilterChange\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminRemoveMunicipalityFilters($id: ID!, $codes: [String!]!) {\n    removeMunicipalityFilters(subscriptionId: $id, municipalityCodes: $codes) {\n      ...AdminFilterChange\n    }\n  }\n"): (typeof documents)["\n  mutation AdminRemoveMunicipalityFilters($id: ID!, $codes: [String!]!) {\n    removeMunicipalityFilters(subscriptionId: $id, municipalityCodes: $codes) {\n      ...AdminFilterChange\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminAddPersonFilters($id: ID!, $identifiers: [String!]!) {\n    addPersonFilters(subscriptionId: $id, personIdentifiers: $identifiers) {\n      ...AdminPersonFilterChange\n    }\n  }\n"): (typeof documents)["\n  mutation AdminAddPersonFilters($id: ID!, $identifiers: [String!]!) {\n    addPersonFilters(subscriptionId: $id, personIdentifiers: $identifiers) {\n      ...AdminPersonFilterChange\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminRemovePersonFilters($id: ID!, $identifiers: [String!]!) {\n    removePersonFilters(subscriptionId: $id, personIdentifiers: $identifiers) {\n      ...AdminPersonFilterChange\n    }\n  }\n"): (typeof documents)["\n  mutation AdminRemovePersonFilters($id: ID!, $identifiers: [String!]!) {\n    removePersonFilters(subscriptionId: $id, personIdentifiers: $identifiers) {\n      ...AdminPersonFilterChange\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminAddAgeRangeFilters($id: ID!, $ranges: [AgeRangeInput!]!) {\n    addAgeRangeFilters(subscriptionId: $id, ageRanges: $ranges) {\n      value\n      minAge\n      maxAge\n      result\n      reason\n    }\n  }\n"): (typeof documents)["\n  mutation AdminAddAgeRangeFilters($id: ID!, $ranges: [AgeRangeInput!]!) {\n    addAgeRangeFilters(subscriptionId: $id, ageRanges: $ranges) {\n      value\n      minAge\n      maxAge\n      result\n      reason\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminRemoveAllFilters($id: ID!, $group: EventFilterGroup!) {\n    removeAllFilters(subscriptionId: $id, group: $group) {\n      removedCount\n    }\n  }\n"): (typeof documents)["\n  mutation AdminRemoveAllFilters($id: ID!, $group: EventFilterGroup!) {\n    removeAllFilters(subscriptionId: $id, group: $group) {\n      removedCount\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminPullEvents($id: ID!, $after: String) {\n    changeEvents(subscriptionId: $id, after: $after, first: 20) {\n      edges {\n        node {\n          ...AdminChangeEventRow\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query AdminPullEvents($id: ID!, $after: String) {\n    changeEvents(subscriptionId: $id, after: $after, first: 20) {\n      edges {\n        node {\n          ...AdminChangeEventRow\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminAcknowledgeEvents($id: ID!, $cursor: String!) {\n    acknowledgeEvents(subscriptionId: $id, cursor: $cursor) {\n      advanced\n      subscription {\n        id\n        acknowledgedCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation AdminAcknowledgeEvents($id: ID!, $cursor: String!) {\n    acknowledgeEvents(subscriptionId: $id, cursor: $cursor) {\n      advanced\n      subscription {\n        id\n        acknowledgedCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminAuditEvents($personId: ID, $subject: String, $after: String) {\n    auditEvents(personId: $personId, subject: $subject, first: 50, after: $after) {\n      edges {\n        node {\n          at\n          subject\n          client\n          purpose\n          operationName\n          fields\n          person {\n            id\n            identifier {\n              display\n            }\n            name {\n              addressingName\n            }\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query AdminAuditEvents($personId: ID, $subject: String, $after: String) {\n    auditEvents(personId: $personId, subject: $subject, first: 50, after: $after) {\n      edges {\n        node {\n          at\n          subject\n          client\n          purpose\n          operationName\n          fields\n          person {\n            id\n            identifier {\n              display\n            }\n            name {\n              addressingName\n            }\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;