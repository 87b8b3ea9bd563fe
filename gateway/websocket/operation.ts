import {
  GraphQLError,
  Kind,
  getArgumentValues,
  getOperationAST,
  getVariableValues,
  parse,
  print,
  validate,
  visit,
  type DocumentNode,
  type FieldNode,
  type FormattedExecutionResult,
  type FragmentDefinitionNode,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { parseFilterInput, type ChangeEventFilterInput, type EventFilter } from '../../kernel/event-filter.js';
import { CACHE_BYTES } from '../limits/caches.js';
import { PARSED_BYTES_PER_SOURCE_BYTE, SizedLru } from '../../kernel/cache.js';

/** A client's `subscription { changeEvents(…) { … } }`, turned into the query that fetches one micro-batch. */
export interface DeliveryPlan {
  kind: 'subscription';
  /** The client's document (graphql-ws reads its operation type). */
  document: DocumentNode;
  /** `query(…) { __feed: changeEventBatch(after: $__feedAfter, first: $__feedFirst, filter: …) { edges { node { <client selection> } } pageInfo { … } } }` */
  query: string;
  /** `query` parsed (priced at subscribe: `Limits.batchSizeFor`). */
  batchDocument: DocumentNode;
  operationName?: string;
  /** The client's variables that the query still uses. */
  variables: Record<string, unknown>;
  /** The batch query of several feeds of this document at once (shared by every plan of the document). */
  group: GroupQuery;
  /** Key of the root field in the client's results (its alias, or `changeEvents`). */
  responseKey: string;
  /** The client's `after`: replay from there. */
  after: string | null;
  /** Neither `after` nor `subscriptionId`: live only, from the head of the log (and shareable). */
  fromHead: boolean;
  /**
   * The events the client's `filter:` selects, parsed exactly as the subscription subgraph parses it, so
   * the gateway can tell whether a stretch of the log may hold one. Null when the gateway cannot tell: a
   * durable subscription (its filters live in the database and change at any time) or a filter the
   * subgraph will refuse.
   */
  filter: EventFilter | null;
}

/** A query or mutation sent over the socket: executed once through the same pipeline as over HTTP. */
export interface SinglePlan {
  kind: 'single';
  document: DocumentNode;
  query: string;
  operationName?: string;
  variables: Record<string, unknown>;
}

export interface SubscribePayload {
  query: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
}

const FEED = '__feed';
/**
 * The subscription subgraph's Query field a batch is read with: `(after, first, filter, subscriptionId)
 * → ChangeEventConnection` whose `endCursor` moves past events the filter leaves out. Once the pull
 * query `changeEvents` takes `filter:` and `subscriptionId:` with those semantics (issue-durable), this
 * can name it and `changeEventBatch` can go.
 */
const BATCH_FIELD = 'changeEvents';
export const AFTER_VARIABLE = '__feedAfter';
export const FIRST_VARIABLE = '__feedFirst';

/** What does not depend on the variables: parsed, validated and rewritten once per document text. */
interface PreparedDocument {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  /** Subscriptions only: the root field and the batch query's text. */
  feed?: { root: FieldNode; query: string; document: DocumentNode; variables: ReadonlySet<string>; group: GroupQuery };
}

/**
 * A prepared document's estimated bytes: the client's AST and the rewritten batch query's (errors: their
 * messages).
 */
function preparedBytes(prepared: PreparedDocument | readonly GraphQLError[], key: string): number {
  if (!('document' in prepared)) return key.length * 2 + prepared.reduce((n, e) => n + 200 + e.message.length * 2, 0);
  return key.length * (2 + 2 * PARSED_BYTES_PER_SOURCE_BYTE);
}

/**
 * Plans operations, parsing and validating each document text once: the subscribers of one document
 * (however many, with whatever variables) share its AST and its batch query instead of each holding a copy.
 */
export class OperationPlanner {
  /** Distinct document texts kept parsed, least recently used out first, within `CACHE_BYTES.subscriptionDocuments`. */
  private readonly prepared = new SizedLru<PreparedDocument | readonly GraphQLError[]>({ maxBytes: CACHE_BYTES.subscriptionDocuments, sizeOf: preparedBytes });

  constructor(private readonly schema: GraphQLSchema) {}

  /** Validates the client's document against the API schema and plans its delivery, or says what is wrong. */
  plan(payload: SubscribePayload): DeliveryPlan | SinglePlan | readonly GraphQLError[] {
    const operationName = payload.operationName ?? undefined;
    const prepared = this.prepare(payload.query, operationName);
    if (!('document' in prepared)) return prepared;
    const { document, operation, feed } = prepared;
    const variables = payload.variables ?? {};
    if (!feed) return { kind: 'single', document, query: payload.query, operationName, variables };

    const coerced = getVariableValues(this.schema, operation.variableDefinitions ?? [], variables);
    if (coerced.errors) return coerced.errors.map((e) => withCode(e, 'BAD_USER_INPUT'));
    const definition = this.schema.getSubscriptionType()!.getFields()[feed.root.name.value]!;
    let args: Record<string, unknown>;
    try {
      args = getArgumentValues(definition, feed.root, coerced.coerced);
    } catch (err) {
      return [err instanceof GraphQLError ? err : badRequest('Invalid arguments.')];
    }
    return {
      kind: 'subscription',
      document,
      query: feed.query,
      batchDocument: feed.document,
      operationName: operation.name?.value,
      variables: Object.fromEntries(Object.entries(variables).filter(([name]) => feed.variables.has(name))),
      group: feed.group,
      responseKey: feed.root.alias?.value ?? feed.root.name.value,
      after: typeof args.after === 'string' ? args.after : null,
      // A durable subscription without `after` starts at its acknowledged position, which the subgraph knows.
      fromHead: typeof args.after !== 'string' && args.subscriptionId == null,
      filter: args.subscriptionId == null ? parsedFilter(args.filter as ChangeEventFilterInput | null | undefined) : null,
    };
  }

  private prepare(query: string, operationName: string | undefined): PreparedDocument | readonly GraphQLError[] {
    const key = `${operationName ?? ''}\n${query}`;
    let prepared = this.prepared.get(key);
    if (!prepared) {
      prepared = prepareDocument(this.schema, query, operationName);
      this.prepared.set(key, prepared);
    }
    return prepared;
  }
}

function prepareDocument(schema: GraphQLSchema, text: string, operationName: string | undefined): PreparedDocument | readonly GraphQLError[] {
  let document: DocumentNode;
  try {
    document = parse(text);
  } catch (err) {
    return [err instanceof GraphQLError ? err : new GraphQLError('The document could not be parsed.')];
  }
  const invalid = validate(schema, document);
  if (invalid.length) return invalid.map((e) => withCode(e, 'GRAPHQL_VALIDATION_FAILED'));
  const operation = getOperationAST(document, operationName);
  if (!operation) return [badRequest('Name the operation to run with `operationName`: the document holds several.')];
  if (operation.operation !== 'subscription') return { document, operation };

  const [root] = operation.selectionSet.selections;
  if (operation.selectionSet.selections.length !== 1 || root?.kind !== Kind.FIELD || root.directives?.length) {
    return [badRequest('Write the root field `changeEvents` out in the subscription (not in a fragment, without directives).')];
  }
  const definition = schema.getSubscriptionType()?.getFields()[root.name.value];
  if (!definition || root.name.value !== 'changeEvents' || !root.selectionSet) {
    return [badRequest(`Subscription field '${root.name.value}' cannot be delivered; subscribe to 'changeEvents'.`)];
  }
  const query = feedQuery(document, operation, root);
  const variables = new Set<string>();
  visit(query, { Variable: (node) => void variables.add(node.name.value) });
  return { document, operation, feed: { root, query: print(query), document: query, variables, group: new GroupQuery(query) } };
}

/** The client's filter as the subgraph will read it; null when the subgraph will refuse it (the first batch says why). */
function parsedFilter(input: ChangeEventFilterInput | null | undefined): EventFilter | null {
  try {
    return parseFilterInput(input);
  } catch {
    return null;
  }
}

function withCode(error: GraphQLError, code: string): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    extensions: { ...error.extensions, code },
  });
}

