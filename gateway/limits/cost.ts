import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import { getNamedType, getNullableType, isCompositeType, isListType, type DocumentNode, type GraphQLField, type GraphQLSchema } from 'graphql';

/**
 * Items a list field without a size argument is assumed to return: the person's own short lists.
 * Every other such list counts `DEFAULT_LIST_SIZE`.
 */
const ASSUMED_LIST_SIZES: Record<string, number> = {
  'Person.identifiers': 3,
  'Person.protectionMarkers': 3,
  'Person.reserveIdentities': 3,
  'Person.addresses': 5,
  'ReserveIdentity.links': 3,
  'Query.eventSubscriptions': 20,
};
const DEFAULT_LIST_SIZE = 10;

/**
 * Selections graphql-query-complexity may walk for one document, fragments expanded: a fragment spread
 * ten times in each of ten nested fragments is 10^10 of them in only a few hundred tokens. @default 50_000
 */
const MAX_EVALUATED_SELECTIONS = 50_000;

/**
 * How many items a list field may return, from what the client asked: `first:` (its default when not
 * given) for pages — family pages ≤ 20, search ≤ 100, event pages ≤ 500, audit ≤ 200 — else the length
 * of its longest list argument (`persons(identifiers:)` ≤ 500, the filter mutations), else the assumed
 * size. Sizes are the client's own: `first: 10000` is priced at 10,000 (and refused by cost before the
 * subgraph would refuse it).
 */
export function listSize(coordinate: string, args: Record<string, unknown>): number {
  if (typeof args.first === 'number') return Math.max(0, args.first);
  let longest = -1;
  for (const value of Object.values(args)) if (Array.isArray(value)) longest = Math.max(longest, value.length);
  if (longest >= 0) return longest;
  return ASSUMED_LIST_SIZES[coordinate] ?? DEFAULT_LIST_SIZE;
}

const isConnection = (field: GraphQLField<unknown, unknown>) => getNamedType(field.type).name.endsWith('Connection');

/**
 * The estimator graphql-query-complexity lacks: every object costs 1 and scalars nothing (as in Apollo
 * Router's and the IBM cost specification's defaults); a list's items, or a connection's whole selection,
 * count once per item it may return, so nested pages multiply. Introspection is free (its depth is bounded).
 */
export const listSizeEstimator: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
  if (type.name.startsWith('__') || field.name.startsWith('__')) return 0;
  if (!isCompositeType(getNamedType(field.type))) return 0;
  const coordinate = `${type.name}.${field.name}`;
  // A connection's `edges` were counted at the connection field, with its `first`.
  if (type.name.endsWith('Connection')) return 1 + childComplexity;
  if (isConnection(field)) return 1 + listSize(coordinate, args) * childComplexity;
  if (isListType(getNullableType(field.type))) return listSize(coordinate, args) * (1 + childComplexity);
  return 1 + childComplexity;
};

/** An operation's estimated cost (1 for the operation itself), or 'too many selections'. */
export function estimateCost(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown>, operationName: string | null | undefined): number | 'too many selections' {
  try {
    return 1 + getComplexity({ schema, query: document, variables, operationName: operationName ?? undefined, estimators: [listSizeEstimator], maxQueryNodes: MAX_EVALUATED_SELECTIONS });
  } catch (err) {
    if ((err as Error).message.includes('maximum allowed number of nodes')) return 'too many selections';
    // Variables that do not coerce: execution refuses them before planning, with its own error.
    return 1;
  }
}
