import type { IncomingHttpHeaders } from 'node:http';
import { createHash } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, type DocumentNode, type GraphQLSchema } from 'graphql';
import { CostBudgets, budgetHeaders, type BudgetOptions, type BudgetState, type BudgetStore } from './budget.js';
import { estimateCost } from './cost.js';
import { limitError, RATE_LIMITED, requestError } from './errors.js';
import { measureBytes, measureDocument, operationOf, type DocumentMeasure } from './measure.js';
import {
  budgetKey,
  defaultLimitsConfig,
  limitsConfigOf,
  limitsFor,
  type ClientLimits,
  type LimitedCaller,
  type LimitsConfig,
  type SocketLimits,
} from './options.js';
import { SizedLru } from '../../kernel/cache.js';
import type { GatewayConfig } from '../../kernel/config.js';

export { LIMIT_CODES, RATE_LIMITED } from './errors.js';
export { limitsConfigOf, parseLimitsConfig, defaultLimitsConfig, DEFAULT_LIMITS, DEFAULT_SOCKET_LIMITS, LimitsConfigError } from './options.js';
export type { ClientLimits, LimitsConfig, OperationLimits, SocketLimits } from './options.js';
export type { BudgetState } from './budget.js';

/**
 * LIMITS_FILE, RATE_LIMIT_COST_PER_MINUTE and REDIS_URL (budgets shared by replicas; `REDIS_KEY_PREFIX`
 * separates deployments on one Redis). Problems stop the start.
 */
export function limitsOptionsOf(config: Pick<GatewayConfig, 'limitsFile' | 'costPerMinute' | 'redisUrl' | 'redisKeyPrefix'>): LimitsOptions {
  return { config: limitsConfigOf(config), budgets: { redisUrl: config.redisUrl ?? null, keyPrefix: config.redisKeyPrefix } };
}

/** Request header a client sends (`folkreg-cost: 1`) to get `extensions.cost` in the response. */
export const COST_HEADER = 'folkreg-cost';

/** The part of the gateway context this module owns; present on client requests only (not the gateway's own runs). */
export interface LimitsContext {
  limits?: LimitsRequest;
}

/** One client request's limit state. */
export interface LimitsRequest {
  /** The client asked for `extensions.cost`. */
  reportCost: boolean;
  cost?: number;
  budget?: BudgetState;
  /** Units already charged for this request (its floor, before the document was parsed). */
  charged?: number;
}

/**
 * Tokens of a document that count one cost unit of the floor every request is charged before it is parsed
 * (`floorCost`): parsing and validating ~100 tokens is of the order of resolving one object. A lookup
 * (≈ 20 tokens) has a floor of 1, a 64 KB document (≈ 15,000 tokens) of 150.
 */
export const TOKENS_PER_COST_UNIT = 100;

/** Per-request limit state for an HTTP request. */
export function requestedLimits(headers: IncomingHttpHeaders): LimitsRequest {
  return { reportCost: headers[COST_HEADER] === '1' };
}

export interface LimitsOptions {
  /** Limits, overrides and socket bounds. @default defaultLimitsConfig() */
  config?: LimitsConfig;
  /** Where cost budgets are counted (Redis when `redisUrl` is set). */
  budgets?: BudgetOptions;
  /** Estimated bytes of document measurements kept. @default 8_000_000 // 8 MB, about 30,000 documents */
  measureCacheBytes?: number;
  /** Told of every refusal by a limit, with its name (`maxDepth`, …; `costPerMinute` for the budget): metrics count them. */
  refused?: (limit: string) => void;
}

/** A request the limits are applied to: its document text and what picks the operation. */
export interface LimitedRequest {
  source: string;
  operationName?: string | null;
  /** The document's SHA-256 when already known (Apollo computes it). */
  queryHash?: string;
}

/**
 * Operation limits and cost budgets, the same on every transport: `checkDocument` before a document is
 * parsed for execution (bytes, tokens, depth, aliases, root fields, directives, and that the operation is
 * in it), `price` + `charge` before it is planned. HTTP goes through `plugin` (Apollo Server's
 * `didResolveSource` and `didResolveOperation`, so GET, POST, APQ and trusted documents alike), the
 * websocket through the same methods from `subscribe`.
 */
