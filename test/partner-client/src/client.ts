/**
 * An example partner client, written as a partner would: typed operations generated from folkreg's
 * published contract. `npm test` regenerates the types and type-checks this file, so a schema change
 * that would break partners' generated clients fails CI.
 */
import type { ResultOf, TypedDocumentNode, VariablesOf } from '@graphql-typed-document-node/core';
import { graphql } from '../gql/index.js';

export const PersonWithFamily = graphql(`
  query PersonWithFamily($identifier: String!, $after: String) {
    person(identifier: $identifier) {
      id
      identifier {
        kind
        display
      }
      name {
        givenNames
        familyName
        addressingName
      }
      protectionMarkers {
        kind
      }
      address {
        streetName
        postalCode
        postalDistrict
        municipalityName
      }
      familyRelations(first: 20, after: $after) {
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
            relative {
              id
              name {
                addressingName
              }
              address {
                standardAddressLine
                postalCode
              }
            }
          }
        }
      }
    }
  }
`);

export const LookupMany = graphql(`
  query LookupMany($identifiers: [String!]!) {
    persons(identifiers: $identifiers) {
      input
      status
      reason
      person {
        id
        name {
          addressingName
        }
      }
    }
  }
`);

export const LiveMoves = graphql(`
  subscription LiveMoves($after: String) {
    changeEvents(after: $after, filter: { types: [MOVE, EMIGRATION] }) {
      cursor
      type
      occurredAt
      municipalityBefore
      municipalityAfter
      person {
        id
        address {
          standardAddressLine
          postalCode
        }
      }
    }
  }
`);

/** Sends a registered operation by its id (trusted documents), typed by the generated document. */
export async function execute<R, V>(
  url: string,
  token: string,
  document: TypedDocumentNode<R, V> & { __meta__?: { hash?: string } },
  variables: V,
): Promise<{ data?: R; errors?: { message: string; extensions?: { code?: string } }[] }> {
  const documentId = document.__meta__?.hash;
  if (!documentId) throw new Error('document has no persisted id: run codegen with persistedDocuments');
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ documentId, variables }),
  });
  return (await res.json()) as { data?: R; errors?: { message: string; extensions?: { code?: string } }[] };
}

/** Batch lookup: each input answered on its own, typed by the generated `LookupStatus`. */
export async function addressingNames(url: string, token: string, identifiers: string[]): Promise<Record<string, string>> {
  const { data } = await execute(url, token, LookupMany, { identifiers });
  const out: Record<string, string> = {};
  for (const item of data?.persons ?? []) {
    out[item.input] =
      item.status === 'FOUND' ? (item.person?.name?.addressingName ?? '(withheld)') : item.status === 'INVALID' ? `invalid: ${item.reason}` : 'not found';
  }
  return out;
}

/** A typed event as the live subscription delivers it (sent over graphql-ws by the partner's client). */
export type LiveMove = NonNullable<ResultOf<typeof LiveMoves>['changeEvents']>;

/** What a partner writes against the generated types: every nullable (maskable) field is handled. */
export async function familyNames(url: string, token: string, identifier: string): Promise<string[]> {
  const names: string[] = [];
  let after: string | null | undefined = null;
  do {
    const variables: VariablesOf<typeof PersonWithFamily> = { identifier, after };
    const { data } = await execute(url, token, PersonWithFamily, variables);
    const page = data?.person?.familyRelations;
    if (!page) break; // person unknown, or the family is withheld (PROTECTED_IDENTITY)
    for (const edge of page.edges) names.push(edge.node.relative?.name?.addressingName ?? edge.node.relativeName ?? '(withheld)');
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : undefined;
  } while (after);
  return names;
}
