import type { Server } from 'node:http';
import type { ApolloServer, ApolloServerPlugin } from '@apollo/server';
import { Supergraph } from '@apollo/federation-internals';
import DataLoader from 'dataloader';
import { GraphQLError, type ExecutionArgs, type ExecutionResult, type FormattedExecutionResult, type GraphQLSchema } from 'graphql';
import type { Context } from 'graphql-ws';
import { useServer, type Extra } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Caller } from '../../kernel/caller.js';
import { ALL_CATEGORIES } from '../../kernel/protection.js';
import { AuthenticationError, type Authenticate } from '../auth.js';
import { apiError, withHttpStatus } from '../../kernel/errors.js';
import type { GatewayContext } from '../engine.js';
import { budgetKey } from '../limits/options.js';
import type { Limits, LimitsRequest } from '../limits/index.js';
import type { CallerIdentity } from '../policy.js';
import { missingScopeError, type Authorization } from '../authorization.js';
import { withoutSuggestions } from '../suggestions.js';
import { TrustedDocumentError, type RequestParams, type TrustedDocuments } from '../trusted-documents.js';
import { Feed, type FeedOptions, type Subscriber } from './feeds.js';
import type { EventFilter } from '../../kernel/event-filter.js';
import { HeadWatcher } from './head.js';
import type { TimeBoundContext } from '../time-bounds.js';
import { BatchGroups } from './group.js';
import { FIRST_VARIABLE, MAX_GROUP, OperationPlanner, toGraphQLError, type DeliveryPlan, type SubscribePayload } from './operation.js';
import { SubscriptionCloseCode, type ConnectionParams } from './protocol.js';
import { LogTap, type Fact, type ReadStretch, type TappedEvent } from './tap.js';

export { SubscriptionCloseCode } from './protocol.js';

export interface SubscriptionOptions {
  /** The gateway's Apollo Server: every event batch runs through its pipeline (plan, masking, audit). */
  apollo: ApolloServer<GatewayContext>;
  supergraphSdl: string;
  authenticate: Authenticate;
  /** Turns a verified identity into the Caller, exactly as for HTTP requests. */
  toCaller(identity: CallerIdentity, purpose: string | undefined): Caller;
  /** The scope declarations every `subscribe` is checked against, before anything is planned or read. */
  authorization: Authorization;
  /** Registered documents: `subscribe` accepts `documentId` / the persisted-query hash, and enforces them like HTTP. */
  trustedDocuments: TrustedDocuments | null;
  /** Strip "Did you mean …" from the errors of `subscribe` (introspection off). */
  hideSuggestions: boolean;
  feed?: Partial<FeedOptions>;
  /** How long one head long-poll waits. @default 20 // seconds */
  headWaitSeconds?: number;
  /** Largest incoming websocket message. @default 100_000 // bytes */
  maxMessageBytes?: number;
  /** Operation limits, cost budgets and socket bounds, as for HTTP. */
  limits: Limits;
}

export interface SubscriptionStats {
  sockets: number;
  /** Subscribers per upstream feed. */
  feeds: number[];
  subscribers: number;
  /** Batches the feeds have read so far (one per feed and read). */
  batches: number;
  /**
   * Pipeline runs that read those batches: the feeds of one caller and document that ask in the same
   * turn (those one tap stretch woke) are read by one run.
   */
  batchRuns: number;
  /** Stretches of the log the tap has read so far (one query each, as the gateway's own caller). */
  tapReads: number;
  /** Feed batches that came back with errors (a subgraph down: retried; a bad cursor: the stream ends). */
  failedBatches: number;
}

export interface SubscriptionService {
  stats(): SubscriptionStats;
  /** Resolves once `test` holds; re-checked whenever a subscription starts, a feed ends, a batch fails or a socket closes (tests wait on this, never on time). */
  until(test: (stats: SubscriptionStats) => boolean): Promise<void>;
  /** Closes every socket with 1012 (reconnect and resume), then stops. */
  close(): Promise<void>;
}

/**
 * @apollo/gateway answers a subscription sent over HTTP with a 500 ("not supported"); this says where
 * subscriptions are served instead, with a 400.
 */
