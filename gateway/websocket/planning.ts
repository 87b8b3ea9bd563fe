/**
 * Planning: from a `subscribe` message to a plan, in the order HTTP checks a request — its registered
 * document resolved, the limits and the budget (before the document is parsed), the document validated
 * and planned (its filter parsed), its scopes authorized — or the errors the subscribe is refused with.
 */
import { GraphQLError, type GraphQLSchema } from 'graphql';
import type { Caller } from '../../kernel/caller.js';
import { missingScopeError, type Authorization } from '../authorization.js';
import type { Limits, LimitsRequest } from '../limits/index.js';
import { withoutSuggestions } from '../suggestions.js';
import { TrustedDocumentError, type RequestParams, type TrustedDocuments } from '../trusted-documents.js';
import { FIRST_VARIABLE } from './batch-query.js';
import { OperationPlanner, type DeliveryPlan, type SinglePlan } from './operation-plan.js';
import type { SubscribePayload } from './protocol.js';
import { apiError } from '../../kernel/errors.js';

/** What `Planning` checks a subscribe against. */
export interface PlanningOptions {
  /** Operation limits and cost budgets, as for HTTP. */
  limits: Limits;
  /** The scope declarations every `subscribe` is checked against, before anything is read. */
  authorization: Authorization;
  /** Registered documents: `subscribe` accepts `documentId` / the persisted-query hash, and enforces them like HTTP. */
  trustedDocuments: TrustedDocuments | null;
  /** Strip "Did you mean …" from the errors of `subscribe` (introspection off). */
  hideSuggestions: boolean;
  /** Events per batch when `maxCost` allows that many (the feeds' `batchSize`). */
  batchSize: number;
}

/** An accepted subscribe: a query or mutation to run once, or a subscription and the size of its batches. */
export type Planned = SinglePlan | { plan: DeliveryPlan; batchSize: number };

/** Turns subscribe messages into plans under the same rules as HTTP requests. */
export class Planning {
  private readonly planner: OperationPlanner;

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly options: PlanningOptions,
  ) {
    this.planner = new OperationPlanner(schema);
  }

  /** The plan of `payload` for `caller`, or the errors to refuse it with. */
  async plan(payload: SubscribePayload, caller: Caller): Promise<Planned | GraphQLError[]> {
    const { schema, options, planner } = this;
    const request = resolveDocument(options.trustedDocuments, payload, caller);
    if (Array.isArray(request)) return request;
    // The same limits and budget as over HTTP, before the document is parsed and planned.
    const admitted = await this.admit(request, caller);
    if (Array.isArray(admitted)) return admitted;
    const plan = planner.plan(request);
    if (Array.isArray(plan)) return options.hideSuggestions ? plan.map(cleaned) : (plan as GraphQLError[]);
    if (!('kind' in plan)) return [new GraphQLError('Invalid operation.')];
    const missing = options.authorization.missing(schema, plan.document, plan.operationName, caller.scopes);
    if (missing.length) return [missingScopeError(missing)];
    return plan.kind === 'single' ? plan : { plan, batchSize: admitted.batchSize };
  }

  /**
   * The floor charge and limits, then cost and the rest of the charge: the errors to answer the subscribe
   * with, or how many events each batch of its feed may hold.
   *
   * A subscription is priced per event (its selection on `ChangeEvent`), but the feed reads batches of up
   * to `batchSize` events: its batches are sized so that one batch query costs at most the caller's
   * `maxCost` (`Limits.batchSizeFor`), never refused for it. The subscribe is charged its per-event price
   * (plus its floor); the batches delivered afterwards are not charged to the budget: their size is bounded
   * per batch by `maxCost`, the live log is what the register writes (a surge of moves must not cut an
   * integrator off mid-stream, and events are never dropped), and a replay from `after:` ends at the head.
   */
  private async admit(payload: SubscribePayload, caller: Caller): Promise<GraphQLError[] | { batchSize: number }> {
    const { schema, planner } = this;
    const { limits, batchSize } = this.options;
    const state: LimitsRequest = { reportCost: false };
    try {
      await limits.admitDocument({ source: payload.query, operationName: payload.operationName }, caller, state);
      const plan = planner.plan(payload);
      // Invalid documents are answered by the planner's own errors (they were charged their floor).
      if (Array.isArray(plan) || !('kind' in plan)) return { batchSize };
      await limits.chargeRest(caller, limits.price(schema, plan.document, payload.variables ?? {}, payload.operationName, caller), state);
      if (plan.kind !== 'subscription') return { batchSize };
      const batch = limits.batchSizeFor(schema, plan.batchDocument, plan.variables, FIRST_VARIABLE, plan.operationName, batchSize, caller);
      return { batchSize: batch.size };
    } catch (err) {
      if (err instanceof GraphQLError) return [withoutHttp(err)];
      throw err;
    }
  }
}

/**
 * The subscribe payload with its registered document resolved (`documentId` or
 * `extensions.persistedQuery.sha256Hash`; graphql-ws requires a `query` string, so such a client sends
 * `query: ""`), or the refusal: `PERSISTED_QUERY_NOT_FOUND`, or `DOCUMENT_NOT_REGISTERED` for a client
 * restricted to registered documents sending other text. A refusal ends that subscription only: it
 * costs a hash, not a parse, and the client's other subscriptions on the socket go on.
 */
function resolveDocument(trusted: TrustedDocuments | null, payload: SubscribePayload, caller: Caller): SubscribePayload | GraphQLError[] {
  if (!trusted) return payload;
  try {
    const resolved = trusted.resolve(payload as unknown as RequestParams, caller);
    return { ...payload, query: String(resolved.query) };
  } catch (err) {
    if (!(err instanceof TrustedDocumentError)) throw err;
    return [apiError(err.code, err.message)];
  }
}

function cleaned(error: GraphQLError): GraphQLError {
  return new GraphQLError(withoutSuggestions(error.message), {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    extensions: error.extensions,
  });
}

/** A limit refusal as a websocket error: no HTTP status or headers in its extensions. */
function withoutHttp(error: GraphQLError): GraphQLError {
  const { http: _http, ...extensions } = error.extensions;
  return new GraphQLError(error.message, { extensions });
}