export class Limits {
  readonly config: LimitsConfig;
  readonly budgets: CostBudgets;
  private readonly measures: SizedLru<DocumentMeasure>;
  /** The largest token limit any client has: parsing for measurement stops there. */
  private readonly tokenCap: number;
  private readonly refused: (limit: string) => void;

  constructor(options: LimitsOptions = {}) {
    this.refused = options.refused ?? (() => {});
    this.config = options.config ?? defaultLimitsConfig();
    this.budgets = new CostBudgets(options.budgets);
    this.measures = new SizedLru({ maxBytes: options.measureCacheBytes ?? 8_000_000, sizeOf: measureBytes });
    const all = [this.config.defaults, ...Object.values(this.config.scopes), ...Object.values(this.config.clients)];
    this.tokenCap = Math.max(...all.map((l) => l.maxTokens ?? 0));
  }

  get sockets(): SocketLimits {
    return this.config.sockets;
  }

  /** The caller's effective limits. */
  limitsFor(caller: LimitedCaller): ClientLimits {
    return limitsFor(this.config, caller);
  }

  /** Where budgets are counted, for readiness: 'off' when no caller has a budget. */
  get budgetStore(): BudgetStore | 'off' {
    const any = [this.config.defaults, ...Object.values(this.config.scopes), ...Object.values(this.config.clients)].some((l) => (l.costPerMinute ?? 0) > 0);
    return any ? this.budgets.store : 'off';
  }

  private measureOf(request: LimitedRequest): DocumentMeasure {
    const key = request.queryHash ?? createHash('sha256').update(request.source).digest('hex');
    let measure = this.measures.get(key);
    if (!measure) {
      measure = measureDocument(request.source, this.tokenCap);
      this.measures.set(key, measure);
    }
    return measure;
  }

  /**
   * What a request is charged before its document is parsed, whatever comes of it (refused by a limit,
   * invalid, or run): 1 unit per `TOKENS_PER_COST_UNIT` tokens, at least 1 (1 for a document over the
   * byte limit, which is not lexed). Without it only documents that passed validation were charged, so a
   * flood of invalid documents was never refused.
   */
  floorCost(request: LimitedRequest, caller: LimitedCaller): number {
    if (Buffer.byteLength(request.source, 'utf8') > this.limitsFor(caller).maxDocumentBytes) return 1;
    return Math.max(1, Math.ceil(this.measureOf(request).tokens / TOKENS_PER_COST_UNIT));
  }

  /**
   * Charges the request's floor (`floorCost`) to the budget, then `checkDocument`: an over-budget caller is
   * refused (429 RATE_LIMITED) before anything else is looked at. Records the floor in `state.charged`
   * so `chargeRest` charges only the remainder of the priced cost.
   */
  async admitDocument(request: LimitedRequest, caller: LimitedCaller, state: LimitsRequest): Promise<void> {
    const floor = this.floorCost(request, caller);
    const budget = await this.charge(caller, floor);
    state.charged = (state.charged ?? 0) + floor;
    if (budget) state.budget = budget;
    this.checkDocument(request, caller);
  }

  /** Charges what `cost` exceeds the units already charged for this request (its floor); never twice. */
  async chargeRest(caller: LimitedCaller, cost: number, state: LimitsRequest): Promise<void> {
    const rest = cost - (state.charged ?? 0);
    if (rest <= 0) return;
    const budget = await this.charge(caller, rest);
    state.charged = cost;
    if (budget) state.budget = budget;
  }

  /** Refuses a document over the caller's limits, or whose operation is not in it; cheap for a document seen before. */
  checkDocument(request: LimitedRequest, caller: LimitedCaller): void {
    this.reporting(() => this.checkDocumentNow(request, caller));
  }

