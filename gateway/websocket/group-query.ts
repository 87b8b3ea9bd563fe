/**
 * The batch query a group of feeds shares: one document's feed query once per feed, under aliases, so one
 * pipeline run reads every feed's batch; and that run's result split back into each feed's batch.
 */
import { Kind, print, visit, type DocumentNode, type FieldNode, type FormattedExecutionResult, type FragmentDefinitionNode, type GraphQLError } from 'graphql';
import type { GraphQLFormattedError, OperationDefinitionNode } from 'graphql';
import { CACHE_BYTES } from '../limits/caches.js';
import { SizedLru } from '../../kernel/cache.js';
import { FEED, name, splitBatch, type Batch } from './batch-query.js';

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

  /** `query`: a feed's batch query (see `feedQuery`), its operation first and its fragments after. */
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
