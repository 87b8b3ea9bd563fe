/**
 * An example partner client, written as a partner would: typed operations generated from folkreg's
 * published contract. `npm test` regenerates the types and type-checks this file, so a schema change
 * that would break partners' generated clients fails CI.
 */
import type { TypedDocumentNode, VariablesOf } from '@graphql-typed-document-node/core';
import { graphql } from '../gql/index.js';

export const PersonWithFamily = graphql(`
  query PersonWithFamily($identifier: String!, $after: String) {
    person(identifier: $identifier) {
      id
      identifier { kind display }
      name { givenNames familyName addressingName }
      protectionMarkers { kind }
      address { streetName postalCode postalDistrict municipalityName }
      familyRelations(first: 20, after: $after) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { node { kind since relativeName relative { id name { addressingName } address { standardAddressLine postalCode } } } }
      }
    }
  }
`);

/** Sends a registered operation by its id (trusted documents), typed by the generated document. */
export async function execute<R, V>(url: string, token: string, document: TypedDocumentNode<R, V> & { __meta__?: { hash?: string } }, variables: V): Promise<{ data?: R; errors?: { message: string; extensions?: { code?: string } }[] }> {
  const documentId = document.__meta__?.hash;
  if (!documentId) throw new Error('document has no persisted id: run codegen with persistedDocuments');
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ documentId, variables }),
  });
  return (await res.json()) as { data?: R; errors?: { message: string; extensions?: { code?: string } }[] };
}

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
