import {
  Kind,
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  getNullableType,
  getOperationAST,
  getVariableValues,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type FragmentSpreadNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type InlineFragmentNode,
  type SelectionSetNode,
} from 'graphql';

/**
 * Items a list field without a size argument is assumed to return: the person's own short lists, which
 * do not nest into another person's (an address, identifier or marker has no person under it), so an
 * underestimate is linear, never multiplied. The lists that do nest — `ReserveIdentity.links` (history
 * grows with every link and unlink) and `Person.reserveIdentities` (as many as writers linked) — take
 * `first:` (default 10, at most 50, enforced by the reserve-id subgraph) and are priced at it.
 * Every other such list counts `DEFAULT_LIST_SIZE`.
 */
const ASSUMED_LIST_SIZES: Record<string, number> = {
  'Person.identifiers': 3,
  'Person.protectionMarkers': 3,
  'Person.addresses': 5,
  'Query.eventSubscriptions': 20,
};
const DEFAULT_LIST_SIZE = 10;

/**
 * How many items a list field may return, from what the client asked: `first:` (its default when not
 * given) for pages — family pages ≤ 20, search ≤ 500, event pages ≤ 500, audit ≤ 200 — else the length
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
 * One field's cost from its selection's (`child`): every object costs 1 and scalars nothing (as in Apollo
 * Router's and the IBM cost specification's defaults); a list's items, or a connection's whole selection,
 * count once per item it may return, so nested pages multiply. Introspection is free (its depth is bounded).
 */
export function fieldCost(parent: GraphQLCompositeType, field: GraphQLField<unknown, unknown>, args: Record<string, unknown>, child: number): number {
  if (parent.name.startsWith('__') || field.name.startsWith('__')) return 0;
  if (!isCompositeType(getNamedType(field.type))) return 0;
  const coordinate = `${parent.name}.${field.name}`;
  // A connection's `edges` were counted at the connection field, with its `first`.
  if (parent.name.endsWith('Connection')) return 1 + child;
  if (isConnection(field)) return 1 + listSize(coordinate, args) * child;
  if (isListType(getNullableType(field.type))) return listSize(coordinate, args) * (1 + child);
  return 1 + child;
}

/**
 * An operation's estimated cost: 1 for the operation and `fieldCost` for every selected field, through
 * nesting, fragments expanded. Written here rather than with graphql-query-complexity (whose estimator
 * interface `fieldCost` follows): its walk re-walks a fragment at every spread, so 12 levels of four
 * spreads (a 700-byte document) are 4^11 walks, which it can only cut off with its node cap (50–240 ms
 * for 10,000 nodes here) and then reports no cost at all. This walk prices each fragment once per request
 * and reuses it: that document is priced exactly (4,194,306) in under a millisecond.
 * Variables that do not coerce price at 1: execution refuses them before planning, with its own error.
 */
export function estimateCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown>,
  operationName: string | null | undefined,
): number {
  const operation = getOperationAST(document, operationName ?? undefined);
  const root = operation && schema.getRootType(operation.operation);
  if (!operation || !root) return 1;
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  if (coerced.errors) return 1;
  const values = coerced.coerced;
  const fragments = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
  const priced = new Map<string, number>();
  const pricing = new Set<string>();

  const included = (node: FieldNode | FragmentSpreadNode | InlineFragmentNode) =>
    getDirectiveValues(GraphQLSkipDirective, node, values)?.if !== true && getDirectiveValues(GraphQLIncludeDirective, node, values)?.if !== false;

  const selectionCost = (type: GraphQLCompositeType, set: SelectionSetNode): number => {
    let total = 0;
    for (const selection of set.selections) {
      if (!included(selection)) continue;
      if (selection.kind === Kind.FIELD) {
        const field = isObjectType(type) || isInterfaceType(type) ? type.getFields()[selection.name.value] : undefined;
        if (!field) continue;
        const named = getNamedType(field.type);
        const child = selection.selectionSet && isCompositeType(named) ? selectionCost(named, selection.selectionSet) : 0;
        let args: Record<string, unknown>;
        try {
          args = getArgumentValues(field, selection, values);
        } catch {
          args = {};
        }
        total += fieldCost(type, field, args, child);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type;
        if (condition && isCompositeType(condition)) total += selectionCost(condition, selection.selectionSet);
      } else {
        const name = selection.name.value;
        let cost = priced.get(name);
        if (cost === undefined) {
          const fragment = fragments.get(name);
          const condition = fragment && schema.getType(fragment.typeCondition.name.value);
          // A cycle is invalid (validation refused it already); unknown fragments likewise.
          if (!fragment || !condition || !isCompositeType(condition) || pricing.has(name)) continue;
          pricing.add(name);
          cost = selectionCost(condition, fragment.selectionSet);
          pricing.delete(name);
          priced.set(name, cost);
        }
        total += cost;
      }
    }
    return total;
  };
  return Math.min(Number.MAX_SAFE_INTEGER, 1 + selectionCost(root, operation.selectionSet));
}