  private checkDocumentNow(request: LimitedRequest, caller: LimitedCaller): void {
    const limits = this.limitsFor(caller);
    const bytes = Buffer.byteLength(request.source, 'utf8');
    if (bytes > limits.maxDocumentBytes) throw limitError('maxDocumentBytes', bytes, limits.maxDocumentBytes);
    const measure = this.measureOf(request);
    if (measure.tokens > limits.maxTokens) {
      const error = limitError('maxTokens', measure.tokens, limits.maxTokens);
      // Parsing stopped one token past the largest limit any client has: `measured` is a lower bound.
      if (measure.overTokens)
        error.message = `The document has more than ${this.tokenCap} tokens (parsing stopped there); at most ${limits.maxTokens} are accepted.`;
      throw error;
    }
    if (measure.syntaxError) return; // the pipeline answers with the parse error itself
    const operation = operationOf(measure, request.operationName);
    if (operation === 'not found') {
      throw requestError(
        'OPERATION_RESOLUTION_FAILURE',
        request.operationName ? `The document has no operation named '${request.operationName}'.` : 'The document holds no operation.',
        { operationName: request.operationName ?? null },
      );
    }
    if (operation === 'ambiguous')
      throw requestError('OPERATION_RESOLUTION_FAILURE', 'The document holds several operations: name the one to run with `operationName`.');
    if (operation.depth > limits.maxDepth) throw limitError('maxDepth', operation.depth, limits.maxDepth);
    if (operation.aliases > limits.maxAliases) throw limitError('maxAliases', operation.aliases, limits.maxAliases);
    if (operation.rootFields > limits.maxRootFields) throw limitError('maxRootFields', operation.rootFields, limits.maxRootFields);
    if (operation.directives > limits.maxDirectives) throw limitError('maxDirectives', operation.directives, limits.maxDirectives);
  }

  /** The operation's estimated cost; refuses it over the caller's `maxCost`. */
  price(
    schema: GraphQLSchema,
    document: DocumentNode,
    variables: Record<string, unknown> | undefined,
    operationName: string | null | undefined,
    caller: LimitedCaller,
  ): number {
    const limits = this.limitsFor(caller);
    const cost = estimateCost(schema, document, variables ?? {}, operationName);
    if (cost > limits.maxCost) throw this.refusal(limitError('maxCost', cost, limits.maxCost));
    return cost;
  }

  /**
   * How many events one batch of a subscription's feed may hold so that the batch query costs at most the
   * caller's `maxCost`: the feed runs `changeEvents(first: n) { edges { node { <selection> } } pageInfo }`,
   * whose cost is linear in n (the selection counts once per event), so two prices give it. At most
   * `batchSize`; refuses with COST_LIMIT_EXCEEDED when not even one event fits.
   * Without this a subscription priced as one event (1,284) ran batches of 100 (128,502, 6× maxCost).
   */
  batchSizeFor(
    schema: GraphQLSchema,
    batchQuery: DocumentNode,
    variables: Record<string, unknown>,
    firstVariable: string,
    operationName: string | null | undefined,
    batchSize: number,
    caller: LimitedCaller,
  ): { size: number; cost: number } {
    const limits = this.limitsFor(caller);
    const costOf = (n: number) => estimateCost(schema, batchQuery, { ...variables, [firstVariable]: n }, operationName);
    const one = costOf(1);
    if (one > limits.maxCost) {
      const error = limitError('maxCost', one, limits.maxCost);
      error.message = `The subscription's batch of 1 event is estimated at ${one}; at most ${limits.maxCost} is accepted per batch.`;
      throw this.refusal(error);
    }
    const perEvent = costOf(2) - one;
    const size = perEvent <= 0 ? batchSize : Math.max(1, Math.min(batchSize, 1 + Math.floor((limits.maxCost - one) / perEvent)));
    return { size, cost: costOf(size) };
  }

  /** Charges `cost` to the caller's budget; null when the caller has none. Throws RATE_LIMITED (429) when over. */
  async charge(caller: LimitedCaller, cost: number): Promise<BudgetState | null> {
    const limit = this.limitsFor(caller).costPerMinute;
    if (!limit) return null;
    try {
      return await this.budgets.charge(budgetKey(caller), cost, limit);
    } catch (err) {
      if (err instanceof GraphQLError && err.extensions?.code === RATE_LIMITED) this.refused('costPerMinute');
      throw err;
    }
  }

