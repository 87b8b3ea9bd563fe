/**
 * From a document and its variables to a plan: a query or mutation runs once; a subscription to
 * `changeEvents` becomes a `DeliveryPlan`, the batch query its feed reads and the filter the tap can
 * pre-check it by. Documents are parsed, validated and rewritten once per text.
 */
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
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { parseFilterInput, type ChangeEventFilterInput, type EventFilter } from '../../kernel/event-filter.js';
import { CACHE_BYTES } from '../limits/caches.js';
import { PARSED_BYTES_PER_SOURCE_BYTE, SizedLru } from '../../kernel/cache.js';
import { feedQuery } from './batch-query.js';
import { GroupQuery } from './group-query.js';
import type { SubscribePayload } from './protocol.js';
import { userInputError } from '../../kernel/errors.js';

/** A client's `subscription { changeEvents(…) { … } }`, turned into the query that fetches one micro-batch. */
export interface DeliveryPlan {
  kind: 'subscription';
  /** The client's document (graphql-ws reads its operation type). */
  document: DocumentNode;
  /** `query(…) { __feed: changeEvents(after: $__feedAfter, first: $__feedFirst, filter: …) { edges { node { <client selection> } } pageInfo { … } } }` */
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
  return userInputError(message);
}
