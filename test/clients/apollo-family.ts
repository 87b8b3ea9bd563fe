/**
 * The README's "For frontends" snippet, verbatim between the README markers (a unit test compares
 * them; test/e2e/apollo-client.test.ts runs it against the stack): Apollo Client configured for
 * folkreg's masking and family pages.
 */
// README:start
import { ApolloClient, CombinedGraphQLErrors, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { relayStylePagination } from '@apollo/client/utilities';

export function folkregApollo(uri: string, token: () => string): ApolloClient {
  return new ApolloClient({
    link: new HttpLink({ uri, fetch: (url, init) => fetch(url, { ...init, headers: { ...init?.headers, authorization: `Bearer ${token()}` } }) }),
    cache: new InMemoryCache({
      // Person and FamilyRelation are normalised by `id` (the default). Pages of one person's relations
      // merge into one list, per filter (kinds, includeHistoric), whatever `first` and `after` were.
      typePolicies: { Person: { fields: { familyRelations: relayStylePagination(['kinds', 'includeHistoric']) } } },
    }),
  });
}

export const FAMILY = gql`
  query Family($identifier: String!, $after: String) {
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
            relative {
              id
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
    }
  }
`;

/**
 * The fields withheld in one response, per relation id: e.g. `{ "<id>": ["relative.address"] }`.
 * An error's path points into the response it came with — for a `fetchMore` page, into that page's
 * edges — so map it to the relation there, not to an index of the merged list.
 */
export function withheldByRelation(data: any, error: unknown): Map<string, string[]> {
  const withheld = new Map<string, string[]>();
  if (!CombinedGraphQLErrors.is(error)) return withheld;
  for (const e of error.errors) {
    const [root, relations, edges, index, node, ...field] = e.path ?? [];
    if (e.extensions?.code !== 'PROTECTED_IDENTITY' || root !== 'person' || relations !== 'familyRelations' || edges !== 'edges' || node !== 'node') continue;
    const id = data?.person?.familyRelations?.edges?.[index as number]?.node?.id;
    if (id) withheld.set(id, [...(withheld.get(id) ?? []), field.join('.')]);
  }
  return withheld;
}

/** Every page of a person's family: the cache merges each `fetchMore` page into the one list. */
export async function wholeFamily(client: ApolloClient, identifier: string) {
  // errorPolicy 'none' (Apollo's default, for fetchMore too) drops the whole result when one
  // relative's field is masked: 'all' keeps the data, and the PROTECTED_IDENTITY errors say what is missing.
  const query = client.watchQuery({ query: FAMILY, variables: { identifier }, errorPolicy: 'all' });
  let page = await query.refetch(); // the first page (React: useQuery(FAMILY, { variables, errorPolicy: 'all' }))
  const withheld = withheldByRelation(page.data, page.error);
  while ((page.data as any)?.person?.familyRelations.pageInfo.hasNextPage) {
    const after = (page.data as any).person.familyRelations.pageInfo.endCursor;
    page = await query.fetchMore({ variables: { after }, errorPolicy: 'all' });
    for (const [id, fields] of withheldByRelation(page.data, page.error)) withheld.set(id, fields);
  }
  return { data: client.readQuery({ query: FAMILY, variables: { identifier } }) as any, withheld }; // the merged pages
}
// README:end