  /** Runs `check`, telling `refused` of the limit a refusal it throws names. */
  private reporting(check: () => void): void {
    try {
      check();
    } catch (err) {
      throw err instanceof GraphQLError ? this.refusal(err) : err;
    }
  }

  /** `error`, after telling `refused` of its limit (errors that name none are not limit refusals). */
  private refusal(error: GraphQLError): GraphQLError {
    const limit = error.extensions?.limit;
    if (typeof limit === 'string') this.refused(limit);
    return error;
  }

  /**
   * Apollo Server plugin applying the limits to client requests over HTTP (those whose context has
   * `limits`; the gateway's own runs for subscriptions were checked when the client subscribed).
   */
  /**
   * HTTP, before Apollo Server sees the request: the parameters (body or query string, after trusted
   * documents) checked with `checkDocument`, an APQ hash checked against its query, a hash sent alone
   * looked up in the APQ cache (`persisted`) so it meets the caller's limits too. Throws the refusal as
   * the HTTP layer's `BodyError` (status, code, extensions).
   */
  async checkParams(
    params: Record<string, unknown>,
    caller: LimitedCaller,
    persisted: (hash: string) => string | undefined,
    state: LimitsRequest,
  ): Promise<void> {
    const hash = (params.extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery?.sha256Hash;
    let query = params.query;
    try {
      if (typeof query === 'string' && typeof hash === 'string') {
        const actual = createHash('sha256').update(query).digest('hex');
        // Apollo answers a mismatch with a code-less error, which clients see as INTERNAL_SERVER_ERROR.
        if (actual !== hash)
          throw requestError('PERSISTED_QUERY_HASH_MISMATCH', 'extensions.persistedQuery.sha256Hash is not the SHA-256 (hex) of the query sent with it.');
      }
      if (query === undefined && typeof hash === 'string') query = persisted(hash);
      if (typeof query !== 'string') {
        // Apollo answers what is missing or malformed; that answer is charged the floor too.
        await this.chargeRest(caller, 1, state);
        return;
      }
      await this.admitDocument({ source: query, operationName: typeof params.operationName === 'string' ? params.operationName : null }, caller, state);
    } catch (err) {
      if (!(err instanceof GraphQLError)) throw err;
      const { http, code, ...extensions } = err.extensions as { http?: { status?: number; headers?: Map<string, string> }; code?: string };
      throw Object.assign(new Error(err.message), { status: http?.status ?? 400, code, extensions, headers: http?.headers });
    }
  }

  /**
   * Apollo Server plugin pricing and charging client requests over HTTP (those whose context has
   * `limits`; the gateway's own runs for subscriptions were priced when the client subscribed) once the
   * document is parsed, before it is planned; and reporting the cost and budget.
   */
  plugin<C extends LimitsContext & { caller: LimitedCaller }>(): ApolloServerPlugin<C> {
    return {
      requestDidStart: async ({ contextValue, request }) => {
        const state = contextValue.limits;
        if (!state) return;
        const caller = contextValue.caller;
        return {
          didResolveOperation: async ({ document, schema }) => {
            state.cost = this.price(schema, document, request.variables, request.operationName, caller);
            // The floor was charged before parsing (`checkParams`); this is the rest.
            await this.chargeRest(caller, state.cost, state);
          },
          willSendResponse: async ({ response }) => {
            if (state.budget) for (const [name, value] of budgetHeaders(state.budget)) response.http.headers.set(name, value);
            if (!state.reportCost || state.cost === undefined || response.body.kind !== 'single') return;
            const result = response.body.singleResult;
            const limits = this.limitsFor(caller);
            result.extensions = {
              ...result.extensions,
              cost: {
                estimated: state.cost,
                maxCost: limits.maxCost,
                ...(state.budget ? { budget: { limit: state.budget.limit, remaining: state.budget.remaining, resetSeconds: state.budget.resetSeconds } } : {}),
              },
            };
          },
        };
      },
    };
  }

  async close(): Promise<void> {
    await this.budgets.close();
  }
}