function badRequest(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

const name = (value: string) => ({ kind: Kind.NAME, value }) as const;
const field = (fieldName: string, selections?: FieldNode[], alias?: string): FieldNode => ({
  kind: Kind.FIELD,
  name: name(fieldName),
  ...(alias ? { alias: name(alias) } : {}),
  ...(selections ? { selectionSet: { kind: Kind.SELECTION_SET, selections } } : {}),
});
const variable = (varName: string) => ({ kind: Kind.VARIABLE, name: name(varName) }) as const;

/** The client's selection on each event, under a batch query; its fragments and still-used variables kept. */
function feedQuery(document: DocumentNode, operation: OperationDefinitionNode, root: FieldNode): DocumentNode {
  const passed = (root.arguments ?? []).filter((a) => a.name.value === 'filter' || a.name.value === 'subscriptionId');
  const node: FieldNode = { ...field('node'), selectionSet: root.selectionSet };
  const batch: FieldNode = {
    ...field(BATCH_FIELD, [field('edges', [node]), field('pageInfo', [field('endCursor'), field('hasNextPage')])], FEED),
    arguments: [
      { kind: Kind.ARGUMENT, name: name('after'), value: variable(AFTER_VARIABLE) },
      { kind: Kind.ARGUMENT, name: name('first'), value: variable(FIRST_VARIABLE) },
      ...passed,
    ],
  };
  const fragments = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
  const needed = new Map<string, FragmentDefinitionNode>();
  const collect = (ast: unknown) =>
    visit(ast as DocumentNode, {
      FragmentSpread(spread) {
        const fragment = fragments.get(spread.name.value);
        if (fragment && !needed.has(fragment.name.value)) {
          needed.set(fragment.name.value, fragment);
          collect(fragment);
        }
      },
    });
  collect(batch);
  const draft: OperationDefinitionNode = {
    kind: Kind.OPERATION_DEFINITION,
    operation: 'query' as OperationDefinitionNode['operation'],
    ...(operation.name ? { name: operation.name } : {}),
    variableDefinitions: [],
    selectionSet: { kind: Kind.SELECTION_SET, selections: [batch] },
  };
  const used = new Set<string>();
  visit({ kind: Kind.DOCUMENT, definitions: [draft, ...needed.values()] }, { Variable: (v) => void used.add(v.name.value) });
  const typeRef = (typeName: string, nonNull: boolean) => {
    const named = { kind: Kind.NAMED_TYPE, name: name(typeName) } as const;
    return nonNull ? ({ kind: Kind.NON_NULL_TYPE, type: named } as const) : named;
  };
  const query: OperationDefinitionNode = {
    ...draft,
    variableDefinitions: [
      ...(operation.variableDefinitions ?? []).filter((d) => used.has(d.variable.name.value)),
      { kind: Kind.VARIABLE_DEFINITION, variable: variable(AFTER_VARIABLE), type: typeRef('String', false) },
      { kind: Kind.VARIABLE_DEFINITION, variable: variable(FIRST_VARIABLE), type: typeRef('Int', true) },
    ],
  };
  return { kind: Kind.DOCUMENT, definitions: [query, ...needed.values()] };
}

/** One fetched micro-batch, split into what each event's client result is. */
export interface Batch {
  events: { data: Record<string, unknown>; errors?: GraphQLError[] }[];
  endCursor: string | null;
  hasMore: boolean;
}

/** Splits a batch query's result into per-event results; `errors` when the batch as a whole failed. */
function splitBatch(result: FormattedExecutionResult, responseKey: string): Batch | { errors: GraphQLError[] } {
  const feed = (result.data as Record<string, unknown> | null | undefined)?.[FEED] as
    { edges: { node: unknown }[]; pageInfo: { endCursor: string | null; hasNextPage: boolean } } | null | undefined;
  if (!feed) {
    const errors = result.errors?.length ? result.errors : [{ message: 'The event batch could not be read.' }];
    return { errors: errors.map((e) => toGraphQLError(e, e.path?.[0] === FEED ? [responseKey] : e.path)) };
  }
  const perEvent = new Map<number, GraphQLError[]>();
  for (const error of result.errors ?? []) {
    const [feedKey, edges, index, nodeKey, ...rest] = error.path ?? [];
    if (feedKey !== FEED || edges !== 'edges' || typeof index !== 'number') continue;
    const list = perEvent.get(index) ?? [];
    list.push(toGraphQLError(error, nodeKey === 'node' ? [responseKey, ...rest] : [responseKey]));
    perEvent.set(index, list);
  }
  return {
    events: feed.edges.map((edge, i) => ({ data: { [responseKey]: edge.node }, ...(perEvent.has(i) ? { errors: perEvent.get(i) } : {}) })),
    endCursor: feed.pageInfo.endCursor,
    hasMore: feed.pageInfo.hasNextPage,
  };
}

/**
 * Feeds of one document whose batches one pipeline run reads at most (a power of two). Each group size is
 * a query text of its own, which Apollo plans once, synchronously, on first use: `BatchGroups` splits the
 * feeds into groups of 1, 2, 4 … this, so a document has at most six texts and plans. (Padding groups up
 * to those sizes would repeat reads on the subgraphs, the bottleneck under load; splitting does not.)
 */
export const MAX_GROUP = 32;

/**
 * The batch query of k feeds of one document at once: the feed query's root field once per feed,
 * aliased `f0`…`f{k-1}`, each with its own variables (`$f3_who`, `$f3___feedAfter`, …), so one pipeline
 * run (one plan, one request to the subscription subgraph) reads every feed's batch. Its text depends only
 * on the document and k, so Apollo's caches hold a bounded number of them. (Apollo's planner still fetches
 * each alias's entities with a `_entities` call of its own.)
 */
export class GroupQuery {
  private static nextId = 0;
  /** Group texts of every document, least recently used out first, within `CACHE_BYTES.groupTexts` (a 32-feed text of a large document is tens of KB). */
  private static readonly texts = new SizedLru<string>({ maxBytes: CACHE_BYTES.groupTexts, sizeOf: (text, key) => (text.length + key.length) * 2 });
  private readonly id = GroupQuery.nextId++;
  private readonly operation: OperationDefinitionNode;
  private readonly fragments: FragmentDefinitionNode[];
  /** Fragments hold variables: each feed gets renamed copies of them all. */
  private readonly perFeedFragments: boolean;

  constructor(query: DocumentNode) {
    const [operation, ...fragments] = query.definitions;
    this.operation = operation as OperationDefinitionNode;
    this.fragments = fragments as FragmentDefinitionNode[];
    let variables = false;
    visit({ kind: Kind.DOCUMENT, definitions: this.fragments }, { Variable: () => void (variables = true) });
    this.perFeedFragments = variables;
  }

  /** The response key of feed `i`'s batch. */
  static alias(i: number): string {
    return `f${i}`;
  }

  /** The query text for `k` feeds. */
  text(k: number): string {
    if (!Number.isInteger(k) || k < 1 || k > MAX_GROUP) throw new RangeError(`A group holds 1 to ${MAX_GROUP} feeds; got ${k}.`);
    const key = `${this.id}:${k}`;
    const texts = GroupQuery.texts;
    let text = texts.get(key);
    if (text !== undefined) return text;
    text = print(this.build(k));
    texts.set(key, text);
    return text;
  }

  /** Feed `i`'s variables under their names in the group query. */
  variables(i: number, variables: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(Object.entries(variables).map(([key, value]) => [renamed(i, key), value]));
  }

  private build(k: number): DocumentNode {
    // `f<i>_` prefixes are injective (the index ends at the first underscore): no two feeds' names meet.
    const rename = <T>(node: T, i: number): T =>
      visit(node as DocumentNode, {
        Variable: (v) => ({ ...v, name: name(renamed(i, v.name.value)) }),
        ...(this.perFeedFragments
          ? {
              FragmentSpread: (f) => ({ ...f, name: name(renamed(i, f.name.value)) }),
              FragmentDefinition: (f) => ({ ...f, name: name(renamed(i, f.name.value)) }),
            }
          : {}),
      }) as T;
    const feeds = Array.from({ length: k }, (_, i) => i);
    const root = this.operation.selectionSet.selections[0] as FieldNode;
    const operation: OperationDefinitionNode = {
      ...this.operation,
      variableDefinitions: feeds.flatMap((i) => (this.operation.variableDefinitions ?? []).map((d) => rename(d, i))),
      selectionSet: { kind: Kind.SELECTION_SET, selections: feeds.map((i) => ({ ...rename(root, i), alias: name(GroupQuery.alias(i)) })) },
    };
    const fragments = this.perFeedFragments ? feeds.flatMap((i) => this.fragments.map((f) => rename(f, i))) : this.fragments;
    return { kind: Kind.DOCUMENT, definitions: [operation, ...fragments] };
  }
}

const renamed = (i: number, key: string) => `f${i}_${key}`;

/** A feed of a group that got neither data nor an error of its own: read it again (without the others). */
export const READ_AGAIN = Symbol('read again');

/**
 * Splits a group query's result into each feed's batch, by response key: an error whose path starts at
 * `f3` concerns feed 3 alone, an error without such a path (the request as a whole) concerns every feed
 * it left without data. The root field is non-null, so one feed's failure nulls the whole result: the
 * feeds it did not concern are then told to read again, in a smaller group.
 */
export function splitGroup(result: FormattedExecutionResult, responseKeys: readonly string[]): (Batch | { errors: GraphQLError[] } | typeof READ_AGAIN)[] {
  const data = result.data as Record<string, unknown> | null | undefined;
  const own = responseKeys.map(() => [] as GraphQLFormattedError[]);
  const general: GraphQLFormattedError[] = [];
  for (const error of result.errors ?? []) {
    const match = typeof error.path?.[0] === 'string' ? /^f(\d+)$/.exec(error.path[0]) : null;
    const index = match ? Number(match[1]) : -1;
    if (index >= 0 && index < responseKeys.length) own[index]!.push(error);
    else general.push(error);
  }
  const someoneFailed = responseKeys.some((_, i) => data?.[GroupQuery.alias(i)] == null && own[i]!.length > 0);
  return responseKeys.map((responseKey, i) => {
    const alias = GroupQuery.alias(i);
    if (data?.[alias] == null && own[i]!.length === 0 && general.length === 0 && someoneFailed) return READ_AGAIN;
    return splitBatch(
      { data: data?.[alias] == null ? null : { [FEED]: data[alias] }, errors: [...own[i]!, ...general].map((e) => reroot(e, alias)) },
      responseKey,
    );
  });
}

/** An error at `f3…` as `__feed…`, the path `splitBatch` reads. */
function reroot(error: GraphQLFormattedError, alias: string): GraphQLFormattedError {
  return error.path?.[0] === alias ? { ...error, path: [FEED, ...error.path.slice(1)] } : error;
}

/** graphql-ws serialises errors with `toJSON`, so formatted errors become GraphQLErrors again. */
export function toGraphQLError(error: GraphQLFormattedError, path: readonly (string | number)[] | undefined = error.path): GraphQLError {
  return new GraphQLError(error.message, { path, extensions: error.extensions });
}
