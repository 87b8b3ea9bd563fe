/**
 * The README's whole-picture person query (every domain, nested relatives, events): the limits must
 * pass it, and the benchmark of the scope check walks it.
 */
export const README_PERSON = /* GraphQL */ `
  query Person($identifier: String!) {
    person(identifier: $identifier) {
      identifier {
        kind
        display
        current
      }
      name {
        givenNames
        familyName
        addressingName
      }
      birthDate
      sex
      status
      civilStatus
      protectionMarkers {
        kind
        validFrom
      }
      address {
        kind
        streetName
        houseNumber
        postalCode
        postalDistrict
        municipalityCode
        municipalityName
      }
      familyRelations(first: 20) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            kind
            since
            relativeName
            relativeBirthDate
            relative {
              name {
                addressingName
              }
              address {
                postalCode
              }
            }
          }
        }
      }
      reserveIdentities {
        kind
        region
        value
      }
    }
    changeEvents(first: 10) {
      edges {
        cursor
        node {
          type
          cprChangeCode
          occurredAt
          municipalityBefore
          municipalityAfter
          person {
            identifier {
              display
            }
          }
        }
      }
      pageInfo {
        endCursor
        hasNextPage
      }
    }
  }
`;

/**
 * A page of relations with each relative's names and current address: the frontend's commonest screen.
 * Its cost must not grow with the page (counters test), and the family-latency benchmark times it.
 */
export const FAMILY_PAGE = /* GraphQL */ `
  query Page($identifier: String!, $first: Int) {
    person(identifier: $identifier) {
      name {
        addressingName
      }
      familyRelations(first: $first) {
        totalCount
        edges {
          node {
            kind
            relationCode
            relative {
              name {
                givenNames
                familyName
                addressingName
              }
              address {
                standardAddressLine
                postalCode
                postalDistrict
              }
            }
          }
        }
      }
    }
  }
`;
