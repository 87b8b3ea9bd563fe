/**
 * The batch query one feed reads: the client's `subscription { changeEvents(…) { <selection> } }` rewritten
 * as a page of the pull query `Query.changeEvents`, and that page's result split back into one client
 * result per event.
 */
import {
  Kind,
  visit,
  type DocumentNode,
  type FieldNode,
  type FormattedExecutionResult,
  type FragmentDefinitionNode,
  type GraphQLError,
  type OperationDefinitionNode,
} from 'graphql';
import { toGraphQLError } from './pipeline.js';

/** Response key of the batch field in a feed's batch query. */
export const FEED = '__feed';
/**
 * The Query field a batch is read with: `changeEvents(after, first, filter, subscriptionId) →
 * ChangeEventConnection`, whose `endCursor` moves past the events `filter` or `subscriptionId` leave out,
 * so the next batch neither repeats nor skips one.
 */
const BATCH_FIELD = 'changeEvents';
/** The batch query's cursor variable (the feed's position in the log). */
export const AFTER_VARIABLE = '__feedAfter';
/**
 * Response key of each event's `recordedAt` in a batch (beside the client's `node`, never sent to it):
 * when the event was written, for `folkreg_event_commit_to_frame_seconds`.
 */
export const RECORDED_AT = '__feedRecordedAt';
/**
 * Response key of the batch's `behindHead` (beside the client's page, never sent to it): how many events
 * of the log lie beyond the batch's end, for `folkreg_feed_lag_events`.
 */
export const BEHIND_HEAD = '__feedBehindHead';
/** The batch query's page-size variable (events per batch, sized at subscribe to stay within `maxCost`). */
export const FIRST_VARIABLE = '__feedFirst';

/** One fetched micro-batch, split into what each event's client result is. */
export interface Batch {
  /** Each event's client result, and when the event was written (ms since the epoch; metrics only, not sent). */
  events: { data: Record<string, unknown>; errors?: GraphQLError[]; recordedAt?: number }[];
  endCursor: string | null;
  hasMore: boolean;
  /** Events of the log after `endCursor` when the batch was read (the subgraph counts up to 10,000); metrics only. */
  behindHead?: number;
}

/** When each event result handed to subscribers was written (ms since the epoch): read as its frame is sent. */
const writtenAt = new WeakMap<object, number>();

/** Notes that the event behind `result` was written at `recordedAt` (nothing when unknown). */
export function stampWritten(result: object, recordedAt: number | undefined): void {
  if (recordedAt !== undefined) writtenAt.set(result, recordedAt);
}

/** When the event behind `result` was written, if it is a change event's result. */
export function writtenAtOf(result: object): number | undefined {
  return writtenAt.get(result);
}

/** A GraphQL name node. */
export const name = (value: string) => ({ kind: Kind.NAME, value }) as const;
const field = (fieldName: string, selections?: FieldNode[], alias?: string): FieldNode => ({
  kind: Kind.FIELD,
  name: name(fieldName),
  ...(alias ? { alias: name(alias) } : {}),
  ...(selections ? { selectionSet: { kind: Kind.SELECTION_SET, selections } } : {}),
});
const variable = (varName: string) => ({ kind: Kind.VARIABLE, name: name(varName) }) as const;

/**
 * The client's selection on each event, under a batch query: `query(…) { __feed: changeEvents(after:
 * $__feedAfter, first: $__feedFirst, filter: …, subscriptionId: …) { edges { node { <client selection> } }
 * pageInfo { endCursor hasNextPage } } }`, its fragments and still-used variables kept.
 */
export function feedQuery(document: DocumentNode, operation: OperationDefinitionNode, root: FieldNode): DocumentNode {
  const passed = (root.arguments ?? []).filter((a) => a.name.value === 'filter' || a.name.value === 'subscriptionId');
  const node: FieldNode = { ...field('node'), selectionSet: root.selectionSet };
  const batch: FieldNode = {
    ...field(
      BATCH_FIELD,
      [
        field('edges', [node, field('node', [field('recordedAt')], RECORDED_AT)]),
        field('pageInfo', [field('endCursor'), field('hasNextPage')]),
        field('behindHead', undefined, BEHIND_HEAD),
      ],
      FEED,
    ),
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

/** Splits a batch query's result into per-event results; `errors` when the batch as a whole failed. */
export function splitBatch(result: FormattedExecutionResult, responseKey: string): Batch | { errors: GraphQLError[] } {
  const feed = (result.data as Record<string, unknown> | null | undefined)?.[FEED] as
    | {
        edges: ({ node: unknown } & { [RECORDED_AT]?: { recordedAt?: string } | null })[];
        pageInfo: { endCursor: string | null; hasNextPage: boolean };
        [BEHIND_HEAD]?: number | null;
      }
    | null
    | undefined;
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
    events: feed.edges.map((edge, i) => {
      const recordedAt = Date.parse(edge[RECORDED_AT]?.recordedAt ?? '');
      return {
        data: { [responseKey]: edge.node },
        ...(perEvent.has(i) ? { errors: perEvent.get(i) } : {}),
        ...(Number.isFinite(recordedAt) ? { recordedAt } : {}),
      };
    }),
    endCursor: feed.pageInfo.endCursor,
    hasMore: feed.pageInfo.hasNextPage,
    ...(typeof feed[BEHIND_HEAD] === 'number' ? { behindHead: feed[BEHIND_HEAD] } : {}),
  };
}