export const refuseSubscriptionsOverHttp: ApolloServerPlugin<GatewayContext> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operation }) {
        if (operation?.operation !== 'subscription') return;
        throw withHttpStatus(
          apiError('BAD_REQUEST', 'Subscriptions are served over websocket (graphql-ws protocol) on this same /graphql path, not over HTTP.'),
          400,
        );
      },
    };
  },
};

interface Connection {
  caller: Caller;
  expiry?: NodeJS.Timeout;
  /** Where this socket is counted among its client's. */
  client: string;
  /** Subscribes refused on this socket so far (past `maxRefusedSubscribesPerSocket` it is closed). */
  refused: number;
}

type Ctx = Context<ConnectionParams, Extra>;

/** graphql-ws on the gateway's `/graphql`, on the same HTTP server. */
export function attachSubscriptions(server: Server, options: SubscriptionOptions): SubscriptionService {
  const schema: GraphQLSchema = Supergraph.build(options.supergraphSdl).apiSchema().toGraphQLJSSchema();
  const planner = new OperationPlanner(schema);
  const feedOptions: FeedOptions = { batchSize: 100, maxBufferedEvents: 1_000, retryMs: 1_000, maxGroup: MAX_GROUP, ...options.feed };
  const connections = new WeakMap<Ctx, Connection>();
  /** Open sockets per client (client id, else subject). */
  const socketsPerClient = new Map<string, number>();
  const { limits } = options;
  const shared = new Map<string, Feed>();
  const feeds = new Set<Feed>();
  let waits: { test: (stats: SubscriptionStats) => boolean; ok: () => void }[] = [];
  let failedBatches = 0;

  const run = async (
    query: string,
    variables: Record<string, unknown>,
    caller: Caller,
    operationName?: string,
    bounds?: TimeBoundContext,
  ): Promise<FormattedExecutionResult> => {
    // Every run here was authorized at subscribe (or is the gateway's own read of the log).
    const response = await options.apollo.executeOperation({ query, variables, operationName }, { contextValue: { caller, preauthorized: true, ...bounds } });
    if (response.body.kind !== 'single') throw new Error('Incremental delivery is not used by the gateway');
    return response.body.singleResult as FormattedExecutionResult;
  };

  const system = options.toCaller({ subject: 'folkreg-gateway/subscriptions', client: 'folkreg-gateway', scopes: [], role: null, purpose: null }, undefined);
  const head = new HeadWatcher(async (after, waitSeconds, signal) => {
    // The long-poll outlasts a query's fetch bound; `signal` ends it at once when the gateway stops.
    const bounds = { signal, fetchTimeoutMs: waitSeconds * 1_000 + 5_000 };
    const result = await run(
      'query Head($after: String, $wait: Int) { changeEventsHead(after: $after, waitSeconds: $wait) }',
      { after, wait: waitSeconds },
      system,
      undefined,
      bounds,
    );
    if (result.errors?.length) throw new Error(result.errors[0]!.message);
    return (result.data?.changeEventsHead as string | null) ?? null;
  }, options.headWaitSeconds);
  const readStretch: ReadStretch = async (after, first) => {
    const result = await run(TAP_QUERY, { after, first }, system);
    const page = (result.data as { changeEvents?: TapPage } | null | undefined)?.changeEvents;
    if (!page) throw new Error(result.errors?.[0]?.message ?? 'no change events');
    // An error at an event's fact (masked for the gateway's caller) leaves that fact unknown; elsewhere
    // in the event, all its facts; outside any event, every fact of the stretch.
    const unknown = page.edges.map(() => new Set<Fact>());
    for (const error of result.errors ?? []) {
      const [root, edges, index, node, fact] = error.path ?? [];
      const inEvent = root === 'changeEvents' && edges === 'edges' && typeof index === 'number';
      const facts = inEvent && node === 'node' && TAP_FACTS.includes(fact as Fact) && error.path!.length === 5 ? [fact as Fact] : TAP_FACTS;
      for (const set of inEvent ? unknown.slice(index, index + 1) : unknown) for (const f of facts) set.add(f);
    }
    return { events: page.edges.map((edge, i) => tapped(edge.node, unknown[i]!)), endCursor: page.pageInfo.endCursor, hasMore: page.pageInfo.hasNextPage };
  };
  const tap = new LogTap(head, readStretch);
  const groups = new BatchGroups(run, Math.min(MAX_GROUP, Math.max(1, Math.floor(feedOptions.maxGroup))));

  /**
   * The filter a feed can be pre-checked by, or null (woken by every stretch). The tap reads as the
   * gateway's own caller, so it cannot see the event types the policy keeps from that caller, nor the
   * events of persons the policy excludes from it: a feed that may receive one of those is never
   * pre-checked.
   */
  const precheckOf = (plan: DeliveryPlan, caller: Caller): EventFilter | null => {
    const filter = plan.filter;
    if (!filter) return null;
    const blind = system.hiddenEventTypes.filter((t) => !caller.hiddenEventTypes.includes(t) && (!filter.types || filter.types.includes(t)));
    const excludes = (c: Caller, kind: string) => c.hidden[kind]?.includes(ALL_CATEGORIES) ?? false;
    const blindPersons = Object.keys(system.hidden).some((kind) => excludes(system, kind) && !excludes(caller, kind));
    return blind.length || blindPersons ? null : filter;
  };

  // Feeds subscribing at once (thousands of targeted subscribers) share a lookup of up to 500 numbers.
  const personNumbers = new DataLoader<string, string[]>(
    async (ids) => {
      const result = await run(FOLLOW_QUERY, { ids: [...ids] }, system);
      const items = (result.data as { persons?: { person: { identifiers: { value: string }[] | null } | null }[] } | null)?.persons;
      if (!items) throw new Error(result.errors?.[0]?.message ?? 'no persons');
      const unreadable = new Set((result.errors ?? []).map((e) => e.path?.[1]).filter((i) => typeof i === 'number'));
      return ids.map((id, i) =>
        unreadable.has(i) ? new Error(`the numbers of ${id}'s person are not readable`) : (items[i]?.person?.identifiers ?? []).map((x) => x.value),
      );
    },
    { maxBatchSize: MAX_LOOKUP_BATCH, cache: false },
  );
  /**
   * The subgraph matches a filter's identifiers as the persons they belong to (every number the person has
   * had: a replaced one follows them); the tap sees each event's number. So the pre-check names all of
   * them too, read once per feed through the pipeline as the tap's own caller. When they cannot be read
   * (masked, a subgraph down), the identifiers do not pre-check the feed: woken by more stretches, never
   * by fewer.
   */
  const followPersons = async (filter: EventFilter | null): Promise<EventFilter | null> => {
    if (!filter?.identifiers) return filter;
    try {
      const numbers = await personNumbers.loadMany(filter.identifiers);
      if (numbers.some((n) => n instanceof Error)) throw new Error('unreadable');
      return { ...filter, identifiers: [...new Set([...filter.identifiers, ...(numbers as string[][]).flat()])] };
    } catch {
      const { identifiers: _, ...rest } = filter;
      return rest;
    }
  };

  const stats = (): SubscriptionStats => {
    const sizes = [...feeds].map((f) => f.size);
    return {
      sockets: wss.clients.size,
      feeds: sizes,
      subscribers: sizes.reduce((a, b) => a + b, 0),
      batches: groups.batches,
      batchRuns: groups.runs,
      tapReads: tap.reads,
      failedBatches,
    };
  };
  const checkWaits = () => {
    const now = stats();
    waits = waits.filter((w) => (w.test(now) ? (w.ok(), false) : true));
  };

  /**
   * `batchSize`: events per batch, from the caller's `maxCost` (see `admit`). Feeds that share (same caller,
   * document and variables) or are grouped (same caller and document) have the same size; a grouped run
   * reads each feed's batch under its own alias, so it costs what those feeds' batches cost each.
   */
  const feedFor = async (plan: DeliveryPlan, caller: Caller, batchSize: number): Promise<{ feed: Feed; fresh: boolean }> => {
    // Same caller and document: same rules, so one pipeline run may read their batches together.
    const group = JSON.stringify([plan.query, plan.operationName, caller]);
    const fetch = async (p: DeliveryPlan, after: string | null, first: number) => {
      const batch = await groups.read(group, p, caller, after, first);
      if ('errors' in batch) {
        failedBatches++;
        queueMicrotask(checkWaits);
      }
      return batch;
    };
    let precheck = precheckOf(plan, caller);
    const make = (cursor: string | null, quiet: boolean, key?: string) =>
      new Feed(plan, cursor, fetch, tap, precheck, quiet, { ...feedOptions, batchSize }, (f) => {
        feeds.delete(f);
        if (key && shared.get(key) === f) shared.delete(key);
        queueMicrotask(checkWaits);
      });
    await tap.ready();
    if (!plan.fromHead) {
      precheck = await followPersons(precheck);
      return { feed: make(plan.after, false), fresh: true };
    }
    // Live only: identical subscriptions of one caller share a feed starting at the head of the log.
    const key = JSON.stringify([plan.query, plan.operationName, plan.variables, caller]);
    const existing = shared.get(key);
    if (existing) return { feed: existing, fresh: false };
    precheck = await followPersons(precheck);
    // A pre-checked feed starts where the tap is: nothing can be waiting for it there, so its first batch
    // query is skipped — unless it asks for a type kept from the caller, which that query refuses.
    const quiet = precheck !== null && !precheck.types?.some((t) => caller.hiddenEventTypes.includes(t));
    const feed = make(quiet ? tap.cursor : head.head, quiet, key);
    shared.set(key, feed);
    return { feed, fresh: true };
  };

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
  const admit = async (
    payload: { query: string; operationName?: string | null; variables?: Record<string, unknown> | null },
    caller: Caller,
  ): Promise<GraphQLError[] | { batchSize: number }> => {
    const state: LimitsRequest = { reportCost: false };
    try {
      await limits.admitDocument({ source: payload.query, operationName: payload.operationName }, caller, state);
      const plan = planner.plan(payload);
      // Invalid documents are answered by the planner's own errors (they were charged their floor).
      if (Array.isArray(plan) || !('kind' in plan)) return { batchSize: feedOptions.batchSize };
      await limits.chargeRest(caller, limits.price(schema, plan.document, payload.variables ?? {}, payload.operationName, caller), state);
      if (plan.kind !== 'subscription') return { batchSize: feedOptions.batchSize };
      const batch = limits.batchSizeFor(schema, plan.batchDocument, plan.variables, FIRST_VARIABLE, plan.operationName, feedOptions.batchSize, caller);
      return { batchSize: batch.size };
    } catch (err) {
      if (err instanceof GraphQLError) return [withoutHttp(err)];
      throw err;
    }
  };

  const wss = new WebSocketServer({ server, path: '/graphql', maxPayload: options.maxMessageBytes ?? 100_000 });
  const graphqlWs = useServer<ConnectionParams>(
    {
      // Messages sent to clients never carry internals (stack, SQL): errors are the pipeline's own, masked.
      isProd: true,
      async onConnect(ctx) {
        const socket = ctx.extra.socket;
        const authorization = ctx.connectionParams?.authorization;
        if (typeof authorization !== 'string') {
          socket.close(SubscriptionCloseCode.Unauthorized, 'Unauthorized: send { authorization: "Bearer <JWT>" } in connection_init');
          return false;
        }
        let identity: Awaited<ReturnType<Authenticate>>;
        try {
          identity = await options.authenticate(authorization);
        } catch (err) {
          if (!(err instanceof AuthenticationError)) throw err;
          socket.close(SubscriptionCloseCode.Forbidden, `Forbidden: ${err.message}`.slice(0, 120));
          return false;
        }
        // The verifier tolerates clock skew at exp, but a socket lives until exp: one already past it
        // would be accepted and closed 4419 at once, and a client would reconnect with the same token.
        if (identity.expiresAt <= Date.now()) {
          socket.close(SubscriptionCloseCode.Forbidden, 'Forbidden: the token has expired; connect with a fresh token');
          return false;
        }
        // graphql-ws calls onClose for a socket that closes while its token is being verified, before
        // it was counted here: counting it now would hold one of its client's sockets forever.
        if (socket.readyState !== socket.OPEN) return false;
        const purpose = ctx.connectionParams?.['folkreg-purpose'];
        const caller = options.toCaller(identity, typeof purpose === 'string' ? purpose : undefined);
        const client = budgetKey(caller);
        const open = socketsPerClient.get(client) ?? 0;
        if (open >= limits.sockets.maxSocketsPerClient) {
          socket.close(SubscriptionCloseCode.TooManySockets, `Too many sockets: this client has ${open} open, at most ${limits.sockets.maxSocketsPerClient}`);
          return false;
        }
        socketsPerClient.set(client, open + 1);
        const connection: Connection = { caller, client, refused: 0 };
        const left = identity.expiresAt - Date.now();
        // setTimeout holds at most ~24.8 days; a token valid longer is re-checked on the next connect.
        if (left < 2 ** 31 - 1) {
          connection.expiry = setTimeout(
            () => socket.close(SubscriptionCloseCode.TokenExpired, 'Token expired: reconnect with a fresh token and resume from your last cursor'),
            left,
          );
          connection.expiry.unref();
        }
        connections.set(ctx, connection);
        return true;
      },
      onClose(ctx) {
        const connection = connections.get(ctx);
        if (!connection) return;
        connections.delete(ctx);
        clearTimeout(connection.expiry);
        const open = (socketsPerClient.get(connection.client) ?? 1) - 1;
        if (open > 0) socketsPerClient.set(connection.client, open);
        else socketsPerClient.delete(connection.client);
        queueMicrotask(checkWaits);
      },
      async onSubscribe(ctx, id, payload) {
        const answer = await subscribe(ctx, id, payload);
        const connection = connections.get(ctx);
        if (Array.isArray(answer) && connection && ++connection.refused > limits.sockets.maxRefusedSubscribesPerSocket) {
          ctx.extra.socket.close(
            SubscriptionCloseCode.TooManyRefusals,
            `Too many refused subscribes: ${connection.refused} on this socket, at most ${limits.sockets.maxRefusedSubscribesPerSocket}`,
          );
        }
        return answer;
      },
      execute: (args: ExecutionArgs) => (args.contextValue as { once: () => Promise<ExecutionResult> }).once(),
      subscribe: (args: ExecutionArgs) => (args.contextValue as { subscriber: Subscriber }).subscriber,
    },
    wss,
  );

  /** What a subscribe is answered with: its errors (refused), or how to execute it. */
  async function subscribe(ctx: Ctx, _id: string, payload: SubscribePayload): Promise<GraphQLError[] | readonly GraphQLError[] | ExecutionArgs> {
    const connection = connections.get(ctx);
    if (!connection) return [apiError('UNAUTHENTICATED', 'Not connected.')];
    // graphql-ws lists this socket's open subscriptions, this one included.
    const open = Object.keys(ctx.subscriptions).length;
    if (open > limits.sockets.maxSubscriptionsPerSocket) {
      ctx.extra.socket.close(
        SubscriptionCloseCode.TooManySubscriptions,
        `Too many subscriptions: at most ${limits.sockets.maxSubscriptionsPerSocket} on one socket`,
      );
      return [
        apiError('TOO_MANY_SUBSCRIPTIONS', 'Too many subscriptions on this socket.', { measured: open, allowed: limits.sockets.maxSubscriptionsPerSocket }),
      ];
    }
    const request = resolveDocument(options.trustedDocuments, payload, connection.caller);
    if (Array.isArray(request)) return request;
    // The same limits and budget as over HTTP, before the document is parsed and planned.
    const admitted = await admit(request, connection.caller);
    if (Array.isArray(admitted)) return admitted;
    const plan = planner.plan(request);
    if (Array.isArray(plan)) return options.hideSuggestions ? plan.map(cleaned) : (plan as GraphQLError[]);
    if (!('kind' in plan)) return [new GraphQLError('Invalid operation.')];
    const missing = options.authorization.missing(schema, plan.document, plan.operationName, connection.caller.scopes);
    if (missing.length) return [missingScopeError(missing)];
    const args: ExecutionArgs = { schema, document: plan.document, operationName: plan.operationName };
    if (plan.kind === 'single') {
      const once = async (): Promise<ExecutionResult> => {
        const result = await run(plan.query, plan.variables, connection.caller, plan.operationName);
        return { data: result.data as ExecutionResult['data'], ...(result.errors ? { errors: result.errors.map((e) => toGraphQLError(e)) } : {}) };
      };
      return { ...args, contextValue: { once } };
    }
    const { feed, fresh } = await feedFor(plan, connection.caller, admitted.batchSize);
    const socket = ctx.extra.socket;
    const subscriber = feed.subscribe(() =>
      socket.close(SubscriptionCloseCode.SlowConsumer, 'Slow consumer: too many undelivered events; reconnect and resume from your last cursor'),
    );
    if (fresh) {
      feeds.add(feed);
      const errors = await feed.start();
      if (errors) return errors;
    }
    checkWaits();
    return { ...args, contextValue: { subscriber } };
  }

  return {
    stats,
    until: (test) =>
      new Promise<void>((ok) => {
        waits.push({ test, ok });
        checkWaits();
      }),
    async close() {
      tap.stop();
      const headStopped = head.stop();
      for (const feed of [...feeds]) feed.stop();
      for (const client of wss.clients) client.close(SubscriptionCloseCode.ServiceRestart, 'Server restarting: reconnect and resume from your last cursor');
      await Promise.all([...wss.clients].map((c) => closed(c)));
      await graphqlWs.dispose();
      await headStopped;
    },
  };
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

/** What the tap reads of each event: only the facts filters look at. */
const TAP_QUERY = /* GraphQL */ `
  query ChangeEventTap($after: String, $first: Int!) {
    changeEvents(after: $after, first: $first) {
      edges {
        node {
          type
          identifier
          municipalityBefore
          municipalityAfter
          birthDate
          occurredAt
        }
      }
      pageInfo {
        endCursor
        hasNextPage
      }
    }
  }
`;

/** Every number the persons of a filter's identifiers have had (see `followPersons`). */
const FOLLOW_QUERY = /* GraphQL */ `
  query FilterPersons($ids: [String!]!) {
    persons(identifiers: $ids) {
      person {
        identifiers {
          value
        }
      }
    }
  }
`;
/** `persons(identifiers:)` answers at most 500 a call. */
const MAX_LOOKUP_BATCH = 500;

interface TapPage {
  edges: { node: Record<string, unknown> }[];
  pageInfo: { endCursor: string | null; hasNextPage: boolean };
}

const TAP_FACTS: Fact[] = ['type', 'identifier', 'municipalityBefore', 'municipalityAfter', 'birthDate', 'occurredAt'];

/** An event's filter facts; a fact that is not what the filters expect is unknown too. */
function tapped(node: Record<string, unknown>, unknown: Set<Fact>): TappedEvent {
  const text = (fact: Fact): string | null => {
    const value = node[fact];
    if (value === null || typeof value === 'string') return value;
    unknown.add(fact);
    return null;
  };
  const type = text('type') ?? (unknown.add('type'), '');
  const at = new Date(String(text('occurredAt')));
  if (Number.isNaN(at.getTime())) unknown.add('occurredAt');
  const birthDate = text('birthDate');
  if (birthDate !== null && !/^\d{4}-\d{2}-\d{2}$/.test(birthDate)) unknown.add('birthDate');
  return {
    type,
    identifier: text('identifier'),
    municipalityBefore: text('municipalityBefore'),
    municipalityAfter: text('municipalityAfter'),
    birthDate,
    occurredAt: at,
    unknown,
  };
}

/** Waits for the closing handshake, and ends a client that does not answer it. */
function closed(socket: WebSocket): Promise<void> {
  if (socket.readyState === socket.CLOSED) return Promise.resolve();
  return new Promise((ok) => {
    const force = setTimeout(() => socket.terminate(), 1_000).unref();
    socket.once('close', () => {
      clearTimeout(force);
      ok();
    });
  });
}
